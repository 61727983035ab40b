/**
 * The study's overall patient-clustered bootstrap: one set of resamples of patients, from which every headline
 * interval of every score comes — AUROC, average precision, the threshold metrics of each alerting rule, the observed
 * risk per (pooled) score value, O/E of a model's probabilities and the net benefit of each rule — so that every
 * difference between scores is paired. The rules and ranges are planned here from the scores and the data.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { CalibrationKind, ThresholdMetric } from '../bootstrap/count-statistics.js';
import {
  aucStatistic,
  averagePrecisionStatistic,
  netBenefitStatistic,
  calibrationStatistic,
  observedExpectedStatistic,
  proportionStatistic,
  riskInRangeStatistic,
} from '../bootstrap/count-statistics.js';
import type { CountStatistic, Replicates } from '../bootstrap/group-bootstrap.js';
import { groupBootstrap, percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { Ci } from '../report/types.js';
import { calibrationBinRanges } from '../metrics/calibration.js';
import { upperBound } from '../stats/sorted.js';
import type { AnalysisSet } from './analysis-set.js';
import type { Settings } from './options.js';

/** An alerting rule: alert when the column's value ≥ cut. */
export interface AlertRule {
  readonly label: string;
  /** The column alerted on: the score itself, or its red-score flag (0/1). */
  readonly column: number;
  readonly cut: number;
}

/** What the bootstrap computes for one score. */
export interface ScoreIntervalsPlan {
  /** The clinical rules, then the red score when the score has one. */
  readonly rules: readonly AlertRule[];
  /** Ranges of score values whose observed risk gets a clustered interval: a points score's pooled values, a model's calibration bins. */
  readonly ranges: readonly (readonly [number, number])[];
  /**
   * The cut-offs of the score's ROC and precision–recall curves, ascending: for a points score the lowest value of
   * each pooled range but the first; for a model, values of {@link CURVE_PROBABILITY_GRID} pooled the same way. Every
   * band between two cuts holds at least the pooling minimum of events and non-events, so no curve point can single
   * out a few sets, and a model's cuts are fixed numbers, never a patient's own probability.
   */
  readonly curve: readonly number[];
}

/** The probabilities a model's curves may cut at (a fixed grid, so no cut-off is a patient's own value). */
export const CURVE_PROBABILITY_GRID: readonly number[] = [
  0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
];

/** A model's curve cuts: the grid band of each probability (0 below the first value), pooled, each band's lower grid value. */
function modelCurve(values: Float64Array, labels: Uint8Array, minEvents: number, minNonEvents: number): number[] {
  const band = values.map((v) => (Number.isFinite(v) ? upperBound(CURVE_PROBABILITY_GRID, v) : Number.NaN));
  return poolRanges(band, labels, minEvents, minNonEvents)
    .slice(1)
    .map(([lo]) => CURVE_PROBABILITY_GRID[lo - 1] ?? Number.NaN);
}

export const THRESHOLD_METRICS: readonly ThresholdMetric[] = ['sensitivity', 'specificity', 'ppv', 'npv', 'alertRate'];

/**
 * Pool sparse score values: from the highest value down, each range grows until it holds at least `minEvents`
 * events and `minNonEvents` non-events; a remainder at the bottom that never gets there joins the range above it.
 * Values are the distinct values observed. Runs in O(distinct values).
 */
export function poolRanges(values: Float64Array, labels: Uint8Array, minEvents: number, minNonEvents: number): [number, number][] {
  const byValue = new Map<number, [number, number]>();
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return; // a set the score cannot score
    const c = byValue.get(v) ?? [0, 0];
    if (labels[i] === 1) c[0] += 1;
    else c[1] += 1;
    byValue.set(v, c);
  });
  const distinct = [...byValue.keys()].sort((a, b) => a - b);
  return poolCountRanges(
    distinct,
    distinct.map((v) => byValue.get(v)?.[0] ?? 0),
    distinct.map((v) => byValue.get(v)?.[1] ?? 0),
    minEvents,
    minNonEvents,
  );
}

/**
 * {@link poolRanges} on counts: `values` the distinct values in ascending order, `pos` and `neg` their events and
 * non-events (a count table's cells). Runs in O(values).
 */
export function poolCountRanges(
  values: ArrayLike<number>,
  pos: ArrayLike<number>,
  neg: ArrayLike<number>,
  minEvents: number,
  minNonEvents: number,
): [number, number][] {
  const ranges: [number, number][] = [];
  let hi: number | null = null;
  let events = 0;
  let nonEvents = 0;
  for (let k = values.length - 1; k >= 0; k--) {
    const v = values[k] as number;
    if (hi === null) hi = v;
    events += pos[k] ?? 0;
    nonEvents += neg[k] ?? 0;
    if (events >= minEvents && nonEvents >= minNonEvents) {
      ranges.push([v, hi]);
      hi = null;
      events = 0;
      nonEvents = 0;
    }
  }
  const lowest = values[0];
  if (hi !== null && lowest !== undefined) {
    const last = ranges.pop();
    ranges.push(last === undefined ? [lowest, hi] : [lowest, last[1]]);
  }
  return ranges.reverse();
}

