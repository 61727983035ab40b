/**
 * The validation report, schema `ewskit.report/11` (docs/report.md): typed section by section. It holds aggregates
 * only — no patient or encounter identifier. A *cell* (`Cell<T>`) is a released value or a suppressed placeholder
 * naming the disclosure rule that withheld it. Metric results follow the one result contract: `{ defined: true,
 * estimate, … }` or `{ defined: false, reason, message }`.
 */
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import type { Suppressed } from '../disclosure/disclosure.js';
import type { RecalibrationMethod } from '../metrics/recalibrate.js';
import type { CENSORED_HANDLING, CLUSTER_LEVELS, FOLLOW_UPS, MISSING_ANALYSES, UNIT_NAMES } from './vocabulary.js';
import type { AuditedCell, DisclosureAudit, DisclosureSummary, TableCheck, TableLink } from '../disclosure/audit-types.js';

export type { AuditedCell, DisclosureAudit, DisclosureSummary, TableCheck, TableLink };

/** The schema id of reports this version writes. */
export const REPORT_SCHEMA = 'ewskit.report/11';

/** A released value, or a suppressed placeholder. */
export type Cell<T> = T | Suppressed;

/** Why a metric is undefined (the result contract). */
export interface UndefinedCell {
  readonly defined: false;
  readonly reason: string;
  readonly message: string;
}

/** A confidence interval, or null when none can be computed. */
export type Ci = readonly [number, number] | null;

/** A point estimate with an interval. */
export interface EstimateCell {
  readonly defined: true;
  readonly estimate: number;
  readonly ci: Ci;
}

/**
 * A proportion: `ci` is the patient-clustered interval (the headline; null without a bootstrap), `naiveCi` the Wilson
 * interval, which assumes independent observation sets and is kept for reference only.
 */
export interface ClusteredProportion {
  readonly defined: true;
  readonly estimate: number;
  readonly ci: Ci;
  readonly naiveCi: Ci;
}

/** A proportion with its clustered and naive intervals, or why it is undefined. */
export type ProportionCell = ClusteredProportion | UndefinedCell;

/** Units of analysis reported beside every observation set. */
export type UnitName = (typeof UNIT_NAMES)[number];

/** What the patient-clustered bootstrap resamples together. */
export type ClusterLevel = (typeof CLUSTER_LEVELS)[number];

/** The missing-data analysis asked for: complete-case (`'none'`), zero-imputed, or both side by side. */
export type MissingAnalysis = (typeof MISSING_ANALYSES)[number];

/** What discharge means for the outcome. */
export type FollowUp = (typeof FOLLOW_UPS)[number];

/** What happens to a set whose outcome is unknown. */
export type CensoredHandling = (typeof CENSORED_HANDLING)[number];

/** A skin-tone band on the Monk scale (1–10), used when grouping by `skin_tone_band`. */
export interface SkinToneBand {
  readonly label: string;
  /** Lowest Monk tone in the band (inclusive). */
  readonly min: number;
  /** Highest Monk tone in the band (inclusive). */
  readonly max: number;
}

