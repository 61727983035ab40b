import { describe, expect, it } from 'vitest';
import { coverageOf } from '../../../validation/meta/site-coverage.js';
import type { StudyIntervals } from '../../../validation/meta/site-coverage.js';

describe('coverageOf: a study is judged by the share of the truths its prediction interval holds', () => {
  const study = (seed: number, pi: [number, number], piK2: [number, number], tau: number): StudyIntervals => ({
    seed,
    auroc: { pi, piK2, tau },
    oe: null,
  });
  it('averages each study’s share of a pool of truths (hand count)', () => {
    const pool = [0.7, 0.75, 0.8, 0.85].map((auroc) => ({ auroc, oe: 1 }));
    // Study 1 holds 0.75 and 0.8 (2 of 4); its k − 2 interval holds all 4. Study 2 holds 0.8 and 0.85 (2 of 4) and 3 of 4.
    const r = coverageOf([study(1, [0.74, 0.81], [0.6, 0.9], 0), study(2, [0.78, 0.9], [0.72, 0.9], 0.1)], () => pool);
    expect(r.auroc.studies).toBe(2);
    expect(r.auroc.piCoverage).toBeCloseTo((2 / 4 + 2 / 4) / 2, 12);
    expect(r.auroc.piCoverageK2).toBeCloseTo((4 / 4 + 3 / 4) / 2, 12);
    expect(r.auroc.meanPiWidth).toBeCloseTo((0.07 + 0.12) / 2, 12);
    expect(r.auroc.meanTau).toBeCloseTo(0.05, 12);
    expect(r.auroc.tauZero).toBe(0.5);
    // A measure no study could pool counts no study, and says so with NaN means rather than a coverage of 0.
    expect(r.oe.studies).toBe(0);
    expect(Number.isNaN(r.oe.piCoverage)).toBe(true);
  });
  it('with one truth per study (its own new site), a study either holds it or not', () => {
    const r = coverageOf([study(1, [0.7, 0.8], [0.6, 0.9], 0), study(2, [0.7, 0.8], [0.6, 0.9], 0)], (i) => [{ auroc: i === 0 ? 0.75 : 0.85, oe: null }]);
    expect(r.auroc.piCoverage).toBe(0.5);
    expect(r.auroc.piCoverageK2).toBe(1);
  });
});
