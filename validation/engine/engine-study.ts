/**
 * The study from count tables: the same report whichever engine counted — `js` in this process, `duckdb` or
 * `postgres` where the data lives. An engine returns `score_counts`, `characteristics` and the flow's counts (`EngineCounts`); this file
 * turns them into the engine report (`ewskit.engine-report/2`) through disclosure control: the flow (sets by why they
 * have no label), the analysis set, and for every score its sets, events, AUROC and, at each clinical cut-off,
 * sensitivity, specificity, PPV, NPV, alert rate and net benefit with Poisson-bootstrap intervals clustered by patient
 * — the statistics `validate` computes, on the same replicate counts (so the same numbers: see the tests).
 *
 * — and calibration: a points score's observed risk per pooled range of values, a model's O/E, calibration-in-the-large
 * and slope from its probability buckets and their Σp.
 *
 * And every pair of scores compared on the sets both can score (AUROC difference, each at its first cut-off), paired.
 *
 * And Table 1, from the `characteristics` count table, through the same release rules as `validate`'s.
 *
 * And, when the engine counted them (engine `js`, and site summaries), the alert measures (`validate`'s section from the
 * alert count table) and other units of analysis (Obuchowski's interval from the within-patient pairs).
 *
 * What it does not yet hold (the rest of the count-table plan in docs/design.md): the Brier scores of points scores. Those stay with `validate` (engine `js`). The red-score rule is read
 * from each score's 0/1 red-flag pseudo-score in the count table (`redScoreId`).
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { MissingPolicy } from '../../scores/definition/observation.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { Released } from '../disclosure/disclosure.js';
import { Disclosure } from '../disclosure/disclosure.js';
import type { DisclosureSummary } from '../disclosure/audit-types.js';
import type { DisclosurePolicyName } from '../disclosure/policy.js';
import type { OneStageEstimate } from '../meta/one-stage.js';
import { pooledMeasures } from '../meta/one-stage.js';
import type { CountGrid } from '../study/count-grids.js';
import { collapseGrids, denseFromGrids, gridMeans, gridTable } from '../study/count-grids.js';
import type { MatchedAlertRate, PairedMetric, PooledEstimate, ReplicatedCounts } from '../meta/pooled-measures.js';
import { comparedScore, pairedComparison, pooledObservedRisk } from '../meta/pooled-measures.js';
import { aucStatistic, calibrationStatistic, proportionStatistic } from '../bootstrap/count-statistics.js';
import type { DenseCounts } from '../bootstrap/group-bootstrap.js';
import { pairedDifference, percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { ContrastCell, UndefinedCell } from '../report/types.js';
import { contrastCell, holm } from '../study/cells.js';
import type { PendingContrast } from '../study/subgroups.js';
import { LABEL_EXCLUSIONS } from '../outcomes/label-outcomes.js';
import type { LabelOptions } from '../outcomes/label-outcomes.js';
import { levelOf } from '../stats/result.js';
import type { ScoreCountTable } from '../study/count-tables.js';
import { addScoreCounts, redScoreId, scorePairs, setScoreCounts } from '../study/count-tables.js';
import type { CohortTables } from '../study/options.js';
import { REPORT_NET_BENEFIT_THRESHOLDS, resolveSettings } from '../study/options.js';
import { analysisSet } from '../study/analysis-set.js';
import type { EngineFlow } from '../study/flow-counts.js';
import { addFlowCounts, flowCounts } from '../study/flow-counts.js';
import type { CharacteristicCountTable } from '../study/characteristic-counts.js';
import { addCharacteristicCounts, characteristicCounts } from '../study/characteristic-counts.js';
import type { PairCountTable } from '../study/pair-counts.js';
import { addPairCounts, pairCounts } from '../study/pair-counts.js';
import { compareAurocFromJointCounts } from '../metrics/compare-auroc.js';
import { characteristicsFromCounts } from '../study/characteristics.js';
import type { CharacteristicsSection } from '../report/types.js';
import { simultaneousIntervals } from '../study/subgroups.js';
import type { Engine } from './study-sql.js';
import type { AlertCountTable } from '../study/alerts.js';
import { addAlertCounts, alertCounts, alertsSection } from '../study/alerts.js';
import type { AlertsSection, UnitName, UnitSection } from '../report/types.js';
import type { UnitCountTable } from '../study/units.js';
import { addUnitCounts, unitCounts, unitSections } from '../study/units.js';
import { planRules } from '../study/intervals.js';

/** The schema id of the engine report. */
export const ENGINE_REPORT_SCHEMA = 'ewskit.engine-report/2';

/** The flow's counts, as an engine returns them (`validation/study/flow-counts.ts`). */
export type { EngineFlow } from '../study/flow-counts.js';

/** What an engine computes: `score_counts`, the flow's counts and Table 1's `characteristics`. */
export interface EngineCounts {
  readonly engine: Engine;
  readonly scoreCounts: ScoreCountTable;
  /** Scores whose values in the table are probability buckets. */
  readonly probabilistic: readonly string[];
  readonly flow: EngineFlow;
  /** Table 1's count table (`characteristics`): the encounters' characteristics and the sets' score inputs. */
  readonly characteristics: CharacteristicCountTable;
  /** Each pair of scores' joint counts (`pair_counts`), for the paired DeLong test; absent where not counted. */
  readonly pairCounts?: PairCountTable;
  /** Each further grouping's `score_counts` and flow (the first is `scoreCounts`' own grouping), when counted. */
  readonly moreGroupings?: readonly GroupingCounts[];
  /**
   * The alert measures' count table (`alertCounts`: per score and rule, each replicate's sums and lead times; NEWS2's
   * monitoring compliance), when counted — by the engine `js` and in site summaries, not yet by DuckDB or PostgreSQL.
   */
  readonly alertCounts?: AlertCountTable;
  /**
   * The units' count table (`unitCounts`: per unit of analysis and score, its values with their outcomes and the
   * within-patient pairs Obuchowski's variance reads), when units were asked for — by the engine `js` and in site
   * summaries, not yet by DuckDB or PostgreSQL.
   */
  readonly unitCounts?: UnitCountTable;
}

