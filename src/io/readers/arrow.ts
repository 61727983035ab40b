/**
 * Arrow IPC, file or stream, batch by batch. `openArrow` is the one opener: `scoreFile` takes its record batches as
 * they are; the extract reader turns them into rows (times as instants). An empty, truncated or foreign file is said
 * to be what it is.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { DataType, RecordBatchReader } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type { Rows, TableReader } from './reader.js';
import { extensionOf } from './reader.js';

const EXTENSIONS = ['.arrow', '.arrows', '.feather', '.ipc'];

/** Why an Arrow file cannot be read: empty, truncated (it starts with Arrow's magic bytes), or not Arrow. */
function unreadable(caller: string, path: string, e: unknown): Error {
  const bytes = statSync(path).size;
  if (bytes === 0) return new Error(`${caller}: "${path}" is empty (0 bytes): not a readable Arrow IPC file.`);
  const head = Buffer.alloc(6);
  const fd = openSync(path, 'r');
  readSync(fd, head, 0, 6, 0);
  closeSync(fd);
  return head.toString('latin1') === 'ARROW1'
    ? new Error(
        `${caller}: "${path}" is a truncated Arrow IPC file (${bytes.toLocaleString('en-GB')} bytes; it starts as one but cannot be read to the end: ${(e as Error).message}).`,
      )
    : new Error(`${caller}: "${path}" is not an Arrow IPC file, or is truncated (${(e as Error).message}).`);
}

/**
 * The record batches of an Arrow IPC file or stream, read lazily; a file that cannot be read to its end throws the
 * one message of `unreadable`, naming `caller`.
 */
export async function* openArrow(path: string, caller: string): AsyncGenerator<RecordBatch> {
  let batches: AsyncIterator<RecordBatch>;
  try {
    const reader = await (await RecordBatchReader.from(createReadStream(path))).open();
    if (reader.schema === undefined || reader.schema === null) throw new Error('no schema found');
    batches = reader[Symbol.asyncIterator]();
  } catch (e) {
    throw unreadable(caller, path, e);
  }
  for (;;) {
    let next: IteratorResult<RecordBatch>;
    try {
      next = await batches.next();
    } catch (e) {
      throw unreadable(caller, path, e);
    }
    if (next.done === true) return;
    yield next.value;
  }
}

/** Rows of an Arrow IPC file or stream, batch by batch (times and dates as instants, by their Arrow type). */
async function* arrowRows(path: string): AsyncGenerator<Rows> {
  const name = basename(path);
  let at = 0;
  for await (const batch of openArrow(path, 'read')) {
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

export const arrowReader: TableReader = {
  format: 'arrow',
  holds: 'rows',
  accepts: EXTENSIONS.join(', '),
  takes: (path, isDirectory) => !isDirectory && EXTENSIONS.includes(extensionOf(path)),
  read: arrowRows,
};
