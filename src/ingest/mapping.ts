/**
 * The mapping file (`--map mapping.json`, schema `ewskit.mapping/1`): how a site's extract says what ewskit reads —
 * local codes for the canonical fields, the column names of each table, how times and decimals are written, and how
 * measurements are assembled into sets. Checked whole, with every problem named by its path; nothing in it is
 * guessed from the data. With no file, the built-in LOINC and SNOMED codes and the canonical column names apply.
 */
import type { CodeRule, MeasuredField } from './codes.js';
import { BUILT_IN_CODES, codeKey, MEASURED_FIELDS } from './codes.js';
import { isCalendarDate } from '../../scores/definition/calendar.js';

/** How times are written. `naive`: what a time without a zone or offset means (default: rejected). */
export interface TimeFormat {
  readonly format: 'iso' | 'dmy' | 'mdy' | 'epoch-ms' | 'epoch-s';
  readonly naive: 'reject' | 'utc';
}

/** How measurements become observation sets (see `assembleSets`). */
export interface AssembleOptions {
  /** Measurements of one encounter charted within this many minutes of a set's first belong to it (default 5). */
  readonly windowMinutes?: number;
  /** Per field, how old (minutes) a value of the same encounter may be to fill a gap in a later set (default: none). */
  readonly maxAgeMinutes?: Readonly<Partial<Record<MeasuredField, number>>>;
  /** The time a set is stamped with: its first measurement's (default) or its last's. */
  readonly anchor?: 'first' | 'last';
}

/** The tables a cohort is made of. */
export type TableName = 'observations' | 'events' | 'patients' | 'encounters';

/** A checked mapping. */
export interface Mapping {
  /** Codes by `system|code`, and by bare code (rows that carry no system). */
  readonly codes: ReadonlyMap<string, CodeRule & { readonly unit?: string }>;
  /** Per table, canonical column name → the file's column name. */
  readonly columns: Readonly<Record<TableName, Readonly<Record<string, string>>>>;
  readonly time: TimeFormat;
  readonly csv: CsvFormat;
  readonly assemble: AssembleOptions;
  /** Per table, its own time and CSV format (the global ones where the file states none); see `mappingFor`. */
  readonly tables: Readonly<Record<TableName, { readonly time: TimeFormat; readonly csv: CsvFormat }>>;
}

/** How a CSV file separates fields and writes decimals. */
export interface CsvFormat {
  readonly delimiter: string;
  readonly decimal: '.' | ',';
}

/**
 * The mapping as one table reads it: that table's time and CSV format (a FHIR export with ISO times beside dd/mm CSV
 * files, `;`-files beside `,`-files), everything else shared.
 *
 * @example mappingFor(resolveMapping({ tables: { events: { time: { format: 'dmy' } } } }), 'events').time.format; // => 'dmy'
 */
export function mappingFor(mapping: Mapping, table: TableName): Mapping {
  const own = mapping.tables[table];
  return own === undefined ? mapping : { ...mapping, time: own.time, csv: own.csv };
}

/** The mapping file as written. */
export interface MappingFile {
  readonly schema?: string;
  readonly codes?: readonly {
    readonly system?: string;
    readonly code: string;
    readonly field: MeasuredField;
    /** The unit of values charted without one (UCUM). */
    readonly unit?: string;
    /** Coded or text values → the field's value (e.g. { "88-92 %": 2 } for a target-range order → spo2_scale). */
    readonly values?: Readonly<Record<string, string | number | boolean>>;
  }[];
  readonly columns?: Readonly<Partial<Record<TableName, Readonly<Record<string, string>>>>>;
  readonly time?: Partial<TimeFormat>;
  readonly csv?: { readonly delimiter?: string; readonly decimal?: '.' | ',' };
  readonly assemble?: AssembleOptions;
  /** Per table, a time format and CSV format of its own (each field defaults to the global one). */
  readonly tables?: Readonly<
    Partial<Record<TableName, { readonly time?: Partial<TimeFormat>; readonly csv?: { readonly delimiter?: string; readonly decimal?: '.' | ',' } }>>
  >;
}

