/**
 * Invariants of NEWS2 scoring, stated as properties (fast-check): the batch kernel equals the single-observation
 * evaluator on arbitrary rows (nulls, implausible values, odd codes, several layouts and batch splits); output rows
 * equal input rows; a complete total is the sum of its subscores; worsening one vital never lowers the total.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import type { Observation } from '../../../scores/evaluate/score-observation.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { vital } from '../../helpers/arbitraries.js';
import { rowOf, tableOf } from '../../helpers/tables.js';

const COLUMN: Record<string, string> = {
  respiratoryRate: 'respiratory_rate',
  spo2: 'spo2',
  spo2Scale: 'spo2_scale',
  onOxygen: 'on_oxygen',
  systolicBP: 'systolic_bp',
  heartRate: 'heart_rate',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

const observation = (oxygen: fc.Arbitrary<boolean | number | null>): fc.Arbitrary<Observation> =>
  fc.record({
    respiratoryRate: vital(0, 90, { anyDouble: true }),
    spo2: vital(40, 105, { anyDouble: true }),
    spo2Scale: fc.constantFrom(null, null, 1, 2, 2, 3, 0),
    onOxygen: oxygen,
    systolicBP: vital(10, 320, { anyDouble: true }),
    heartRate: vital(0, 320, { anyDouble: true }),
    consciousness: fc.constantFrom('A', 'A', 'a', 'C', 'V', 'P', 'U', 'alert', 'New confusion', 'pain', 'X', '', null),
    temperature: vital(20, 110, { anyDouble: true }),
  });

const boolOxygen = fc.constantFrom<boolean | null>(true, false, null);
const anyOxygen = fc.constantFrom<boolean | number | null>(true, false, null, 0, 1, 2, Number.NaN);

function kernelRowAsObservationScore(row: Record<string, unknown>) {
  const split = (v: unknown) => (v === null ? [] : String(v).split(';'));
  return {
    total: row.news2_total,
    complete: row.news2_complete,
    risk: row.news2_risk,
    redFlag: row.news2_red_flag,
    missing: split(row.news2_missing),
    flags: split(row.news2_flags),
    subscores: Object.fromEntries(news2.parameters.map((p) => [p.field, row[`news2_${COLUMN[p.field]}`]])),
  };
}

function evaluatorInColumnNames(obs: Observation) {
  const r = scoreObservation(news2, obs);
  const rename = (s: string) => {
    const [reason, field] = s.split(':') as [string, string];
    return field === undefined ? COLUMN[reason] : `${reason}:${COLUMN[field]}`;
  };
  // The kernel lists missing columns in input order, the evaluator in the same order: compare as sets of names.
  return {
    total: r.total,
    complete: r.complete,
    risk: r.risk,
    redFlag: r.redFlag,
    missing: r.missing.map(rename).sort(),
    flags: r.flags.map(rename).sort(),
    subscores: r.subscores,
  };
}

function checkEqual(rows: Observation[], layout: Parameters<typeof tableOf>[1], slice?: readonly [number, number]): void {
  const table = tableOf(rows, layout);
  const scored = scoreTable(news2, slice === undefined ? table : table.slice(slice[0], slice[1]));
  if (slice !== undefined) rows = rows.slice(slice[0], slice[1]);
  expect(scored.numRows).toBe(rows.length);
  rows.forEach((obs, i) => {
    const k = kernelRowAsObservationScore(rowOf(scored, i));
    expect({ ...k, missing: k.missing.sort(), flags: k.flags.sort() }, JSON.stringify(obs)).toEqual(evaluatorInColumnNames(obs));
  });
}

describe('scoreTable(news2, table) equals scoreObservation row by row', () => {
  it('with Bool oxygen and dictionary consciousness, in batches', () => {
    fc.assert(
      fc.property(fc.array(observation(boolOxygen), { maxLength: 40 }), fc.integer({ min: 1, max: 17 }), (rows, batchSize) => {
        checkEqual(rows, { batchSize });
      }),
      { numRuns: 150 },
    );
  });

  it('on a slice of the table at any row offset (validity bits not on a byte boundary)', () => {
    fc.assert(
      fc.property(
        fc.array(observation(anyOxygen), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 3, max: 41 }),
        (rows, start, length, batchSize) => {
          checkEqual(rows, { batchSize, oxygenAs: 'float' }, [Math.min(start, rows.length), Math.min(start + length, rows.length)]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with numeric oxygen (0/1 and bad codes) and plain utf8 consciousness', () => {
    fc.assert(
      fc.property(fc.array(observation(anyOxygen), { maxLength: 40 }), (rows) => {
        checkEqual(rows, { oxygenAs: 'float', consciousnessAs: 'utf8' });
      }),
      { numRuns: 150 },
    );
  });
});

describe('NEWS2 invariants', () => {
  it('output rows equal input rows, and batches are kept', () => {
    fc.assert(
      fc.property(fc.array(observation(boolOxygen), { maxLength: 60 }), fc.integer({ min: 1, max: 25 }), (rows, batchSize) => {
        const table = tableOf(rows, { batchSize });
        const scored = scoreTable(news2, table);
        expect(scored.numRows).toBe(rows.length);
        expect(scored.batches.map((b) => b.numRows)).toEqual(table.batches.map((b) => b.numRows));
      }),
    );
  });

  it('a complete total is the sum of its subscores and lies in 0–20', () => {
    fc.assert(
      fc.property(observation(anyOxygen), (obs) => {
        const r = scoreObservation(news2, obs);
        if (!r.complete) return;
        const sum = Object.values(r.subscores).reduce<number>((s, v) => s + (v as number), 0);
        expect(r.total).toBe(sum);
        expect(r.total).toBeGreaterThanOrEqual(0);
        expect(r.total).toBeLessThanOrEqual(20);
      }),
      { numRuns: 500 },
    );
  });

  // Normal bands by the chart (RCP 2017): moving away from them never lowers the points.
  const NORMAL_RANGE: Record<string, [number, number]> = {
    respiratoryRate: [12, 20],
    systolicBP: [111, 219],
    heartRate: [51, 90],
    temperature: [36.1, 38.0],
  };
  const complete = fc.record({
    respiratoryRate: fc.integer({ min: 0, max: 80 }),
    spo2: fc.integer({ min: 50, max: 100 }),
    onOxygen: fc.boolean(),
    spo2Scale: fc.constantFrom(1, 2),
    systolicBP: fc.integer({ min: 20, max: 300 }),
    heartRate: fc.integer({ min: 0, max: 300 }),
    consciousness: fc.constantFrom('A', 'C', 'V', 'P', 'U'),
    temperature: fc.integer({ min: 250, max: 450 }).map((x) => x / 10),
  });

  it('moving any one vital further from its normal band never lowers the total', () => {
    fc.assert(
      fc.property(
        complete,
        fc.constantFrom('respiratoryRate', 'systolicBP', 'heartRate', 'temperature', 'spo2'),
        fc.integer({ min: 0, max: 60 }),
        (obs, field, step) => {
          const before = scoreObservation(news2, obs);
          const worse = { ...obs } as Record<string, unknown>;
          const v = obs[field as keyof typeof obs] as number;
          if (field === 'spo2') {
            // Lower is worse on Scale 1 and below 88 on Scale 2; on Scale 2 with oxygen, above 92 is worse too.
            const up = obs.spo2Scale === 2 && obs.onOxygen && v > 92;
            worse.spo2 = Math.max(50, Math.min(100, up ? v + step : v - step));
          } else {
            const [lo, hi] = NORMAL_RANGE[field] as [number, number];
            const mid = (lo + hi) / 2;
            const delta = field === 'temperature' ? step / 10 : step;
            worse[field] = v >= mid ? v + delta : v - delta;
          }
          const after = scoreObservation(news2, worse as Observation);
          if (before.complete && after.complete) expect(after.total as number).toBeGreaterThanOrEqual(before.total as number);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('worsening consciousness (A → C/V/P/U) or adding oxygen never lowers the total', () => {
    fc.assert(
      fc.property(complete, fc.constantFrom('C', 'V', 'P', 'U'), (obs, level) => {
        const base = scoreObservation(news2, { ...obs, consciousness: 'A' }).total as number;
        expect(scoreObservation(news2, { ...obs, consciousness: level }).total as number).toBeGreaterThanOrEqual(base);
        if (obs.spo2Scale === 1) {
          const air = scoreObservation(news2, { ...obs, onOxygen: false }).total as number;
          expect(scoreObservation(news2, { ...obs, onOxygen: true }).total as number).toBeGreaterThanOrEqual(air);
        }
      }),
    );
  });
});
