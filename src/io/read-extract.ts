/**
 * Reading a real extract: FHIR R4 (Bulk Data NDJSON — a file or a folder of `Observation*.ndjson` — or a Bundle), CSV
 * (csv-parse, streaming), Parquet (hyparquet, pure JavaScript) and Arrow IPC (file or stream). Every reader goes
 * through its file in batches, counts the rows it read, kept and rejected, and names each rejection by file and line
 * (a malformed NDJSON line, a CSV line with the wrong number of fields, a value that does not parse, an unknown code
 * or unit) without stopping — unless `strict` asks it to stop at the first. A missing required column stops the
 * file at once, naming the column and the columns found.
 *
 * Observations come as wide sets (the canonical columns) or as long measurements (a `code` column, or FHIR), which
 * `assembleSets` turns into sets.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { DataType, RecordBatchReader } from 'apache-arrow';
import type { RecordBatch, Table } from 'apache-arrow';
import { parse } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { AssembleReport } from '../ingest/assemble.js';
import { assembleSets } from '../ingest/assemble.js';
import { canonicalRow, REQUIRED_COLUMNS, sourceColumn, typedTable } from '../ingest/columns.js';
import type { Mapping, TableName } from '../ingest/mapping.js';
import { mappingFor, resolveMapping } from '../ingest/mapping.js';
import type { IngestReport, Measurement } from '../ingest/measurements.js';
import { fromFhirObservation, fromLongRow, ingestReport, reject, unknownEncounter } from '../ingest/measurements.js';
import type { CohortTables } from '../../validation/study/options.js';

/** The formats ewskit reads. */
export type ExtractFormat = 'fhir-ndjson' | 'fhir-bundle' | 'csv' | 'parquet' | 'arrow';

/** The format of a path, from its extension (a folder is a FHIR Bulk Data export). */
export function formatOf(path: string): ExtractFormat {
  if (existsSync(path) && statSync(path).isDirectory()) return 'fhir-ndjson';
  const ext = extname(path).toLowerCase();
  if (ext === '.ndjson' || ext === '.jsonl') return 'fhir-ndjson';
  if (ext === '.json') return 'fhir-bundle';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.arrow' || ext === '.arrows' || ext === '.feather' || ext === '.ipc') return 'arrow';
  throw new Error(
    `read: cannot tell the format of "${path}" from its extension (expected .ndjson, .json, .csv, .parquet or .arrow, or a folder of NDJSON files)`,
  );
}

/** A batch of rows, each with where it came from. */
export interface Rows {
  readonly rows: Record<string, unknown>[];
  readonly sources: string[];
  /** The file's columns, when the format states them apart from its rows (an Arrow schema: known with zero rows). */
  readonly columns?: readonly string[];
}

const BATCH = 10_000;

/** Rows of a CSV file in batches; a malformed line is rejected with its number, the rest read on. */
async function* csvRows(path: string, mapping: Mapping, report: IngestReport, strict: boolean, size: number): AsyncGenerator<Rows> {
  const name = basename(path);
  const skipped: { line: number; message: string }[] = [];
  const parser = createReadStream(path).pipe(
    parse({
      columns: true,
      bom: true,
      delimiter: extname(path).toLowerCase() === '.tsv' ? '\t' : mapping.csv.delimiter,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: !strict,
      on_skip: (err: { lines?: number; message: string } | undefined) => {
        if (err !== undefined) skipped.push({ line: err.lines ?? 0, message: err.message });
      },
    }),
  );
  let batch: Rows = { rows: [], sources: [] };
  for await (const r of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    for (const s of skipped.splice(0)) (report.read++, reject(report, `${name} line ${s.line}`, `malformed CSV: ${s.message}`));
    batch.rows.push(r.record);
    batch.sources.push(`${name} line ${r.info.lines}`);
    if (batch.rows.length >= size) {
      yield batch;
      batch = { rows: [], sources: [] };
    }
  }
  for (const s of skipped.splice(0)) (report.read++, reject(report, `${name} line ${s.line}`, `malformed CSV: ${s.message}`));
  if (batch.rows.length > 0) yield batch;
}

