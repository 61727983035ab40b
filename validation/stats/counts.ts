/**
 * Sufficient statistics of a score against a binary outcome: the number of positives and negatives at each
 * distinct score value, in ascending order. AUROC, its DeLong variance, the ROC and precision–recall curves and
 * every threshold metric are exact functions of these counts, and counts from batches or partitions merge by
 * addition — so a metric over a billion rows streams in memory proportional to the number of distinct values.
 */
import type { Outcomes, Scores } from './input.js';
import { outcomeValue, readPairs } from './input.js';
import type { Direction } from './result.js';
import { checkOptions, directionOf } from './result.js';

export type { Direction } from './result.js';

/** Positives and negatives per distinct score value, ascending. */
export interface ValueCounts {
  readonly values: Float64Array;
  readonly pos: Float64Array;
  readonly neg: Float64Array;
}

/** Largest integer range the counting path buckets directly (beyond it, scores are sorted). */
export const MAX_INTEGER_RANGE = 1 << 20;

function compress(values: ArrayLike<number>, pos: ArrayLike<number>, neg: ArrayLike<number>): ValueCounts {
  let k = 0;
  for (let i = 0; i < values.length; i++) if ((pos[i] ?? NaN) + (neg[i] ?? NaN) > 0) k++;
  const out = { values: new Float64Array(k), pos: new Float64Array(k), neg: new Float64Array(k) };
  k = 0;
  for (let i = 0; i < values.length; i++) {
    if ((pos[i] ?? NaN) + (neg[i] ?? NaN) === 0) continue;
    out.values[k] = values[i] ?? NaN;
    out.pos[k] = pos[i] ?? NaN;
    out.neg[k] = neg[i] ?? NaN;
    k++;
  }
  return out;
}

/**
 * Counts by sorting: any finite scores. Runs in O(n log n).
 *
 * @param scores complete scores
 * @param labels 1 for an event, 0 otherwise
 */
export function countsBySorting(scores: Float64Array, labels: Uint8Array): ValueCounts {
  let m = 0;
  for (let i = 0; i < labels.length; i++) m += labels[i] ?? NaN;
  const p = new Float64Array(m);
  const q = new Float64Array(labels.length - m);
  let a = 0;
  let b = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) p[a++] = scores[i] ?? NaN;
    else q[b++] = scores[i] ?? NaN;
  }
  p.sort();
  q.sort();
  const values: number[] = [];
  const pos: number[] = [];
  const neg: number[] = [];
  let i = 0;
  let j = 0;
  while (i < p.length || j < q.length) {
    const v = j >= q.length || (i < p.length && (p[i] ?? NaN) <= (q[j] ?? NaN)) ? (p[i] ?? NaN) : (q[j] ?? NaN);
    let cp = 0;
    let cn = 0;
    while (i < p.length && p[i] === v) {
      cp++;
      i++;
    }
    while (j < q.length && q[j] === v) {
      cn++;
      j++;
    }
    values.push(v);
    pos.push(cp);
    neg.push(cn);
  }
  return { values: Float64Array.from(values), pos: Float64Array.from(pos), neg: Float64Array.from(neg) };
}

/**
 * Counts by bucketing integer scores (NEWS2 is 0–20): one pass, no sort. Runs in O(n + range).
 *
 * @returns the counts, or `undefined` when a score is not an integer or the range exceeds {@link MAX_INTEGER_RANGE}
 */
export function countsByInteger(scores: Float64Array, labels: Uint8Array): ValueCounts | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] ?? NaN;
    if (!Number.isInteger(s)) return undefined;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  if (scores.length === 0) return { values: new Float64Array(0), pos: new Float64Array(0), neg: new Float64Array(0) };
  if (hi - lo > MAX_INTEGER_RANGE) return undefined;
  const size = hi - lo + 1;
  const pos = new Float64Array(size);
  const neg = new Float64Array(size);
  for (let i = 0; i < scores.length; i++) {
    const k = (scores[i] ?? NaN) - lo;
    if (labels[i] === 1) pos[k] = (pos[k] ?? NaN) + 1;
    else neg[k] = (neg[k] ?? NaN) + 1;
  }
  const values = new Float64Array(size);
  for (let k = 0; k < size; k++) values[k] = lo + k;
  return compress(values, pos, neg);
}

/**
 * Merge counts from batches or partitions: the counts of the union of the rows. Runs in O(k₁ + k₂).
 *
 * @example mergeCounts(countsOf(a1, y1), countsOf(a2, y2)); // equals countsOf(a1 ∪ a2, y1 ∪ y2)
 */
export function mergeCounts(a: ValueCounts, b: ValueCounts): ValueCounts {
  const values: number[] = [];
  const pos: number[] = [];
  const neg: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.values.length || j < b.values.length) {
    const va = i < a.values.length ? (a.values[i] ?? NaN) : Infinity;
    const vb = j < b.values.length ? (b.values[j] ?? NaN) : Infinity;
    const v = Math.min(va, vb);
    let cp = 0;
    let cn = 0;
    if (va === v) {
      cp += a.pos[i] ?? NaN;
      cn += a.neg[i] ?? NaN;
      i++;
    }
    if (vb === v) {
      cp += b.pos[j] ?? NaN;
      cn += b.neg[j] ?? NaN;
      j++;
    }
    values.push(v);
    pos.push(cp);
    neg.push(cn);
  }
  return { values: Float64Array.from(values), pos: Float64Array.from(pos), neg: Float64Array.from(neg) };
}

