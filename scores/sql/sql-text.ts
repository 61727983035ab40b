/**
 * The SQL text shared by the generator and each kind's part: quoting, literals, runs of lookup tables as `CASE`,
 * each input read and checked once (layer b), and references to it.
 */
import type { PlanInput } from '../plan/compile.js';
import { quantizedPlausible, quantizedRange } from '../plan/compile.js';
import { ROUNDING_GUARD } from '../definition/precision.js';
import type { DiscreteField, NumericField } from '../definition/schema.js';
import { consciousnessWords, schemaOrder } from '../definition/schema.js';

/** The SQL dialects `toSQL` writes (`spark`: Spark SQL 3.4+, checked for its syntax only — there is no Spark here). */
export const SQL_DIALECTS = ['duckdb', 'postgres', 'spark'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export const FN = 'toSQL';

/** Quote an identifier: wrapped in double quotes, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quote a string literal: wrapped in single quotes, embedded quotes doubled. */
export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A number as an SQL literal (negative ones parenthesised). */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${FN}: cannot write the non-finite number ${x} as SQL`);
  const s = String(x);
  return x < 0 ? `(${s})` : s;
}

/** Runs of equal values in a table: `[from, to, value]`. */
export function runs(table: ArrayLike<number>, keep: (v: number) => boolean): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < table.length; i++) {
    const v = table[i] ?? NaN;
    if (!keep(v)) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === i - 1 && Object.is(last[2], v)) last[1] = i;
    else out.push([i, i, v]);
  }
  return out;
}

export function caseOf(index: string, table: ArrayLike<number>, keep: (v: number) => boolean, value: (v: number) => string): string {
  const arms = runs(table, keep).map(([a, b, v]) =>
    a === b ? `WHEN ${index} = ${a} THEN ${value(v)}` : `WHEN ${index} BETWEEN ${a} AND ${b} THEN ${value(v)}`,
  );
  return arms.length === 0 ? 'NULL' : `(CASE ${arms.join(' ')} END)`;
}

/** SQL for the input layers: per input, its raw layer (a) and derived layer (b) expressions. */
export interface InputSql {
  column: string;
  /** Layer a: the value at chart precision (numeric) or the code (discrete). */
  raw: string;
  /** Layer b, referring to a."q{k}": slot/state, missing, flagged, reason, value at chart precision. */
  slot: string;
  missing: string;
  flagged: string;
  /** Scored, but outside the plausible range (inside the possible one). */
  verify: string;
  reason: string;
  value: string | null;
}

export function notFinite(x: string, dialect: SqlDialect): string {
  if (dialect === 'spark') return `(isnan(${x}) OR ${x} = double('Infinity') OR ${x} = double('-Infinity'))`;
  return dialect === 'postgres' ? `(${x} IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8))` : `(NOT isfinite(${x}))`;
}

/** Spark SQL's names of the types the generators cast to. */
const SPARK_TYPES: readonly [RegExp, string][] = [
  [/^DOUBLE PRECISION$/i, 'DOUBLE'],
  [/^(TEXT|VARCHAR)$/i, 'STRING'],
];

/**
 * The same query in Spark SQL's spelling: identifiers quoted with backticks (Spark reads "x" as a string), and the
 * types of `CAST(… AS T)` in Spark's names. Single-quoted string literals are left exactly as they are. Idempotent.
 */
export function sparkText(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '`') {
      // A string literal ('' inside it an escaped quote) or an identifier already in backticks: copied as is.
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      let name = '';
      while (j < sql.length && !(sql[j] === '"' && sql[j + 1] !== '"')) {
        name += sql[j];
        j += sql[j] === '"' ? 2 : 1;
      }
      out += `\`${name.replace(/`/g, '``')}\``;
      i = j + 1;
    } else {
      const m = /^AS (DOUBLE PRECISION|TEXT|VARCHAR)\)/.exec(sql.slice(i, i + 24));
      if (m !== null) {
        const type = m[1] as string;
        out += `AS ${SPARK_TYPES.find(([re]) => re.test(type))?.[1] ?? type})`;
        i += m[0].length;
      } else {
        out += c;
        i++;
      }
    }
  }
  return out;
}

