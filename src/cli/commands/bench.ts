/**
 * `ewskit bench`: scoring throughput as a ratio to a memory floor measured in the same run, optionally compared with a
 * baseline run; exits 1 when a score's ratio fell by more than the allowed share — a regression gate for CI.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ThroughputComparison, ThroughputReport } from '../../perf/throughput.js';
import { compareThroughput, measureThroughput } from '../../perf/throughput.js';
import { writeTextAtomic } from '../../io/write-text.js';
import type { CliIO } from '../args.js';
import { parseFlags, progressOf, scoreFlags, UsageError } from '../args.js';
import { checkOutputs } from '../outputs.js';

function share(flags: ReturnType<typeof parseFlags>, name: string, max: number): number {
  const raw = flags.value(name) as string;
  const v = Number(raw);
  if (raw.trim() === '' || !(v >= 0 && v < max)) throw new UsageError(`--${name} expects a share 0 ≤ s < ${max}; received "${raw}"`);
  return v;
}

const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;

function table(run: ThroughputReport, comparisons: readonly ThroughputComparison[] | null): string {
  const head = ['score', 'missing', 'M rows/s', 'floor M rows/s', 'ratio', ...(comparisons === null ? [] : ['baseline', 'slowdown', ''])];
  const rows = run.results.map((r, k) => {
    const c = comparisons?.[k];
    return [
      r.score,
      percent(r.missingRate),
      (r.rowsPerSecond / 1e6).toFixed(1),
      (r.floorRowsPerSecond / 1e6).toFixed(1),
      r.ratio.toFixed(3),
      ...(c === undefined ? [] : [c.baselineRatio.toFixed(3), percent(c.slowdown), c.pass ? 'ok' : 'SLOWER']),
    ];
  });
  const all = [head, ...rows];
  const widths = head.map((_, j) => Math.max(...all.map((r) => (r[j] as string).length)));
  return all
    .map((r) =>
      r
        .map((cell, j) => cell.padEnd(widths[j] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function bench(args: readonly string[], io: CliIO): Promise<number> {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, 'bench', repeated);
  const defs = scoreFlags(repeated);
  const rows = flags.int('rows', 1000);
  const rounds = flags.int('rounds', 1);
  const seed = flags.int('seed', 0);
  const missingRate = share(flags, 'missing-rate', 1);
  const maxSlowdown = share(flags, 'max-slowdown', 1);
  const json = flags.get('json');
  const compare = flags.get('compare');
  if (flags.has('max-slowdown') && compare === undefined) throw new UsageError('--max-slowdown needs --compare BASELINE.json (what to compare with)');
  if (json !== undefined) checkOutputs('bench', [{ path: json, flag: 'json' }], compare === undefined ? [] : [compare], flags.has('force'));
  let baseline: unknown;
  if (compare !== undefined) {
    if (!existsSync(compare)) {
      io.stderr(`ewskit bench: baseline file "${compare}" does not exist.\n`);
      return 1;
    }
    try {
      baseline = JSON.parse(readFileSync(compare, 'utf8')) as unknown;
    } catch (e) {
      throw new Error(`baseline file "${compare}" is not JSON (${(e as Error).message})`);
    }
  }
  const progress = progressOf(io, flags.has('quiet'));
  progress?.(`measuring ${defs.map((d) => d.id).join(', ')} on ${rows.toLocaleString('en-GB')} rows, ${percent(missingRate)} missing, ${rounds} rounds`);
  const run = await measureThroughput(defs, {
    rows,
    rounds,
    seed,
    missingRate,
    onRound: (score, round, ratio) => progress?.(`${score} round ${round}: ${ratio.toFixed(3)} of the floor`),
  });
  const comparisons = baseline === undefined ? null : compareThroughput(run, baseline, maxSlowdown);
  io.stdout(`${table(run, comparisons)}\n`);
  if (json !== undefined) writeTextAtomic(json, `${JSON.stringify(run, null, 2)}\n`);
  if (comparisons === null) return 0;
  const slower = comparisons.filter((c) => !c.pass);
  if (slower.length === 0) {
    io.stdout(`Within ${percent(maxSlowdown)} of the baseline for every score.\n`);
    return 0;
  }
  io.stderr(
    `ewskit bench: ${slower.map((c) => `${c.score} is ${percent(c.slowdown)} slower relative to the floor than the baseline (ratio ${c.ratio.toFixed(3)} vs ${c.baselineRatio.toFixed(3)})`).join('; ')}; allowed ${percent(maxSlowdown)}.\n`,
  );
  return 1;
}
