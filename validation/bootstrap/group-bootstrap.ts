/**
 * The patient-clustered bootstrap for subgroups: every row belongs to a patient and (optionally) a group; each
 * (patient, group, score value, outcome) combination is reduced once to a count, and a replicate draws patients with
 * replacement and adds the counts of those drawn, weighted by how often each was drawn. Any statistic of per-value
 * counts (AUROC, sensitivity at a cut …) is then computed per group and per score from the same resamples, so
 * differences between groups and between scores are paired. A patient in several groups (the counterfactual design
 * that stacks one cohort with and without oximeter bias) is resampled as one. Patients are drawn with replacement
 * (`multinomial`) or weighted Poisson(1) from a hash of their key (`poisson`; see replicate-weights.ts).
 */
import { sampleStandardDeviation } from 'simple-statistics';
import type { BootstrapMethod } from './replicate-weights.js';
import { replicateWeights } from './replicate-weights.js';
import { lowerBound, quantile7, upperBound } from '../stats/sorted.js';

/** Positives and negatives at each distinct value index. */
export interface ValueTotals {
  readonly pos: Float64Array;
  readonly neg: Float64Array;
}

/** Dense per-value counts of one group and score — in a replicate, or in the data itself for point estimates. */
export interface DenseCounts extends ValueTotals {
  /** The distinct (bucketed) values, ascending. */
  readonly values: Float64Array;
  /** Positives and negatives at value index ≥ i (length k + 1; entry 0 is the total): a cut is one look-up. */
  readonly tailPos: Float64Array;
  readonly tailNeg: Float64Array;
  /** Σ of the raw (unbucketed) score values of the group's sets (Σ p for a model's probability). */
  readonly sum: number;
  /** The same score's counts over every group together (for standardising one group against all). */
  readonly all: ValueTotals;
}

/** A statistic of dense per-value counts of score `s`; NaN where it is undefined (e.g. a replicate with one class). */
export type CountStatistic = (c: DenseCounts, s: number) => number;

interface Entries {
  readonly values: Float64Array;
  /** Per patient, the range of entries it owns. */
  readonly start: Int32Array;
  readonly group: Int32Array;
  readonly valueIndex: Int32Array;
  /** group · values + valueIndex: where the entry adds in the flat per-group counts. */
  readonly slot: Int32Array;
  readonly pos: Float64Array;
  readonly neg: Float64Array;
  /** Per patient, the range of its (group, Σ raw score) blocks. */
  readonly blockStart: Int32Array;
  readonly blockGroup: Int32Array;
  readonly blockSum: Float64Array;
}

/** Most distinct values a score keeps in the bootstrap; beyond it, values are merged into equal-count rank buckets. */
export const BOOTSTRAP_RESOLUTION = 10_000;

/**
 * A continuous score (a model's probability) has as many distinct values as rows, which would make every replicate
 * sweep arrays as long as the cohort. For the bootstrap only, its values are merged into
 * {@link BOOTSTRAP_RESOLUTION} equal-count rank buckets, each represented by its smallest value. The ordering is
 * kept except within a bucket, which changes an AUROC by at most the share of pairs falling in one bucket
 * (~1/10,000); the `keep` values (clinical cut-offs) are always bucket boundaries, so "score ≥ cut" stays exact.
 * Point estimates never use this.
 */
export function bucketed(score: Float64Array, keep: readonly number[] = []): Float64Array {
  const distinct = new Set(score);
  if (distinct.size <= BOOTSTRAP_RESOLUTION) return score;
  const sorted = Float64Array.from(score).sort();
  const bounds = new Set<number>(keep);
  for (let b = 1; b < BOOTSTRAP_RESOLUTION; b++) bounds.add(sorted[Math.floor((b * sorted.length) / BOOTSTRAP_RESOLUTION)] ?? NaN);
  const cuts = Float64Array.from(bounds).sort();
  const bucket = (v: number): number => upperBound(cuts, v);
  const lowest = new Float64Array(cuts.length + 1).fill(Number.POSITIVE_INFINITY);
  for (const v of distinct) {
    const b = bucket(v);
    if (v < (lowest[b] ?? NaN)) lowest[b] = v;
  }
  return Float64Array.from(score, (v) => lowest[bucket(v)] ?? NaN);
}

/**
 * Reduce the rows to entries: one per (patient, group, value) with its positives and negatives, in patient order,
 * and one block per (patient, group) with the sum of its raw scores. Sorting one typed array of packed keys
 * ((patient · groups + group) · k + value index) · 2 + label does it without an index sort. Runs in O(n log n).
 */
