/**
 * Pseudonymise tables on disk: the named key columns of a CSV, Arrow IPC or Parquet file replaced by their keyed
 * pseudonyms (`pseudonymise.ts`), every other value and every row kept, batch by batch (memory bounded by a batch);
 * or every table of a cohort directory, its manifest saying what was done. Outputs are written to a temporary and
 * renamed; an input is never an output.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse';
import type { RecordBatch, Vector } from 'apache-arrow';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import { COHORT_TABLES } from '../../validation/cohort/generate.js';
import type { CohortManifestFile } from './cohort-files.js';
import { cohortManifest } from './cohort-files.js';
import { openArrow } from './readers/arrow.js';
import { extensionOf } from './readers/reader.js';
import { arrowSink } from './sinks.js';
import { writeAtomic, writeDirectoryAtomic } from './temporaries.js';
import type { Pseudonymiser } from './pseudonymise.js';
import { domainOf } from './pseudonymise.js';

/** What pseudonymising one file did: its rows, and per column the keys replaced and the empty ones left empty. */
export interface PseudonymisedFile {
  readonly file: string;
  readonly rows: number;
  readonly columns: Readonly<Record<string, { readonly replaced: number; readonly empty: number }>>;
}

/** Which columns to replace: those named that the file has; a named column it lacks is an error when `required`. */
function present(file: string, have: readonly string[], columns: readonly string[], required: boolean): string[] {
  const missing = columns.filter((c) => !have.includes(c));
  if (required && missing.length > 0)
    throw new Error(`pseudonymise: "${file}" has no column "${missing[0]}" (its columns: ${have.join(', ')}); name the key columns with --columns.`);
  return columns.filter((c) => have.includes(c));
}

/** Counts per column, filled as keys are replaced. */
function counter(columns: readonly string[]): Record<string, { replaced: number; empty: number }> {
  return Object.fromEntries(columns.map((c) => [c, { replaced: 0, empty: 0 }]));
}

/** One key's pseudonym; null (and counted) for an empty key, which stays empty — never hashed, never guessed. */
function replace(p: Pseudonymiser, column: string, value: unknown, counts: Record<string, { replaced: number; empty: number }>): string | null {
  const c = counts[column] as { replaced: number; empty: number };
  if (value === null || value === undefined || value === '') {
    c.empty++;
    return null;
  }
  c.replaced++;
  return p.pseudonym(domainOf(column), typeof value === 'bigint' ? value.toString() : String(value));
}

/** A CSV field in the file's delimiter: quoted (quotes doubled) only when it must be. */
function csvField(v: string | null, delimiter: string): string {
  if (v === null) return '';
  return v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

async function csvFile(input: string, output: string, columns: readonly string[], required: boolean, p: Pseudonymiser): Promise<PseudonymisedFile> {
  const delimiter = extensionOf(input) === '.tsv' ? '\t' : ',';
  const parser = createReadStream(input).pipe(parse({ bom: true, delimiter, relax_column_count: false, skip_empty_lines: true }));
  const out = createWriteStream(output);
  let header: string[] | null = null;
  let replaceAt: number[] = [];
  let chosen: string[] = [];
  let counts: Record<string, { replaced: number; empty: number }> = {};
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === null) {
        header = record;
        chosen = present(input, header, columns, required);
        replaceAt = chosen.map((c) => header?.indexOf(c) ?? -1);
        counts = counter(chosen);
      } else {
        rows++;
        replaceAt.forEach((at, k) => {
          record[at] = replace(p, chosen[k] as string, record[at], counts) ?? '';
        });
      }
      if (!out.write(`${record.map((v) => csvField(v, delimiter)).join(delimiter)}\n`)) await once(out, 'drain');
    }
  } catch (e) {
    out.destroy();
    throw new Error(`pseudonymise: "${input}" could not be read as CSV (${(e as Error).message}); nothing was written.`);
  }
  out.end();
  await finished(out);
  return { file: input, rows, columns: counts };
}

