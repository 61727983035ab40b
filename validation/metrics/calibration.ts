/**
 * Calibration of predicted probabilities against observed outcomes.
 *
 * - Observed/expected ratio: Σy / Σp.
 * - Calibration-in-the-large: the intercept of a logistic regression of y with logit(p) as offset (0 is ideal).
 * - Calibration slope: the slope of a logistic regression of y on logit(p) (1 is ideal), with its intercept.
 * - Brier score, and the scaled Brier 1 − Brier / (ȳ(1 − ȳ)).
 * - Eavg (= the integrated calibration index, Austin & Steyerberg, Stat Med 2019;38:4051–65), E50, E90 and Emax:
 *   mean, median, 90th centile (R's type 7) and maximum of |p − smoothed observed|, where the smooth is LOWESS of y
 *   on p with `iter = 0` — the definition `rms::val.prob` uses (Harrell), so the numbers agree with it.
 * - A binned curve (equal-count bins by predicted risk, ties never split between bins: see {@link equalCountBins})
 *   with Wilson intervals, and the smoothed curve's points.
 *
 * Probabilities of exactly 0 or 1 are clipped to [1e-12, 1 − 1e-12] for the logit.
 */
import type { LogisticFit } from '../stats/logistic.js';
import { fitLogistic } from '../stats/logistic.js';
import type { Clusters, Outcomes, Scores } from '../stats/input.js';
import { readPairs } from '../stats/input.js';
import { lowess } from '../stats/lowess.js';
import { qnorm } from '../stats/normal.js';
import type { Undefined } from '../stats/result.js';
import { checkOptions, levelOf, undefinedResult } from '../stats/result.js';
import { quantile7 } from '../stats/sorted.js';
import type { Proportion } from '../stats/wilson.js';
import { wilsonFor } from '../stats/wilson.js';

/** A coefficient with its standard error and Wald interval. */
export interface Estimate {
  readonly defined: true;
  readonly estimate: number;
  readonly se: number;
  readonly ci: readonly [number, number];
}

/** A calibration measure: `{ defined: true, estimate, … }` or why it is undefined. */
export type Measure<T extends object = object> = ({ readonly defined: true; readonly estimate: number } & T) | Undefined;

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
  readonly meanPredicted: number;
  readonly observed: Proportion;
}

export interface CalibrationDefined {
  readonly defined: true;
  readonly n: number;
  readonly events: number;
  readonly nMissing: number;
  readonly observedExpected: Measure<{ readonly observed: number; readonly expected: number }>;
  readonly calibrationInTheLarge: Estimate | Undefined;
  readonly slope: (Estimate & { readonly intercept: number }) | Undefined;
  readonly brier: Measure;
  readonly scaledBrier: Measure;
  readonly eavg: Measure;
  readonly e50: Measure;
  readonly e90: Measure;
  readonly emax: Measure;
  readonly binned: readonly CalibrationBin[];
  /** The LOWESS calibration curve, one point per distinct predicted probability. */
  readonly smoothed: readonly { readonly predicted: number; readonly observed: number }[];
  readonly warnings: readonly string[];
}

/** Calibration, or `{ defined: false, reason: 'empty' }` with no complete pairs. */
export type CalibrationResult = CalibrationDefined | (Undefined<'empty'> & { readonly n: 0; readonly events: 0; readonly nMissing: number });

/** Options of {@link calibration}. */
export interface CalibrationOptions {
  /** Equal-count bins of the binned curve (default 10). */
  bins?: number;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** The cluster (patient) of each pair: intercept and slope intervals then use cluster-robust (sandwich) SEs. */
  clusters?: Clusters;
}

const EPS = 1e-12;

/**
 * Equal-count bins over sorted values, as [from, to) index ranges: bin b ends at ⌊(b + 1)·n / bins⌋, moved on past any
 * values equal to its last one, so a value never falls in two bins and every bin is a range of values [lower, upper]
 * (the same bins can then be re-counted on any resample by value). Empty bins are dropped. Runs in O(n).
 *
 * @example equalCountBins([1, 2, 2, 2, 3, 4], 2); // => [[0, 4], [4, 6]]: the three 2s stay together
 */