/**
 * The counting path in one pass over the caller's arrays, with no copy: every complete score must be an integer
 * (and finite); buckets grow as new values appear. Returns `undefined` at the first non-integer score, so the
 * caller can sort instead. Outcomes are checked exactly as everywhere else.
 */
function countIntegersDirect(caller: string, score: Scores, outcome: Outcomes, sign: number): { counts: ValueCounts; nMissing: number } | undefined {
  if (score.length !== outcome.length) return undefined; // readPairs reports the mismatch
  let base = 0;
  let pos = new Float64Array(0);
  let neg = new Float64Array(0);
  let nMissing = 0;
  const n = score.length;
  for (let i = 0; i < n; i++) {
    const raw = score[i];
    const o = outcome[i];
    const y = o === 1 || o === true ? 1 : o === 0 || o === false ? 0 : outcomeValue(caller, o, i);
    if (raw === null || raw === undefined || y < 0 || raw !== raw) {
      nMissing++;
      continue;
    }
    const v = sign * (raw as number) + 0; // + 0 turns −0 into 0
    if ((v | 0) !== v && !Number.isInteger(v)) return undefined; // the fast check covers |v| < 2³¹
    let k = v - base;
    if (k < 0 || k >= pos.length) {
      // Grow (doubling) to cover v, with room on the side it grew towards.
      const empty = pos.length === 0;
      const lo = empty ? v : Math.min(base, v);
      const hi = empty ? v : Math.max(base + pos.length - 1, v);
      if (hi - lo > MAX_INTEGER_RANGE) return undefined;
      const size = Math.min(MAX_INTEGER_RANGE + 1, Math.max(hi - lo + 1, pos.length * 2, 32));
      const newBase = !empty && v < base ? hi - size + 1 : lo;
      const p2 = new Float64Array(size);
      const n2 = new Float64Array(size);
      if (!empty) {
        p2.set(pos, base - newBase);
        n2.set(neg, base - newBase);
      }
      pos = p2;
      neg = n2;
      base = newBase;
      k = v - base;
    }
    if (y === 1) pos[k] = (pos[k] ?? NaN) + 1;
    else neg[k] = (neg[k] ?? NaN) + 1;
  }
  const values = Float64Array.from({ length: pos.length }, (_, k) => base + k);
  return { counts: compress(values, pos, neg), nMissing };
}

/** What {@link countsOf} returns: the counts, the pairs left out, and which path counted them. */
export interface CountsResult {
  readonly counts: ValueCounts;
  readonly nMissing: number;
  readonly path: 'integer' | 'sort';
}

/**
 * The counts for a public function `caller` (whose name goes in every message). Shared by every metric.
 */
export function countsFor(caller: string, score: Scores, outcome: Outcomes, direction: Direction): CountsResult {
  const direct = countIntegersDirect(caller, score, outcome, direction === 'lower' ? -1 : 1);
  if (direct !== undefined) return { ...direct, path: 'integer' };
  const { scores, labels, nMissing } = readPairs(caller, score, outcome);
  if (direction === 'lower') for (let i = 0; i < scores.length; i++) scores[i] = 0 - (scores[i] ?? NaN); // 0 − x, not −x: no −0
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i] ?? NaN)) throw new RangeError(`${caller}: score values must be finite; received ${scores[i]}.`);
  }
  const byInteger = countsByInteger(scores, labels);
  return byInteger === undefined ? { counts: countsBySorting(scores, labels), nMissing, path: 'sort' } : { counts: byInteger, nMissing, path: 'integer' };
}

/**
 * The counts of a score against an outcome: by bucketing when every score is an integer in a modest range,
 * otherwise by sorting. With `direction: 'lower'`, scores are negated so that higher always means riskier.
 * Pairs with a missing score or outcome are left out and counted. Runs in O(n) or O(n log n).
 *
 * @param options `direction` ('higher', the default, or 'lower')
 * @throws {TypeError} for arrays of different lengths; {RangeError} for a bad outcome, a non-finite score or direction
 * @example countsOf([0, 1, 1, 3], [0, 0, 1, 1]).counts; // values [0, 1, 3], pos [0, 1, 1], neg [1, 1, 0]
 */
export function countsOf(score: Scores, outcome: Outcomes, options?: { direction?: Direction }): CountsResult {
  const caller = 'countsOf';
  return countsFor(caller, score, outcome, directionOf(caller, checkOptions(caller, options)));
}

/** Positives and negatives in a set of counts. Runs in O(distinct values). */
export function classTotals(c: ValueCounts): { readonly nPositive: number; readonly nNegative: number } {
  let m = 0;
  let n = 0;
  for (let i = 0; i < c.values.length; i++) {
    m += c.pos[i] ?? NaN;
    n += c.neg[i] ?? NaN;
  }
  return { nPositive: m, nNegative: n };
}
