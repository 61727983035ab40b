/**
 * Sites for the synthetic generator: a multi-site study is several cohorts from one base profile, each site shifted
 * by effects drawn from stated distributions — its baseline risk (log-odds of deterioration: what moves a model's
 * calibration-in-the-large and O/E between sites), its case mix (mean age at admission, comorbidity), its observation
 * practice (how often a vital sign goes uncharted) and its oximeter mix (how much its devices over-read on darker
 * skin). The effects are written down with the cohorts, so a meta-analysis can be checked against what was built in;
 * a *new* site is one more draw from the same distributions. Illustrative magnitudes, stated so a study can change them.
 */
import { createRandom } from '../stats/random.js';
import type { CohortOptions } from './generate.js';
import type { OximeterBias } from './oximeter.js';
import { LITERATURE_BIAS } from './oximeter.js';
import type { CohortProfile } from './profiles.js';
import { resolveProfile } from './profiles.js';

/** The distributions site effects are drawn from. */
export interface SiteEffectModel {
  /** SD of the site's shift in the baseline log-odds of deterioration (normal, mean 0). */
  readonly riskSd: number;
  /** SD of the site's shift in mean age at admission, years (normal, mean 0). */
  readonly ageSd: number;
  /** SD of the log of the site's comorbidity multiplier (normal, mean 0). */
  readonly comorbiditySd: number;
  /** The site's multiplier of the chance a vital sign goes uncharted: log-uniform over this range. */
  readonly missingnessRange: readonly [number, number];
  /** The site's multiplier of the oximeter over-reading: uniform over this range. */
  readonly oximeterRange: readonly [number, number];
}

/** The default site effects: a between-site SD of 0.3 in baseline log-odds, 4 years in mean age, 15 % in comorbidity. */
export const DEFAULT_SITE_EFFECTS: SiteEffectModel = {
  riskSd: 0.3,
  ageSd: 4,
  comorbiditySd: 0.15,
  missingnessRange: [0.5, 2],
  oximeterRange: [0.5, 1.5],
};

/** One site's draws. */
export interface SiteEffects {
  /** The site's name (`site-1`, …, or the name given). */
  readonly site: string;
  /** Its position among the sites (0-based); a new site is one past the last. */
  readonly index: number;
  /** The seed of its cohort. */
  readonly seed: number;
  readonly riskShift: number;
  readonly ageShift: number;
  readonly comorbidityMultiplier: number;
  readonly missingnessMultiplier: number;
  readonly oximeterMultiplier: number;
}

/** The seed of site `index` of a study seeded `seed` (each site its own stream). */
function siteSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/**
 * Draw site `index`'s effects for the study seeded `seed`: the same (seed, index) gives the same site whatever the
 * number of sites, so a new site is `drawSite(seed, sites, …)`. Runs in O(1).
 *
 * @example drawSite(1, 0, DEFAULT_SITE_EFFECTS).site; // => 'site-1'
 */
export function drawSite(seed: number, index: number, model: SiteEffectModel = DEFAULT_SITE_EFFECTS, name?: string): SiteEffects {
  const s = siteSeed(seed, index);
  const rng = createRandom(s);
  const [mLo, mHi] = model.missingnessRange;
  const [oLo, oHi] = model.oximeterRange;
  return {
    site: name ?? `site-${index + 1}`,
    index,
    seed: s,
    riskShift: rng.normal(0, model.riskSd),
    ageShift: rng.normal(0, model.ageSd),
    comorbidityMultiplier: Math.exp(rng.normal(0, model.comorbiditySd)),
    missingnessMultiplier: Math.exp(Math.log(mLo) + rng.next() * (Math.log(mHi) - Math.log(mLo))),
    oximeterMultiplier: oLo + rng.next() * (oHi - oLo),
  };
}

/**
 * The sites of a study: `names` (or `site-1` … `site-N` for a count). Runs in O(sites).
 *
 * @throws {RangeError} for fewer than one site, or a name given twice
 */
export function drawSites(sites: number | readonly string[], seed: number, model: SiteEffectModel = DEFAULT_SITE_EFFECTS): SiteEffects[] {
  const names = typeof sites === 'number' ? Array.from({ length: sites }, (_, i) => `site-${i + 1}`) : sites;
  if (names.length < 1 || !Number.isInteger(names.length)) throw new RangeError(`drawSites: "sites" expected at least one site; received ${String(sites)}.`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new RangeError(`drawSites: the site name "${twice}" is given twice.`);
  const bad = names.find((n) => !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(n));
  if (bad !== undefined) throw new RangeError(`drawSites: a site name expected letters, digits, "-" and "_" (a directory name); received "${bad}".`);
  return names.map((n, i) => drawSite(seed, i, model, n));
}

/** The oximeter bias of a site: the base bias, its over-reading scaled by the site's multiplier. */
function scaledBias(base: OximeterBias, k: number): OximeterBias {
  return { ...base, perTone: base.perTone.map((b) => b * k) };
}

/**
 * The generator options of one site's cohort: the base profile shifted by the site's effects, its ids prefixed by the
 * site's name (so sites never share a patient id by accident), and its own seed.
 */
export function siteCohortOptions(base: CohortOptions, effects: SiteEffects): CohortOptions {
  const profile: CohortProfile = resolveProfile(base.profile ?? 'uk-leicester');
  const shiftAge = <A extends { readonly mean: number }>(a: A): A => ({ ...a, mean: a.mean + effects.ageShift });
  const byGroup =
    profile.ageByEthnicity === undefined
      ? undefined
      : Object.fromEntries(Object.entries(profile.ageByEthnicity).map(([g, a]) => [g, a === undefined ? a : shiftAge(a)]));
  const bias = base.oximeterBias === 'none' ? undefined : typeof base.oximeterBias === 'object' ? base.oximeterBias : LITERATURE_BIAS;
  const { name: baseName, ...rest } = profile;
  return {
    ...base,
    seed: effects.seed,
    profile: {
      ...rest,
      extends: typeof base.profile === 'string' ? base.profile : 'uk-leicester',
      name: `${baseName} (${effects.site})`,
      site: effects.site,
      idPrefix: `${effects.site}:`,
      deteriorationShift: profile.deteriorationShift + effects.riskShift,
      age: shiftAge(profile.age),
      ...(byGroup === undefined ? {} : { ageByEthnicity: byGroup }),
      comorbidityMean: profile.comorbidityMean * effects.comorbidityMultiplier,
      missingness: (profile.missingness ?? 1) * effects.missingnessMultiplier,
    },
    ...(bias === undefined ? {} : { oximeterBias: scaledBias(bias, effects.oximeterMultiplier) }),
  };
}