/** One grouping's counts: `score_counts` per group (its definition names the grouping) and the flow per group. */
export interface GroupingCounts {
  readonly scoreCounts: ScoreCountTable;
  readonly flow: EngineFlow;
}

/** The options of an engine study (a subset of `validate`'s). */
export interface EngineStudyOptions {
  readonly scores: readonly ScoreDefinition[];
  readonly outcome?: LabelOptions;
  /** The research option for banded scores, as in `validate` (default: the chart's). */
  readonly missing?: MissingPolicy;
  /**
   * One grouping, as one of `validate`'s `groupBy`: a column of the observations, the patients or the encounters, a
   * derived grouping (`skin_tone_band`, `nhs_ethnic_group`, `nhs_ethnic_group_2021`, `condition`) or an intersection
   * of columns ("ethnicity,sex"). Each group's measures
   * are reported beside the overall ones. Several groupings (an array) are counted one table each (the engine
   * `js`; the SQL engines count one): the first in `groups`, the others in `moreGroups`, one Holm family over all.
   */
  readonly groupBy?: string | readonly string[];
  /**
   * The reference group (default: the group with the most patients), as `validate`'s `reference`: a group of the
   * first grouping, or per grouping by name.
   */
  readonly reference?: string | Readonly<Record<string, string>>;
  /** Poisson replicates (default 1000; 0 for none). */
  readonly B?: number;
  /** The bootstrap's seed (default 1). */
  readonly seed?: number;
  /** Confidence level (default 0.95). */
  readonly level?: number;
  /** Threshold probabilities for net benefit (default the report's). */
  readonly netBenefitThresholds?: readonly number[];
  /** The alert measures' options, as `validate`'s `alerts` (the engine `js` counts them): the rising rule, the tolerance. */
  readonly alerts?: { readonly risingBy?: number; readonly toleranceMinutes?: number };
  /** Other units of analysis, as `validate`'s `units` (the engine `js` counts them): `first`, `highest-24h`, `common`. */
  readonly units?: readonly UnitName[];
  readonly disclosure?: { readonly policy?: DisclosurePolicyName; readonly minCount?: number };
}

export type EngineEstimate = Released<OneStageEstimate>;

/** One score's results in the engine report. */
export interface EngineScore {
  readonly score: string;
  /** True for a points score (exact); false for a model (AUROC from 1/10,000 probability buckets). */
  readonly exact: boolean;
  readonly sets: Released<number>;
  readonly positive: Released<number>;
  readonly patients: Released<number>;
  readonly auroc: EngineEstimate | null;
  readonly thresholds: readonly {
    readonly rule: string;
    readonly cut: number;
    readonly sensitivity: EngineEstimate | null;
    readonly specificity: EngineEstimate | null;
    readonly ppv: EngineEstimate | null;
    readonly npv: EngineEstimate | null;
    readonly alertRate: EngineEstimate | null;
    readonly netBenefit: readonly { readonly threshold: number; readonly value: EngineEstimate | null }[];
  }[];
  /**
   * A model's calibration on its analysable sets, each with its Poisson-bootstrap percentile interval: observed /
   * expected events (Σy / Σp, exact from the cells' Σp), calibration-in-the-large (the intercept of a logistic fit
   * with logit p as offset) and the calibration slope, fitted on the probability buckets — each bucket at its sets'
   * mean probability (Σp / sets), which is within 1/resolution of every probability in it. Null for a points score: it
   * has no probability of its own (`validate` recalibrates it by cross-fitting, which is not a count table).
   */
  readonly calibration: {
    readonly observedExpected: EngineEstimate | null;
    readonly calibrationInTheLarge: EngineEstimate | null;
    readonly slope: EngineEstimate | null;
  } | null;
  /**
   * A points score's calibration as `validate` reports it: the observed risk in each pooled range of its values (from
   * the top down, each range holds at least 10 events and 10 non-events), with its sets and events and the risk's
   * percentile interval over the replicates. Empty for a model.
   */
  readonly observedRisk: readonly { readonly scores: readonly [number, number]; readonly cell: Released<EngineObservedRisk> }[];
}

/** One pooled range's observed risk. */
export interface EngineObservedRisk {
  readonly sets: number;
  readonly events: number;
  readonly risk: OneStageEstimate | null;
}

/** One group's results for one score: its sets, events and patients; AUROC; sensitivity and specificity at the first cut-off. */
export interface EngineGroupScore {
  readonly score: string;
  readonly sets: Released<number>;
  readonly positive: Released<number>;
  readonly patients: Released<number>;
  readonly auroc: EngineEstimate | null;
  /** The score's first clinical cut-off (as `validate`'s subgroup table), or null when it has none. */
  readonly rule: string | null;
  readonly sensitivity: EngineEstimate | null;
  readonly specificity: EngineEstimate | null;
  /**
   * The group's calibration-in-the-large and slope, as `validate`'s subgroup table: against the model's probability
   * (its buckets at their mean probability), or for a points score against the mapping of score to risk fitted on every
   * other group (leave-group-out) — so a group whose events the score under- or over-calls shows it.
   */
  readonly calibrationInTheLarge: EngineEstimate | null;
  readonly slope: EngineEstimate | null;
  /**
   * Paired patient-clustered differences from the reference group (the same replicates), each with its percentile
   * interval, bootstrap p, Holm-adjusted p and max-T simultaneous interval over the report's family of released
   * contrasts (AUROC, sensitivity, calibration-in-the-large and slope of every group and score, as `validate`'s);
   * null for the reference itself, without a bootstrap, or when either group's statistic is undefined.
   */
  readonly differenceFromReference: {
    readonly auroc: Released<ContrastCell | UndefinedCell> | null;
    readonly sensitivity: Released<ContrastCell | UndefinedCell> | null;
    readonly calibrationInTheLarge: Released<ContrastCell | UndefinedCell> | null;
    readonly slope: Released<ContrastCell | UndefinedCell> | null;
  };
}

