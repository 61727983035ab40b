/**
 * Statistics of dense per-value counts, for the patient-clustered bootstrap: every reported estimate that is a
 * function of (score value × outcome) counts — AUROC, average precision, threshold metrics, observed risk in a range
 * of score values, observed/expected, net benefit — evaluated on each replicate's resampled counts (and on the data's
 * own counts for the point estimate). Each returns NaN where it is undefined in a replicate (e.g. one class); those
 * replicates are left out of the interval, and counted.
 */
import { lowerBound } from '../stats/sorted.js';
import type { CountStatistic, DenseCounts } from './group-bootstrap.js';
import { fitLogisticCounts } from '../stats/logistic-counts.js';
import { logit } from '../metrics/calibration.js';

/** Positives and negatives in total. Runs in O(1). */
function totals(c: DenseCounts): { m: number; n: number } {
  return { m: c.tailPos[0] ?? 0, n: c.tailNeg[0] ?? 0 };
}

/** True and false positives at score ≥ cut: the suffix sums at the first value ≥ cut. Runs in O(log k). */
function alertsAt(c: DenseCounts, cut: number): { tp: number; fp: number } {
  const i = lowerBound(c.values, cut);
  return { tp: c.tailPos[i] ?? 0, fp: c.tailNeg[i] ?? 0 };
}

/** AUROC (Mann–Whitney with ties) from dense counts; NaN with one class. */
export const aucStatistic: CountStatistic = ({ pos, neg }) => {
  let m = 0;
  let n = 0;
  let u2 = 0;
  let below = 0;
  for (let k = 0; k < pos.length; k++) {
    const p = pos[k] ?? 0;
    const q = neg[k] ?? 0;
    u2 += p * (2 * below + q);
    below += q;
    m += p;
    n += q;
  }
  return m === 0 || n === 0 ? Number.NaN : u2 / (2 * m * n);
};

/** Average precision (scikit-learn's step definition) from dense counts; NaN without positives. */
export const averagePrecisionStatistic: CountStatistic = ({ pos, neg }) => {
  let m = 0;
  for (let k = 0; k < pos.length; k++) m += pos[k] ?? 0;
  if (m === 0) return Number.NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (let k = pos.length - 1; k >= 0; k--) {
    const p = pos[k] ?? 0;
    tp += p;
    fp += neg[k] ?? 0;
    if (p > 0) ap += (p / m) * (tp / (tp + fp));
  }
  return ap;
};

/** The threshold metrics a cut-off gives. */
export type ThresholdMetric = 'sensitivity' | 'specificity' | 'ppv' | 'npv' | 'alertRate';

/**
 * A threshold metric at score ≥ cuts[s] (one cut per score; NaN for a score without one).
 *
 * @example proportionStatistic('sensitivity', [5]); // sensitivity of NEWS2 ≥ 5
 */
export function proportionStatistic(metric: ThresholdMetric, cuts: readonly (number | null)[]): CountStatistic {
  return (c, s) => {
    const cut = cuts[s];
    if (cut === null || cut === undefined) return Number.NaN;
    const { m, n } = totals(c);
    const { tp, fp } = alertsAt(c, cut);
    const fn = m - tp;
    const tn = n - fp;
    const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);
    switch (metric) {
      case 'sensitivity':
        return ratio(tp, m);
      case 'specificity':
        return ratio(tn, n);
      case 'ppv':
        return ratio(tp, tp + fp);
      case 'npv':
        return ratio(tn, tn + fn);
      default:
        return ratio(tp + fp, m + n);
    }
  };
}

/**
 * The observed risk among sets whose score lies in ranges[s] = [lo, hi] (inclusive); NaN with no such set.
 */
export function riskInRangeStatistic(ranges: readonly (readonly [number, number] | null)[]): CountStatistic {
  return (c, s) => {
    const range = ranges[s];
    if (range === null || range === undefined) return Number.NaN;
    let events = 0;
    let sets = 0;
    for (let k = 0; k < c.values.length; k++) {
      const v = c.values[k] ?? NaN;
      if (v < range[0] || v > range[1]) continue;
      events += c.pos[k] ?? 0;
      sets += (c.pos[k] ?? 0) + (c.neg[k] ?? 0);
    }
    return sets === 0 ? Number.NaN : events / sets;
  };
}

/**
 * Observed / expected events. For a probability (`probabilistic[s]`), expected = Σ p. For a points score,
 * expected = Σ over score values of the group's sets × the observed risk at that value in every group together
 * (indirect standardisation; needs `needsAllGroups`): O/E above 1 means more events than the same scores bring elsewhere — miscalibration
 * of the score in this group. Overall it is 1 by construction, and never reported as a finding.
 */
export function observedExpectedStatistic(probabilistic: readonly boolean[]): CountStatistic {
  return (c, s) => {
    let observed = 0;
    let expected = probabilistic[s] === true ? c.sum : 0;
    for (let k = 0; k < c.values.length; k++) {
      const pos = c.pos[k] ?? 0;
      observed += pos;
      if (probabilistic[s] === true) continue;
      const allSets = (c.all.pos[k] ?? 0) + (c.all.neg[k] ?? 0);
      if (allSets > 0) expected += ((pos + (c.neg[k] ?? 0)) * (c.all.pos[k] ?? 0)) / allSets;
    }
    return expected === 0 ? Number.NaN : observed / expected;
  };
}

