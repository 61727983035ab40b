/**
 * The options of `validate`, checked once at the boundary, with every policy's documented default in one place.
 */
import type { RecalibrationMethod } from '../metrics/recalibrate.js';
import type { Table } from 'apache-arrow';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { ClusterLevel, MissingAnalysis, SkinToneBand, UnitName } from '../report/types.js';
import { CLUSTER_LEVELS, MISSING_ANALYSES, RECALIBRATION_METHODS, UNIT_NAMES } from '../report/vocabulary.js';
import { keyword } from '../../scores/definition/errors.js';
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import { BOOTSTRAP_METHODS } from '../bootstrap/replicate-weights.js';
import { checkOptions, levelOf } from '../stats/result.js';
import { Disclosure } from '../disclosure/disclosure.js';
import type { DisclosurePolicyName } from '../disclosure/disclosure.js';
import type { LabelOptions } from '../outcomes/label-outcomes.js';

/** What a cohort manifest may say about where the data came from. */
export interface CohortSource {
  readonly profile?: { readonly name?: string };
  readonly seed?: number;
  readonly generatorVersion?: string;
  readonly encounters?: number;
}

/** The cohort's Arrow tables: observations and events are required; patients and encounters add Table 1 detail. */
export interface CohortTables {
  readonly observations: Table;
  readonly events: Table;
  readonly patients?: Table;
  readonly encounters?: Table;
  readonly manifest?: CohortSource | null;
  /**
   * What reading each file of an extract did (records read, kept, rejected; rejections counted by the kind of reason,
   * values taken out): the report carries these counts, through disclosure control. Absent for a synthetic cohort.
   */
  readonly reading?: Readonly<Record<string, ReadingCounts>>;
}

/** Counts of one file's reading (the shape `readExtract` reports): no value, no place — counts only. */
export interface ReadingCounts {
  readonly read: number;
  readonly kept: number;
  readonly rejected: number;
  /** Rejections per kind of reason (numbers and quoted values replaced, so no value of a record appears). */
  readonly byReason: Readonly<Record<string, number>>;
}

export interface ValidateOptions {
  cohort: CohortTables;
  scores: readonly ScoreDefinition[];
  /** Horizon (default 24 h) and event types (default: all). */
  outcome?: LabelOptions;
  /**
   * Columns to compare groups by: any observation, patient or encounter column, `skin_tone_band` (see
   * `skinToneBands`), or `nhs_ethnic_group` / `nhs_ethnic_group_2021` (NHS ethnic category codes A–Z in a column
   * `ethnic_category`, grouped by the 2001 or the 2021 census; Z, not stated, is no group), or `condition` (ICD-10
   * primary diagnoses in a column `primary_diagnosis`: COPD, Sepsis, Heart failure, Other; see `conditionGroup`).
   * An array of columns (`['ethnicity', 'sex']`) or a comma-joined name (`'ethnicity,sex'`) makes intersectional
   * groups (`'Asian × F'`).
   */
  groupBy?: readonly (string | readonly string[])[];
  /** The reference group per grouping column (default: the group with the most patients). */
  reference?: Readonly<Record<string, string>>;
  /**
   * Patient-clustered bootstrap: `{ B, seed, method }` (default B = 1000, seed 1, method `'poisson'`), or `false`
   * for none. Without a B given, B is raised when the subgroup contrasts need more replicates to reach the level after
   * Holm's adjustment (`settings.multiplicity.minimumB`); a B given is kept, with a warning when it is too few.
   * `method`: `'poisson'` weights each patient Poisson(1) from a hash of (patient id, replicate, seed) — the same
   * replicates in any order, partition or SQL engine; it covered as well as `'multinomial'` (patients drawn with
   * replacement, the classic scheme) in the coverage simulation (bench/results/coverage-poisson.json), so it is the default.
   */
  bootstrap?: { B?: number; seed?: number; method?: BootstrapMethod } | false;
  /**
   * Disclosure control: `{ policy, minCount }` — `'ewskit'` (default: no count 1–9, statistics from ≥ 10 patients and
   * events, secondary suppression so no suppressed count can be recovered by subtraction; `minCount` sets the 10),
   * `'opensafely'` (redact counts ≤ 7, round to the nearest 5), `'midpoint6'` (round to the midpoint of bands of 6),
   * or `'none'` (only by name, for work that stays inside the TRE: every output says it is not for release). `false`
   * is `{ policy: 'none' }`.
   */
  disclosure?: { policy?: DisclosurePolicyName; minCount?: number } | false;
  /** Confidence level (default 0.95). */
  level?: number;
  /** What the intervals resample together: `'patient'` (default; every set of a patient) or `'encounter'`. */
  cluster?: ClusterLevel;
  /** Units of analysis reported beside every observation set: `'first'` (first set per encounter),
   *  `'highest-24h'` (each score's highest set per encounter per 24 h from the encounter's first set) and `'common'`
   *  (the sensitivity analysis on the sets every score can score). */
  units?: readonly UnitName[];
  /** Folds of whole patients for the cross-fitted recalibration of points scores (default 5). */
  recalibrationFolds?: number;
  /** How a points score is mapped to probabilities (model updating): `'logistic'` (default) or `'isotonic'` (per value, monotone). */
  recalibration?: RecalibrationMethod;
  /** Threshold probabilities of the net-benefit table (default 0.01, 0.02, 0.05, 0.1, 0.2). */
  netBenefitThresholds?: readonly number[];
  /** Bands of the Monk skin-tone scale for `groupBy: ['skin_tone_band']` (default Monk 1–3, 4–7, 8–10). */
  skinToneBands?: readonly SkinToneBand[];
  /** Pooling of sparse score values for the observed risk per score value: from the top down, each range grows until
   *  it holds `minEvents` events and `minNonEvents` non-events (default 10 and 10, so it can be released). */
  pooling?: { minEvents?: number; minNonEvents?: number };
  /**
   * Missing inputs: `'none'` (default; the charts' policy — a set with a missing input has no score and each score is
   * analysed on the sets it can score: complete-case), `'zero'` (missing inputs score 0: a labelled sensitivity
   * analysis, never the charts' policy), or `'both'` (complete-case as the primary analysis, with the zero-imputed
   * results side by side in `missingData.sideBySide`).
   */
  missing?: MissingAnalysis;
  /** Join integrity: how many event rows may match no encounter of the observations before `validate` stops (default 0). */
  maxUnmatchedEvents?: number;
  /**
   * The alert measures (section `alerts`): `risingBy` adds, for each points score, the rule "rising by ≥ risingBy
   * from the previous set of the encounter" (ΔNEWS2; default none); `toleranceMinutes` is how late a next set may be
   * beyond its NEWS2 band's interval and still count as on time (default 30).
   */
  alerts?: { risingBy?: number; toleranceMinutes?: number };
  /** Called with a short description before each long step. */
  onProgress?: (step: string) => void;
}

