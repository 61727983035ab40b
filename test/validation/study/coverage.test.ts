/**
 * Proof that the intervals are honest: on 40 seeded cohorts from the generator (1,000 encounters each, repeated
 * observation sets per patient), the report's headline 95 % intervals — patient-clustered — hold the truth (from one
 * 100,000-encounter cohort, as in the benchmark) in at least 90 % of cohorts (generator 4.0.0: patients come back; measured 38 and 37 of 40), for NEWS2's AUROC and its sensitivity at ≥ 5. The naive
 * intervals (DeLong, Wilson), which assume independent sets, are shown to fall short, so the test can tell the two
 * apart. The full simulation (200 cohorts) is bench/coverage.bench.ts.
 */
import { describe, expect, it } from 'vitest';
import { calibrationCoverage, coverageStudy } from '../../../validation/study/coverage-study.js';

describe('coverage of the report intervals (seeded simulation)', () => {
  const coverage = coverageStudy({ cohorts: 40, encounters: 1000, truthEncounters: 100_000, B: 200, firstSeed: 500 });
  it('clustered intervals cover the truth in at least 90 % of cohorts', () => {
    expect(coverage.auroc.clustered).toBeGreaterThanOrEqual(0.9);
    expect(coverage.sensitivity.clustered).toBeGreaterThanOrEqual(0.9);
  });
  it('naive intervals, which ignore repeated sets per patient, do not', () => {
    expect(coverage.auroc.naive).toBeLessThan(0.9);
    expect(coverage.sensitivity.naive).toBeLessThan(0.9);
    expect(coverage.meanWidth.aurocClustered).toBeGreaterThan(coverage.meanWidth.aurocNaive);
  });
});

describe('the calibration arm (the model’s calibration-in-the-large)', () => {
  // Small on purpose (the benchmark runs 400 cohorts against four pooled 100,000-encounter truths).
  const c = calibrationCoverage({ cohorts: 6, encounters: 800, truthEncounters: 4000, truthCohorts: [1, 2], firstSeed: 700 });
  it('gives one truth per pool, each truth a different estimate, and coverage shares of the cohorts', () => {
    expect(c.truths.map((t) => t.truthCohorts)).toEqual([1, 2]);
    expect(c.truths[0]?.citl).not.toBe(c.truths[1]?.citl);
    for (const t of c.truths) {
      expect(Number.isFinite(t.citl)).toBe(true);
      // Whole cohorts out of 6.
      expect(Number.isInteger(t.clustered * 6)).toBe(true);
      expect(Number.isInteger(t.naive * 6)).toBe(true);
    }
    expect(c.rmsSe).toBeGreaterThan(0);
    expect(c.empiricalSd).toBeGreaterThan(0);
    expect(c.monteCarloSe).toBeCloseTo(Math.sqrt((0.95 * 0.05) / 6), 12);
  });
});