/** logit(p) of each value, clipped as in `calibration`; cached per values array (the same for every group and replicate of a score). */
const logits = new WeakMap<Float64Array, Float64Array>();
function logitsOf(values: Float64Array): Float64Array {
  let l = logits.get(values);
  if (l === undefined) {
    l = Float64Array.from(values, logit);
    logits.set(values, l);
  }
  return l;
}

/** Most values a group's calibration fit uses; more (a model's bucketed probabilities) are merged into this many. */
export const CALIBRATION_RESOLUTION = 500;

/** How a column is calibrated: a model's probability, a points score (leave-group-out mapping), or not at all. */
export type CalibrationKind = 'probability' | 'points' | null;

/**
 * The linear predictor a group's sets are calibrated against, per value index: a model's logit(p), or — for a points
 * score, which has no probability of its own — the logistic mapping `a + b · score` fitted on **every other set**
 * (the score's counts in all groups less this group's: leave-group-out), so the group is compared with the risk the
 * same score carries elsewhere, never with a pool that contains it. Null when the mapping cannot be fitted (the
 * other sets have one class or one score value, or a non-increasing mapping).
 */
function predictorOf(c: DenseCounts, kind: 'probability' | 'points'): Float64Array | null {
  if (kind === 'probability') return logitsOf(c.values);
  const k = c.values.length;
  const otherPos = new Float64Array(k);
  const otherNeg = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    otherPos[i] = Math.max(0, (c.all.pos[i] ?? 0) - (c.pos[i] ?? 0));
    otherNeg[i] = Math.max(0, (c.all.neg[i] ?? 0) - (c.neg[i] ?? 0));
  }
  const mapping = fitLogisticCounts(c.values, otherPos, otherNeg, { offsetOnly: false });
  if (mapping === null || !(mapping.slope > 0)) return null;
  return Float64Array.from(c.values, (v) => mapping.intercept + mapping.slope * v);
}

/**
 * At most {@link CALIBRATION_RESOLUTION} consecutive runs of values, each with its events, non-events and the
 * set-weighted mean of its linear predictor: the fit on these is the fit on the values to within the spread of lp in
 * a run (runs of an ordered, equal-count bucketing are narrow).
 */
function coarsened(lp: Float64Array, pos: ArrayLike<number>, neg: ArrayLike<number>): { lp: Float64Array; pos: Float64Array; neg: Float64Array } {
  const k = lp.length;
  const width = Math.ceil(k / CALIBRATION_RESOLUTION);
  const m = Math.ceil(k / width);
  const out = { lp: new Float64Array(m), pos: new Float64Array(m), neg: new Float64Array(m) };
  for (let j = 0; j < m; j++) {
    let p = 0;
    let q = 0;
    let sum = 0;
    for (let i = j * width; i < Math.min(k, (j + 1) * width); i++) {
      const n = (pos[i] ?? 0) + (neg[i] ?? 0);
      p += pos[i] ?? 0;
      q += neg[i] ?? 0;
      sum += n * (lp[i] ?? 0);
    }
    out.pos[j] = p;
    out.neg[j] = q;
    out.lp[j] = p + q > 0 ? sum / (p + q) : Number.NaN;
  }
  return out;
}

/**
 * A group's weak calibration (Van Calster et al. 2016): `'intercept'` is calibration-in-the-large — α in
 * logit P(y) = α + lp with lp as offset (0 ideal; above 0, more events than predicted) — and `'slope'` is β in
 * logit P(y) = α + β · lp (1 ideal; below 1, the score's risk gradient is flatter in the group). lp is a model's
 * logit(p) or, for a points score, its leave-group-out mapping (see {@link predictorOf}; needs `needsAllGroups`).
 * NaN for a column of kind null, for everyone together (a view whose counts are the all-groups counts: a points
 * score's mapping would be fitted on nothing), when the group has one class, when the mapping cannot be fitted, or
 * when the fit does not converge.
 */
export function calibrationStatistic(which: 'intercept' | 'slope', kinds: readonly CalibrationKind[]): CountStatistic {
  return (c, s) => {
    const kind = kinds[s] ?? null;
    if (kind === null || c.pos === c.all.pos) return Number.NaN;
    const lp = predictorOf(c, kind);
    if (lp === null) return Number.NaN;
    const data = lp.length > CALIBRATION_RESOLUTION ? coarsened(lp, c.pos, c.neg) : { lp, pos: c.pos, neg: c.neg };
    const fit = fitLogisticCounts(data.lp, data.pos, data.neg, { offsetOnly: which === 'intercept' });
    if (fit === null) return Number.NaN;
    return which === 'intercept' ? fit.intercept : fit.slope;
  };
}

/**
 * Net benefit of alerting at score ≥ cuts[s], weighed at threshold probability `pt`: TP/n − FP/n · pt/(1 − pt)
 * (Vickers & Elkin 2006). With a model's probability and cut = pt it is the usual decision-curve point; with a
 * points score and its clinical cut it is the net benefit of the clinical rule.
 */
export function netBenefitStatistic(cuts: readonly (number | null)[], pt: number): CountStatistic {
  return (c, s) => {
    const cut = cuts[s];
    if (cut === null || cut === undefined) return Number.NaN;
    const { m, n } = totals(c);
    if (m + n === 0) return Number.NaN;
    const { tp, fp } = alertsAt(c, cut);
    return tp / (m + n) - (fp / (m + n)) * (pt / (1 - pt));
  };
}