export function equalCountBins(sorted: ArrayLike<number>, bins: number): [number, number][] {
  const n = sorted.length;
  const out: [number, number][] = [];
  let from = 0;
  for (let b = 0; b < bins && from < n; b++) {
    let to = Math.max(from, Math.floor(((b + 1) * n) / bins));
    if (b === bins - 1) to = n;
    while (to > from && to < n && sorted[to] === sorted[to - 1]) to++;
    if (to > from) out.push([from, to]);
    from = to;
  }
  return out;
}

/** The value range [lower, upper] of each calibration bin of these probabilities (finite ones only). */
export function calibrationBinRanges(probabilities: ArrayLike<number>, bins = 10): [number, number][] {
  const sorted = Float64Array.from(Array.prototype.filter.call(probabilities, (v: number) => Number.isFinite(v)) as number[]).sort();
  return equalCountBins(sorted, Math.min(bins, sorted.length)).map(([from, to]) => [sorted[from] ?? NaN, sorted[to - 1] ?? NaN]);
}

/** The clusters of the complete pairs (the rows readPairs keeps), numbered 0…G−1 in order of appearance. */
function completeClusters(caller: string, probability: Scores, outcome: Outcomes, clusters: Clusters): Int32Array {
  if (clusters.length !== probability.length)
    throw new TypeError(`${caller}: option "clusters" has ${clusters.length} values; expected ${probability.length}.`);
  const ids = new Map<string | number, number>();
  const out: number[] = [];
  for (let i = 0; i < probability.length; i++) {
    const s = probability[i];
    const y = outcome[i];
    if (s === null || s === undefined || Number.isNaN(s) || y === null || y === undefined || (typeof y === 'number' && Number.isNaN(y))) continue;
    const c = clusters[i] ?? `row ${i}`;
    let g = ids.get(c);
    if (g === undefined) ids.set(c, (g = ids.size));
    out.push(g);
  }
  return Int32Array.from(out);
}

/** logit(p), with p clipped to [1e-12, 1 − 1e-12] (the one clipped logit of calibration, overall and by group). */
export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

function estimate(fit: LogisticFit, j: number, z: number): Estimate | Undefined {
  const value = fit.coefficients[j] ?? Number.NaN;
  const se = (fit.robustSe ?? fit.se)[j] ?? Number.NaN;
  if (!Number.isFinite(value) || !Number.isFinite(se)) {
    return undefinedResult(
      'calibration',
      'not-estimable',
      `the logistic fit could not estimate this coefficient (${fit.warnings.join(', ') || 'singular information'})`,
    );
  }
  return { defined: true, estimate: value, se, ci: [value - z * se, value + z * se] };
}

/**
 * Calibration of predicted probabilities. Runs in O(n log n) plus the LOWESS smooth.
 *
 * @param probability predicted probabilities in [0, 1]
 * @param outcome true/1 for an event
 * @param options `bins` for the binned curve (default 10), `level` for intervals (default 0.95)
 * @returns every measure as `{ defined: true, estimate, … }`, or `{ defined: false, reason, message }` when it cannot be
 *   computed (one outcome class: intercept, slope and scaled Brier); the whole result is undefined for empty input
 * @throws {RangeError} for a probability outside [0, 1], a bad level or bin count
 * @example calibration(p, y).calibrationInTheLarge.estimate; // 0 when predictions are right on average
 */
