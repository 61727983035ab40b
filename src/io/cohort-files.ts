/**
 * A synthetic cohort on disk: five Arrow IPC files (`patients.arrow`, `encounters.arrow`, `observations.arrow`,
 * `events.arrow`, `truth.arrow`) and a `cohort.json` manifest, written batch by batch as the generator streams them,
 * so memory stays bounded whatever the cohort's size.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { holdTemporary, releaseTemporary, temporaryFor } from './temporaries.js';
import type { Table } from 'apache-arrow';
import { RecordBatchFileWriter } from 'apache-arrow';
import type { CohortManifest, CohortOptions, CohortTableName } from '../../validation/cohort/generate.js';
import { COHORT_TABLES, streamCohort } from '../../validation/cohort/generate.js';
import { readArrowFile } from './arrow-file.js';

const TABLES = COHORT_TABLES;

/**
 * Generate a cohort straight to a directory.
 *
 * @param given the output directory (replaced whole, only once the new cohort is complete; a trailing slash is the same directory)
 * @param options the generator's options
 * @param onProgress called after each batch with the encounters done so far
 * @returns the manifest, also written as `cohort.json`
 */
export async function writeCohort(given: string, options: CohortOptions, onProgress?: (done: number, total: number) => void): Promise<CohortManifest> {
  // `cohort/` and `cohort` are the same directory (a trailing slash would make the temporary names land inside it).
  const target = resolve(given);
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new Error(`writeCohort: "${given}" is a file, not a cohort directory; a file is never replaced by a directory`);
  // The cohort is written whole into a temporary directory beside the target (the manifest last) and renamed into
  // place only when complete: an interrupted or failed run leaves the old cohort, or nothing that looks like one.
  const dir = temporaryFor(target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  holdTemporary(dir);
  try {
    const manifest = await writeInto(dir, options, onProgress);
    const old = `${target}.${process.pid}.old`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(dir, target);
    rmSync(old, { recursive: true, force: true });
    return manifest;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    releaseTemporary(dir);
  }
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
  writeFileSync(join(dir, 'cohort.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A cohort read back from a directory written by {@link writeCohort} (or `ewskit synth`). */
export interface CohortOnDisk {
  readonly patients: Table;
  readonly encounters: Table;
  readonly observations: Table;
  readonly events: Table;
  readonly manifest: CohortManifest | null;
}

/**
 * A cohort directory's tables as the files of an extract (observations, events, patients, encounters), so the extract
 * readers can check them value by value (`validate --cohort DIR --strict`).
 */
export function cohortFiles(dir: string): { observations: string; events: string; patients: string; encounters: string } {
  const file = (name: CohortTableName): string => join(dir, `${name}.arrow`);
  return { observations: file('observations'), events: file('events'), patients: file('patients'), encounters: file('encounters') };
}

/**
 * Read a cohort directory: the four tables a study needs (the truth table stays on disk) and the manifest if any.
 *
 * @throws {Error} naming the file that is missing or unreadable
 */
export function readCohort(dir: string): CohortOnDisk {
  const read = (name: string): Table => readArrowFile(join(dir, `${name}.arrow`));
  let manifest: CohortManifest | null = null;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'cohort.json'), 'utf8')) as CohortManifest;
  } catch {
    manifest = null;
  }
  return { patients: read('patients'), encounters: read('encounters'), observations: read('observations'), events: read('events'), manifest };
}
