/**
 * Baselines the NEWS2 kernel is measured against, in the same run:
 * - the memory floor: a loop that reads every input column once and writes one byte per row — no scoring at all;
 * - a straightforward per-row object implementation: build an observation object per row, score it with a plain
 *   if/else NEWS2 (Scale 1, RCP 2017 Chart 1), get a result object back, store its total and risk.
 */
import type { Data, Table } from 'apache-arrow';

function valuesOf(table: Table, b: number, name: string): Data {
  const batch = table.batches[b];
  const index = table.schema.fields.findIndex((f) => f.name === name);
  return batch?.data.children[index] as Data;
}

/** Read all seven input columns once per row; write one byte per row. */
export function memoryFloor(table: Table, out: Uint8Array): number {
  let row = 0;
  for (let b = 0; b < table.batches.length; b++) {
    const rr = valuesOf(table, b, 'respiratory_rate').values as Float64Array;
    const sp = valuesOf(table, b, 'spo2').values as Float64Array;
    const ox = valuesOf(table, b, 'on_oxygen').values as Float64Array;
    const sb = valuesOf(table, b, 'systolic_bp').values as Float64Array;
    const hr = valuesOf(table, b, 'heart_rate').values as Float64Array;
    const tp = valuesOf(table, b, 'temperature').values as Float64Array;
    const cs = valuesOf(table, b, 'consciousness').values as Int32Array;
    const n = rr.length;
    for (let i = 0; i < n; i++) {
      out[row + i] = rr[i]! + sp[i]! + ox[i]! + sb[i]! + hr[i]! + tp[i]! + cs[i]! > 0 ? 1 : 0;
    }
    row += n;
  }
  return row;
}

interface Obs {
  respiratoryRate: number | null;
  spo2: number | null;
  onOxygen: boolean | null;
  systolicBP: number | null;
  heartRate: number | null;
  consciousness: string | null;
  temperature: number | null;
}

interface Result {
  total: number | null;
  risk: string | null;
  subscores: number[];
}

function band(v: number, edges: [number, number][]): number {
  for (const [max, pts] of edges) if (v <= max) return pts;
  return 0;
}

/** A plain NEWS2 (Scale 1), as someone would first write it. */
function naiveNews2(o: Obs): Result {
  if (
    o.respiratoryRate === null ||
    o.spo2 === null ||
    o.onOxygen === null ||
    o.systolicBP === null ||
    o.heartRate === null ||
    o.consciousness === null ||
    o.temperature === null
  ) {
    return { total: null, risk: null, subscores: [] };
  }
  const t = Math.round(o.temperature * 10) / 10;
  const subscores = [
    band(Math.round(o.respiratoryRate), [
      [8, 3],
      [11, 1],
      [20, 0],
      [24, 2],
      [Infinity, 3],
    ]),
    band(Math.round(o.spo2), [
      [91, 3],
      [93, 2],
      [95, 1],
      [Infinity, 0],
    ]),
    o.onOxygen ? 2 : 0,
    band(Math.round(o.systolicBP), [
      [90, 3],
      [100, 2],
      [110, 1],
      [219, 0],
      [Infinity, 3],
    ]),
    band(Math.round(o.heartRate), [
      [40, 3],
      [50, 1],
      [90, 0],
      [110, 1],
      [130, 2],
      [Infinity, 3],
    ]),
    o.consciousness === 'A' ? 0 : 3,
    band(t, [
      [35.0, 3],
      [36.0, 1],
      [38.0, 0],
      [39.0, 1],
      [Infinity, 2],
    ]),
  ];
  const total = subscores.reduce((s, x) => s + x, 0);
  const red = subscores.some((x) => x === 3);
  const risk = total >= 7 ? 'high' : total >= 5 ? 'medium' : red ? 'low-medium' : 'low';
  return { total, risk, subscores };
}

function isValid(d: Data, i: number): boolean {
  const bm = d.nullBitmap;
  return d.nullCount === 0 || bm === undefined || bm.length === 0 ? true : (((bm[(d.offset + i) >> 3] as number) >> ((d.offset + i) & 7)) & 1) === 1;
}

/**
 * The memory floor for any set of columns: generated, like the kernel, as one straight loop that reads each
 * listed column once per row and writes one byte.
 */
export function memoryFloorOf(columns: readonly string[]): (table: Table, out: Uint8Array) => number {
  const body = [
    'let row = 0;',
    'for (let b = 0; b < table.batches.length; b++) {',
    ...columns.map((c, k) => `  const c${k} = valuesOf(table, b, ${JSON.stringify(c)}).values;`),
    '  const n = c0.length;',
    `  for (let i = 0; i < n; i++) out[row + i] = ${columns.map((_, k) => `c${k}[i]`).join(' + ')} > 0 ? 1 : 0;`,
    '  row += n;',
    '}',
    'return row;',
  ].join('\n');
  const make = new Function('valuesOf', `return function floor(table, out) {\n${body}\n};`) as (
    v: typeof valuesOf,
  ) => (table: Table, out: Uint8Array) => number;
  return make(valuesOf);
}

/** One observation object and one result object per row. */
export function perRowObjects(table: Table, totals: Int8Array): number {
  let row = 0;
  for (let b = 0; b < table.batches.length; b++) {
    const cols = ['respiratory_rate', 'spo2', 'on_oxygen', 'systolic_bp', 'heart_rate', 'temperature', 'consciousness'].map((c) => valuesOf(table, b, c));
    const [rr, sp, ox, sb, hr, tp, cs] = cols as [Data, Data, Data, Data, Data, Data, Data];
    const dict = cs.dictionary as unknown as { get(i: number): string };
    const n = rr.length;
    const num = (d: Data, i: number): number | null => (isValid(d, i) ? (d.values as Float64Array)[i]! : null);
    for (let i = 0; i < n; i++) {
      const o: Obs = {
        respiratoryRate: num(rr, i),
        spo2: num(sp, i),
        onOxygen: isValid(ox, i) ? (ox.values as Float64Array)[i] === 1 : null,
        systolicBP: num(sb, i),
        heartRate: num(hr, i),
        consciousness: isValid(cs, i) ? dict.get((cs.values as Int32Array)[i]!) : null,
        temperature: num(tp, i),
      };
      const r = naiveNews2(o);
      totals[row + i] = r.total ?? -1;
    }
    row += n;
  }
  return row;
}
