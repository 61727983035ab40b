/**
 * Internal–external cross-validation: each site is left out once, its fold's model is exactly the fit on the other
 * sites (refitted here independently), the held-out sites are meta-analysed with rules matched by zone across folds.
 */
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { drawSites, siteCohortOptions } from '../../../validation/cohort/sites.js';
import { APOLLO_TEMPLATE } from '../../../validation/fit/apollo-template.js';
import { fitSeverityModel } from '../../../validation/fit/fit-model.js';
import { concatCohorts, internalExternalValidation } from '../../../validation/meta/iecv.js';

const sites = drawSites(3, 12).map((e) => ({
  site: e.site,
  cohort: generateCohort({ ...siteCohortOptions({ profile: 'india-apollo' }, e), encounters: 500 }),
}));
const fit = (c: Parameters<typeof fitSeverityModel>[0]) => fitSeverityModel(c, APOLLO_TEMPLATE, { ridge: 1 });
const result = internalExternalValidation({ sites, fit, comparators: [news2], study: { bootstrap: { B: 40, seed: 2 } } });

describe('internalExternalValidation(options)', () => {
  it('leaves each site out once and fits on exactly the others', () => {
    expect(result.folds.map((f) => f.heldOut)).toEqual(['site-1', 'site-2', 'site-3']);
    expect(result.folds[1]?.fittedOn).toEqual(['site-1', 'site-3']);
    // The fold's model is the fit on the other sites' rows, refitted here.
    const refit = fit(concatCohorts([sites[0]?.cohort, sites[2]?.cohort].filter((c) => c !== undefined)));
    expect(result.folds[1]?.model).toEqual(refit);
    expect(result.folds[0]?.model).not.toEqual(refit);
  });

  it('concatCohorts keeps every row of every site, in order', () => {
    const all = concatCohorts(sites.map((s) => s.cohort));
    expect(all.observations.numRows).toBe(sites.reduce((t, s) => t + s.cohort.observations.numRows, 0));
    const last = sites[2]?.cohort.observations;
    expect(all.observations.getChild('encounter_id')?.get(all.observations.numRows - 1)).toBe(last?.getChild('encounter_id')?.get((last?.numRows ?? 0) - 1));
  });

  it('meta-analyses the held-out sites, matching each fold’s zones by name', () => {
    const c = result.combined;
    expect(c.method.definitions).toBe('id-and-version');
    expect(c.measures.find((m) => m.score === 'apollo_style' && m.measure === 'auroc')?.summary?.k).toBe(3);
    const zone = c.measures.find((m) => m.score === 'apollo_style' && m.measure === 'sensitivity' && m.rule?.startsWith('orange zone'));
    expect(zone?.rule).toBe('orange zone (each fold’s cut-off)');
    // Every site is either pooled or kept out with its reason (a small site's count can be suppressed).
    expect((zone?.sites.length ?? 0) + (zone?.excluded.length ?? 0)).toBe(3);
    expect(zone?.excluded.every((e) => e.reason !== 'absent')).toBe(true);
    // NEWS2, the same definition at every site, beside it: its rules keep their own labels.
    expect(c.measures.find((m) => m.score === 'news2' && m.measure === 'auroc')?.summary?.k).toBe(3);
    expect(c.measures.find((m) => m.score === 'news2' && m.measure === 'sensitivity' && m.rule === 'NEWS2 ≥ 5 (medium)')?.summary?.k).toBe(3);
    expect(c.measures.some((m) => m.score === 'news2' && (m.rule ?? '').includes('each fold'))).toBe(false);
  });

  it('refuses fewer than two sites and a site named twice', () => {
    expect(() => internalExternalValidation({ sites: sites.slice(0, 1), fit })).toThrow(/expected at least two sites/);
    expect(() => internalExternalValidation({ sites: [sites[0], sites[0]].filter((s) => s !== undefined), fit })).toThrow(/the site "site-1" is given twice/);
  });
});

describe('membershipModel(site, others)', () => {
  it('cannot tell apart two samples of one population (AUROC near 0.5); tells apart a site 25 years older', async () => {
    const { membershipModel } = await import('../../../validation/meta/membership.js');
    const a = generateCohort({ profile: 'uk-leicester', encounters: 800, seed: 1 });
    const b = generateCohort({ profile: 'uk-leicester', encounters: 800, seed: 2 });
    const same = membershipModel(a, b);
    if (!same.defined) throw new Error(same.message);
    // Apparent AUROC of 7 null predictors on ~1,600 encounters: about 0.5 + O(√(p/n)) ≈ 0.53.
    expect(same.auroc).toBeLessThan(0.58);
    const older = generateCohort({
      profile: { extends: 'uk-leicester', age: { mean: 90, sd: 5, min: 18, max: 105 }, ageByEthnicity: {} },
      encounters: 800,
      seed: 3,
    });
    const differ = membershipModel(older, b);
    if (!differ.defined) throw new Error(differ.message);
    expect(differ.auroc).toBeGreaterThan(0.8);
    expect(same.encounters.site + same.incomplete).toBeGreaterThan(0);
  });

  it('is reported beside each held-out site in the cross-validation', () => {
    expect(result.folds.every((f) => f.membership.defined && f.membership.auroc > 0.3 && f.membership.auroc < 1)).toBe(true);
    expect(result.combined.caseMix?.map((c) => c.site)).toEqual(['site-1', 'site-2', 'site-3']);
  });
});