async function arrowFile(input: string, output: string, columns: readonly string[], required: boolean, p: Pseudonymiser): Promise<PseudonymisedFile> {
  const sink = arrowSink(output, extensionOf(input) === '.arrows' ? 'stream' : 'file');
  let chosen: string[] | null = null;
  let counts: Record<string, { replaced: number; empty: number }> = {};
  let rows = 0;
  try {
    for await (const batch of openArrow(input, 'pseudonymise') as AsyncGenerator<RecordBatch>) {
      const names = batch.schema.fields.map((f) => f.name);
      if (chosen === null) {
        chosen = present(input, names, columns, required);
        counts = counter(chosen);
      }
      const keep = new Set(chosen);
      const vectors = Object.fromEntries(
        names.map((name) => {
          const v = batch.getChild(name) as Vector;
          if (!keep.has(name)) return [name, v];
          const values = Array.from({ length: batch.numRows }, (_, i) => replace(p, name, v.get(i), counts));
          return [name, vectorFromArray(values, new Utf8())];
        }),
      );
      rows += batch.numRows;
      for (const b of new Table(vectors).batches) await sink.write(b);
    }
  } finally {
    await sink.close();
  }
  return { file: input, rows, columns: counts };
}

/** The hyparquet-writer type of a Parquet leaf column, or null when pseudonymise does not carry it. */
function parquetType(e: { type?: string; converted_type?: string; logical_type?: { type?: string } }): string | null {
  if (e.type === 'BYTE_ARRAY' && (e.converted_type === 'UTF8' || e.logical_type?.type === 'STRING')) return 'STRING';
  if (e.type === 'INT64' && (e.converted_type?.startsWith('TIMESTAMP') === true || e.logical_type?.type === 'TIMESTAMP')) return 'TIMESTAMP';
  if (e.type === 'INT64' || e.type === 'INT32' || e.type === 'DOUBLE' || e.type === 'FLOAT' || e.type === 'BOOLEAN')
    return e.converted_type === undefined && e.logical_type === undefined ? e.type : null;
  return null;
}

async function parquetFile(input: string, output: string, columns: readonly string[], required: boolean, p: Pseudonymiser): Promise<PseudonymisedFile> {
  const file = await asyncBufferFromFile(input);
  const metadata = await parquetMetadataAsync(file);
  const leaves = metadata.schema.slice(1);
  if (leaves.some((e) => (e.num_children ?? 0) > 0))
    throw new Error(`pseudonymise: "${input}" has nested columns; pseudonymise reads flat Parquet tables only.`);
  const names = leaves.map((e) => e.name);
  const chosen = present(input, names, columns, required);
  const counts = counter(chosen);
  const types = leaves.map((e) => (chosen.includes(e.name) ? 'STRING' : parquetType(e as never)));
  const unknown = types.findIndex((t) => t === null);
  if (unknown >= 0) {
    const e = leaves[unknown];
    throw new Error(
      `pseudonymise: "${input}" column "${e?.name}" has the Parquet type ${e?.type}${e?.converted_type === undefined ? '' : ` (${e.converted_type})`}, which pseudonymise does not carry; convert the file to CSV or Arrow first.`,
    );
  }
  const total = Number(metadata.num_rows);
  const writer = fileWriter(output);
  const schema = [
    { name: 'root', num_children: names.length },
    ...names.map((name, k) => ({
      name,
      repetition_type: 'OPTIONAL',
      ...(types[k] === 'STRING'
        ? { type: 'BYTE_ARRAY', converted_type: 'UTF8' }
        : types[k] === 'TIMESTAMP'
          ? { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }
          : { type: types[k] }),
    })),
  ];
  const parquet = new ParquetWriter({ writer, schema: schema as never });
  const size = 50_000;
  for (let start = 0; start < total; start += size) {
    const rows = (await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: Math.min(total, start + size), compressors })) as Record<
      string,
      unknown
    >[];
    const columnData = names.map((name, k) => ({
      name,
      type: types[k],
      data: chosen.includes(name) ? rows.map((r) => replace(p, name, r[name], counts)) : rows.map((r) => r[name] ?? null),
    }));
    parquet.write({ columnData: columnData as never, rowGroupSize: size });
  }
  parquet.finish();
  return { file: input, rows: total, columns: counts };
}