export interface ReportSettings {
  readonly scores: readonly { readonly id: string; readonly name: string; readonly version: string; readonly kind: 'banded' | 'model' }[];
  readonly outcome: {
    readonly horizonHours: number;
    readonly eventTypes: readonly string[] | 'all';
    readonly unit: 'observation set';
    readonly otherUnits: readonly UnitName[];
    /**
     * `'in-hospital'` (discharge alive is no event) or `'linked'` (discharge censors): what discharge means for the
     * outcome.
     */
    readonly followUp: FollowUp;
    /**
     * Where follow-up ends, what a censored set (less than the horizon of follow-up, no event) becomes, and the
     * extract's end used (ISO 8601; `inferred` when it is the latest time in the extract, not given).
     */
    readonly censoring: {
      readonly followUpEnds: string;
      readonly censored: CensoredHandling;
      readonly extractEnd: string | null;
      readonly inferred: boolean;
    };
    /** Sets this many minutes or less before their event are left out (a sensitivity analysis; 0 = none). */
    readonly excludeBeforeEventMinutes: number;
  };
  readonly groupBy: readonly string[];
  readonly bootstrap:
    false | { readonly B: number; readonly seed: number; readonly method: BootstrapMethod; readonly resampling: string; readonly valueResolution: string };
  readonly level: number;
  /** Cross-fitted recalibration of points scores: folds of whole patients, and the seed of the fold assignment. */
  readonly recalibration: { readonly method: RecalibrationMethod; readonly folds: number; readonly seed: number };
  readonly netBenefitThresholds: readonly number[];
  readonly skinToneBands: readonly SkinToneBand[];
  /** How every headline interval was made, and what the naive intervals beside them assume. */
  readonly intervals: IntervalSettings;
  /** How sparse score values were pooled for the observed risk per score value. */
  readonly pooling: { readonly minEvents: number; readonly minNonEvents: number };
  /**
   * The subgroup contrasts and how their multiplicity was handled: `contrasts` released ones form the Holm family
   * (of `candidates` defined ones); p-values are 2 (k + 1) / (B + 1), intervals bootstrap max-T; `smallestAdjustedP` is the smallest Holm-adjusted
   * p-value the family can reach with B replicates (2 m / (B + 1)), which must be below α / 2 for any contrast to reach
   * the level; `minimumB` the B that would make it so, and `raisedB` whether B was raised to it (B not given).
   */
  readonly multiplicity: {
    readonly contrasts: number;
    readonly candidates: number;
    readonly method: 'Holm';
    readonly pValue: string;
    readonly smallestAdjustedP: number | null;
    readonly minimumB: number;
    readonly raisedB: boolean;
  };
  /** Things a reader must know about the settings (e.g. too few bootstrap replicates). */
  readonly warnings: readonly string[];
}

export interface IntervalSettings {
  /** "patient-clustered bootstrap (percentile)", or "none" without a bootstrap. */
  readonly method: string;
  /** What was resampled together: "patient" (the default) or "encounter". */
  readonly cluster: ClusterLevel;
  /** What the naive intervals (DeLong, Wilson) assume. */
  readonly naive: string;
  /**
   * Per statistic of the headline intervals (`auroc`, `sensitivity`, `nb`, …), the most bootstrap replicates that left
   * it undefined for any score or rule (a resample without an event, say): its interval is over the defined ones only.
   * Empty when every replicate defined every statistic, or without a bootstrap.
   */
  readonly undefinedReplicates: Readonly<Record<string, number>>;
}

/** Table 1: who and what was analysed. */
export interface CohortSection {
  readonly patients: Cell<number>;
  readonly encounters: Cell<number>;
  readonly observationSets: Cell<number>;
  /** Labelled sets of a known patient (each score is analysed on those it can score: `ScoreSection.sets`). */
  readonly analysedSets: Cell<number>;
  /** Events of the chosen types. */
  readonly events: Cell<number>;
  /** Sets followed by an event within the horizon. */
  readonly positiveSets: Cell<number>;
  readonly excludedAfterEvent: Cell<number>;
  /**
   * Sets whose outcome is unknown — the horizon passes the end of follow-up, with no event: the extract's end for an
   * encounter still open (and discharge too when `settings.outcome.followUp` is `'linked'`). Left out, or counted
   * negative, as `settings.outcome.censoring.censored` says.
   */
  readonly censored: Cell<number>;
  /**
   * Negative sets whose horizon passes a discharge alive (in-hospital follow-up): no in-hospital event — a known
   * outcome, counted negative, never censored.
   */
  readonly dischargedNegatives: Cell<number>;
  /**
   * Negative sets with a competing event within the horizon — an event of a type the outcome does not count (death,
   * when the outcome is an ICU admission) and no chosen one before it: negatives, counted apart (0 when every type
   * counts).
   */
  readonly competingNegatives: Cell<number>;
  /**
   * Encounters of the observations without a discharge time by the extract's end (all of them when no encounters table
   * is given): followed to the extract's end (`settings.outcome.censoring.extractEnd`).
   */
  readonly openEncounters: Cell<number>;
  /** Sets within `outcome.excludeBeforeEventMinutes` before their event, left out (a sensitivity analysis; 0 by default). */
  readonly excludedBeforeEvent: Cell<number>;
  readonly excludedIncomplete: Cell<number>;
  /** Patient-days of follow-up (when an encounters table is given). */
  readonly followUpDays: number | null;
  /** E.g. "synthetic india-apollo cohort, seed 77, generator 1.0.0". */
  readonly source: string | null;
  /** Share of null values per input column. */
  readonly missingness: Readonly<Record<string, number>>;
  /** Join integrity: event rows matching no observed encounter; sets whose patient is not in the patients table. */
  readonly joins: { readonly unmatchedEvents: Cell<number>; readonly setsWithoutPatient: Cell<number> | null };
  /** Per file of an extract, records read, kept and rejected, and rejections by kind of reason; empty for a synthetic cohort. */
  readonly reading: readonly ReadingRow[];
}

