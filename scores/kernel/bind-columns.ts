/**
 * Arrow at the edge: check each input column's type once, then read each batch's buffers as typed arrays for
 * the kernel. Accepted types follow the canonical schema: any Arrow int or float for numbers; bool or 0/1 for
 * `on_oxygen`; utf8 or dictionary-of-utf8 for `consciousness`; an all-null (Arrow `Null`) column reads as missing.
 */
import type { Data, DataType, Field, Schema } from 'apache-arrow';
import { Type, util } from 'apache-arrow';
import type { PlanInput } from '../plan/compile.js';
import { columnTypeError, missingColumnError } from '../definition/errors.js';
import type { ReaderKind } from './kernel.js';
import type { KernelInput } from './kernel-part.js';
import { discreteCode } from '../definition/schema.js';

/** How one plan input maps onto the table: its column position (−1 when absent) and reader kind. */
export interface ColumnBinding {
  readonly input: PlanInput;
  readonly position: number;
  readonly kind: ReaderKind;
  /** The Arrow values need converting to Float64 first (64-bit ints, half floats). */
  readonly convert: boolean;
}

const NUMBER_TYPES = 'an Arrow Int or Float column';

function accepted(input: PlanInput): string {
  const f = input.field;
  if (f.kind === 'numeric') return NUMBER_TYPES;
  if (f.accepts === 'boolean') return 'an Arrow Bool column, or an Int/Float column of 0 and 1';
  if (f.accepts === 'integer-code') return `an Arrow Int or Float column of ${f.codes.join(' or ')}`;
  return 'an Arrow Utf8 or Dictionary<Utf8> column';
}

function isNumberType(t: DataType): boolean {
  return t.typeId === Type.Int || t.typeId === Type.Float;
}

function needsConversion(t: DataType): boolean {
  return (
    (t.typeId === Type.Int && (t as unknown as { bitWidth: number }).bitWidth === 64) ||
    (t.typeId === Type.Float && (t as unknown as { precision: number }).precision === 0)
  );
}

function isStringType(t: DataType): boolean {
  return t.typeId === Type.Utf8 || t.typeId === Type.LargeUtf8;
}

/**
 * Bind every plan input to a column of the schema, checking its type once.
 *
 * @throws {TypeError} naming the column, the score, the type found and the types accepted
 */
export function bindColumns(caller: string, neededBy: (input: number) => string, schema: Schema, inputs: readonly PlanInput[]): ColumnBinding[] {
  return inputs.map((input, k) => {
    const scoreId = neededBy(k);
    const column = input.field.column;
    const position = schema.fields.findIndex((f: Field) => f.name === column);
    if (position < 0) {
      if (input.required) throw missingColumnError(caller, column, scoreId, accepted(input));
      return { input, position, kind: 'absent', convert: false };
    }
    const type = (schema.fields[position] as Field).type as DataType;
    const fail = (): TypeError => columnTypeError(caller, column, scoreId, String(type), accepted(input));
    if (type.typeId === Type.Null) return { input, position, kind: 'absent', convert: false };
    const f = input.field;
    if (f.kind === 'numeric') {
      if (!isNumberType(type)) throw fail();
      return { input, position, kind: 'numeric', convert: needsConversion(type) };
    }
    if (f.accepts === 'boolean' && type.typeId === Type.Bool) return { input, position, kind: 'bits', convert: false };
    if (f.accepts !== 'string') {
      if (!isNumberType(type)) throw fail();
      return { input, position, kind: 'numcode', convert: needsConversion(type) };
    }
    if (isStringType(type)) return { input, position, kind: 'codes', convert: false };
    if (type.typeId === Type.Dictionary && isStringType((type as unknown as { dictionary: DataType }).dictionary)) {
      return { input, position, kind: 'dict', convert: false };
    }
    throw fail();
  });
}

function toFloat64(data: Data): Float64Array {
  const v = data.values as ArrayLike<number | bigint>;
  if (data.type.typeId === Type.Float) return Float64Array.from(v as Uint16Array, (h) => util.uint16ToFloat64(h));
  return Float64Array.from(v as ArrayLike<bigint>, (x) => Number(x));
}

/**
 * The column's validity bitmap starting at its first row (bit 0 = row 0), or null when no row is null. A sliced Arrow
 * column keeps its parent's bitmap and a bit offset; the bitmap is re-based here once per batch (a view when the offset
 * is a whole byte, else a shifted copy, O(n/8)), so the kernel reads bit i of row i with no offset arithmetic per row.
 */
function validityOf(data: Data): Uint8Array | null {
  const bitmap = data.nullCount > 0 && data.nullBitmap !== undefined && data.nullBitmap.length > 0 ? data.nullBitmap : null;
  if (bitmap === null || data.offset === 0) return bitmap;
  const byte = data.offset >> 3;
  const shift = data.offset & 7;
  const bytes = (data.length + 7) >> 3;
  if (shift === 0) return bitmap.subarray(byte, byte + bytes);
  const out = new Uint8Array(bytes);
  for (let j = 0; j < bytes; j++) out[j] = (((bitmap[byte + j] ?? 0) >> shift) | ((bitmap[byte + j + 1] ?? 0) << (8 - shift))) & 255;
  return out;
}

/** Read one batch column into the kernel's input form. */
export function kernelInput(binding: ColumnBinding, data: Data | undefined): KernelInput {
  if (binding.kind === 'absent' || data === undefined) return { values: null, validity: null, offset: 0, map: null };
  const validity = validityOf(data);
  const offset = data.offset;
  const field = binding.input.field;
  switch (binding.kind) {
    case 'dict': {
      const dictionary = data.dictionary as { length: number; get(i: number): string | null } | undefined;
      const n = dictionary?.length ?? 0;
      const map = new Int8Array(n);
      for (let j = 0; j < n; j++) map[j] = field.kind === 'discrete' ? discreteCode(field, dictionary?.get(j)) : -2;
      return { values: data.values as ArrayLike<number>, validity, offset, map };
    }
    case 'codes': {
      // Plain utf8: decode each distinct string once.
      const codes = new Int8Array(data.length);
      const seen = new Map<string, number>();
      const strings = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      const decoder = new TextDecoder();
      for (let i = 0; i < data.length; i++) {
        const text = decoder.decode(bytes.subarray(strings[i] ?? NaN, strings[i + 1] ?? NaN));
        let code = seen.get(text);
        if (code === undefined) {
          code = field.kind === 'discrete' ? discreteCode(field, text) : -2;
          seen.set(text, code);
        }
        codes[i] = code;
      }
      return { values: codes, validity, offset, map: null };
    }
    default: {
      const values = binding.convert ? toFloat64(data) : (data.values as ArrayLike<number>);
      return { values, validity, offset, map: null };
    }
  }
}