function entriesOf(allScores: Float64Array, keep: readonly number[], labels: Uint8Array, patient: Int32Array, group: Int32Array, patients: number): Entries {
  // Rows without a value (NaN: the score cannot score that set) make no entry: each score is resampled on its own sets.
  const rowsOf: number[] = [];
  for (let i = 0; i < allScores.length; i++) if (Number.isFinite(allScores[i] ?? NaN)) rowsOf.push(i);
  const rawScore = Float64Array.from(rowsOf, (i) => allScores[i] ?? NaN);
  const score = bucketed(rawScore, keep);
  const values = Float64Array.from(new Set(score)).sort();
  const k = values.length;
  let groups = 1;
  for (let i = 0; i < group.length; i++) groups = Math.max(groups, (group[i] ?? 0) + 1);
  const n = score.length;
  const packed = new Float64Array(n);
  const blockSums = new Float64Array(patients * groups);
  const blockSeen = new Uint8Array(patients * groups);
  for (let j = 0; j < n; j++) {
    const i = rowsOf[j] ?? 0;
    const block = (patient[i] ?? 0) * groups + (group[i] ?? 0);
    packed[j] = (block * k + lowerBound(values, score[j] ?? NaN)) * 2 + (labels[i] === 1 ? 1 : 0);
    blockSums[block] = (blockSums[block] ?? 0) + (rawScore[j] ?? NaN);
    blockSeen[block] = 1;
  }
  packed.sort();
  const start = new Int32Array(patients + 1);
  const g: number[] = [];
  const vi: number[] = [];
  const pos: number[] = [];
  const neg: number[] = [];
  let r = 0;
  for (let p = 0; p < patients; p++) {
    start[p] = vi.length;
    const end = (p + 1) * groups * k * 2;
    let last = -1;
    while (r < n && (packed[r] ?? Infinity) < end) {
      const key = packed[r] ?? 0;
      const entry = Math.floor(key / 2);
      if (entry !== last) {
        const block = Math.floor(entry / k);
        g.push(block % groups);
        vi.push(entry - block * k);
        pos.push(0);
        neg.push(0);
        last = entry;
      }
      const at = pos.length - 1;
      if (key - entry * 2 === 1) pos[at] = (pos[at] ?? 0) + 1;
      else neg[at] = (neg[at] ?? 0) + 1;
      r++;
    }
  }
  start[patients] = vi.length;
  const blockStart = new Int32Array(patients + 1);
  const blockGroup: number[] = [];
  const blockSum: number[] = [];
  for (let p = 0; p < patients; p++) {
    blockStart[p] = blockGroup.length;
    for (let q = 0; q < groups; q++) {
      if (blockSeen[p * groups + q] !== 1) continue;
      blockGroup.push(q);
      blockSum.push(blockSums[p * groups + q] ?? 0);
    }
  }
  blockStart[patients] = blockGroup.length;
  return {
    values,
    start,
    group: Int32Array.from(g),
    valueIndex: Int32Array.from(vi),
    slot: Int32Array.from(vi, (v, e) => (g[e] ?? 0) * k + v),
    pos: Float64Array.from(pos),
    neg: Float64Array.from(neg),
    blockStart,
    blockGroup: Int32Array.from(blockGroup),
    blockSum: Float64Array.from(blockSum),
  };
}

export interface GroupBootstrapInput<K extends string = string> {
  /** Aligned complete rows: one array per score, the outcome, the patient (0…P−1) and the group (0…G−1). */
  readonly scores: readonly Float64Array[];
  readonly labels: Uint8Array;
  readonly patient: Int32Array;
  readonly patients: number;
  readonly group: Int32Array;
  readonly groups: number;
  /** Named statistics, each computed per group and score in every replicate. */
  readonly statistics: Readonly<Record<K, CountStatistic>>;
  readonly B: number;
  readonly seed: number;
  /** How patients are resampled (default `multinomial`); `poisson` needs `keys`. */
  readonly method?: BootstrapMethod;
  /** Per patient index, its key (the patient id): what the Poisson weights hash. */
  readonly keys?: readonly (string | number)[];
  /** Per score, values that must stay bucket boundaries (the cut-offs a statistic thresholds at). */
  readonly keep?: readonly (readonly number[])[];
  /** Some statistic reads `all` (the all-groups counts); otherwise they are not summed. */
  readonly needsAllGroups?: boolean;
  /**
   * Also evaluate every statistic on all groups together, reported as group index `groups` — the overall statistics
   * from the same resamples, so one pass over the entries serves both.
   */
  readonly overall?: boolean;
}