/**
 * What reading one file of the extract did, as counts through disclosure control: read = kept + rejected, and the
 * rejections by kind of reason add up to `rejected`. The reasons hold no value of a record (numbers and quoted values
 * are replaced); the values themselves stay with the user (`--rejects`).
 */
export interface ReadingRow {
  readonly table: string;
  readonly read: Cell<number>;
  readonly kept: Cell<number>;
  readonly rejected: Cell<number>;
  readonly byReason: Readonly<Record<string, Cell<number>>>;
}

/**
 * AUROC: `ci` is the patient-clustered bootstrap interval (the headline), `obuchowski` the analytic clustered interval
 * beside it as a cross-check, `naive` DeLong's (assumes independent observation sets; for reference only).
 */
export interface AurocCell {
  readonly defined: true;
  readonly estimate: number;
  readonly ci: Ci;
  /** Bootstrap standard error (null without a bootstrap). */
  readonly se: number | null;
  readonly obuchowski: { readonly defined: true; readonly se: number; readonly ci: Ci } | UndefinedCell;
  readonly naive: { readonly se: number | null; readonly ci: Ci };
  readonly warnings: readonly string[];
}

export interface CalibrationBinCell {
  readonly meanPredicted: number;
  /** Observed event rate in the bin: the patient-clustered interval in `ci`, Wilson's (naive) in `naiveCi`. */
  readonly observed: ProportionCell;
  readonly n: number;
}

/**
 * Calibration of probabilities. For a model-based score, of its own probabilities (external validation). For a
 * points score there are no probabilities: this block is *model updating* (cross-fitted logistic recalibration); only
 * its Brier scores are given, the rest are undefined with reason "model-updating" (true by construction, never a
 * finding); the score's calibration is
 * `observedRisk`. Intervals are clustered: O/E from the bootstrap, intercept and slope from cluster-robust (sandwich)
 * SEs; the Brier score and the E-statistics have none.
 */
export interface CalibrationCell {
  readonly defined: true;
  /** "model probability" or "model updating: cross-fitted logistic recalibration (k patient folds)". */
  readonly method: string;
  /** True for a points score's recalibration: a fitted mapping, not a validation of calibration. */
  readonly modelUpdating: boolean;
  readonly observedExpected: EstimateCell | UndefinedCell;
  readonly calibrationInTheLarge: EstimateCell | UndefinedCell;
  readonly slope: EstimateCell | UndefinedCell;
  readonly brier: EstimateCell | UndefinedCell;
  readonly scaledBrier: EstimateCell | UndefinedCell;
  readonly eavg: EstimateCell | UndefinedCell;
  readonly e90: EstimateCell | UndefinedCell;
  readonly emax: EstimateCell | UndefinedCell;
  readonly bins: readonly Cell<CalibrationBinCell>[];
}

/** The observed risk among sets scoring within `scores` (a score value, or pooled sparse values). */
export interface ObservedRiskRow {
  /** The range of score values, inclusive. */
  readonly scores: readonly [number, number];
  readonly cell: Cell<{ readonly sets: number; readonly events: number; readonly risk: ProportionCell }>;
}

