/**
 * Scoring throughput for other people's CI: how fast `scoreTable` scores a seeded table, as a ratio to a memory floor
 * measured in the same run on the same machine. The floor reads the same input columns and writes the same output
 * arrays as the kernel, with no scoring in between, so the ratio (kernel rows/s ÷ floor rows/s) is what the code
 * costs beyond moving the bytes — comparable between a laptop and a CI runner, where absolute rows/s are not.
 *
 * Measured with tinybench, in rounds: each round times the floor and then the kernel, and the ratio is the median of
 * the rounds' ratios, so a machine that slows down for a while slows both sides of a round alike.
 */
import type { Data, Table } from 'apache-arrow';
import { Dictionary, Field, Float64, Int32, makeData, RecordBatch, Schema, Struct, Table as ArrowTable, Utf8, vectorFromArray } from 'apache-arrow';
import { Bench } from 'tinybench';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { DiscreteField, InputField, NumericField } from '../../scores/definition/schema.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { unionInputs } from '../../scores/plan/union.js';
import { kernelPartOf } from '../../scores/kernel/batch-kinds.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { createRandom } from '../../validation/stats/random.js';
import { quantile7 } from '../../validation/stats/sorted.js';
import { EWSKIT_VERSION } from '../../validation/report/provenance.js';
import { argumentError, optionError } from '../../scores/definition/errors.js';

/** The `schema` of a throughput result file. */
export const BENCH_SCHEMA = 'ewskit.bench/1';

/** Options of {@link measureThroughput}. */
export interface ThroughputOptions {
  /** Rows of the seeded table (default 1,000,000). */
  readonly rows?: number;
  /** Share of every input cell that is null, 0 ≤ r < 1 (default 0). */
  readonly missingRate?: number;
  /** Rounds of (floor, kernel) timings; the ratio is their median (default 5). */
  readonly rounds?: number;
  /** Milliseconds tinybench spends on each task in a round (default 250). */
  readonly time?: number;
  readonly seed?: number;
  /**
   * What is timed against the floor (default `scoreTable`). For tests and experiments: a deliberately slowed scorer
   * shows that a regression is caught.
   */
  readonly scorer?: (score: ScoreDefinition, table: Table) => unknown;
  /** Called after each round (progress). */
  readonly onRound?: (score: string, round: number, ratio: number) => void;
}

/** One score's throughput. */
export interface ThroughputResult {
  readonly score: string;
  readonly version: string;
  readonly rows: number;
  readonly missingRate: number;
  /** Median over rounds of the kernel's median time, in rows per second (this machine only). */
  readonly rowsPerSecond: number;
  /** The floor's, likewise. */
  readonly floorRowsPerSecond: number;
  /** Median over rounds of (kernel rows/s ÷ floor rows/s): the number compared between machines. */
  readonly ratio: number;
  readonly roundRatios: readonly number[];
}

/** A throughput run, as written by `ewskit bench --json`. */
export interface ThroughputReport {
  readonly schema: typeof BENCH_SCHEMA;
  readonly ewskit: string;
  readonly node: string;
  readonly seed: number;
  readonly results: readonly ThroughputResult[];
}

function fieldInputs(defs: readonly ScoreDefinition[]): InputField[] {
  return unionInputs(defs.map((d) => kindOf(d).plan(d))).inputs.map((i) => i.field);
}

function validity(n: number, missingRate: number, next: () => number): { bitmap: Uint8Array | undefined; nulls: number } {
  if (missingRate === 0) return { bitmap: undefined, nulls: 0 };
  const bitmap = new Uint8Array(((n + 63) & ~63) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (next() < missingRate) nulls++;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return { bitmap, nulls };
}

function numericColumn(f: NumericField, n: number, next: () => number): Float64Array {
  // Uniform over the plausible range, at the chart's precision: every band of the chart is visited.
  const [lo, hi] = f.plausible;
  const scale = 10 ** f.precision;
  return Float64Array.from({ length: n }, () => Math.round((lo + next() * (hi - lo)) * scale) / scale);
}

function discreteData(f: DiscreteField, n: number, next: () => number, nulls: { bitmap: Uint8Array | undefined; nulls: number }): Data {
  const index = (): number => Math.floor(next() * f.codes.length);
  if (f.accepts === 'string') {
    const dictionary = vectorFromArray([...f.codes], new Utf8());
    const type = new Dictionary(new Utf8(), new Int32());
    return makeData({ type, length: n, nullCount: nulls.nulls, nullBitmap: nulls.bitmap, data: Int32Array.from({ length: n }, index), dictionary } as never);
  }
  const values = f.accepts === 'boolean' ? [0, 1] : f.codes.map(Number);
  return makeData({
    type: new Float64(),
    length: n,
    nullCount: nulls.nulls,
    nullBitmap: nulls.bitmap,
    data: Float64Array.from({ length: n }, () => values[index()] as number),
  });
}

/**
 * A seeded table of every input the scores read: numbers uniform over their plausible range at chart precision,
 * codes uniform over their list, each cell null with probability `missingRate`. Same arguments → same table.
 * Runs in O(rows × inputs).
 */
export function throughputTable(scores: readonly ScoreDefinition[], rows: number, missingRate = 0, seed = 1): Table {
  const fields = fieldInputs(scores);
  const arrowFields: Field[] = [];
  const children: Data[] = fields.map((f, k) => {
    const rng = createRandom(seed * 1000 + k);
    const next = (): number => rng.next();
    const nulls = validity(rows, missingRate, next);
    if (f.kind === 'numeric') {
      arrowFields.push(new Field(f.column, new Float64(), true));
      return makeData({ type: new Float64(), length: rows, nullCount: nulls.nulls, nullBitmap: nulls.bitmap, data: numericColumn(f, rows, next) });
    }
    const data = discreteData(f, rows, next, nulls);
    arrowFields.push(new Field(f.column, data.type, true));
    return data;
  });
  const schema = new Schema(arrowFields);
  return new ArrowTable(schema, [new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children }))]);
}

