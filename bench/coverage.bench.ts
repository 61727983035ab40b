/**
 * Coverage of the report's 95 % intervals — clustered by patient (the headline), by encounter, and naive — on seeded
 * uk-leicester cohorts (patients with several admissions), the truth from one 100,000-encounter cohort. Writes
 * bench/results/coverage.json with the generator version, the date and the Monte Carlo standard error. Target:
 * patient-clustered coverage 93–97 % at 3,000 encounters. Also the Apollo-style score's calibration-in-the-large
 * (cluster-robust vs ordinary SE) and NEWS2's AUROC difference between the sexes. `COVERAGE_COHORTS` and
 * `COVERAGE_SIZES` (comma-separated) change the defaults (200 cohorts; 1,000 and 3,000 encounters).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { coverageHeader } from './header.js';
import { coverageStudy } from '../validation/study/coverage-study.js';

const started = performance.now();
const cohorts = Number(process.env.COVERAGE_COHORTS ?? 200);
const sizes = (process.env.COVERAGE_SIZES ?? '1000,3000').split(',').map(Number);
const bySize = sizes.map((encounters) => ({
  encountersPerCohort: encounters,
  ...coverageStudy({ cohorts, encounters, truthEncounters: 100_000, B: 200, firstSeed: 10_000, extended: true, encounterArm: true }),
}));
const result = {
  ...coverageHeader('coverage'),
  B: 200,
  bySize,
  seconds: Math.round((performance.now() - started) / 1000),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync('bench/results/coverage.json', `${JSON.stringify(result, null, 2)}\n`);