export interface ThresholdRow {
  readonly label: string;
  readonly cut: number;
  readonly counts: { readonly tp: Cell<number>; readonly fp: Cell<number>; readonly tn: Cell<number>; readonly fn: Cell<number> };
  readonly sensitivity: Cell<ProportionCell>;
  readonly specificity: Cell<ProportionCell>;
  readonly ppv: Cell<ProportionCell>;
  readonly npv: Cell<ProportionCell>;
  readonly alertRate: Cell<ProportionCell>;
  readonly numberNeededToEvaluate: Cell<EstimateCell | UndefinedCell>;
}

/**
 * One point of a score's ROC and precision–recall curves: alerting when the score ≥ `cut`. Intervals are the
 * patient-clustered bootstrap's (pointwise); the naive Wilson interval sits beside each, for reference only. The
 * trivial ends (alert on all, alert on none) are not listed.
 */
export interface CurvePoint {
  readonly cut: number;
  readonly cell: Cell<{ readonly sensitivity: ProportionCell; readonly specificity: ProportionCell; readonly ppv: ProportionCell }>;
}

/** Net benefit of one alerting rule at one threshold probability. */
export interface NetBenefitRow {
  /** The rule, e.g. "NEWS2 ≥ 5 (medium)", or "model probability ≥ pₜ" for the decision curve of a model. */
  readonly rule: string;
  /** Alert when the score ≥ cut. */
  readonly cut: number;
  /** The threshold probability pₜ weighing false against true alerts. */
  readonly threshold: number;
  readonly cell: Cell<NetBenefitCell>;
}

export interface NetBenefitCell {
  /** TP/n − FP/n · pₜ/(1 − pₜ), with its clustered interval. */
  readonly netBenefit: EstimateCell;
  /** Alerting on everyone. */
  readonly treatAll: number;
  readonly treatNone: number;
}

/** Where a model's weights came from (derivation cohort, seed, generator version …). */
export type Derivation = Readonly<Record<string, string | number | boolean>>;

export interface ScoreSection {
  readonly id: string;
  readonly name: string;
  readonly kind: 'banded' | 'model';
  readonly illustrative?: true;
  readonly derivation?: Derivation;
  /** What a reader must know before comparing this score (e.g. it was fitted on synthetic data from the same generator). */
  readonly caveats: readonly string[];
  /** The score's own analysable sets: labelled sets where it has a value; positive ones; those it cannot score. */
  readonly sets: { readonly analysed: Cell<number>; readonly positive: Cell<number>; readonly incomplete: Cell<number> };
  readonly auroc: Cell<AurocCell | UndefinedCell>;
  readonly averagePrecision: Cell<EstimateCell | UndefinedCell>;
  readonly calibration: Cell<CalibrationCell | UndefinedCell>;
  /** The calibration of a points score: observed risk at each score value, sparse top values pooled (null for models). */
  readonly observedRisk: readonly ObservedRiskRow[] | null;
  readonly thresholds: readonly ThresholdRow[];
  /** The ROC and precision–recall curves, at the cut-offs the study planned (pooled score values; a fixed grid of
   *  probabilities for a model), ascending. */
  readonly curve: readonly CurvePoint[];
  readonly netBenefit: readonly NetBenefitRow[];
}

/** Keys of `ScoreSection` that hold one headline cell (computed in the study, shown as columns of the summary table). */
export type HeadlineKey = 'auroc' | 'averagePrecision' | 'calibration';

/** A headline metric's value as computed (its cell before disclosure control: never the suppressed placeholder). */
export type HeadlineValue<K extends HeadlineKey> = Exclude<ScoreSection[K], Suppressed>;

export interface ComparisonCell {
  readonly defined: true;
  /** AUROC(a) − AUROC(b). */
  readonly estimate: number;
  /** The paired patient-clustered bootstrap interval (the headline; null without a bootstrap). */
  readonly ci: Ci;
  /** Two-sided p-value from the paired bootstrap (null without one). */
  readonly p: number | null;
  /** Paired DeLong, which assumes independent observation sets (for reference only). */
  readonly naive: { readonly se: number; readonly ci: Ci; readonly z: number | null; readonly p: number | null };
}

