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
import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import type { AssembleReport } from '../ingest/assemble.js';
import { assembleSets } from '../ingest/assemble.js';
import { canonicalRow, REQUIRED_COLUMNS, sourceColumn, typedTable } from '../ingest/canonical-tables.js';
import type { Mapping, TableName } from '../ingest/mapping.js';
import { mappingFor, resolveMapping } from '../ingest/mapping.js';
import type { IngestReport, Measurement } from '../ingest/measurements.js';
import { fromFhirObservation, fromLongRow, ingestReport, reject, unknownEncounter } from '../ingest/measurements.js';
import type { CohortTables } from '../../validation/study/options.js';
import type { Rows, TableReader } from './readers/reader.js';
import { readerFor } from './readers/registry.js';

export type { ExtractFormat, Rows } from './readers/reader.js';
export { formatOf } from './readers/registry.js';

const BATCH = 10_000;

/**
 * The rows of a table file (CSV, Parquet, Arrow) under canonical names, in batches of about `size` (Arrow keeps its
 * own), from the reader of its format.
 */
export async function* tabularRows(
  path: string,
  reader: TableReader,
  table: TableName,
  mapping: Mapping,
  report: IngestReport,
  strict: boolean,
  size = BATCH,
): AsyncGenerator<Rows> {
  for await (const b of reader.read(path, { mapping, report, strict, size }))
    yield {
      rows: b.rows.map((r) => canonicalRow(mapping, table, r)),
      sources: b.sources,
      ...(b.columns === undefined ? {} : { columns: Object.keys(canonicalRow(mapping, table, Object.fromEntries(b.columns.map((c) => [c, null])))) }),
    };
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
  const reader = readerFor(path);
  const ingest = ingestReport(options.keepRejections === true);
  const measurements: Measurement[] = [];
  if (reader.holds === 'fhir') {
    for await (const batch of reader.read(path, { mapping, report: ingest, strict, size: BATCH }))
      batch.resources.forEach((resource, i) =>
        measurements.push(...fromFhirObservation(resource, batch.sources[i] ?? '', mapping, ingest, options.encounters)),
      );
    const { table, report } = assembleSets(measurements, mapping.assemble, options.keepRejections === true);
    return { table, ingest, assembly: report };
  }
  const wide: Record<string, unknown>[] = [];
  const wideSources: string[] = [];
  let long: boolean | null = null;
  for await (const batch of tabularRows(path, reader, 'observations', mapping, ingest, strict)) {
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
  const reader = readerFor(path);
  if (reader.holds === 'fhir') throw new Error(`read: ${table} from FHIR is not supported; give a CSV, Parquet or Arrow file ("${path}")`);
  const ingest = ingestReport(options.keepRejections === true);
  let all: Rows = { rows: [], sources: [] };
  let checked = false;
  for await (const b of tabularRows(path, reader, table, mapping, ingest, options.strict === true)) {
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