type Numbers = Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array;

function typedArraysOf(value: unknown, out: Numbers[] = []): Numbers[] {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) out.push(value as Numbers);
  else if (Array.isArray(value)) for (const v of value) typedArraysOf(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) typedArraysOf(v, out);
  return out;
}

type Floor = (n: number, inputs: readonly Numbers[], rowOuts: readonly Numbers[], bitOuts: readonly Numbers[]) => void;

const floors = new Map<string, Floor>();

/**
 * The memory floor: one pass that reads every input column's values and writes every output array the kernel
 * writes (one value per row; one byte per 8 rows for a bit-packed output), with no scoring — straight-line generated
 * code, as the kernel is. Runs in O(rows × (inputs + outputs)).
 */
function floorFunction(inputs: number, rowOuts: number, bitOuts: number): Floor {
  const key = `${inputs}/${rowOuts}/${bitOuts}`;
  let f = floors.get(key);
  if (f === undefined) {
    const lines = [
      ...Array.from({ length: inputs }, (_, k) => `const I${k} = inputs[${k}];`),
      ...Array.from({ length: rowOuts }, (_, k) => `const W${k} = rowOuts[${k}];`),
      ...Array.from({ length: bitOuts }, (_, k) => `const X${k} = bitOuts[${k}];`),
      'for (let i = 0; i < n; i++) {',
      `  const v = (${Array.from({ length: inputs }, (_, k) => `I${k}[i]`).join(' + ') || '0'}) > 0 ? 1 : 0;`,
      ...Array.from({ length: rowOuts }, (_, k) => `  W${k}[i] = v;`),
      ...Array.from({ length: bitOuts }, (_, k) => `  X${k}[i >> 3] = v;`),
      '}',
    ];
    f = new Function('n', 'inputs', 'rowOuts', 'bitOuts', lines.join('\n')) as Floor;
    floors.set(key, f);
  }
  return f;
}

/** The floor for one score on one single-batch table: what it reads and writes, bound once. */
function floorOf(score: ScoreDefinition, table: Table): () => void {
  const batch = table.batches[0];
  const n = table.numRows;
  const inputs = fieldInputs([score]).map((f) => {
    const data = batch?.getChild(f.column)?.data[0];
    return (data?.values ?? new Float64Array(n)) as Numbers;
  });
  const plan = kindOf(score).plan(score);
  const part = kernelPartOf(plan);
  // The outputs are allocated per call, as scoreTable allocates them.
  return () => {
    const arrays = typedArraysOf(part.newOutput(plan, n));
    const rowOuts = arrays.filter((a) => a.length === n);
    const bitOuts = arrays.filter((a) => a.length !== n);
    floorFunction(inputs.length, rowOuts.length, bitOuts.length)(n, inputs, rowOuts, bitOuts);
  };
}

const median = (values: readonly number[]): number => quantile7(Float64Array.from(values).sort(), 0.5);

function checkOptions(options: ThroughputOptions): Required<Omit<ThroughputOptions, 'onRound'>> {
  const fn = 'measureThroughput';
  const rows = options.rows ?? 1_000_000;
  if (!Number.isInteger(rows) || rows < 1000) throw optionError(fn, 'rows', 'a whole number ≥ 1000', rows);
  const missingRate = options.missingRate ?? 0;
  if (!(missingRate >= 0 && missingRate < 1)) throw optionError(fn, 'missingRate', 'a share 0 ≤ r < 1', missingRate);
  const rounds = options.rounds ?? 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw optionError(fn, 'rounds', 'a whole number ≥ 1', rounds);
  const time = options.time ?? 250;
  if (!(time > 0)) throw optionError(fn, 'time', 'milliseconds > 0', time);
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) throw optionError(fn, 'seed', 'a finite number', seed);
  return { rows, missingRate, rounds, time, seed, scorer: options.scorer ?? ((s, t) => scoreTable(s, t)) };
}

