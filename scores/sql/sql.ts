/**
 * The compiler's third target: SQL. One or several definitions → one query over a named table that computes the
 * same totals, subscores, risk bands, missing lists and flags as the batch kernel — honouring nulls, the
 * recording-precision policy and the plausible ranges — in plain `CASE`/`COALESCE`, so one generator serves
 * DuckDB, PostgreSQL and other engines with LATERAL subqueries. Points come from the same compiled lookup tables
 * as the kernel, written as runs of `WHEN slot BETWEEN a AND b`. Each intermediate (an input's slot, a
 * parameter's points, a score's total) is computed once, in its own LATERAL layer, and referenced by name.
 * Identifiers are always quoted; no name can inject SQL.
 *
 * The query's shape:
 *   SELECT o.*, p."news2_total" AS "news2_total", …
 *   FROM "observations" AS o,
 *     LATERAL (SELECT FLOOR(…) AS "q0", …)      AS a   -- each input at chart precision, or its code
 *     LATERAL (SELECT … AS "s0", … AS "m0", …)  AS b   -- slot, missing, flagged, reason per input
 *     LATERAL (SELECT … AS "p0_0", …)           AS c0  -- points per parameter (score 0)
 *     LATERAL (SELECT … AS "t0", …)             AS d0  -- total, red flag, completeness (score 0)
 *     …
 */
import type { PlanInput, ScorePlan } from '../plan/compile.js';
import { NOT_ON_CHART, planOf, quantizedRange } from '../plan/compile.js';
import type { ScoreDefinition } from '../definition/definition.js';
import { optionError } from '../definition/errors.js';
import type { ModelPlan } from '../plan/model-plan.js';
import { modelPlanOf } from '../plan/model-plan.js';
import { ROUNDING_GUARD } from '../definition/precision.js';
import type { MissingPolicy } from '../evaluate/score-observation.js';
import { outputColumns } from '../kernel/score-table.js';
import type { DiscreteField, NumericField } from '../definition/schema.js';
import { consciousnessWords, schemaOrder } from '../definition/schema.js';

export type SqlDialect = 'duckdb' | 'postgres';

export interface SqlOptions {
  /** `'duckdb'` (default) or `'postgres'`. */
  dialect?: SqlDialect;
  /** The table (or view) of observations; default `"observations"`. Every input column must exist in it. */
  table?: string;
  /** How `on_oxygen` is stored: `'boolean'` (default) or `'number'` (0/1). */
  oxygenType?: 'boolean' | 'number';
  /** The research option for banded scores, as in `scoreTable`. */
  missing?: MissingPolicy;
}

const FN = 'toSQL';