/** The replicates of a group bootstrap, by statistic name, group and score. */
export interface Replicates<K extends string = string> {
  readonly B: number;
  /** The B replicates of statistic `stat` in `group` for score `score` (NaN where undefined in a replicate). */
  of(stat: K, group: number, score: number): Float64Array;
  /** The statistic on the data itself (every patient once): the point estimate the replicates vary around. */
  estimate(stat: K, group: number, score: number): number;
}

/** Replicate-wise differences a − b of paired replicates (the same resamples). Runs in O(B). */
export function pairedDifference(a: Float64Array, b: Float64Array): Float64Array {
  return Float64Array.from(a, (v, r) => v - (b[r] ?? Number.NaN));
}

/**
 * Replicates of every statistic for every group and score, from the same resamples of patients (so differences
 * between groups and scores are paired). Runs in O(n log n + B · (patients + entries)).
 *
 * @example groupBootstrap({ …, statistics: { auroc: aucStatistic } }).of('auroc', 0, 0); // B AUROCs of score 0, group 0
 */
export function groupBootstrap<K extends string>(input: GroupBootstrapInput<K>): Replicates<K> {
  const names = Object.keys(input.statistics) as K[];
  const { estimates, replicates } = replicateArrays({ ...input, statistics: names.map((k) => input.statistics[k]) });
  const empty = new Float64Array(input.B).fill(Number.NaN);
  return {
    B: input.B,
    of: (stat, group, score) => replicates[names.indexOf(stat)]?.[group]?.[score] ?? empty,
    estimate: (stat, group, score) => estimates[names.indexOf(stat)]?.[group]?.[score] ?? Number.NaN,
  };
}

/** Dense totals of one score for every group, flat (group · k + value index), refilled for each replicate. */
interface Dense {
  readonly k: number;
  readonly pos: Float64Array;
  readonly neg: Float64Array;
  /** Suffix sums per group: group · (k + 1) + i holds the counts at value index ≥ i. */
  readonly tailPos: Float64Array;
  readonly tailNeg: Float64Array;
  /** Σ raw score per group. */
  readonly sums: Float64Array;
  readonly all: { pos: Float64Array; neg: Float64Array; tailPos: Float64Array; tailNeg: Float64Array };
}

/**
 * Add every patient's entries, weighted by how often the patient was drawn, into the dense totals, then the suffix
 * sums (and the all-groups totals when a statistic needs them). The inner loop is two multiply-adds per entry of a
 * drawn patient.
 */
function accumulate(t: Entries, dense: Dense, draws: Float64Array, patients: number, groups: number, withAll: boolean, overall: boolean): void {
  const { k, pos: P, neg: N, tailPos, tailNeg, sums } = dense;
  P.fill(0);
  N.fill(0);
  sums.fill(0);
  const { start, slot, pos, neg, blockStart, blockGroup, blockSum } = t;
  for (let p = 0; p < patients; p++) {
    const w = draws[p] ?? 0;
    if (w === 0) continue;
    const end = start[p + 1] ?? 0;
    for (let e = start[p] ?? 0; e < end; e++) {
      // Readable form: counts[group][value] += w × entry counts.
      const j = slot[e] ?? 0;
      P[j] = (P[j] ?? 0) + w * (pos[e] ?? 0);
      N[j] = (N[j] ?? 0) + w * (neg[e] ?? 0);
    }
    for (let b = blockStart[p] ?? 0; b < (blockStart[p + 1] ?? 0); b++) {
      const g = blockGroup[b] ?? 0;
      sums[g] = (sums[g] ?? 0) + w * (blockSum[b] ?? 0);
    }
  }
  for (let g = 0; g < groups; g++) {
    const base = g * k;
    const tail = g * (k + 1);
    tailPos[tail + k] = 0;
    tailNeg[tail + k] = 0;
    for (let i = k - 1; i >= 0; i--) {
      tailPos[tail + i] = (tailPos[tail + i + 1] ?? 0) + (P[base + i] ?? 0);
      tailNeg[tail + i] = (tailNeg[tail + i + 1] ?? 0) + (N[base + i] ?? 0);
    }
  }
  if (!withAll && !overall) return;
  const { all } = dense;
  all.pos.fill(0);
  all.neg.fill(0);
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < k; i++) {
      all.pos[i] = (all.pos[i] ?? 0) + (P[g * k + i] ?? 0);
      all.neg[i] = (all.neg[i] ?? 0) + (N[g * k + i] ?? 0);
    }
  }
  if (!overall) return;
  all.tailPos[k] = 0;
  all.tailNeg[k] = 0;
  for (let i = k - 1; i >= 0; i--) {
    all.tailPos[i] = (all.tailPos[i + 1] ?? 0) + (all.pos[i] ?? 0);
    all.tailNeg[i] = (all.tailNeg[i + 1] ?? 0) + (all.neg[i] ?? 0);
  }
  let total = 0;
  for (let g = 0; g < groups; g++) total += sums[g] ?? 0;
  sums[groups] = total;
}

