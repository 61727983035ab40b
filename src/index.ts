/**
 * ewskit — the browser-safe entry: scores, their definitions and the scoring API; the metrics; synthetic cohorts;
 * the validation harness and its report. No `node:` import anywhere beneath. Each export is listed, with what it is
 * for, in the README's "Public API" section (a test keeps the two in step).
 */

// Scores: the catalogue, definitions as data, and the three executions of one definition.
export { news2 } from '../scores/catalogue/news2.js';
export { news } from '../scores/catalogue/news.js';
export { mews } from '../scores/catalogue/mews.js';
export { qsofa } from '../scores/catalogue/qsofa.js';
export { cart } from '../scores/catalogue/cart.js';
export { listScores, getScore, apolloStyle, news2AgeComorbidity } from '../scores/catalogue/catalogue.js';
export { loadScore } from '../scores/load/load-score.js';
export { monotonicityProblems } from '../scores/definition/monotonicity.js';
export { CLINICAL_RANGES, isExtreme } from '../scores/definition/clinical-ranges.js';
export { WITHDRAWN, withdrawnReason } from '../scores/definition/withdrawn.js';
export type { WithdrawnDefinition } from '../scores/definition/withdrawn.js';
export type { ClinicalRange, CodeOrder, NumericRange } from '../scores/definition/clinical-ranges.js';
export { DefinitionError } from '../scores/definition/errors.js';
export { FIELDS, CONSCIOUSNESS_CODES, parseConsciousness } from '../scores/definition/schema.js';
export { roundToPrecision } from '../scores/definition/precision.js';
export { planScore } from '../scores/plan/compile.js';
export { kindOf, clinicalCuts } from '../scores/kinds/kind-of.js';
export { scoreObservation } from '../scores/evaluate/score-observation.js';
export { scoreTable, outputColumns, kernelSource } from '../scores/kernel/score-table.js';
export { toSQL, SQL_DIALECTS } from '../scores/sql/sql.js';
export { toFhir, NEWS2_FHIR_CODES } from '../scores/fhir/to-fhir.js';
export type { FhirObservation, FhirCodeableConcept, FhirQuantity, ToFhirOptions } from '../scores/fhir/to-fhir.js';

// Metrics: one result contract ({ defined: true, estimate, … } or { defined: false, reason, message }).
export { auroc, aurocFromCounts } from '../validation/metrics/auroc.js';
export { compareAuroc, compareAurocFromJointCounts } from '../validation/metrics/compare-auroc.js';
export type { JointCountCell } from '../validation/metrics/compare-auroc.js';
export { addPairCounts } from '../validation/study/pair-counts.js';
export type { PairCountTable, PairCountRow } from '../validation/study/pair-counts.js';
export { countsOf, mergeCounts } from '../validation/stats/counts.js';
export { rocCurve, prCurve, averagePrecision, rocFromCounts, prFromCounts, averagePrecisionFromCounts } from '../validation/metrics/curves.js';
export { atThreshold } from '../validation/metrics/threshold.js';
export { wilson } from '../validation/stats/wilson.js';
export { netBenefit, decisionCurve, DEFAULT_THRESHOLDS } from '../validation/metrics/net-benefit.js';
export { calibration } from '../validation/metrics/calibration.js';
export { recalibrate, eventRateByScore, isotonicRisk } from '../validation/metrics/recalibrate.js';
export { clusterBootstrapAuroc, obuchowskiAuroc } from '../validation/bootstrap/cluster.js';
export { BOOTSTRAP_METHODS, poissonWeight } from '../validation/bootstrap/replicate-weights.js';
export type { BootstrapMethod } from '../validation/bootstrap/replicate-weights.js';
export { poissonWeightsSql, WEIGHT_SQL_DIALECTS } from '../validation/bootstrap/weights-sql.js';
export type { WeightSqlDialect } from '../validation/bootstrap/weights-sql.js';
export { fitLogistic } from '../validation/stats/logistic.js';
export { lowess } from '../validation/stats/lowess.js';

// Synthetic EPR cohorts.
export { generateCohort, streamCohort, GENERATOR_VERSION, COHORT_TABLES, DEFAULT_ESCALATION_EFFECT } from '../validation/cohort/generate.js';
export { PROFILES, resolveProfile } from '../validation/cohort/profiles.js';
export { LITERATURE_BIAS, NO_BIAS, referenceOccultHypoxaemia, OCCULT_REFERENCE } from '../validation/cohort/oximeter.js';
export { nhsEthnicGroup } from '../validation/codes/ethnic-category.js';
export { conditionGroup, CONDITION_GROUPS, CONDITION_CODES } from '../validation/codes/conditions.js';
export { monitoringBand, MONITORING_BANDS, MONITORING_HOURS, triggers, ESCALATION_TRIGGERS } from '../validation/ward/monitoring.js';