/** An estimate and its paired interval. */
export type EnginePairedEstimate = PooledEstimate;

/** One metric of two rules on the same sets: a's, b's and b − a, paired. */
export type EnginePairedMetric = PairedMetric;

/**
 * Two scores compared on the sets both can score, with the same replicates for both (paired, clustered by patient) —
 * as `validate`'s comparisons: the AUROC difference with its bootstrap interval and p, the paired DeLong test beside
 * it (from the pair's joint counts), each at its first cut-off, and at equal workload.
 */
export interface EngineComparison {
  readonly a: string;
  readonly b: string;
  /** The sets both scores can score. */
  readonly sets: Released<number>;
  /** AUROC(a) − AUROC(b) on those sets, its percentile interval and bootstrap p (null p without replicates). */
  readonly auroc: Released<EnginePairedEstimate & { readonly p: number | null }> | null;
  /** Each score at its own first clinical cut-off on those sets, and b − a; null when either has no cut-off. */
  readonly rules: Released<{
    readonly ruleA: string;
    readonly ruleB: string;
    readonly sensitivity: EnginePairedMetric;
    readonly specificity: EnginePairedMetric;
    readonly alertRate: EnginePairedMetric;
  }> | null;
  /**
   * At equal workload, as `validate`'s matched-alert-rate comparison: b at the cut-off where it alerts on no more of
   * the common sets than a at its first clinical cut-off, each one's sensitivity and b − a, paired; null when a has
   * no cut-off or the common sets have one class.
   */
  readonly matchedAlertRate: Released<Omit<MatchedAlertRate, 'truePositives'>> | null;
  /**
   * The paired DeLong test of the AUROC difference (as `validate`'s `naive` beside its bootstrap): its standard error,
   * normal interval, z and p, from the pair's joint counts (`pair_counts`) — it treats the sets as independent, so it
   * is narrower than the clustered bootstrap interval above. Null without joint counts, or when undefined (fewer than
   * two events or non-events).
   */
  readonly delong: Released<{ readonly se: number; readonly ci: readonly [number, number]; readonly z: number | null; readonly p: number | null }> | null;
}

/** The engine report: flow and discrimination from count tables, through disclosure control. */
export interface EngineReport {
  readonly schema: typeof ENGINE_REPORT_SCHEMA;
  readonly engine: Engine;
  readonly settings: {
    readonly scores: readonly string[];
    readonly horizonHours: number;
    readonly eventTypes: readonly string[] | null;
    readonly followUp: string;
    readonly censored: string;
    readonly followUpEndsAtDischarge: boolean;
    readonly extractEnd: string | null;
    readonly extractEndInferred: boolean;
    readonly bootstrap: { readonly method: 'poisson'; readonly B: number; readonly seed: number; readonly cluster: 'patient' };
    readonly level: number;
    readonly netBenefitThresholds: readonly number[];
  };
  /** Observation sets by why they have no label (`labelled` first), each with its positive sets. */
  readonly flow: {
    readonly observationSets: Released<number>;
    readonly steps: readonly { readonly step: string; readonly sets: Released<number> }[];
    readonly positive: Released<number>;
    readonly negative: Released<number>;
    readonly censored: Released<number>;
    readonly withoutPatient: Released<number>;
    readonly analysisSets: Released<number>;
    readonly patients: Released<number>;
    readonly eventPatients: Released<number>;
  };
  /**
   * Table 1, from the `characteristics` count table: the analysed encounters' characteristics (each at its first
   * analysed set) and the score inputs over the analysed sets — overall, by outcome and per group — as `validate`'s
   * (the same count table, the same release rules).
   */
  readonly characteristics: CharacteristicsSection;
  readonly scores: readonly EngineScore[];
  /** Every pair of scores (a before b), compared on the sets both can score. */
  readonly comparisons: readonly EngineComparison[];
  /**
   * With a grouping: per group (in order; "(none)" for sets with no value), each score's measures with intervals from
   * the same replicates, and their paired differences from the reference group (see `EngineGroupScore`).
   */
  readonly groups: EngineGroups | null;
  /** Each further grouping's section, as `groups` (its contrasts in the same Holm family); [] with one grouping or none. */
  readonly moreGroups: readonly EngineGroups[];
  /**
   * What each score's alerting rules do on the ward (alert burden, repeat alerts, first-alert PPV, episode sensitivity,
   * lead time; NEWS2's monitoring compliance) — `validate`'s section, from the alert measures' count table; null when
   * the engine did not count it (DuckDB and PostgreSQL, not yet).
   */
  readonly alerts: AlertsSection | null;
  /**
   * Other units of analysis (first set per encounter, highest per 24 h, sets every score can score): each score's
   * sets, positive sets and AUROC with Obuchowski's patient-clustered interval — `validate`'s section, from the units'
   * count table; [] when none was counted.
   */
  readonly units: readonly UnitSection[];
  /** What the report does not hold yet (computed by `validate` with engine js only). */
  readonly notYet: readonly string[];
  readonly disclosure: DisclosureSummary;
}

/** One grouping's section of the engine report. */
export interface EngineGroups {
  readonly by: string;
  /** The reference group: the one given, else the group with the most patients ("(none)", sets with no value, never is). */
  readonly reference: string;
  /**
   * Released contrasts in the Holm family — of every grouping of the report together, as `validate` counts them (the
   * multiplicity the adjusted p-values and simultaneous intervals account for).
   */
  readonly contrasts: number;
  readonly levels: readonly { readonly group: string; readonly scores: readonly EngineGroupScore[] }[];
}

