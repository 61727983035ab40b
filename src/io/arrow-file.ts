/**
 * Arrow IPC files on disk (the file format, `.arrow`; the stream format is read too).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { writeAtomicSync } from './temporaries.js';
import type { Table } from 'apache-arrow';
import { tableFromIPC, tableToIPC } from 'apache-arrow';

/**
 * Read an Arrow IPC file (file or stream format) into a Table.
 *
 * @param path the file to read
 * @returns the table, every batch as written
 * @throws {Error} `readArrowFile: cannot read "<path>": <reason>` when the file is missing or not Arrow IPC
 */
export function readArrowFile(path: string): Table {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`readArrowFile: cannot read "${path}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  if (bytes.length === 0) throw new Error(`readArrowFile: "${path}" is empty (0 bytes), not an Arrow IPC file.`);
  try {
    const table = tableFromIPC(bytes);
    if (table.schema.fields.length === 0 && bytes.length > 0) throw new Error('no schema found');
    return table;
  } catch (e) {
    // A file that starts like Arrow but fails to parse was cut short (an interrupted copy or write).
    const magic = new TextDecoder().decode(bytes.subarray(0, 6)) === 'ARROW1';
    throw new Error(
      magic
        ? `readArrowFile: "${path}" is a truncated Arrow IPC file (${bytes.length.toLocaleString('en-GB')} bytes; it starts as one but cannot be read to the end).`
        : `readArrowFile: "${path}" is not an Arrow IPC file (${(e as Error).message}).`,
    );
  }
}

/**
 * Write a Table as an Arrow IPC file (file format). Same table → same bytes.
 *
 * @param path where to write
 * @param table the table
 */
export function writeArrowFile(path: string, table: Table): void {
  // Through a temporary file and a rename: a failed or interrupted write leaves the old file, or none.
  writeAtomicSync(path, (temporary) => writeFileSync(temporary, tableToIPC(table, 'file')));
}
