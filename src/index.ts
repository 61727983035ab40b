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
export { listScores, getScore, apolloStyle } from '../scores/catalogue.js';
export { loadScore } from '../scores/load-score.js';
export { toSQL, quoteIdent } from '../scores/sql.js';
export { planScore } from '../scores/compile.js';
export { kernelSource } from '../scores/kernel.js';
export { FIELDS, parseConsciousness, flagReason } from '../scores/schema.js';
export { roundToPrecision, quantize } from '../scores/precision.js';
export { DefinitionError } from '../scores/errors.js';
export { createRandom } from '../validation/random.js';
export { auroc, aurocFromCounts } from '../validation/auroc.js';
export { compareAuroc } from '../validation/compare-auroc.js';
export { countsOf, mergeCounts } from '../validation/counts.js';
export { rocCurve, prCurve, averagePrecision } from '../validation/curves.js';
export { atThreshold } from '../validation/threshold.js';
export { wilson } from '../validation/wilson.js';
export { netBenefit, decisionCurve } from '../validation/net-benefit.js';
export { fitLogistic } from '../validation/logistic.js';
export { lowess } from '../validation/lowess.js';
export { calibration, logit } from '../validation/calibration.js';
export { recalibrate, eventRateByScore } from '../validation/recalibrate.js';
export { clusterBootstrapAuroc, obuchowskiAuroc } from '../validation/cluster.js';
export { pnorm, qnorm } from '../validation/normal.js';
export { generateCohort, streamCohort, GENERATOR_VERSION } from '../validation/cohort/generate.js';
export { PROFILES, resolveProfile } from '../validation/cohort/profiles.js';
export { LITERATURE_BIAS, NO_BIAS } from '../validation/cohort/oximeter.js';
export { labelOutcomes } from '../validation/label-outcomes.js';
export { validate, clinicalCuts, REPORT_SCHEMA } from '../validation/validate.js';
export { renderMarkdown } from '../validation/report-markdown.js';
export { checkReport } from '../validation/report-schema.js';
export { fitSeverityModel } from '../validation/fit-model.js';
export { APOLLO_TEMPLATE } from '../validation/apollo-template.js';
export { Disclosure, isSuppressed } from '../validation/disclosure.js';

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
export type { AurocResult, AurocDefined, AurocUndefined, AurocOptions } from '../validation/auroc.js';
export type { AurocComparison, AurocComparisonUndefined } from '../validation/compare-auroc.js';
export type { ValueCounts, Direction } from '../validation/counts.js';
export type { RocPoint, PrPoint } from '../validation/curves.js';
export type { ThresholdMetrics } from '../validation/threshold.js';
export type { Proportion } from '../validation/wilson.js';
export type { NetBenefitPoint } from '../validation/net-benefit.js';
export type { LogisticFit, LogisticOptions } from '../validation/logistic.js';
export type { CalibrationResult, CalibrationBin } from '../validation/calibration.js';
export type { RecalibrationResult, ScoreEventRate } from '../validation/recalibrate.js';
export type { ClusterBootstrapResult, BootstrapInterval } from '../validation/cluster.js';
export type { Scores, Outcomes } from '../validation/input.js';
export type { Cohort, CohortManifest, CohortOptions, CohortTableName } from '../validation/cohort/generate.js';
export type { CohortProfile, Ethnicity } from '../validation/cohort/profiles.js';
export type { OximeterBias } from '../validation/cohort/oximeter.js';
export type { LabelOptions, LabelResult } from '../validation/label-outcomes.js';
export type { ValidateOptions, ValidationReport } from '../validation/validate.js';
export type { ModelTemplate, TemplateTerm, FitOptions } from '../validation/fit-model.js';
export type { Suppressed, Released } from '../validation/disclosure.js';