/** The default skin-tone bands: Monk 1–3, 4–7, 8–10. */
export const DEFAULT_SKIN_TONE_BANDS: readonly SkinToneBand[] = [
  { label: 'Monk 1–3', min: 1, max: 3 },
  { label: 'Monk 4–7', min: 4, max: 7 },
  { label: 'Monk 8–10', min: 8, max: 10 },
];

/** The default net-benefit thresholds of the report. */
export const REPORT_NET_BENEFIT_THRESHOLDS: readonly number[] = [0.01, 0.02, 0.05, 0.1, 0.2];

/** Every option resolved to its value. */
export interface Settings {
  readonly cohort: CohortTables;
  readonly scores: readonly ScoreDefinition[];
  readonly outcome: LabelOptions;
  readonly horizonHours: number;
  readonly groupBy: readonly string[];
  readonly reference: Readonly<Record<string, string>>;
  /** `given`: B was given (not the default), so it is never raised for the subgroup family. */
  readonly bootstrap: { readonly B: number; readonly seed: number; readonly given: boolean; readonly method: BootstrapMethod } | null;
  readonly disclosure: Disclosure;
  readonly level: number;
  readonly cluster: ClusterLevel;
  readonly units: readonly UnitName[];
  readonly recalibrationFolds: number;
  readonly recalibrationMethod: RecalibrationMethod;
  readonly recalibrationSeed: number;
  readonly netBenefitThresholds: readonly number[];
  readonly skinToneBands: readonly SkinToneBand[];
  readonly pooling: { readonly minEvents: number; readonly minNonEvents: number };
  /** What a reader must know about the settings. */
  readonly warnings: readonly string[];
  readonly maxUnmatchedEvents: number;
  readonly alerts: { readonly risingBy: number | null; readonly toleranceMinutes: number };
  /** The missing-input policy of the primary analysis, and whether the other is shown beside it. */
  readonly missing: 'none' | 'zero';
  readonly missingSideBySide: boolean;
  readonly progress: (step: string) => void;
}

const FN = 'validate';

function wholeNumber(name: string, value: unknown, min: number): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min)) {
    throw new RangeError(`${FN}: option "${name}" expected a whole number ≥ ${min}; received ${String(value)}.`);
  }
  return value;
}

function checkBands(bands: readonly SkinToneBand[]): readonly SkinToneBand[] {
  if (!Array.isArray(bands) || bands.length === 0) throw new TypeError(`${FN}: option "skinToneBands" expected a non-empty array of { label, min, max }.`);
  bands.forEach((b, i) => {
    if (typeof b?.label !== 'string' || !(Number.isFinite(b.min) && Number.isFinite(b.max) && b.min <= b.max)) {
      throw new RangeError(`${FN}: option "skinToneBands[${i}]" expected { label: string, min ≤ max }; received ${JSON.stringify(b)}.`);
    }
  });
  return bands;
}