/** The engine report's line for alert measures no engine counted. */
export const NOT_COUNTED_ALERTS = 'the alert measures (counted by the engine js and shared in site summaries; not yet in DuckDB or PostgreSQL)';
const NOT_YET = [
  'the Brier scores of points scores (validate recalibrates them by cross-fitting, which is not a count table)',
  'models’ recalibration, decision curves beyond the cut-offs',
];

/**
 * The study's count tables computed in this process (engine `js`): the cohort scored and labelled as `validate` does,
 * `score_counts` with B Poisson replicates by patient, and the flow. Runs in O(n · scores + B · patient cells).
 */
export function jsEngineCounts(options: { cohort: CohortTables } & EngineStudyOptions): EngineCounts {
  const B = options.B ?? 1000;
  const seed = options.seed ?? 1;
  const settings = resolveSettings({
    cohort: options.cohort,
    scores: options.scores,
    ...(options.outcome === undefined ? {} : { outcome: options.outcome }),
    ...(options.missing === undefined ? {} : { missing: options.missing }),
    groupBy: [],
    bootstrap: false,
    disclosure: false,
    ...(options.alerts === undefined ? {} : { alerts: options.alerts }),
    ...(options.units === undefined ? {} : { units: [...options.units] }),
  });
  const set = analysisSet(settings);
  const scores = settings.scores;
  const bys = groupingsOf(options.groupBy);
  const flowOptions = {
    censoredNegative: (options.outcome?.censored ?? 'exclude') === 'negative',
    followUpEndsAtDischarge: options.cohort.encounters !== undefined || options.outcome?.encounters !== undefined,
  };
  // One score_counts table and flow per grouping (none: one table, one group "").
  const grouping = (by: string | undefined): GroupingCounts => {
    const { table, group } = setScoreCounts(set, settings, { ...(by === undefined ? {} : { groupBy: by }), B, seed, derived: true }, 'jsEngineCounts');
    return { scoreCounts: table, flow: flowCounts(set, scores, by === undefined ? null : group, flowOptions) };
  };
  const [first, ...more] = bys.length === 0 ? [grouping(undefined)] : bys.map(grouping);
  return {
    engine: 'js',
    scoreCounts: (first as GroupingCounts).scoreCounts,
    probabilistic: scores.filter((d) => kindOf(d).probabilistic).map((d) => d.id),
    flow: (first as GroupingCounts).flow,
    characteristics: characteristicCounts({ ...settings, groupBy: bys }, set),
    pairCounts: pairCounts(scores, set.values, set.labels),
    ...(more.length === 0 ? {} : { moreGroupings: more }),
    // The alert measures, with validate's rules and its bootstrap streams (the Poisson replicates, hashed by patient).
    alertCounts: alertCounts(settings, set, planRules(scores, set), { B, seed, method: 'poisson' }),
    ...(settings.units.length === 0 ? {} : { unitCounts: unitCounts(settings.units, scores, set) }),
  };
}

/** The groupings an engine study's `groupBy` names, in order. */
export function groupingsOf(groupBy: string | readonly string[] | undefined): string[] {
  return groupBy === undefined ? [] : typeof groupBy === 'string' ? [groupBy] : [...groupBy];
}

/**
 * The counts of two disjoint sets of patients added: the counts of all of them — two partitions of a database, or two
 * sites that share counts but not rows. `score_counts` adds cell by cell (`addScoreCounts`: the Poisson weights are a
 * function of the patient's key, so a replicate of the whole is the sum of the parts' replicates); the flow's counts
 * add, patients included, because no patient is in both. Give each part the same extract end (`outcome.extractEnd`):
 * a part's inferred end is its own latest time, and censoring depends on it.
 *
 * The engine named is the first part's.
 *
 * @throws {TypeError} naming the field where the two differ (the table's definition, the extract's end, the follow-up)
 */
export function addEngineCounts(a: EngineCounts, b: EngineCounts): EngineCounts {
  const fn = 'addEngineCounts';
  if (a.flow.extractEnd !== b.flow.extractEnd)
    throw new TypeError(
      `${fn}: the parts end at different times (${String(a.flow.extractEnd)} and ${String(b.flow.extractEnd)}); count each with the same outcome.extractEnd.`,
    );
  if (a.flow.followUpEndsAtDischarge !== b.flow.followUpEndsAtDischarge)
    throw new TypeError(`${fn}: one part has an encounters table and the other has not (followUpEndsAtDischarge differs).`);
  return sumEngineCounts(a, b);
}

/**
 * Two counts of disjoint sets of patients added, table by table, without `addEngineCounts`' checks that they share an
 * extract end and follow-up (sites each label against their own end). The engine named is the first part's.
 *
 * @throws {TypeError} naming the field where two tables' definitions differ
 */
export function sumEngineCounts(a: EngineCounts, b: EngineCounts): EngineCounts {
  return {
    engine: a.engine,
    scoreCounts: addScoreCounts(a.scoreCounts, b.scoreCounts),
    probabilistic: a.probabilistic,
    flow: addFlowCounts(a.flow, b.flow, a.scoreCounts.definition.scores),
    characteristics: addCharacteristicCounts(a.characteristics, b.characteristics),
    ...(a.pairCounts === undefined || b.pairCounts === undefined ? {} : { pairCounts: addPairCounts(a.pairCounts, b.pairCounts) }),
    ...(a.alertCounts === undefined || b.alertCounts === undefined ? {} : { alertCounts: addAlertCounts(a.alertCounts, b.alertCounts) }),
    ...(a.unitCounts === undefined || b.unitCounts === undefined ? {} : { unitCounts: addUnitCounts(a.unitCounts, b.unitCounts) }),
  };
}

/**
 * A points score's observed risk per pooled range of values, through the ledger as `validate` releases it: each
 * range's sets and events are inner cells that add up to the score's, and the risk is released with its counts.
 */