export interface ComparisonSection {
  readonly a: string;
  readonly b: string;
  /** The sets both scores can score: the comparison's analysis set. */
  readonly sets: Cell<number>;
  readonly cell: Cell<ComparisonCell | UndefinedCell>;
  /** The comparison at equal workload: b's sensitivity where it alerts no more often than a at a's first cut-off. */
  readonly matchedAlertRate: Cell<MatchedAlertCell | UndefinedCell>;
  /** Like for like: each score at its own first clinical cut-off on the same sets (those both can score), paired. */
  readonly rules: Cell<PairedRulesCell | UndefinedCell>;
}

/**
 * Two scores' first clinical cut-offs on the sets both can score: sensitivity, specificity and alert rate of each,
 * and the difference b − a, with paired patient-clustered bootstrap intervals (null without a bootstrap).
 */
export interface PairedRulesCell {
  readonly defined: true;
  /** a's and b's rules, e.g. "NEWS2 ≥ 5 (medium)" and "Apollo-style orange". */
  readonly ruleA: string;
  readonly ruleB: string;
  readonly sensitivity: PairedRuleMetric;
  readonly specificity: PairedRuleMetric;
  /** The share of the common sets each rule alerts on. */
  readonly alertRate: PairedRuleMetric;
  /** Each rule's net benefit at each threshold probability of the study (`settings.netBenefitThresholds`), and b − a. */
  readonly netBenefit: readonly PairedNetBenefit[];
  /** Bootstrap replicates that drew no positive or no negative set (left out of the intervals, counted here). */
  readonly undefinedReplicates: number;
}

/** Both rules' net benefit at one threshold probability pₜ: TP/n − FP/n · pₜ/(1 − pₜ), and b − a, paired. */
export interface PairedNetBenefit {
  readonly threshold: number;
  readonly a: EstimateCell;
  readonly b: EstimateCell;
  /** b − a. */
  readonly difference: EstimateCell;
}

/** One metric of `PairedRulesCell`: a's, b's and their paired difference. */
export interface PairedRuleMetric {
  readonly a: EstimateCell;
  readonly b: EstimateCell;
  /** b − a. */
  readonly difference: EstimateCell;
}

/** Sensitivities at matched alert rates, on the sets both scores can score. */
export interface MatchedAlertCell {
  readonly defined: true;
  /** a's first clinical cut-off, e.g. "NEWS2 ≥ 5 (medium)", its value, and the share of the sets it alerts on. */
  readonly ruleA: string;
  readonly cutA: number;
  readonly alertRate: number;
  /** b's cut-off: the smallest value at which b alerts on no more of the sets than a does (chosen once, on all the data); null when none does. */
  readonly cutB: number | null;
  readonly alertRateB: number;
  /** Sensitivities, with patient-clustered bootstrap intervals (null without a bootstrap). */
  readonly sensitivityA: EstimateCell;
  readonly sensitivityB: EstimateCell;
  /** sensitivity(b) − sensitivity(a), paired (the same resampled patients). */
  readonly difference: EstimateCell;
}

export interface GroupScoreCell {
  /** AUROC in the group, with its clustered interval. */
  readonly auroc: EstimateCell | UndefinedCell;
  /** At the score's first clinical cut-off; suppressed when its true or false negatives do not pass the policy. */
  readonly sensitivity: { readonly cut: number | null; readonly value: Cell<EstimateCell | UndefinedCell> };
  /**
   * Calibration-in-the-large in the group: α in logit P(event) = α + lp with lp as offset (0 ideal; above 0, more
   * events than predicted). lp is a model's logit(p); a points score has no probability of its own, so lp is the
   * logistic mapping a + b · score fitted on every *other* set (leave-group-out): the same score, a different risk
   * here is miscalibration in this group. With a clustered interval.
   */
  readonly calibrationInTheLarge: EstimateCell | UndefinedCell;
  /** Calibration slope in the group: β in logit P(event) = α + β · lp, lp as above (1 ideal; below 1 the score's
   *  risk gradient is flatter in this group than its predictions, or than elsewhere for a points score). */
  readonly slope: EstimateCell | UndefinedCell;
  /** Paired patient-clustered differences from the reference group, with Holm-adjusted p-values and simultaneous
   *  intervals; null for the reference itself or without a bootstrap. */
  readonly differenceFromReference: {
    readonly auroc: ContrastCell | UndefinedCell | null;
    readonly sensitivity: Cell<ContrastCell | UndefinedCell> | null;
    readonly calibrationInTheLarge: ContrastCell | UndefinedCell | null;
    readonly slope: ContrastCell | UndefinedCell | null;
  };
}

