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
import type { ScoreDefinition } from '../definition/definition.js';
import { optionError, scoreList } from '../definition/errors.js';
import { missingPolicyOf } from '../definition/observation.js';
import type { MissingPolicy } from '../definition/observation.js';
import type { DefinitionOf, KindName } from '../kinds/kind.js';
import { kindOf } from '../kinds/kind-of.js';
import { planOf } from '../plan/compile.js';
import { modelPlanOf } from '../plan/model-plan.js';
import { unionInputs } from '../plan/union.js';
import { bandedSql } from './banded-sql.js';
import { modelSql } from './model-sql.js';
import type { ScoreSql, SqlDialect } from './sql-text.js';
import { FN, inputSql, quoteIdent, sparkText, SQL_DIALECTS } from './sql-text.js';

export type { SqlDialect } from './sql-text.js';
export { SQL_DIALECTS } from './sql-text.js';

/** A kind's part of the query: its LATERAL layers and output expressions, for score `g` of the query. */
type SqlPart<D> = (g: number, def: D, map: readonly number[], columns: readonly string[], policy: MissingPolicy) => ScoreSql;

/** Each kind's part of the query (typed over every kind: a kind without one does not compile). */
const SQL_PARTS: { readonly [K in KindName]: SqlPart<DefinitionOf<K>> } = {
  banded: (g, def, map, columns, policy) => bandedSql(g, planOf(def), map, columns, policy),
  model: (g, def, map, columns) => modelSql(g, modelPlanOf(def), map, columns),
};

export interface SqlOptions {
  /** `'duckdb'` (default), `'postgres'` or `'spark'` (Spark SQL 3.4+: backtick identifiers, Spark's type names; syntax-checked only). */
  dialect?: SqlDialect;
  /** The table (or view) of observations; default `"observations"`. Every input column must exist in it. */
  table?: string;
  /** How `on_oxygen` is stored: `'boolean'` (default) or `'number'` (0/1). */
  oxygenType?: 'boolean' | 'number';
  /** The research option for banded scores, as in `scoreTable`. */
  missing?: MissingPolicy;
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
  return scoreSql(scores, options, 'lateral');
}

/**
 * {@link toSQL} as nested projections (`layout: 'layered'`): the same columns and more (each layer's, prefixed
 * `ewskit_`), for a query that reads only some of them — the study's SQL, where DuckDB streams it. Internal.
 */
export function toLayeredSQL(scores: ScoreDefinition | readonly ScoreDefinition[], options: SqlOptions = {}): string {
  return scoreSql(scores, options, 'layered');
}

