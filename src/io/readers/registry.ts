/**
 * The readers of every input format, and the one function that chooses among them. A new format is one reader file
 * beside these and one entry here.
 */
import { existsSync, statSync } from 'node:fs';
import { arrowReader } from './arrow.js';
import { csvReader } from './csv.js';
import { fhirBundleReader, fhirNdjsonReader } from './fhir.js';
import { parquetReader } from './parquet.js';
import type { ExtractFormat, ExtractReader } from './reader.js';

/** Every reader, in the order they are tried. */
const READERS: readonly ExtractReader[] = [fhirNdjsonReader, fhirBundleReader, csvReader, parquetReader, arrowReader];

/**
 * The reader of a path: from its extension, a folder being a FHIR Bulk Data export.
 *
 * @throws when no reader takes the path, listing what each one takes
 */
export function readerFor(path: string): ExtractReader {
  const isDirectory = existsSync(path) && statSync(path).isDirectory();
  const reader = READERS.find((r) => r.takes(path, isDirectory));
  if (reader !== undefined) return reader;
  throw new Error(`read: cannot tell the format of "${path}" from its extension (expected ${READERS.map((r) => r.accepts).join('; ')})`);
}

/** The format of a path, from its extension (a folder is a FHIR Bulk Data export). */
export function formatOf(path: string): ExtractFormat {
  return readerFor(path).format;
}
