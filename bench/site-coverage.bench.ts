/**
 * Coverage of the multi-site meta-analysis's 95 % prediction interval for a new site (REML, Hartung–Knapp–Sidik–
 * Jonkman; `combineSummaries`): seeded india-apollo studies of SITE_COUNT sites (default 5) × 1,500 encounters, the
 * Apollo-style score's AUROC and O/E summarised per site with a patient-clustered bootstrap (B = 200), and the truth a
 * new site of 20,000 encounters drawn from the same site-effect distributions. Writes bench/results/coverage-sites.json
 * (or the file SITE_COVERAGE_OUT names). `SITE_STUDIES` (default 200) and `SITE_FIRST_SEED` (default 1) split the run
 * over processes; `node bench/.build/site-coverage.js --merge A.json B.json` adds parts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { apolloStyle } from '../scores/catalogue/catalogue.js';
import { GENERATOR_VERSION } from '../validation/cohort/generate.js';
import { DEFAULT_SITE_EFFECTS } from '../validation/cohort/sites.js';
import type { SiteCoverageMeasure } from '../validation/meta/site-coverage.js';
import { coverageMeasure, siteCoverageStudy } from '../validation/meta/site-coverage.js';

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
if (args[0] === '--merge') {
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
