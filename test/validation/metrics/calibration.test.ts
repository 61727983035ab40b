/**
 * Calibration against R: rms::val.prob (Intercept, Slope, Brier, Eavg, E90, Emax) and glm (calibration-in-the-large,
 * standard errors) on a fixed data set; LOWESS against R's lowess(iter = 0); closed forms for the rest.
 */
import { defined } from '../../helpers/defined.js';
import { csvRows } from '../../helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import { calibration, calibrationBinRanges, equalCountBins } from '../../../validation/metrics/calibration.js';
import { fitLogistic } from '../../../validation/stats/logistic.js';
import { lowess } from '../../../validation/stats/lowess.js';

const csv = csvRows;

describe('calibration(probability, outcome)', () => {
  // R 4.2, rms 6.x: set.seed(11); n <- 500; lp <- rnorm(n, -1.5, 1.2); p <- round(plogis(lp), 3);
  // y <- rbinom(n, 1, plogis(0.3 + 0.8 * lp)); val.prob(p, y); glm(y ~ 1, offset = qlogis(p), family = binomial)
  const rows = csv('rms-valprob.csv');
  const p = rows.map((r) => r[0] as number);
  const y = rows.map((r) => r[1] as number);
  const c = defined(calibration(p, y));

  // R's fitters stop at a deviance tolerance of ~1e-8, so fitted coefficients agree to about 8 digits.
  it('agrees with rms::val.prob: slope and its intercept, Brier, Eavg, E90, Emax', () => {
    const slope = defined(c.slope);
    expect(slope.estimate).toBeCloseTo(0.765983441098729, 7);
    expect(slope.intercept).toBeCloseTo(0.393605081713345, 7);
    expect(defined(c.brier).estimate).toBeCloseTo(0.209783852, 12);
    expect(defined(c.eavg).estimate).toBeCloseTo(0.110661560301168, 12);
    expect(defined(c.e90).estimate).toBeCloseTo(0.180182527179232, 12);
    expect(defined(c.emax).estimate).toBeCloseTo(0.187168755178346, 12);
  });

  it('agrees with glm: calibration-in-the-large (offset logit p) and the standard errors', () => {
    const citl = defined(c.calibrationInTheLarge);
    expect(citl.estimate).toBeCloseTo(0.678851729460092, 7);
    expect(citl.se).toBeCloseTo(0.106050419666208, 7);
    expect(defined(c.slope).se).toBeCloseTo(0.098421918485475, 7);
  });

  it('closed forms: O/E = Σy/Σp; scaled Brier = 1 − Brier/(ȳ(1−ȳ)); bins cover every row', () => {
    const sy = y.reduce((s, v) => s + v, 0);
    const sp = p.reduce((s, v) => s + v, 0);
    expect(defined(c.observedExpected).estimate).toBeCloseTo(sy / sp, 14);
    const mean = sy / y.length;
    expect(defined(c.scaledBrier).estimate).toBeCloseTo(1 - 0.209783852 / (mean * (1 - mean)), 12);
    expect(c.binned.reduce((s, b) => s + b.n, 0)).toBe(500);
    expect(c.binned).toHaveLength(10);
  });

  it('equal-count bins never split a value between two bins (hand-worked)', () => {
    // 10 values, 2 bins: the first would end after index 4, but the 0.3s run on to index 6; the second takes the rest.
    expect(equalCountBins([0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.4, 0.5, 0.6, 0.7], 2)).toEqual([
      [0, 6],
      [6, 10],
    ]);
    // All equal: one bin. No ties: the plain equal-count split.
    expect(equalCountBins([1, 1, 1, 1], 3)).toEqual([[0, 4]]);
    expect(equalCountBins([1, 2, 3, 4, 5, 6], 3)).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
    ]);
    expect(calibrationBinRanges([0.3, Number.NaN, 0.1, 0.3, 0.2], 2)).toEqual([
      [0.1, 0.2],
      [0.3, 0.3],
    ]);
  });

  it('says why a measure is undefined: empty input, one outcome class', () => {
    expect(calibration([], [])).toEqual({
      defined: false,
      reason: 'empty',
      message: 'calibration: no complete (probability, outcome) pairs',
      n: 0,
      events: 0,
      nMissing: 0,
    });
    const one = defined(calibration([0.1, 0.2, 0.3], [0, 0, 0]));
    expect(one.slope).toMatchObject({ defined: false, reason: 'no-positives' });
    expect(one.calibrationInTheLarge).toMatchObject({ defined: false, reason: 'no-positives' });
    expect(one.warnings).toContain('no-events');
    expect(defined(one.brier).estimate).toBeCloseTo((0.01 + 0.04 + 0.09) / 3, 15);
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => calibration([0.5, 1.2], [0, 1])).toThrow(/calibration: probability values must lie in \[0, 1\]; received 1.2/);
  });
});

describe('lowess(x, y)', () => {
  it("equals R's lowess(x, y, iter = 0) (set.seed(5); x <- round(runif(200), 2); y <- rbinom(200, 1, x))", () => {
    const rows = csv('lowess-r.csv');
    const l = lowess(
      rows.map((r) => r[0] as number),
      rows.map((r) => r[1] as number),
    );
    const expected = [-0.015352838872307, 0.286528043888794, 0.531884545140553, 0.803066066136058, 1.009552838321407];
    [0, 49, 99, 149, 199].forEach((i, k) => expect(l.y[i]).toBeCloseTo(expected[k] as number, 13));
  });
  it('reproduces a straight line', () => {
    expect(Array.from(lowess([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]).y)).toEqual([2, 4, 6, 8, 10].map((v) => expect.closeTo(v, 12)));
  });
});

describe('fitLogistic(columns, y)', () => {
  it('recovers the closed-form intercept-only fit: logit of the event rate', () => {
    const fit = fitLogistic([], [1, 0, 0, 0, 1, 0, 0, 0]);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(2 / 6), 12);
    expect(fit.se[0]).toBeCloseTo(Math.sqrt(1 / 2 + 1 / 6), 12); // SE of a log-odds: √(1/a + 1/b)
    expect(fit.converged).toBe(true);
  });
  it('a 2×2 table: the slope is the log odds ratio', () => {
    // x = 0: 3 events of 10; x = 1: 6 events of 10 → OR = (6/4)/(3/7) = 3.5
    const x = [...Array(10).fill(0), ...Array(10).fill(1)];
    const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    const fit = fitLogistic([x], y);
    expect(fit.coefficients[1]).toBeCloseTo(Math.log(3.5), 10);
    expect(fit.se[1]).toBeCloseTo(Math.sqrt(1 / 3 + 1 / 7 + 1 / 6 + 1 / 4), 10);
  });
  it('shrinks slopes with a ridge penalty and warns of separation without one', () => {
    const x = [0, 0, 0, 1, 1, 1];
    const y = [0, 0, 0, 1, 1, 1];
    expect(fitLogistic([x], y).warnings).toContain('separation');
    const ridged = fitLogistic([x], y, { ridge: 1 });
    expect(ridged.converged).toBe(true);
    expect(Math.abs(ridged.coefficients[1] as number)).toBeLessThan(5);
  });
});
