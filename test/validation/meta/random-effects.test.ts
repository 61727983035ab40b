import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomEffects } from '../../../validation/meta/random-effects.js';
import type { MetaTest, Tau2Method } from '../../../validation/meta/random-effects.js';
import { pchisq, pt, qt } from '../../../validation/stats/student-t.js';

interface Fit {
  case: string;
  yi: number[];
  vi: number[];
  method: Tau2Method;
  test: MetaTest;
  expected: Record<string, number | null>;
}
// Made once by R's metafor 3.8-1 (test/fixtures/metafor/make-expected.R, committed beside it): CI does not need R.
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/metafor/expected.json', import.meta.url), 'utf8')) as { fits: Fit[] };

/** Equal to `tol` relative to the larger magnitude (absolute below 1). */
function close(actual: number | null | undefined, expected: number | null | undefined, tol = 1e-6): void {
  expect(actual === null || actual === undefined, `null: ${actual} vs ${expected}`).toBe(expected === null || expected === undefined);
  if (actual === null || actual === undefined || expected === null || expected === undefined) return;
  expect(Math.abs(actual - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(tol);
}

describe('randomEffects(estimates, variances, options) against R metafor rma() and predict()', () => {
  it.each(fixture.fits.map((f) => [`${f.case} · ${f.method} · ${f.test}`, f] as const))('%s', (_, f) => {
    // metafor's predict() takes the prediction interval on the test's distribution: prediction 'test'.
    const r = randomEffects(f.yi, f.vi, { method: f.method, test: f.test, prediction: 'test' });
    const e = f.expected;
    close(r.estimate, e.estimate);
    close(r.se, e.se);
    close(r.ci[0], e.ciLb);
    close(r.ci[1], e.ciUb);
    close(r.pi?.[0], e.piLb);
    close(r.pi?.[1], e.piUb);
    close(r.tau2, e.tau2);
    if (f.method === 'REML') close(r.tau2Se, e.tau2Se);
    close(r.i2, e.i2);
    close(r.h2, e.h2);
    close(r.q?.statistic, e.q);
    close(r.q?.p, e.qp, 1e-9);
  });
});

describe('randomEffects against metafor, all cases at once', () => {
  it('matches R metafor on every committed case and setting (REML and DL, knha and z) to 1e-6', () => {
    expect(fixture.fits.length).toBeGreaterThanOrEqual(40);
    for (const f of fixture.fits) {
      const r = randomEffects(f.yi, f.vi, { method: f.method, test: f.test, prediction: 'test' });
      close(r.estimate, f.expected.estimate);
      close(r.ci[0], f.expected.ciLb);
      close(r.pi?.[1], f.expected.piUb);
      close(r.tau2, f.expected.tau2);
      close(r.i2, f.expected.i2);
    }
  });
});

describe('randomEffects: closed forms and edge cases', () => {
  it('gives the inverse-variance mean and τ² = 0 when every site has the same estimate', () => {
    const r = randomEffects([0.4, 0.4, 0.4], [0.01, 0.02, 0.04]);
    expect(r.tau2).toBe(0);
    expect(r.estimate).toBeCloseTo(0.4, 14);
    // HKSJ's q is 0 here: the interval collapses (metafor does the same without its "adhoc" truncation).
    expect(r.se).toBe(0);
    expect(r.i2).toBe(0);
  });

  it('with one site returns its own estimate and z interval, no τ² and says so', () => {
    const r = randomEffects([1.2], [0.04]);
    expect(r.estimate).toBe(1.2);
    expect(r.ci[0]).toBeCloseTo(1.2 - 1.959963984540054 * 0.2, 12);
    expect(r.tau2).toBeNull();
    expect(r.pi).toBeNull();
    expect(r.warnings[0]).toMatch(/one site/);
  });

  it('with equal variances v, DL τ² is the sample variance − v, floored at 0 (closed form)', () => {
    // y = 0, 1, 2: sample variance 1; v = 0.25 → τ² = 0.75.
    expect(randomEffects([0, 1, 2], [0.25, 0.25, 0.25], { method: 'DL' }).tau2).toBeCloseTo(0.75, 14);
    // With equal variances REML's τ² has the same closed form.
    expect(randomEffects([0, 1, 2], [0.25, 0.25, 0.25]).tau2).toBeCloseTo(0.75, 12);
  });

  it("prediction: 'k-2' widens the prediction interval to t with k − 2 df (Higgins et al. 2009), on metafor's fit", () => {
    const f = fixture.fits.find((x) => x.case === 'six sites, log O/E, heterogeneous' && x.method === 'REML' && x.test === 'knha');
    if (f === undefined) throw new Error('fixture missing');
    const r = randomEffects(f.yi, f.vi, { prediction: 'k-2' });
    // R: qt(0.975, 4) = 2.7764451051977934; the half-width is that times √(SE² + τ²) of metafor's own fit.
    const half = 2.7764451051977934 * Math.sqrt((f.expected.se ?? NaN) ** 2 + (f.expected.tau2 ?? NaN));
    close(r.pi?.[0], (f.expected.estimate ?? NaN) - half);
    close(r.pi?.[1], (f.expected.estimate ?? NaN) + half);
    expect(randomEffects([0.1, 0.5], [0.01, 0.02], { prediction: 'k-2' }).pi).toBeNull();
    // It is the default; metafor's rule is asked for by name.
    expect(randomEffects(f.yi, f.vi).pi).toEqual(r.pi);
    expect(randomEffects([0.1, 0.5], [0.01, 0.02]).pi).toBeNull();
    expect(randomEffects([0.1, 0.5], [0.01, 0.02], { prediction: 'test' }).pi).not.toBeNull();
    expect(() => randomEffects([1, 2], [0.1, 0.1], { prediction: 'wide' as never })).toThrow(/option "prediction" expected one of test, k-2; received wide/);
  });

  it('rejects bad input by name', () => {
    expect(() => randomEffects([], [])).toThrow(/randomEffects: "estimates" expected at least one site/);
    expect(() => randomEffects([1, 2], [0.1])).toThrow(/same length/);
    expect(() => randomEffects([1, Number.NaN], [0.1, 0.1])).toThrow(/"estimates\[1\]" expected a finite number; received NaN/);
    expect(() => randomEffects([1, 2], [0.1, 0])).toThrow(/"variances\[1\]" expected a positive finite variance; received 0/);
  });

  it('is invariant to the order of sites and equivariant to a shift (property)', () => {
    const site = fc.record({ y: fc.double({ min: -3, max: 3, noNaN: true }), v: fc.double({ min: 0.001, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(site, { minLength: 2, maxLength: 12 }), fc.double({ min: -5, max: 5, noNaN: true }), (sites, shift) => {
        const a = randomEffects(
          sites.map((s) => s.y),
          sites.map((s) => s.v),
          { prediction: 'test' },
        );
        const rev = [...sites].reverse();
        const b = randomEffects(
          rev.map((s) => s.y + shift),
          rev.map((s) => s.v),
        );
        expect(Math.abs(b.estimate - shift - a.estimate)).toBeLessThan(1e-9);
        expect(Math.abs((b.tau2 ?? NaN) - (a.tau2 ?? NaN))).toBeLessThan(1e-9 * Math.max(1, a.tau2 ?? 0));
        expect(a.tau2 ?? -1).toBeGreaterThanOrEqual(0);
        // The prediction interval contains the confidence interval.
        expect(a.pi?.[0] ?? NaN).toBeLessThanOrEqual(a.ci[0] + 1e-12);
      }),
      { seed: 26, numRuns: 300 },
    );
  });
});

describe('pt, qt and pchisq against closed forms and R', () => {
  it('match values printed by R (qt(0.975, df), pt, pchisq)', () => {
    // R: qt(0.975, c(1, 2, 4, 30)) = 12.7062047361746941, 4.3026527297494619, 2.7764451051977934, 2.0422724563012378
    close(qt(0.975, 1), 12.7062047361746941, 1e-13);
    close(qt(0.975, 2), 4.3026527297494619, 1e-13);
    close(qt(0.975, 4), 2.7764451051977934, 1e-13);
    close(qt(0.975, 30), 2.0422724563012378, 1e-13);
    // df = 1 is Cauchy: pt(x, 1) = 1/2 + atan(x)/π; df = 2: pt(x) = 1/2 + x / (2 √(2 + x²)).
    close(pt(0.7, 1), 0.5 + Math.atan(0.7) / Math.PI, 1e-14);
    close(pt(-1.3, 2), 0.5 + -1.3 / (2 * Math.sqrt(2 + 1.69)), 1e-14);
    // χ² with 2 df is exponential: P(X ≤ x) = 1 − e^(−x/2).
    close(pchisq(3.1, 2), 1 - Math.exp(-1.55), 1e-14);
  });
});