/** The rules and ranges of each score. */
export function planIntervals(scores: readonly ScoreDefinition[], set: AnalysisSet, settings: Settings): ScoreIntervalsPlan[] {
  const allRules = planRules(scores, set);
  return scores.map((def, s) => {
    const kind = kindOf(def);
    const rules = allRules[s] ?? [];
    const values = set.values[s] ?? new Float64Array(0);
    const { minEvents, minNonEvents } = settings.pooling;
    // A points score's pooled values (its observed risk); a model's calibration bins (their observed risk).
    const ranges = kind.probabilistic ? calibrationBinRanges(values) : poolRanges(values, set.labels, minEvents, minNonEvents);
    const curve = kind.probabilistic ? modelCurve(values, set.labels, minEvents, minNonEvents) : ranges.slice(1).map(([lo]) => lo);
    return { rules, ranges, curve };
  });
}

/**
 * Each score's alerting rules: its clinical cut-offs (on its own column), then its red score when it has one (on its
 * red-flag column, numbered after the scores in plan order). Runs in O(scores).
 */
export function planRules(scores: readonly ScoreDefinition[], set: AnalysisSet): AlertRule[][] {
  let nextRed = scores.length;
  return scores.map((def, s) => {
    const kind = kindOf(def);
    const rules: AlertRule[] = kind.clinicalCuts(def).map(({ label, cut }) => ({ label, column: s, cut }));
    const red = kind.redFlag(def);
    if (red !== null && set.redFlags[s] !== null && set.redFlags[s] !== undefined)
      rules.push({ label: `red score (${red.description})`, column: nextRed++, cut: 1 });
    return rules;
  });
}

/**
 * The columns the bootstrap resamples: every score's value, then every red-score flag, in plan order, then for each
 * pair of scores (a before b) each score restricted to the sets both can score — for the paired comparison — unless
 * that is already the score's own column (it scores no set the other cannot). NaN marks a set a column does not cover.
 */
export function bootstrapColumns(set: AnalysisSet): { columns: Float64Array[]; pairs: ReadonlyMap<string, readonly [number, number]> } {
  const columns = [...set.values, ...set.redFlags.filter((r): r is Float64Array => r !== null)];
  const pairs = new Map<string, readonly [number, number]>();
  set.values.forEach((a, i) => {
    set.values.forEach((b, j) => {
      if (j <= i) return;
      const common = (k: number) => Number.isFinite(a[k] ?? NaN) && Number.isFinite(b[k] ?? NaN);
      const restricted = (v: Float64Array, own: number): number => {
        if (v.every((x, k) => !Number.isFinite(x) || common(k))) return own; // the score's own sets are the common ones
        columns.push(v.map((x, k) => (common(k) ? x : Number.NaN)));
        return columns.length - 1;
      };
      pairs.set(`${i},${j}`, [restricted(a, i), restricted(b, j)]);
    });
  });
  return { columns, pairs };
}

/** The groups of one grouping column, coded for the bootstrap: 0…names.length − 1, and names.length for no group. */
export interface GroupCoding {
  readonly column: string;
  readonly names: readonly string[];
  readonly group: Int32Array;
}

/** Clustered intervals for the study, from one bootstrap. */
export interface StudyIntervals {
  readonly replicates: Replicates<string>;
  /** The group index of the overall statistics in `replicates`. */
  readonly overall: number;
  /** The grouping the same pass also resampled (its statistics at group indices 0…), or null. */
  readonly grouping: GroupCoding | null;
  /** The bootstrap columns of the pair (a, b), a < b: each score on the sets both can score. */
  pairColumns(a: number, b: number): readonly [number, number];
  /** The percentile interval and SE of a statistic for a column (overall), or null when too few replicates are defined. */
  interval(stat: string, column: number): { ci: Ci; se: number | null };
  /** Per statistic (the name before `#`), the most replicates left undefined among the intervals read so far. */
  undefinedReplicates(): Readonly<Record<string, number>>;
}

/** How each score is calibrated in a group: against its probability, or (a points score) leave-group-out. */
export function calibrationKinds(scores: readonly ScoreDefinition[]): CalibrationKind[] {
  return scores.map((d) => (kindOf(d).probabilistic ? 'probability' : 'points'));
}

/** Names of the statistics. */
export const statName = {
  threshold: (metric: ThresholdMetric, rule: number): string => `${metric}#${rule}`,
  risk: (range: number): string => `risk#${range}`,
  netBenefit: (rule: number, threshold: number): string => `nb#${rule}#${threshold}`,
  decisionCurve: (threshold: number): string => `dc#${threshold}`,
  curve: (metric: ThresholdMetric, point: number): string => `curve-${metric}#${point}`,
};

/** The metrics of each curve point. */
export const CURVE_METRICS: readonly ThresholdMetric[] = ['sensitivity', 'specificity', 'ppv'];

/**
 * Run the overall bootstrap for every score's rules, ranges and net-benefit thresholds.
 *
 * @returns null when the settings ask for no bootstrap
 */
