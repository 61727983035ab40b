/**
 * ROC and precision–recall curves, and average precision, from per-value counts (exact with ties: each distinct
 * score is one threshold, "positive when score ≥ threshold").
 *
 * Average precision follows scikit-learn's step definition (`average_precision_score`):
 * AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over thresholds in decreasing order — no interpolation.
 */
import type { Direction, ValueCounts } from '../stats/counts.js';
import { countsOf } from '../stats/counts.js';
import type { Outcomes, Scores } from '../stats/input.js';

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

function totals(c: ValueCounts): [number, number] {
  let m = 0;
  let n = 0;
  for (let i = 0; i < c.values.length; i++) {
    m += c.pos[i] as number;
    n += c.neg[i] as number;
  }
  return [m, n];
}

/**
 * The ROC curve from counts: (0, 0), then one point per distinct value from the highest down. Runs in O(k).
 * With no positives or no negatives, the undefined rate is null-free but the curve is empty.
 */
export function rocFromCounts(c: ValueCounts, sign = 1): RocPoint[] {
  const [m, n] = totals(c);
  if (m === 0 || n === 0) return [];
  const out: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = c.values.length - 1; i >= 0; i--) {
    tp += c.pos[i] as number;
    fp += c.neg[i] as number;
    out.push({ threshold: sign * (c.values[i] as number), fpr: fp / n, tpr: tp / m });
  }
  return out;
}

/** The precision–recall curve from counts, from the highest threshold down. Runs in O(k). */
export function prFromCounts(c: ValueCounts, sign = 1): PrPoint[] {
  const [m] = totals(c);
  if (m === 0) return [];
  const out: PrPoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = c.values.length - 1; i >= 0; i--) {
    tp += c.pos[i] as number;
    fp += c.neg[i] as number;
    out.push({ threshold: sign * (c.values[i] as number), recall: tp / m, precision: tp / (tp + fp) });
  }
  return out;
}

/** Average precision (scikit-learn's step definition) from counts; null when there are no positives. */
export function averagePrecisionFromCounts(c: ValueCounts): number | null {
  const curve = prFromCounts(c);
  if (curve.length === 0) return null;
  let ap = 0;
  let previous = 0;
  for (const p of curve) {
    ap += (p.recall - previous) * p.precision;
    previous = p.recall;
  }
  return ap;
}

/**
 * The ROC curve of a score. Runs in O(n) for integer scores, O(n log n) otherwise.
 *
 * @example rocCurve([1, 2, 3], [0, 1, 1]); // [{threshold: ∞, fpr: 0, tpr: 0}, {3, 0, .5}, {2, 0, 1}, {1, 1, 1}]
 */
export function rocCurve(score: Scores, outcome: Outcomes, options: { direction?: Direction } = {}): RocPoint[] {
  const { counts } = countsOf(score, outcome, options.direction ?? 'higher', 'rocCurve');
  return rocFromCounts(counts, options.direction === 'lower' ? -1 : 1);
}

/** The precision–recall curve of a score. Runs in O(n) or O(n log n). */
export function prCurve(score: Scores, outcome: Outcomes, options: { direction?: Direction } = {}): PrPoint[] {
  const { counts } = countsOf(score, outcome, options.direction ?? 'higher', 'prCurve');
  return prFromCounts(counts, options.direction === 'lower' ? -1 : 1);
}

/**
 * Average precision (area under the step precision–recall curve, as scikit-learn computes it).
 *
 * @returns `{ value, nPositive, nMissing }`, with `value: null` and a `reason` when there are no positives
 * @example averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]).value; // => 0.8333…
 */
export function averagePrecision(score: Scores, outcome: Outcomes, options: { direction?: Direction } = {}): { value: number | null; reason?: string; nPositive: number; nMissing: number } {
  const { counts, nMissing } = countsOf(score, outcome, options.direction ?? 'higher', 'averagePrecision');
  const [m] = totals(counts);
  const value = averagePrecisionFromCounts(counts);
  return value === null ? { value, reason: m + totals(counts)[1] === 0 ? 'empty' : 'no-positives', nPositive: m, nMissing } : { value, nPositive: m, nMissing };
}
