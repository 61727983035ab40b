/**
 * ewskit — browser-safe entry. Scores, their definitions and the scoring API; no `node:` import anywhere beneath.
 */
export { news2 } from '../scores/catalogue/news2.js';
export { news } from '../scores/catalogue/news.js';
export { mews } from '../scores/catalogue/mews.js';
export { qsofa } from '../scores/catalogue/qsofa.js';
export { cart } from '../scores/catalogue/cart.js';
export { scoreObservation } from '../scores/evaluate/score-observation.js';
export { scoreTable, outputColumns } from '../scores/kernel/score-table.js';
export { listScores, getScore, apolloStyle } from '../scores/catalogue/catalogue.js';
export { loadScore } from '../scores/definition/load-score.js';
export { toSQL, quoteIdent } from '../scores/sql/sql.js';
export { planScore } from '../scores/plan/compile.js';
export { kernelSource } from '../scores/kernel/kernel.js';
export { FIELDS, parseConsciousness, flagReason } from '../scores/definition/schema.js';
export { roundToPrecision, quantize } from '../scores/definition/precision.js';
export { DefinitionError } from '../scores/definition/errors.js';
export { createRandom } from '../validation/stats/random.js';
export { auroc, aurocFromCounts } from '../validation/metrics/auroc.js';
export { compareAuroc } from '../validation/metrics/compare-auroc.js';
export { countsOf, mergeCounts } from '../validation/stats/counts.js';
export { rocCurve, prCurve, averagePrecision } from '../validation/metrics/curves.js';
export { atThreshold } from '../validation/metrics/threshold.js';
export { wilson } from '../validation/stats/wilson.js';
export { netBenefit, decisionCurve } from '../validation/metrics/net-benefit.js';
export { fitLogistic } from '../validation/stats/logistic.js';
export { lowess } from '../validation/stats/lowess.js';
export { calibration, logit } from '../validation/metrics/calibration.js';
export { recalibrate, eventRateByScore } from '../validation/metrics/recalibrate.js';
export { clusterBootstrapAuroc, obuchowskiAuroc } from '../validation/bootstrap/cluster.js';
export { pnorm, qnorm } from '../validation/stats/normal.js';
export { generateCohort, streamCohort, GENERATOR_VERSION } from '../validation/cohort/generate.js';
export { PROFILES, resolveProfile } from '../validation/cohort/profiles.js';
export { LITERATURE_BIAS, NO_BIAS } from '../validation/cohort/oximeter.js';
export { labelOutcomes } from '../validation/study/label-outcomes.js';
export { validate, clinicalCuts, REPORT_SCHEMA } from '../validation/study/validate.js';
export { renderMarkdown } from '../validation/report/markdown.js';
export { checkReport } from '../validation/report/schema.js';
export { fitSeverityModel } from '../validation/fit/fit-model.js';
export { APOLLO_TEMPLATE } from '../validation/fit/apollo-template.js';
export { Disclosure, isSuppressed } from '../validation/study/disclosure.js';

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
} from '../scores/definition/definition.js';
export type { ModelScore, ModelTerm, LinearTerm, BandTerm, CategoryTerm, RiskZone, MissingRule } from '../scores/definition/model.js';
export type { ModelObservationScore } from '../scores/evaluate/score-model-observation.js';
export type { MissingPolicy, Observation, ObservationScore, ScoreOptions } from '../scores/evaluate/score-observation.js';
export type { ScoreTableOptions } from '../scores/kernel/score-table.js';
export type { SqlDialect, SqlOptions } from '../scores/sql/sql.js';
export type { ScoreInfo } from '../scores/catalogue/catalogue.js';
export type { ScorePlan } from '../scores/plan/compile.js';
export type { FieldName, InputField, NumericField, DiscreteField, FlagReason } from '../scores/definition/schema.js';
export type { Random } from '../validation/stats/random.js';
export type { AurocResult, AurocDefined, AurocUndefined, AurocOptions } from '../validation/metrics/auroc.js';
export type { AurocComparison, AurocComparisonUndefined } from '../validation/metrics/compare-auroc.js';
export type { ValueCounts, Direction } from '../validation/stats/counts.js';
export type { RocPoint, PrPoint } from '../validation/metrics/curves.js';
export type { ThresholdMetrics } from '../validation/metrics/threshold.js';
export type { Proportion } from '../validation/stats/wilson.js';
export type { NetBenefitPoint } from '../validation/metrics/net-benefit.js';
export type { LogisticFit, LogisticOptions } from '../validation/stats/logistic.js';
export type { CalibrationResult, CalibrationBin } from '../validation/metrics/calibration.js';
export type { RecalibrationResult, ScoreEventRate } from '../validation/metrics/recalibrate.js';
export type { ClusterBootstrapResult, BootstrapInterval } from '../validation/bootstrap/cluster.js';
export type { Scores, Outcomes } from '../validation/stats/input.js';
export type { Cohort, CohortManifest, CohortOptions, CohortTableName } from '../validation/cohort/generate.js';
export type { CohortProfile, Ethnicity } from '../validation/cohort/profiles.js';
export type { OximeterBias } from '../validation/cohort/oximeter.js';
export type { LabelOptions, LabelResult } from '../validation/study/label-outcomes.js';
export type { ValidateOptions, ValidationReport } from '../validation/study/validate.js';
export type { ModelTemplate, TemplateTerm, FitOptions } from '../validation/fit/fit-model.js';
export type { Suppressed, Released } from '../validation/study/disclosure.js';
