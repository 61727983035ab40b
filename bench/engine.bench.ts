/**
 * The study where the data lives, at scale: `ewskit validate --engine duckdb` on generated Parquet cohorts of growing
 * size (10k → 1M encounters by default), 2 points scores grouped by ethnicity, B = 1000 Poisson replicates, DuckDB's memory limit 512 MB — each
 * run a fresh Node process timed by GNU time, so its wall time and peak RSS (the Node process with DuckDB inside it)
 * are its own. Beside each, the in-process engine (`--engine js`, the full report) where it fits, as the baseline the
 * issue names; the ratio is quoted from the same run.
 *
 * Run: `npm run bench:engine` (EWSKIT_ENGINE_SIZES=10000,100000 for fewer; EWSKIT_ENGINE_DIR=dir to keep the cohorts
 * between runs; EWSKIT_ENGINE_JS=100000 the largest size the js engine is run at). Writes bench/results/engine.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'ewskit.js');
const sizes = (process.env.EWSKIT_ENGINE_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const jsUpTo = Number(process.env.EWSKIT_ENGINE_JS ?? 100_000);
const dir = process.env.EWSKIT_ENGINE_DIR ?? join(tmpdir(), 'ewskit-engine-bench');
const B = Number(process.env.EWSKIT_ENGINE_B ?? 1000);
const MEMORY_LIMIT = '512MB';
mkdirSync(dir, { recursive: true });

/** One command under GNU time: wall seconds, peak RSS (MB), exit status. */
function timed(args: string[]): { seconds: number; peakRssMb: number; status: number | null; stderr: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'EWSKIT_TIME %e %M', process.execPath, cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /EWSKIT_TIME ([\d.]+) (\d+)/.exec(r.stderr);
  return { seconds: Number(m?.[1] ?? NaN), peakRssMb: Math.round(Number(m?.[2] ?? NaN) / 1024), status: r.status, stderr: r.stderr.slice(-2000) };
}

const runs: Record<string, unknown>[] = [];
for (const n of sizes) {
  const parquet = join(dir, `c${n}-parquet`);
  if (!existsSync(join(parquet, 'cohort.json'))) {
    const made = timed(['synth', '--out', parquet, '--encounters', String(n), '--format', 'parquet', '--force', '--quiet']);
    if (made.status !== 0) throw new Error(`synth ${n}: ${made.stderr}`);
  }
  const sets = (JSON.parse(readFileSync(join(parquet, 'cohort.json'), 'utf8')) as { rows?: { observations?: number } }).rows?.observations ?? null;
  const out = join(dir, `engine-${n}.json`);
  // The same study in both engines: the scores, the grouping and the replicates.
  const study = ['--score', 'news2', '--score', 'mews', '--by', 'ethnicity', '--B', String(B), '--force', '--quiet'];
  const duck = timed(['validate', '--engine', 'duckdb', '--cohort', parquet, '--memory-limit', MEMORY_LIMIT, '--out', out, ...study]);
  if (duck.status !== 0) throw new Error(`engine duckdb ${n}: ${duck.stderr}`);
  const run: Record<string, unknown> = { encounters: n, sets, duckdb: { seconds: duck.seconds, peakRssMb: duck.peakRssMb } };
  if (n <= jsUpTo) {
    const arrow = join(dir, `c${n}-arrow`);
    if (!existsSync(join(arrow, 'cohort.json'))) timed(['synth', '--out', arrow, '--encounters', String(n), '--force', '--quiet']);
    const js = timed(['validate', '--cohort', arrow, '--out', join(dir, `js-${n}.json`), ...study]);
    if (js.status !== 0) throw new Error(`engine js ${n}: ${js.stderr}`);
    run.js = { seconds: js.seconds, peakRssMb: js.peakRssMb, report: 'the full report' };
    run.duckdbOverJsTime = Math.round((duck.seconds / js.seconds) * 100) / 100;
  }
  runs.push(run);
  console.log(JSON.stringify(run));
}
const result = {
  machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  settings: { scores: ['news2', 'mews'], B, grouping: 'ethnicity (a patients column)', duckdbMemoryLimit: MEMORY_LIMIT },
  runs,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'engine.json'), `${JSON.stringify(result, null, 2)}\n`);
if (process.env.EWSKIT_ENGINE_DIR === undefined) rmSync(dir, { recursive: true, force: true });
