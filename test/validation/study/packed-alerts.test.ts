/**
 * The alert count table packed for a site summary: lossless through JSON (whole numbers as tokens, anything else as
 * 64-bit floats), and a malformed table is refused naming the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertCountTable } from '../../../validation/study/alerts.js';
import { PACKED_ALERTS_FORMAT, packAlertCounts, unpackAlertCounts } from '../../../validation/study/packed-alerts.js';
import { addAlertCounts } from '../../../validation/study/alerts.js';
import type { PackedAlertCounts } from '../../../validation/study/packed-alerts.js';

const H = 3_600_000;

/** One score, one rule, B = 1 (two rows): the hand-worked ward's data row, and a replicate where patient b counts twice. */
const table: AlertCountTable = {
  B: 1,
  method: 'poisson',
  seed: 4,
  horizonHours: 24,
  risingBy: null,
  toleranceMinutes: 30,
  wardTime: 'from admitted_at to left_ward_at of each encounter',
  scores: [
    {
      score: 'news2',
      sets: 9,
      episodes: 2,
      rules: [
        {
          label: 'NEWS2 ≥ 5 (medium)',
          counts: {
            sums: Float64Array.from([4, 9, 4, 72 * H, 1, 2, 1, 2, 1, 6, 14, 6, 96 * H, 1, 3, 1, 3, 1]),
            leads: Float64Array.from([16]),
            leadCounts: Float64Array.from([1, 1]),
            patientsWithAlert: 2,
            patientsWithEpisode: 2,
            patientsDetected: 1,
          },
        },
      ],
      monitoring: { bands: 1, sums: Float64Array.from([3, 2, 1, 0, 6, 4, 0, 0]), patients: [[2, 2, 1]] },
    },
  ],
};

const roundTrip = (t: AlertCountTable): AlertCountTable => unpackAlertCounts(JSON.parse(JSON.stringify(packAlertCounts(t))) as PackedAlertCounts);

describe('packAlertCounts', () => {
  it('round-trips a table through JSON; whole numbers travel as tokens', () => {
    const packed = packAlertCounts(table);
    expect(packed.format).toBe(PACKED_ALERTS_FORMAT);
    expect(packed.scores[0]?.rules[0]?.sums.encoding).toBe('whole');
    expect(roundTrip(table)).toEqual(table);
  });
  it('ward time that is not whole milliseconds travels as 64-bit floats, exactly', () => {
    const rule = table.scores[0]?.rules[0];
    if (rule === undefined) throw new Error('expected a rule');
    const sums = Float64Array.from(rule.counts.sums);
    sums[3] = 72 * H + 0.25; // a microsecond-precision time
    const odd: AlertCountTable = {
      ...table,
      scores: [{ ...(table.scores[0] as AlertCountTable['scores'][number]), rules: [{ ...rule, counts: { ...rule.counts, sums } }] }],
    };
    expect(packAlertCounts(odd).scores[0]?.rules[0]?.sums.encoding).toBe('float64');
    expect(roundTrip(odd)).toEqual(odd);
  });
  it('round-trips random tables (fast-check)', () => {
    const number = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.double({ min: 0, max: 1e9, noNaN: true }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.uniqueArray(fc.double({ min: 0, max: 24, noNaN: true }), { maxLength: 5 }),
        fc.boolean(),
        fc.infiniteStream(number),
        (B, leadsRaw, whole, stream) => {
          const it = stream[Symbol.iterator]();
          const next = (): number => (whole ? Math.floor(it.next().value as number) : (it.next().value as number));
          const leads = Float64Array.from(new Set(leadsRaw.map((x) => x + 0))).sort();
          const t: AlertCountTable = {
            ...table,
            B,
            scores: [
              {
                score: 's',
                sets: 3,
                episodes: 1,
                rules: [
                  {
                    label: 'r',
                    counts: {
                      sums: Float64Array.from({ length: (B + 1) * 9 }, next),
                      leads,
                      leadCounts: Float64Array.from({ length: (B + 1) * leads.length }, () => Math.floor(next() % 5)),
                      patientsWithAlert: 1,
                      patientsWithEpisode: 1,
                      patientsDetected: 0,
                    },
                  },
                ],
                monitoring: {
                  bands: 2,
                  sums: Float64Array.from({ length: (B + 1) * 8 }, () => Math.floor(next() % 7)),
                  patients: [
                    [1, 1, 0],
                    [0, 0, 0],
                  ],
                },
              },
            ],
          };
          expect(roundTrip(t)).toEqual(t);
        },
      ),
      { numRuns: 150 },
    );
  });
  it('refuses another format, a wrong length or an unknown encoding, naming the field', () => {
    const packed = packAlertCounts(table);
    expect(() => unpackAlertCounts({ ...packed, format: 'ewskit.packed-alert-counts/0' as typeof PACKED_ALERTS_FORMAT })).toThrow(
      /unpackAlertCounts: field "format" expected "ewskit.packed-alert-counts\/1"; received "ewskit.packed-alert-counts\/0"/,
    );
    // The same bytes read as B = 2: the sums run short.
    expect(() => unpackAlertCounts({ ...packed, B: 2 })).toThrow(
      /unpackAlertCounts: field "scores\[0\].rules\[0\].sums" expected 27 counts \(\(B \+ 1\) × 9 sums\); it ends early/,
    );
    const score = packed.scores[0] as PackedAlertCounts['scores'][number];
    const bad = {
      ...packed,
      scores: [
        { ...score, rules: [{ ...(score.rules[0] as PackedAlertCounts['scores'][number]['rules'][number]), sums: { encoding: 'int8' as 'whole', data: '' } }] },
      ],
    };
    expect(() => unpackAlertCounts(bad)).toThrow(
      /unpackAlertCounts: field "scores\[0\].rules\[0\].sums.encoding" expected "whole" or "float64"; received "int8"/,
    );
  });
  it('adds two tables cell by cell, and refuses what would not add (another bootstrap, another setting), naming the field', () => {
    const sum = addAlertCounts(table, table);
    expect(Array.from(sum.scores[0]?.rules[0]?.counts.sums ?? []).slice(0, 9)).toEqual([8, 18, 8, 144 * H, 2, 4, 2, 4, 2]);
    expect(sum.scores[0]?.episodes).toBe(4);
    expect(() => addAlertCounts({ ...table, method: 'multinomial' }, table)).toThrow(
      /addAlertCounts: field "method" is "multinomial"; only the Poisson bootstrap's replicates add/,
    );
    expect(() => addAlertCounts(table, { ...table, toleranceMinutes: 15 })).toThrow(/addAlertCounts: field "toleranceMinutes" differs \(30 and 15\)/);
  });
});
