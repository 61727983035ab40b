import {
  Bool,
  Dictionary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Null,
  Table,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { outputColumns, scoreTable } from '../../../scores/kernel/score-table.js';
import { rowOf, tableOf } from '../../helpers/tables.js';

const NORMAL = { respiratoryRate: 16, spo2: 98, onOxygen: false, systolicBP: 120, heartRate: 70, consciousness: 'A', temperature: 37.0 };

function columns(overrides: Record<string, unknown> = {}, omit: string[] = []) {
  const base: Record<string, unknown> = {
    respiratory_rate: vectorFromArray([16, 22], new Float64()),
    spo2: vectorFromArray([98, 94], new Float64()),
    on_oxygen: vectorFromArray([false, false], new Bool()),
    systolic_bp: vectorFromArray([120, 105], new Float64()),
    heart_rate: vectorFromArray([70, 112], new Float64()),
    consciousness: vectorFromArray(['A', 'A'], new Utf8()),
    temperature: vectorFromArray([37, 38.4], new Float64()),
    ...overrides,
  };
  for (const k of omit) delete base[k];
  return tableFromArrays(base as never) as unknown as Table;
}

describe('scoreTable(news2, table) schema checks at the boundary', () => {
  it('names a missing required column, the score needing it and the types accepted', () => {
    expect(() => scoreTable(news2, columns({}, ['temperature']))).toThrow(TypeError);
    expect(() => scoreTable(news2, columns({}, ['temperature']))).toThrow(
      /scoreTable: column "temperature" is required by score "news2" but the table has no such column \(expected an Arrow Int or Float column\)/,
    );
  });

  it('names a column of an unusable type, the type found and the types accepted', () => {
    expect(() => scoreTable(news2, columns({ spo2: vectorFromArray(['98', '94'], new Utf8()) }))).toThrow(
      /column "spo2" \(needed by score "news2"\) has Arrow type Utf8; expected an Arrow Int or Float column/,
    );
    expect(() => scoreTable(news2, columns({ consciousness: vectorFromArray([1, 2], new Int32()) }))).toThrow(
      /column "consciousness" .* has Arrow type Int32; expected an Arrow Utf8 or Dictionary<Utf8> column/,
    );
  });

  it('rejects something that is not an Arrow table', () => {
    expect(() => scoreTable(news2, [] as unknown as Table)).toThrow(/scoreTable: argument "table" expected an apache-arrow Table/);
  });
});

describe('scoreTable(news2, table) accepts the schema types', () => {
  it('reads any Arrow int or float width, and 0/1 oxygen', () => {
    const t = columns({
      respiratory_rate: vectorFromArray([16, 22], new Int8()),
      spo2: vectorFromArray([98, 94], new Uint8()),
      on_oxygen: vectorFromArray([0, 0], new Int32()),
      systolic_bp: vectorFromArray([120n, 105n], new Int64()),
      heart_rate: vectorFromArray([70, 112], new Int16()),
      temperature: vectorFromArray([37, 38.4], new Float32()),
    });
    const s = scoreTable(news2, t);
    expect(rowOf(s, 0).news2_total).toBe(0);
    expect(rowOf(s, 1).news2_total).toBe(7); // the worked example
  });

  it('reads dictionary consciousness, and a missing optional spo2_scale column means Scale 1', () => {
    const s = scoreTable(news2, columns({ consciousness: vectorFromArray(['alert', 'V'], new Dictionary(new Utf8(), new Int8())) }));
    expect(rowOf(s, 1).news2_consciousness).toBe(3);
    expect(rowOf(s, 1).news2_total).toBe(10);
  });

  it('a null consciousness whose dictionary key lies outside the dictionary is missing; a valid such key is an unknown code', () => {
    // Arrow leaves a null slot's value undefined: the kernel reads it without branching and must mask it. Row 0 is
    // valid 'V' (key 1); row 1 is null with key 99; row 2 is valid with key 99 (not in the dictionary of 3 entries).
    const dictionary = vectorFromArray(['A', 'V', 'U'], new Utf8());
    const type = new Dictionary(new Utf8(), new Int8());
    const data = makeData({ type, length: 3, nullCount: 1, nullBitmap: Uint8Array.of(0b101), data: Int8Array.of(1, 99, 99), dictionary } as never);
    const t = columns({
      respiratory_rate: vectorFromArray([16, 16, 16], new Float64()),
      spo2: vectorFromArray([98, 98, 98], new Float64()),
      on_oxygen: vectorFromArray([false, false, false], new Bool()),
      systolic_bp: vectorFromArray([120, 120, 120], new Float64()),
      heart_rate: vectorFromArray([70, 70, 70], new Float64()),
      temperature: vectorFromArray([37, 37, 37], new Float64()),
      consciousness: makeVector(data),
    });
    const s = scoreTable(news2, t);
    // Chart: V scores 3 and every other vital here scores 0.
    expect([0, 1, 2].map((i) => rowOf(s, i).news2_total)).toEqual([3, null, null]);
    expect([0, 1, 2].map((i) => rowOf(s, i).news2_missing)).toEqual([null, 'consciousness', null]);
    expect([0, 1, 2].map((i) => rowOf(s, i).news2_flags)).toEqual([null, null, 'unknown_code:consciousness']);
  });

  it('an all-null (Arrow Null) column is read as missing in every row', () => {
    const t = columns({ temperature: makeVector(makeData({ type: new Null(), length: 2, nullCount: 2 })) });
    expect(t.schema.fields.find((f) => f.name === 'temperature')?.type).toBeInstanceOf(Null);
    const s = scoreTable(news2, t);
    expect(rowOf(s, 0).news2_total).toBeNull();
    expect(rowOf(s, 0).news2_missing).toBe('temperature');
    expect(rowOf(s, 1).news2_missing).toBe('temperature');
  });
});

describe('scoreTable(news2, table) output', () => {
  it('keeps every input column and adds the documented columns in order', () => {
    const t = tableOf([NORMAL]);
    const s = scoreTable(news2, t);
    expect(s.schema.fields.map((f) => f.name)).toEqual([...t.schema.fields.map((f) => f.name), ...outputColumns(news2)]);
    expect(outputColumns(news2)).toEqual([
      'news2_total',
      'news2_risk',
      'news2_red_flag',
      'news2_complete',
      'news2_respiratory_rate',
      'news2_spo2',
      'news2_on_oxygen',
      'news2_systolic_bp',
      'news2_heart_rate',
      'news2_consciousness',
      'news2_temperature',
      'news2_missing',
      'news2_flags',
    ]);
  });

  it('replaces score columns already present (scoring twice gives the same table shape)', () => {
    const once = scoreTable(news2, tableOf([NORMAL, { ...NORMAL, heartRate: 140 }]));
    const twice = scoreTable(news2, once);
    expect(twice.schema.fields.map((f) => f.name)).toEqual(once.schema.fields.map((f) => f.name));
    expect(rowOf(twice, 1).news2_total).toBe(3);
  });

  it('an empty table gives an empty table with the score columns', () => {
    const empty = tableOf([]);
    const s = scoreTable(news2, empty);
    expect(s.numRows).toBe(0);
    expect(s.schema.fields.map((f) => f.name)).toContain('news2_total');
  });

  it('survives an Arrow IPC round trip with the same values', () => {
    const s = scoreTable(news2, tableOf([NORMAL, { ...NORMAL, temperature: null }, { ...NORMAL, spo2: 120 }], { batchSize: 2 }));
    const back = tableFromIPC(tableToIPC(s, 'file'));
    expect(back.numRows).toBe(3);
    for (let i = 0; i < 3; i++) expect(rowOf(back, i)).toEqual(rowOf(s, i));
    expect(rowOf(back, 2).news2_flags).toBe('out_of_range:spo2');
  });

  it('is deterministic: scoring the same table twice gives byte-identical Arrow IPC', () => {
    const t = tableOf([NORMAL, { ...NORMAL, temperature: null }, { ...NORMAL, spo2: 120 }], { batchSize: 2 });
    expect(Buffer.from(tableToIPC(scoreTable(news2, t), 'file'))).toEqual(Buffer.from(tableToIPC(scoreTable(news2, t), 'file')));
  });

  it('records the score and missing-value policy in the schema metadata', () => {
    const s = scoreTable(news2, tableOf([NORMAL]));
    expect(JSON.parse(s.schema.metadata.get('ewskit.news2') as string)).toEqual({ score: 'news2', name: 'NEWS2', version: '2017', missingPolicy: 'none' });
  });

  it('honours slices (non-zero offsets) of the input', () => {
    const rows = [NORMAL, { ...NORMAL, heartRate: null }, { ...NORMAL, respiratoryRate: 30 }, { ...NORMAL, onOxygen: null }, { ...NORMAL, temperature: 39.5 }];
    const sliced = tableOf(rows).slice(1, 5);
    const s = scoreTable(news2, sliced);
    expect([0, 1, 2, 3].map((i) => rowOf(s, i).news2_total)).toEqual([null, 3, null, 2]);
    expect(rowOf(s, 0).news2_missing).toBe('heart_rate');
    expect(rowOf(s, 2).news2_missing).toBe('on_oxygen');
  });
});
