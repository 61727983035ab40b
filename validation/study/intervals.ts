/**
 * The study's overall patient-clustered bootstrap: one set of resamples of patients, from which every headline
 * interval of every score comes — AUROC, average precision, the threshold metrics of each alerting rule, the observed
 * risk per (pooled) score value, O/E of a model's probabilities and the net benefit of each rule — so that every
 * difference between scores is paired. The rules and ranges are planned here from the scores and the data.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { ThresholdMetric } from '../bootstrap/count-statistics.js';
import {
  aucStatistic,
  averagePrecisionStatistic,
  netBenefitStatistic,
  observedExpectedStatistic,
  proportionStatistic,
  riskInRangeStatistic,
} from '../bootstrap/count-statistics.js';
import type { CountStatistic, Replicates } from '../bootstrap/group-bootstrap.js';
import { groupBootstrap, percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { Ci } from '../report/types.js';
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
  /** Pooled ranges of score values for the observed risk (points scores; empty for models). */
  readonly ranges: readonly (readonly [number, number])[];
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
  const distinct = [...byValue.keys()].sort((a, b) => b - a);
  const ranges: [number, number][] = [];
  let hi: number | null = null;
  let events = 0;
  let nonEvents = 0;
  for (const v of distinct) {
    const [e, n] = byValue.get(v) ?? [0, 0];
    if (hi === null) hi = v;
    events += e;
    nonEvents += n;
    if (events >= minEvents && nonEvents >= minNonEvents) {
      ranges.push([v, hi]);
      hi = null;
      events = 0;
      nonEvents = 0;
    }
  }
  const lowest = distinct[distinct.length - 1];
  if (hi !== null && lowest !== undefined) {
    const last = ranges.pop();
    ranges.push(last === undefined ? [lowest, hi] : [lowest, last[1]]);
  }
  return ranges.reverse();
}

/** The rules and ranges of each score. */
export function planIntervals(scores: readonly ScoreDefinition[], set: AnalysisSet, settings: Settings): ScoreIntervalsPlan[] {
  let nextRed = scores.length;
  return scores.map((def, s) => {
    const kind = kindOf(def);
    const rules: AlertRule[] = kind.clinicalCuts(def).map(({ label, cut }) => ({ label, column: s, cut }));
    const red = kind.redFlag(def);
    if (red !== null && set.redFlags[s] !== null && set.redFlags[s] !== undefined)
      rules.push({ label: `red score (${red.description})`, column: nextRed++, cut: 1 });
    const values = set.values[s] ?? new Float64Array(0);
    const ranges = kind.probabilistic ? [] : poolRanges(values, set.labels, settings.pooling.minEvents, settings.pooling.minNonEvents);
    return { rules, ranges };
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
}

/** Names of the statistics. */
export const statName = {
  threshold: (metric: ThresholdMetric, rule: number): string => `${metric}#${rule}`,
  risk: (range: number): string => `risk#${range}`,
  netBenefit: (rule: number, threshold: number): string => `nb#${rule}#${threshold}`,
  decisionCurve: (threshold: number): string => `dc#${threshold}`,
};

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
  const statistics: Record<string, CountStatistic> = {
    auroc: aucStatistic,
    // The subgroup statistics: sensitivity at each score's first clinical cut-off (and O/E, above).
    sensitivity: proportionStatistic('sensitivity', firstCuts),
    ap: averagePrecisionStatistic,
    oe: observedExpectedStatistic(columns.map((_, c) => c < settings.scores.length && kindOf(settings.scores[c] as ScoreDefinition).probabilistic)),
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
  // Model decision curves: alert at probability ≥ pₜ (kept exact in the bucketed bootstrap).
  const keep = columns.map((_, c) => [
    ...rules.filter((r) => r.column === c).map((r) => r.cut),
    ...(c < settings.scores.length ? settings.netBenefitThresholds : []),
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
    keep,
    ...(grouping === null ? {} : { overall: true, needsAllGroups: true }),
  });
  const overall = grouping === null ? 0 : groups;
  return {
    replicates,
    overall,
    grouping,
    pairColumns: (a, b) => pairs.get(`${a},${b}`) ?? [a, b],
    interval(stat, column) {
      const p = percentileInterval(replicates.of(stat, overall, column), settings.level);
      return p === null ? { ci: null, se: null } : { ci: p.ci, se: p.se };
    },
  };
}
