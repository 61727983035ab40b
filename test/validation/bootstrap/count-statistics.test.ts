/**
 * The bootstrap's count statistics equal the row-level metrics on the same rows (independent implementations), and
 * the standardised O/E is 1 by construction when a group is everyone; a group's calibration against a points score's
 * leave-group-out mapping, hand-worked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aucStatistic,
  averagePrecisionStatistic,
  calibrationStatistic,
  netBenefitStatistic,
  observedExpectedStatistic,
  proportionStatistic,
  riskInRangeStatistic,
} from '../../../validation/bootstrap/count-statistics.js';
import type { DenseCounts } from '../../../validation/bootstrap/group-bootstrap.js';
import { auroc } from '../../../validation/metrics/auroc.js';
import { averagePrecision } from '../../../validation/metrics/curves.js';
import { netBenefit } from '../../../validation/metrics/net-benefit.js';
import { atThreshold } from '../../../validation/metrics/threshold.js';

/** Suffix sums: counts at value index ≥ i. */
function tails(pos: Float64Array, neg: Float64Array): { tailPos: Float64Array; tailNeg: Float64Array } {
  const tailPos = new Float64Array(pos.length + 1);
  const tailNeg = new Float64Array(neg.length + 1);
  for (let i = pos.length - 1; i >= 0; i--) {
    tailPos[i] = (tailPos[i + 1] ?? 0) + (pos[i] ?? 0);
    tailNeg[i] = (tailNeg[i + 1] ?? 0) + (neg[i] ?? 0);
  }
  return { tailPos, tailNeg };
}

/** Dense counts of integer scores 0…max, with the group being everyone. */
function dense(s: number[], y: boolean[], max: number): DenseCounts {
  const values = Float64Array.from({ length: max + 1 }, (_, k) => k);
  const pos = new Float64Array(max + 1);
  const neg = new Float64Array(max + 1);
  let sum = 0;
  s.forEach((v, i) => {
    if (y[i]) pos[v] = (pos[v] ?? 0) + 1;
    else neg[v] = (neg[v] ?? 0) + 1;
    sum += v;
  });
  return { values, pos, neg, ...tails(pos, neg), sum, all: { pos, neg } };
}

const rows = fc.array(fc.record({ s: fc.integer({ min: 0, max: 10 }), y: fc.boolean() }), { minLength: 1, maxLength: 60 });
const nanOr = (r: { defined: boolean; estimate?: number }): number => (r.defined ? (r.estimate ?? Number.NaN) : Number.NaN);
/** Equal to 12 digits, or both NaN (undefined on both sides). */
function same(a: number, b: number): void {
  if (Number.isNaN(b)) expect(a).toBeNaN();
  else expect(a).toBeCloseTo(b, 12);
}

