/**
 * Seeded benchmark tables: Float64 vitals (respiration, SpO2, on_oxygen as 0/1, systolic BP, pulse, temperature)
 * and dictionary-encoded consciousness, with an optional fraction of nulls in every column.
 */
import type { Data, Table } from 'apache-arrow';
import { Dictionary, Field, Float64, Int32, RecordBatch, Schema, Struct, Table as ArrowTable, Utf8, makeData, vectorFromArray } from 'apache-arrow';
import { createRandom } from '../validation/stats/random.js';

export const VITALS = ['respiratory_rate', 'spo2', 'on_oxygen', 'systolic_bp', 'heart_rate', 'temperature'] as const;

/** Extra Float64 columns for the catalogue suite (CART, qSOFA, the model), drawn the same way. */
export const EXTRA = ['diastolic_bp', 'gcs', 'age', 'lactate', 'creatinine', 'white_cell_count'] as const;

const CONSCIOUSNESS = vectorFromArray(['A', 'C', 'V', 'P', 'U'], new Utf8());

function column(
  n: number,
  nullRate: number,
  seed: number,
  draw: (u: number, z: number) => number,
): { values: Float64Array; validity: Uint8Array | undefined; nulls: number } {
  const rng = createRandom(seed);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = draw(rng.next(), rng.normal());
  if (nullRate === 0) return { values, validity: undefined, nulls: 0 };
  const validity = new Uint8Array(((n + 63) & ~63) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (rng.next() < nullRate) nulls++;
    else validity[i >> 3] = (validity[i >> 3] as number) | (1 << (i & 7));
  }
  return { values, validity, nulls };
}

/**
 * A table of `n` rows in one batch per `batchRows` rows, with `nullRate` nulls per column. Same arguments → same
 * table. With `extra`, also the columns of {@link EXTRA}.
 */
export function benchTable(n: number, nullRate: number, seed = 1, batchRows = 1 << 20, extra = false): Table {
  const draws: Record<(typeof VITALS)[number] | (typeof EXTRA)[number], (u: number, z: number) => number> = {
    respiratory_rate: (_u, z) => Math.round(16 + 4 * z),
    spo2: (_u, z) => Math.min(100, Math.round(96 + 2.5 * z)),
    on_oxygen: (u) => (u < 0.15 ? 1 : 0),
    systolic_bp: (_u, z) => Math.round(125 + 20 * z),
    heart_rate: (_u, z) => Math.round(82 + 16 * z),
    temperature: (_u, z) => Math.round((37 + 0.7 * z) * 10) / 10,
    diastolic_bp: (_u, z) => Math.round(75 + 12 * z),
    gcs: (u) => (u < 0.95 ? 15 : 9 + Math.floor(u * 6)),
    age: (u) => Math.floor(18 + 80 * u),
    lactate: (_u, z) => Math.max(0.3, Math.round((1.3 + 0.6 * z) * 10) / 10),
    creatinine: (_u, z) => Math.max(30, Math.round(85 + 25 * z)),
    white_cell_count: (_u, z) => Math.max(0.5, Math.round((8 + 2.5 * z) * 10) / 10),
  };
  const names = extra ? [...VITALS, ...EXTRA] : [...VITALS];
  const cols = names.map((name, k) => ({ name, ...column(n, nullRate, seed * 100 + k, draws[name]) }));
  const crng = createRandom(seed * 100 + 99);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = crng.next();
    codes[i] = u < 0.95 ? 0 : u < 0.97 ? 1 : u < 0.985 ? 2 : u < 0.995 ? 3 : 4;
  }
  const cons = column(n, nullRate, seed * 100 + 98, () => 0);
  const dictType = new Dictionary(new Utf8(), new Int32());
  const fields = [...cols.map((c) => new Field(c.name, new Float64(), true)), new Field('consciousness', dictType, true)];
  const schema = new Schema(fields);
  const batches: RecordBatch[] = [];
  for (let start = 0; start < n; start += batchRows) {
    const len = Math.min(batchRows, n - start);
    const slice = (v: Uint8Array | undefined): Uint8Array | undefined => (v === undefined ? undefined : sliceBits(v, start, len));
    const children: Data[] = cols.map((c) => {
      const bm = slice(c.validity);
      return makeData({
        type: new Float64(),
        length: len,
        nullCount: bm === undefined ? 0 : len - popcount(bm, len),
        nullBitmap: bm,
        data: c.values.subarray(start, start + len),
      });
    });
    const cbm = slice(cons.validity);
    children.push(
      makeData({
        type: dictType,
        length: len,
        nullCount: cbm === undefined ? 0 : len - popcount(cbm, len),
        nullBitmap: cbm,
        data: codes.subarray(start, start + len),
        dictionary: CONSCIOUSNESS,
      } as never),
    );
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length: len, nullCount: 0, children })));
  }
  return new ArrowTable(schema, batches);
}

function sliceBits(bits: Uint8Array, start: number, len: number): Uint8Array {
  const out = new Uint8Array(((len + 63) & ~63) >> 3);
  for (let i = 0; i < len; i++) if (((bits[(start + i) >> 3] as number) >> ((start + i) & 7)) & 1) out[i >> 3] = (out[i >> 3] as number) | (1 << (i & 7));
  return out;
}

function popcount(bits: Uint8Array, len: number): number {
  let c = 0;
  for (let i = 0; i < len; i++) c += ((bits[i >> 3] as number) >> (i & 7)) & 1;
  return c;
}