export function studyIntervals(
  settings: Settings,
  set: AnalysisSet,
  plans: readonly ScoreIntervalsPlan[],
  grouping: GroupCoding | null = null,
): StudyIntervals | null {
  const boot = settings.bootstrap;
  if (boot === null) return null;
  const { columns, pairs } = bootstrapColumns(set);
  const nullCuts = (): (number | null)[] => columns.map(() => null);
  const rules = plans.flatMap((p) => p.rules);
  const firstCuts = columns.map((_, c) => (c < settings.scores.length ? (plans[c]?.rules.find((r) => r.column === c)?.cut ?? null) : null));
  const pairKinds = columns.slice(settings.scores.length).map(() => null);
  const statistics: Record<string, CountStatistic> = {
    auroc: aucStatistic,
    // The subgroup statistics: sensitivity at each score's first clinical cut-off and the groups' calibration (score
    // columns only; a pair's columns are never calibrated by group).
    sensitivity: proportionStatistic('sensitivity', firstCuts),
    ap: averagePrecisionStatistic,
    // A model's O/E overall (Σy / Σp).
    oe: observedExpectedStatistic(columns.map((_, c) => c < settings.scores.length && kindOf(settings.scores[c] as ScoreDefinition).probabilistic)),
    ...(grouping === null
      ? {}
      : {
          citl: calibrationStatistic('intercept', [...calibrationKinds(settings.scores), ...pairKinds]),
          slope: calibrationStatistic('slope', [...calibrationKinds(settings.scores), ...pairKinds]),
        }),
  };
  rules.forEach((rule, j) => {
    const cuts = nullCuts();
    cuts[rule.column] = rule.cut;
    for (const metric of THRESHOLD_METRICS) statistics[statName.threshold(metric, j)] = proportionStatistic(metric, cuts);
    settings.netBenefitThresholds.forEach((pt, i) => {
      statistics[statName.netBenefit(j, i)] = netBenefitStatistic(cuts, pt);
    });
  });
  // A model's decision curve: alert at its own probability ≥ pₜ.
  settings.netBenefitThresholds.forEach((pt, i) => {
    statistics[statName.decisionCurve(i)] = netBenefitStatistic(
      columns.map((_, c) => (c < settings.scores.length && kindOf(settings.scores[c] as ScoreDefinition).probabilistic ? pt : null)),
      pt,
    );
  });
  const maxRanges = Math.max(0, ...plans.map((p) => p.ranges.length));
  for (let r = 0; r < maxRanges; r++) {
    statistics[statName.risk(r)] = riskInRangeStatistic(columns.map((_, c) => plans[c]?.ranges[r] ?? null));
  }
  // The k-th point of every score's ROC and precision–recall curves.
  const maxPoints = Math.max(0, ...plans.map((p) => p.curve.length));
  for (let k = 0; k < maxPoints; k++) {
    const cuts = columns.map((_, c) => plans[c]?.curve[k] ?? null);
    for (const metric of CURVE_METRICS) statistics[statName.curve(metric, k)] = proportionStatistic(metric, cuts);
  }
  // Model decision curves and curve points: alert at probability ≥ pₜ (kept exact in the bucketed bootstrap).
  const keep = columns.map((_, c) => [
    ...rules.filter((r) => r.column === c).map((r) => r.cut),
    ...(c < settings.scores.length ? [...settings.netBenefitThresholds, ...(plans[c]?.curve ?? []), ...(plans[c]?.ranges ?? []).map(([lo]) => lo)] : []),
  ]);
  settings.progress(`cluster bootstrap (B = ${boot.B}) over ${set.clusters.toLocaleString('en-GB')} ${settings.cluster}s`);
  // With a grouping, one pass resamples patients once for the groups and for everyone (group index = groups).
  const groups = grouping === null ? 1 : grouping.names.length + 1;
  const replicates = groupBootstrap({
    scores: columns,
    labels: set.labels,
    patient: set.cluster,
    patients: set.clusters,
    group: grouping === null ? new Int32Array(set.rows.length) : grouping.group,
    groups,
    statistics,
    B: boot.B,
    seed: boot.seed,
    method: boot.method,
    keys: set.clusterKeys,
    keep,
    ...(grouping === null ? {} : { overall: true, needsAllGroups: true }),
  });
  const overall = grouping === null ? 0 : groups;
  // Replicates that leave a statistic undefined are counted, never dropped silently (settings.intervals).
  const undefinedBy = new Map<string, number>();
  return {
    replicates,
    overall,
    grouping,
    pairColumns: (a, b) => pairs.get(`${a},${b}`) ?? [a, b],
    interval(stat, column) {
      const p = percentileInterval(replicates.of(stat, overall, column), settings.level);
      const missing = boot.B - (p?.replicates ?? 0);
      const key = stat.split('#')[0] as string;
      if (missing > 0) undefinedBy.set(key, Math.max(undefinedBy.get(key) ?? 0, missing));
      return p === null ? { ci: null, se: null } : { ci: p.ci, se: p.se };
    },
    undefinedReplicates: () => Object.fromEntries([...undefinedBy].sort(([a], [b]) => a.localeCompare(b))),
  };
}
