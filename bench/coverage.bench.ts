/**
 * Coverage of the report's 95 % intervals, naive against clustered, on 200 seeded uk-leicester cohorts at each of two
 * sizes (1,000 and 3,000 encounters; B = 200 per cohort), the truth from one 100,000-encounter cohort. Writes
 * bench/results/coverage.json. Target: clustered coverage 93–97 %. Percentile bootstrap intervals undercover a little
 * when a cohort holds few event patients (~20 at 1,000 encounters), so both sizes are reported. Also the Apollo-style
 * score's calibration-in-the-large (cluster-robust vs ordinary SE) and NEWS2's AUROC difference between the sexes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { coverageStudy } from './coverage.js';

const started = performance.now();
const bySize = [1000, 3000].map((encounters) => ({
  encountersPerCohort: encounters,
  ...coverageStudy({ cohorts: 200, encounters, truthEncounters: 100_000, B: 200, firstSeed: 10_000, extended: true }),
}));
const result = {
  suite: 'coverage',
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  B: 200,
  bySize,
  seconds: Math.round((performance.now() - started) / 1000),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync('bench/results/coverage.json', `${JSON.stringify(result, null, 2)}\n`);
