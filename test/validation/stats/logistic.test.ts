/**
 * The cluster-robust (sandwich) standard errors of fitLogistic, against closed forms for the intercept-only model
 * (μ = ȳ; information n·ȳ(1 − ȳ); score contributions yᵢ − ȳ).
 */
import { describe, expect, it } from 'vitest';
import { fitLogistic } from '../../../validation/stats/logistic.js';

const y = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0]; // ȳ = 0.3, n = 10

describe('fitLogistic(columns, y, { clusters })', () => {
  it('one observation per cluster: robust SE = model SE · √(n/(n − 1)) (the small-sample factor)', () => {
    const fit = fitLogistic([], y, { clusters: y.map((_, i) => i) });
    // Model-based: 1/√(n ȳ(1 − ȳ)) = 1/√2.1. Sandwich: Σ(yᵢ − ȳ)² = n ȳ(1 − ȳ) = 2.1, so A⁻¹ M A⁻¹ = 1/2.1; × 10/9.
    expect(fit.se[0]).toBeCloseTo(1 / Math.sqrt(2.1), 10);
    expect(fit.robustSe?.[0]).toBeCloseTo(Math.sqrt((1 / 2.1) * (10 / 9)), 10);
  });
  it('every observation twice in its own cluster: the model SE shrinks by √2, the robust SE does not move', () => {
    const twice = [...y, ...y];
    const clusters = [...y.map((_, i) => i), ...y.map((_, i) => i)];
    const once = fitLogistic([], y, { clusters: y.map((_, i) => i) });
    const fit = fitLogistic([], twice, { clusters });
    expect(fit.se[0]).toBeCloseTo((once.se[0] ?? NaN) / Math.SQRT2, 10);
    expect(fit.robustSe?.[0]).toBeCloseTo(once.robustSe?.[0] ?? NaN, 10);
  });
  it('gives no robust SE without clusters', () => {
    expect(fitLogistic([], y).robustSe).toBeNull();
  });
});