export function inputSql(input: PlanInput, k: number, dialect: SqlDialect, oxygenType: 'boolean' | 'number'): InputSql {
  const f = input.field;
  const c = `o.${quoteIdent(f.column)}`;
  const q = `a.${quoteIdent(`q${k}`)}`;
  if (f.kind === 'numeric') {
    const n = f as NumericField;
    const [lo, hi] = quantizedRange(n);
    const [plo, phi] = quantizedPlausible(n);
    const x = `CAST(${c} AS DOUBLE PRECISION)`;
    const ok = `(${q} BETWEEN ${lo} AND ${hi})`;
    return {
      column: f.column,
      raw: `FLOOR(${x} * ${num(10 ** n.precision)} + ${num((n.rounding === 'half-up' ? 0.5 : 0) + ROUNDING_GUARD)})`,
      slot: `CASE WHEN ${ok} THEN CAST(${q} AS INTEGER) - ${lo - 1} ELSE 0 END`,
      missing: `(${c} IS NULL)`,
      flagged: `(${c} IS NOT NULL AND NOT COALESCE(${ok}, FALSE))`,
      verify: plo === lo && phi === hi ? 'FALSE' : `COALESCE(${ok} AND NOT (${q} BETWEEN ${plo} AND ${phi}), FALSE)`,
      reason: `CASE WHEN ${notFinite(x, dialect)} THEN 'not_finite' ELSE 'out_of_range' END`,
      value: `(${q} / ${num(10 ** n.precision)})`,
    };
  }
  const d = f as DiscreteField;
  let code: string;
  let reason = `'unknown_code'`;
  if (d.accepts === 'string') {
    const norm = `regexp_replace(regexp_replace(lower(${c}), '^\\s+|\\s+$', '', 'g'), '\\s+', ' ', 'g')`;
    code = `CASE ${norm} ${consciousnessWords()
      .map(([w, code]) => `WHEN ${quoteString(w)} THEN ${d.codes.indexOf(code)}`)
      .join(' ')} END`;
  } else if (d.accepts === 'boolean' && oxygenType === 'boolean') {
    code = `CASE WHEN ${c} THEN 1 WHEN NOT ${c} THEN 0 END`;
  } else {
    const values = d.accepts === 'boolean' ? [0, 1] : d.codes.map(Number);
    const x = `CAST(${c} AS DOUBLE PRECISION)`;
    code = `CASE ${values.map((v, i) => `WHEN ${x} = ${v} THEN ${i}`).join(' ')} END`;
    reason = `CASE WHEN ${notFinite(x, dialect)} THEN 'not_finite' ELSE 'unknown_code' END`;
  }
  const unknown = d.codes.length;
  const whenNull = d.missingMeans === undefined ? unknown : d.codes.indexOf(d.missingMeans);
  return {
    column: f.column,
    raw: code,
    slot: `CASE WHEN ${c} IS NULL THEN ${whenNull} ELSE COALESCE(${q}, ${unknown}) END`,
    missing: d.missingMeans === undefined ? `(${c} IS NULL)` : 'FALSE',
    flagged: `(${c} IS NOT NULL AND ${q} IS NULL)`,
    verify: 'FALSE',
    reason,
    value: null,
  };
}

/**
 * One entry of a score's flags list for input x: its reason when flagged, `verify:<column>` when scored from a value
 * outside the plausible range; null otherwise.
 */
export function flagEntry(flagged: string, x: number, column: string): string {
  return `CASE WHEN ${flagged} THEN ${B.reason(x)} || ${quoteString(`:${column}`)} WHEN ${B.verify(x)} THEN ${quoteString(`verify:${column}`)} END`;
}

/** References to the layer-b columns of input k. */
export const B = {
  slot: (k: number) => `b.${quoteIdent(`s${k}`)}`,
  missing: (k: number) => `b.${quoteIdent(`m${k}`)}`,
  flagged: (k: number) => `b.${quoteIdent(`f${k}`)}`,
  verify: (k: number) => `b.${quoteIdent(`vf${k}`)}`,
  reason: (k: number) => `b.${quoteIdent(`r${k}`)}`,
  value: (k: number) => `b.${quoteIdent(`v${k}`)}`,
};

export interface ScoreSql {
  /** LATERAL layers this score adds, in order. */
  layers: string[];
  /** Output expressions (over the layers' aliases) with their output names. */
  outputs: [string, string][];
}

export function ordered(inputs: readonly PlanInput[], map: readonly number[]): number[] {
  return map
    .map((u, k) => ({ u, k }))
    .sort((a, b) => schemaOrder(inputs[a.k]?.field.field as never) - schemaOrder(inputs[b.k]?.field.field as never))
    .map(({ u }) => u);
}
