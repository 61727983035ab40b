/**
 * Attributes of each observation set, wherever the cohort keeps them: a column of the observations, else of the
 * patients table (joined by `patient_id`), else of the encounters table (joined by `encounter_id`). Groupings,
 * Table 1 and the flow read them through here.
 */
import type { Table } from 'apache-arrow';
import { columnValues } from './analysis-set.js';
import { arqueroTable } from './arquero-table.js';
import type { CohortTables } from './options.js';

/** `column` joined from `table` onto every scored row by `key`, or null when either table lacks a column. */
function joined(scored: Table, table: Table | undefined, key: string, column: string): unknown[] | null {
  if (table === undefined || table.getChild(key) === null || table.getChild(column) === null || scored.getChild(key) === null) return null;
  return arqueroTable(scored, [key])
    .lookup(arqueroTable(table, [key, column]), key, column)
    .array(column) as unknown[];
}

/**
 * The value of `column` for every scored row, or null when no table of the cohort has it. Runs in O(n).
 *
 * @example rowAttribute('admission_type', scored, cohort); // from the encounters table
 */
export function rowAttribute(column: string, scored: Table, cohort: Pick<CohortTables, 'patients' | 'encounters'>): unknown[] | null {
  return columnValues(scored, column) ?? joined(scored, cohort.patients, 'patient_id', column) ?? joined(scored, cohort.encounters, 'encounter_id', column);
}

/**
 * The values of `column` at the scored rows `rows` (ascending), read straight from the Arrow buffers for numeric
 * columns (NaN where null) and through `get` otherwise; null when the table has no such column. Runs in O(rows).
 */
export function valuesAt(table: Table, column: string, rows: readonly number[]): unknown[] | null {
  const vector = table.getChild(column);
  if (vector === null) return null;
  const out = new Array<unknown>(rows.length);
  let chunk = 0;
  let start = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] ?? 0;
    while (chunk < vector.data.length && i >= start + (vector.data[chunk]?.length ?? 0)) start += vector.data[chunk++]?.length ?? 0;
    const data = vector.data[chunk];
    if (data === undefined) {
      out[k] = null;
      continue;
    }
    const local = i - start;
    const type = data.type as { typeId: number; bitWidth?: number; precision?: number };
    // Int up to 32 bits and Float32/64 are plain typed arrays; everything else (dictionaries, strings, timestamps, Bool) goes through `get`.
    const plain = data.dictionary === undefined && ((type.typeId === 2 && (type.bitWidth ?? 64) <= 32) || (type.typeId === 3 && type.precision !== 0));
    const values = data.values as Float64Array;
    // A sliced column's `values` already start at its first row (apache-arrow slices the buffer); only its validity
    // bitmap keeps the offset, which getValid applies.
    out[k] = plain ? (data.getValid(local) ? values[local] : null) : data.getValid(local) ? vector.get(i) : null;
  }
  return out;
}

/**
 * A numeric column at the scored rows `rows` (ascending) as a Float64Array, NaN where null or not a number; null
 * when the table has no such column. Plain numeric buffers are read directly; anything else through `valuesAt`.
 */
export function numbersAt(table: Table, column: string, rows: readonly number[]): Float64Array | null {
  const vector = table.getChild(column);
  if (vector === null) return null;
  const out = new Float64Array(rows.length).fill(Number.NaN);
  const chunks = vector.data;
  const plain = chunks.every((d) => {
    const type = d.type as { typeId: number; bitWidth?: number; precision?: number };
    return d.dictionary === undefined && ((type.typeId === 2 && (type.bitWidth ?? 64) <= 32) || (type.typeId === 3 && type.precision !== 0));
  });
  if (!plain) {
    (valuesAt(table, column, rows) ?? []).forEach((v, k) => {
      if (typeof v === 'number') out[k] = v;
      else if (typeof v === 'bigint') out[k] = Number(v);
    });
    return out;
  }
  let chunk = 0;
  let start = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] ?? 0;
    while (chunk < chunks.length && i >= start + (chunks[chunk]?.length ?? 0)) start += chunks[chunk++]?.length ?? 0;
    const data = chunks[chunk];
    if (data === undefined) break;
    const local = i - start;
    if (data.nullCount === 0 || data.getValid(local)) out[k] = (data.values as Float64Array)[local] ?? Number.NaN;
  }
  return out;
}

/**
 * `column` at the scored rows `rows` (ascending), wherever the cohort keeps it: the observations, else the patients
 * table (by `patient_id`), else the encounters table (by `encounter_id`); null when no table has it. Runs in
 * O(rows + the joined table).
 */
export function attributeAt(column: string, scored: Table, rows: readonly number[], cohort: Pick<CohortTables, 'patients' | 'encounters'>): unknown[] | null {
  const own = valuesAt(scored, column, rows);
  if (own !== null) return own;
  for (const [table, key] of [
    [cohort.patients, 'patient_id'],
    [cohort.encounters, 'encounter_id'],
  ] as const) {
    if (table === undefined || table.getChild(column) === null || table.getChild(key) === null || scored.getChild(key) === null) continue;
    const ids = columnValues(table, key) ?? [];
    const values = columnValues(table, column) ?? [];
    const byId = new Map(ids.map((id, j) => [String(id), values[j]]));
    return (valuesAt(scored, key, rows) ?? []).map((id) => byId.get(String(id)) ?? null);
  }
  return null;
}
