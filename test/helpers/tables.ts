/** Build Arrow tables from observation objects for tests, in several column layouts. */
import type { Table } from 'apache-arrow';
import { Bool, Dictionary, Float64, Int32, RecordBatch, Table as ArrowTable, Utf8, tableFromArrays, vectorFromArray } from 'apache-arrow';
import type { Observation } from '../../scores/evaluate/score-observation.js';
import { FIELDS } from '../../scores/definition/schema.js';

export interface LayoutOptions {
  /** on_oxygen as Arrow Bool (default) or as Float64 0/1. */
  oxygenAs?: 'bool' | 'float';
  /** consciousness as a dictionary (default) or plain utf8. */
  consciousnessAs?: 'dictionary' | 'utf8';
  /** Split into batches of this many rows. */
  batchSize?: number;
}

/** The numeric fields of the canonical schema as [object field, Arrow column], from the schema itself. */
export const NUMERIC: readonly [keyof Observation, string][] = Object.values(FIELDS)
  .filter((f) => f.kind === 'numeric')
  .map((f) => [f.field as keyof Observation, f.column]);

/** One table from observation objects; values of the wrong JS type are not expected here. */
export function tableOf(rows: readonly Observation[], opts: LayoutOptions = {}): Table {
  const pick = (k: keyof Observation) => rows.map((r) => (r[k] === undefined ? null : r[k]));
  const columns: Record<string, unknown> = {};
  for (const [k, col] of NUMERIC) columns[col] = vectorFromArray(pick(k) as (number | null)[], new Float64());
  columns.spo2_scale = vectorFromArray(pick('spo2Scale') as (number | null)[], new Float64());
  const oxygen = pick('onOxygen') as (boolean | number | null)[];
  columns.on_oxygen =
    opts.oxygenAs === 'float'
      ? vectorFromArray(
          oxygen.map((v) => (typeof v === 'boolean' ? Number(v) : v)),
          new Float64(),
        )
      : vectorFromArray(
          oxygen.map((v) => (v === null ? null : typeof v === 'boolean' ? v : v === 1 ? true : v === 0 ? false : null)),
          new Bool(),
        );
  const consciousness = pick('consciousness') as (string | null)[];
  columns.consciousness =
    opts.consciousnessAs === 'utf8' ? vectorFromArray(consciousness, new Utf8()) : vectorFromArray(consciousness, new Dictionary(new Utf8(), new Int32()));
  columns.row = vectorFromArray(
    rows.map((_, i) => i),
    new Int32(),
  );
  const whole = tableFromArrays(columns as never) as unknown as Table;
  if (opts.batchSize === undefined || rows.length <= opts.batchSize) return whole;
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows.length; start += opts.batchSize) {
    const end = Math.min(rows.length, start + opts.batchSize);
    batches.push(...whole.slice(start, end).batches);
  }
  return new ArrowTable(batches);
}

/** A row of a table as a plain object. */
export function rowOf(table: Table, i: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of table.schema.fields) out[f.name] = table.getChild(f.name)?.get(i);
  return out;
}
