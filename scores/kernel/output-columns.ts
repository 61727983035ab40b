/**
 * Building the Arrow output columns of a scored batch from the kernel's typed arrays. Null bitmaps are derived from
 * the kernel's exception list (the rows with a missing or flagged input): every other row is valid by construction,
 * so nothing is scanned row by row.
 */
import type { Data, DataType, Dictionary, Vector } from 'apache-arrow';
import { Int8, Int16, Int32, makeData } from 'apache-arrow';

/** Bytes of a validity bitmap for n rows, padded to 64 bits as Arrow prefers. */
export function bitmapBytes(n: number): number {
  return ((n + 63) & ~63) >> 3;
}

/**
 * A nullable integer column whose only possible nulls (negative values) lie on the exception rows.
 *
 * @param values the kernel's output (negative = null)
 * @param rows exception rows (ascending), the first `count` of which are used
 */
export function nullableIntData(type: DataType, values: Int8Array | Int16Array, rows: Int32Array, count: number): Data {
  const n = values.length;
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  for (let e = 0; e < count; e++) {
    const i = rows[e] as number;
    if ((values[i] as number) >= 0) continue;
    if (bitmap === undefined) bitmap = new Uint8Array(bitmapBytes(n)).fill(255);
    bitmap[i >> 3] = (bitmap[i >> 3] as number) & ~(1 << (i & 7));
    nulls++;
  }
  return makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : undefined, data: values } as never);
}

/** The narrowest signed index type for a dictionary of `size` entries. */
export function indexTypeFor(size: number): Int8 | Int16 | Int32 {
  return size <= 127 ? new Int8() : size <= 32767 ? new Int16() : new Int32();
}

/**
 * A dictionary column that is null except on some exception rows.
 *
 * @param n rows in the batch
 * @param rows exception rows, `count` of them
 * @param keys one dictionary key per exception row (−1 = null)
 */
export function sparseDictionaryData(type: Dictionary, dictionary: Vector, n: number, rows: Int32Array, keys: Int32Array, count: number): Data {
  const size = dictionary.length;
  const data = size <= 127 ? new Int8Array(n) : size <= 32767 ? new Int16Array(n) : new Int32Array(n);
  const bitmap = new Uint8Array(bitmapBytes(n));
  let valid = 0;
  for (let e = 0; e < count; e++) {
    const key = keys[e] as number;
    if (key < 0) continue;
    const i = rows[e] as number;
    data[i] = key;
    bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    valid++;
  }
  return makeData({ type, length: n, nullCount: n - valid, nullBitmap: valid < n ? bitmap : undefined, data, dictionary } as never);
}
