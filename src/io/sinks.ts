/**
 * Output writers shared by the commands that write tables batch by batch (`score`, `synth`): Arrow IPC file or
 * stream, Parquet row groups, CSV. Each holds at most one batch.
 */
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { RecordBatch, Vector } from 'apache-arrow';
import { DataType, RecordBatchFileWriter, RecordBatchStreamWriter, TimestampMillisecond } from 'apache-arrow';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { writeError } from './write-text.js';

/** Wait until a file stream has written everything and closed; a failure names the file. */
async function closed(file: WriteStream, path: string): Promise<void> {
  try {
    await finished(file);
  } catch (e) {
    throw writeError(path, e);
  }
}

/** An output writer: Arrow IPC (file or stream) through Node's backpressure, or Parquet row groups. */
export interface Sink {
  write(batch: RecordBatch): Promise<void>;
  close(): Promise<void>;
}

export function arrowSink(path: string, format: 'file' | 'stream'): Sink {
  const duplex = (format === 'file' ? RecordBatchFileWriter : RecordBatchStreamWriter).throughNode();
  const file = createWriteStream(path);
  // A write that fails mid-way (disk full) is a clear error naming the file, never an unhandled stream error.
  let failure: unknown = null;
  file.on('error', (e) => {
    failure = e;
    duplex.destroy(e);
  });
  duplex.pipe(file);
  return {
    async write(batch) {
      if (failure !== null) throw writeError(path, failure);
      if (!duplex.write(batch)) await once(duplex, 'drain');
    },
    async close() {
      duplex.end();
      await closed(file, path);
    },
  };
}

const PARQUET_TYPE = (t: DataType): string => {
  if (DataType.isFloat(t)) return 'DOUBLE';
  if (DataType.isInt(t)) return t.bitWidth === 64 ? 'INT64' : 'INT32';
  if (DataType.isBool(t)) return 'BOOLEAN';
  if (DataType.isTimestamp(t)) return 'TIMESTAMP';
  return 'STRING';
};

export function parquetSink(path: string): Sink {
  const writer = fileWriter(path);
  let parquet: ParquetWriter | null = null;
  return {
    async write(batch) {
      const columnData = batch.schema.fields.map((f) => {
        const v = batch.getChild(f.name) as Vector;
        const timestamp = f.type instanceof TimestampMillisecond || DataType.isTimestamp(f.type);
        const data = timestamp ? [...v].map((x) => (x === null ? null : new Date(Number(x)))) : [...v].map((x) => (typeof x === 'bigint' ? Number(x) : x));
        return { name: f.name, data, type: PARQUET_TYPE(f.type), nullable: true };
      });
      if (parquet === null) {
        parquet = new ParquetWriter({ writer, schema: schemaFromColumnData({ columnData: columnData as never }) });
      }
      parquet.write({ columnData: columnData as never });
    },
    async close() {
      if (parquet === null) {
        writer.finish();
        return;
      }
      parquet.finish();
    },
  };
}

/** A CSV field: empty for null; quoted (quotes doubled) when it holds a comma, quote, line break or edge space. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * CSV (RFC 4180: a header row, comma-separated, CRLF-free `\n` line ends) batch by batch: timestamps as ISO 8601 in
 * UTC (`2025-01-02T03:04:05.000Z`), booleans `true`/`false`, numbers in JavaScript's shortest round-trip form, null as
 * an empty field — what the extract readers (and PostgreSQL's `\copy … CSV HEADER`) read back.
 */
export function csvSink(path: string): Sink {
  const file = createWriteStream(path);
  let failure: unknown = null;
  file.on('error', (e) => {
    failure = e;
  });
  let header = false;
  return {
    async write(batch) {
      if (failure !== null) throw writeError(path, failure);
      const fields = batch.schema.fields;
      const columns = fields.map((f) => {
        const v = batch.getChild(f.name) as Vector;
        const timestamp = DataType.isTimestamp(f.type);
        return Array.from({ length: batch.numRows }, (_, i) => {
          const x = v.get(i) as unknown;
          return timestamp && x !== null ? new Date(Number(x)) : x;
        });
      });
      const lines: string[] = header ? [] : [fields.map((f) => csvField(f.name)).join(',')];
      header = true;
      for (let i = 0; i < batch.numRows; i++) lines.push(columns.map((c) => csvField(c[i])).join(','));
      if (!file.write(`${lines.join('\n')}\n`)) await once(file, 'drain');
    },
    async close() {
      file.end();
      await closed(file, path);
    },
  };
}
