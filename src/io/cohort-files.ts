/**
 * A synthetic cohort on disk: five tables (`patients`, `encounters`, `observations`, `events`, `truth`) as Arrow IPC
 * files (the default), Parquet or CSV, and a `cohort.json` manifest (which says the format), written batch by batch as
 * the generator streams them, so memory stays bounded whatever the cohort's size.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeDirectoryAtomic } from './temporaries.js';
import type { Table } from 'apache-arrow';
import { RecordBatchFileWriter } from 'apache-arrow';
import type { CohortManifest, CohortOptions, CohortTableName } from '../../validation/cohort/generate.js';
import { COHORT_TABLES, streamCohort } from '../../validation/cohort/generate.js';
import { readArrowFile } from './arrow-file.js';
import type { Sink } from './sinks.js';
import { csvSink, parquetSink } from './sinks.js';

/** How a cohort's tables are stored (`ewskit synth --format`). */
export const COHORT_FORMATS = ['arrow', 'parquet', 'csv'] as const;
export type CohortFormat = (typeof COHORT_FORMATS)[number];

/** The manifest as written to `cohort.json`: the generator's, and the format of the tables beside it. */
export type CohortManifestFile = CohortManifest & { readonly format?: CohortFormat };

const TABLES = COHORT_TABLES;

/**
 * Generate a cohort straight to a directory.
 *
 * @param given the output directory (replaced whole, only once the new cohort is complete; a trailing slash is the same directory)
 * @param options the generator's options
 * @param onProgress called after each batch with the encounters done so far
 * @param format `arrow` (default), `parquet` or `csv`: how the tables are stored
 * @returns the manifest, also written as `cohort.json` (with the format)
 */
export async function writeCohort(
  given: string,
  options: CohortOptions,
  onProgress?: (done: number, total: number) => void,
  format: CohortFormat = 'arrow',
): Promise<CohortManifestFile> {
  if (!(COHORT_FORMATS as readonly string[]).includes(format))
    throw new RangeError(`writeCohort: argument "format" expected 'arrow', 'parquet' or 'csv'; received ${JSON.stringify(format)}.`);
  // `cohort/` and `cohort` are the same directory (a trailing slash would make the temporary names land inside it).
  const target = resolve(given);
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new Error(`writeCohort: "${given}" is a file, not a cohort directory; a file is never replaced by a directory`);
  // The cohort is written whole into a temporary directory beside the target (the manifest last) and renamed into
  // place only when complete: an interrupted or failed run leaves the old cohort, or nothing that looks like one.
  return writeDirectoryAtomic(
    target,
    (dir) => (format === 'arrow' ? writeInto(dir, options, onProgress) : writeSinks(dir, options, format, onProgress)),
    'writeCohort',
  );
}

async function writeInto(dir: string, options: CohortOptions, onProgress?: (done: number, total: number) => void): Promise<CohortManifest> {
  type File = { writer: RecordBatchFileWriter; fd: number; streamed: boolean };
  const files = Object.fromEntries(
    TABLES.map((name) => [name, { writer: new RecordBatchFileWriter(), fd: openSync(join(dir, `${name}.arrow`), 'w'), streamed: false }]),
  ) as Record<CohortTableName, File>;
  // The writer queues its bytes until something reads them; we take them straight to disk after every batch, so
  // no more than one batch is ever held. (That queue is apache-arrow's own; should a later version hide it, the
  // bytes are written, buffered, when the table is finished — correct, only no longer bounded in memory.)
  const drain = (file: File): void => {
    const queued = (file.writer as unknown as { _sink?: { _values?: Uint8Array[] } })._sink?._values;
    if (!Array.isArray(queued)) return;
    file.streamed = true;
    for (const chunk of queued.splice(0)) writeSync(file.fd, chunk);
  };
  const stream = streamCohort(options);
  let step = stream.next();
  while (step.done !== true) {
    const file = files[step.value.table];
    file.writer.write(step.value.batch);
    drain(file);
    if (step.value.table === 'truth') {
      onProgress?.(step.value.encountersDone, options.encounters ?? 1000);
      await new Promise((resolve) => setImmediate(resolve)); // let a terminal show the progress
    }
    step = stream.next();
  }
  const manifest = step.value;
  for (const name of TABLES) {
    const file = files[name];
    if (!file.streamed) {
      file.writer.finish();
      writeSync(file.fd, file.writer.toUint8Array(true));
    } else {
      file.writer.finish();
      drain(file);
    }
    closeSync(file.fd);
  }
  return writeManifest(dir, { ...manifest, format: 'arrow' });
}