// The study and its report.
export { labelOutcomes } from '../validation/outcomes/label-outcomes.js';
export { validate } from '../validation/study/validate.js';
export { DEFAULT_SKIN_TONE_BANDS, REPORT_NET_BENEFIT_THRESHOLDS } from '../validation/study/options.js';
export { Disclosure, isSuppressed } from '../validation/disclosure/disclosure.js';
export { loadDisclosureAudit } from '../validation/disclosure/lp-audit.js';
export { REPORT_SCHEMA } from '../validation/report/types.js';
export { EWSKIT_VERSION, sha256, canonicalJson } from '../validation/report/provenance.js';
export { MISSING_POLICIES } from '../scores/definition/observation.js';
export { DISCLOSURE_POLICIES } from '../validation/disclosure/policy.js';
export { UNIT_NAMES, CLUSTER_LEVELS, RECALIBRATION_METHODS, MISSING_ANALYSES, FOLLOW_UPS, CENSORED_HANDLING } from '../validation/report/vocabulary.js';
export { OXIMETER_BIAS_NAMES } from '../validation/cohort/oximeter.js';
export { renderMarkdown, documentToMarkdown } from '../validation/report/markdown.js';
export { reportDocument } from '../validation/report/sections.js';
export { figureSpecs, figurePlace, FIGURE_PALETTE } from '../validation/report/figures.js';
export type { FigureSpec, FigureSection, VegaLiteSpec } from '../validation/report/figures.js';
export type { ReportDocument, DocumentSection, Block, ParagraphBlock, TableBlock, Inline } from '../validation/report/document.js';
export { CURVE_PROBABILITY_GRID } from '../validation/study/intervals.js';

