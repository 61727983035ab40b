/**
 * Observations are clustered in patients, so observation-level DeLong intervals are too narrow. Two remedies:
 *
 * - `clusterBootstrapAuroc`: resample patients with replacement (all of each patient's observations), seeded,
 *   B = 1000 by default, percentile intervals (R's type-7 quantiles); the same resamples serve every score, so
 *   paired differences are valid. Each patient is reduced once to a small table of counts per (score value,
 *   outcome); a replicate adds the tables of the patients drawn, weighted by how often each was drawn — no row is
 *   touched again. Continuous scores are bootstrapped in 10,000 rank buckets (see `bucketed`).
 * - `obuchowskiAuroc`: the analytic clustered variance of Obuchowski (Biometrics 1997;53:567–78).
 */
import type { Direction } from '../stats/counts.js';
import { countsFor } from '../stats/counts.js';
import { delongComponents } from '../metrics/auroc.js';
import { groupBootstrap, pairedDifference, percentileInterval } from './group-bootstrap.js';
import { aucStatistic } from './count-statistics.js';
import { lowerBound } from '../stats/sorted.js';
import type { Clusters, Outcomes, Scores } from '../stats/input.js';
import { outcomeValue } from '../stats/input.js';
import { qnorm } from '../stats/normal.js';
import type { Undefined } from '../stats/result.js';
import { checkOptions, classReason, directionOf, levelOf, undefinedResult } from '../stats/result.js';

/** Complete rows (every score, outcome and cluster present), with clusters numbered 0…G−1 in order of appearance. */
function completeRows(caller: string, scores: Record<string, Scores>, outcome: Outcomes, cluster: Clusters) {
  const names = Object.keys(scores);
  if (names.length === 0) throw new TypeError(`${caller}: argument "scores" expected at least one named score.`);
  const n = outcome.length;
  for (const name of names) {
    if ((scores[name] as Scores).length !== n)
      throw new TypeError(`${caller}: score "${name}" has ${(scores[name] as Scores).length} values; expected ${n} (one per outcome).`);
  }
  if (cluster.length !== n) throw new TypeError(`${caller}: "cluster" has ${cluster.length} values; expected ${n} (one per outcome).`);
  const ids = new Map<string | number, number>();
  const rows: number[] = [];
  const clusterOf: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = outcomeValue(caller, outcome[i], i);
    const c = cluster[i];
    if (y < 0 || c === null || c === undefined) continue;
    if (
      names.some((name) => {
        const v = (scores[name] as Scores)[i];
        return v === null || v === undefined || Number.isNaN(v);
      })
    )
      continue;
    let g = ids.get(c);
    if (g === undefined) {
      g = ids.size;
      ids.set(c, g);
    }
    rows.push(i);
    clusterOf.push(g);
    labels.push(y);
  }
  return { names, rows, cluster: Int32Array.from(clusterOf), labels: Uint8Array.from(labels), clusters: ids.size, nMissing: n - rows.length };
}

/** A bootstrap percentile interval with the bootstrap standard error. */
export interface BootstrapInterval {
  readonly defined: true;
  readonly estimate: number;
  readonly ci: readonly [number, number];
  readonly se: number;
}

/** A bootstrap interval, or why there is none (no replicate had both outcome classes). */
export type BootstrapEstimate = BootstrapInterval | Undefined<'no-defined-replicates'>;

export interface ClusterBootstrapDefined {
  readonly defined: true;
  readonly replicates: number;
  /** Replicates in which some score's AUROC was undefined (a resample with one outcome class); left out. */
  readonly undefinedReplicates: number;
  readonly clusters: number;
  readonly level: number;
  readonly seed: number;
  /** Per score: the AUROC with its patient-clustered percentile interval. */
  readonly auroc: Readonly<Record<string, BootstrapEstimate>>;
  /** Paired differences for every pair of scores, keyed `"a - b"`. */
  readonly differences: Readonly<Record<string, BootstrapEstimate>>;
  readonly nMissing: number;
}

/** The bootstrap, or why AUROC is undefined on the complete rows (empty, one outcome class). */
export type ClusterBootstrapResult = ClusterBootstrapDefined | (Undefined<'empty' | 'no-positives' | 'no-negatives'> & { readonly nMissing: number });

/** Options of {@link clusterBootstrapAuroc}. */
export interface ClusterBootstrapOptions {
  /** Replicates (default 1000). */
  B?: number;
  /** Seed of the resampling (default 1): same data and seed, same intervals. */
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Higher score = higher risk (default), or lower. */
  direction?: Direction;
}