function writeManifest(dir: string, manifest: CohortManifestFile): CohortManifestFile {
  writeFileSync(join(dir, 'cohort.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Parquet or CSV: each table through its sink, batch by batch (awaiting the disk between batches). */
async function writeSinks(
  dir: string,
  options: CohortOptions,
  format: 'parquet' | 'csv',
  onProgress?: (done: number, total: number) => void,
): Promise<CohortManifestFile> {
  const sinks = Object.fromEntries(TABLES.map((name) => [name, (format === 'parquet' ? parquetSink : csvSink)(join(dir, `${name}.${format}`))])) as Record<
    CohortTableName,
    Sink
  >;
  const stream = streamCohort(options);
  let step = stream.next();
  try {
    while (step.done !== true) {
      await sinks[step.value.table].write(step.value.batch);
      if (step.value.table === 'truth') onProgress?.(step.value.encountersDone, options.encounters ?? 1000);
      step = stream.next();
    }
  } catch (e) {
    // Every file closed before the caller removes the half-written directory.
    await Promise.allSettled(TABLES.map((name) => sinks[name].close()));
    throw e;
  }
  for (const name of TABLES) await sinks[name].close();
  return writeManifest(dir, { ...step.value, format });
}

/** The format of a cohort directory's tables: from its manifest, else the first table file found. */
export function cohortFormat(dir: string): CohortFormat {
  const format = cohortManifest(dir)?.format;
  if (format !== undefined && (COHORT_FORMATS as readonly string[]).includes(format)) return format;
  return COHORT_FORMATS.find((f) => existsSync(join(dir, `observations.${f}`))) ?? 'arrow';
}

/** A cohort read back from a directory written by {@link writeCohort} (or `ewskit synth`). */
export interface CohortOnDisk {
  readonly patients: Table;
  readonly encounters: Table;
  readonly observations: Table;
  readonly events: Table;
  readonly manifest: CohortManifestFile | null;
}

/**
 * A cohort directory's tables as the files of an extract (observations, events, patients, encounters), so the extract
 * readers can check them value by value (`validate --cohort DIR --strict`).
 */
export function cohortFiles(dir: string): { observations: string; events: string; patients: string; encounters: string } {
  const format = cohortFormat(dir);
  const file = (name: CohortTableName): string => join(dir, `${name}.${format}`);
  return { observations: file('observations'), events: file('events'), patients: file('patients'), encounters: file('encounters') };
}

/**
 * Read a cohort directory of Arrow files: the four tables a study needs (the truth table stays on disk) and the
 * manifest if any. A Parquet or CSV cohort is read through the extract readers: `readExtract(cohortFiles(dir))`.
 *
 * @throws {Error} naming the file that is missing or unreadable, or saying the cohort is not in Arrow files
 */
export function readCohort(dir: string): CohortOnDisk {
  const format = cohortFormat(dir);
  if (format !== 'arrow')
    throw new Error(
      `readCohort: the cohort in "${dir}" is stored as ${format}; read it with readExtract(cohortFiles(dir)), which types its values by the schema`,
    );
  const read = (name: string): Table => readArrowFile(join(dir, `${name}.arrow`));
  return {
    patients: read('patients'),
    encounters: read('encounters'),
    observations: read('observations'),
    events: read('events'),
    manifest: cohortManifest(dir),
  };
}

/** A cohort directory's manifest (`cohort.json`), or null when it has none or it is not JSON. */
export function cohortManifest(dir: string): CohortManifestFile | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'cohort.json'), 'utf8')) as CohortManifestFile;
  } catch {
    return null;
  }
}