export function calibration(probability: Scores, outcome: Outcomes, options?: CalibrationOptions): CalibrationResult {
  const caller = 'calibration';
  const o = checkOptions(caller, options);
  const level = levelOf(caller, o);
  const binCount = o.bins ?? 10;
  if (!(Number.isInteger(binCount) && binCount >= 1))
    throw new RangeError(`${caller}: option "bins" expected a whole number ≥ 1; received ${String(binCount)}.`);
  const { scores: p, labels: y, nMissing } = readPairs(caller, probability, outcome);
  const clusterIds = o.clusters === undefined ? undefined : completeClusters(caller, probability, outcome, o.clusters);
  for (let i = 0; i < p.length; i++) {
    if (!((p[i] ?? NaN) >= 0 && (p[i] ?? NaN) <= 1)) throw new RangeError(`${caller}: probability values must lie in [0, 1]; received ${p[i]}.`);
  }
  const n = p.length;
  const z = qnorm(1 - (1 - level) / 2);
  let events = 0;
  let expected = 0;
  let brier = 0;
  for (let i = 0; i < n; i++) {
    events += y[i] ?? NaN;
    expected += p[i] ?? NaN;
    brier += ((p[i] ?? NaN) - (y[i] ?? NaN)) ** 2;
  }
  const none = (reason: string, message: string) => undefinedResult(caller, reason, message);
  if (n === 0) return { ...undefinedResult(caller, 'empty', 'no complete (probability, outcome) pairs'), n: 0, events: 0, nMissing };
  const warnings: string[] = [];
  const oneClass = events === 0 || events === n;
  if (oneClass) warnings.push(events === 0 ? 'no-events' : 'no-non-events');
  if (events < 10) warnings.push('fewer-than-10-events');
  const lp = Float64Array.from(p, logit);
  const ys = Float64Array.from(y);
  const citl = oneClass
    ? none(events === 0 ? 'no-positives' : 'no-negatives', 'one outcome class: the intercept is infinite')
    : estimate(fitLogistic([], ys, { offset: lp, ...(clusterIds === undefined ? {} : { clusters: clusterIds }) }), 0, z);
  const constant = p.every((v) => v === p[0]);
  const slopeFit = oneClass || constant ? null : fitLogistic([lp], ys, clusterIds === undefined ? {} : { clusters: clusterIds });
  const slopeEstimate = slopeFit === null ? null : estimate(slopeFit, 1, z);
  const slope =
    slopeFit === null || slopeEstimate === null
      ? oneClass
        ? none(events === 0 ? 'no-positives' : 'no-negatives', 'one outcome class: the slope is undefined')
        : none('constant-prediction', 'every predicted probability is the same, so the slope is undefined')
      : slopeEstimate.defined
        ? { ...slopeEstimate, intercept: slopeFit.coefficients[0] ?? Number.NaN }
        : slopeEstimate;
  const mean = events / n;
  const smooth = lowess(p, y);
  // The smooth at each observation's own p (ties share one fitted value).
  const fittedAt = new Map<number, number>();
  for (let i = 0; i < n; i++) fittedAt.set(smooth.x[i] ?? NaN, smooth.y[i] ?? NaN);
  const errors = Float64Array.from(p, (pi) => Math.abs(pi - (fittedAt.get(pi) ?? NaN))).sort();
  let eSum = 0;
  for (let i = 0; i < n; i++) eSum += errors[i] ?? NaN;
  const bins = Math.min(binCount, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (p[a] ?? NaN) - (p[b] ?? NaN));
  const binned: CalibrationBin[] = [];
  const sortedP = Float64Array.from(order, (i) => p[i] ?? NaN);
  for (const [from, to] of equalCountBins(sortedP, bins)) {
    let sp = 0;
    let sy = 0;
    for (let k = from; k < to; k++) {
      sp += p[order[k] ?? NaN] ?? NaN;
      sy += y[order[k] ?? NaN] ?? NaN;
    }
    binned.push({
      lower: p[order[from] ?? NaN] ?? NaN,
      upper: p[order[to - 1] ?? NaN] ?? NaN,
      n: to - from,
      meanPredicted: sp / (to - from),
      observed: wilsonFor(caller, sy, to - from, level, 'observations'),
    });
  }
  return {
    defined: true,
    n,
    events,
    nMissing,
    observedExpected:
      expected === 0 ? none('no-expected-events', 'expected events are 0') : { defined: true, estimate: events / expected, observed: events, expected },
    calibrationInTheLarge: citl,
    slope,
    brier: { defined: true, estimate: brier / n },
    scaledBrier: oneClass
      ? none(events === 0 ? 'no-positives' : 'no-negatives', 'one outcome class: the reference Brier score is 0')
      : { defined: true, estimate: 1 - brier / n / (mean * (1 - mean)) },
    eavg: { defined: true, estimate: eSum / n },
    e50: { defined: true, estimate: quantile7(errors, 0.5) },
    e90: { defined: true, estimate: quantile7(errors, 0.9) },
    emax: { defined: true, estimate: errors[n - 1] ?? NaN },
    binned,
    smoothed: [...fittedAt.entries()].map(([predicted, observed]) => ({ predicted, observed })),
    warnings,
  };
}