function observedRisk(
  sdc: Disclosure,
  def: ScoreDefinition,
  counts: ReplicatedCounts,
  sets: Released<number>,
  events: Released<number>,
  level: number,
  B: number,
): EngineScore['observedRisk'] {
  const table = `observed risk: ${def.name}`;
  sdc.declareTable({ name: table, dimensions: ['score range'], margins: 'the ranges add up to the score’s analysable sets and events' });
  sdc.link(table, 'scores', 'the ranges’ sets and events add up to the score’s analysable sets and events');
  const rows = pooledObservedRisk(counts, level, B);
  const cells = rows.map((r) => ({ sets: sdc.inner(r.sets, { table }), events: sdc.inner(r.events, { table }) }));
  if (rows.length > 0) {
    sdc.relation(
      sets,
      cells.map((c) => c.sets),
    );
    sdc.relation(
      events,
      cells.map((c) => c.events),
    );
  }
  return rows.map((r, i) => {
    const c = cells[i] as { sets: number; events: number };
    const value: EngineObservedRisk = { sets: c.sets, events: c.events, risk: r.risk };
    return { scores: r.range, cell: sdc.release(value, { counts: [r.events, r.sets - r.events] }, { table, dependsOn: [c.sets, c.events] }) };
  });
}

/** One group's calibration statistic on the data and in every replicate. */
interface GroupCalibration {
  readonly estimate: number;
  readonly replicates: Float64Array;
}

/**
 * Calibration-in-the-large and slope of a score in each group, on the data and in every replicate, as `validate`'s
 * subgroup table computes them from counts: each group's counts laid over the score's values in every group together
 * (so a points score's leave-group-out mapping sees every other group), a model's buckets at their sets' mean
 * probability. One replicate at a time, so memory holds one replicate's values × groups. Runs in O(B · values · groups).
 */
function groupCalibrations(
  grids: readonly CountGrid[],
  score: string,
  kind: 'points' | 'probability',
  B: number,
): Map<string, { citl: GroupCalibration; slope: GroupCalibration }> {
  const own = grids.filter((g) => g.score === score);
  const whole = collapseGrids(own, () => true, B).get(score);
  if (whole === undefined) return new Map();
  // The data's values (every group's), each group's grid laid over them.
  const W = whole.values.length;
  const buckets = Array.from(whole.values).filter((_, i) => (whole.counts[i] as number) + (whole.counts[(B + 1) * W + i] as number) > 0);
  const index = new Map(buckets.map((v, k) => [v, k]));
  const k = buckets.length;
  // A model's buckets enter at their sets' mean probability (Σp / sets over every group), a points score's at its value.
  const means = kind === 'probability' ? gridMeans(whole, B) : null;
  const values = Float64Array.from(buckets, (v) => means?.get(v) ?? v);
  const groups = [...new Set(own.map((g) => g.group))].sort();
  const byGroup = new Map(own.map((g) => [g.group, g]));
  const citl = calibrationStatistic('intercept', [kind]);
  const slope = calibrationStatistic('slope', [kind]);
  const out = new Map(
    groups.map((g) => [
      g,
      { citl: { estimate: Number.NaN, replicates: new Float64Array(B) }, slope: { estimate: Number.NaN, replicates: new Float64Array(B) } },
    ]),
  );
  /** A grid's replicate b laid over the data's values: positives, negatives. */
  const laid = (g: CountGrid, b: number): [Float64Array, Float64Array] => {
    const V = g.values.length;
    const pos = new Float64Array(k);
    const neg = new Float64Array(k);
    g.values.forEach((v, i) => {
      const j = index.get(v);
      if (j === undefined) return;
      pos[j] = (pos[j] as number) + (g.counts[(b + 1) * V + i] as number);
      neg[j] = (neg[j] as number) + (g.counts[(B + 1) * V + (b + 1) * V + i] as number);
    });
    return [pos, neg];
  };
  for (let b = -1; b < B; b++) {
    const [allPos, allNeg] = laid(whole, b);
    for (const g of groups) {
      const [gp, gn] = laid(byGroup.get(g) as CountGrid, b);
      const tailPos = new Float64Array(k + 1);
      const tailNeg = new Float64Array(k + 1);
      for (let j = k - 1; j >= 0; j--) {
        tailPos[j] = (tailPos[j + 1] as number) + (gp[j] as number);
        tailNeg[j] = (tailNeg[j + 1] as number) + (gn[j] as number);
      }
      const c: DenseCounts = { values, pos: gp, neg: gn, tailPos, tailNeg, sum: Number.NaN, all: { pos: allPos, neg: allNeg } };
      const o = out.get(g) as { citl: GroupCalibration; slope: GroupCalibration };
      const [x, y] = [citl(c, 0), slope(c, 0)];
      if (b < 0) {
        (o.citl as { estimate: number }).estimate = x;
        (o.slope as { estimate: number }).estimate = y;
      } else {
        o.citl.replicates[b] = x;
        o.slope.replicates[b] = y;
      }
    }
  }
  return out;
}