/** Quote an identifier: wrapped in double quotes, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quote a string literal: wrapped in single quotes, embedded quotes doubled. */
export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A number as an SQL literal (negative ones parenthesised). */
function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${FN}: cannot write the non-finite number ${x} as SQL`);
  const s = String(x);
  return x < 0 ? `(${s})` : s;
}

/** Runs of equal values in a table: `[from, to, value]`. */
function runs(table: ArrayLike<number>, keep: (v: number) => boolean): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < table.length; i++) {
    const v = table[i] as number;
    if (!keep(v)) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === i - 1 && Object.is(last[2], v)) last[1] = i;
    else out.push([i, i, v]);
  }
  return out;
}

function caseOf(index: string, table: ArrayLike<number>, keep: (v: number) => boolean, value: (v: number) => string): string {
  const arms = runs(table, keep).map(([a, b, v]) =>
    a === b ? `WHEN ${index} = ${a} THEN ${value(v)}` : `WHEN ${index} BETWEEN ${a} AND ${b} THEN ${value(v)}`,
  );
  return arms.length === 0 ? 'NULL' : `(CASE ${arms.join(' ')} END)`;
}

/** SQL for the input layers: per input, its raw layer (a) and derived layer (b) expressions. */
interface InputSql {
  column: string;
  /** Layer a: the value at chart precision (numeric) or the code (discrete). */
  raw: string;
  /** Layer b, referring to a."q{k}": slot/state, missing, flagged, reason, value at chart precision. */
  slot: string;
  missing: string;
  flagged: string;
  reason: string;
  value: string | null;
}

function notFinite(x: string, dialect: SqlDialect): string {
  return dialect === 'postgres' ? `(${x} IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8))` : `(NOT isfinite(${x}))`;
}

function inputSql(input: PlanInput, k: number, dialect: SqlDialect, oxygenType: 'boolean' | 'number'): InputSql {
  const f = input.field;
  const c = `o.${quoteIdent(f.column)}`;
  const q = `a.${quoteIdent(`q${k}`)}`;
  if (f.kind === 'numeric') {
    const n = f as NumericField;
    const [lo, hi] = quantizedRange(n);
    const x = `CAST(${c} AS DOUBLE PRECISION)`;
    const ok = `(${q} BETWEEN ${lo} AND ${hi})`;
    return {
      column: f.column,
      raw: `FLOOR(${x} * ${num(10 ** n.precision)} + ${num((n.rounding === 'half-up' ? 0.5 : 0) + ROUNDING_GUARD)})`,
      slot: `CASE WHEN ${ok} THEN CAST(${q} AS INTEGER) - ${lo - 1} ELSE 0 END`,
      missing: `(${c} IS NULL)`,
      flagged: `(${c} IS NOT NULL AND NOT COALESCE(${ok}, FALSE))`,
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
    reason,
    value: null,
  };
}

/** References to the layer-b columns of input k. */
const B = {
  slot: (k: number) => `b.${quoteIdent(`s${k}`)}`,
  missing: (k: number) => `b.${quoteIdent(`m${k}`)}`,
  flagged: (k: number) => `b.${quoteIdent(`f${k}`)}`,
  reason: (k: number) => `b.${quoteIdent(`r${k}`)}`,
  value: (k: number) => `b.${quoteIdent(`v${k}`)}`,
};

interface ScoreSql {
  /** LATERAL layers this score adds, in order. */
  layers: string[];
  /** Output expressions (over the layers' aliases) with their output names. */
  outputs: [string, string][];
}

function ordered(inputs: readonly PlanInput[], map: readonly number[]): number[] {
  return map
    .map((u, k) => ({ u, k }))
    .sort((a, b) => schemaOrder(inputs[a.k]?.field.field as never) - schemaOrder(inputs[b.k]?.field.field as never))
    .map(({ u }) => u);
}

function bandedSql(g: number, plan: ScorePlan, map: readonly number[], columns: readonly string[], policy: MissingPolicy): ScoreSql {
  const names = outputColumns(plan.definition);
  const u = (k: number): number => map[k] as number;
  const C = (name: string) => `c${g}.${quoteIdent(name)}`;
  const D = (name: string) => `d${g}.${quoteIdent(name)}`;
  const layerC: string[] = [];
  // Effective missing/flagged per input (a fallback pair is missing only when both are; codes off the chart flag).
  const missing = new Map<number, string>(map.map((x) => [x, B.missing(x)]));
  const flagged = new Map<number, string>(map.map((x) => [x, B.flagged(x)]));
  plan.parameters.forEach((p, j) => {
    const segment = p.conditions.map((c, ci) => `${B.slot(u(c))} * ${(p.strides[ci] as number) * p.segment}`).join(' + ');
    const index = segment === '' ? B.slot(u(p.input)) : `(${segment} + ${B.slot(u(p.input))})`;
    const primary = caseOf(index, p.table, (v) => v >= 0, String);
    const offChart = (table: Int8Array, idx: string) =>
      caseOf(
        idx,
        table,
        (v) => v === NOT_ON_CHART,
        () => 'TRUE',
      );
    if (p.fallback === undefined) {
      layerC.push(`${primary} AS ${quoteIdent(`p${j}`)}`);
      if (p.table.includes(NOT_ON_CHART)) flagged.set(u(p.input), `(${flagged.get(u(p.input))} OR COALESCE(${offChart(p.table, index)}, FALSE))`);
      return;
    }
    const fb = p.fallback;
    const fbIndex = B.slot(u(fb.input));
    layerC.push(`CASE WHEN ${B.missing(u(p.input))} THEN ${caseOf(fbIndex, fb.table, (v) => v >= 0, String)} ELSE ${primary} END AS ${quoteIdent(`p${j}`)}`);
    if (fb.table.includes(NOT_ON_CHART))
      flagged.set(u(fb.input), `(${flagged.get(u(fb.input))} OR (${B.missing(u(p.input))} AND COALESCE(${offChart(fb.table, fbIndex)}, FALSE)))`);
    const both = `(${B.missing(u(p.input))} AND ${B.missing(u(fb.input))})`;
    missing.set(u(p.input), both);
    missing.set(u(fb.input), both);
  });
  for (const x of new Set(map)) {
    layerC.push(`${missing.get(x)} AS ${quoteIdent(`m${x}`)}`, `${flagged.get(x)} AS ${quoteIdent(`f${x}`)}`);
  }
  const points = plan.parameters.map((_, j) => C(`p${j}`));
  const anyMissing = [...new Set(map)].map((x) => C(`m${x}`)).join(' OR ');
  const anyFlag = [...new Set(map)].map((x) => C(`f${x}`)).join(' OR ');
  const complete = `(NOT (${anyMissing} OR ${anyFlag}))`;
  const total =
    policy === 'zero'
      ? `CASE WHEN NOT (${anyFlag}) THEN ${points.map((p) => `COALESCE(${p}, 0)`).join(' + ')} END`
      : `CASE WHEN ${complete} THEN ${points.join(' + ')} END`;
  const red = Number.isFinite(plan.redMin) ? `(${points.map((p) => `COALESCE(${p}, -1) >= ${plan.redMin}`).join(' OR ')})` : 'FALSE';
  const layerD = [`${total} AS "t"`, `${red} AS "red"`, `${complete} AS "complete"`];
  const risks = plan.definition.risks;
  const risk =
    plan.definition.rules.length === 0
      ? 'CAST(NULL AS VARCHAR)'
      : caseOf(
          `(${D('t')} * 2 + CASE WHEN ${D('red')} THEN 1 ELSE 0 END)`,
          plan.riskOf,
          (v) => v >= 0,
          (v) => quoteString(risks[v] as string),
        );
  const order = ordered(plan.inputs, map);
  const missingList = `NULLIF(concat_ws(';', ${order.map((x) => `CASE WHEN ${C(`m${x}`)} THEN ${quoteString(columns[x] as string)} END`).join(', ')}), '')`;
  const flagList = `NULLIF(concat_ws(';', ${order.map((x) => `CASE WHEN ${C(`f${x}`)} THEN ${B.reason(x)} || ${quoteString(`:${columns[x]}`)} END`).join(', ')}), '')`;
  const at = (k: number) => names[k] as string;
  return {
    layers: [`LATERAL (SELECT ${layerC.join(', ')}) AS c${g}`, `LATERAL (SELECT ${layerD.join(', ')}) AS d${g}`],
    outputs: [
      [D('t'), at(0)],
      [risk, at(1)],
      [D('red'), at(2)],
      [D('complete'), at(3)],
      ...points.map((p, j): [string, string] => [p, at(4 + j)]),
      [missingList, at(names.length - 2)],
      [flagList, at(names.length - 1)],
    ],
  };
}

function modelSql(g: number, plan: ModelPlan, map: readonly number[], columns: readonly string[]): ScoreSql {
  const def = plan.definition;
  const names = outputColumns(def);
  const u = (k: number): number => map[k] as number;
  const C = (name: string) => `c${g}.${quoteIdent(name)}`;
  const D = (name: string) => `d${g}.${quoteIdent(name)}`;
  const layerC = plan.terms.map((t, j) => {
    const term = def.terms[j];
    const k = u(t.input);
    let observed: string;
    if (term?.type === 'linear') {
      const pieces = term.slopes.map(
        (s, i) =>
          `${num(s)} * (LEAST(GREATEST(${B.value(k)}, ${num(term.knots[i] as number)}), ${num(term.knots[i + 1] as number)}) - ${num(term.knots[i] as number)})`,
      );
      observed = `CASE WHEN ${B.slot(k)} > 0 THEN ${pieces.join(' + ')} END`;
    } else {
      observed = caseOf(B.slot(k), t.table, (v) => !Number.isNaN(v), num);
    }
    const c = t.imputeSlot >= 0 ? `CASE WHEN ${B.missing(k)} THEN ${num(t.table[t.imputeSlot] as number)} ELSE ${observed} END` : observed;
    return `${c} AS ${quoteIdent(`w${j}`)}`;
  });
  const voidExpr = plan.terms.map((t) => `${B.flagged(u(t.input))}${t.imputeSlot < 0 ? ` OR ${B.missing(u(t.input))}` : ''}`).join(' OR ');
  const lp = `CASE WHEN NOT (${voidExpr}) THEN ${num(def.intercept)} + ${plan.terms.map((_, j) => C(`w${j}`)).join(' + ')} END`;
  const layerD = [`${lp} AS "lp"`];
  const probability = `(1 / (1 + EXP(-${D('lp')})))`;
  const zones = def.zones;
  const zone = `CASE ${zones
    .slice(1)
    .map((_, i) => zones.length - 1 - i)
    .map((z) => `WHEN ${probability} >= ${num(zones[z]?.min as number)} THEN ${quoteString(zones[z]?.label as string)}`)
    .join(' ')} WHEN ${D('lp')} IS NOT NULL THEN ${quoteString(zones[0]?.label as string)} END`;
  const order = ordered(plan.inputs, map);
  const imputable = new Set(plan.terms.filter((t) => t.imputeSlot >= 0).map((t) => u(t.input)));
  const list = (pick: (x: number) => boolean, when: (x: number) => string, value: (x: number) => string) =>
    `NULLIF(concat_ws(';', ${
      order
        .filter(pick)
        .map((x) => `CASE WHEN ${when(x)} THEN ${value(x)} END`)
        .join(', ') || 'NULL'
    }), '')`;
  const anyMissing = order.map((x) => B.missing(x)).join(' OR ');
  const anyFlag = order.map((x) => B.flagged(x)).join(' OR ');
  const at = (k: number) => names[k] as string;
  return {
    layers: [`LATERAL (SELECT ${layerC.join(', ')}) AS c${g}`, `LATERAL (SELECT ${layerD.join(', ')}) AS d${g}`],
    outputs: [
      [probability, at(0)],
      [D('lp'), at(1)],
      [zone, at(2)],
      [`(NOT (${anyMissing} OR ${anyFlag}))`, at(3)],
      ...plan.terms.map((_, j): [string, string] => [C(`w${j}`), at(4 + j)]),
      [
        list(
          () => true,
          B.missing,
          (x) => quoteString(columns[x] as string),
        ),
        at(names.length - 3),
      ],
      [
        list(
          (x) => imputable.has(x),
          B.missing,
          (x) => quoteString(columns[x] as string),
        ),
        at(names.length - 2),
      ],
      [
        list(
          () => true,
          B.flagged,
          (x) => `${B.reason(x)} || ${quoteString(`:${columns[x]}`)}`,
        ),
        at(names.length - 1),
      ],
    ],
  };
}

/**
 * Compile one or several score definitions to one SQL query that computes, per row of a table, the same columns
 * `scoreTable` adds (every input column of the definitions must exist in the table; `spo2_scale` may be all null).
 * Plain `CASE`/`COALESCE` with `FLOOR`, `LEAST`, `GREATEST`, `EXP`, `concat_ws`, `regexp_replace` and LATERAL
 * subqueries, which DuckDB and PostgreSQL both provide; the dialect only changes the non-finite test. The query
 * is a composable unit: wrap it as a subquery or CTE. Runs in O(size of the lookup tables).
 *
 * @param scores a definition or several
 * @param options dialect (`'duckdb'` | `'postgres'`), table name (default `observations`), how `on_oxygen` is stored
 * @returns `SELECT o.*, … AS "news2_total", … FROM "observations" AS o, LATERAL (…) …`
 * @throws {RangeError} for an unknown dialect, an empty table name or scores sharing an id
 * @example toSQL(news2, { dialect: 'postgres', table: 'observations' }); // => 'SELECT o.*, … FROM "observations" AS o, …'
 */
export function toSQL(scores: ScoreDefinition | readonly ScoreDefinition[], options: SqlOptions = {}): string {
  const dialect = options.dialect ?? 'duckdb';
  if (dialect !== 'duckdb' && dialect !== 'postgres') throw optionError(FN, 'dialect', "'duckdb' or 'postgres'", dialect);
  const oxygenType = options.oxygenType ?? 'boolean';
  if (oxygenType !== 'boolean' && oxygenType !== 'number') throw optionError(FN, 'oxygenType', "'boolean' or 'number'", oxygenType);
  const policy = options.missing ?? 'none';
  if (policy !== 'none' && policy !== 'zero') throw optionError(FN, 'missing', "'none' or 'zero'", policy);
  const table = options.table ?? 'observations';
  if (typeof table !== 'string' || table.length === 0) throw optionError(FN, 'table', 'a non-empty table name', table);
  const defs: readonly ScoreDefinition[] = Array.isArray(scores) ? scores : [scores as ScoreDefinition];
  if (defs.length === 0) throw optionError(FN, 'scores', 'at least one score definition', defs);
  if (new Set(defs.map((d) => d.id)).size !== defs.length) throw optionError(FN, 'scores', 'scores with distinct ids', defs.map((d) => d.id).join(', '));
  // The union of inputs, each read and checked once for every score.
  const union: PlanInput[] = [];
  const plans = defs.map((def) => (def.kind === 'model' ? modelPlanOf(def) : planOf(def)));
  const maps = plans.map((plan) =>
    plan.inputs.map((input) => {
      const at = union.findIndex((x) => x.field.field === input.field.field);
      return at >= 0 ? at : union.push({ ...input, index: union.length }) - 1;
    }),
  );
  const inputs = union.map((x, k) => inputSql(x, k, dialect, oxygenType));
  const columns = union.map((x) => x.field.column);
  const layerA = inputs.map((x, k) => `${x.raw} AS ${quoteIdent(`q${k}`)}`);
  const layerB = inputs.flatMap((x, k) => [
    `${x.slot} AS ${quoteIdent(`s${k}`)}`,
    `${x.missing} AS ${quoteIdent(`m${k}`)}`,
    `${x.flagged} AS ${quoteIdent(`f${k}`)}`,
    `${x.reason} AS ${quoteIdent(`r${k}`)}`,
    ...(x.value === null ? [] : [`${x.value} AS ${quoteIdent(`v${k}`)}`]),
  ]);
  const parts = plans.map((plan, g) =>
    'parameters' in plan ? bandedSql(g, plan, maps[g] as number[], columns, policy) : modelSql(g, plan, maps[g] as number[], columns),
  );
  const select = ['o.*', ...parts.flatMap((p) => p.outputs.map(([expr, name]) => `${expr} AS ${quoteIdent(name)}`))];
  const from = [
    `${quoteIdent(table)} AS o`,
    `LATERAL (SELECT ${layerA.join(', ')}) AS a`,
    `LATERAL (SELECT ${layerB.join(', ')}) AS b`,
    ...parts.flatMap((p) => p.layers),
  ];
  return `SELECT ${select.join(',\n  ')}\nFROM ${from.join(',\n  ')}`;
}
