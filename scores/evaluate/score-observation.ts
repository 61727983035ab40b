/**
 * Score one observation set — the bedside path. Each kind of score interprets its definition directly, independently
 * of the compiled lookup tables the batch kernel uses; property tests hold the two equal.
 */
import type { BandedScore, ScoreDefinition } from '../definition/definition.js';
import type { ModelScore } from '../definition/model.js';
import { argumentError } from '../definition/errors.js';
import { FIELDS } from '../definition/schema.js';
import { missingPolicyOf } from '../definition/observation.js';
import type { DefinitionOf, KindName } from '../kinds/kind.js';
import type { MissingPolicy } from '../definition/observation.js';
import { scoreBandedObservation } from './banded-observation.js';
import { scoreModelObservation } from './score-model-observation.js';
import type { ModelObservationScore } from './score-model-observation.js';
import type { Observation, ObservationScore, ScoreOptions } from '../definition/observation.js';

export type { MissingPolicy, Observation, ObservationResponse, ObservationScore, ScoreOptions } from '../definition/observation.js';

const FN = 'scoreObservation';

/**
 * Score one observation set with a banded early-warning score (the bedside path).
 * Follows the definition's source chart, the recording-precision policy (round half-up at chart precision) and
 * the missing-value policy (no total when any parameter is missing) of `docs/scores.md`.
 * Runs in O(parameters × bands).
 *
 * @param score a score definition, e.g. `news2`
 * @param observation vitals by object field name (`respiratoryRate`, `spo2`, `spo2Scale`, `onOxygen`, …)
 * @param options `{ missing: 'zero' }` for the labelled research option
 * @returns total, completeness, risk band, red flag, missing inputs, flags, subscores and clinical response
 * @throws {TypeError} when the observation is not an object or a field has the wrong type
 * @example
 * scoreObservation(news2, { respiratoryRate: 22, spo2: 94, onOxygen: false, systolicBP: 105,
 *   heartRate: 112, consciousness: 'A', temperature: 38.4 });
 * // => { total: 7, complete: true, risk: 'high', redFlag: false, missing: [], flags: [], subscores: {…}, response: {…} }
 */
/** A kind's evaluator: scores one observation set by interpreting the definition directly. */
type Evaluator<D> = (def: D, observation: Observation, policy: MissingPolicy) => ObservationScore | ModelObservationScore;

/** Each kind's evaluator (typed over every kind: a kind without one does not compile). */
const EVALUATORS: { readonly [K in KindName]: Evaluator<DefinitionOf<K>> } = {
  banded: scoreBandedObservation,
  model: (def, observation) => scoreModelObservation(def, observation as Record<string, unknown>),
};

/** The known field nearest to a misspelt one (by case, then by edit distance ≤ 3), or null. */
function nearestField(key: string): string | null {
  const names = Object.keys(FIELDS);
  const folded = names.find((n) => n.toLowerCase() === key.toLowerCase().replace(/[_\s-]/g, ''));
  if (folded !== undefined) return folded;
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        (d[i] as number[])[j] = Math.min(
          ((d[i - 1] as number[])[j] ?? 0) + 1,
          ((d[i] as number[])[j - 1] ?? 0) + 1,
          ((d[i - 1] as number[])[j - 1] ?? 0) + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
        );
    return (d[a.length] as number[])[b.length] ?? Infinity;
  };
  const best = names.map((n) => ({ n, d: distance(key, n) })).sort((x, y) => x.d - y.d)[0];
  return best !== undefined && best.d <= 3 ? best.n : null;
}

export function scoreObservation(score: BandedScore, observation: Observation, options?: ScoreOptions): ObservationScore;
export function scoreObservation(score: ModelScore, observation: Observation, options?: ScoreOptions): ModelObservationScore;
export function scoreObservation(score: ScoreDefinition, observation: Observation, options?: ScoreOptions): ObservationScore | ModelObservationScore;
export function scoreObservation(score: ScoreDefinition, observation: Observation, options: ScoreOptions = {}): ObservationScore | ModelObservationScore {
  const def = score as unknown;
  if (def === null || typeof def !== 'object' || !['banded', 'model'].includes(String((def as { kind?: unknown }).kind))) {
    const hint = typeof def === 'string' ? ` (a string: use getScore(${JSON.stringify(def)}) or the exported definition)` : '';
    throw argumentError(FN, 'score', `a score definition such as news2, or one from loadScore${hint}`, def);
  }
  if (observation === null || typeof observation !== 'object' || Array.isArray(observation)) {
    throw argumentError(FN, 'observation', 'an object of vitals by field name', observation);
  }
  // A misspelt field would be silently missing (and, with missing: 'zero', silently normal).
  for (const key of Object.keys(observation)) {
    if (key in FIELDS) continue;
    const near = nearestField(key);
    throw new TypeError(
      `${FN}: unknown field "${key}" in the observation${near === null ? '' : ` (did you mean "${near}"?)`}; expected the fields ${Object.keys(FIELDS).join(', ')}.`,
    );
  }
  const policy = missingPolicyOf(FN, options);
  return (EVALUATORS[score.kind] as Evaluator<ScoreDefinition>)(score, observation, policy);
}
