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
  /**
   * New sites' true values to judge every study's prediction interval against (see {@link newSiteTruths}): each
   * study's coverage is then the share of them its interval holds, and no new site is drawn per study. A new site of
   * 20,000 encounters measures its own AUROC and O/E with an error (SD ≈ 0.07 in logit AUROC, 0.04 in log O/E on the
   * default site model) as large as the spread between sites it is meant to sample, so a per-study truth that size
   * understates the interval's coverage; a pool of a few very large new sites does not.
   */
  readonly truths?: readonly NewSiteTruth[];
}

/** A new site's AUROC and O/E measured on all its sets. */
export interface NewSiteTruth {
  readonly auroc: number | null;
  readonly oe: number | null;
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
function newSiteTruth(options: Pick<SiteCoverageOptions, 'sites' | 'base' | 'score'>, seed: number, encounters: number): NewSiteTruth {
  const effects = drawSite(seed, options.sites);
  const cohort = generateCohort({ ...siteCohortOptions(options.base, effects), encounters });
  const { report } = runStudy({ cohort, scores: [options.score], bootstrap: false, disclosure: { policy: 'none' } });
  const s = report.scores[0];
  const a = s === undefined || isSuppressed(s.auroc) || !s.auroc.defined ? null : s.auroc.estimate;
  const c = s === undefined || isSuppressed(s.calibration) || !s.calibration.defined ? null : s.calibration.observedExpected;
  return { auroc: a, oe: c === null || !c.defined ? null : c.estimate };
}

/**
 * A pool of `count` new sites (study seeds `firstSeed`, `firstSeed` + 1, …; each the site after the study's `sites`),
 * each generated with `encounters` encounters: truths for {@link SiteCoverageOptions.truths}. Runs in O(count ×
 * encounters).
 */
export function newSiteTruths(
  options: Pick<SiteCoverageOptions, 'sites' | 'base' | 'score'>,
  count: number,
  encounters: number,
  firstSeed: number,
  onSite?: (done: number) => void,
): NewSiteTruth[] {
  return Array.from({ length: count }, (_, i) => {
    const t = newSiteTruth(options, firstSeed + i, encounters);
    onSite?.(i + 1);
    return t;
  });
}

/** One study's prediction intervals for a new site (metafor's, on t(k − 1), and on t(k − 2)) and τ, per measure. */
export interface StudyIntervals {
  readonly seed: number;
  readonly auroc: MeasureIntervals | null;
  readonly oe: MeasureIntervals | null;
}

export interface MeasureIntervals {
  readonly pi: readonly [number, number];
  readonly piK2: readonly [number, number];
  readonly tau: number;
}

/** One seeded study: its sites summarised and combined; null for a measure that could not be pooled. */
export function siteStudyIntervals(options: Omit<SiteCoverageOptions, 'studies' | 'firstSeed' | 'truths' | 'onStudy'>, seed: number): StudyIntervals {
  const back = { auroc: (x: number) => 1 / (1 + Math.exp(-x)), oe: Math.exp };
  const summaries = drawSites(options.sites, seed).map((effects) =>
    summariseSite({
      cohort: generateCohort({ ...siteCohortOptions(options.base, effects), encounters: options.encountersPerSite }),
      scores: [options.score],
      bootstrap: { B: options.B, seed },
      disclosure: { policy: 'none' },
      site: effects.site,
    }),
  );
  // metafor's rule (t with k − 1 df) as `pi`; the default, t with k − 2 df, as `piK2` below.
  const combined = combineSummaries(summaries, { prediction: 'test' });
  const of = (measure: 'auroc' | 'oe'): MeasureIntervals | null => {
    const pooled = combined.measures.find((m) => m.measure === measure)?.summary ?? null;
    if (pooled === null || pooled.pi === null) return null;
    // The same pooled fit with the prediction interval on t(k − 2) (Higgins et al. 2009).
    const p = pooled.pooled;
    const half = qt(0.975, options.sites - 2) * Math.sqrt(p.se ** 2 + (p.tau2 ?? 0));
    return { pi: [pooled.pi[0], pooled.pi[1]], piK2: [back[measure](p.estimate - half), back[measure](p.estimate + half)], tau: p.tau ?? 0 };
  };
  return { seed, auroc: of('auroc'), oe: of('oe') };
}

/**
 * Coverage of the studies' prediction intervals: study i is judged against `truthsOf(i)` (one new site of its own, or
 * a shared pool of very large new sites), scoring the share of those truths its interval holds. Runs in O(studies ×
 * truths).
 */
export function coverageOf(studies: readonly StudyIntervals[], truthsOf: (i: number) => readonly NewSiteTruth[]): SiteCoverageResult {
  type Hit = { hit: number; width: number; hitK2: number; widthK2: number; tau: number };
  const hits = { auroc: [] as Hit[], oe: [] as Hit[] };
  studies.forEach((study, i) => {
    for (const measure of ['auroc', 'oe'] as const) {
      const m = study[measure];
      const values = truthsOf(i)
        .map((t) => t[measure])
        .filter((v): v is number => v !== null);
      if (m === null || values.length === 0) continue;
      const share = (ci: readonly [number, number]) => values.filter((v) => ci[0] <= v && v <= ci[1]).length / values.length;
      hits[measure].push({ hit: share(m.pi), width: m.pi[1] - m.pi[0], hitK2: share(m.piK2), widthK2: m.piK2[1] - m.piK2[0], tau: m.tau });
    }
  });
  const summarise = (xs: Hit[]): SiteCoverageMeasure => {
    const mean = (f: (x: Hit) => number) => (xs.length === 0 ? Number.NaN : xs.reduce((t, x) => t + f(x), 0) / xs.length);
    return coverageMeasure(xs.length, {
      piCoverage: mean((x) => x.hit),
      meanPiWidth: mean((x) => x.width),
      piCoverageK2: mean((x) => x.hitK2),
      meanPiWidthK2: mean((x) => x.widthK2),
      meanTau: mean((x) => x.tau),
      tauZero: mean((x) => (x.tau === 0 ? 1 : 0)),
    });
  };
  return { auroc: summarise(hits.auroc), oe: summarise(hits.oe) };
}

/**
 * Run the site coverage study: {@link siteStudyIntervals} per seed, judged by {@link coverageOf} against each study's
 * own new site of `newSiteEncounters` (or the pool `truths`). Runs in O(studies × (sites × site cost + new-site cost)).
 *
 * @example siteCoverageStudy({ studies: 200, sites: 5, encountersPerSite: 1500, newSiteEncounters: 20000, B: 200, firstSeed: 1, score: apolloStyle, base: { profile: 'india-apollo' } }).auroc.piCoverage;
 */
export function siteCoverageStudy(options: SiteCoverageOptions): SiteCoverageResult {
  const studies: StudyIntervals[] = [];
  const own: NewSiteTruth[][] = [];
  for (let k = 0; k < options.studies; k++) {
    const seed = options.firstSeed + k;
    studies.push(siteStudyIntervals(options, seed));
    if (options.truths === undefined) own.push([newSiteTruth(options, seed, options.newSiteEncounters)]);
    options.onStudy?.(k + 1);
  }
  return coverageOf(studies, (i) => options.truths ?? own[i] ?? []);
}