export const MAPPING_SCHEMA = 'ewskit.mapping/1';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const show = (x: unknown): string => JSON.stringify(x) ?? String(x);

type Need = (ok: boolean, path: string, expected: string, got: unknown) => void;

function checkTime(time: unknown, path: string, need: Need): void {
  if (time === undefined) return;
  if (!isObject(time)) return need(false, path, 'an object', time);
  if (time.format !== undefined)
    need(['iso', 'dmy', 'mdy', 'epoch-ms', 'epoch-s'].includes(String(time.format)), `${path}.format`, 'iso, dmy, mdy, epoch-ms or epoch-s', time.format);
  if (time.naive !== undefined) need(time.naive === 'reject' || time.naive === 'utc', `${path}.naive`, '"reject" or "utc"', time.naive);
}

function checkCsv(csv: unknown, path: string, need: Need, problems: string[]): void {
  if (csv === undefined) return;
  if (!isObject(csv)) return need(false, path, 'an object', csv);
  if (csv.delimiter !== undefined) need(typeof csv.delimiter === 'string' && csv.delimiter.length === 1, `${path}.delimiter`, 'one character', csv.delimiter);
  if (csv.decimal !== undefined) need(csv.decimal === '.' || csv.decimal === ',', `${path}.decimal`, '"." or ","', csv.decimal);
  if (csv.decimal === ',' && (csv.delimiter ?? ',') === ',') problems.push(`${path}: a decimal comma needs another delimiter (e.g. ";")`);
}

