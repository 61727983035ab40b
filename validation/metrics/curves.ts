/**
 * ROC and precision–recall curves, and average precision, from per-value counts (exact with ties: each distinct
 * score is one threshold, "positive when score ≥ threshold").
 *
 * Average precision follows scikit-learn's step definition (`average_precision_score`):
 * AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over thresholds in decreasing order — no interpolation.
 */
import type { ValueCounts } from '../stats/counts.js';
import { classTotals, countsFor } from '../stats/counts.js';
import type { Outcomes, Scores } from '../stats/input.js';
import type { Direction, Undefined } from '../stats/result.js';
import { checkOptions, classReason, directionOf, undefinedResult } from '../stats/result.js';

export interface RocPoint {
  /** Positive when score ≥ threshold (in the score's own units; `direction: 'lower'` means ≤). */
  readonly threshold: number;
  readonly fpr: number;
  readonly tpr: number;
}

export interface PrPoint {
  readonly threshold: number;
  readonly recall: number;
  readonly precision: number;
}

/** Class sizes and pairs left out, carried by every curve result. */
export interface CurveSizes {
  readonly nPositive: number;
  readonly nNegative: number;
  readonly nMissing: number;
}

/** A curve, or why it is undefined. */
export type CurveResult<P> =
  ({ readonly defined: true; readonly points: readonly P[] } & CurveSizes) | (Undefined<'empty' | 'no-positives' | 'no-negatives'> & CurveSizes);

/** Average precision, or why it is undefined. */
export type AveragePrecisionResult = ({ readonly defined: true; readonly estimate: number } & CurveSizes) | (Undefined<'empty' | 'no-positives'> & CurveSizes);

/** Options of the curve functions. */
export interface CurveOptions {
  /** Higher score = higher risk (default), or lower. For the from-counts forms: the direction the counts were made with, so thresholds come back in the score's own units. */
  direction?: Direction;
}

/** Options of the from-counts curve functions. */
export interface CurveFromCountsOptions extends CurveOptions {
  /** Pairs left out upstream (reported back as `nMissing`; default 0). */
  nMissing?: number;
}

function rocOf(caller: string, c: ValueCounts, sign: number, nMissing: number): CurveResult<RocPoint> {
  const { nPositive: m, nNegative: n } = classTotals(c);
  const sizes = { nPositive: m, nNegative: n, nMissing };
  const why = classReason(caller, m, n);
  if (why !== null) return { ...why, ...sizes };
  const out: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = c.values.length - 1; i >= 0; i--) {
    tp += c.pos[i] ?? NaN;
    fp += c.neg[i] ?? NaN;
    out.push({ threshold: sign * (c.values[i] ?? NaN), fpr: fp / n, tpr: tp / m });
  }
  return { defined: true, points: out, ...sizes };
}

function prOf(caller: string, c: ValueCounts, sign: number, nMissing: number): CurveResult<PrPoint> {
  const { nPositive: m, nNegative: n } = classTotals(c);
  const sizes = { nPositive: m, nNegative: n, nMissing };
  if (m + n === 0) return { ...undefinedResult(caller, 'empty', 'no complete (score, outcome) pairs'), ...sizes };
  if (m === 0) return { ...undefinedResult(caller, 'no-positives', 'every outcome is negative, so recall is undefined'), ...sizes };
  const out: PrPoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = c.values.length - 1; i >= 0; i--) {
    tp += c.pos[i] ?? NaN;
    fp += c.neg[i] ?? NaN;
    out.push({ threshold: sign * (c.values[i] ?? NaN), recall: tp / m, precision: tp / (tp + fp) });
  }
  return { defined: true, points: out, ...sizes };
}

function apOf(caller: string, c: ValueCounts, nMissing: number): AveragePrecisionResult {
  const curve = prOf(caller, c, 1, nMissing);
  if (!curve.defined) return curve as AveragePrecisionResult;
  let ap = 0;
  let previous = 0;
  for (const p of curve.points) {
    ap += (p.recall - previous) * p.precision;
    previous = p.recall;
  }
  return { defined: true, estimate: ap, nPositive: curve.nPositive, nNegative: curve.nNegative, nMissing };
}

const signOf = (caller: string, options: CurveOptions): number => (directionOf(caller, options) === 'lower' ? -1 : 1);

/**
 * The ROC curve from counts (mergeable across partitions): (0, 0), then one point per distinct value from the highest
 * down. Runs in O(k) for k distinct values.
 *
 * @returns `{ defined: true, points, … }`, or `{ defined: false, reason, message }` without both classes
 * @example rocFromCounts(countsOf([1, 2, 3], [0, 1, 1]).counts).points.length; // => 4
 */
export function rocFromCounts(counts: ValueCounts, options?: CurveFromCountsOptions): CurveResult<RocPoint> {
  const caller = 'rocFromCounts';
  const o = checkOptions(caller, options);
  return rocOf(caller, counts, signOf(caller, o), o.nMissing ?? 0);
}

/**
 * The precision–recall curve from counts, from the highest threshold down. Runs in O(k).
 *
 * @returns `{ defined: true, points, … }`, or `{ defined: false, reason, message }` with no positives
 */
export function prFromCounts(counts: ValueCounts, options?: CurveFromCountsOptions): CurveResult<PrPoint> {
  const caller = 'prFromCounts';
  const o = checkOptions(caller, options);
  return prOf(caller, counts, signOf(caller, o), o.nMissing ?? 0);
}

/**
 * Average precision (scikit-learn's step definition) from counts. Runs in O(k).
 *
 * @returns `{ defined: true, estimate, … }`, or `{ defined: false, reason, message }` with no positives
 */
export function averagePrecisionFromCounts(counts: ValueCounts, options?: { nMissing?: number }): AveragePrecisionResult {
  const caller = 'averagePrecisionFromCounts';
  return apOf(caller, counts, checkOptions(caller, options).nMissing ?? 0);
}

/**
 * The ROC curve of a score. Runs in O(n) for integer scores, O(n log n) otherwise.
 *
 * @example rocCurve([1, 2, 3], [0, 1, 1]).points; // [{threshold: ∞, fpr: 0, tpr: 0}, {3, 0, .5}, {2, 0, 1}, {1, 1, 1}]
 */
export function rocCurve(score: Scores, outcome: Outcomes, options?: CurveOptions): CurveResult<RocPoint> {
  const caller = 'rocCurve';
  const o = checkOptions(caller, options);
  const { counts, nMissing } = countsFor(caller, score, outcome, directionOf(caller, o));
  return rocOf(caller, counts, signOf(caller, o), nMissing);
}

/** The precision–recall curve of a score. Runs in O(n) or O(n log n). */
export function prCurve(score: Scores, outcome: Outcomes, options?: CurveOptions): CurveResult<PrPoint> {
  const caller = 'prCurve';
  const o = checkOptions(caller, options);
  const { counts, nMissing } = countsFor(caller, score, outcome, directionOf(caller, o));
  return prOf(caller, counts, signOf(caller, o), nMissing);
}

/**
 * Average precision (area under the step precision–recall curve, as scikit-learn computes it).
 *
 * @returns `{ defined: true, estimate, nPositive, nMissing }`, or `{ defined: false, reason, message }` with no positives
 * @example averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]).estimate; // => 0.8333…
 */
export function averagePrecision(score: Scores, outcome: Outcomes, options?: CurveOptions): AveragePrecisionResult {
  const caller = 'averagePrecision';
  const o = checkOptions(caller, options);
  const { counts, nMissing } = countsFor(caller, score, outcome, directionOf(caller, o));
  return apOf(caller, counts, nMissing);
}