/**
 * Measure each score's throughput against the memory floor, in the same run.
 *
 * @param scores the scores, each measured alone
 * @param options rows, missing rate, rounds, time per task, seed
 * @returns one result per score, with the ratio to compare between machines
 * @throws {RangeError} naming the option when one is out of range
 * @example (await measureThroughput([news2], { rows: 100_000 })).results[0].ratio; // e.g. 0.2: a fifth of the floor's speed
 */
export async function measureThroughput(scores: readonly ScoreDefinition[], options: ThroughputOptions = {}): Promise<ThroughputReport> {
  const o = checkOptions(options);
  const results: ThroughputResult[] = [];
  for (const score of scores) {
    const table = throughputTable([score], o.rows, o.missingRate, o.seed);
    const floor = floorOf(score, table);
    const kernel = (): unknown => o.scorer(score, table);
    const ratios: number[] = [];
    const kernelRates: number[] = [];
    const floorRates: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const bench = new Bench({ time: o.time, iterations: 5, warmupIterations: 2, warmupTime: Math.min(100, o.time) });
      bench.add('floor', floor);
      bench.add('kernel', kernel);
      await bench.run();
      const p50 = (name: string): number => {
        const result = bench.getTask(name)?.result;
        if (result === undefined || !('latency' in result)) throw new Error(`measureThroughput: the ${name} task of ${score.id} did not complete`);
        return result.latency.p50;
      };
      const floorMs = p50('floor');
      const kernelMs = p50('kernel');
      floorRates.push((o.rows / floorMs) * 1000);
      kernelRates.push((o.rows / kernelMs) * 1000);
      ratios.push(floorMs / kernelMs);
      options.onRound?.(score.id, r + 1, floorMs / kernelMs);
    }
    results.push({
      score: score.id,
      version: score.version,
      rows: o.rows,
      missingRate: o.missingRate,
      rowsPerSecond: Math.round(median(kernelRates)),
      floorRowsPerSecond: Math.round(median(floorRates)),
      ratio: median(ratios),
      roundRatios: ratios,
    });
  }
  return { schema: BENCH_SCHEMA, ewskit: EWSKIT_VERSION, node: process.version, seed: o.seed, results };
}

/** One score compared with its baseline. */
export interface ThroughputComparison {
  readonly score: string;
  readonly missingRate: number;
  readonly baselineRatio: number;
  readonly ratio: number;
  /** 1 − ratio ÷ baseline ratio: the share of throughput (relative to the floor) lost; negative when faster. */
  readonly slowdown: number;
  readonly pass: boolean;
}

/**
 * Compare a run with a baseline run (`ewskit bench --json` written earlier, perhaps on another machine): each score
 * passes when its ratio to the floor fell by at most `maxSlowdown` (0.1 = 10 %).
 *
 * @throws {TypeError} when the baseline is not an `ewskit.bench/1` file, or lacks a score of the run at the same
 *   version and missing rate (naming it); {RangeError} when maxSlowdown is not in [0, 1)
 * @example compareThroughput(now, baseline, 0.1).every((c) => c.pass); // => true when nothing slowed by more than 10 %
 */
export function compareThroughput(run: ThroughputReport, baseline: unknown, maxSlowdown: number): ThroughputComparison[] {
  const fn = 'compareThroughput';
  if (!(maxSlowdown >= 0 && maxSlowdown < 1)) throw optionError(fn, 'maxSlowdown', 'a share 0 ≤ s < 1', maxSlowdown);
  const b = baseline as Partial<ThroughputReport> | null;
  if (b === null || typeof b !== 'object' || b.schema !== BENCH_SCHEMA || !Array.isArray(b.results))
    throw argumentError(fn, 'baseline', `an ${BENCH_SCHEMA} result (written by ewskit bench --json)`, (b as { schema?: unknown } | null)?.schema ?? b);
  return run.results.map((r) => {
    const base = (b.results as ThroughputResult[]).find((x) => x.score === r.score && x.missingRate === r.missingRate);
    if (base === undefined)
      throw argumentError(
        fn,
        'baseline',
        `a result for score "${r.score}" at missing rate ${r.missingRate}`,
        (b.results as ThroughputResult[]).map((x) => `${x.score}@${x.missingRate}`).join(', ') || 'no results',
      );
    if (base.version !== r.version)
      throw argumentError(fn, 'baseline', `score "${r.score}" at version ${r.version} (a different version is a different kernel)`, base.version);
    if (!(typeof base.ratio === 'number' && base.ratio > 0)) throw argumentError(fn, 'baseline', `a positive ratio for score "${r.score}"`, base.ratio);
    const slowdown = 1 - r.ratio / base.ratio;
    return { score: r.score, missingRate: r.missingRate, baselineRatio: base.ratio, ratio: r.ratio, slowdown, pass: slowdown <= maxSlowdown };
  });
}
