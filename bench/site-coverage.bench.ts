/**
 * Coverage of the multi-site meta-analysis's 95 % prediction interval for a new site (REML, Hartung–Knapp–Sidik–
 * Jonkman; `combineSummaries`): seeded india-apollo studies of SITE_COUNT sites (default 5) × 1,500 encounters, the
 * Apollo-style score's AUROC and O/E summarised per site with a patient-clustered bootstrap (B = 200), and the truth a
 * new site of 20,000 encounters drawn from the same site-effect distributions. Writes bench/results/coverage-sites.json
 * (or the file SITE_COVERAGE_OUT names). `SITE_STUDIES` (default 200) and `SITE_FIRST_SEED` (default 1) split the run
 * over processes; `node bench/.build/site-coverage.js --merge A.json B.json` adds parts.
 *
 * A 20,000-encounter new site measures its own AUROC and O/E with an error as large as the spread between sites, so
 * judging each study by one such site understates coverage. The pooled-truth design: `--truths` generates a pool of
 * very large new sites (SITE_TRUTH_COUNT, default 10, of SITE_TRUTH_ENCOUNTERS, default 200,000) into
 * bench/results/site-truths.json; `--intervals` writes the studies' prediction intervals (per SITE_FIRST_SEED part);
 * `--judge site-truths.json PART.json …` judges every study against every truth → bench/results/coverage-sites-pool.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { apolloStyle } from '../scores/catalogue/catalogue.js';
import { GENERATOR_VERSION } from '../validation/cohort/generate.js';
import { DEFAULT_SITE_EFFECTS } from '../validation/cohort/sites.js';
import type { NewSiteTruth, SiteCoverageMeasure, StudyIntervals } from '../validation/meta/site-coverage.js';
import { coverageMeasure, coverageOf, newSiteTruths, siteCoverageStudy, siteStudyIntervals } from '../validation/meta/site-coverage.js';

const out = process.env.SITE_COVERAGE_OUT ?? 'bench/results/coverage-sites.json';
type Part = { studies: number; firstSeed: number; seconds: number; auroc: SiteCoverageMeasure; oe: SiteCoverageMeasure };

/** Add parts run over different seeds: coverage weighted by studies. */
function merge(parts: readonly Part[]): Omit<Part, 'firstSeed'> & { seeds: string } {
  const add = (key: 'auroc' | 'oe'): SiteCoverageMeasure => {
    const n = parts.reduce((t, p) => t + p[key].studies, 0);
    const w = (f: (m: SiteCoverageMeasure) => number) => parts.reduce((t, p) => t + f(p[key]) * p[key].studies, 0) / n;
    return coverageMeasure(n, {
      piCoverage: w((m) => m.piCoverage),
      meanPiWidth: w((m) => m.meanPiWidth),
      piCoverageK2: w((m) => m.piCoverageK2 ?? Number.NaN),
      meanPiWidthK2: w((m) => m.meanPiWidthK2 ?? Number.NaN),
      meanTau: w((m) => m.meanTau),
      tauZero: w((m) => m.tauZero ?? Number.NaN),
    });
  };
  return {
    studies: parts.reduce((t, p) => t + p.studies, 0),
    seeds: parts.map((p) => `${p.firstSeed}…${p.firstSeed + p.studies - 1}`).join(', '),
    seconds: parts.reduce((t, p) => t + p.seconds, 0),
    auroc: add('auroc'),
    oe: add('oe'),
  };
}

const header = {
  suite: 'coverage-sites',
  date: new Date().toISOString().slice(0, 10),
  generatorVersion: GENERATOR_VERSION,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  design: {
    profile: 'india-apollo',
    score: 'apollo-style',
    sites: Number(process.env.SITE_COUNT ?? 5),
    encountersPerSite: 1500,
    newSiteEncounters: 20000,
    B: 200,
    method: 'REML + Hartung–Knapp–Sidik–Jonkman; prediction interval with t(k − 1)',
    siteEffects: DEFAULT_SITE_EFFECTS,
  },
};