/** Every pair of scores compared on the sets both can score, from the pairs' pseudo-scores (`a|b`, `b|a`). */
function engineComparisons(
  scores: readonly ScoreDefinition[],
  perScore: (score: string) => ReplicatedCounts,
  sdc: Disclosure,
  eventPatients: number,
  level: number,
  B: number,
  joint: PairCountTable | undefined,
): EngineComparison[] {
  sdc.declareTable({
    name: 'comparisons',
    dimensions: ['pair of scores', 'measure'],
    margins: 'none declared: the common sets stand alone; the paired statistics are released from enough patients and events',
  });
  return scorePairs(scores.length).map(([ia, ib]) => {
    const c = pairedComparison(comparedScore(scores[ia] as ScoreDefinition), comparedScore(scores[ib] as ScoreDefinition), perScore, level, B);
    const sets = sdc.count(c.sets, { table: 'comparisons' });
    const basis = (counts: readonly number[]) => ({ patients: eventPatients, events: c.positives, counts: [c.sets - c.positives, ...counts] });
    const auroc = c.auroc === null ? null : sdc.release(c.auroc, basis([]), { table: 'comparisons', dependsOn: [sets] });
    // A paired cell released on the true positives each side finds (they go with the analysis set's events).
    const paired = <T extends { readonly truePositives: readonly [number, number] }>(cell: T | null): Released<Omit<T, 'truePositives'>> | null => {
      if (cell === null) return null;
      const {
        truePositives: [ta, tb],
        ...value
      } = cell;
      return sdc.release(value, basis([ta, c.positives - ta, tb, c.positives - tb]), { table: 'comparisons', dependsOn: [sets] });
    };
    const rules = paired(c.rules);
    const matched = paired(c.matchedAlertRate);
    // The paired DeLong test from the pair's joint counts, released as the AUROC difference is.
    let delong: EngineComparison['delong'] = null;
    if (joint !== undefined) {
      const cells = joint.rows.filter((r) => r.a === c.a && r.b === c.b).map((r) => ({ a: r.valueA, b: r.valueB, positive: r.positive, negative: r.negative }));
      const d = compareAurocFromJointCounts(cells, { level });
      if (d.defined) delong = sdc.release({ se: d.se, ci: d.ci, z: d.z, p: d.p }, basis([]), { table: 'comparisons', dependsOn: [sets] });
    }
    return { a: c.a, b: c.b, sets, auroc, rules, matchedAlertRate: matched, delong };
  });
}

/**
 * The engine report from an engine's counts: flow, analysis set and every score's discrimination and threshold
 * measures with clustered intervals, through the disclosure policy (default ewskit's, 10). Runs in O(table cells + B ·
 * values · rules).
 *
 * @throws {RangeError} naming the option when the level, a threshold or the disclosure policy is out of range
 * @example engineReport(jsEngineCounts({ cohort, scores: [news2] }), { scores: [news2] }).scores[0].auroc;
 */
export function engineReport(counts: EngineCounts, options: EngineStudyOptions): EngineReport {
  const fn = 'engineReport';
  return engineReportOf(
    counts,
    {
      scoreCounts: gridTable(counts.scoreCounts, counts.probabilistic, fn),
      moreGroupings: (counts.moreGroupings ?? []).map((g) => gridTable(g.scoreCounts, counts.probabilistic, fn)),
    },
    options,
  );
}

/**
 * The engine report from counts whose `score_counts` tables are given as grids (`grids`; the tables' rows are not
 * read): what {@link engineReport} runs on, and the one-stage report on sites' grids added without making rows.
 */