/**
 * Patient-clustered bootstrap of AUROC for one or several scores, with the same resamples for every score (built on
 * `groupBootstrap`: per-patient count tables, so a replicate never touches a row). Runs in
 * O(n log n) to build the tables, then O(B · (patients + table entries)) — independent of rows.
 *
 * @param scores named scores, e.g. `{ news2: totals, apollo: probabilities }` (higher = riskier)
 * @param outcome true/1 for an event
 * @param cluster the patient (or other cluster) of each observation
 * @param options replicates `B` (default 1000), `seed` (default 1), `level` (default 0.95), `direction`
 * @returns per-score AUROC with percentile CI and bootstrap SE, and paired differences
 * @example clusterBootstrapAuroc({ news2, apollo }, y, patientId, { B: 1000, seed: 7 }).differences['news2 - apollo'].ci;
 */
export function clusterBootstrapAuroc(
  scores: Record<string, Scores>,
  outcome: Outcomes,
  cluster: Clusters,
  options?: ClusterBootstrapOptions,
): ClusterBootstrapResult {
  const caller = 'clusterBootstrapAuroc';
  const o = checkOptions(caller, options);
  const B = o.B ?? 1000;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`${caller}: option "B" expected a whole number ≥ 1; received ${String(B)}.`);
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`${caller}: option "seed" expected a whole number; received ${String(seed)}.`);
  const level = levelOf(caller, o);
  const sign = directionOf(caller, o) === 'lower' ? -1 : 1;
  const { names, rows, cluster: patient, labels, clusters, nMissing } = completeRows(caller, scores, outcome, cluster);
  let m = 0;
  for (let i = 0; i < labels.length; i++) m += labels[i] ?? NaN;
  const why = classReason(caller, m, labels.length - m);
  if (why !== null) return { ...why, nMissing };
  const arrays = names.map((name) => Float64Array.from(rows, (i) => sign * (scores[name]?.[i] ?? NaN) + 0));
  const estimates = arrays.map((s) => delongComponents(countsFor(caller, s, labels, 'higher').counts).auc);
  const reps = groupBootstrap({
    scores: arrays,
    labels,
    patient,
    patients: clusters,
    group: new Int32Array(rows.length),
    groups: 1,
    statistics: { auroc: aucStatistic },
    B,
    seed,
  });
  const perScore = names.map((_, s) => reps.of('auroc', 0, s));
  // A replicate with one outcome class has no AUROC for any score: leave it out of every summary.
  const ok = Array.from({ length: B }, (_, r) => perScore.every((v) => Number.isFinite(v[r] ?? NaN)));
  const kept = ok.filter(Boolean).length;
  const summarise = (values: Float64Array, estimate: number): BootstrapEstimate => {
    const p = percentileInterval(
      values.filter((_, r) => ok[r] === true),
      level,
    );
    return p === null
      ? undefinedResult(caller, 'no-defined-replicates', 'no resample had both outcome classes')
      : { defined: true, estimate, ci: p.ci, se: p.se };
  };
  const auc: Record<string, BootstrapEstimate> = {};
  names.forEach((name, s) => {
    auc[name] = summarise(perScore[s] as Float64Array, estimates[s] ?? NaN);
  });
  const differences: Record<string, BootstrapEstimate> = {};
  for (let a = 0; a < names.length; a++) {
    for (let c = a + 1; c < names.length; c++) {
      const diff = pairedDifference(perScore[a] as Float64Array, perScore[c] as Float64Array);
      differences[`${names[a]} - ${names[c]}`] = summarise(diff, (estimates[a] ?? NaN) - (estimates[c] ?? NaN));
    }
  }
  return { defined: true, replicates: kept, undefinedReplicates: B - kept, clusters, level, seed, auroc: auc, differences, nMissing };
}

/** Obuchowski's clustered AUROC, or why it is undefined. */
export type ObuchowskiResult =
  | {
      readonly defined: true;
      readonly estimate: number;
      readonly se: number;
      readonly variance: number;
      readonly ci: readonly [number, number];
      readonly level: number;
      readonly clusters: number;
      readonly nPositive: number;
      readonly nNegative: number;
      readonly nMissing: number;
    }
  | (Undefined<'empty' | 'no-positives' | 'no-negatives' | 'too-few-clusters'> & { readonly nMissing: number });

