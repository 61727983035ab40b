/**
 * Synthetic cohort generation throughput: observation sets generated per second (uk-leicester, seeded), in memory.
 * Writes bench/results/cohort.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { generateCohort } from '../validation/cohort/generate.js';

const encounters = 20_000;
generateCohort({ encounters: 500, seed: 99 }); // warm-up
const runs = [1, 2, 3].map((seed) => {
  const t = performance.now();
  const c = generateCohort({ encounters, seed });
  return { ms: performance.now() - t, observations: c.observations.numRows };
});
const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b));
const result = {
  suite: 'cohort',
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  encounters,
  observationSets: best.observations,
  ms: Math.round(best.ms),
  observationSetsPerSecond: Math.round((best.observations / best.ms) * 1000),
  encountersPerSecond: Math.round((encounters / best.ms) * 1000),
  projectedSecondsFor100kEncounters: Math.round(((100_000 / encounters) * best.ms) / 100) / 10,
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync('bench/results/cohort.json', `${JSON.stringify(result, null, 2)}\n`);
