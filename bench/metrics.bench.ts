/**
 * Validation metrics at scale: AUROC + DeLong on 10M integer-score rows by counting (O(n)) against the sorting
 * path (O(n log n), as scikit-learn sorts) in the same run; and 1,000 patient-clustered bootstrap replicates on
 * 1M observations from 50k patients. Seeded data. Writes bench/results/metrics.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { aurocFromCounts } from '../validation/metrics/auroc.js';
import { auroc } from '../validation/metrics/auroc.js';
import { clusterBootstrapAuroc } from '../validation/bootstrap/cluster.js';
import { countsBySorting } from '../validation/stats/counts.js';
import { createRandom } from '../validation/stats/random.js';

const quick = process.argv.includes('--quick');
const N = quick ? 1_000_000 : 10_000_000;

/** NEWS2-like totals 0–20 with a ~1 % event rate rising with the score. */
function data(n: number, seed: number): { score: Float64Array; outcome: Uint8Array } {
  const rng = createRandom(seed);
  const score = new Float64Array(n);
  const outcome = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.min(20, Math.floor(-Math.log(1 - rng.next()) * 1.6));
    score[i] = s;
    outcome[i] = rng.next() < 0.004 * Math.exp(0.35 * s) ? 1 : 0;
  }
  return { score, outcome };
}

/**
 * The scikit-learn way (`roc_auc_score` → `_binary_clf_curve`): argsort the scores in decreasing order, cumulate
 * true and false positives at each distinct threshold, integrate by trapezoids. AUROC only (no variance).
 */
function sklearnStyleAuc(s: Float64Array, y: Uint8Array): number {
  const order = new Uint32Array(s.length);
  for (let i = 0; i < s.length; i++) order[i] = i;
  order.sort((a, b) => (s[b] as number) - (s[a] as number));
  let tp = 0;
  let fp = 0;
  let prevTp = 0;
  let prevFp = 0;
  let area = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (y[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || s[next] !== s[i]) {
      area += ((fp - prevFp) * (tp + prevTp)) / 2;
      prevTp = tp;
      prevFp = fp;
    }
  }
  return area / (tp * fp);
}

const { score, outcome } = data(N, 1);
const bench = new Bench({ time: 2000, iterations: 5, warmupIterations: 1, warmupTime: 100 });
bench.add(`auroc + DeLong, counting path (${N.toLocaleString('en-GB')} integer rows)`, () => {
  auroc(score, outcome);
});
bench.add(`auroc + DeLong, sorting path (${N.toLocaleString('en-GB')} rows)`, () => {
  aurocFromCounts(countsBySorting(score, outcome));
});
await bench.run();
const median = (i: number) => (bench.tasks[i]?.result as unknown as { latency: { p50: number } }).latency.p50;
const countMs = median(0);
const sortMs = median(1);
// The argsort baseline is slow: two timed runs after one warm-up.
sklearnStyleAuc(score.subarray(0, 100_000), outcome.subarray(0, 100_000));
const argsortRuns = [0, 1].map(() => {
  const t = performance.now();
  sklearnStyleAuc(score, outcome);
  return performance.now() - t;
});
const argsortMs = Math.min(...argsortRuns);

// Cluster bootstrap: 1M observations from 50k patients, B = 1000.
const patients = 50_000;
const obs = 1_000_000;
const b = data(obs, 2);
const news2 = b.score;
const other = Float64Array.from(news2, (s, i) => s + ((i * 7919) % 5) - 2); // a second, correlated score
const cluster = Int32Array.from({ length: obs }, (_, i) => Math.floor((i * patients) / obs));
const started = performance.now();
const boot = clusterBootstrapAuroc({ news2, other }, b.outcome, cluster, { B: 1000, seed: 1 });
const bootMs = performance.now() - started;

const result = {
  suite: 'metrics',
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  aurocRows: N,
  countingPathMs: Math.round(countMs * 10) / 10,
  sortingPathMs: Math.round(sortMs * 10) / 10,
  countingSpeedup: Math.round((sortMs / countMs) * 10) / 10,
  sklearnStyleArgsortMs: Math.round(argsortMs),
  countingSpeedupOverArgsort: Math.round((argsortMs / countMs) * 10) / 10,
  bootstrap: { observations: obs, patients, replicates: boot.defined ? boot.replicates : 0, scores: 2, ms: Math.round(bootMs) },
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync('bench/results/metrics.json', `${JSON.stringify(result, null, 2)}\n`);
