/**
 * The reference comparator `news2-age-comorbidity`: at a fixed age and comorbidity count it must rank observation
 * sets exactly as NEWS2 does (its vitals part is NEWS2's chart with every point worth the same), checked against
 * NEWS2's own evaluator on random sets; and it must pass the clinical-safety check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { news2AgeComorbidity } from '../../../scores/catalogue/catalogue.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { monotonicityProblems } from '../../../scores/definition/monotonicity.js';
import { scoreModelObservation } from '../../../scores/evaluate/score-model-observation.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';

const vitals = fc.record({
  respiratoryRate: fc.integer({ min: 4, max: 40 }),
  spo2: fc.integer({ min: 80, max: 100 }),
  onOxygen: fc.boolean(),
  systolicBP: fc.integer({ min: 60, max: 240 }),
  heartRate: fc.integer({ min: 30, max: 180 }),
  consciousness: fc.constantFrom('A', 'C', 'V', 'P', 'U'),
  temperature: fc.integer({ min: 340, max: 410 }).map((t) => t / 10),
});

describe('news2-age-comorbidity', () => {
  it('is safe, and carries NEWS2 points at one log-odds weight', () => {
    expect(monotonicityProblems(news2AgeComorbidity)).toEqual([]);
    expect(Number(news2AgeComorbidity.derivation?.news2PointLogOdds)).toBeGreaterThan(0);
  });

  it('at a fixed age and comorbidity count, ranks any two sets as NEWS2 (SpO2 Scale 1) does', () => {
    fc.assert(
      fc.property(vitals, vitals, fc.integer({ min: 18, max: 95 }), fc.integer({ min: 0, max: 8 }), (a, b, age, comorbidityCount) => {
        const n = (v: typeof a) => scoreObservation(news2, v).total as number;
        const p = (v: typeof a) => scoreModelObservation(news2AgeComorbidity, { ...v, age, comorbidityCount }).probability as number;
        // Equal totals give equal risks (to rounding of the stored weights); otherwise the order is NEWS2's.
        if (n(a) === n(b)) expect(p(a)).toBeCloseTo(p(b), 9);
        else expect(Math.sign(p(a) - p(b))).toBe(Math.sign(n(a) - n(b)));
      }),
      { numRuns: 300 },
    );
  });
});
