/**
 * The per-value-counts logistic fit: closed forms of saturated models, the score equation at the answer, the
 * row-level IRLS fitter on the expanded rows (an independent implementation), and its defined answers for data
 * without a fit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLogisticCounts } from '../../../validation/stats/logistic-counts.js';
import { fitLogistic } from '../../../validation/stats/logistic.js';

const logit = (p: number): number => Math.log(p / (1 - p));
const expit = (x: number): number => 1 / (1 + Math.exp(-x));

describe('fitLogisticCounts', () => {
  it('two values: the saturated model — intercept logit(¼) = −ln 3, slope logit(¾) − logit(¼) = 2 ln 3', () => {
    const fit = fitLogisticCounts([0, 1], [1, 3], [3, 1], { offsetOnly: false });
    expect(fit?.intercept).toBeCloseTo(-Math.log(3), 10);
    expect(fit?.slope).toBeCloseTo(2 * Math.log(3), 10);
  });
  it('an offset that is the same everywhere: α = logit(observed risk) − offset', () => {
    // 30 events in 100 sets, every offset 0.5: α = logit(0.3) − 0.5.
    const fit = fitLogisticCounts([0.5, 0.5], [10, 20], [40, 30], { offsetOnly: true });
    expect(fit?.intercept).toBeCloseTo(logit(0.3) - 0.5, 10);
    expect(fit?.slope).toBe(1);
  });
  it('an offset fit solves its score equation: Σ n·expit(α + x) = Σ events', () => {
    const x = [-3, -1.2, 0.4, 2];
    const pos = [1, 4, 9, 7];
    const neg = [40, 30, 11, 2];
    const fit = fitLogisticCounts(x, pos, neg, { offsetOnly: true });
    if (fit === null) throw new Error('expected a fit');
    const expected = x.reduce((t, xi, k) => t + ((pos[k] ?? 0) + (neg[k] ?? 0)) * expit(fit.intercept + xi), 0);
    expect(expected).toBeCloseTo(21, 9);
  });
  it('null without a fit: no events, no non-events, one value for a slope, perfect separation', () => {
    expect(fitLogisticCounts([0, 1], [0, 0], [3, 4], { offsetOnly: false })).toBeNull();
    expect(fitLogisticCounts([0, 1], [3, 4], [0, 0], { offsetOnly: true })).toBeNull();
    expect(fitLogisticCounts([2, 2], [1, 3], [3, 1], { offsetOnly: false })).toBeNull();
    // Every event above every non-event: the slope diverges.
    expect(fitLogisticCounts([0, 1, 2, 3], [0, 0, 4, 5], [6, 7, 0, 0], { offsetOnly: false })).toBeNull();
  });
  it('values with no sets and non-finite values are skipped', () => {
    const a = fitLogisticCounts([0, 1, 5, Number.NaN], [1, 3, 0, 9], [3, 1, 0, 9], { offsetOnly: false });
    expect(a?.slope).toBeCloseTo(2 * Math.log(3), 10);
  });
  it('property: equals the row-level IRLS fit on the expanded rows (with and without an offset)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: 2, maxLength: 6 }),
        fc.boolean(),
        (cells, offsetOnly) => {
          const x = cells.map(([v]) => v / 2);
          const pos = cells.map(([, p]) => p);
          const neg = cells.map(([, , q]) => q);
          const fit = fitLogisticCounts(x, pos, neg, { offsetOnly });
          const rowsX: number[] = [];
          const rowsY: number[] = [];
          cells.forEach(([v, p, q]) => {
            for (let i = 0; i < p; i++) (rowsX.push(v / 2), rowsY.push(1));
            for (let i = 0; i < q; i++) (rowsX.push(v / 2), rowsY.push(0));
          });
          if (fit === null) return;
          const reference = offsetOnly ? fitLogistic([], rowsY, { offset: rowsX, maxIterations: 200 }) : fitLogistic([rowsX], rowsY, { maxIterations: 200 });
          if (!reference.converged || reference.warnings.length > 0) return;
          expect(fit.intercept).toBeCloseTo(reference.coefficients[0] ?? NaN, 6);
          if (!offsetOnly) expect(fit.slope).toBeCloseTo(reference.coefficients[1] ?? NaN, 6);
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });
});