export function engineReportOf(
  counts: EngineCounts,
  grids: { readonly scoreCounts: readonly CountGrid[]; readonly moreGroupings: readonly (readonly CountGrid[])[] },
  options: EngineStudyOptions,
): EngineReport {
  const fn = 'engineReport';
  const level = levelOf(fn, options);
  const thresholds = options.netBenefitThresholds ?? REPORT_NET_BENEFIT_THRESHOLDS;
  thresholds.forEach((t, i) => {
    if (!(typeof t === 'number' && t > 0 && t < 1))
      throw new RangeError(`${fn}: option "netBenefitThresholds[${i}]" expected a probability in (0, 1); received ${String(t)}.`);
  });
  const sdc = new Disclosure({ ...(options.disclosure ?? {}), caller: fn });
  sdc.declareTable({ name: 'flow', dimensions: ['step'], margins: 'observation sets = Σ steps; labelled = positive + negative' });
  sdc.declareTable({
    name: 'scores',
    dimensions: ['score', 'measure'],
    margins: 'per score: its analysable sets, events and patients; statistics derived from them',
  });
  const rules = options.scores.flatMap((d) => {
    const red = kindOf(d).redFlag(d);
    return [
      ...kindOf(d)
        .clinicalCuts(d)
        .map(({ label, cut }) => ({ score: d.id, label, cut })),
      // The red-score rule, read from the score's 0/1 red-flag pseudo-score (as validate labels it).
      ...(red === null ? [] : [{ score: redScoreId(d.id), label: `red score (${red.description})`, cut: 1 }]),
    ];
  });
  // The table as grids (no row objects), and the pooled measures of one group's grids (the whole, or one group).
  const B = counts.scoreCounts.definition.B;
  const definition = { ...counts.scoreCounts.definition, groupBy: null };
  const pooledOf = (byScore: ReadonlyMap<string, CountGrid>) => pooledMeasures(byScore, definition, rules, counts.probabilistic, level, thresholds);
  const whole = collapseGrids(grids.scoreCounts, () => true, B);
  const pooled = pooledOf(whole);
  const perScore = denseFromGrids(whole, B);
  const probabilistic = new Set(counts.probabilistic);
  const f = counts.flow;
  const setsOf = (code: number): number => f.byCode.filter((c) => c.code === code).reduce((t, c) => t + c.sets, 0);
  const total = f.byCode.reduce((t, c) => t + c.sets, 0);
  const positive = f.byCode.reduce((t, c) => t + c.positive, 0);
  const observationSets = sdc.count(total, { table: 'flow' });
  const steps = LABEL_EXCLUSIONS.map((step, code) => ({ step, sets: sdc.count(setsOf(code), { table: 'flow' }) }));
  sdc.relation(
    observationSets,
    steps.map((s) => s.sets),
  );
  const positiveCell = sdc.count(positive, { table: 'flow' });
  const negativeCell = sdc.count(setsOf(0) - positive, { table: 'flow' });
  sdc.relation(steps[0]?.sets, [positiveCell, negativeCell]);
  const none = { sets: 0, positive: 0, patients: 0, eventPatients: 0 };
  const flowOf = (score: string, group: string) => f.scores.find((s) => s.score === score && s.group === group) ?? none;
  const analysis = flowOf('', '');
  const analysisSets = sdc.count(analysis.sets, { table: 'flow' });
  const characteristics = characteristicsFromCounts(counts.characteristics, sdc, {
    setTotal: (_, k) => (k === 0 ? analysisSets : undefined),
    relateSetTotals: true,
  });
  const scores = options.scores.map((d): EngineScore => {
    const own = flowOf(d.id, '');
    const sets = sdc.count(own.sets, { table: 'scores' });
    const events = sdc.count(own.positive, { table: 'scores' });
    const patients = sdc.count(own.patients, { table: 'scores' });
    const basis = { patients: own.eventPatients, events: own.positive, counts: [own.sets - own.positive] };
    const release = (e: OneStageEstimate | null): EngineEstimate | null =>
      e === null ? null : sdc.release(e, basis, { table: 'scores', dependsOn: [sets, events] });
    const p = pooled.scores.find((s) => s.score === d.id);
    const redRule = pooled.scores.find((s) => s.score === redScoreId(d.id))?.thresholds ?? [];
    return {
      score: d.id,
      exact: p?.exact ?? !kindOf(d).probabilistic,
      sets,
      positive: events,
      patients,
      auroc: release(p?.auroc ?? null),
      thresholds: [...(p?.thresholds ?? []), ...redRule].map((t) => ({
        rule: t.rule,
        cut: t.cut,
        sensitivity: release(t.sensitivity),
        specificity: release(t.specificity),
        ppv: release(t.ppv),
        npv: release(t.npv),
        alertRate: release(t.alertRate),
        netBenefit: t.netBenefit.map((n) => ({ threshold: n.threshold, value: release(n.value) })),
      })),
      // A model's calibration, computed with the pooled measures (on the whole table's buckets).
      calibration: ((): EngineScore['calibration'] => {
        const c = p?.calibration;
        if (c === undefined || c === null) return null;
        return { observedExpected: release(c.observedExpected), calibrationInTheLarge: release(c.calibrationInTheLarge), slope: release(c.slope) };
      })(),
      observedRisk: probabilistic.has(d.id) ? [] : observedRisk(sdc, d, perScore(d.id), sets, events, level, counts.scoreCounts.definition.B),
    };
  });
  const comparisons = engineComparisons(options.scores, perScore, sdc, analysis.eventPatients, level, counts.scoreCounts.definition.B, counts.pairCounts);
  // Each grouping's section (the first from scoreCounts' own grouping, then moreGroupings), one Holm family over all.
  const family: PendingContrast[] = [];
  const groupSection = (table: readonly CountGrid[], by: string, groupFlow: EngineFlow, reference_: string | undefined): Omit<EngineGroups, 'contrasts'> => {
    const groupFlowOf = (score: string, group: string) => groupFlow.scores.find((s) => s.score === score && s.group === group) ?? none;
    const levels = [...new Set(groupFlow.scores.filter((s) => s.group !== '').map((s) => s.group))].sort();
    // The reference: the group with the most patients in the analysis set (the first such in name order), as validate.
    const candidates = levels.filter((g) => g !== '(none)');
    const patientsIn = candidates.map((g) => groupFlowOf('', g).patients);
    const largest = candidates[patientsIn.indexOf(Math.max(...patientsIn))] ?? '';
    const reference = reference_ ?? largest;
    if (!candidates.includes(reference))
      throw new RangeError(`${fn}: option "reference" names "${reference}", which is not a group of ${by} (${candidates.join(', ')}).`);
    // Each group's cells as one table (collapsed once: its dense counts and its pooled measures read it).
    const inGroups = new Map(levels.map((g) => [g, collapseGrids(table, (x) => x === g, B)] as const));
    const dense = new Map(levels.map((g) => [g, denseFromGrids(inGroups.get(g) as ReadonlyMap<string, CountGrid>, B)] as const));
    const calibrations = options.scores.map((d) => groupCalibrations(table, d.id, kindOf(d).probabilistic ? 'probability' : 'points', B));
    const cuts = options.scores.map((d) => kindOf(d).clinicalCuts(d)[0]?.cut ?? null);
    /** True positives and false negatives at a score's first cut in a group's data: the sensitivity's counts, for disclosure. */
    const sensitivityCounts = (group: string, score: string, cut: number | null): number[] => {
      if (cut === null) return [];
      const c = dense.get(group)?.(score).data;
      if (c === undefined) return [];
      let tp = 0;
      c.values.forEach((v, i) => {
        if (v >= cut) tp += c.pos[i] as number;
      });
      return [tp, (c.tailPos[0] ?? 0) - tp];
    };
    const made = {
      by,
      reference,
      levels: levels.map((group) => {
        const inGroup = pooledOf(inGroups.get(group) as ReadonlyMap<string, CountGrid>);
        return {
          group,
          scores: options.scores.map((d, s): EngineGroupScore => {
            const own = groupFlowOf(d.id, group);
            const refFlow = groupFlowOf(d.id, reference);
            const sets = sdc.count(own.sets, { table: 'groups' });
            const events = sdc.count(own.positive, { table: 'groups' });
            const patients = sdc.count(own.patients, { table: 'groups' });
            const basis = { patients: own.eventPatients, events: own.positive, counts: [own.sets - own.positive] };
            const refBasis = { patients: refFlow.eventPatients, events: refFlow.positive, counts: [refFlow.sets - refFlow.positive] };
            const release = (e: OneStageEstimate | null): EngineEstimate | null =>
              e === null ? null : sdc.release(e, basis, { table: 'groups', dependsOn: [sets, events] });
            const p = inGroup.scores.find((x) => x.score === d.id);
            const first = p?.thresholds[0];
            const cut = cuts[s] ?? null;
            const senCounts = [...sensitivityCounts(group, d.id, cut), ...sensitivityCounts(reference, d.id, cut)];
            // A paired difference: the statistic in this group minus in the reference, replicate by replicate.
            const contrast = (
              mine: GroupCalibration | undefined,
              theirs: GroupCalibration | undefined,
              extra: readonly number[],
            ): Released<ContrastCell | UndefinedCell> | null => {
              if (group === reference || group === '(none)' || mine === undefined || theirs === undefined || B === 0) return null;
              const estimate = mine.estimate - theirs.estimate;
              if (!Number.isFinite(estimate)) return null;
              const replicates = pairedDifference(mine.replicates, theirs.replicates);
              const cell = contrastCell(replicates, estimate, level);
              const released = sdc.passes(basis) && sdc.passes(refBasis) && sdc.passes({ counts: [...extra] });
              if (!cell.defined) return cell;
              const pending = { ...cell };
              family.push({ cell: pending, replicates, released });
              return sdc.release(pending, { ...basis, counts: [...basis.counts, ...extra] }, { table: 'groups', dependsOn: [sets, events] });
            };
            const statOf = (g: string, stat: (c: DenseCounts) => number): GroupCalibration | undefined => {
              const c = dense.get(g)?.(d.id);
              return c === undefined ? undefined : { estimate: stat(c.data), replicates: Float64Array.from(c.replicates, stat) };
            };
            const difference = (stat: (c: DenseCounts) => number, extra: readonly number[]) => contrast(statOf(group, stat), statOf(reference, stat), extra);
            const cal = calibrations[s];
            const calibrationCell = (c: GroupCalibration | undefined): EngineEstimate | null => {
              if (c === undefined || !Number.isFinite(c.estimate)) return null;
              const p = B === 0 ? null : percentileInterval(c.replicates, level);
              return release({ estimate: c.estimate, ci: p === null ? null : p.ci });
            };
            return {
              score: d.id,
              sets,
              positive: events,
              patients,
              auroc: release(p?.auroc ?? null),
              rule: first?.rule ?? null,
              sensitivity: release(first?.sensitivity ?? null),
              specificity: release(first?.specificity ?? null),
              calibrationInTheLarge: calibrationCell(cal?.get(group)?.citl),
              slope: calibrationCell(cal?.get(group)?.slope),
              differenceFromReference: {
                auroc: difference((c) => aucStatistic(c, 0), refBasis.counts),
                sensitivity: cut === null ? null : difference((c) => proportionStatistic('sensitivity', [cut])(c, 0), senCounts),
                calibrationInTheLarge: contrast(cal?.get(group)?.citl, cal?.get(reference)?.citl, refBasis.counts),
                slope: contrast(cal?.get(group)?.slope, cal?.get(reference)?.slope, refBasis.counts),
              },
            };
          }),
        };
      }),
    };
    return made;
  };
  const groupings = [
    ...(counts.scoreCounts.definition.groupBy === null ? [] : [{ grids: grids.scoreCounts, by: counts.scoreCounts.definition.groupBy, flow: f }]),
    ...(counts.moreGroupings ?? []).map((g, k) => ({ grids: grids.moreGroupings[k] ?? [], by: g.scoreCounts.definition.groupBy as string, flow: g.flow })),
  ];
  if (groupings.length > 0)
    sdc.declareTable({
      name: 'groups',
      dimensions: ['group', 'score', 'measure'],
      margins: 'per group and score: its sets, events and patients; statistics derived from them',
    });
  const referenceOf = (by: string, k: number): string | undefined =>
    typeof options.reference === 'string' ? (k === 0 ? options.reference : undefined) : options.reference?.[by];
  const sections = groupings.map((g, k) => groupSection(g.grids, g.by, g.flow, referenceOf(g.by, k)));
  // Holm over the released contrasts; the max-T simultaneous intervals over the same family (as validate does).
  const released = family.filter((c) => c.released);
  const adjusted = holm(released.map((c) => c.cell.p));
  released.forEach((c, i) => {
    c.cell.adjustedP = adjusted[i] ?? 1;
  });
  for (const c of family) if (!c.released) c.cell.adjustedP = 1;
  simultaneousIntervals(released, level);
  const [groups = null, ...moreGroups] = sections.map((m) => ({ ...m, contrasts: released.length }));
  const o = options.outcome ?? {};
  const report: EngineReport = {
    schema: ENGINE_REPORT_SCHEMA,
    engine: counts.engine,
    settings: {
      scores: options.scores.map((d) => d.id),
      horizonHours: o.horizonHours ?? 24,
      eventTypes: o.eventTypes === undefined ? null : [...o.eventTypes],
      followUp: o.followUp ?? 'in-hospital',
      censored: o.censored ?? 'exclude',
      followUpEndsAtDischarge: f.followUpEndsAtDischarge,
      extractEnd: f.extractEnd === null ? null : new Date(f.extractEnd).toISOString(),
      extractEndInferred: f.extractEndInferred,
      bootstrap: { method: 'poisson', B: counts.scoreCounts.definition.B, seed: counts.scoreCounts.definition.seed, cluster: 'patient' },
      level,
      netBenefitThresholds: [...thresholds],
    },
    flow: {
      observationSets,
      steps,
      positive: positiveCell,
      negative: negativeCell,
      censored: sdc.count(
        f.byCode.reduce((t, c) => t + c.censored, 0),
        { table: 'flow' },
      ),
      withoutPatient: sdc.count(
        f.byCode.reduce((t, c) => t + c.withoutPatient, 0),
        { table: 'flow' },
      ),
      analysisSets,
      patients: sdc.count(analysis.patients, { table: 'flow' }),
      eventPatients: sdc.count(analysis.eventPatients, { table: 'flow' }),
    },
    characteristics,
    scores,
    comparisons,
    groups,
    moreGroups,
    // The alert measures from their count table, each score's sets the score's own cell above (the same number).
    alerts: counts.alertCounts === undefined ? null : alertsSection(counts.alertCounts, (s) => scores[s]?.sets, sdc, level),
    // Other units of analysis, each with Obuchowski's interval from the within-patient pairs (none unless asked for).
    units: counts.unitCounts === undefined ? [] : unitSections(counts.unitCounts, sdc, level),
    notYet: counts.alertCounts === undefined ? [...NOT_YET, NOT_COUNTED_ALERTS] : NOT_YET,
    disclosure: undefined as unknown as DisclosureSummary,
  };
  const resolved = sdc.resolve(report);
  return { ...resolved, disclosure: sdc.summary() };
}
