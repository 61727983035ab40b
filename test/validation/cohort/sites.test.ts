/**
 * Site effects: each site is its own seeded draw (the same whatever the number of sites, so a new site is one more
 * draw), its cohort's profile is the base shifted by exactly its draws, and the draws follow their stated
 * distributions (checked on many sites against the model's SDs and ranges).
 */
import { describe, expect, it } from 'vitest';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { DEFAULT_SITE_EFFECTS, drawSite, drawSites, siteCohortOptions } from '../../../validation/cohort/sites.js';
import { resolveProfile } from '../../../validation/cohort/profiles.js';

describe('drawSite and drawSites', () => {
  it('site i is the same draw whatever the number of sites; another seed, another draw', () => {
    const three = drawSites(3, 17);
    const five = drawSites(5, 17);
    expect(five.slice(0, 3)).toEqual(three);
    expect(drawSite(17, 3)).toEqual(five[3]);
    expect(drawSites(3, 18)[0]?.riskShift).not.toBe(three[0]?.riskShift);
  });

  it('the draws follow their stated distributions (2,000 sites: SDs within 5 %, multipliers in their ranges)', () => {
    const many = drawSites(2000, 1);
    const sd = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
    };
    // The SD of a sample of 2,000 normals is within 5 % of σ with probability > 0.99 (its SE is σ/√(2n) ≈ 1.6 %).
    expect(sd(many.map((s) => s.riskShift)) / DEFAULT_SITE_EFFECTS.riskSd).toBeCloseTo(1, 1);
    expect(sd(many.map((s) => s.ageShift)) / DEFAULT_SITE_EFFECTS.ageSd).toBeCloseTo(1, 1);
    expect(sd(many.map((s) => Math.log(s.comorbidityMultiplier))) / DEFAULT_SITE_EFFECTS.comorbiditySd).toBeCloseTo(1, 1);
    const [mLo, mHi] = DEFAULT_SITE_EFFECTS.missingnessRange;
    const [oLo, oHi] = DEFAULT_SITE_EFFECTS.oximeterRange;
    expect(many.every((s) => s.missingnessMultiplier >= mLo && s.missingnessMultiplier <= mHi)).toBe(true);
    expect(many.every((s) => s.oximeterMultiplier >= oLo && s.oximeterMultiplier <= oHi)).toBe(true);
  });

  it('refuses no site, a name given twice and a name that is not a directory name', () => {
    expect(() => drawSites(0, 1)).toThrow(/expected at least one site/);
    expect(() => drawSites(['a', 'b', 'a'], 1)).toThrow(/the site name "a" is given twice/);
    expect(() => drawSites(['a/b'], 1)).toThrow(/a site name expected letters, digits/);
  });
});

describe('siteCohortOptions(base, effects)', () => {
  it('shifts the base profile by exactly the site’s draws and prefixes its ids', () => {
    const e = drawSite(4, 1);
    const base = resolveProfile('india-apollo');
    const o = siteCohortOptions({ profile: 'india-apollo', encounters: 30 }, e);
    const p = resolveProfile(o.profile as never);
    expect(p.deteriorationShift).toBeCloseTo(base.deteriorationShift + e.riskShift, 14);
    expect(p.age.mean).toBeCloseTo(base.age.mean + e.ageShift, 14);
    expect(p.comorbidityMean).toBeCloseTo(base.comorbidityMean * e.comorbidityMultiplier, 14);
    expect(p.missingness).toBeCloseTo(e.missingnessMultiplier, 14);
    expect(o.seed).toBe(e.seed);
    const ids = Array.from(generateCohort(o).observations.getChild('encounter_id') ?? [], String);
    expect(ids.every((id) => id.startsWith('site-2:E'))).toBe(true);
  });

  it('a site that charts less often has more uncharted vitals (observation practice is built in)', () => {
    const uncharted = (missingness: number) => {
      const c = generateCohort({ profile: { extends: 'uk-leicester', missingness }, encounters: 400, seed: 2 });
      const t = c.observations.getChild('temperature');
      return (t?.nullCount ?? 0) / c.observations.numRows;
    };
    expect(uncharted(3)).toBeGreaterThan(2 * uncharted(1));
  });
});
