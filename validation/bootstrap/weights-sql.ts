/**
 * The Poisson bootstrap's weights as SQL: the query that gives every (patient key, replicate) its weight in the
 * database, equal to `poissonWeight` in JavaScript (see replicate-weights.ts for the definition). Unsigned 32-bit
 * arithmetic is done in BIGINT without ever overflowing it: a product with a 32-bit constant is split into two
 * products below 2⁴⁸, each reduced modulo 2¹⁶ or 2³² (PostgreSQL and DuckDB refuse a BIGINT overflow rather than wrap).
 * Each step of the hash is one layer of the query, so no column is written out more than twice.
 */
import { keyword } from '../../scores/definition/errors.js';
import { POISSON_THRESHOLDS } from './replicate-weights.js';

/** The SQL dialects the weights are written in. */
export const WEIGHT_SQL_DIALECTS = ['duckdb', 'postgres', 'spark'] as const;
export type WeightSqlDialect = (typeof WEIGHT_SQL_DIALECTS)[number];

interface Dialect {
  xor(a: string, b: string): string;
  shiftRight(a: string, n: number): string;
  /** Eight hex digits → BIGINT. */
  hex8(hex: string): string;
  text(x: string): string;
  /** A one-column table `b` of 0…B−1 (BIGINT). */
  replicates(B: number): string;
}

const DIALECTS: Readonly<Record<WeightSqlDialect, Dialect>> = {
  duckdb: {
    xor: (a, b) => `xor(${a}, ${b})`,
    shiftRight: (a, n) => `(${a} >> ${n})`,
    hex8: (hex) => `CAST('0x' || ${hex} AS BIGINT)`,
    text: (x) => `CAST(${x} AS VARCHAR)`,
    replicates: (B) => `(SELECT range AS b FROM range(0, ${B}))`,
  },
  // Spark SQL 3.4+ (syntax-checked only: there is no Spark here). Its BIGINT arithmetic wraps silently, but no step
  // here passes 2⁴⁹.
  spark: {
    xor: (a, b) => `(${a} ^ ${b})`,
    shiftRight: (a, n) => `shiftright(${a}, ${n})`,
    hex8: (hex) => `CAST(conv(${hex}, 16, 10) AS BIGINT)`,
    text: (x) => `CAST(${x} AS STRING)`,
    replicates: (B) => `(SELECT id AS b FROM range(0, ${B}))`,
  },
  postgres: {
    xor: (a, b) => `(${a} # ${b})`,
    shiftRight: (a, n) => `(${a} >> ${n})`,
    hex8: (hex) => `CAST(CAST('x' || ${hex} AS BIT(32)) AS BIGINT)`,
    text: (x) => `CAST(${x} AS TEXT)`,
    replicates: (B) => `(SELECT CAST(generate_series(0, ${B - 1}) AS BIGINT) AS b)`,
  },
};

/** a · c mod 2³² for 0 ≤ a < 2³² and a constant c, in BIGINT: a·c_lo + ((a·c_hi) mod 2¹⁶)·2¹⁶, every term < 2⁴⁹. */
function mul32(a: string, c: number): string {
  const hi = Math.floor(c / 65536);
  const lo = c % 65536;
  return `((${a} * ${lo} + ((${a} * ${hi}) % 65536) * 65536) % 4294967296)`;
}

/** murmur3's finaliser as query layers over column `x`, ending in column `out`. */
function mixLayers(d: Dialect, x: string, out: string): [string, string][] {
  return [
    [`${out}_1`, d.xor(x, d.shiftRight(x, 16))],
    [`${out}_2`, mul32(`${out}_1`, 0x85ebca6b)],
    [`${out}_3`, d.xor(`${out}_2`, d.shiftRight(`${out}_2`, 13))],
    [`${out}_4`, mul32(`${out}_3`, 0xc2b2ae35)],
    [out, d.xor(`${out}_4`, d.shiftRight(`${out}_4`, 16))],
  ];
}

/**
 * Each step a layer over the one before. `OFFSET 0` keeps every layer a layer: without it PostgreSQL's planner pulls
 * the subqueries up and substitutes each column's expression wherever it is used — twice per step, so the hash's 18
 * steps grew into an expression of 2¹⁸ terms (a server process of 23 GB, seen on the first try).
 */
