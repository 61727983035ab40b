import { csvRows } from '../../helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import type { AurocDefined } from '../../../validation/metrics/auroc.js';
import { auroc } from '../../../validation/metrics/auroc.js';
import { clusterBootstrapAuroc, obuchowskiAuroc } from '../../../validation/bootstrap/cluster.js';
import { defined } from '../../helpers/defined.js';

const rows = csvRows('proc-ties.csv');
const y = rows.map((r) => r[0] as number);
const s = rows.map((r) => r[1] as number);
const s2 = rows.map((r) => r[2] as number);
const singletons = rows.map((_, i) => i);

describe('obuchowskiAuroc(score, outcome, cluster)', () => {
  it('equals DeLong when every cluster holds one observation', () => {
    const o = obuchowskiAuroc(s, y, singletons);
    const d = auroc(s, y) as AurocDefined;
    if (!o.defined) throw new Error(o.reason);
    expect(o.estimate).toBe(d.estimate);
    expect(o.variance).toBeCloseTo(d.variance as number, 14);
  });
  it('duplicating every observation within its own cluster changes neither AUROC nor variance', () => {
    // Doubling: cluster sums double, M and N double: S10/M and S01/N are unchanged, S11 = 0 with one class per cluster.
    const o = obuchowskiAuroc([...s, ...s], [...y, ...y], [...singletons, ...singletons]);
    const d = auroc(s, y) as AurocDefined;
    if (!o.defined) throw new Error(o.reason);
    expect(o.estimate).toBe(d.estimate);
    expect(o.variance).toBeCloseTo(d.variance as number, 14);
  });
  it('widens the interval when patients are observed repeatedly', () => {
    // 30 patients, 10 observations each, outcome and score both driven by the patient.
    const patient = Array.from({ length: 300 }, (_, i) => Math.floor(i / 10));
    const score = patient.map((p, i) => (p % 7) + (i % 3));
    const event = patient.map((p) => (p % 5 === 0 ? 1 : 0));
    const o = obuchowskiAuroc(score, event, patient);
    const d = auroc(score, event) as AurocDefined;
    if (!o.defined) throw new Error(o.reason);
    expect(o.se).toBeGreaterThan(d.se as number);
  });
  it('says why it is undefined', () => {
    expect(obuchowskiAuroc([1, 2], [0, 0], [1, 2])).toMatchObject({ defined: false, reason: 'no-positives' });
  });
});

describe('clusterBootstrapAuroc(scores, outcome, cluster)', () => {
  it('is deterministic for a seed, and different across seeds', () => {
    const a = defined(clusterBootstrapAuroc({ s, s2 }, y, singletons, { B: 200, seed: 7 }));
    const b = defined(clusterBootstrapAuroc({ s, s2 }, y, singletons, { B: 200, seed: 7 }));
    const c = defined(clusterBootstrapAuroc({ s, s2 }, y, singletons, { B: 200, seed: 8 }));
    expect(a).toEqual(b);
    expect(a.auroc.s).not.toEqual(c.auroc.s);
  });
  it('uses the same resamples for every score: a score against itself differs by exactly 0', () => {
    const r = defined(clusterBootstrapAuroc({ a: s, b: s }, y, singletons, { B: 100, seed: 3 }));
    expect(r.differences['a - b']).toMatchObject({ defined: true, ci: [0, 0] });
    expect(r.auroc.a).toMatchObject({ defined: true, estimate: (auroc(s, y) as AurocDefined).estimate });
  });
  it('with one observation per cluster, its SE is close to DeLong (B = 2000)', () => {
    const r = defined(clusterBootstrapAuroc({ s }, y, singletons, { B: 2000, seed: 1 }));
    const d = auroc(s, y) as AurocDefined;
    const se = r.auroc.s?.defined === true ? r.auroc.s.se : Number.NaN;
    expect(se).toBeGreaterThan(0.85 * (d.se as number));
    expect(se).toBeLessThan(1.15 * (d.se as number));
  });
  it('says why it is undefined with one outcome class (never NaN)', () => {
    const r = clusterBootstrapAuroc(
      { s },
      s.map(() => 0),
      singletons,
      { B: 50 },
    );
    expect(r).toMatchObject({ defined: false, reason: 'no-positives', message: expect.stringMatching(/^clusterBootstrapAuroc: /) });
    expect(JSON.stringify(r)).not.toMatch(/NaN|null/);
  });
  it('rejects a bad B and mismatched lengths, naming them', () => {
    expect(() => clusterBootstrapAuroc({ s }, y, singletons, { B: 0 })).toThrow(/option "B" expected a whole number ≥ 1/);
    expect(() => clusterBootstrapAuroc({ s }, y, [1, 2])).toThrow(/"cluster" has 2 values; expected 300/);
  });
});
