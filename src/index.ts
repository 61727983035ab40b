/**
 * ewskit — browser-safe entry. Scores, their definitions and the scoring API; no `node:` import anywhere beneath.
 */
export { news2 } from '../scores/news2.js';
export { news } from '../scores/news.js';
export { mews } from '../scores/mews.js';
export { qsofa } from '../scores/qsofa.js';
export { cart } from '../scores/cart.js';
export { scoreObservation } from '../scores/score-observation.js';
export { scoreTable, outputColumns } from '../scores/score-table.js';
export { listScores, getScore } from '../scores/catalogue.js';
export { loadScore } from '../scores/load-score.js';
export { toSQL, quoteIdent } from '../scores/sql.js';
export { planScore } from '../scores/compile.js';
export { kernelSource } from '../scores/kernel.js';
export { FIELDS, parseConsciousness, flagReason } from '../scores/schema.js';
export { roundToPrecision, quantize } from '../scores/precision.js';
export { DefinitionError } from '../scores/errors.js';
export { createRandom } from '../validation/random.js';
export { demoObservations } from './demo.js';

export type {
  Band,
  BandVariant,
  BandedScore,
  DiscreteParameter,
  NumericParameter,
  Parameter,
  RedFlagRule,
  RiskRule,
  ScoreDefinition,
  FallbackParameter,
} from '../scores/definition.js';
export type { ModelScore, ModelTerm, LinearTerm, BandTerm, CategoryTerm, RiskZone, MissingRule } from '../scores/model.js';
export type { ModelObservationScore } from '../scores/score-model-observation.js';
export type { MissingPolicy, Observation, ObservationScore, ScoreOptions } from '../scores/score-observation.js';
export type { ScoreTableOptions } from '../scores/score-table.js';
export type { SqlDialect, SqlOptions } from '../scores/sql.js';
export type { ScoreInfo } from '../scores/catalogue.js';
export type { ScorePlan } from '../scores/compile.js';
export type { FieldName, InputField, NumericField, DiscreteField, FlagReason } from '../scores/schema.js';
export type { Random } from '../validation/random.js';
export type { DemoOptions } from './demo.js';