/** Rows of a Parquet file, a row group's worth at a time. */
async function* parquetRows(path: string, size: number): AsyncGenerator<Rows> {
  const name = basename(path);
  const file = await asyncBufferFromFile(path);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new Error(
      `read: "${path}" is not a readable Parquet file (${file.byteLength === 0 ? 'it is empty, 0 bytes' : 'truncated, or not Parquet'}: ${(e as Error).message})`,
    );
  }
  const total = Number(metadata.num_rows);
  for (let start = 0; start < total; start += size) {
    const end = Math.min(total, start + size);
    const rows = (await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end, compressors })) as Record<string, unknown>[];
    yield { rows, sources: rows.map((_, i) => `${name} row ${start + i + 1}`) };
  }
}

/** Rows of an Arrow IPC file or stream, batch by batch (times as epoch milliseconds). */
async function* arrowRows(path: string): AsyncGenerator<Rows> {
  const name = basename(path);
  const unreadable = (e: unknown) =>
    new Error(
      `read: "${path}" is not a readable Arrow IPC file (${statSync(path).size === 0 ? 'it is empty, 0 bytes' : 'truncated, or not Arrow'}: ${(e as Error).message})`,
    );
  let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
  try {
    reader = await (await RecordBatchReader.from(createReadStream(path))).open();
    if (reader.schema === null || reader.schema === undefined) throw new Error('no schema');
  } catch (e) {
    throw unreadable(e);
  }
  let at = 0;
  const batches = reader[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<RecordBatch>;
    try {
      next = await batches.next();
    } catch (e) {
      throw unreadable(e);
    }
    if (next.done === true) break;
    const batch = next.value;
    const fields = batch.schema.fields.map((f) => f.name);
    // Times and dates are read by their Arrow type (as instants), never through the mapping's text time format.
    const instant = new Set(batch.schema.fields.filter((f) => DataType.isTimestamp(f.type) || DataType.isDate(f.type)).map((f) => f.name));
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < batch.numRows; i++) {
      const row: Record<string, unknown> = {};
      for (const f of fields) {
        const v = batch.getChild(f)?.get(i) ?? null;
        const n = typeof v === 'bigint' ? Number(v) : v;
        row[f] = instant.has(f) && typeof n === 'number' ? new Date(n) : n;
      }
      rows.push(row);
    }
    yield { rows, sources: rows.map((_, i) => `${name} row ${at + i + 1}`), columns: fields };
    at += batch.numRows;
  }
}

/** The rows of a tabular file (CSV, Parquet, Arrow), canonical names, in batches of about `size` (Arrow keeps its own). */
export async function* tabularRows(
  path: string,
  format: ExtractFormat,
  table: TableName,
  mapping: Mapping,
  report: IngestReport,
  strict: boolean,
  size = BATCH,
): AsyncGenerator<Rows> {
  const source = format === 'csv' ? csvRows(path, mapping, report, strict, size) : format === 'parquet' ? parquetRows(path, size) : arrowRows(path);
  for await (const b of source)
    yield {
      rows: b.rows.map((r) => canonicalRow(mapping, table, r)),
      sources: b.sources,
      ...(b.columns === undefined ? {} : { columns: Object.keys(canonicalRow(mapping, table, Object.fromEntries(b.columns.map((c) => [c, null])))) }),
    };
}

