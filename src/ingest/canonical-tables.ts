/**
 * The cohort's tables in the canonical schema, built from rows of any reader: the stated type of every column ewskit
 * knows (the same as the synthetic cohort's), a column it does not know kept as text. A cell that does not parse as
 * its column's type becomes null and its row is flagged with the reason (observations: in `set_flags`); a row of
 * another table without its key or time is rejected with the reason. Nothing is typed by looking at the values.
 */
import { Bool, Float64, Int8, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import type { IngestReport } from './measurements.js';
import { reject } from './measurements.js';
import type { Mapping, TableName } from './mapping.js';
import { parseNumber, parseTime } from './mapping.js';

/** The stated type of a column. */
export type ColumnType = 'text' | 'number' | 'time' | 'bool' | 'scale';

/** The stated type of each known column, per table. */
export const KNOWN_COLUMNS: Readonly<Record<TableName, Readonly<Record<string, ColumnType>>>> = {
  observations: {
    patient_id: 'text',
    encounter_id: 'text',
    observed_at: 'time',
    respiratory_rate: 'number',
    spo2: 'number',
    sao2: 'number',
    spo2_scale: 'scale',
    on_oxygen: 'bool',
    systolic_bp: 'number',
    diastolic_bp: 'number',
    heart_rate: 'number',
    consciousness: 'text',
    temperature: 'number',
    gcs: 'number',
    age: 'number',
    lactate: 'number',
    creatinine: 'number',
    white_cell_count: 'number',
    comorbidity_count: 'number',
  },
  events: { encounter_id: 'text', event_at: 'time', event_type: 'text' },
  patients: {
    patient_id: 'text',
    sex: 'text',
    ethnicity: 'text',
    ethnic_category: 'text',
    skin_tone: 'number',
    population: 'text',
    site: 'text',
    region: 'text',
  },
  encounters: {
    encounter_id: 'text',
    patient_id: 'text',
    age: 'number',
    admitted_at: 'time',
    discharged_at: 'time',
    left_ward_at: 'time',
    admission_type: 'text',
    comorbidity_count: 'number',
    primary_diagnosis: 'text',
  },
};

/** Columns a row of each table cannot do without (a row missing one is rejected). */
export const REQUIRED_COLUMNS: Readonly<Record<TableName, readonly string[]>> = {
  observations: ['encounter_id', 'observed_at'],
  events: ['encounter_id', 'event_at', 'event_type'],
  patients: ['patient_id'],
  encounters: ['encounter_id'],
};

/** The file's column name for a canonical one (the mapping's `columns.<table>`, else the canonical name). */
export function sourceColumn(mapping: Mapping, table: TableName, canonical: string): string {
  return mapping.columns[table][canonical] ?? canonical;
}

/** A row's columns renamed to canonical names (the mapping's renames; other columns keep their names). */
export function canonicalRow(mapping: Mapping, table: TableName, row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const renames = mapping.columns[table];
  const back = new Map(Object.entries(renames).map(([canonical, source]) => [source, canonical]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[back.get(k) ?? k] = v;
  return out;
}

const BOOLS: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, y: true, n: false };

/** One cell as its column's type, or why it is not. */
function cell(type: ColumnType, v: unknown, mapping: Mapping): { value: unknown } | { problem: string } {
  if (v === null || v === undefined || v === '') return { value: null };
  switch (type) {
    case 'text':
      return { value: String(v) };
    case 'number': {
      if (typeof v === 'bigint') return { value: Number(v) };
      const n = parseNumber(v, mapping.csv.decimal);
      return typeof n === 'number' ? { value: n } : n;
    }
    case 'scale': {
      const n = typeof v === 'bigint' ? Number(v) : parseNumber(v, mapping.csv.decimal);
      return n === 1 || n === 2 ? { value: n } : { problem: `${JSON.stringify(String(v))} is not an SpO2 scale (1 or 2)` };
    }
    case 'bool': {
      if (typeof v === 'boolean') return { value: v };
      const b = BOOLS[String(v).trim().toLowerCase()];
      return b === undefined ? { problem: `${JSON.stringify(String(v))} is not true/false, yes/no or 1/0` } : { value: b };
    }
    case 'time': {
      if (v instanceof Date) return { value: v.getTime() };
      const t = typeof v === 'bigint' ? Number(v) : parseTime(v, mapping.time);
      return typeof t === 'number' ? { value: t } : t;
    }
  }
}

/** The Arrow type of each stated column type. */
export const ARROW_TYPE: Readonly<Record<ColumnType, () => DataType>> = {
  text: () => new Utf8(),
  number: () => new Float64(),
  time: () => new TimestampMillisecond(),
  bool: () => new Bool(),
  scale: () => new Int8(),
};

/**
 * Rows (canonical names) as a typed table. For observations, a cell that does not parse is null and named in the
 * row's `set_flags`; for other tables a row missing a required column is rejected. Every row is counted in `report`.
 */
export function typedTable(
  table: TableName,
  rows: readonly Readonly<Record<string, unknown>>[],
  sources: readonly string[],
  mapping: Mapping,
  report: IngestReport,
): Table {
  const known = KNOWN_COLUMNS[table];
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const kept: Record<string, unknown>[] = [];
  const flags: (string | null)[] = [];
  rows.forEach((row, i) => {
    report.read++;
    const out: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const name of names) {
      const c = cell(known[name] ?? 'text', row[name], mapping);
      if ('problem' in c) {
        problems.push(`${name}: ${c.problem}`);
        out[name] = null;
      } else out[name] = c.value;
    }
    const missing = REQUIRED_COLUMNS[table].filter((c) => out[c] === null || out[c] === undefined);
    if (missing.length > 0) {
      reject(report, sources[i] ?? `row ${i + 1}`, `no ${missing.join(', ')}${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`);
      return;
    }
    if (problems.length > 0 && table !== 'observations') {
      reject(report, sources[i] ?? `row ${i + 1}`, problems.join('; '));
      return;
    }
    report.kept++;
    kept.push(out);
    flags.push(problems.length === 0 ? null : problems.join('; '));
  });
  const columns: Record<string, Vector> = {};
  for (const name of names) columns[name] = vectorFromArray(kept.map((r) => r[name] ?? null) as never[], ARROW_TYPE[known[name] ?? 'text']());
  if (table === 'observations' && !names.includes('set_flags')) columns.set_flags = vectorFromArray(flags, new Utf8());
  return new Table(columns);
}

/**
 * A table with no rows and every stated column of `table` in its stated type: what an input without rows reads as,
 * so an empty input still gives a valid file with the score columns (never 0 bytes).
 */
export function emptyTable(table: TableName): Table {
  const columns: Record<string, Vector> = {};
  for (const [name, type] of Object.entries(KNOWN_COLUMNS[table])) columns[name] = vectorFromArray([] as never[], ARROW_TYPE[type]());
  return new Table(columns);
}
