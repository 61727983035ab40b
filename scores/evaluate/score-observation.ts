/**
 * Score one observation set — the bedside path. Each kind of score interprets its definition directly, independently
 * of the compiled lookup tables the batch kernel uses; property tests hold the two equal.
 */
import type { BandedScore, ScoreDefinition } from '../definition/definition.js';
import type { ModelScore } from '../definition/model.js';
import { argumentError } from '../definition/errors.js';
import { missingPolicyOf } from './types.js';
import { kindOf } from '../kinds/kind-of.js';
import type { ModelObservationScore } from './score-model-observation.js';
import type { Observation, ObservationScore, ScoreOptions } from './types.js';

export type { MissingPolicy, Observation, ObservationScore, ScoreOptions } from './types.js';

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
export function scoreObservation(score: BandedScore, observation: Observation, options?: ScoreOptions): ObservationScore;
export function scoreObservation(score: ModelScore, observation: Observation, options?: ScoreOptions): ModelObservationScore;
export function scoreObservation(score: ScoreDefinition, observation: Observation, options?: ScoreOptions): ObservationScore | ModelObservationScore;
export function scoreObservation(score: ScoreDefinition, observation: Observation, options: ScoreOptions = {}): ObservationScore | ModelObservationScore {
  if (observation === null || typeof observation !== 'object' || Array.isArray(observation)) {
    throw argumentError(FN, 'observation', 'an object of vitals by field name', observation);
  }
  const policy = missingPolicyOf(FN, options);
  return kindOf(score).evaluate(score, observation, policy);
}
