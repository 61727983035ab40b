/**
 * The metrics' one contract for input: a score array and an outcome array of the same length. Outcomes are
 * `true`/`false` or `1`/`0`; any other outcome value is a `RangeError` naming the function, the index and the
 * value. A pair whose score or outcome is null, undefined or NaN is left out and counted (`nMissing`) — the same
 * rule for every metric.
 */

/** A score-like column: numbers with nulls, from arrays or typed arrays. */
export type Scores = ArrayLike<number | null | undefined>;
/** An outcome column: booleans or 0/1, with nulls. */
export type Outcomes = ArrayLike<boolean | number | null | undefined>;

/** The cluster (patient) of each observation: ids as strings or numbers, with nulls. */
export type Clusters = ArrayLike<string | number | null | undefined>;

/** Complete pairs, as typed arrays. */
export interface Pairs {
  scores: Float64Array;
  labels: Uint8Array;
  nMissing: number;
}

/** Read one outcome as 0/1, or −1 when missing. */
export function outcomeValue(caller: string, value: boolean | number | null | undefined, index: number): number {
  if (value === null || value === undefined) return -1;
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  if (typeof value === 'number' && Number.isNaN(value)) return -1;
  throw new RangeError(`${caller}: outcome[${index}] expected true/false or 1/0; received ${typeof value} ${String(value)}.`);
}

/**
 * Check and gather complete (score, outcome) pairs. Runs in O(n).
 *
 * @throws {TypeError} when the arrays differ in length or are not array-like
 * @throws {RangeError} for an outcome that is not boolean or 0/1
 */
export function readPairs(caller: string, score: Scores, outcome: Outcomes): Pairs {
  if (score === null || typeof score !== 'object' || typeof score.length !== 'number') {
    throw new TypeError(`${caller}: argument "score" expected an array of numbers; received ${score === null ? 'null' : typeof score}.`);
  }
  if (outcome === null || typeof outcome !== 'object' || typeof outcome.length !== 'number') {
    throw new TypeError(`${caller}: argument "outcome" expected an array of booleans or 0/1; received ${outcome === null ? 'null' : typeof outcome}.`);
  }
  if (score.length !== outcome.length) {
    throw new TypeError(`${caller}: "score" has ${score.length} values but "outcome" has ${outcome.length}; expected one outcome per score.`);
  }
  const n = score.length;
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const s = score[i];
    const y = outcomeValue(caller, outcome[i], i);
    if (s === null || s === undefined || Number.isNaN(s) || y < 0) continue;
    if (typeof s !== 'number') throw new TypeError(`${caller}: score[${i}] expected a number; received ${typeof s}.`);
    scores[k] = s;
    labels[k] = y;
    k++;
  }
  return { scores: scores.subarray(0, k), labels: labels.subarray(0, k), nMissing: n - k };
}