/** The FHIR resources of an NDJSON file, a folder of them, or a Bundle, one at a time with where each was. */
async function* fhirResources(
  path: string,
  format: ExtractFormat,
  report: IngestReport,
  strict: boolean,
): AsyncGenerator<{ resource: unknown; source: string }> {
  if (format === 'fhir-bundle') {
    const name = basename(path);
    let bundle: { resourceType?: string; entry?: { resource?: unknown }[] };
    try {
      bundle = JSON.parse(readFileSync(path, 'utf8')) as typeof bundle;
    } catch (e) {
      throw new Error(`read: "${path}" is not JSON${statSync(path).size === 0 ? ' (it is empty, 0 bytes)' : ''}: ${(e as Error).message}`);
    }
    if (bundle.resourceType !== 'Bundle') throw new Error(`read: "${path}" is not a FHIR Bundle (resourceType ${JSON.stringify(bundle.resourceType)})`);
    for (const [i, e] of (bundle.entry ?? []).entries()) yield { resource: e.resource, source: `${name} entry ${i}` };
    return;
  }
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => /^Observation.*\.ndjson$/i.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) throw new Error(`read: the folder "${path}" has no Observation*.ndjson file (a FHIR Bulk Data export)`);
  for (const file of files) {
    const name = basename(file);
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      let resource: unknown;
      try {
        resource = JSON.parse(text);
      } catch (e) {
        report.read++;
        reject(report, `${name} line ${line}`, `not JSON: ${(e as Error).message}`);
        if (strict) throw new Error(`read: ${name} line ${line} is not JSON (${(e as Error).message})`);
        continue;
      }
      yield { resource, source: `${name} line ${line}` };
    }
  }
}

/** What reading the observations did. */
export interface ObservationsRead {
  readonly table: Table;
  /** Rows (or resources) read, kept and rejected, with reasons. */
  readonly ingest: IngestReport;
  /** How measurements became sets (null for wide input, which is sets already). */
  readonly assembly: AssembleReport | null;
}

/** Check that a file has the columns a table needs, naming what it found. */
function needColumns(path: string, table: TableName, have: readonly string[], needed: readonly string[], mapping: Mapping): void {
  const missing = needed.filter((c) => !have.includes(c));
  if (missing.length === 0) return;
  const first = missing[0] ?? '';
  throw new Error(
    `read: "${path}" (${table}) has no column ${missing.map((c) => `"${sourceColumn(mapping, table, c)}"`).join(', ')}; its columns are ${have.map((h) => `"${h}"`).join(', ')}. ` +
      `If yours has another name, say so in the mapping: "columns": { "${table}": { "${first}": "your column" } }`,
  );
}

/** Options of the readers. */
export interface ReadOptions {
  readonly mapping?: Mapping;
  /** Stop at the first malformed record instead of rejecting it and reading on. */
  readonly strict?: boolean;
  /** The ids of the encounters table, when one is given: a record of any other encounter is rejected by name. */
  readonly encounters?: ReadonlySet<string>;
  /** Keep every rejection in the reading report's `all` (for a rejects file), not only the first 1000. */
  readonly keepRejections?: boolean;
}

/** Rows (and their places) of known encounters only; each other row is counted read and rejected by name. */
function ofKnownEncounters(rows: Rows, encounters: ReadonlySet<string> | undefined, report: IngestReport): Rows {
  if (encounters === undefined) return rows;
  const kept: Rows = { rows: [], sources: [] };
  rows.rows.forEach((r, i) => {
    const e = r.encounter_id;
    if (e !== null && e !== undefined && e !== '' && !encounters.has(String(e))) {
      report.read++;
      reject(report, rows.sources[i] ?? '', unknownEncounter(String(e)));
      return;
    }
    kept.rows.push(r);
    kept.sources.push(rows.sources[i] ?? '');
  });
  return kept;
}

/**
 * One row per key: a repeated key whose row is identical is counted once (the later rejected as a duplicate); a
 * repeated key with different values stops the run, naming the key and both rows — the later row never silently wins
 * (a patient moved between ethnic groups, an encounter with two ages).
 */
