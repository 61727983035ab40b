/**
 * Does the meta-analysis tell the truth about a new site? Seeded multi-site studies from the generator's site model
 * (`validation/cohort/sites.ts`): each study's sites are summarised (`summariseSite`, the patient-clustered bootstrap)
 * and combined (`combineSummaries`: REML, Hartung–Knapp–Sidik–Jonkman); then one *new* site is drawn from the same
 * distributions, generated large, and its AUROC and O/E measured on all of its sets. The share of studies whose 95 %
 * prediction interval holds the new site's value is the coverage a reader is promised.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { generateCohort } from '../cohort/generate.js';
import type { CohortOptions } from '../cohort/generate.js';
import { drawSite, drawSites, siteCohortOptions } from '../cohort/sites.js';
import { isSuppressed } from '../disclosure/disclosure.js';
import { runStudy } from '../study/validate.js';
import { combineSummaries } from './combine.js';
import { summariseSite } from './site-summary.js';
import { qt } from '../stats/student-t.js';

export interface SiteCoverageOptions {
  readonly studies: number;
  readonly sites: number;
  readonly encountersPerSite: number;
  /** Encounters of the new site whose measures are the truth. */
  readonly newSiteEncounters: number;
  readonly B: number;
  readonly firstSeed: number;
  readonly score: ScoreDefinition;
  readonly base: CohortOptions;
  readonly onStudy?: (done: number) => void;
}

export interface SiteCoverageMeasure {
  /** Studies where the measure was pooled and the new site's value defined. */
  readonly studies: number;
  /** Share of those whose prediction interval (metafor's: t with k − 1 df) held the new site's value. */
  readonly piCoverage: number;
  /** Monte Carlo standard error of that share. */
  readonly mcse: number;
  readonly meanPiWidth: number;
  /** The same with the prediction interval on t with k − 2 df (Higgins et al. 2009), on the same studies. */
  readonly piCoverageK2?: number;
  readonly mcseK2?: number;
  readonly meanPiWidthK2?: number;
  /** Mean τ on the pooling scale. */
  readonly meanTau: number;
  /** Share of studies where τ² was estimated as 0. */
  readonly tauZero?: number;
}

export interface SiteCoverageResult {
  readonly auroc: SiteCoverageMeasure;
  readonly oe: SiteCoverageMeasure;
}

/** A coverage measure from its means over `studies` studies, with the Monte Carlo SEs of the two coverages. */
export function coverageMeasure(studies: number, means: Omit<Required<SiteCoverageMeasure>, 'studies' | 'mcse' | 'mcseK2'>): SiteCoverageMeasure {
  const mcse = (p: number) => Math.sqrt((p * (1 - p)) / studies);
  return { studies, ...means, mcse: mcse(means.piCoverage), mcseK2: mcse(means.piCoverageK2) };
}

/** A new site's AUROC and O/E of the score, on all its sets (no bootstrap, no disclosure control: a truth, not a release). */
function newSiteTruth(options: SiteCoverageOptions, seed: number): { auroc: number | null; oe: number | null } {
  const effects = drawSite(seed, options.sites);
  const cohort = generateCohort({ ...siteCohortOptions(options.base, effects), encounters: options.newSiteEncounters });
  const { report } = runStudy({ cohort, scores: [options.score], bootstrap: false, disclosure: { policy: 'none' } });
  const s = report.scores[0];
  const a = s === undefined || isSuppressed(s.auroc) || !s.auroc.defined ? null : s.auroc.estimate;
  const c = s === undefined || isSuppressed(s.calibration) || !s.calibration.defined ? null : s.calibration.observedExpected;
  return { auroc: a, oe: c === null || !c.defined ? null : c.estimate };
}

/**
 * Run the site coverage study. Runs in O(studies × (sites × site cost + new-site cost)).
 *
 * @example siteCoverageStudy({ studies: 200, sites: 5, encountersPerSite: 1500, newSiteEncounters: 20000, B: 200, firstSeed: 1, score: apolloStyle, base: { profile: 'india-apollo' } }).auroc.piCoverage;
 */
export function siteCoverageStudy(options: SiteCoverageOptions): SiteCoverageResult {
  type Hit = { hit: boolean; width: number; hitK2: boolean; widthK2: number; tau: number };
  const hits = { auroc: [] as Hit[], oe: [] as Hit[] };
  const back = { auroc: (x: number) => 1 / (1 + Math.exp(-x)), oe: Math.exp };
  for (let k = 0; k < options.studies; k++) {
    const seed = options.firstSeed + k;
    const summaries = drawSites(options.sites, seed).map((effects) =>
      summariseSite({
        cohort: generateCohort({ ...siteCohortOptions(options.base, effects), encounters: options.encountersPerSite }),
        scores: [options.score],
        bootstrap: { B: options.B, seed },
        disclosure: { policy: 'none' },
        site: effects.site,
      }),
    );
    const combined = combineSummaries(summaries);
    const truth = newSiteTruth(options, seed);
    for (const measure of ['auroc', 'oe'] as const) {
      const pooled = combined.measures.find((m) => m.measure === measure)?.summary ?? null;
      const value = truth[measure];
      if (pooled === null || pooled.pi === null || value === null) continue;
      // The same pooled fit with the prediction interval on t(k − 2) (Higgins et al. 2009).
      const p = pooled.pooled;
      const half = qt(0.975, options.sites - 2) * Math.sqrt(p.se ** 2 + (p.tau2 ?? 0));
      const k2 = [back[measure](p.estimate - half), back[measure](p.estimate + half)] as const;
      hits[measure].push({
        hit: pooled.pi[0] <= value && value <= pooled.pi[1],
        width: pooled.pi[1] - pooled.pi[0],
        hitK2: k2[0] <= value && value <= k2[1],
        widthK2: k2[1] - k2[0],
        tau: p.tau ?? 0,
      });
    }
    options.onStudy?.(k + 1);
  }
  const summarise = (xs: Hit[]): SiteCoverageMeasure => {
    const mean = (f: (x: Hit) => number) => (xs.length === 0 ? Number.NaN : xs.reduce((t, x) => t + f(x), 0) / xs.length);
    return coverageMeasure(xs.length, {
      piCoverage: mean((x) => (x.hit ? 1 : 0)),
      meanPiWidth: mean((x) => x.width),
      piCoverageK2: mean((x) => (x.hitK2 ? 1 : 0)),
      meanPiWidthK2: mean((x) => x.widthK2),
      meanTau: mean((x) => x.tau),
      tauZero: mean((x) => (x.tau === 0 ? 1 : 0)),
    });
  };
  return { auroc: summarise(hits.auroc), oe: summarise(hits.oe) };
}