/** A difference from the reference group with its clustered interval and multiplicity-adjusted p-value. */
export interface ContrastCell {
  readonly defined: true;
  readonly estimate: number;
  readonly ci: readonly [number, number];
  /** Two-sided p-value from the paired bootstrap: 2 (k + 1) / (B + 1). */
  readonly p: number;
  /** Holm-adjusted over the released contrasts of the report (`settings.multiplicity`); 1 for a contrast not released. */
  readonly adjustedP: number;
  /**
   * The simultaneous interval printed beside the adjusted p-value: bootstrap max-T over the m released contrasts
   * (d̂ ± q · se, q the level's quantile of the largest studentised deviation across the family in each replicate), so
   * the family of intervals covers together. `ci` is the pointwise interval.
   */
  readonly simultaneousCi: readonly [number, number];
}

export interface GroupRow {
  readonly group: string;
  readonly patients: Cell<number>;
  readonly observationSets: Cell<number>;
  readonly eventPatients: Cell<number>;
  readonly positiveSets: Cell<number>;
  /** A note when the group is too small for a precise comparison (fewer than 100 patients with an event, or an AUROC
   *  or sensitivity difference interval wider than 0.2), else null. */
  readonly precision: string | null;
  readonly scores: Readonly<Record<string, Cell<GroupScoreCell>>>;
}

export interface SubgroupSection {
  readonly by: string;
  readonly reference: string;
  readonly groups: readonly GroupRow[];
}

export interface UnitScoreCell {
  readonly sets: number;
  readonly positiveSets: number;
  readonly auroc: EstimateCell | UndefinedCell;
}

export interface UnitSection {
  /** A description of the unit, e.g. "first set per encounter". */
  readonly unit: string;
  readonly scores: Readonly<Record<string, Cell<UnitScoreCell>>>;
}

/**
 * The lead time from an alert to the event, over the episodes an alert detected: median and quartiles (type 7) in
 * hours, with the patient-clustered bootstrap interval of the median (null without a bootstrap).
 */
export interface LeadTimeCell {
  readonly defined: true;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly ci: Ci;
}

/** One alerting rule on the ward: how often it fires, how early, and how often it is right (patient-clustered intervals). */
export interface AlertRuleRow {
  /** E.g. "NEWS2 ≥ 5 (medium)", "red score (…)", "NEWS2 rising by ≥ 2 from the previous set". */
  readonly rule: string;
  /** Analysed sets on which the rule fires. */
  readonly alerts: Cell<number>;
  /** Alerts per patient-day on the ward (alert burden): alerts over ward time (`admitted_at` to `left_ward_at`). */
  readonly perPatientDay: Cell<EstimateCell | UndefinedCell>;
  /** Alerts per 100 analysed sets. */
  readonly per100Sets: Cell<EstimateCell | UndefinedCell>;
  /** The share of alerts whose previous set in the encounter also alerted. */
  readonly repeatAlertRate: Cell<EstimateCell | UndefinedCell>;
  /** Of encounters with an alert, the share whose first alert was followed by an event within the horizon. */
  readonly firstAlertPpv: Cell<EstimateCell | UndefinedCell>;
  /** Of episodes (encounters with an event), the share with ≥ 1 alert within the horizon before it. */
  readonly episodeSensitivity: Cell<EstimateCell | UndefinedCell>;
  /** From the first alert within the horizon before the event to the event, over the detected episodes (hours). */
  readonly leadTimeHours: Cell<LeadTimeCell | UndefinedCell>;
}