// EPR ingest (browser-safe): codes and units, the mapping file, measurements, long → sets, FHIR out.
export { assembleSets, DEFAULT_WINDOW_MINUTES } from './ingest/assemble.js';
export type { AssembleReport } from './ingest/assemble.js';
export { BUILT_IN_CODES, MEASURED_FIELDS, convertUnit } from './ingest/codes.js';
export type { MeasuredField, CodeRule } from './ingest/codes.js';
export { checkMapping, resolveMapping, parseTime, parseNumber, MAPPING_SCHEMA } from './ingest/mapping.js';
export type { Mapping, MappingFile, TimeFormat, CsvFormat, AssembleOptions, TableName } from './ingest/mapping.js';
export { fromFhirObservation, fromLongRow, ingestReport } from './ingest/measurements.js';
export type { Measurement, IngestReport, Rejection, LongRow } from './ingest/measurements.js';
export { observationsToFhir, SPO2_SCALE_CODE, SPO2_SCALE_MAPPING } from './ingest/export-fhir.js';
export type { ExportFhirOptions } from './ingest/export-fhir.js';
export { checkReport } from '../validation/report/schema.js';
export { fitSeverityModel } from '../validation/fit/fit-model.js';
export { fitNews2AgeComorbidity } from '../validation/fit/reference.js';
export { APOLLO_TEMPLATE } from '../validation/fit/apollo-template.js';

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
export type { FieldName, InputField, NumericField, DiscreteField, FlagReason, ConsciousnessCode } from '../scores/definition/schema.js';
export type { ScoreInfo } from '../scores/catalogue/catalogue.js';
export type { ScorePlan, PlanInput, PlanParameter } from '../scores/plan/compile.js';
export type { ScoreKind, ClinicalCut, AnyPlan, KindName, DefinitionOf } from '../scores/kinds/kind.js';
export type { KernelPart, KernelOutput, ModelKernelOutput, KernelInput } from '../scores/kernel/kernel-part.js';
export type { ReaderKind, ReaderLayout } from '../scores/kernel/kernel.js';
export type { BatchKind } from '../scores/kernel/batch-kinds.js';
export type { ScoreColumns, ScoreDictionaries, ScoreBatch, StringDictionary } from '../scores/kernel/output-columns.js';
export type { ScoreSql } from '../scores/sql/sql-text.js';
export type { ModelPlan, PlanTerm } from '../scores/plan/model-plan.js';
export type { ModelObservationScore } from '../scores/evaluate/score-model-observation.js';
export type { MissingPolicy, Observation, ObservationResponse, ObservationScore, ScoreOptions } from '../scores/evaluate/score-observation.js';
export type { ScoreTableOptions } from '../scores/kernel/score-table.js';
export type { SqlDialect, SqlOptions } from '../scores/sql/sql.js';
export type { Undefined, CommonReason, Direction } from '../validation/stats/result.js';
export type { Scores, Outcomes, Clusters } from '../validation/stats/input.js';
export type { ValueCounts, CountsResult } from '../validation/stats/counts.js';
export type { Proportion, WilsonOptions } from '../validation/stats/wilson.js';
export type { LogisticFit, LogisticOptions } from '../validation/stats/logistic.js';
export type { LowessOptions } from '../validation/stats/lowess.js';
export type { AurocResult, AurocDefined, AurocUndefined, AurocUndefinedReason, AurocOptions, AurocFromCountsOptions } from '../validation/metrics/auroc.js';
export type { AurocComparison, AurocComparisonUndefined } from '../validation/metrics/compare-auroc.js';
export type { RocPoint, PrPoint, CurveSizes, CurveResult, AveragePrecisionResult, CurveOptions, CurveFromCountsOptions } from '../validation/metrics/curves.js';
export type { ThresholdMetrics, ThresholdOptions, NumberNeeded } from '../validation/metrics/threshold.js';
export type { NetBenefitPoint, NetBenefitResult, DecisionCurveResult } from '../validation/metrics/net-benefit.js';
export type { CalibrationResult, CalibrationDefined, CalibrationBin, CalibrationOptions, Estimate, Measure } from '../validation/metrics/calibration.js';
export type { RecalibrationResult, RecalibrationMethod, FoldModel, ScoreEventRate, EventRateResult } from '../validation/metrics/recalibrate.js';
export type {
  ClusterBootstrapResult,
  ClusterBootstrapDefined,
  ClusterBootstrapOptions,
  BootstrapInterval,
  BootstrapEstimate,
  ObuchowskiResult,
} from '../validation/bootstrap/cluster.js';
export type { Cohort, CohortManifest, CohortOptions, CohortTableName } from '../validation/cohort/generate.js';
export type { CohortProfile, ConditionShares, Ethnicity, ReadmissionModel } from '../validation/cohort/profiles.js';
export type { ConditionGroup } from '../validation/codes/conditions.js';
export type { EscalationTrigger, MonitoringBand } from '../validation/ward/monitoring.js';
export type { OximeterBias } from '../validation/cohort/oximeter.js';
export type { LabelOptions, LabelResult } from '../validation/outcomes/label-outcomes.js';
export type { ValidateOptions, CohortTables, CohortSource, ReadingCounts } from '../validation/study/options.js';
export type { LpSolver, AuditModel, AuditRelation } from '../validation/disclosure/lp-audit.js';
export type { Suppressed, Released, CellBasis, CellOptions, DisclosurePolicyName, TableDeclaration } from '../validation/disclosure/disclosure.js';
export type {
  ValidationReport,
  ReportSettings,
  DisclosureSummary,
  DisclosureAudit,
  AuditedCell,
  TableLink,
  CohortSection,
  ScoreSection,
  ComparisonSection,
  SubgroupSection,
  UnitSection,
  GroupRow,
  GroupScoreCell,
  UnitScoreCell,
  AurocCell,
  CalibrationCell,
  CalibrationBinCell,
  ComparisonCell,
  ThresholdRow,
  ObservedRiskRow,
  NetBenefitRow,
  ContrastCell,
  ClusteredProportion,
  IntervalSettings,
  NetBenefitCell,
  EstimateCell,
  ProportionCell,
  UndefinedCell,
  Cell,
  Ci,
  Derivation,
  SkinToneBand,
  UnitName,
  ClusterLevel,
  MissingAnalysis,
  FollowUp,
  CensoredHandling,
  FlowSection,
  FlowCounts,
  FlowExclusion,
  CharacteristicsSection,
  CharacteristicRow,
  CategoryCell,
  ContinuousCell,
  Quartiles,
  OutcomeRow,
  MissingDataSection,
  ModelInputsRow,
  ReadingRow,
  TripodSection,
  TripodItem,
  DefinitionRecord,
  TableCheck,
  MatchedAlertCell,
  PairedRulesCell,
  PairedRuleMetric,
  PairedNetBenefit,
  CurvePoint,
  AlertsSection,
  AlertScoreSection,
  AlertRuleRow,
  LeadTimeCell,
  MonitoringRow,
} from '../validation/report/types.js';
export type { ModelTemplate, TemplateTerm, FitOptions } from '../validation/fit/fit-model.js';
export { randomEffects, TAU2_METHODS, META_TESTS, PREDICTION_RULES } from '../validation/meta/random-effects.js';
export type { RandomEffectsOptions, RandomEffectsResult, Tau2Method, MetaTest, PredictionRule } from '../validation/meta/random-effects.js';
export { summariseSite, SUMMARY_SCHEMA, SITE_MEASURES, POOLING_SCALE } from '../validation/meta/site-summary.js';
export type { SiteSummary, SiteMeasure, SiteMeasureName, PoolingScale, DefinedSiteValue, UndefinedSiteValue } from '../validation/meta/site-summary.js';
export { combineSummaries, COMBINED_SCHEMA } from '../validation/meta/combine.js';
export type { CombineOptions, CombinedReport, CombinedMeasure, CombinedSiteRow, CombinedSite, PooledMeasure } from '../validation/meta/combine.js';
export { combinedDocument, combinedMarkdown, combinedFigures } from '../validation/meta/render-combined.js';
export { internalExternalValidation, concatCohorts } from '../validation/meta/iecv.js';
export type { IecvOptions, IecvResult, IecvSite } from '../validation/meta/iecv.js';
export { membershipModel, MEMBERSHIP_VARIABLES, caseMixMoments, caseMixDistance, poolMoments } from '../validation/meta/membership.js';
export type { MembershipResult, MembershipCell, CaseMixMoments, CaseMixCell, CaseMixDistance } from '../validation/meta/membership.js';
export { drawSite, drawSites, siteCohortOptions, DEFAULT_SITE_EFFECTS } from '../validation/cohort/sites.js';
export type { SiteEffectModel, SiteEffects } from '../validation/cohort/sites.js';
export { oneStage } from '../validation/meta/one-stage.js';
export type { OneStageResult, OneStageScore, OneStageEstimate, SharedCountTables, ValueRule } from '../validation/meta/one-stage.js';
export { cohortScoreCounts, addScoreCounts } from '../validation/study/count-tables.js';
export { packScoreCounts, unpackScoreCounts, sumScoreCounts, PACKED_COUNTS_FORMAT } from '../validation/study/packed-counts.js';
export type { PackedScoreCounts, PackedBlock } from '../validation/study/packed-counts.js';
export { addAlertCounts } from '../validation/study/alerts.js';
export { addUnitCounts, unitScoreCounts, unitAurocFromCounts } from '../validation/study/units.js';
export type { UnitCountTable, UnitScoreCounts } from '../validation/study/units.js';
export type { AlertCountTable, ScoreAlertCounts } from '../validation/study/alerts.js';
export { packAlertCounts, unpackAlertCounts, PACKED_ALERTS_FORMAT } from '../validation/study/packed-alerts.js';
export type { PackedAlertCounts, PackedRuleCounts, PackedNumbers } from '../validation/study/packed-alerts.js';
export { RULE_COUNT_FIELDS } from '../validation/ward/alert-measures.js';
export type { RuleCounts, ComplianceCounts } from '../validation/ward/alert-measures.js';
export type { ScoreCountTable, ScoreCountRow, CountTableDefinition, CohortCountOptions } from '../validation/study/count-tables.js';
export { addCharacteristicCounts } from '../validation/study/characteristic-counts.js';
export type {
  CharacteristicCountTable,
  CharacteristicCountRow,
  CharacteristicTotalRow,
  CharacteristicPatientsRow,
  CharacteristicVariable,
  CharacteristicUnit,
} from '../validation/study/characteristic-counts.js';
export { ENGINES, STUDY_SQL_DIALECTS, studySql } from '../validation/engine/study-sql.js';
export type { Engine, StudySql, StudySqlDialect, StudySqlOptions, GroupPart } from '../validation/engine/study-sql.js';
export type { GroupDerivation } from '../validation/study/subgroups.js';
export { ENGINE_REPORT_SCHEMA, addEngineCounts, engineReport, jsEngineCounts } from '../validation/engine/engine-study.js';
export type {
  EngineCounts,
  EngineFlow,
  EngineReport,
  EngineScore,
  EngineGroupScore,
  EngineGroups,
  GroupingCounts,
  EngineEstimate,
  EngineStudyOptions,
  EngineObservedRisk,
  EngineComparison,
  EnginePairedEstimate,
  EnginePairedMetric,
} from '../validation/engine/engine-study.js';
export type { PooledEstimate, PairedMetric, PairedComparison, MatchedAlertRate } from '../validation/meta/pooled-measures.js';
export { engineMarkdown, engineDocument, engineHtml } from '../validation/engine/engine-markdown.js';
export { pooledCounts, pooledReport } from '../validation/engine/pooled-report.js';
