/**
 * A synthetic cohort on disk: five Arrow IPC files (`patients.arrow`, `encounters.arrow`, `observations.arrow`,
 * `events.arrow`, `truth.arrow`) and a `cohort.json` manifest, written batch by batch as the generator streams them,
 * so memory stays bounded whatever the cohort's size.
 */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { RecordBatchFileWriter } from 'apache-arrow';
import type { CohortManifest, CohortOptions, CohortTableName } from '../../validation/cohort/generate.js';
import { streamCohort } from '../../validation/cohort/generate.js';
import { readArrowFile } from './arrow-file.js';

const TABLES: CohortTableName[] = ['patients', 'encounters', 'observations', 'events', 'truth'];

/**
 * Generate a cohort straight to a directory.
 *
 * @param dir the output directory (created if needed)
 * @param options the generator's options
 * @param onProgress called after each batch with the encounters done so far
 * @returns the manifest, also written as `cohort.json`
 */
export async function writeCohort(dir: string, options: CohortOptions, onProgress?: (done: number, total: number) => void): Promise<CohortManifest> {
  mkdirSync(dir, { recursive: true });
  const files = Object.fromEntries(
    TABLES.map((name) => {
      const writer = new RecordBatchFileWriter();
      const out = createWriteStream(join(dir, `${name}.arrow`));
      writer.toNodeStream().pipe(out);
      return [name, { writer, out }];
    }),
  ) as Record<CohortTableName, { writer: RecordBatchFileWriter; out: ReturnType<typeof createWriteStream> }>;
  const stream = streamCohort(options);
  let step = stream.next();
  while (step.done !== true) {
    files[step.value.table].writer.write(step.value.batch);
    if (step.value.table === 'truth') {
      onProgress?.(step.value.encountersDone, options.encounters ?? 1000);
      await new Promise((resolve) => setImmediate(resolve)); // let the file streams drain
    }
    step = stream.next();
  }
  const manifest = step.value;
  for (const name of TABLES) {
    const { writer, out } = files[name];
    writer.finish();
    writer.close();
    await once(out, 'finish');
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