/** The default pooling of sparse score values for their observed risk: at least 10 events and 10 non-events per range. */
export const DEFAULT_POOLING = { minEvents: 10, minNonEvents: 10 } as const;

/**
 * Check the options of `validate` and fill in every default.
 *
 * @throws {TypeError} for a missing cohort or scores; {RangeError} for a bad value, naming `validate` and the option
 */
export function resolveSettings(options: ValidateOptions): Settings {
  const o = checkOptions(FN, options) as Partial<ValidateOptions>;
  const { cohort, scores } = o;
  if (cohort === undefined || cohort === null || cohort.observations === undefined || cohort.events === undefined) {
    throw new TypeError(`${FN}: option "cohort" expected { observations, events[, patients, encounters] } Arrow tables.`);
  }
  if (!Array.isArray(scores) || scores.length === 0) throw new TypeError(`${FN}: option "scores" expected at least one score definition.`);
  const ids = scores.map((s: ScoreDefinition) => s.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new RangeError(`${FN}: option "scores" names "${twice}" twice; expected each score once.`);
  const boot =
    o.bootstrap === false
      ? null
      : {
          B: wholeNumber('bootstrap.B', o.bootstrap?.B ?? 1000, 1),
          seed: wholeNumber('bootstrap.seed', o.bootstrap?.seed ?? 1, 0),
          given: o.bootstrap?.B !== undefined,
          method: keyword(FN, 'bootstrap.method', BOOTSTRAP_METHODS, o.bootstrap === undefined ? undefined : o.bootstrap.method, 'poisson'),
        };
  const minCount = o.disclosure === false ? 0 : wholeNumber('disclosure.minCount', o.disclosure?.minCount ?? 10, 0);
  const policy = o.disclosure === false ? 'none' : o.disclosure?.policy;
  const thresholds = o.netBenefitThresholds ?? REPORT_NET_BENEFIT_THRESHOLDS;
  thresholds.forEach((t, i) => {
    if (!(typeof t === 'number' && t > 0 && t < 1))
      throw new RangeError(`${FN}: option "netBenefitThresholds[${i}]" expected a probability in (0, 1); received ${String(t)}.`);
  });
  const missing = keyword(FN, 'missing', MISSING_ANALYSES, o.missing, 'none');
  const units = o.units ?? [];
  units.forEach((u, i) => keyword(FN, `units[${i}]`, UNIT_NAMES, u, 'first'));
  return {
    cohort,
    scores,
    outcome: o.outcome ?? {},
    horizonHours: o.outcome?.horizonHours ?? 24,
    groupBy: (o.groupBy ?? []).map((g) => (typeof g === 'string' ? g : g.join(','))),
    reference: o.reference ?? {},
    bootstrap: boot,
    disclosure: new Disclosure({ minCount, caller: FN, ...(policy === undefined ? {} : { policy }) }),
    level: levelOf(FN, o),
    cluster: keyword(FN, 'cluster', CLUSTER_LEVELS, o.cluster, 'patient'),
    units,
    recalibrationFolds: wholeNumber('recalibrationFolds', o.recalibrationFolds ?? 5, 2),
    recalibrationMethod: keyword(FN, 'recalibration', RECALIBRATION_METHODS, o.recalibration, 'logistic'),
    recalibrationSeed: boot?.seed ?? 1,
    netBenefitThresholds: thresholds,
    skinToneBands: checkBands(o.skinToneBands ?? DEFAULT_SKIN_TONE_BANDS),
    pooling: {
      minEvents: wholeNumber('pooling.minEvents', o.pooling?.minEvents ?? DEFAULT_POOLING.minEvents, 1),
      minNonEvents: wholeNumber('pooling.minNonEvents', o.pooling?.minNonEvents ?? DEFAULT_POOLING.minNonEvents, 1),
    },
    warnings: [
      ...(boot !== null && boot.B < 200
        ? [`bootstrap with B = ${boot.B} replicates: percentile intervals are unstable below 200 (use 1000 or more for publication)`]
        : boot === null
          ? ['no bootstrap: only AUROC has a clustered interval (Obuchowski); the other intervals are naive (they assume independent observation sets)']
          : []),
      ...(missing === 'zero'
        ? [
            "missing inputs were scored 0 (option missing: 'zero'): a sensitivity analysis, not the charts' policy; a set with a missing input has no score on the chart",
          ]
        : []),
    ],
    maxUnmatchedEvents: wholeNumber('maxUnmatchedEvents', o.maxUnmatchedEvents ?? 0, 0),
    alerts: {
      risingBy: o.alerts?.risingBy === undefined ? null : wholeNumber('alerts.risingBy', o.alerts.risingBy, 1),
      toleranceMinutes: wholeNumber('alerts.toleranceMinutes', o.alerts?.toleranceMinutes ?? 30, 0),
    },
    missing: missing === 'zero' ? 'zero' : 'none',
    missingSideBySide: missing === 'both',
    progress: o.onProgress ?? (() => undefined),
  };
}
