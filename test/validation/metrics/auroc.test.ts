/**
 * AUROC and DeLong against independent answers: hand-worked small examples, closed forms, a brute-force
 * Mann–Whitney count, and R's pROC on a fixed data set with ties.
 */
import fc from 'fast-check';
import { csvRows } from '../../helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import type { AurocDefined } from '../../../validation/metrics/auroc.js';
import { auroc, aurocFromCounts } from '../../../validation/metrics/auroc.js';
import { compareAuroc, compareAurocFromJointCounts } from '../../../validation/metrics/compare-auroc.js';
import { countsByInteger, countsBySorting, countsOf, mergeCounts } from '../../../validation/stats/counts.js';
import { pnorm, qnorm } from '../../../validation/stats/normal.js';

const ok = (r: ReturnType<typeof auroc>): AurocDefined => {
  if (!r.defined) throw new Error(`expected a defined AUROC; got ${r.reason}`);
  return r;
};

/** Brute force: P(s₊ > s₋) + ½ P(s₊ = s₋) over all pairs — O(mn), independent of the fast path. */
function bruteAuc(s: number[], y: number[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      sum += (s[i] as number) > (s[j] as number) ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return sum / pairs;
}

/** DeLong's variance written from the paper's definitions, pair by pair — O(mn). */
function bruteDelongVar(s: number[], y: number[]): number {
  const pos = s.filter((_, i) => y[i] === 1);
  const neg = s.filter((_, i) => y[i] === 0);
  const psi = (a: number, b: number) => (a > b ? 1 : a === b ? 0.5 : 0);
  const v10 = pos.map((x) => neg.reduce((t, w) => t + psi(x, w), 0) / neg.length);
  const v01 = neg.map((w) => pos.reduce((t, x) => t + psi(x, w), 0) / pos.length);
  const auc = v10.reduce((t, v) => t + v, 0) / pos.length;
  const s10 = v10.reduce((t, v) => t + (v - auc) ** 2, 0) / (pos.length - 1);
  const s01 = v01.reduce((t, v) => t + (v - auc) ** 2, 0) / (neg.length - 1);
  return s10 / pos.length + s01 / neg.length;
}

describe('auroc(score, outcome)', () => {
  it('hand-worked: 2 positives, 3 negatives with one tie', () => {
    // positives {3, 5}, negatives {1, 3, 4}: pairs (3>1) 1, (3=3) ½, (3<4) 0, (5>1) 1, (5>3) 1, (5>4) 1 → 4.5/6 = 0.75
    const r = ok(auroc([1, 3, 4, 3, 5], [0, 0, 0, 1, 1]));
    expect(r.estimate).toBe(0.75);
    expect(r.nPositive).toBe(2);
    expect(r.nNegative).toBe(3);
    // V10: positive 3 → (1 + ½)/3 = 0.5, positive 5 → 3/3 = 1; S10 = ((0.5−.75)² + (1−.75)²)/1 = 0.125
    // V01: negative 1 → 2/2 = 1, negative 3 → (1 + ½)/2 = 0.75, negative 4 → 1/2 = 0.5;
    //      S01 = ((1−.75)² + 0 + (.5−.75)²)/2 = 0.0625;  Var = 0.125/2 + 0.0625/3
    expect(r.variance).toBeCloseTo(0.125 / 2 + 0.0625 / 3, 15);
  });

  it('closed forms: perfect separation 1, reversed 0, identical scores ½ (with a warning)', () => {
    expect(ok(auroc([1, 2, 3, 4], [0, 0, 1, 1])).estimate).toBe(1);
    expect(ok(auroc([4, 3, 2, 1], [0, 0, 1, 1])).estimate).toBe(0);
    const flat = ok(auroc([7, 7, 7, 7], [0, 1, 0, 1]));
    expect(flat.estimate).toBe(0.5);
    expect(flat.warnings).toContain('constant-score');
  });

  it("agrees with R's pROC (auc, DeLong SE and CI) on a data set with many ties", () => {
    // pROC 1.18: roc(y, s, direction = "<"); auc, sqrt(var(r)), ci.auc(r) — see test/fixtures/proc-ties.csv.
    const rows = csvRows('proc-ties.csv');
    const y = rows.map((r) => r[0] as number);
    const s = rows.map((r) => r[1] as number);
    const s2 = rows.map((r) => r[2] as number);
    const r = ok(auroc(s, y));
    expect(r.estimate).toBeCloseTo(0.876536885245902, 12);
    expect(r.se).toBeCloseTo(0.025132998360246, 12);
    expect(r.ci?.[0]).toBeCloseTo(0.827277113636315, 12);
    expect(r.ci?.[1]).toBeCloseTo(0.925796656855489, 12);
    // roc.test(r, r2, method = "delong", paired = TRUE)
    const c = compareAuroc(s, s2, y);
    if (!c.defined) throw new Error(c.reason);
    expect(c.aucB).toBeCloseTo(0.751536885245902, 12);
    expect(c.z).toBeCloseTo(3.99356643500694, 10);
    expect(c.p).toBeCloseTo(0.000065086831101, 12);
    expect(c.ci[0]).toBeCloseTo(0.063652454628045, 12);
    expect(c.ci[1]).toBeCloseTo(0.186347545371955, 12);
    // From the joint counts of the two scores (sets per pair of values and outcome): pROC's numbers again.
    const cells = new Map<string, { a: number; b: number; positive: number; negative: number }>();
    y.forEach((yi, i) => {
      const key = `${s[i]}|${s2[i]}`;
      const cell = cells.get(key) ?? { a: s[i] as number, b: s2[i] as number, positive: 0, negative: 0 };
      if (yi === 1) cell.positive++;
      else cell.negative++;
      cells.set(key, cell);
    });
    const j = compareAurocFromJointCounts([...cells.values()]);
    if (!j.defined) throw new Error(j.reason);
    expect(j.z).toBeCloseTo(3.99356643500694, 10);
    expect(j.p).toBeCloseTo(0.000065086831101, 12);
    expect(j.ci[0]).toBeCloseTo(0.063652454628045, 12);
  });

  it('the paired DeLong test from joint counts is compareAuroc on the sets they count (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 }), fc.boolean()), { minLength: 4, maxLength: 80 }), (sets) => {
        const a = sets.map((x) => x[0]);
        const b = sets.map((x) => x[1]);
        const y = sets.map((x) => (x[2] ? 1 : 0));
        const direct = compareAuroc(a, b, y);
        const cells = new Map<string, { a: number; b: number; positive: number; negative: number }>();
        sets.forEach(([x, w, e]) => {
          const cell = cells.get(`${x}|${w}`) ?? { a: x, b: w, positive: 0, negative: 0 };
          if (e) cell.positive++;
          else cell.negative++;
          cells.set(`${x}|${w}`, cell);
        });
        const joint = compareAurocFromJointCounts([...cells.values()]);
        expect(joint.defined).toBe(direct.defined);
        if (!direct.defined || !joint.defined) return;
        for (const [x, w] of [
          [joint.estimate, direct.estimate],
          [joint.se, direct.se],
          [joint.ci[0], direct.ci[0]],
          [joint.ci[1], direct.ci[1]],
        ])
          expect(Math.abs((x as number) - (w as number))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w as number)));
      }),
      { numRuns: 200 },
    );
  });

  it('says why it is undefined: empty, one-class; never NaN, never ½ by default', () => {
    expect(auroc([], [])).toMatchObject({ defined: false, reason: 'empty' });
    expect(auroc([1, 2, 3], [0, 0, 0])).toMatchObject({ defined: false, reason: 'no-positives', nNegative: 3 });
    expect(auroc([1, 2, 3], [1, 1, true])).toMatchObject({ defined: false, reason: 'no-negatives', nPositive: 3 });
    expect(auroc([null, 2, Number.NaN], [1, null, 0])).toMatchObject({ defined: false, reason: 'empty', nMissing: 3 });
  });

  it('warns with fewer than 10 events, and gives no SE with a single positive', () => {
    const r = ok(auroc([1, 2, 3, 4, 5], [0, 0, 1, 0, 0]));
    expect(r.warnings).toEqual(['fewer-than-10-events', 'single-positive-or-negative']);
    expect(r.se).toBeNull();
    expect(r.ci).toBeNull();
    expect(r.estimate).toBe(0.5); // 3 beats 1 and 2, loses to 4 and 5
  });

  it('leaves out pairs with a missing score or outcome and counts them', () => {
    const r = ok(auroc([1, null, 3, 4, undefined, 2], [0, 1, 1, null, 0, 0]));
    expect(r.nMissing).toBe(3);
    expect(r.estimate).toBe(1);
  });

  it('rejects outcomes that are not binary, and arrays of different lengths, naming the problem', () => {
    expect(() => auroc([1, 2], [0, 2])).toThrow(/auroc: outcome\[1\] expected true\/false or 1\/0; received number 2/);
    expect(() => auroc([1, 2], [0])).toThrow(/auroc: "score" has 2 values but "outcome" has 1/);
    expect(() => auroc([1, 2], [0, 1], { direction: 'up' as never })).toThrow(/option "direction" expected 'higher' or 'lower'/);
  });

  it("direction 'lower' reverses the score, never guessed from the data", () => {
    expect(ok(auroc([4, 3, 2, 1], [0, 0, 1, 1], { direction: 'lower' })).estimate).toBe(1);
    expect(ok(auroc([4, 3, 2, 1], [0, 0, 1, 1])).estimate).toBe(0);
  });
});