function oneRowPerKey(path: string, table: TableName, key: string, rows: Rows, report: IngestReport): Rows {
  const first = new Map<string, number>();
  const kept: Rows = { rows: [], sources: [] };
  rows.rows.forEach((r, i) => {
    const k = r[key];
    const id = k === null || k === undefined ? null : String(k);
    const at = id === null ? undefined : first.get(id);
    if (at === undefined) {
      if (id !== null) first.set(id, kept.rows.length);
      kept.rows.push(r);
      kept.sources.push(rows.sources[i] ?? '');
      return;
    }
    const earlier = kept.rows[at] ?? {};
    const columns = [...new Set([...Object.keys(earlier), ...Object.keys(r)])];
    const differ = columns.filter((c) => String(earlier[c] ?? '') !== String(r[c] ?? ''));
    if (differ.length > 0)
      throw new Error(
        `read: "${path}" (${table}) has ${key} "${id}" twice with different values — ${kept.sources[at]} and ${rows.sources[i]} differ in ${differ
          .map((c) => `${c} (${JSON.stringify(earlier[c] ?? null)} vs ${JSON.stringify(r[c] ?? null)})`)
          .join(', ')}; ewskit will not choose one: correct the extract`,
      );
    report.read++;
    reject(report, rows.sources[i] ?? '', `duplicate of ${kept.sources[at]} (the same values), counted once`);
  });
  return kept;
}

/**
 * Observation sets from any supported file: FHIR (assembled into sets), a long table (a `code` column: assembled),
 * or a wide table in the canonical columns.
 *
 * @example const { table, ingest } = await readObservations('Observation.ndjson');
 */
export async function readObservations(path: string, options: ReadOptions = {}): Promise<ObservationsRead> {
  const mapping = mappingFor(options.mapping ?? resolveMapping(), 'observations');
  const strict = options.strict === true;
  const format = formatOf(path);
  const ingest = ingestReport(options.keepRejections === true);
  const measurements: Measurement[] = [];
  if (format === 'fhir-ndjson' || format === 'fhir-bundle') {
    for await (const { resource, source } of fhirResources(path, format, ingest, strict))
      measurements.push(...fromFhirObservation(resource, source, mapping, ingest, options.encounters));
    const { table, report } = assembleSets(measurements, mapping.assemble, options.keepRejections === true);
    return { table, ingest, assembly: report };
  }
  const wide: Record<string, unknown>[] = [];
  const wideSources: string[] = [];
  let long: boolean | null = null;
  for await (const batch of tabularRows(path, format, 'observations', mapping, ingest, strict)) {
    if (long === null) {
      const have = batch.columns ?? Object.keys(batch.rows[0] ?? {});
      long = have.includes('code');
      needColumns(path, 'observations', have, long ? ['encounter_id', 'observed_at', 'code', 'value'] : REQUIRED_COLUMNS.observations, mapping);
    }
    if (long) {
      batch.rows.forEach((r, i) => {
        const m = fromLongRow(
          {
            patient: r.patient_id,
            encounter: r.encounter_id,
            time: r.observed_at instanceof Date ? r.observed_at.toISOString() : r.observed_at,
            system: r.system,
            code: r.code,
            value: r.value,
            unit: r.unit,
          },
          batch.sources[i] ?? '',
          mapping,
          ingest,
          options.encounters,
        );
        if (m !== null) measurements.push(m);
      });
    } else {
      const known = ofKnownEncounters(batch, options.encounters, ingest);
      wide.push(...known.rows);
      wideSources.push(...known.sources);
    }
  }
  if (long === true) {
    const { table, report } = assembleSets(measurements, mapping.assemble, options.keepRejections === true);
    return { table, ingest, assembly: report };
  }
  return { table: typedTable('observations', wide, wideSources, mapping, ingest), ingest, assembly: null };
}

/**
 * Another table of the cohort (events, patients, encounters) from CSV, Parquet or Arrow, typed by the stated schema.
 */
