/**
 * Case mix from released moments: each site's Mahalanobis distance from the others and Φ(Δ/√2), the binormal
 * membership AUROC — by hand, against the population value of simulated normal case mix, and the pooling of moments
 * against the moments of the rows together. And `combine` puts each site's distance beside its performance.
 */
import fc from 'fast-check';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { drawSites, siteCohortOptions } from '../../../validation/cohort/sites.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { combineSummaries } from '../../../validation/meta/combine.js';
import { combinedMarkdown } from '../../../validation/meta/render-combined.js';
import { caseMixDistance, caseMixMoments, membershipModel, poolMoments } from '../../../validation/meta/membership.js';
import { summariseSite } from '../../../validation/meta/site-summary.js';
import type { SiteSummary } from '../../../validation/meta/site-summary.js';

const P = 7;
const identity = Array.from({ length: P }, (_, j) => Array.from({ length: P }, (_, k) => (j === k ? 1 : 0)));

/** Moments of rows, written out: the mean, and Σ (x − mean)(x − mean)ᵀ / (n − 1). */
function direct(rows: number[][]): { encounters: number; mean: number[]; covariance: number[][] } {
  const n = rows.length;
  const mean = Array.from({ length: P }, (_, j) => rows.reduce((s, r) => s + (r[j] as number), 0) / n);
  const covariance = identity.map((_, j) =>
    identity.map((__, k) => rows.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) * ((r[k] as number) - (mean[k] as number)), 0) / (n - 1)),
  );
  return { encounters: n, mean, covariance };
}

/** A seeded uniform stream (mulberry32) and standard normals from it (Box–Muller). */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

describe('caseMixDistance', () => {
  it('by hand: unit covariance and means one apart on one variable give Δ = 1 and Φ(1/√2) = 0.76025', () => {
    const site = { encounters: 101, mean: [1, 0, 0, 0, 0, 0, 0], covariance: identity };
    const other = { encounters: 51, mean: [0, 0, 0, 0, 0, 0, 0], covariance: identity };
    // The pooled within covariance is ((101 − 1) I + (51 − 1) I) / 150 = I, so Δ² = 1.
    const d = caseMixDistance(site, [other]);
    if (!d.defined) throw new Error(d.message);
    expect(d.mahalanobis).toBeCloseTo(1, 12);
    expect(d.auroc).toBeCloseTo(0.76025, 5); // Φ(0.7071), from the normal table
    // Identical case mix: no distance, AUROC ½.
    const same = caseMixDistance(other, [other]);
    expect(same.defined && same.mahalanobis).toBe(0);
    expect(same.defined && same.auroc).toBe(0.5);
    // A variable that never varies: no inverse, said so.
    const flat = identity.map((r, j) => (j === 0 ? r.map(() => 0) : r));
    expect(caseMixDistance({ ...site, covariance: flat }, [{ ...other, covariance: flat }])).toMatchObject({ defined: false, reason: 'singular' });
    expect(caseMixDistance(site, [])).toMatchObject({ defined: false, reason: 'no-others' });
  });
  it('simulated normal case mix: Φ(Δ/√2) from sample moments is near the population’s (n = 4,000 a side)', () => {
    const z = normals(20261207);
    // Population: unit covariance with correlation 0.5 between the first two variables; means differ by
    // (0.6, 0.3, 0, 0, 0, 0.4, 0). Δ² = dᵀ Σ⁻¹ d: the first two variables' block [[1, .5], [.5, 1]] has inverse
    // (4/3)[[1, −.5], [−.5, 1]], so their part is (4/3)(0.36 − 0.18 + 0.09) = 0.36; plus 0.4² = 0.16: Δ² = 0.52.
    const shift = [0.6, 0.3, 0, 0, 0, 0.4, 0];
    const draw = (mean: readonly number[]): number[] => {
      const e = Array.from({ length: P }, () => z());
      const x = [...e];
      x[1] = 0.5 * (e[0] as number) + Math.sqrt(0.75) * (e[1] as number);
      return x.map((v, j) => v + (mean[j] as number));
    };
    const a = Array.from({ length: 4000 }, () => draw(shift));
    const b = Array.from({ length: 4000 }, () => draw([0, 0, 0, 0, 0, 0, 0]));
    const d = caseMixDistance(direct(a), [direct(b)]);
    if (!d.defined) throw new Error(d.message);
    const population = Math.sqrt(0.52);
    expect(Math.abs(d.mahalanobis - population)).toBeLessThan(0.05);
    // Φ(√0.52 / √2) = Φ(0.5099) = 0.6949 (normal table).
    expect(Math.abs(d.auroc - 0.6949)).toBeLessThan(0.015);
  });
  it('pooled moments are the moments of the rows together (fast-check)', () => {
    const row = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: P, maxLength: P });
    fc.assert(
      fc.property(fc.array(fc.array(row, { minLength: 2, maxLength: 8 }), { minLength: 1, maxLength: 4 }), (groups) => {
        const pooled = poolMoments(groups.map(direct));
        const all = direct(groups.flat());
        expect(pooled.encounters).toBe(all.encounters);
        pooled.mean.forEach((m, j) => expect(m).toBeCloseTo(all.mean[j] as number, 8));
        pooled.covariance.forEach((r, j) => r.forEach((c, k) => expect(c).toBeCloseTo(all.covariance[j]?.[k] as number, 6)));
      }),
      { numRuns: 150 },
    );
  });
});

