/**
 * Building the Arrow output columns of a scored batch from the kernel's typed arrays. Null bitmaps are derived from
 * the kernel's exception list (the rows with a missing or flagged input): every other row is valid by construction,
 * so nothing is scanned row by row.
 */
import type { Data, DataType, Vector } from 'apache-arrow';
import { Dictionary, Field, Float64, Int8, Int16, Int32, makeData, Utf8, vectorFromArray } from 'apache-arrow';
import type { KernelOutput, ModelKernelOutput } from './kernel-part.js';

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
  const { bitmap, nulls } = negativeNulls(values, rows, count);
  return makeData({ type, length: values.length, nullCount: nulls, nullBitmap: bitmap, data: values } as never);
}

/**
 * The validity bitmap of an integer column whose only nulls (negative values) lie on the exception rows: those rows
 * alone are looked at. Undefined (no bitmap) when no row is null. Runs in O(exceptions), branch-free: with 5 % of
 * values missing a third of the rows are exceptions, and whether a row's value is null is close to a coin toss.
 */
function negativeNulls(values: Int8Array | Int16Array, rows: Int32Array, count: number): { bitmap: Uint8Array | undefined; nulls: number } {
  if (count === 0) return { bitmap: undefined, nulls: 0 };
  const bitmap = new Uint8Array(bitmapBytes(values.length)).fill(255);
  let nulls = 0;
  for (let e = 0; e < count; e++) {
    const i = rows[e] as number;
    const neg = (values[i] as number) >>> 31; // 1 when negative
    bitmap[i >> 3] = (bitmap[i >> 3] as number) & ~(neg << (i & 7));
    nulls += neg;
  }
  return nulls === 0 ? { bitmap: undefined, nulls } : { bitmap, nulls };
}

/** As {@link negativeNulls}, for a Float64 column whose nulls are NaN. */
function nanNulls(values: Float64Array, rows: Int32Array, count: number): { bitmap: Uint8Array | undefined; nulls: number } {
  if (count === 0) return { bitmap: undefined, nulls: 0 };
  const bitmap = new Uint8Array(bitmapBytes(values.length)).fill(255);
  let nulls = 0;
  for (let e = 0; e < count; e++) {
    const i = rows[e] as number;
    const v = values[i] as number;
    const nan = v !== v ? 1 : 0;
    bitmap[i >> 3] = (bitmap[i >> 3] as number) & ~(nan << (i & 7));
    nulls += nan;
  }
  return nulls === 0 ? { bitmap: undefined, nulls } : { bitmap, nulls };
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
 * @param keys one dictionary key per exception row (−1 = null), or empty when every row is null
 */
export function sparseDictionaryData(type: Dictionary, dictionary: Vector, n: number, rows: Int32Array, keys: Int32Array, count: number): Data {
  const size = dictionary.length;
  const data = size <= 127 ? new Int8Array(n) : size <= 32767 ? new Int16Array(n) : new Int32Array(n);
  const bitmap = new Uint8Array(bitmapBytes(n));
  let valid = 0;
  for (let e = 0; e < count; e++) {
    const key = keys[e] ?? -1; // keys may be empty: no row has one
    if (key < 0) continue;
    const i = rows[e] ?? NaN;
    data[i] = key;
    bitmap[i >> 3] = (bitmap[i >> 3] ?? NaN) | (1 << (i & 7));
    valid++;
  }
  return makeData({ type, length: n, nullCount: n - valid, nullBitmap: valid < n ? bitmap : undefined, data, dictionary } as never);
}

/** The risk column: dictionary keys straight from the kernel, null where there is no total. */
export function nullableRiskData(type: Dictionary, dictionary: Vector, keys: Int8Array, rows: Int32Array, count: number): Data {
  const d = nullableIntData(new Int8(), keys, rows, count);
  return makeData({ type, length: keys.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, data: keys, dictionary } as never);
}

/** A dictionary of strings grown across batches, so every batch shares one dictionary. */
export class StringDictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  key(s: string): number {
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.values.length;
      this.values.push(s);
      this.index.set(s, k);
    }
    return k;
  }
}

/** What one score produced for one batch. */
export interface ScoreBatch {
  out: KernelOutput | ModelKernelOutput;
  /** Per exception row: dictionary keys of its missing, imputed, flags and escalated-by strings (−1 = none). */
  missingKeys: Int32Array;
  imputedKeys: Int32Array;
  flagKeys: Int32Array;
  escalatedKeys: Int32Array;
}

export interface ScoreDictionaries {
  missing: StringDictionary;
  imputed: StringDictionary;
  flags: StringDictionary;
  escalated: StringDictionary;
}

/** Dictionary-encoded string columns (missing, imputed, flags, escalated by) of one score. */
export function stringColumn(name: string, dict: StringDictionary, id: () => number) {
  const type = new Dictionary(new Utf8(), indexTypeFor(dict.values.length), id());
  const vector = vectorFromArray(dict.values, new Utf8());
  return {
    field: new Field(name, type, true),
    build: (n: number, rows: Int32Array, keys: Int32Array, count: number) => sparseDictionaryData(type, vector, n, rows, keys, count),
  };
}

/** A Float64 column whose nulls are its NaNs on the exception rows. */
export function floatData(values: Float64Array, rows: Int32Array, count: number): Data {
  const { bitmap, nulls } = nanNulls(values, rows, count);
  return makeData({ type: new Float64(), length: values.length, nullCount: nulls, nullBitmap: bitmap, data: values });
}

/** The Arrow fields one score adds, and how to build its columns for one batch. */
export interface ScoreColumns {
  readonly names: readonly string[];
  readonly fields: readonly Field[];
  build(r: ScoreBatch, n: number): Data[];
}
