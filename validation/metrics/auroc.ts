/**
 * Area under the ROC curve with DeLong's variance.
 *
 * - AUROC is the Mann–Whitney probability P(score₊ > score₋) + ½·P(score₊ = score₋), exact with ties.
 * - Variance by DeLong, DeLong & Clarke-Pearson (Biometrics 1988;44:837–45), computed from structural components
 *   in the fast form of Sun & Xu (IEEE Signal Process Lett 2014;21:1389–93): a positive's component is the share of
 *   negatives below it (ties count half), a negative's is the share of positives above it. Grouping equal scores
 *   makes both a function of the per-value counts, so the integer-score path (bucketing) and the sorting path give
 *   the same answer, and counts merge across batches.
 * - Confidence interval: AUROC ± z·SE, clipped to [0, 1] (as R's pROC `ci.auc(method = "delong")`).
 */
import type { ValueCounts } from '../stats/counts.js';
import { classTotals, countsFor } from '../stats/counts.js';
import type { Outcomes, Scores } from '../stats/input.js';
import { qnorm } from '../stats/normal.js';
import type { Direction, Undefined } from '../stats/result.js';
import { checkOptions, classReason, directionOf, levelOf } from '../stats/result.js';

/** Why an AUROC could not be computed. */
export type AurocUndefinedReason = 'empty' | 'no-positives' | 'no-negatives';

export interface AurocDefined {
  readonly defined: true;
  /** The AUROC: P(score₊ > score₋) + ½·P(score₊ = score₋). */
  readonly estimate: number;
  /** DeLong standard error; null with a single positive or a single negative (no variance can be estimated). */
  readonly se: number | null;
  readonly variance: number | null;
  /** DeLong interval, clipped to [0, 1]; it treats observation sets as independent (see the clustered intervals). */
  readonly ci: readonly [number, number] | null;
  readonly level: number;
  readonly nPositive: number;
  readonly nNegative: number;
  readonly nMissing: number;
  /** `constant-score` (one distinct value: AUROC is ½ by definition), `fewer-than-10-events`, `single-positive-or-negative`. */
  readonly warnings: readonly string[];
}

export interface AurocUndefined extends Undefined<AurocUndefinedReason> {
  readonly nPositive: number;
  readonly nNegative: number;
  readonly nMissing: number;
}

export type AurocResult = AurocDefined | AurocUndefined;

export interface AurocOptions {
  /** Higher score = higher risk (default), or lower. Never guessed from the data. */
  direction?: Direction;
  /** Confidence level of the interval (default 0.95). */
  level?: number;
}

/** Options of {@link aurocFromCounts}. */
export interface AurocFromCountsOptions {
  /** Confidence level of the interval (default 0.95). */
  level?: number;
  /** Pairs left out upstream (reported back as `nMissing`; default 0). */
  nMissing?: number;
}

/** DeLong's structural components per distinct value, and the pieces of AUROC and its variance. */
export interface DelongComponents {
  readonly auc: number;
  readonly m: number;
  readonly n: number;
  /** Per distinct value: the component of a positive there (share of negatives below + ½ ties). */
  readonly v10: Float64Array;
  /** Per distinct value: the component of a negative there (share of positives above + ½ ties). */
  readonly v01: Float64Array;
  readonly s10: number;
  readonly s01: number;
}

/**
 * DeLong components from counts. Runs in O(distinct values).
 */
export function delongComponents(c: ValueCounts): DelongComponents {
  const k = c.values.length;
  let m = 0;
  let n = 0;
  for (let i = 0; i < k; i++) {
    m += c.pos[i] ?? NaN;
    n += c.neg[i] ?? NaN;
  }
  const v10 = new Float64Array(k);
  const v01 = new Float64Array(k);
  // Twice the Mann–Whitney U: an exact integer for any realistic n, so AUROC is exact.
  let u2 = 0;
  let negBelow = 0;
  for (let i = 0; i < k; i++) {
    const q = c.neg[i] ?? NaN;
    u2 += (c.pos[i] ?? NaN) * (2 * negBelow + q);
    v10[i] = (negBelow + q / 2) / n;
    negBelow += q;
  }
  let posAbove = 0;
  for (let i = k - 1; i >= 0; i--) {
    const p = c.pos[i] ?? NaN;
    v01[i] = (posAbove + p / 2) / m;
    posAbove += p;
  }
  const auc = u2 / (2 * m * n);
  let s10 = 0;
  let s01 = 0;
  for (let i = 0; i < k; i++) {
    const d10 = (v10[i] ?? NaN) - auc;
    const d01 = (v01[i] ?? NaN) - auc;
    s10 += (c.pos[i] ?? NaN) * d10 * d10;
    s01 += (c.neg[i] ?? NaN) * d01 * d01;
  }
  return { auc, m, n, v10, v01, s10: m > 1 ? s10 / (m - 1) : Number.NaN, s01: n > 1 ? s01 / (n - 1) : Number.NaN };
}

