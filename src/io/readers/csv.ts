/** CSV (and TSV) through csv-parse, streaming: a malformed line is rejected with its number, the rest read on. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { reject } from '../../ingest/measurements.js';
import type { ReadContext, Rows, TableReader } from './reader.js';
import { extensionOf } from './reader.js';

const EXTENSIONS = ['.csv', '.tsv', '.txt'];

async function* csvRows(path: string, { mapping, report, strict, size }: ReadContext): AsyncGenerator<Rows> {
  const name = basename(path);
  const skipped: { line: number; message: string }[] = [];
  const parser = createReadStream(path).pipe(
    parse({
      columns: true,
      bom: true,
      delimiter: extensionOf(path) === '.tsv' ? '\t' : mapping.csv.delimiter,
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

/** CSV, TSV (tab-delimited) and .txt (the mapping's delimiter). */
export const csvReader: TableReader = {
  format: 'csv',
  holds: 'rows',
  accepts: EXTENSIONS.join(', '),
  takes: (path, isDirectory) => !isDirectory && EXTENSIONS.includes(extensionOf(path)),
  read: csvRows,
};