const labelled = fc
  .array(fc.record({ s: fc.integer({ min: 0, max: 20 }), y: fc.boolean() }), { minLength: 2, maxLength: 80 })
  .filter((r) => r.some((x) => x.y) && r.some((x) => !x.y));

describe('AUROC properties', () => {
  it('equals the brute-force Mann–Whitney AUROC and pair-by-pair DeLong variance', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const s = rows.map((r) => r.s);
        const y = rows.map((r) => (r.y ? 1 : 0));
        const r = ok(auroc(s, y));
        expect(r.estimate).toBeCloseTo(bruteAuc(s, y), 12);
        if (r.variance !== null) expect(r.variance).toBeCloseTo(bruteDelongVar(s, y), 12);
      }),
    );
  });

  it('lies in [0, 1], and flipping the outcomes gives 1 − AUROC', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const s = rows.map((r) => r.s);
        const a = ok(
          auroc(
            s,
            rows.map((r) => r.y),
          ),
        ).estimate;
        const b = ok(
          auroc(
            s,
            rows.map((r) => !r.y),
          ),
        ).estimate;
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        expect(a + b).toBeCloseTo(1, 14);
      }),
    );
  });

  it('is invariant to strictly increasing transforms of the score', () => {
    fc.assert(
      fc.property(
        labelled,
        fc.constantFrom(
          (x: number) => Math.exp(x / 3),
          (x: number) => 2 * x - 7,
          (x: number) => x ** 3 + x,
        ),
        (rows, f) => {
          const y = rows.map((r) => r.y);
          const a = ok(
            auroc(
              rows.map((r) => r.s),
              y,
            ),
          );
          const b = ok(
            auroc(
              rows.map((r) => f(r.s)),
              y,
            ),
          );
          expect(b.estimate).toBe(a.estimate);
          expect(b.variance ?? 0).toBeCloseTo(a.variance ?? 0, 14);
        },
      ),
    );
  });

  it('the counting path equals the sorting path exactly on integer scores', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const s = Float64Array.from(rows.map((r) => r.s));
        const y = Uint8Array.from(rows.map((r) => (r.y ? 1 : 0)));
        const byInt = countsByInteger(s, y);
        const bySort = countsBySorting(s, y);
        expect(byInt).toEqual(bySort);
        expect(aurocFromCounts(byInt as never)).toEqual(aurocFromCounts(bySort));
      }),
    );
  });

  it('the one-pass counting path equals sorting for integers of any sign and spread, either direction', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.integer({ min: -5000, max: 5000 }), y: fc.boolean() }), { maxLength: 60 }),
        fc.constantFrom<'higher' | 'lower'>('higher', 'lower'),
        (rows, direction) => {
          const sign = direction === 'lower' ? -1 : 1;
          const got = countsOf(
            rows.map((r) => r.s),
            rows.map((r) => r.y),
            { direction },
          );
          expect(got.path).toBe('integer');
          const want = countsBySorting(
            Float64Array.from(rows, (r) => sign * r.s + 0),
            Uint8Array.from(rows, (r) => (r.y ? 1 : 0)),
          );
          expect(got.counts).toEqual(want);
        },
      ),
    );
  });

  it('merging the counts of partitions equals computing on the whole', () => {
    fc.assert(
      fc.property(labelled, fc.integer({ min: 0, max: 80 }), (rows, cut) => {
        const s = rows.map((r) => r.s);
        const y = rows.map((r) => r.y);
        const k = Math.min(cut, rows.length);
        const merged = mergeCounts(countsOf(s.slice(0, k), y.slice(0, k)).counts, countsOf(s.slice(k), y.slice(k)).counts);
        expect(merged).toEqual(countsOf(s, y).counts);
        expect(aurocFromCounts(merged)).toEqual(auroc(s, y));
      }),
    );
  });
});

describe('pnorm and qnorm', () => {
  it('match known values to double precision', () => {
    expect(qnorm(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(pnorm(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(pnorm(-8)).toBeCloseTo(6.22096057427178e-16, 28);
    expect(qnorm(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(pnorm(0)).toBe(0.5);
  });
});