/** Monitoring compliance in one NEWS2 band (RCP 2017 Chart 4), by day, by night or in all. */
export interface MonitoringRow {
  /** `'0'`, `'1–4'`, `'5–6 or red'`, `'≥ 7'`. */
  readonly band: string;
  /** The band's longest interval to the next set (hours). */
  readonly intervalHours: number;
  /** `'all'`, or when the next set fell due: `'day'` (06:00–22:00) or `'night'` (22:00–06:00), by the clock of the data. */
  readonly period: 'all' | 'day' | 'night';
  /** Analysed sets in the band followed by another set of the encounter. */
  readonly sets: Cell<number>;
  /** The share of them whose next set came within the interval (plus the tolerance). */
  readonly compliance: Cell<EstimateCell | UndefinedCell>;
}

/** One score's alert measures. */
export interface AlertScoreSection {
  readonly id: string;
  /** The score's analysed sets. */
  readonly sets: Cell<number>;
  /** Encounters of those sets with an event of the outcome (the episodes). */
  readonly episodes: Cell<number>;
  readonly rules: readonly AlertRuleRow[];
  /** Monitoring compliance by band, for NEWS2 (whose chart sets the frequency); null for other scores. */
  readonly monitoring: readonly MonitoringRow[] | null;
}

/**
 * What the scores do on a ward: alert burden, repeat alerts, first-alert PPV, episode-level sensitivity, lead time,
 * and compliance with NEWS2's monitoring frequency — each rule over each score's analysed sets, with patient-clustered
 * bootstrap intervals (percentile; none without a bootstrap), under disclosure control.
 */
export interface AlertsSection {
  /** How ward time is measured, or why alerts per patient-day are undefined. */
  readonly wardTime: string;
  /** Minutes allowed beyond a band's interval before the next set counts as late. */
  readonly toleranceMinutes: number;
  /** The rising rule's step (`risingBy`), or null when not asked for. */
  readonly risingBy: number | null;
  readonly scores: readonly AlertScoreSection[];
}

/** Sets at one step of the flow: in all, by outcome, and by group. */
export interface FlowCounts {
  readonly sets: Cell<number>;
  /** Sets followed by an event within the horizon; null where the step leaves the outcome unknown (e.g. censored). */
  readonly positive: Cell<number> | null;
  /** Sets not followed by one; null where the outcome is unknown. */
  readonly negative: Cell<number> | null;
  /** Per grouping column (`settings.groupBy`), sets per group; `(missing)` for sets without a value. */
  readonly byGroup: Readonly<Record<string, Readonly<Record<string, Cell<number>>>>>;
}

/** One exclusion of the flow: its reason, and the sets it removed. */
export interface FlowExclusion extends FlowCounts {
  /** E.g. "censored", "no patient id", "missing temperature", "flagged value: out_of_range spo2". */
  readonly reason: string;
}

/**
 * The flow from the extract to each score's analysed sets (TRIPOD+AI "Participants"). Exclusions are mutually
 * exclusive and applied in order: first those of the study (no encounter or time; at or after the event; shortly
 * before it; censored; no patient id), then, per score, the sets it cannot score, by reason.
 */
export interface FlowSection {
  readonly extract: { readonly patients: Cell<number>; readonly encounters: Cell<number>; readonly sets: Cell<number> };
  readonly excluded: readonly FlowExclusion[];
  /** The study's analysis rows: labelled sets of a known patient. */
  readonly labelled: FlowCounts;
  readonly scores: readonly { readonly id: string; readonly excluded: readonly FlowExclusion[]; readonly analysed: FlowCounts }[];
}

/** A category's count and its share of the column's units. */
export interface CategoryCell {
  readonly n: number;
  readonly share: number;
}

/**
 * A continuous variable in one column: how many units have a value, the median and quartiles (type 7) of those values
 * (null when none has one), and the share missing.
 */
export interface ContinuousCell {
  /** The median and quartiles of the values: null when no unit has one; suppressed when from too few patients. */
  readonly quartiles: Cell<Quartiles> | null;
  /** The share of the column's units with no value; suppressed with the count it is made of. */
  readonly missing: Cell<number>;
}

/** A continuous variable's median and quartiles (type 7, as R's default `quantile`). */
export interface Quartiles {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
}

/** One row of Table 1: a continuous variable (`level` null), or one level of a categorical one. */
export interface CharacteristicRow {
  readonly variable: string;
  readonly level: string | null;
  /** One cell per column of `CharacteristicsSection.columns`. */
  readonly cells: readonly Cell<CategoryCell | ContinuousCell>[];
}

