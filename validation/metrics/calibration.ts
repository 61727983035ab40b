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
 * - A binned curve (equal-count bins by predicted risk) with Wilson intervals, and the smoothed curve's points.
 *
 * Probabilities of exactly 0 or 1 are clipped to [1e-12, 1 − 1e-12] for the logit.
 */
import type { LogisticFit } from '../stats/logistic.js';
import { fitLogistic } from '../stats/logistic.js';
import type { Outcomes, Scores } from '../stats/input.js';
import { readPairs } from '../stats/input.js';
import { lowess } from '../stats/lowess.js';
import { qnorm } from '../stats/normal.js';
import { quantile7 } from '../stats/sorted.js';
import type { Proportion } from '../stats/wilson.js';
import { wilson } from '../stats/wilson.js';

export interface Estimate {
  readonly value: number;
  readonly se: number;
  readonly ci: readonly [number, number];
}

export type Maybe<T> = T | { readonly value: null; readonly reason: string };

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
  readonly meanPredicted: number;
  readonly observed: Proportion;
}

export interface CalibrationResult {
  readonly n: number;
  readonly events: number;
  readonly nMissing: number;
  readonly observedExpected: Maybe<{ readonly value: number; readonly observed: number; readonly expected: number }>;
  readonly calibrationInTheLarge: Maybe<Estimate>;
  readonly slope: Maybe<Estimate & { readonly intercept: number }>;
  readonly brier: Maybe<{ readonly value: number }>;
  readonly scaledBrier: Maybe<{ readonly value: number }>;
  readonly eavg: Maybe<{ readonly value: number }>;
  readonly e50: Maybe<{ readonly value: number }>;
  readonly e90: Maybe<{ readonly value: number }>;
  readonly emax: Maybe<{ readonly value: number }>;
  readonly binned: readonly CalibrationBin[];
  /** The LOWESS calibration curve, one point per distinct predicted probability. */
  readonly smoothed: readonly { readonly predicted: number; readonly observed: number }[];
  readonly warnings: readonly string[];
}

const EPS = 1e-12;

/** logit(p), with p clipped to [1e-12, 1 − 1e-12]. */
export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

function estimate(fit: LogisticFit, j: number, z: number): Estimate {
  const value = fit.coefficients[j] as number;
  const se = fit.se[j] as number;
  return { value, se, ci: [value - z * se, value + z * se] };
}

/**
 * Calibration of predicted probabilities. Runs in O(n log n) plus the LOWESS smooth.
 *
 * @param probability predicted probabilities in [0, 1]
 * @param outcome true/1 for an event
 * @param options `bins` for the binned curve (default 10), `level` for intervals (default 0.95)
 * @returns every measure, each `{ value: null, reason }` when it cannot be computed (empty input, one class)
 * @throws {RangeError} for a probability outside [0, 1]
 * @example calibration(p, y).calibrationInTheLarge.value; // 0 when predictions are right on average
 */
export function calibration(probability: Scores, outcome: Outcomes, options: { bins?: number; level?: number } = {}): CalibrationResult {
  const fn = 'calibration';
  const { scores: p, labels: y, nMissing } = readPairs(fn, probability, outcome);
  for (let i = 0; i < p.length; i++) {
    if (!((p[i] as number) >= 0 && (p[i] as number) <= 1)) throw new RangeError(`${fn}: probability values must lie in [0, 1]; received ${p[i]}.`);
  }
  const n = p.length;
  const level = options.level ?? 0.95;
  const z = qnorm(1 - (1 - level) / 2);
  let events = 0;
  let expected = 0;
  let brier = 0;
  for (let i = 0; i < n; i++) {
    events += y[i] as number;
    expected += p[i] as number;
    brier += ((p[i] as number) - (y[i] as number)) ** 2;
  }
  const none = (reason: string) => ({ value: null, reason }) as const;
  if (n === 0) {
    const r = none('empty');
    return { n, events, nMissing, observedExpected: r, calibrationInTheLarge: r, slope: r, brier: r, scaledBrier: r, eavg: r, e50: r, e90: r, emax: r, binned: [], smoothed: [], warnings: ['empty'] };
  }
  const warnings: string[] = [];
  const oneClass = events === 0 || events === n;
  if (oneClass) warnings.push(events === 0 ? 'no-events' : 'no-non-events');
  if (events < 10) warnings.push('fewer-than-10-events');
  const lp = Float64Array.from(p, logit);
  const ys = Float64Array.from(y);
  const citl = oneClass ? none('one outcome class: the intercept is infinite') : estimate(fitLogistic([], ys, { offset: lp }), 0, z);
  const slopeFit = oneClass ? null : fitLogistic([lp], ys);
  const slope = slopeFit === null ? none('one outcome class: the slope is undefined') : { ...estimate(slopeFit, 1, z), intercept: slopeFit.coefficients[0] as number };
  const mean = events / n;
  const smooth = lowess(p, y);
  // The smooth at each observation's own p (ties share one fitted value).
  const fittedAt = new Map<number, number>();
  for (let i = 0; i < n; i++) fittedAt.set(smooth.x[i] as number, smooth.y[i] as number);
  const errors = Float64Array.from(p, (pi) => Math.abs(pi - (fittedAt.get(pi) as number))).sort();
  let eSum = 0;
  for (let i = 0; i < n; i++) eSum += errors[i] as number;
  const bins = Math.max(1, Math.min(options.bins ?? 10, n));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
  const binned: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * n) / bins);
    const to = Math.floor(((b + 1) * n) / bins);
    if (to <= from) continue;
    let sp = 0;
    let sy = 0;
    for (let k = from; k < to; k++) {
      sp += p[order[k] as number] as number;
      sy += y[order[k] as number] as number;
    }
    binned.push({ lower: p[order[from] as number] as number, upper: p[order[to - 1] as number] as number, n: to - from, meanPredicted: sp / (to - from), observed: wilson(sy, to - from, level, 'observations') });
  }
  return {
    n,
    events,
    nMissing,
    observedExpected: expected === 0 ? none('expected events are 0') : { value: events / expected, observed: events, expected },
    calibrationInTheLarge: citl,
    slope,
    brier: { value: brier / n },
    scaledBrier: oneClass ? none('one outcome class: the reference Brier score is 0') : { value: 1 - brier / n / (mean * (1 - mean)) },
    eavg: { value: eSum / n },
    e50: { value: quantile7(errors, 0.5) },
    e90: { value: quantile7(errors, 0.9) },
    emax: { value: errors[n - 1] as number },
    binned,
    smoothed: [...fittedAt.entries()].map(([predicted, observed]) => ({ predicted, observed })),
    warnings,
  };
}