export async function readExtractTable(path: string, table: TableName, options: ReadOptions = {}): Promise<{ table: Table; ingest: IngestReport }> {
  const mapping = mappingFor(options.mapping ?? resolveMapping(), table);
  const format = formatOf(path);
  if (format === 'fhir-ndjson' || format === 'fhir-bundle')
    throw new Error(`read: ${table} from FHIR is not supported; give a CSV, Parquet or Arrow file ("${path}")`);
  const ingest = ingestReport(options.keepRejections === true);
  let all: Rows = { rows: [], sources: [] };
  let checked = false;
  for await (const b of tabularRows(path, format, table, mapping, ingest, options.strict === true)) {
    if (!checked) needColumns(path, table, b.columns ?? Object.keys(b.rows[0] ?? {}), REQUIRED_COLUMNS[table], mapping);
    checked = true;
    const known = table === 'events' ? ofKnownEncounters(b, options.encounters, ingest) : b;
    all.rows.push(...known.rows);
    all.sources.push(...known.sources);
  }
  if (table === 'patients') all = oneRowPerKey(path, table, 'patient_id', all, ingest);
  if (table === 'encounters') all = oneRowPerKey(path, table, 'encounter_id', all, ingest);
  return { table: typedTable(table, all.rows, all.sources, mapping, ingest), ingest };
}

/** The files of a cohort brought by the user. */
export interface ExtractFiles {
  readonly observations: string;
  readonly events: string;
  readonly patients?: string;
  readonly encounters?: string;
  /** A mapping file (JSON, `ewskit.mapping/1`). */
  readonly map?: string;
}

/** A cohort read from files, with what each reader did. */
export interface ExtractCohort extends CohortTables {
  readonly reading: Readonly<Record<string, IngestReport>>;
  readonly assembly: AssembleReport | null;
}

/**
 * A cohort from the user's own files, ready for `validate`.
 *
 * @example validate({ cohort: await readExtract({ observations: 'obs.parquet', events: 'events.csv' }), scores: [news2] });
 */
export async function readExtract(files: ExtractFiles, options: { strict?: boolean; keepRejections?: boolean } = {}): Promise<ExtractCohort> {
  let mapping: Mapping;
  if (files.map === undefined) mapping = resolveMapping();
  else {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(files.map, 'utf8'));
    } catch (e) {
      throw new Error(`read: the mapping file "${files.map}" is not JSON (${(e as Error).message})`);
    }
    mapping = resolveMapping(json);
  }
  const strict = options.strict === true;
  const o = { mapping, strict, keepRejections: options.keepRejections === true };
  // --strict: stop at the first rejected record or flagged value of any kind, with its place.
  const checked = <T extends { ingest: IngestReport }>(read: T, path: string, table: TableName): T => {
    if (!strict) return read;
    const first = read.ingest.examples[0];
    if (first !== undefined) throw new Error(`read: --strict stops at the first rejected record: ${first.source} (${table}, "${path}"): ${first.reason}`);
    return read;
  };
  // The encounters table first: with one, a measurement, set or event of any other encounter is rejected by name.
  const encounters = files.encounters === undefined ? null : checked(await readExtractTable(files.encounters, 'encounters', o), files.encounters, 'encounters');
  const ids = encounters === null ? undefined : new Set<string>(Array.from(encounters.table.getChild('encounter_id') ?? [], (v) => String(v)));
  const withIds = ids === undefined ? o : { ...o, encounters: ids };
  const patients = files.patients === undefined ? null : checked(await readExtractTable(files.patients, 'patients', o), files.patients, 'patients');
  const observations = checked(await readObservations(files.observations, withIds), files.observations, 'observations');
  if (strict) {
    // A wide extract keeps a cell that does not parse as null and flags its set: under --strict that stops too.
    const flags = observations.table.getChild('set_flags');
    const at = flags === null ? -1 : Array.from(flags).findIndex((f) => f !== null);
    if (at >= 0) throw new Error(`read: --strict stops at the first flagged value: set ${at + 1} of "${files.observations}": ${String(flags?.get(at))}`);
  }
  const events = checked(await readExtractTable(files.events, 'events', withIds), files.events, 'events');
  return {
    observations: observations.table,
    events: events.table,
    ...(patients === null ? {} : { patients: patients.table }),
    ...(encounters === null ? {} : { encounters: encounters.table }),
    manifest: null,
    reading: {
      observations: observations.ingest,
      events: events.ingest,
      ...(patients === null ? {} : { patients: patients.ingest }),
      ...(encounters === null ? {} : { encounters: encounters.ingest }),
    },
    assembly: observations.assembly,
  };
}
