/**
 * `ewskit bench` and its library: the seeded table, the comparison with a baseline (hand-made reports, arithmetic in
 * the comments), and the gate itself — a kernel slowed on purpose fails it, through the library and the command line.
 * No test asserts a speed: only that a kernel doing three times the work loses more than 10 % against itself.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { FIELDS } from '../../../scores/definition/schema.js';
import type { ThroughputReport, ThroughputResult } from '../../../src/perf/throughput.js';
import { BENCH_SCHEMA, compareThroughput, measureThroughput, throughputTable } from '../../../src/perf/throughput.js';
import { runCli } from '../../../src/cli/run.js';

const result = (o: Partial<ThroughputResult>): ThroughputResult => ({
  score: 'news2',
  version: '2017',
  rows: 1000,
  missingRate: 0,
  rowsPerSecond: 1,
  floorRowsPerSecond: 1,
  ratio: 0.2,
  roundRatios: [0.2],
  ...o,
});
const report = (results: ThroughputResult[]): ThroughputReport => ({ schema: BENCH_SCHEMA, ewskit: '0', node: 'v20', seed: 1, results });

describe('throughputTable', () => {
  it('holds every input NEWS2 reads, inside its plausible range, null at the stated rate, the same for the same seed', () => {
    const t = throughputTable([news2], 20_000, 0.05, 3);
    expect(t.numRows).toBe(20_000);
    for (const f of Object.values(FIELDS).filter((f) => f.kind === 'numeric' && t.getChild(f.column) !== null)) {
      if (f.kind !== 'numeric') continue;
      const col = t.getChild(f.column);
      let nulls = 0;
      for (let i = 0; i < t.numRows; i++) {
        const v = col?.get(i) as number | null;
        if (v === null) nulls++;
        else expect(v >= f.plausible[0] && v <= f.plausible[1], `${f.column} ${v}`).toBe(true);
      }
      // 5 % of 20,000 = 1,000 expected; binomial SD √(20,000 · 0.05 · 0.95) ≈ 31, so ±5 SD is 845–1,155.
      expect(nulls).toBeGreaterThan(845);
      expect(nulls).toBeLessThan(1155);
    }
    expect(t.getChild('consciousness')?.get(0)).toMatch(/^[ACVPU]$|^$/);
    const again = throughputTable([news2], 20_000, 0.05, 3);
    expect(again.getChild('heart_rate')?.toArray()).toEqual(t.getChild('heart_rate')?.toArray());
  });
});

describe('compareThroughput', () => {
  it('passes a score whose ratio fell by at most the allowed share, fails one that fell by more', () => {
    // Baseline 0.2 of the floor. 0.19: 1 − 0.19/0.2 = 5 % slower (passes 10 %); 0.17: 1 − 0.17/0.2 = 15 % (fails);
    // 0.25: −25 %, faster (passes).
    const base = report([result({ ratio: 0.2 })]);
    const [a] = compareThroughput(report([result({ ratio: 0.19 })]), base, 0.1);
    expect(a?.slowdown).toBeCloseTo(0.05, 12);
    expect(a?.pass).toBe(true);
    const [b] = compareThroughput(report([result({ ratio: 0.17 })]), base, 0.1);
    expect(b?.slowdown).toBeCloseTo(0.15, 12);
    expect(b?.pass).toBe(false);
    expect(compareThroughput(report([result({ ratio: 0.25 })]), base, 0.1)[0]?.pass).toBe(true);
  });

  it('refuses a baseline that is not comparable, naming what is missing', () => {
    const run = report([result({ missingRate: 0.05 })]);
    expect(() => compareThroughput(run, report([result({})]), 0.1)).toThrow(/score "news2" at missing rate 0.05; received string "news2@0"/);
    expect(() => compareThroughput(report([result({})]), report([result({ version: '2012' })]), 0.1)).toThrow(/version 2017.*received string "2012"/);
    expect(() => compareThroughput(run, { schema: 'ewskit.report/10' }, 0.1)).toThrow(
      /compareThroughput: argument "baseline" expected an ewskit.bench\/1 result/,
    );
    expect(() => compareThroughput(run, run, 1)).toThrow(/option "maxSlowdown" expected a share 0 ≤ s < 1; received number 1/);
  });
});

describe('the gate catches a slowed kernel', () => {
  it('measureThroughput: a kernel doing three times the work fails against the real one at 10 %', async () => {
    const options = { rows: 20_000, rounds: 3, time: 60 };
    const baseline = await measureThroughput([news2], options);
    const slowed = await measureThroughput([news2], {
      ...options,
      scorer: (s, t) => {
        scoreTable(s, t);
        scoreTable(s, t);
        return scoreTable(s, t);
      },
    });
    const [c] = compareThroughput(slowed, baseline, 0.1);
    // Three passes instead of one: the ratio falls to about a third, a slowdown near 67 %.
    expect(c?.pass).toBe(false);
    expect(c?.slowdown).toBeGreaterThan(0.25);
    expect(baseline.results[0]?.roundRatios).toHaveLength(3);
  });

  it('ewskit bench --compare exits 1 when the kernel is slower than the baseline by more than --max-slowdown, 0 when not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-bench-'));
    const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
    const base = join(dir, 'base.json');
    expect(await runCli(['bench', '--rows', '20000', '--rounds', '2', '--json', base, '--quiet'], io)).toBe(0);
    const written = JSON.parse(readFileSync(base, 'utf8')) as ThroughputReport;
    expect(written.schema).toBe('ewskit.bench/1');
    expect(written.results.map((r) => r.score)).toEqual(['news2']);
    // A baseline three times as fast relative to its floor is what this kernel looks like if it had slowed threefold.
    const faster = join(dir, 'faster.json');
    writeFileSync(faster, JSON.stringify({ ...written, results: written.results.map((r) => ({ ...r, ratio: r.ratio * 3 })) }));
    io.err = '';
    expect(await runCli(['bench', '--rows', '20000', '--rounds', '2', '--compare', faster, '--max-slowdown', '0.1', '--quiet'], io)).toBe(1);
    expect(io.err).toMatch(/news2 is \d+\.\d % slower relative to the floor than the baseline .* allowed 10\.0 %/);
    // Against a baseline a third as fast, the same kernel passes.
    const slower = join(dir, 'slower.json');
    writeFileSync(slower, JSON.stringify({ ...written, results: written.results.map((r) => ({ ...r, ratio: r.ratio / 3 })) }));
    expect(await runCli(['bench', '--rows', '20000', '--rounds', '1', '--compare', slower, '--quiet'], io)).toBe(0);
    expect(io.out).toMatch(/Within 10\.0 % of the baseline for every score/);
  });

  it('refuses --max-slowdown without a baseline, a share out of range, and a missing baseline file', async () => {
    const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
    expect(await runCli(['bench', '--max-slowdown', '0.2'], io)).toBe(2);
    expect(io.err).toMatch(/--max-slowdown needs --compare/);
    expect(await runCli(['bench', '--missing-rate', '1'], io)).toBe(2);
    expect(io.err).toMatch(/--missing-rate expects a share 0 ≤ s < 1; received "1"/);
    expect(await runCli(['bench', '--rows', '20000', '--compare', '/nonexistent/base.json'], io)).toBe(1);
    expect(io.err).toMatch(/baseline file "\/nonexistent\/base.json" does not exist/);
  });
});
