/**
 * Coverage of the report's interval for a model's calibration-in-the-large (the Apollo-style score on uk-leicester
 * cohorts of 3,000 encounters; the interval is cluster-robust, clustered by patient), against a truth pooled from four
 * independent 100,000-encounter cohorts — and the same 400 cohorts' coverage against the one-cohort truth the main
 * coverage benchmark used, which is what took it to ~92 %. Writes bench/results/coverage-citl.json. `COVERAGE_COHORTS`
 * changes the cohorts per seed block (default 200, two blocks: seeds 10,000 and 20,000 on, those of coverage.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { coverageHeader } from './header.js';
import { calibrationCoverage } from '../validation/study/coverage-study.js';

const started = performance.now();
const cohorts = Number(process.env.COVERAGE_COHORTS ?? 200);
const runs = [10_000, 20_000].map((firstSeed) => ({
  firstSeed,
  ...calibrationCoverage({ cohorts, encounters: 3000, truthEncounters: 100_000, truthCohorts: [1, 4], firstSeed }),
}));
const pooled = [1, 4].map((truthCohorts, i) => {
  const n = runs.reduce((t, r) => t + r.cohorts, 0);
  const share = (key: 'clustered' | 'naive') => runs.reduce((t, r) => t + (r.truths[i]?.[key] ?? 0) * r.cohorts, 0) / n;
  return {
    truthCohorts,
    truth: runs[0]?.truths[i]?.citl,
    cohorts: n,
    clustered: share('clustered'),
    naive: share('naive'),
    monteCarloSe: Math.sqrt((0.95 * 0.05) / n),
  };
});
const result = {
  ...coverageHeader('coverage-citl'),
  runs,
  pooled,
  seconds: Math.round((performance.now() - started) / 1000),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true }); // run from the package root
writeFileSync('bench/results/coverage-citl.json', `${JSON.stringify(result, null, 2)}\n`);
