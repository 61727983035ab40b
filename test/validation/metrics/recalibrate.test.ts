import { defined } from '../../helpers/defined.js';
import { describe, expect, it } from 'vitest';
import { eventRateByScore, isotonicRisk, recalibrate } from '../../../validation/metrics/recalibrate.js';
import { fitLogistic } from '../../../validation/stats/logistic.js';

describe('recalibrate(score, outcome, { groups, folds, seed })', () => {
  const patients = Array.from({ length: 200 }, (_, i) => Math.floor(i / 4));
  const score = patients.map((p, i) => (p * 7 + i) % 11);
  const event = score.map((s, i) => ((s * 13 + i * 7) % 17 < s ? 1 : 0));

  it("never uses a patient's own outcome: each fold's model equals a fit on the other folds alone", () => {
    const r = recalibrate(score, event, { groups: patients, folds: 4, seed: 2 });
    expect(r.models).toHaveLength(4);
    // Changing every outcome of one patient must not change that patient's own probabilities.
    const flipped = event.map((y, i) => (patients[i] === 10 ? 1 - y : y));
    const f = recalibrate(score, flipped, { groups: patients, folds: 4, seed: 2 });
    patients.forEach((p, i) => {
      if (p === 10) expect(f.probability[i]).toBeCloseTo(r.probability[i] as number, 12);
    });
    expect(r.probability.every((p) => p !== null && p > 0 && p < 1)).toBe(true);
  });

  it('is deterministic for a seed, and keeps missing rows as null', () => {
    const s2 = [...score];
    s2[5] = Number.NaN;
    const a = recalibrate(s2, event, { groups: patients, seed: 9 });
    const b = recalibrate(s2, event, { groups: patients, seed: 9 });
    expect(a).toEqual(b);
    expect(a.probability[5]).toBeNull();
  });

  it('with all rows in training except one fold, matches fitLogistic on those rows', () => {
    const r = recalibrate(score, event, { folds: 2, seed: 1 });
    // Rebuild fold membership from which model predicted each row: probabilities of fold-k rows follow model k.
    const { intercept, slope } = r.models[0] as { intercept: number; slope: number };
    const rowsOfFold0 = score
      .map((_, i) => i)
      .filter((i) => Math.abs((r.probability[i] as number) - 1 / (1 + Math.exp(-(intercept + slope * (score[i] as number))))) < 1e-12);
    const train = score.map((_, i) => i).filter((i) => !rowsOfFold0.includes(i));
    const fit = fitLogistic(
      [train.map((i) => score[i] as number)],
      train.map((i) => event[i] as number),
    );
    expect(fit.coefficients[0]).toBeCloseTo(intercept, 10);
    expect(fit.coefficients[1]).toBeCloseTo(slope, 10);
  });
});

describe('eventRateByScore(score, outcome)', () => {
  it('counts events per score value with Wilson intervals (hand-worked)', () => {
    const r = defined(eventRateByScore([0, 0, 1, 1, 1, 3], [0, 0, 0, 1, 1, 1])).rows;
    expect(r.map((x) => [x.score, x.n, x.events])).toEqual([
      [0, 2, 0],
      [1, 3, 2],
      [3, 1, 1],
    ]);
    expect(r[1]?.rate).toMatchObject({ defined: true, estimate: 2 / 3 });
    expect(r[0]?.rate).toMatchObject({ defined: true, ci: [0, expect.any(Number)] });
  });
});

describe("recalibrate(score, outcome, { method: 'isotonic' })", () => {
  it('isotonicRisk pools adjacent violators (hand-worked)', () => {
    // Risks 0.1, 0, 0.3 at values 0, 1, 2 (10 sets each): 0 and 1 violate the order → pooled to 1/20 = 0.05.
    expect(isotonicRisk([0, 1, 2], [1, 0, 3], [10, 10, 10])).toEqual([0.05, 0.05, 0.3]);
    expect(isotonicRisk([0, 1], [0, 5], [10, 10])).toEqual([0, 0.5]);
  });
  it('gives cross-fitted probabilities that never fall as the score rises within a fold', () => {
    const s = Array.from({ length: 600 }, (_, i) => i % 7);
    const y = s.map((v, i) => ((i * 7919) % 11 < v ? 1 : 0));
    const g = s.map((_, i) => Math.floor(i / 3));
    const r = recalibrate(s, y, { groups: g, folds: 3, method: 'isotonic' });
    expect(r.models.every((m) => m.defined && 'isotonic' in m)).toBe(true);
    for (const m of r.models) {
      if (!m.defined || !('isotonic' in m)) continue;
      const risks = m.isotonic.risks;
      for (let k = 1; k < risks.length; k++) expect(risks[k] ?? 0).toBeGreaterThanOrEqual(risks[k - 1] ?? 0);
    }
    expect(r.probability.every((p) => p !== null && p >= 0 && p <= 1)).toBe(true);
    expect(() => recalibrate(s, y, { method: 'spline' as never })).toThrow(/^recalibrate: option "method" expected 'logistic' or 'isotonic'/);
  });
});