/** AUROC and DeLong interval from counts, for the public function `caller`. */
export function aurocOfCounts(caller: string, counts: ValueCounts, level: number, nMissing: number): AurocResult {
  const { nPositive: m, nNegative: n } = classTotals(counts);
  const base = { nPositive: m, nNegative: n, nMissing };
  const why = classReason(caller, m, n);
  if (why !== null) return { ...why, ...base };
  const d = delongComponents(counts);
  const warnings: string[] = [];
  if (counts.values.length === 1) warnings.push('constant-score');
  if (m < 10) warnings.push('fewer-than-10-events');
  let variance: number | null = d.s10 / m + d.s01 / n;
  if (m === 1 || n === 1) {
    warnings.push('single-positive-or-negative');
    variance = null;
  }
  const se = variance === null ? null : Math.sqrt(variance);
  const z = qnorm(1 - (1 - level) / 2);
  const ci: readonly [number, number] | null = se === null ? null : [Math.max(0, d.auc - z * se), Math.min(1, d.auc + z * se)];
  return { defined: true, estimate: d.auc, se, variance, ci, level, ...base, warnings };
}

/**
 * AUROC with DeLong SE and CI from counts (exact; mergeable across batches and partitions). Runs in O(distinct values).
 *
 * @param counts positives and negatives per distinct value, ascending (higher = riskier)
 * @param options `level` (default 0.95), `nMissing` to carry through
 * @returns `{ defined: true, estimate, se, ci, … }` or `{ defined: false, reason, message }`
 * @example aurocFromCounts({ values: Float64Array.of(0, 1), pos: Float64Array.of(0, 2), neg: Float64Array.of(2, 0) }).estimate; // => 1
 */
export function aurocFromCounts(counts: ValueCounts, options?: AurocFromCountsOptions): AurocResult {
  const caller = 'aurocFromCounts';
  const o = checkOptions(caller, options);
  return aurocOfCounts(caller, counts, levelOf(caller, o), o.nMissing ?? 0);
}

/**
 * AUROC of a score for a binary outcome, exact with ties, with DeLong's SE and a CI clipped to [0, 1].
 * Integer scores are counted in one pass (O(n)); others are sorted (O(n log n)). Pairs with a missing score or
 * outcome are left out and counted in `nMissing`. One-class or empty input gives `{ defined: false, reason, message }`.
 * The DeLong interval treats observation sets as independent; with repeated sets per patient use
 * {@link obuchowskiAuroc} or {@link clusterBootstrapAuroc}.
 *
 * @param score risk scores (higher = riskier unless `direction: 'lower'`)
 * @param outcome true/1 for an event, false/0 otherwise
 * @param options direction and confidence level
 * @returns `{ defined: true, estimate, se, ci, nPositive, nNegative, … }` or `{ defined: false, reason, message, … }`
 * @throws {TypeError} for arrays of different lengths; {RangeError} for an outcome that is not boolean or 0/1, or a bad option
 * @example auroc([1, 2, 3, 4], [0, 0, 1, 1]).estimate; // => 1
 */
export function auroc(score: Scores, outcome: Outcomes, options?: AurocOptions): AurocResult {
  const caller = 'auroc';
  const o = checkOptions(caller, options);
  const level = levelOf(caller, o);
  const { counts, nMissing } = countsFor(caller, score, outcome, directionOf(caller, o));
  return aurocOfCounts(caller, counts, level, nMissing);
}
