import { csvRows } from '../../helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averagePrecision, averagePrecisionFromCounts, prCurve, prFromCounts, rocCurve, rocFromCounts } from '../../../validation/metrics/curves.js';
import { countsOf, mergeCounts } from '../../../validation/stats/counts.js';
import { decisionCurve, netBenefit } from '../../../validation/metrics/net-benefit.js';
import { atThreshold } from '../../../validation/metrics/threshold.js';
import { wilson } from '../../../validation/stats/wilson.js';
import { defined } from '../../helpers/defined.js';

const fixture = csvRows('proc-ties.csv');

describe('averagePrecision(score, outcome)', () => {
  it("matches scikit-learn's average_precision_score", () => {
    // sklearn.metrics.average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333333333333333
    expect(defined(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).estimate).toBeCloseTo(0.8333333333333333, 15);
    // On the fixture (ties included): 0.6705329692093762 and 0.5145345184321634 (scikit-learn 1.2).
    const y = fixture.map((r) => r[0] as number);
    expect(
      defined(
        averagePrecision(
          fixture.map((r) => r[1] as number),
          y,
        ),
      ).estimate,
    ).toBeCloseTo(0.6705329692093762, 14);
    expect(
      defined(
        averagePrecision(
          fixture.map((r) => r[2] as number),
          y,
        ),
      ).estimate,
    ).toBeCloseTo(0.5145345184321634, 14);
  });
  it('is undefined, with a reason, without positives', () => {
    expect(averagePrecision([1, 2], [0, 0])).toMatchObject({ defined: false, reason: 'no-positives' });
    expect(averagePrecision([], [])).toMatchObject({ defined: false, reason: 'empty' });
  });
});

describe('rocCurve and prCurve', () => {
  it('give one point per distinct threshold, from the top down (hand-worked)', () => {
    expect(defined(rocCurve([1, 2, 2, 3], [0, 1, 0, 1])).points).toEqual([
      { threshold: Infinity, fpr: 0, tpr: 0 },
      { threshold: 3, fpr: 0, tpr: 0.5 },
      { threshold: 2, fpr: 0.5, tpr: 1 },
      { threshold: 1, fpr: 1, tpr: 1 },
    ]);
    expect(defined(prCurve([1, 2, 2, 3], [0, 1, 0, 1])).points).toEqual([
      { threshold: 3, recall: 0.5, precision: 1 },
      { threshold: 2, recall: 1, precision: 2 / 3 },
      { threshold: 1, recall: 1, precision: 0.5 },
    ]);
  });
});

describe('atThreshold(score, outcome, cut)', () => {
  it('counts alerts at score ≥ cut with Wilson intervals (hand-worked)', () => {
    // scores 1..10, events at 6, 8, 9, 10 and 2; cut 6 → alerts 6..10: TP 4 (6, 8, 9, 10), FP 1 (7); FN 1 (2); TN 4
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = [0, 1, 0, 0, 0, 1, 0, 1, 1, 1];
    const r = defined(atThreshold(s, y, 6));
    expect([r.tp, r.fp, r.tn, r.fn]).toEqual([4, 1, 4, 1]);
    expect(defined(r.sensitivity).estimate).toBe(0.8);
    expect(defined(r.specificity).estimate).toBe(0.8);
    expect(defined(r.ppv).estimate).toBe(0.8);
    expect(defined(r.alertRate).estimate).toBe(0.5);
    expect(defined(r.numberNeededToEvaluate).estimate).toBe(1.25);
  });
  it('gives undefined rates with a reason when a denominator is empty', () => {
    const r = defined(atThreshold([1, 2, 3], [0, 0, 0], 10));
    expect(r.sensitivity).toMatchObject({ defined: false, reason: 'no-denominator', message: 'atThreshold: no events, so the proportion is undefined' });
    expect(r.ppv).toMatchObject({ defined: false, reason: 'no-denominator', message: 'atThreshold: no alerts, so the proportion is undefined' });
    expect(r.numberNeededToEvaluate).toMatchObject({ defined: false, reason: 'no-true-positives' });
  });
});

describe('wilson(x, n)', () => {
  it('matches the closed form (Newcombe 1998, Table I: 81/263 → 0.2553–0.3662)', () => {
    const r = defined(wilson(81, 263));
    expect(r.ci[0]).toBeCloseTo(0.2553, 4);
    expect(r.ci[1]).toBeCloseTo(0.3662, 4);
    // 0/10: lower bound exactly 0, upper 0.2775 (Newcombe Table I: 0–0.2775)
    expect(defined(wilson(0, 10)).ci[0]).toBe(0);
    expect(defined(wilson(0, 10)).ci[1]).toBeCloseTo(0.2775, 4);
  });
});

describe('decisionCurve and netBenefit', () => {
  it('net benefit = TP/n − FP/n · pt/(1 − pt), with treat-all and treat-none (hand-worked)', () => {
    // p ≥ 0.2 treated: rows 3–5 → TP 2 (rows 4, 5), FP 1 (row 3); n = 5; prevalence 3/5
    const p = [0.05, 0.1, 0.3, 0.5, 0.9];
    const y = [0, 1, 0, 1, 1];
    const nb = defined(netBenefit(p, y, 0.2));
    expect(nb.estimate).toBeCloseTo(2 / 5 - (1 / 5) * (0.2 / 0.8), 15);
    expect(nb.treatAll).toBeCloseTo(3 / 5 - (2 / 5) * (0.2 / 0.8), 15);
    expect(nb.treatNone).toBe(0);
    expect(defined(decisionCurve(p, y)).points.length).toBe(50);
    expect(() => netBenefit(p, y, 1)).toThrow(/threshold probability expected a number in \(0, 1\)/);
  });
});

describe('curves from counts: partitions merge into the whole', () => {
  it('rocFromCounts, prFromCounts and averagePrecisionFromCounts of merged partition counts equal the curves of all rows', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ s: fc.integer({ min: 0, max: 12 }), y: fc.boolean() }), { minLength: 0, maxLength: 80 }), fc.nat(80), (rows, cut) => {
        const k = Math.min(cut, rows.length);
        const s = rows.map((r) => r.s);
        const y = rows.map((r) => r.y);
        const merged = mergeCounts(countsOf(s.slice(0, k), y.slice(0, k)).counts, countsOf(s.slice(k), y.slice(k)).counts);
        // Equal but for the function named in an undefined result's message.
        const same = (r: object) => ({ ...r, message: undefined });
        expect(same(rocFromCounts(merged))).toEqual(same(rocCurve(s, y)));
        expect(same(prFromCounts(merged))).toEqual(same(prCurve(s, y)));
        expect(same(averagePrecisionFromCounts(merged))).toEqual(same(averagePrecision(s, y)));
      }),
      { numRuns: 200 },
    );
  });
  it("keep the score's own units when the counts were made with direction 'lower'", () => {
    const s = [90, 95, 88, 99];
    const y = [1, 0, 1, 0];
    const counts = countsOf(s, y, { direction: 'lower' }).counts;
    expect(rocFromCounts(counts, { direction: 'lower' })).toEqual(rocCurve(s, y, { direction: 'lower' }));
    expect(defined(rocCurve(s, y, { direction: 'lower' })).points.map((p) => p.threshold)).toEqual([Infinity, 88, 90, 95, 99]);
  });
});