describe('caseMixMoments', () => {
  // 12 encounters of 12 patients, one set each; encounter 11's SpO2 is missing: 11 complete, 1 left out.
  const n = 12;
  const observations = tableFromArrays({
    encounter_id: Array.from({ length: n }, (_, i) => `e${i}`),
    patient_id: Array.from({ length: n }, (_, i) => `p${i}`),
    observed_at: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i),
    age: Float64Array.from({ length: n }, (_, i) => 40 + i),
    comorbidity_count: Float64Array.from({ length: n }, (_, i) => i % 3),
    respiratory_rate: Float64Array.from({ length: n }, (_, i) => 14 + (i % 5)),
    spo2: Float64Array.from({ length: n }, (_, i) => (i === n - 1 ? Number.NaN : 95 + (i % 4))),
    systolic_bp: Float64Array.from({ length: n }, (_, i) => 110 + 2 * i),
    heart_rate: Float64Array.from({ length: n }, (_, i) => 70 + ((3 * i) % 7)),
    temperature: Float64Array.from({ length: n }, (_, i) => 36.5 + (i % 2) / 10),
  });
  it('releases the moments of the complete encounters, by hand (age: 40…50, mean 45, variance 11)', () => {
    const m = caseMixMoments(observations, 1);
    if (!m.defined) throw new Error(m.message);
    expect([m.encounters, m.incomplete]).toEqual([11, 1]);
    expect(m.mean[0]).toBe(45);
    // Σ (age − 45)² over 40…50 = 2 (1 + 4 + 9 + 16 + 25) = 110, over n − 1 = 10.
    expect(m.covariance[0]?.[0]).toBeCloseTo(11, 12);
  });
  it('withholds them when the encounters left out are 1 to threshold − 1 (the subtraction would give them), or too few patients', () => {
    expect(caseMixMoments(observations, 10)).toMatchObject({ defined: false, reason: 'suppressed', message: expect.stringMatching(/by subtraction/) });
    expect(caseMixMoments(observations, 12)).toMatchObject({ defined: false, reason: 'suppressed', message: expect.stringMatching(/fewer patients/) });
  });
});

describe('case mix in site summaries and combine', () => {
  const sites = drawSites(3, 5).map((e) => ({
    site: e.site,
    cohort: generateCohort({ ...siteCohortOptions({ profile: 'india-apollo' }, e), encounters: 400 }),
  }));
  const summaries = sites.map((s) => summariseSite({ cohort: s.cohort, scores: [news2], bootstrap: { B: 20, seed: 2 }, site: s.site }));

  it('a summary carries its moments, counted as the membership model counts encounters; below the threshold, none', () => {
    const m = summaries[0]?.caseMix;
    if (m === undefined || !m.defined) throw new Error('expected moments');
    const logistic = membershipModel(sites[0]?.cohort as never, sites[1]?.cohort as never);
    if (!logistic.defined) throw new Error(logistic.message);
    expect(m.encounters).toBe(logistic.encounters.site);
    expect(m.variables).toEqual(logistic.variables);
    expect(m.covariance.every((r, j) => r.every((c, k) => c === m.covariance[k]?.[j]))).toBe(true);
    // Above the site's patients, a threshold withholds the moments; the patients are never released.
    expect(caseMixMoments(sites[0]?.cohort.observations as never, 1e9)).toMatchObject({ defined: false, reason: 'suppressed' });
    expect(Object.keys(m)).not.toContain('patients');
    // Encounters left out, when there are any, are 0 or at least the threshold (else the subtraction gives them).
    expect(m.incomplete === 0 || m.incomplete >= 10).toBe(true);
  });
  it('combine gives each site’s distance from the others, beside its AUROC; a summary without moments is named', () => {
    const c = combineSummaries(summaries);
    expect(c.caseMixDistance?.map((x) => x.site)).toEqual(sites.map((s) => s.site));
    for (const row of c.caseMixDistance ?? []) {
      expect(row.distance.defined).toBe(true);
      if (row.distance.defined) expect(row.distance.auroc).toBeGreaterThan(0.5);
    }
    // The first site's distance is from the other two pooled.
    const [s0, s1, s2] = summaries.map((s) => s.caseMix) as [
      NonNullable<SiteSummary['caseMix']>,
      NonNullable<SiteSummary['caseMix']>,
      NonNullable<SiteSummary['caseMix']>,
    ];
    if (!s0.defined || !s1.defined || !s2.defined) throw new Error('expected moments');
    expect(c.caseMixDistance?.[0]?.distance).toEqual(caseMixDistance(s0, [s1, s2]));
    expect(combinedMarkdown(c)).toMatch(/## Case mix: how far each site is from the others/);
    // Beside it each score's AUROC, and O/E only for a score that has one (NEWS2, a points score, has none).
    expect(combinedMarkdown(c)).toMatch(/\| Site \| Encounters \| Mahalanobis Δ \| Membership AUROC \(binormal\) \| NEWS2 AUROC \|\n/);
    const { caseMix: _gone, ...older } = summaries[2] as SiteSummary;
    const mixed = combineSummaries([summaries[0] as SiteSummary, summaries[1] as SiteSummary, older]);
    expect(mixed.caseMixDistance?.[2]?.distance).toMatchObject({ defined: false, reason: 'not-shared' });
    expect(mixed.warnings.join(' ')).toMatch(/case mix: 1 of 3 sites released no moments/);
  });
});
