/**
 * Paired comparison of two AUROCs on the same observations by DeLong's method (DeLong, DeLong & Clarke-Pearson,
 * Biometrics 1988): the covariance of the two AUROCs from the structural components of each observation, as R's
 * pROC `roc.test(method = "delong", paired = TRUE)`. Observations count only when both scores and the outcome are
 * present.
 */
import type { ValueCounts } from '../stats/counts.js';
import { countsFor } from '../stats/counts.js';
import type { DelongComponents } from './auroc.js';
import { delongComponents } from './auroc.js';
import type { Outcomes, Scores } from '../stats/input.js';
import { outcomeValue } from '../stats/input.js';
import { pnorm, qnorm } from '../stats/normal.js';
import { lowerBound } from '../stats/sorted.js';
import type { Direction, Undefined } from '../stats/result.js';
import { checkOptions, classReason, directionOf, levelOf, undefinedResult } from '../stats/result.js';

export interface AurocComparison {
  readonly defined: true;
  readonly aucA: number;
  readonly aucB: number;
  /** The difference aucA − aucB. */
  readonly estimate: number;
  readonly se: number;
  readonly ci: readonly [number, number];
  /** null when the variance of the difference is 0 (identical rankings). */
  readonly z: number | null;
  readonly p: number | null;
  readonly level: number;
  readonly nPositive: number;
  readonly nNegative: number;
  readonly nMissing: number;
  readonly warnings: readonly string[];
}

export interface AurocComparisonUndefined extends Undefined<'empty' | 'no-positives' | 'no-negatives' | 'too-few-cases'> {
  readonly nPositive: number;
  readonly nNegative: number;
  readonly nMissing: number;
}

/** Per-observation structural components of one score. */
function components(scores: Float64Array, labels: Uint8Array, counts: ValueCounts, d: DelongComponents, sign: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const k = lowerBound(counts.values, sign * (scores[i] ?? NaN));
    out[i] = labels[i] === 1 ? (d.v10[k] ?? NaN) : (d.v01[k] ?? NaN);
  }
  return out;
}

/**
 * Compare the AUROCs of two scores on the same observations (paired DeLong test). Runs in O(n log n).
 *
 * @param a first score; `b` second score; `outcome` true/1 for an event
 * @param options direction (both scores) and confidence level of the interval for the difference
 * @returns `{ defined: true, estimate (aucA − aucB), se, ci, z, p, aucA, aucB, … }` or `{ defined: false, reason, message }`
 * @example compareAuroc(news2Totals, apolloProbabilities, died).p; // two-sided p-value
 */
export function compareAuroc(
  a: Scores,
  b: Scores,
  outcome: Outcomes,
  options?: { direction?: Direction; level?: number },
): AurocComparison | AurocComparisonUndefined {
  const caller = 'compareAuroc';
  const o = checkOptions(caller, options);
  const level = levelOf(caller, o);
  const direction = directionOf(caller, o);
  if (a.length !== b.length || a.length !== outcome.length) {
    throw new TypeError(`${caller}: "a", "b" and "outcome" must have the same length; received ${a.length}, ${b.length} and ${outcome.length}.`);
  }
  const sign = direction === 'lower' ? -1 : 1;
  const sa: number[] = [];
  const sb: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const w = b[i];
    const y = outcomeValue(caller, outcome[i], i);
    if (x === null || x === undefined || Number.isNaN(x) || w === null || w === undefined || Number.isNaN(w) || y < 0) continue;
    sa.push(x);
    sb.push(w);
    ys.push(y);
  }
  const nMissing = a.length - ys.length;
  const labels = Uint8Array.from(ys);
  const m = ys.reduce((s, y) => s + y, 0);
  const n = ys.length - m;
  const base = { nPositive: m, nNegative: n, nMissing };
  const why = classReason(caller, m, n);
  if (why !== null) return { ...why, ...base };
  if (m < 2 || n < 2) return { ...undefinedResult(caller, 'too-few-cases', 'the DeLong covariance needs at least two positives and two negatives'), ...base };
  const ca = countsFor(caller, sa, ys, direction).counts;
  const cb = countsFor(caller, sb, ys, direction).counts;
  const da = delongComponents(ca);
  const db = delongComponents(cb);
  const va = components(Float64Array.from(sa), labels, ca, da, sign);
  const vb = components(Float64Array.from(sb), labels, cb, db, sign);
  // Covariance of the components over positives (S10) and over negatives (S01).
  let s10 = 0;
  let s01 = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) s10 += ((va[i] ?? NaN) - da.auc) * ((vb[i] ?? NaN) - db.auc);
    else s01 += ((va[i] ?? NaN) - da.auc) * ((vb[i] ?? NaN) - db.auc);
  }
  return comparisonOf(da, db, s10, s01, level, base);
}