/**
 * Table 1 proper: characteristics overall, by outcome and by group. Encounter rows describe the analysed encounters
 * (an encounter is "event" when any of its sets is followed by an event within the horizon); set rows describe the
 * score inputs over the analysed sets (positive and negative sets).
 */
export interface CharacteristicsSection {
  /** "Overall", "Event", "No event", then "<grouping>: <group>" for every group of every grouping. */
  readonly columns: readonly string[];
  /** Units per column: analysed encounters, and analysed sets (the flow's labelled sets, positive, negative, per group). */
  readonly totals: { readonly encounters: readonly Cell<number>[]; readonly sets: readonly Cell<number>[] };
  readonly encounters: readonly CharacteristicRow[];
  readonly sets: readonly CharacteristicRow[];
}

/** Outcomes per event type, and the composite the study predicts. */
export interface OutcomeRow {
  /** An event type, or "composite: a, b, c". */
  readonly outcome: string;
  /** Events of the type in the events table (every event, not only the first of an encounter). */
  readonly events: Cell<number>;
  /** Encounters with such an event. */
  readonly encounters: Cell<number>;
  /** Sets followed by such an event within the horizon, were it the outcome. */
  readonly positiveSets: Cell<number>;
}

/**
 * A model-based score's inputs on its analysed sets: how many had an input imputed by the definition's own rule
 * (`<id>_imputed` not null), and how many were raised to the escalation zone by a single extreme value
 * (`<id>_escalated_by` not null). Counts, through disclosure control.
 */
export interface ModelInputsRow {
  readonly score: string;
  readonly analysed: Cell<number>;
  readonly withImputed: Cell<number>;
  readonly escalated: Cell<number>;
}

/** How missing inputs were handled, and the zero-imputed sensitivity analysis beside the primary one. */
export interface MissingDataSection {
  /** The primary analysis: `'none'` (complete-case, the charts' policy: a set with a missing input has no score) or
   *  `'zero'` (missing inputs scored 0; a labelled sensitivity analysis). */
  readonly policy: 'none' | 'zero';
  /** The policy in words, as the report's methods state it. */
  readonly statement: string;
  /** Per model-based score: analysed sets, those with an imputed input, and those escalated by a single extreme value. */
  readonly models: readonly ModelInputsRow[];
  /** Per score, complete-case and zero-imputed AUROC side by side (option `missing: 'both'`), else null. */
  readonly sideBySide: { readonly completeCase: UnitSection; readonly zeroImputed: UnitSection } | null;
}

/** A score definition as run: its version and a SHA-256 of its canonical JSON. */
export interface DefinitionRecord {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
}

/** Where the report answers one TRIPOD+AI topic. */
export interface TripodItem {
  /** The checklist's topic, e.g. "Data dates". */
  readonly topic: string;
  /** What the report says, or where: a section and field. */
  readonly answer: string;
}

/** The TRIPOD+AI section (Collins et al., BMJ 2024;385:e078378): provenance and a map of the checklist. */
export interface TripodSection {
  readonly ewskitVersion: string;
  /** First and last observation set (UTC dates) and the end of follow-up. */
  readonly dataDates: { readonly firstSet: string | null; readonly lastSet: string | null; readonly followUpEnds: string };
  readonly definitions: readonly DefinitionRecord[];
  readonly items: readonly TripodItem[];
}

/** The report: aggregates only. */
export interface ValidationReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly settings: ReportSettings;
  readonly disclosure: DisclosureSummary;
  readonly cohort: CohortSection;
  readonly scores: readonly ScoreSection[];
  readonly comparisons: readonly ComparisonSection[];
  readonly subgroups: readonly SubgroupSection[];
  /** Discrimination by other units of analysis, when asked for. */
  readonly units: readonly UnitSection[];
  /** The alert measures of each score's rules on the ward. */
  readonly alerts: AlertsSection;
  readonly flow: FlowSection;
  readonly characteristics: CharacteristicsSection;
  readonly outcomes: readonly OutcomeRow[];
  readonly missingData: MissingDataSection;
  readonly tripod: TripodSection;
}