function layered(from: string, layers: readonly [string, string][], start: number, fence: string): string {
  return layers.reduce((q, [name, expr], i) => `SELECT *, ${expr} AS ${name} FROM (${q}${fence}) AS w${start + i}`, from);
}

/** The Poisson weights' SQL in parts, for a query that joins them itself (the study's count tables). */
export interface PoissonWeightParts {
  /** Per patient of `keys` (a query with a column `key`): the key and `c`, the part of the hash before the replicate. */
  perPatient(keys: string): string;
  /** A one-column table `b` of the replicates 0…B−1. */
  replicates(B: number): string;
  /** Over a query with columns `c` (a patient's, from `perPatient`) and `b` (a replicate): its columns and `weight`. */
  weighted(from: string): string;
}

/**
 * The Poisson weights' SQL in parts (see {@link poissonWeightsSql}, which puts them together).
 *
 * @throws {RangeError} naming the option when the dialect is unknown or the seed is not a whole number ≥ 0
 */
export function poissonWeightParts(options: { seed: number; dialect: WeightSqlDialect }, fn = 'poissonWeightParts'): PoissonWeightParts {
  const dialect = keyword(fn, 'dialect', WEIGHT_SQL_DIALECTS, options.dialect, 'duckdb');
  const d = DIALECTS[dialect];
  // Spark has no OFFSET before 3.4 and its optimiser does not inline projections exponentially: no fence there.
  const fence = dialect === 'spark' ? '' : ' OFFSET 0';
  if (!(Number.isInteger(options.seed) && options.seed >= 0))
    throw new RangeError(`${fn}: option "seed" expected a whole number ≥ 0; received ${String(options.seed)}.`);
  const seed = options.seed % 4294967296;
  const md5 = `md5(${d.text('key')})`;
  const thresholds = POISSON_THRESHOLDS.map((t, j) => `WHEN h < ${t} THEN ${j}`).join(' ');
  return {
    // Per patient: the two key words and the part of the hash before the replicate.
    perPatient: (keys) =>
      layered(
        `SELECT key FROM (${keys}) AS keys`,
        [
          ['k1', d.hex8(`substr(${md5}, 1, 8)`)],
          ['k2', d.hex8(`substr(${md5}, 9, 8)`)],
          ['a0', d.xor(String(seed), 'k1')],
          ...mixLayers(d, 'a0', 'a'),
          ['c0', d.xor('a', 'k2')],
          ...mixLayers(d, 'c0', 'c'),
        ],
        0,
        fence,
      ),
    replicates: (B) => d.replicates(B),
    weighted: (from) => {
      const hashed = layered(from, [['salt', mul32('b', 0x9e3779b1)], ['h0', d.xor('c', 'salt')], ...mixLayers(d, 'h0', 'h')], 100, fence);
      return `SELECT *, CASE ${thresholds} ELSE ${POISSON_THRESHOLDS.length} END AS weight FROM (${hashed}${fence}) AS hashed`;
    },
  };
}

/**
 * The query giving each patient's Poisson(1) weight in each replicate: columns `key`, `replicate` (0…B−1), `weight`.
 *
 * @param options `keys`: a query or table with one row per patient and its key in a column named `key` (text or an
 *   integer; the weight hashes its text); `B` replicates; the bootstrap `seed`; the `dialect`
 * @returns one SQL query
 * @throws {RangeError} naming the option when the dialect is unknown or B or the seed is not a whole number
 * @example poissonWeightsSql({ keys: 'SELECT DISTINCT patient_id AS key FROM obs', B: 1000, seed: 1, dialect: 'duckdb' });
 */
export function poissonWeightsSql(options: { keys: string; B: number; seed: number; dialect: WeightSqlDialect }): string {
  const fn = 'poissonWeightsSql';
  const parts = poissonWeightParts(options, fn);
  if (!(Number.isInteger(options.B) && options.B >= 1)) throw new RangeError(`${fn}: option "B" expected a whole number ≥ 1; received ${String(options.B)}.`);
  const fence = options.dialect === 'spark' ? '' : ' OFFSET 0';
  const crossed = `SELECT p.key AS key, p.c AS c, r.b AS b FROM (${parts.perPatient(options.keys)}${fence}) AS p CROSS JOIN ${parts.replicates(options.B)} AS r`;
  return `SELECT key, b AS replicate, weight FROM (${parts.weighted(crossed)}) AS weights`;
}
