/**
 * The contract every extract reader keeps: one object per input format, one signature. A reader goes through its
 * file in batches, each record with where it came from (file and line or row), and counts or rejects what it cannot
 * read in the ingest report without stopping — unless `strict` asks it to stop at the first. `readerFor` (registry.ts)
 * chooses the reader of a path; nothing else chooses one.
 */
import type { Mapping } from '../../ingest/mapping.js';
import type { IngestReport } from '../../ingest/measurements.js';

/** The formats ewskit reads. */
export type ExtractFormat = 'fhir-ndjson' | 'fhir-bundle' | 'csv' | 'parquet' | 'arrow';

/** A batch of table rows (source column names), each with where it came from. */
export interface Rows {
  readonly rows: Record<string, unknown>[];
  readonly sources: string[];
  /** The file's columns, when the format states them apart from its rows (an Arrow schema: known with zero rows). */
  readonly columns?: readonly string[];
}

/** A batch of FHIR resources, each with where it came from. */
export interface Resources {
  readonly resources: unknown[];
  readonly sources: string[];
}

/** What a reader is given besides the path. */
export interface ReadContext {
  /** The mapping (a CSV's delimiter). */
  readonly mapping: Mapping;
  /** Where unreadable records are counted and named. */
  readonly report: IngestReport;
  /** Stop at the first unreadable record. */
  readonly strict: boolean;
  /** Records per batch, about (Arrow keeps its own batches). */
  readonly size: number;
}

/** A reader of one format: what it accepts, what its records are, and the one way to read them. */
interface ReaderOf<Holds extends 'rows' | 'fhir', Batch> {
  readonly format: ExtractFormat;
  /** What its records are: rows of a table, or FHIR resources (assembled into sets). */
  readonly holds: Holds;
  /** The inputs it takes, for messages (`.csv, .tsv, .txt`). */
  readonly accepts: string;
  /** Whether a path is its format (by extension; a folder for a FHIR Bulk Data export). */
  takes(path: string, isDirectory: boolean): boolean;
  read(path: string, context: ReadContext): AsyncGenerator<Batch>;
}

/** A reader of a table format (CSV, Parquet, Arrow). */
export type TableReader = ReaderOf<'rows', Rows>;

/** A reader of FHIR resources (NDJSON, a Bundle). */
export type FhirReader = ReaderOf<'fhir', Resources>;

/** Any extract reader. */
export type ExtractReader = TableReader | FhirReader;

/** The lower-case extension of a path, with its dot. */
export function extensionOf(path: string): string {
  const at = path.lastIndexOf('.');
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at > slash ? path.slice(at).toLowerCase() : '';
}