describe('count statistics equal the row-level metrics', () => {
  it('AUROC, AP, threshold metrics and net benefit', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 0, max: 11 }), (r, cut) => {
        const s = r.map((x) => x.s);
        const y = r.map((x) => x.y);
        const c = dense(s, y, 10);
        same(aucStatistic(c, 0), nanOr(auroc(s, y)));
        same(averagePrecisionStatistic(c, 0), nanOr(averagePrecision(s, y)));
        const t = atThreshold(s, y, cut);
        if (!t.defined) throw new Error('unexpected');
        for (const metric of ['sensitivity', 'specificity', 'ppv', 'npv', 'alertRate'] as const) {
          same(proportionStatistic(metric, [cut])(c, 0), nanOr(t[metric]));
        }
        const p = s.map((v) => (v + 0.5) / 12); // a probability that is ≥ 0.5 exactly when the score is ≥ 6
        same(netBenefitStatistic([6], 0.5)(c, 0), nanOr(netBenefit(p, y, 0.5)));
      }),
      { numRuns: 200 },
    );
  });
  it('observed risk in a range: events / sets among scores lo…hi (hand-worked)', () => {
    // scores 2, 3, 3, 4, 7 with events at 3 and 7: range 3–4 holds 3 sets and 1 event.
    const c = dense([2, 3, 3, 4, 7], [false, true, false, false, true], 10);
    expect(riskInRangeStatistic([[3, 4]])(c, 0)).toBeCloseTo(1 / 3, 15);
    expect(riskInRangeStatistic([[8, 10]])(c, 0)).toBeNaN();
    expect(riskInRangeStatistic([null])(c, 0)).toBeNaN();
  });
  it('O/E of a points score standardised against everyone is 1 for everyone, and Σy/Σp for a probability', () => {
    const c = dense([1, 2, 2, 5, 5, 5], [false, true, false, true, true, false], 10);
    expect(observedExpectedStatistic([false])(c, 0)).toBeCloseTo(1, 15);
    // As a "probability", the scores sum to 20 and there are 3 events.
    expect(observedExpectedStatistic([true])(c, 0)).toBeCloseTo(3 / 20, 15);
  });
  it('a group with twice the everyone-risk at each score has O/E 2 (hand-worked)', () => {
    // Everyone: score 1 — 4 sets, 1 event (risk ¼); score 3 — 4 sets, 2 events (½). The group: 2 sets at each score,
    // 1 event at score 1 and 2 at score 3; expected 2·¼ + 2·½ = 1.5, observed 3.
    const values = Float64Array.of(1, 3);
    const group = { pos: Float64Array.of(1, 2), neg: Float64Array.of(1, 0), sum: 8 };
    const all = { pos: Float64Array.of(1, 2), neg: Float64Array.of(3, 2) };
    expect(observedExpectedStatistic([false])({ values, ...group, ...tails(group.pos, group.neg), all }, 0)).toBeCloseTo(2, 15);
  });
  it("a group's calibration of a points score is against the other groups' risk: odds twice theirs at every score → intercept ln 2, slope 1 (hand-worked)", () => {
    // The other groups: score 0 — 1 event, 9 non-events (odds 1/9); score 1 — 5 and 5 (odds 1). Their logistic
    // mapping through two values is saturated: lp = [logit 0.1, 0] = [−ln 9, 0]. The group: odds 2/9 at score 0
    // (2 events, 9 non-events) and 2 at score 1 (2 events, 1 non-event) — every log-odds is lp + ln 2, so the
    // intercept with lp as offset is ln 2, and the slope on lp is (ln 2 − ln(2/9)) / ln 9 = 1.
    const values = Float64Array.of(0, 1);
    const group = { pos: Float64Array.of(2, 2), neg: Float64Array.of(9, 1), sum: 2 };
    // all = the group + the other groups (leave-group-out subtracts the group back out).
    const all = { pos: Float64Array.of(3, 7), neg: Float64Array.of(18, 6) };
    const c = { values, ...group, ...tails(group.pos, group.neg), all };
    expect(calibrationStatistic('intercept', ['points'])(c, 0)).toBeCloseTo(Math.log(2), 9);
    expect(calibrationStatistic('slope', ['points'])(c, 0)).toBeCloseTo(1, 9);
    // Against a pool that contained the group (the old indirect standardisation), the answer would be pulled toward 0:
    // the pool's odds at score 0 are 3/18, at score 1 7/6, so the intercept lies strictly between 0 and ln 2.
    // A column of kind null, and everyone's own view (its counts are the all-groups counts), give no calibration.
    expect(calibrationStatistic('intercept', [null])(c, 0)).toBeNaN();
    expect(calibrationStatistic('intercept', ['points'])({ ...c, pos: all.pos, neg: all.neg, all }, 0)).toBeNaN();
  });
  it('a model: calibration intercept and slope against logit(p) (a group predicted at half its odds: intercept ln 2)', () => {
    // Probabilities 0.1 and 0.5 (logits −ln 9 and 0); observed odds 2/9 and 2: intercept ln 2, slope 1.
    const values = Float64Array.of(0.1, 0.5);
    const pos = Float64Array.of(2, 2);
    const neg = Float64Array.of(9, 1);
    const c = { values, pos, neg, sum: 0, ...tails(pos, neg), all: { pos: Float64Array.of(3, 2), neg: Float64Array.of(9, 2) } };
    expect(calibrationStatistic('intercept', ['probability'])(c, 0)).toBeCloseTo(Math.log(2), 9);
    expect(calibrationStatistic('slope', ['probability'])(c, 0)).toBeCloseTo(1, 9);
  });
  it('the other groups with one class: no mapping, so no calibration for a points score (NaN, counted as undefined)', () => {
    const values = Float64Array.of(0, 1);
    const group = { pos: Float64Array.of(2, 2), neg: Float64Array.of(9, 1), sum: 2 };
    const all = { pos: Float64Array.of(2, 2), neg: Float64Array.of(19, 3) };
    expect(calibrationStatistic('intercept', ['points'])({ values, ...group, ...tails(group.pos, group.neg), all }, 0)).toBeNaN();
  });
});