function replicateArrays(input: Omit<GroupBootstrapInput, 'statistics'> & { statistics: readonly CountStatistic[] }): {
  estimates: number[][][];
  replicates: Float64Array[][][];
} {
  const { scores, labels, patient, patients, group, groups, statistics, B, seed } = input;
  const overall = input.overall === true;
  const reported = groups + (overall ? 1 : 0);
  const tables = scores.map((s, k) => entriesOf(s, input.keep?.[k] ?? [], labels, patient, group, patients));
  const replicates = statistics.map(() => Array.from({ length: reported }, () => scores.map(() => new Float64Array(B))));
  const estimates = statistics.map(() => Array.from({ length: reported }, () => scores.map(() => Number.NaN)));
  const dense: Dense[] = tables.map((t) => {
    const k = t.values.length;
    return {
      k,
      pos: new Float64Array(groups * k),
      neg: new Float64Array(groups * k),
      tailPos: new Float64Array(groups * (k + 1)),
      tailNeg: new Float64Array(groups * (k + 1)),
      sums: new Float64Array(groups + 1),
      all: { pos: new Float64Array(k), neg: new Float64Array(k), tailPos: new Float64Array(k + 1), tailNeg: new Float64Array(k + 1) },
    };
  });
  // Views of each group's counts into the flat arrays, made once.
  const views: DenseCounts[][] = tables.map((t, s) => {
    const d = dense[s] as Dense;
    const k = d.k;
    const perGroup: DenseCounts[] = Array.from({ length: groups }, (_, g) => ({
      values: t.values,
      pos: d.pos.subarray(g * k, (g + 1) * k),
      neg: d.neg.subarray(g * k, (g + 1) * k),
      tailPos: d.tailPos.subarray(g * (k + 1), (g + 1) * (k + 1)),
      tailNeg: d.tailNeg.subarray(g * (k + 1), (g + 1) * (k + 1)),
      get sum() {
        return d.sums[g] ?? 0;
      },
      all: d.all,
    }));
    if (!overall) return perGroup;
    const everyone: DenseCounts = {
      values: t.values,
      pos: d.all.pos,
      neg: d.all.neg,
      tailPos: d.all.tailPos,
      tailNeg: d.all.tailNeg,
      get sum() {
        return d.sums[groups] ?? 0;
      },
      all: d.all,
    };
    return [...perGroup, everyone];
  });
  const withAll = input.needsAllGroups === true;
  const evaluate = (draws: Float64Array, record: (k: number, g: number, s: number, value: number) => void): void => {
    tables.forEach((t, s) => {
      const d = dense[s];
      const v = views[s];
      if (d === undefined || v === undefined) return;
      accumulate(t, d, draws, patients, groups, withAll, overall);
      statistics.forEach((stat, k) => {
        v.forEach((c, g) => record(k, g, s, stat(c, s)));
      });
    });
  };
  // The data itself: every patient once.
  evaluate(new Float64Array(patients).fill(1), (k, g, s, value) => {
    const row = estimates[k]?.[g];
    if (row !== undefined) row[s] = value;
  });
  const weightsOf = replicateWeights(input.method ?? 'multinomial', patients, seed, input.keys);
  const draws = new Float64Array(patients);
  for (let b = 0; b < B; b++) {
    weightsOf(b, draws);
    evaluate(draws, (k, g, s, value) => {
      const reps = replicates[k]?.[g]?.[s];
      if (reps !== undefined) reps[b] = value;
    });
  }
  return { estimates, replicates };
}

/** A percentile interval (R's type-7 quantiles) of the finite replicates; null when fewer than 2 are finite. */
export function percentileInterval(replicates: Float64Array, level: number): { ci: [number, number]; se: number; replicates: number } | null {
  const v = replicates.filter((x) => Number.isFinite(x)).sort();
  if (v.length < 2) return null;
  return { ci: [quantile7(v, (1 - level) / 2), quantile7(v, 1 - (1 - level) / 2)], se: sampleStandardDeviation(Array.from(v)), replicates: v.length };
}