/** Every problem of a parsed mapping file, each named by its path; empty when it is sound. */
export function checkMapping(json: unknown): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, path: string, expected: string, got: unknown) => {
    if (!ok) problems.push(`${path}: expected ${expected}; received ${show(got)}`);
  };
  if (!isObject(json)) return [`$: expected an object; received ${show(json)}`];
  const known = ['schema', 'codes', 'columns', 'time', 'csv', 'assemble', 'tables'];
  for (const k of Object.keys(json)) if (!known.includes(k)) problems.push(`$.${k}: unknown key (expected ${known.join(', ')})`);
  if (json.schema !== undefined) need(json.schema === MAPPING_SCHEMA, '$.schema', `"${MAPPING_SCHEMA}"`, json.schema);
  if (json.codes !== undefined) {
    if (!Array.isArray(json.codes)) need(false, '$.codes', 'an array', json.codes);
    else
      json.codes.forEach((c: unknown, i: number) => {
        const p = `$.codes[${i}]`;
        if (!isObject(c)) return need(false, p, 'an object { code, field, … }', c);
        need(typeof c.code === 'string' && c.code !== '', `${p}.code`, 'a non-empty string', c.code);
        need(
          typeof c.field === 'string' && (MEASURED_FIELDS as readonly string[]).includes(c.field),
          `${p}.field`,
          `one of ${MEASURED_FIELDS.join(', ')}`,
          c.field,
        );
        if (c.system !== undefined) need(typeof c.system === 'string', `${p}.system`, 'a string', c.system);
        if (c.unit !== undefined) need(typeof c.unit === 'string', `${p}.unit`, 'a UCUM unit string', c.unit);
        if (c.values !== undefined)
          need(
            isObject(c.values) && Object.values(c.values).every((v) => ['string', 'number', 'boolean'].includes(typeof v)),
            `${p}.values`,
            'an object of code → value',
            c.values,
          );
        return undefined;
      });
  }
  if (json.columns !== undefined) {
    if (!isObject(json.columns)) need(false, '$.columns', 'an object per table', json.columns);
    else
      for (const [t, cols] of Object.entries(json.columns)) {
        if (!['observations', 'events', 'patients', 'encounters'].includes(t))
          problems.push(`$.columns.${t}: unknown table (expected observations, events, patients, encounters)`);
        else
          need(isObject(cols) && Object.values(cols).every((v) => typeof v === 'string'), `$.columns.${t}`, 'an object of canonical name → column name', cols);
      }
  }
  checkTime(json.time, '$.time', need);
  checkCsv(json.csv, '$.csv', need, problems);
  if (json.tables !== undefined) {
    if (!isObject(json.tables)) need(false, '$.tables', 'an object per table', json.tables);
    else
      for (const [t, own] of Object.entries(json.tables)) {
        if (!['observations', 'events', 'patients', 'encounters'].includes(t)) {
          problems.push(`$.tables.${t}: unknown table (expected observations, events, patients, encounters)`);
          continue;
        }
        if (!isObject(own)) {
          need(false, `$.tables.${t}`, 'an object { time, csv }', own);
          continue;
        }
        for (const k of Object.keys(own)) if (k !== 'time' && k !== 'csv') problems.push(`$.tables.${t}.${k}: unknown key (expected time, csv)`);
        checkTime(own.time, `$.tables.${t}.time`, need);
        const csv = isObject(own.csv) && isObject(json.csv) ? { ...json.csv, ...own.csv } : own.csv;
        checkCsv(csv, `$.tables.${t}.csv`, need, problems);
      }
  }
  if (json.assemble !== undefined) {
    const a = json.assemble;
    if (!isObject(a)) need(false, '$.assemble', 'an object', a);
    else {
      if (a.windowMinutes !== undefined)
        need(typeof a.windowMinutes === 'number' && a.windowMinutes >= 0, '$.assemble.windowMinutes', 'a number of minutes ≥ 0', a.windowMinutes);
      if (a.anchor !== undefined) need(a.anchor === 'first' || a.anchor === 'last', '$.assemble.anchor', '"first" or "last"', a.anchor);
      if (a.maxAgeMinutes !== undefined) {
        if (!isObject(a.maxAgeMinutes)) need(false, '$.assemble.maxAgeMinutes', 'an object of field → minutes', a.maxAgeMinutes);
        else
          for (const [f, v] of Object.entries(a.maxAgeMinutes)) {
            need((MEASURED_FIELDS as readonly string[]).includes(f), `$.assemble.maxAgeMinutes.${f}`, `a field (${MEASURED_FIELDS.join(', ')})`, f);
            need(typeof v === 'number' && v >= 0, `$.assemble.maxAgeMinutes.${f}`, 'a number of minutes ≥ 0', v);
          }
      }
    }
  }
  return problems;
}

/**
 * A checked mapping from a parsed file (or the defaults, for none).
 *
 * @throws {Error} listing every problem of the file by path
 */