function scoreSql(scores: ScoreDefinition | readonly ScoreDefinition[], options: SqlOptions, layout: 'lateral' | 'layered'): string {
  const dialect = options.dialect ?? 'duckdb';
  if (!(SQL_DIALECTS as readonly string[]).includes(dialect)) throw optionError(FN, 'dialect', "'duckdb', 'postgres' or 'spark'", dialect);
  const oxygenType = options.oxygenType ?? 'boolean';
  if (oxygenType !== 'boolean' && oxygenType !== 'number') throw optionError(FN, 'oxygenType', "'boolean' or 'number'", oxygenType);
  const policy = missingPolicyOf(FN, options);
  const table = options.table ?? 'observations';
  if (typeof table !== 'string' || table.length === 0) throw optionError(FN, 'table', 'a non-empty table name', table);
  const defs = scoreList(FN, scores);
  // The union of inputs, each read and checked once for every score.
  const { inputs: union, maps } = unionInputs(defs.map((def) => kindOf(def).plan(def)));
  const inputs = union.map((x, k) => inputSql(x, k, dialect, oxygenType));
  const columns = union.map((x) => x.field.column);
  const layerA = inputs.map((x, k) => `${x.raw} AS ${quoteIdent(`q${k}`)}`);
  const layerB = inputs.flatMap((x, k) => [
    `${x.slot} AS ${quoteIdent(`s${k}`)}`,
    `${x.missing} AS ${quoteIdent(`m${k}`)}`,
    `${x.flagged} AS ${quoteIdent(`f${k}`)}`,
    `${x.verify} AS ${quoteIdent(`vf${k}`)}`,
    `${x.reason} AS ${quoteIdent(`r${k}`)}`,
    ...(x.value === null ? [] : [`${x.value} AS ${quoteIdent(`v${k}`)}`]),
  ]);
  const parts = defs.map((def, g) => (SQL_PARTS[def.kind] as SqlPart<ScoreDefinition>)(g, def, maps[g] ?? [], columns, policy));
  const select = ['o.*', ...parts.flatMap((p) => p.outputs.map(([expr, name]) => `${expr} AS ${quoteIdent(name)}`))];
  // PostgreSQL pulls a LATERAL subquery without FROM up into the query and substitutes each of its columns wherever
  // the next layer uses it: the layers' expressions nest, so the query grew exponentially in planning (a server
  // process of gigabytes, seen when the study first ran there). OFFSET 0 keeps each layer a layer, computed once per
  // row. DuckDB computes the layers once as written.
  const fenced = (layer: string): string => (dialect === 'postgres' ? layer.replace(/\) AS ([a-z0-9]+)$/, ' OFFSET 0) AS $1') : layer);
  const layers = [`LATERAL (SELECT ${layerA.join(', ')}) AS a`, `LATERAL (SELECT ${layerB.join(', ')}) AS b`, ...parts.flatMap((p) => p.layers)];
  if (layout === 'layered') return layeredText(table, layers, select.slice(1), dialect);
  const from = [`${quoteIdent(table)} AS o`, ...layers.map(fenced)];
  const text = `SELECT ${select.join(',\n  ')}\nFROM ${from.join(',\n  ')}`;
  return dialect === 'spark' ? sparkText(text) : text;
}

/** A reference `alias."name"` of the LATERAL form (alias o, a, b, c<g>, d<g>). */
const REFERENCE = /\b(o|a|b|c\d+|d\d+)\."((?:[^"]|"")*)"/g;

/**
 * The same query as nested projections instead of LATERAL joins: each layer `SELECT *, … FROM (previous) AS x`, its
 * columns renamed `ewskit_<alias>_<name>` (two scores' layers both name a column "t") and every reference unqualified
 * to match. The result carries the intermediate columns too. DuckDB runs a LATERAL join over a large table as a
 * decorrelated join per layer (a DISTINCT of the outer rows and a hash join: at a million encounters it spilled tens of
 * gigabytes); a projection streams.
 */
function layeredText(table: string, layers: readonly string[], outputs: readonly string[], dialect: SqlDialect): string {
  const rename = (text: string): string =>
    text.replace(REFERENCE, (_m, alias: string, name: string) =>
      quoteIdent(alias === 'o' ? name.replace(/""/g, '"') : `ewskit_${alias}_${name.replace(/""/g, '"')}`),
    );
  const fence = dialect === 'postgres' ? ' OFFSET 0' : '';
  let query = `SELECT * FROM ${quoteIdent(table)}`;
  for (const layer of layers) {
    const m = /^LATERAL \(SELECT ([\s\S]*)\) AS ([a-z0-9]+)$/.exec(layer);
    if (m === null) throw new Error(`toSQL: a layer is not of the form LATERAL (SELECT …) AS x: ${layer.slice(0, 80)}`);
    const alias = m[2] as string;
    // Each item's own name (`AS "p1"` at the end of an item) takes the layer's prefix.
    const body = rename(
      (m[1] as string).replace(/ AS "((?:[^"]|"")*)"(?=,|$)/g, (_x, name: string) => ` AS ${quoteIdent(`ewskit_${alias}_${name.replace(/""/g, '"')}`)}`),
    );
    query = `SELECT *, ${body} FROM (${query}${fence}) AS ${alias}`;
  }
  const text = `SELECT *, ${outputs.map(rename).join(',\n  ')}\nFROM (${query}${fence}) AS scored`;
  return dialect === 'spark' ? sparkText(text) : text;
}