/**
 * The paired DeLong comparison from each score's components and the sums of the products of their deviations over
 * positives (`s10`) and negatives (`s01`), not yet divided.
 */
function comparisonOf(
  da: DelongComponents,
  db: DelongComponents,
  s10Sum: number,
  s01Sum: number,
  level: number,
  base: { nPositive: number; nNegative: number; nMissing: number },
): AurocComparison {
  const m = base.nPositive;
  const n = base.nNegative;
  const s10 = s10Sum / (m - 1);
  const s01 = s01Sum / (n - 1);
  const variance = Math.max(0, da.s10 / m + da.s01 / n + db.s10 / m + db.s01 / n - 2 * (s10 / m + s01 / n));
  const se = Math.sqrt(variance);
  const difference = da.auc - db.auc;
  const zc = qnorm(1 - (1 - level) / 2);
  const warnings: string[] = [];
  if (m < 10) warnings.push('fewer-than-10-events');
  if (se === 0) warnings.push('zero-variance');
  const z = se > 0 ? difference / se : null;
  return {
    defined: true,
    aucA: da.auc,
    aucB: db.auc,
    estimate: difference,
    se,
    ci: [difference - zc * se, difference + zc * se],
    z,
    p: z === null ? null : 2 * pnorm(-Math.abs(z)),
    level,
    ...base,
    warnings,
  };
}

/** One cell of two scores' joint counts: a's value, b's value, and the positive and negative sets with both. */
export interface JointCountCell {
  readonly a: number;
  readonly b: number;
  readonly positive: number;
  readonly negative: number;
}

/** A score's marginal counts from joint cells, and where each of its values sits. */
function marginal(cells: readonly JointCountCell[], pick: (c: JointCountCell) => number): { counts: ValueCounts; index: Map<number, number> } {
  const values = Float64Array.from(new Set(cells.map(pick))).sort();
  const index = new Map([...values].map((v, k) => [v, k]));
  const pos = new Float64Array(values.length);
  const neg = new Float64Array(values.length);
  for (const c of cells) {
    const k = index.get(pick(c)) as number;
    pos[k] = (pos[k] as number) + c.positive;
    neg[k] = (neg[k] as number) + c.negative;
  }
  return { counts: { values, pos, neg }, index };
}

/**
 * The paired DeLong comparison of two scores (higher = more likely an event) from their joint counts — sets per
 * (a's value, b's value) and outcome — instead of the sets themselves: each set's structural components depend only
 * on its values, so the covariance sums run over the cells. Equal to {@link compareAuroc} on the sets the cells count
 * (to floating-point summation order, ≤ 1e-12 relative). Runs in O(cells).
 *
 * @example compareAurocFromJointCounts([{ a: 1, b: 2, positive: 3, negative: 1 }, …]).p;
 */
export function compareAurocFromJointCounts(cells: readonly JointCountCell[], options?: { level?: number }): AurocComparison | AurocComparisonUndefined {
  const caller = 'compareAurocFromJointCounts';
  const level = levelOf(caller, checkOptions(caller, options));
  let m = 0;
  let n = 0;
  for (const c of cells) {
    m += c.positive;
    n += c.negative;
  }
  const base = { nPositive: m, nNegative: n, nMissing: 0 };
  const why = classReason(caller, m, n);
  if (why !== null) return { ...why, ...base };
  if (m < 2 || n < 2) return { ...undefinedResult(caller, 'too-few-cases', 'the DeLong covariance needs at least two positives and two negatives'), ...base };
  const A = marginal(cells, (c) => c.a);
  const B = marginal(cells, (c) => c.b);
  const da = delongComponents(A.counts);
  const db = delongComponents(B.counts);
  let s10 = 0;
  let s01 = 0;
  for (const c of cells) {
    const ka = A.index.get(c.a) as number;
    const kb = B.index.get(c.b) as number;
    s10 += c.positive * ((da.v10[ka] as number) - da.auc) * ((db.v10[kb] as number) - db.auc);
    s01 += c.negative * ((da.v01[ka] as number) - da.auc) * ((db.v01[kb] as number) - db.auc);
  }
  return comparisonOf(da, db, s10, s01, level, base);
}
