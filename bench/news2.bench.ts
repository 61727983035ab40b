/**
 * NEWS2 scoring throughput, against the memory floor and a per-row object baseline measured in the same run.
 * Seeded data at 1M and 10M rows, with 0% and 5% nulls per column. Writes bench/results/latest.json.
 *
 *   npm run bench               # full run (1M and 10M rows)
 *   npm run bench -- --quick    # 1M rows only
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { news2 } from '../scores/catalogue/news2.js';
import { scoreTable } from '../scores/kernel/score-table.js';
import { scoreObservation } from '../scores/evaluate/score-observation.js';
import { memoryFloor, perRowObjects } from './baselines.js';
import { benchTable, VITALS } from './data.js';

const quick = process.argv.includes('--quick');
const sizes = quick ? [1_000_000] : [1_000_000, 10_000_000];
const nullRates = [0, 0.05];

interface Row {
  task: string;
  rows: number;
  nullRate: number;
  medianMs: number;
  meanMs: number;
  samples: number;
  rowsPerSecond: number;
}

const results: Row[] = [];
for (const n of sizes) {
  for (const nullRate of nullRates) {
    const table = benchTable(n, nullRate, 1);
    const floorOut = new Uint8Array(n);
    const totals = new Int8Array(n);
    const big = n >= 10_000_000;
    const bench = new Bench({ time: big ? 3000 : 1500, iterations: big ? 5 : 10, warmupIterations: 2, warmupTime: 200 });
    bench.add('memory floor (read every input column, write 1 byte/row)', () => {
      memoryFloor(table, floorOut);
    });
    bench.add('ewskit scoreTable(news2) — all output columns', () => {
      scoreTable(news2, table);
    });
    bench.add('per-row objects (plain if/else NEWS2)', () => {
      perRowObjects(table, totals);
    });
    if (!big) {
      const sample = 100_000;
      bench.add(`ewskit scoreObservation per row (${sample.toLocaleString('en-GB')}-row sample, scaled)`, () => {
        const rr = table.getChild('respiratory_rate');
        for (let i = 0; i < sample; i++) {
          scoreObservation(news2, {
            respiratoryRate: rr?.get(i) as number,
            spo2: 97,
            onOxygen: false,
            systolicBP: 120,
            heartRate: 80,
            consciousness: 'A',
            temperature: 37,
          });
        }
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result as unknown as { latency: { mean: number; p50: number; samplesCount?: number }; totalTime: number; runtime?: string };
      const scale = task.name.includes('sample') ? n / 100_000 : 1;
      const medianMs = r.latency.p50 * scale;
      const row: Row = {
        task: task.name,
        rows: n,
        nullRate,
        medianMs: Math.round(medianMs * 100) / 100,
        meanMs: Math.round(r.latency.mean * scale * 100) / 100,
        samples: (task as unknown as { runs: number }).runs ?? 0,
        rowsPerSecond: Math.round((n / medianMs) * 1000),
      };
      results.push(row);
      console.log(
        `${String(n).padStart(9)} rows, ${(nullRate * 100).toFixed(0)}% nulls  ${row.medianMs.toFixed(1).padStart(9)} ms  ${(row.rowsPerSecond / 1e6).toFixed(1).padStart(7)} M rows/s  ${task.name}`,
      );
    }
  }
}

const ratios = results
  .filter((r) => r.task.startsWith('ewskit scoreTable'))
  .map((r) => {
    const same = (p: string) => results.find((x) => x.rows === r.rows && x.nullRate === r.nullRate && x.task.startsWith(p));
    const floor = same('memory floor');
    const perRow = same('per-row objects');
    return {
      rows: r.rows,
      nullRate: r.nullRate,
      rowsPerSecond: r.rowsPerSecond,
      vsMemoryFloor: floor ? Math.round((r.rowsPerSecond / floor.rowsPerSecond) * 1000) / 1000 : null,
      vsPerRowObjects: perRow ? Math.round((r.rowsPerSecond / perRow.rowsPerSecond) * 100) / 100 : null,
    };
  });
console.log('\nNEWS2 kernel ratios (median rows/s over baseline rows/s, same run):');
for (const r of ratios) {
  console.log(
    `  ${String(r.rows).padStart(9)} rows, ${(r.nullRate * 100).toFixed(0)}% nulls: ${r.vsMemoryFloor}× memory floor, ${r.vsPerRowObjects}× per-row objects`,
  );
}
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync(
  'bench/results/latest.json',
  `${JSON.stringify({ suite: 'news2', node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, columns: [...VITALS, 'consciousness'], results, ratios }, null, 2)}\n`,
);
