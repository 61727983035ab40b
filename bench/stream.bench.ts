/**
 * Scoring files larger than memory: peak memory must stay flat as the file grows (1 M → 50 M rows by default), and
 * the lean output (`columns: total,risk`) is timed against the floor measured in the same run — reading the same
 * Arrow IPC stream batch by batch and writing two of its one-byte columns unchanged (the lean output's width), which is
 * the least any batch-by-batch scorer must do. Each run is a fresh Node process, so its peak RSS is its own.
 *
 * Run: `npm run bench:stream` (EWSKIT_STREAM_ROWS=1000000,10000000 for fewer rows). Writes bench/results/stream.json.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { makeVector, RecordBatchReader, RecordBatchStreamWriter, Table } from 'apache-arrow';
import { news2 } from '../scores/catalogue/news2.js';
import { scoreFile } from '../src/io/score-stream.js';
import { generateCohort } from '../validation/cohort/generate.js';

const [, , mode, input, output] = process.argv;

/**
 * The floor: the same stream read batch by batch and, per batch, two freshly allocated one-byte columns written (the
 * lean output's width; a copy of one input column's bytes, and zeros) — reading, allocating and writing, no scoring.
 */
async function floor(from: string, to: string): Promise<number> {
  const reader = await (await RecordBatchReader.from(createReadStream(from))).open();
  const writer = RecordBatchStreamWriter.throughNode();
  const file = createWriteStream(to);
  writer.pipe(file);
  let rows = 0;
  for await (const batch of reader) {
    const source = batch.getChild('spo2_scale')?.data[0]?.values as Int8Array;
    const lean = new Table({ a: makeVector(Int8Array.from(source)), b: makeVector(new Int8Array(batch.numRows)) });
    for (const b of lean.batches) if (!writer.write(b)) await once(writer, 'drain');
    rows += batch.numRows;
  }
  writer.end();
  await finished(file);
  return rows;
}

async function child(): Promise<void> {
  const t = performance.now();
  const rows =
    mode === 'floor'
      ? await floor(input as string, output as string)
      : (await scoreFile({ input: input as string, output: output as string, scores: [news2], columns: ['total', 'risk'] })).rows;
  const seconds = (performance.now() - t) / 1000;
  process.stdout.write(JSON.stringify({ rows, seconds, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

/** An Arrow IPC stream of `rows` observation sets: a generated cohort's batches, repeated. */
async function makeInput(path: string, rows: number): Promise<void> {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 4000, seed: 3 });
  const batches = cohort.observations.batches;
  const writer = RecordBatchStreamWriter.throughNode();
  const file = createWriteStream(path);
  writer.pipe(file);
  let written = 0;
  while (written < rows) {
    for (const b of batches) {
      const take = Math.min(b.numRows, rows - written);
      if (take <= 0) break;
      const part = take === b.numRows ? b : b.slice(0, take);
      if (!writer.write(part)) await once(writer, 'drain');
      written += take;
    }
  }
  writer.end();
  await finished(file);
}

function run(script: string, which: string, from: string, to: string, node: readonly string[] = []): { rows: number; seconds: number; peakRssMiB: number } {
  const r = spawnSync(process.execPath, [...node, script, which, from, to], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench: ${which} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { rows: number; seconds: number; peakRssMiB: number };
}

async function main(): Promise<void> {
  const sizes = (process.env.EWSKIT_STREAM_ROWS ?? '1000000,10000000,50000000').split(',').map(Number);
  const script = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(process.env.EWSKIT_BENCH_DIR ?? tmpdir(), 'ewskit-stream-'));
  const results = [];
  try {
    for (const rows of sizes) {
      const input = join(dir, `obs-${rows}.arrows`);
      await makeInput(input, rows);
      const bytes = statSync(input).size;
      const f = run(script, 'floor', input, join(dir, 'floor.arrows'));
      const s = run(script, 'score', input, join(dir, 'lean.arrows'));
      // The same scoring with the JavaScript heap capped at 128 MiB: it completes only if memory is bounded by the batch.
      const capped = run(script, 'score', input, join(dir, 'lean.arrows'), ['--max-old-space-size=128']);
      rmSync(input);
      const row = {
        rows,
        inputMiB: Math.round(bytes / 2 ** 20),
        floor: { seconds: Math.round(f.seconds * 100) / 100, peakRssMiB: f.peakRssMiB },
        score: { seconds: Math.round(s.seconds * 100) / 100, peakRssMiB: s.peakRssMiB, rowsPerSecond: Math.round(s.rows / s.seconds) },
        scoreOverFloor: Math.round((s.seconds / f.seconds) * 100) / 100,
        heapCappedAt128MiB: { seconds: Math.round(capped.seconds * 100) / 100, peakRssMiB: capped.peakRssMiB },
      };
      console.log(JSON.stringify(row));
      results.push(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result = { suite: 'stream', node: process.version, cpu: cpus()[0]?.model ?? 'unknown', scores: ['news2'], columns: ['total', 'risk'], results };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/stream.json', `${JSON.stringify(result, null, 2)}\n`);
}

if (mode === 'floor' || mode === 'score') await child();
else await main();
