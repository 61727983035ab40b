/**
 * The catalogue beside NEWS2: NEWS, MEWS, qSOFA, CART and a model-based score, each against the memory floor of
 * the columns it reads; and every score in one pass against scoring them one by one. Seeded data, 1M rows, 0% and
 * 5% nulls. Writes bench/results/catalogue.json.
 *
 *   npm run bench
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { cart } from '../scores/catalogue/cart.js';
import type { ScoreDefinition } from '../scores/definition/definition.js';
import { loadScore } from '../scores/load/load-score.js';
import { mews } from '../scores/catalogue/mews.js';
import { news } from '../scores/catalogue/news.js';
import { news2 } from '../scores/catalogue/news2.js';
import { qsofa } from '../scores/catalogue/qsofa.js';
import { scoreTable } from '../scores/kernel/score-table.js';
import { FIELDS } from '../scores/definition/schema.js';
import { memoryFloorOf } from './baselines.js';
import { benchTable } from './data.js';

const model = loadScore(readFileSync('test/fixtures/example-model.json', 'utf8'));
const scores: ScoreDefinition[] = [news2, news, mews, qsofa, cart, model];
const n = 1_000_000;

function columnsOf(score: ScoreDefinition): string[] {
  const fields =
    score.kind === 'model' ? score.terms.map((t) => t.field) : score.parameters.flatMap((p) => [p.field, ...(p.fallback ? [p.fallback.field] : [])]);
  return [...new Set(fields)].map((f) => FIELDS[f].column).filter((c) => c !== 'spo2_scale');
}

interface Row {
  task: string;
  nullRate: number;
  medianMs: number;
  rowsPerSecond: number;
}
const results: Row[] = [];
const ratios: Record<string, unknown>[] = [];

for (const nullRate of [0, 0.05]) {
  const table = benchTable(n, nullRate, 1, 1 << 20, true);
  const out = new Uint8Array(n);
  const bench = new Bench({ time: 1500, iterations: 10, warmupIterations: 2, warmupTime: 200 });
  for (const score of scores) {
    const floor = memoryFloorOf(columnsOf(score));
    bench.add(`floor: ${score.id} columns`, () => {
      floor(table, out);
    });
    bench.add(`score: ${score.id}`, () => {
      scoreTable(score, table);
    });
  }
  bench.add('all six, one pass', () => {
    scoreTable(scores, table);
  });
  const allColumns = [...new Set(scores.flatMap(columnsOf))];
  const allFloor = memoryFloorOf(allColumns);
  bench.add('floor: all columns', () => {
    allFloor(table, out);
  });
  await bench.run();
  const median = (name: string): number => (bench.tasks.find((t) => t.name === name)?.result as unknown as { latency: { p50: number } }).latency.p50;
  for (const task of bench.tasks) {
    const ms = median(task.name);
    results.push({ task: task.name, nullRate, medianMs: Math.round(ms * 100) / 100, rowsPerSecond: Math.round((n / ms) * 1000) });
  }
  for (const score of scores) {
    const s = median(`score: ${score.id}`);
    const f = median(`floor: ${score.id} columns`);
    ratios.push({ nullRate, score: score.id, rowsPerSecond: Math.round((n / s) * 1000), vsMemoryFloor: Math.round((f / s) * 1000) / 1000 });
  }
  const oneByOne = scores.reduce((sum, score) => sum + median(`score: ${score.id}`), 0);
  const onePass = median('all six, one pass');
  ratios.push({
    nullRate,
    score: 'all six',
    onePassMs: Math.round(onePass * 10) / 10,
    oneByOneMs: Math.round(oneByOne * 10) / 10,
    onePassSpeedup: Math.round((oneByOne / onePass) * 100) / 100,
    vsMemoryFloor: Math.round((median('floor: all columns') / onePass) * 1000) / 1000,
  });
}

for (const r of results)
  console.log(
    `${(r.nullRate * 100).toFixed(0)}% nulls  ${r.medianMs.toFixed(1).padStart(8)} ms  ${(r.rowsPerSecond / 1e6).toFixed(1).padStart(7)} M rows/s  ${r.task}`,
  );
console.log('\nRatios (same run):');
for (const r of ratios) console.log(' ', JSON.stringify(r));
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync(
  'bench/results/catalogue.json',
  `${JSON.stringify({ suite: 'catalogue', rows: n, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', results, ratios }, null, 2)}\n`,
);