export function resolveMapping(json: unknown = {}): Mapping {
  const problems = checkMapping(json);
  if (problems.length > 0) throw new Error(`mapping: ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const file = json as MappingFile;
  const codes = new Map<string, CodeRule & { unit?: string }>();
  for (const [key, rule] of BUILT_IN_CODES) {
    codes.set(key, rule);
    codes.set(key.slice(key.indexOf('|') + 1), rule);
  }
  for (const c of file.codes ?? []) {
    const rule: CodeRule & { unit?: string } =
      c.values !== undefined
        ? { kind: 'coded', field: c.field, values: c.values, ...(c.unit === undefined ? {} : { unit: c.unit }) }
        : { kind: 'quantity', field: c.field, ...(c.unit === undefined ? {} : { unit: c.unit }) };
    codes.set(c.system === undefined ? c.code : codeKey(c.system, c.code), rule);
    if (c.system !== undefined) codes.set(c.code, rule);
  }
  const columns = file.columns ?? {};
  const time: TimeFormat = { format: file.time?.format ?? 'iso', naive: file.time?.naive ?? 'reject' };
  const csv: CsvFormat = { delimiter: file.csv?.delimiter ?? ',', decimal: file.csv?.decimal ?? '.' };
  const own = (t: TableName) => ({ time: { ...time, ...file.tables?.[t]?.time }, csv: { ...csv, ...file.tables?.[t]?.csv } });
  return {
    codes,
    columns: { observations: columns.observations ?? {}, events: columns.events ?? {}, patients: columns.patients ?? {}, encounters: columns.encounters ?? {} },
    time,
    csv,
    assemble: file.assemble ?? {},
    tables: { observations: own('observations'), events: own('events'), patients: own('patients'), encounters: own('encounters') },
  };
}

const ISO_ZONE = /(Z|[+-]\d\d:?\d\d)$/i;

/**
 * A time as epoch milliseconds, read by the stated format, or why it cannot be. A time without a zone is rejected
 * unless the mapping says naive times are UTC. Runs in O(length).
 */
export function parseTime(text: unknown, t: TimeFormat): number | { problem: string } {
  if (typeof text === 'number') {
    if (t.format === 'epoch-ms') return text;
    if (t.format === 'epoch-s') return text * 1000;
    return { problem: `a number ${text} where a ${t.format} time was expected` };
  }
  if (text instanceof Date) return text.getTime();
  if (typeof text !== 'string' || text.trim() === '') return { problem: 'no time' };
  const s = text.trim();
  if (t.format === 'epoch-ms' || t.format === 'epoch-s') {
    const n = Number(s);
    return Number.isFinite(n)
      ? n * (t.format === 'epoch-s' ? 1000 : 1)
      : { problem: `"${s}" is not an epoch ${t.format === 'epoch-s' ? 'second' : 'millisecond'} count` };
  }
  let iso = s;
  if (t.format === 'dmy' || t.format === 'mdy') {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
    if (m === null) return { problem: `"${s}" is not a ${t.format === 'dmy' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'} [hh:mm[:ss]] time` };
    const [day, month] = t.format === 'dmy' ? [m[1], m[2]] : [m[2], m[1]];
    const pad = (x: string | undefined, d = '00') => (x ?? d).padStart(2, '0');
    iso = `${m[3]}-${pad(month)}-${pad(day)}T${pad(m[4])}:${pad(m[5])}:${pad(m[6])}`;
  } else if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/i.test(s)) return { problem: `"${s}" is not an ISO 8601 time` };
  if (!ISO_ZONE.test(iso)) {
    if (t.naive === 'reject') return { problem: `"${s}" has no time zone (say "time": { "naive": "utc" } in the mapping if times are UTC)` };
    iso = `${iso.replace(' ', 'T')}${iso.includes('T') || iso.includes(' ') ? '' : 'T00:00:00'}Z`;
  }
  // A calendar date and a clock time that exist: 31/02 or 2024-02-30 is rejected, never rolled into March.
  const parts = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?/.exec(iso);
  if (parts !== null) {
    const [y, mo, d, h, mi, se] = parts.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number, number, number];
    if (!isCalendarDate(y, mo, d)) return { problem: `"${s}" is not a date on the calendar (${y}-${String(mo).padStart(2, '0')} has no day ${d})` };
    if (h > 23 || mi > 59 || se > 59) return { problem: `"${s}" is not a time of day` };
  }
  const ms = Date.parse(iso.replace(' ', 'T'));
  return Number.isNaN(ms) ? { problem: `"${s}" is not a valid time` } : ms;
}

/** A number written with the stated decimal mark, or why not ("37,5" with a "." mark is not guessed). */
export function parseNumber(text: unknown, decimal: '.' | ','): number | { problem: string } {
  if (typeof text === 'number') return Number.isFinite(text) ? text : { problem: `${text} is not a finite number` };
  if (typeof text !== 'string' || text.trim() === '') return { problem: 'no value' };
  const s = text.trim();
  const normal = decimal === ',' ? s.replace(',', '.') : s;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(normal))
    return {
      problem: `"${s}" is not a number${decimal === '.' && /^\d+,\d+$/.test(s) ? ' (a decimal comma? say "csv": { "decimal": "," } in the mapping)' : ''}`,
    };
  return Number(normal);
}