const args = process.argv.slice(2);
const design = {
  sites: header.design.sites,
  encountersPerSite: header.design.encountersPerSite,
  newSiteEncounters: header.design.newSiteEncounters,
  B: header.design.B,
  score: apolloStyle,
  base: { profile: 'india-apollo' as const },
};
const write = (file: string, value: unknown) => {
  console.log(JSON.stringify(value, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};
if (args[0] === '--truths') {
  // A pool of very large new sites: the truths every study is judged against (--judge).
  const started = performance.now();
  const count = Number(process.env.SITE_TRUTH_COUNT ?? 10);
  const encounters = Number(process.env.SITE_TRUTH_ENCOUNTERS ?? 200_000);
  const firstSeed = Number(process.env.SITE_TRUTH_FIRST_SEED ?? 100_001);
  const truths = newSiteTruths(design, count, encounters, firstSeed, (k) => console.error(`${new Date().toISOString()} new site ${k} of ${count}`));
  write(process.env.SITE_TRUTHS_OUT ?? 'bench/results/site-truths.json', {
    ...header,
    count,
    encounters,
    firstSeed,
    truths,
    seconds: Math.round((performance.now() - started) / 1000),
  });
} else if (args[0] === '--intervals') {
  // The studies' prediction intervals alone (judged later against a pool of truths).
  const started = performance.now();
  const studies = Number(process.env.SITE_STUDIES ?? 200);
  const firstSeed = Number(process.env.SITE_FIRST_SEED ?? 1);
  const intervals = Array.from({ length: studies }, (_, k) => {
    if (k % 10 === 0) console.error(`${new Date().toISOString()} study ${k} of ${studies}`);
    return siteStudyIntervals(design, firstSeed + k);
  });
  write(process.env.SITE_INTERVALS_OUT ?? `bench/results/site-intervals-${firstSeed}.json`, {
    ...header,
    studies,
    firstSeed,
    intervals,
    seconds: Math.round((performance.now() - started) / 1000),
  });
} else if (args[0] === '--judge') {
  // Coverage of the studies' intervals (parts from --intervals) against the pool of truths (from --truths).
  const pool = JSON.parse(readFileSync(args[1] as string, 'utf8')) as {
    truths: NewSiteTruth[];
    count: number;
    encounters: number;
    firstSeed: number;
    seconds: number;
  };
  const parts = args
    .slice(2)
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { intervals: StudyIntervals[]; firstSeed: number; studies: number; seconds: number });
  const intervals = parts.flatMap((p) => p.intervals);
  const r = coverageOf(intervals, () => pool.truths);
  write(process.env.SITE_COVERAGE_OUT ?? 'bench/results/coverage-sites-pool.json', {
    ...header,
    truth: `a pool of ${pool.count} new sites of ${pool.encounters.toLocaleString('en-GB')} encounters each (seeds ${pool.firstSeed}…), every study judged against all of them; the Monte Carlo SE shown is the binomial one over studies, an upper bound here`,
    truths: pool.truths,
    studies: intervals.length,
    seeds: parts.map((p) => `${p.firstSeed}…${p.firstSeed + p.studies - 1}`).join(', '),
    seconds: pool.seconds + parts.reduce((t, p) => t + p.seconds, 0),
    ...r,
  });
} else if (args[0] === '--merge') {
  const parts = args.slice(1).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Part & typeof header);
  const result = { ...header, ...merge(parts) };
  console.log(JSON.stringify(result, null, 2));
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
} else {
  const started = performance.now();
  const studies = Number(process.env.SITE_STUDIES ?? 200);
  const firstSeed = Number(process.env.SITE_FIRST_SEED ?? 1);
  const r = siteCoverageStudy({
    studies,
    sites: header.design.sites,
    encountersPerSite: header.design.encountersPerSite,
    newSiteEncounters: header.design.newSiteEncounters,
    B: header.design.B,
    firstSeed,
    score: apolloStyle,
    base: { profile: 'india-apollo' },
    onStudy: (k) => {
      if (k % 10 === 0) console.error(`${new Date().toISOString()} study ${k} of ${studies}`);
    },
  });
  const result = { ...header, studies, firstSeed, seconds: Math.round((performance.now() - started) / 1000), ...r };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}