/**
 * Pseudonymise one file into another of the same format (by extension: CSV/TSV, Arrow IPC file or stream, Parquet).
 *
 * @param columns the key columns to replace (default `patient_id`, `encounter_id`)
 * @param required a named column the file lacks is an error (default true); false skips it (a cohort's tables)
 * @throws {Error} for an unknown format, an output that is the input, or a column the file lacks
 */
export async function pseudonymiseFile(
  input: string,
  output: string,
  p: Pseudonymiser,
  columns: readonly string[] = ['patient_id', 'encounter_id'],
  required = true,
): Promise<PseudonymisedFile> {
  if (!existsSync(input)) throw new Error(`pseudonymise: the input "${input}" does not exist.`);
  if (resolve(input) === resolve(output)) throw new Error(`pseudonymise: the output "${output}" is the input; an input is never replaced.`);
  const ext = extensionOf(input);
  if (extensionOf(output) !== ext) throw new Error(`pseudonymise: the output "${output}" must have the input's extension (${ext}): the format is kept.`);
  let result: PseudonymisedFile | null = null;
  await writeAtomic(output, async (tmp) => {
    if (['.csv', '.tsv', '.txt'].includes(ext)) result = await csvFile(input, tmp, columns, required, p);
    else if (['.arrow', '.arrows', '.feather', '.ipc'].includes(ext)) result = await arrowFile(input, tmp, columns, required, p);
    else if (['.parquet', '.pq'].includes(ext)) result = await parquetFile(input, tmp, columns, required, p);
    else throw new Error(`pseudonymise: "${input}" is not CSV, Arrow or Parquet (by its extension "${ext}"); FHIR references are not pseudonymised.`);
  });
  return result as unknown as PseudonymisedFile;
}

/** What pseudonymising a cohort recorded in its manifest. */
export interface PseudonymisedManifest {
  readonly algorithm: string;
  readonly columns: readonly string[];
  readonly keyFingerprint: string;
}

/**
 * Pseudonymise every table of a cohort directory (any format `synth` writes) into a new directory, written whole or
 * not at all; its `cohort.json` records the algorithm and the key's fingerprint.
 *
 * @throws {Error} when `input` is not a cohort directory or `output` is `input`
 */
export async function pseudonymiseCohort(input: string, output: string, p: Pseudonymiser): Promise<PseudonymisedFile[]> {
  const manifest = cohortManifest(input);
  if (manifest === null) throw new Error(`pseudonymise: "${input}" is not a cohort directory (no cohort.json).`);
  const target = resolve(output);
  if (target === resolve(input)) throw new Error(`pseudonymise: the output "${output}" is the input; an input is never replaced.`);
  const ext = manifest.format === 'parquet' ? '.parquet' : manifest.format === 'csv' ? '.csv' : '.arrow';
  return writeDirectoryAtomic(
    target,
    async (dir) => {
      const done: PseudonymisedFile[] = [];
      for (const table of COHORT_TABLES)
        done.push(await pseudonymiseFile(join(input, `${table}${ext}`), join(dir, `${table}${ext}`), p, ['patient_id', 'encounter_id'], false));
      const record: PseudonymisedManifest = {
        algorithm: 'HMAC-SHA-256 (first 128 bits, hex) of domain ‖ 0x00 ‖ key',
        columns: ['patient_id', 'encounter_id'],
        keyFingerprint: p.fingerprint,
      };
      const written: CohortManifestFile & { pseudonymised: PseudonymisedManifest } = {
        ...(JSON.parse(readFileSync(join(input, 'cohort.json'), 'utf8')) as CohortManifestFile),
        pseudonymised: record,
      };
      writeFileSync(join(dir, 'cohort.json'), `${JSON.stringify(written, null, 2)}\n`);
      return done;
    },
    'pseudonymise',
  );
}
