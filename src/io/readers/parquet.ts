/** Parquet through hyparquet (pure JavaScript, no native build), a batch of rows at a time. */
import { basename } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ReadContext, Rows, TableReader } from './reader.js';
import { extensionOf } from './reader.js';

const EXTENSIONS = ['.parquet', '.pq'];

async function* parquetRows(path: string, { size }: ReadContext): AsyncGenerator<Rows> {
  const name = basename(path);
  const file = await asyncBufferFromFile(path);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new Error(
      `read: "${path}" is not a readable Parquet file (${file.byteLength === 0 ? 'it is empty, 0 bytes' : 'truncated, or not Parquet'}: ${(e as Error).message})`,
    );
  }
  const total = Number(metadata.num_rows);
  for (let start = 0; start < total; start += size) {
    const end = Math.min(total, start + size);
    const rows = (await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end, compressors })) as Record<string, unknown>[];
    yield { rows, sources: rows.map((_, i) => `${name} row ${start + i + 1}`) };
  }
}

export const parquetReader: TableReader = {
  format: 'parquet',
  holds: 'rows',
  accepts: EXTENSIONS.join(', '),
  takes: (path, isDirectory) => !isDirectory && EXTENSIONS.includes(extensionOf(path)),
  read: parquetRows,
};
