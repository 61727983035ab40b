/**
 * Other units of analysis from count tables: Obuchowski's clustered AUROC rebuilt from a unit's values and its
 * within-patient pairs is `obuchowskiAuroc` on the units themselves (a hand-worked case, and random ones); the tables
 * of disjoint sets of patients add to the whole's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { obuchowskiAuroc } from '../../../validation/bootstrap/cluster.js';
import { addUnitCounts, unitAurocFromCounts, unitScoreCounts } from '../../../validation/study/units.js';
import type { UnitCountTable } from '../../../validation/study/units.js';

describe('unitScoreCounts', () => {
  it('holds the values, outcomes and within-patient pairs by hand', () => {
    // Patient 0: a positive at 3 and at 5, a negative at 1. Patient 1: a negative at 1 and at 3. Patient 2: a positive at 5.
    const c = unitScoreCounts('s', [3, 5, 1, 1, 3, 5, Number.NaN], [1, 1, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 2, 2]);
    expect(c.values).toEqual([1, 3, 5]);
    expect(c.pos).toEqual([0, 1, 2]);
    expect(c.neg).toEqual([2, 1, 0]);
    // Positive pairs within a patient (a ≤ b): patient 0: (3,3) 1, (3,5) 1, (5,5) 1; patient 2: (5,5) 1.
    expect(c.pp).toEqual([3, 3, 1, 3, 5, 1, 5, 5, 2]);
    // Negative pairs: patient 0: (1,1) 1; patient 1: (1,1) 1, (1,3) 1, (3,3) 1.
    expect(c.nn).toEqual([1, 1, 2, 1, 3, 1, 3, 3, 1]);
    // Positive × negative: patient 0: (3,1) 1, (5,1) 1.
    expect(c.pn).toEqual([3, 1, 1, 5, 1, 1]);
    // The NaN unit is left out; patient 2 keeps its positive at 5.
    expect([c.clusters, c.withPositive, c.withNegative]).toEqual([3, 2, 2]);
  });
  it('gives obuchowskiAuroc’s estimate and interval, by hand', () => {
    // The case above. Negatives 1, 1, 3; positives 3, 5, 5. AUC = (positive 3: 2 below + ½ tie = 2.5; 5: 3; 5: 3) / 9
    // = 8.5 / 9. v10 at 3 = 2.5/3, at 5 = 1; v01 at 1 = 1 (every positive above), at 3 = (2 + ½)/3.
    const x = [3, 5, 1, 1, 3, 5];
    const y = [1, 1, 0, 0, 0, 1];
    const g = [0, 0, 0, 1, 1, 2];
    const c = unitScoreCounts('s', x, y, g);
    const auc = 8.5 / 9;
    // Per patient: V10 = Σ v10 of its positives, m its positives; V01, n likewise.
    // p0: V10 = 2.5/3 + 1, m = 2; V01 = 1, n = 1. p1: V10 = 0, m = 0; V01 = 1 + 2.5/3, n = 2. p2: V10 = 1, m = 1; V01 = 0, n = 0.
    const a = [2.5 / 3 + 1 - 2 * auc, 0, 1 - auc];
    const b = [1 - auc, 1 + 2.5 / 3 - 2 * auc, 0];
    const s10 = (a.reduce((t, v) => t + v * v, 0) * 2) / (1 * 3); // i10 = 2 patients with a positive, M = 3
    const s01 = (b.reduce((t, v) => t + v * v, 0) * 2) / (1 * 3); // i01 = 2, N = 3
    const s11 = (a.reduce((t, v, i) => t + v * (b[i] as number), 0) * 3) / 2; // 3 clusters
    const se = Math.sqrt(s10 / 3 + s01 / 3 + (2 * s11) / 9);
    const got = unitAurocFromCounts(c, 0.95);
    if (!got.defined) throw new Error(got.message);
    expect(got.estimate).toBe(auc);
    expect(got.se).toBeCloseTo(se, 14);
    const direct = obuchowskiAuroc(x, y, g);
    if (!direct.defined) throw new Error(direct.message);
    expect(got.se).toBeCloseTo(direct.se, 14);
  });
});

/** Random units: values on a few levels (ties), outcomes, patients. */
const unitsArb = fc
  .array(fc.record({ v: fc.integer({ min: 0, max: 6 }), y: fc.boolean(), g: fc.integer({ min: 0, max: 14 }), missing: fc.boolean() }), {
    minLength: 0,
    maxLength: 60,
  })
  .map((rows) => ({
    x: rows.map((r) => (r.missing && r.v === 0 ? Number.NaN : r.v / 2)),
    y: rows.map((r) => (r.y ? 1 : 0)),
    g: rows.map((r) => r.g),
  }));

describe('unitAurocFromCounts against obuchowskiAuroc (fast-check)', () => {
  it('the same estimate, the same interval to rounding, the same reason when undefined', () => {
    fc.assert(
      fc.property(unitsArb, ({ x, y, g }) => {
        const got = unitAurocFromCounts(unitScoreCounts('s', x, y, g), 0.9);
        const want = obuchowskiAuroc(x, y, g, { level: 0.9 });
        expect(got.defined).toBe(want.defined);
        if (!got.defined || !want.defined) {
          if (!got.defined && !want.defined) expect(got.reason).toBe(want.reason);
          return;
        }
        expect(got.estimate).toBe(want.estimate);
        expect(got.se).toBeCloseTo(want.se, 12);
        expect(got.ci[0]).toBeCloseTo(want.ci[0], 12);
        expect(got.ci[1]).toBeCloseTo(want.ci[1], 12);
        expect([got.clusters, got.nPositive, got.nNegative]).toEqual([want.clusters, want.nPositive, want.nNegative]);
      }),
      { numRuns: 400 },
    );
  });
  it('the tables of two disjoint sets of patients add to the whole’s', () => {
    fc.assert(
      fc.property(unitsArb, fc.func(fc.boolean()), ({ x, y, g }, side) => {
        const table = (keep: (i: number) => boolean): UnitCountTable => {
          const idx = x.map((_, i) => i).filter(keep);
          return {
            resolution: 10_000,
            units: [
              {
                unit: 'first',
                scores: [
                  unitScoreCounts(
                    's',
                    idx.map((i) => x[i] as number),
                    idx.map((i) => y[i] as number),
                    idx.map((i) => g[i] as number),
                  ),
                ],
              },
            ],
          };
        };
        const inA = (i: number) => side(g[i]);
        expect(
          addUnitCounts(
            table(inA),
            table((i) => !inA(i)),
          ),
        ).toEqual(table(() => true));
      }),
      { numRuns: 200 },
    );
  });
  it('refuses tables of other units or scores, naming the field', () => {
    const t: UnitCountTable = { resolution: 10_000, units: [{ unit: 'first', scores: [unitScoreCounts('news2', [1], [1], [0])] }] };
    expect(() => addUnitCounts(t, { ...t, units: [{ unit: 'common', scores: t.units[0]?.scores ?? [] }] })).toThrow(
      /addUnitCounts: field "units" differs \(first: news2 and common: news2\)/,
    );
  });
});
