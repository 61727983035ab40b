/**
 * The validation report, schema `ewskit.report/2` (docs/report.md): typed section by section. It holds aggregates
 * only — no patient or encounter identifier. A *cell* (`Cell<T>`) is a released value or a suppressed placeholder
 * naming the disclosure rule that withheld it. Metric results follow the one result contract: `{ defined: true,
 * estimate, … }` or `{ defined: false, reason, message }`.
 */
import type { Suppressed } from '../study/disclosure.js';

/** The schema id of reports this version writes. */
export const REPORT_SCHEMA = 'ewskit.report/2';

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

/** A patient-clustered bootstrap interval (percentile, type-7 quantiles) with the bootstrap SE. */
export interface BootstrapCell {
  readonly defined: true;
  readonly estimate: number;
  readonly ci: readonly [number, number];
  readonly se: number;
}

/** A point estimate with an interval. */
export interface EstimateCell {
  readonly defined: true;
  readonly estimate: number;
  readonly ci: Ci;
}

/** A proportion with its Wilson interval. */
export type ProportionCell = EstimateCell | UndefinedCell;

/** Units of analysis reported beside every observation set. */
export type UnitName = 'first' | 'highest-24h';

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
  };
  readonly groupBy: readonly string[];
  readonly bootstrap: false | { readonly B: number; readonly seed: number; readonly resampling: string; readonly valueResolution: string };
  readonly level: number;
  /** Cross-fitted recalibration of points scores: folds of whole patients, and the seed of the fold assignment. */
  readonly recalibration: { readonly folds: number; readonly seed: number };
  readonly netBenefitThresholds: readonly number[];
  readonly skinToneBands: readonly SkinToneBand[];
}

export interface DisclosureSummary {
  readonly minCount: number;
  readonly rules: readonly string[];
  readonly suppressedCells: Readonly<Record<string, number>>;
}

/** Table 1: who and what was analysed. */
export interface CohortSection {
  readonly patients: Cell<number>;
  readonly encounters: Cell<number>;
  readonly observationSets: Cell<number>;
  /** Labelled sets with every score present. */
  readonly analysedSets: Cell<number>;
  /** Events of the chosen types. */
  readonly events: Cell<number>;
  /** Sets followed by an event within the horizon. */
  readonly positiveSets: Cell<number>;
  readonly excludedAfterEvent: Cell<number>;
  readonly excludedIncomplete: Cell<number>;
  /** Patient-days of follow-up (when an encounters table is given). */
  readonly followUpDays: number | null;
  /** E.g. "synthetic india-apollo cohort, seed 77, generator 1.0.0". */
  readonly source: string | null;
  /** Share of null values per input column. */
  readonly missingness: Readonly<Record<string, number>>;
}

/** AUROC with DeLong's interval (observation level) and, when asked for, the patient-clustered bootstrap. */
export interface AurocCell {
  readonly defined: true;
  readonly estimate: number;
  readonly se: number | null;
  readonly delongCi: Ci;
  readonly bootstrap: BootstrapCell | UndefinedCell | null;
  readonly warnings: readonly string[];
}

export interface CalibrationBinCell {
  readonly meanPredicted: number;
  readonly observed: ProportionCell;
  readonly n: number;
}

export interface CalibrationCell {
  readonly defined: true;
  /** "model probability" or "cross-fitted logistic recalibration (k patient folds)". */
  readonly method: string;
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

export interface EventRateRow {
  readonly score: number;
  readonly cell: Cell<{ readonly n: number; readonly events: number; readonly rate: ProportionCell }>;
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

export interface NetBenefitCell {
  readonly threshold: number;
  readonly netBenefit: number;
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
  readonly auroc: Cell<AurocCell | UndefinedCell>;
  readonly averagePrecision: Cell<EstimateCell | UndefinedCell>;
  readonly calibration: Cell<CalibrationCell | UndefinedCell>;
  /** Observed event rate at each score value (points scores only; null for model-based scores). */
  readonly eventRateByScore: readonly EventRateRow[] | null;
  readonly thresholds: readonly ThresholdRow[];
  readonly netBenefit: readonly Cell<NetBenefitCell>[];
}

export interface ComparisonCell {
  readonly defined: true;
  /** AUROC(a) − AUROC(b). */
  readonly estimate: number;
  readonly delong: { readonly se: number; readonly ci: Ci; readonly z: number | null; readonly p: number | null };
  readonly bootstrap: BootstrapCell | UndefinedCell | null;
}

export interface ComparisonSection {
  readonly a: string;
  readonly b: string;
  readonly cell: Cell<ComparisonCell | UndefinedCell>;
}

export interface GroupScoreCell {
  readonly auroc: EstimateCell | UndefinedCell;
  /** At the score's first clinical cut-off. */
  readonly sensitivity: { readonly cut: number | null; readonly value: ProportionCell };
  readonly calibrationInTheLarge: EstimateCell | UndefinedCell;
  readonly observedExpected: EstimateCell | UndefinedCell;
  /** Paired patient-clustered bootstrap differences from the reference group; null for the reference itself or without a bootstrap. */
  readonly differenceFromReference: { readonly auroc: BootstrapCell | UndefinedCell | null; readonly sensitivity: BootstrapCell | UndefinedCell | null };
}

export interface GroupRow {
  readonly group: string;
  readonly patients: Cell<number>;
  readonly observationSets: Cell<number>;
  readonly eventPatients: Cell<number>;
  readonly positiveSets: Cell<number>;
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
}