/**
 * Obuchowski's clustered AUROC variance (Biometrics 1997): structural components summed within clusters,
 * var = S10/M + S01/N + 2·S11/(M·N). With one observation per cluster it equals DeLong's variance.
 * Runs in O(n log n).
 *
 * @returns `{ defined: true, estimate, se, ci, clusters, … }`, or `{ defined: false, reason, message }` for empty or
 *   one-class input or fewer than two clusters with each outcome
 * @example obuchowskiAuroc([1, 2, 3, 4], [0, 1, 0, 1], ['a', 'a', 'b', 'b']).defined; // => false (too few clusters with a positive … )
 */
export function obuchowskiAuroc(score: Scores, outcome: Outcomes, cluster: Clusters, options?: { level?: number; direction?: Direction }): ObuchowskiResult {
  const caller = 'obuchowskiAuroc';
  const o = checkOptions(caller, options);
  const level = levelOf(caller, o);
  const sign = directionOf(caller, o) === 'lower' ? -1 : 1;
  const { rows, cluster: cl, labels, clusters, nMissing } = completeRows(caller, { score }, outcome, cluster);
  const s = Float64Array.from(rows, (i) => sign * (score[i] ?? NaN));
  const { counts } = countsFor(caller, s, labels, 'higher');
  let M = 0;
  for (let i = 0; i < labels.length; i++) M += labels[i] ?? NaN;
  const N = labels.length - M;
  const why = classReason(caller, M, N);
  if (why !== null) return { ...why, nMissing };
  const d = delongComponents(counts);
  const v10 = new Float64Array(clusters);
  const v01 = new Float64Array(clusters);
  const m = new Float64Array(clusters);
  const nn = new Float64Array(clusters);
  for (let i = 0; i < s.length; i++) {
    const k = lowerBound(counts.values, s[i] ?? NaN);
    const g = cl[i] ?? NaN;
    if (labels[i] === 1) {
      v10[g] = (v10[g] ?? NaN) + (d.v10[k] ?? NaN);
      m[g] = (m[g] ?? NaN) + 1;
    } else {
      v01[g] = (v01[g] ?? NaN) + (d.v01[k] ?? NaN);
      nn[g] = (nn[g] ?? NaN) + 1;
    }
  }
  let i10 = 0;
  let i01 = 0;
  let s10 = 0;
  let s01 = 0;
  let s11 = 0;
  for (let g = 0; g < clusters; g++) {
    const a = (v10[g] ?? NaN) - (m[g] ?? NaN) * d.auc;
    const b = (v01[g] ?? NaN) - (nn[g] ?? NaN) * d.auc;
    if ((m[g] ?? NaN) > 0) i10++;
    if ((nn[g] ?? NaN) > 0) i01++;
    s10 += a * a;
    s01 += b * b;
    s11 += a * b;
  }
  return obuchowskiFromSums({ auc: d.auc, M, N, s10, s01, s11, i10, i01, clusters, level, nMissing }, caller);
}

/** The sums Obuchowski's variance is made of (before scaling), with the counts that scale them. */
export interface ObuchowskiSums {
  readonly auc: number;
  /** Positive and negative units. */
  readonly M: number;
  readonly N: number;
  /** Σ over clusters of (V10 − m·AUC)², (V01 − n·AUC)² and their product. */
  readonly s10: number;
  readonly s01: number;
  readonly s11: number;
  /** Clusters with a positive, with a negative, and all clusters. */
  readonly i10: number;
  readonly i01: number;
  readonly clusters: number;
  readonly level: number;
  readonly nMissing: number;
}

/**
 * Obuchowski's interval from its sums: var = S10/M + S01/N + 2·S11/(M·N), each S scaled by its clusters; undefined
 * with fewer than two clusters with a positive or with a negative. Runs in O(1).
 */
export function obuchowskiFromSums(x: ObuchowskiSums, caller = 'obuchowskiAuroc'): ObuchowskiResult {
  const { auc, M, N, i10, i01, clusters, level, nMissing } = x;
  if (i10 < 2 || i01 < 2)
    return {
      ...undefinedResult(caller, 'too-few-clusters', 'the clustered variance needs at least two clusters with a positive and two with a negative'),
      nMissing,
    };
  const s10 = x.s10 * (i10 / ((i10 - 1) * M));
  const s01 = x.s01 * (i01 / ((i01 - 1) * N));
  const s11 = x.s11 * (clusters / (clusters - 1));
  const variance = s10 / M + s01 / N + (2 * s11) / (M * N);
  const se = Math.sqrt(Math.max(0, variance));
  const z = qnorm(1 - (1 - level) / 2);
  return {
    defined: true,
    estimate: auc,
    se,
    variance,
    ci: [Math.max(0, auc - z * se), Math.min(1, auc + z * se)],
    level,
    clusters,
    nPositive: M,
    nNegative: N,
    nMissing,
  };
}
