/**
 * `score_counts` packed for travel: a hand-worked encoding (varints and base64 worked in the comments), the round trip
 * on any table (fast-check: every cell back, Σ as the format states), JSON-safe, much smaller than the rows as JSON,
 * and clear errors for what this version did not write.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import type { CountTableDefinition, ScoreCountTable } from '../../../validation/study/count-tables.js';
import { cohortScoreCounts, scoreCounts } from '../../../validation/study/count-tables.js';
import type { PackedScoreCounts } from '../../../validation/study/packed-counts.js';
import { PACKED_COUNTS_FORMAT, packScoreCounts, scoreCountTable, unpackScoreCounts } from '../../../validation/study/packed-counts.js';

const DEF: CountTableDefinition = { table: 'score_counts', version: 1, scores: ['s'], groupBy: null, horizonHours: 24, B: 0, seed: 1, resolution: 10 };

describe('packScoreCounts (hand-worked)', () => {
  // One points score, no replicates (B = 0): value 0 with 1 positive and 200 negative sets (Σ 0); value 2 with one
  // negative set (Σ 2). The grid is the data's row: value 0's (1, 200), then value 2's (0, 1).
  const table: ScoreCountTable = {
    definition: DEF,
    rows: [
      { score: 's', value: 0, group: '', replicate: -1, positive: 1, negative: 200, sum: 0 },
      { score: 's', value: 2, group: '', replicate: -1, positive: 0, negative: 1, sum: 2 },
    ],
  };

  it('writes the grid as LEB128 varints in base64: 1, 200, 0, 1 → 01 C8 01 00 01 → "AcgBAAE="', () => {
    // 200 = 0b1100_1000: low seven bits 0x48 with the continuation bit → 0xC8, then 200 >> 7 = 1 → 0x01.
    // Bytes 01 C8 01 00 01 in sextets: 000000 011100 100000 000001 | 000000 000000 0001(00) → A c g B | A A E =.
    const packed = packScoreCounts(table, []);
    expect(packed.format).toBe(PACKED_COUNTS_FORMAT);
    expect(packed.blocks).toHaveLength(1);
    expect(packed.blocks[0]?.counts).toBe('AcgBAAE=');
    expect(packed.blocks[0]?.sums).toBe('');
    // The values as little-endian doubles: 0 is eight zero bytes; 2 is 00 … 00 40 (sign 0, exponent 0x400).
    expect(packed.blocks[0]?.values).toBe(btoa(String.fromCharCode(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40)));
    expect(unpackScoreCounts(packed)).toEqual(table);
  });

  it('refuses a points score whose Σ is not its value × sets, and a count that is not whole', () => {
    const bad = { ...table, rows: [{ ...(table.rows[0] as ScoreCountTable['rows'][number]), sum: 0.5 }] };
    expect(() => packScoreCounts(bad, [])).toThrow(/packScoreCounts: .*field "sum" expected value × sets \(0\) for a points score; received 0\.5/);
    const half = { ...table, rows: [{ ...(table.rows[0] as ScoreCountTable['rows'][number]), positive: 1.5 }] };
    expect(() => packScoreCounts(half, [])).toThrow(/field "positive" expected a whole number ≥ 0; received 1\.5/);
  });

  it('refuses a packed table of another format, counts that end early or run over, and text that is not base64', () => {
    const packed = packScoreCounts(table, []);
    expect(() => unpackScoreCounts({ ...packed, format: 'x' } as unknown as PackedScoreCounts)).toThrow(
      /unpackScoreCounts: field "format" expected "ewskit.packed-score-counts\/1"; received "x"/,
    );
    const block = packed.blocks[0] as PackedScoreCounts['blocks'][number];
    expect(() => unpackScoreCounts({ ...packed, blocks: [{ ...block, counts: 'AcgB' }] })).toThrow(/"blocks\[0\]\.counts" expected 4 counts .* it ends early/);
    expect(() => unpackScoreCounts({ ...packed, blocks: [{ ...block, counts: 'AcgBAAEA' }] })).toThrow(/1 bytes are left over/);
    expect(() => unpackScoreCounts({ ...packed, blocks: [{ ...block, counts: '!!' }] })).toThrow(/"blocks\[0\]\.counts" expected base64 text/);
  });
});

describe('packScoreCounts round trip', () => {
  it('gives back every cell of any table (points exact; a model’s Σ in the data, NaN in the replicates), through JSON', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            patient: fc.nat(6),
            points: fc.integer({ min: 0, max: 20 }),
            p: fc.double({ min: 0, max: 1, noNaN: true }),
            y: fc.boolean(),
            g: fc.constantFrom('a', 'b', ''),
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.nat(4),
        (sets, B) => {
          const table = scoreCounts(
            {
              scores: [
                { id: 'pts', probabilistic: false },
                { id: 'model', probabilistic: true },
              ],
              values: [Float64Array.from(sets, (s) => s.points), Float64Array.from(sets, (s) => s.p)],
              labels: Uint8Array.from(sets, (s) => (s.y ? 1 : 0)),
              patient: Int32Array.from(sets, (s) => s.patient),
              patientKeys: Array.from({ length: 7 }, (_, k) => `P${k}`),
              group: sets.map((s) => s.g),
            },
            { ...DEF, scores: ['pts', 'model'], groupBy: 'g', B, resolution: 100 },
          );
          const back = unpackScoreCounts(JSON.parse(JSON.stringify(packScoreCounts(table, ['model']))) as PackedScoreCounts);
          expect(back.definition).toEqual(table.definition);
          const expected = table.rows.map((r) => (r.score === 'model' && r.replicate >= 0 ? { ...r, sum: Number.NaN } : r));
          expect(back.rows).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a model scored on a site is far smaller packed than as JSON rows, and the table itself passes through scoreCountTable', () => {
    const cohort = generateCohort({ encounters: 200, seed: 3, profile: 'india-apollo' });
    const table = cohortScoreCounts({ cohort, scores: [news2, apolloStyle], B: 50, seed: 2, derived: true });
    const models = table.definition.scores.filter((id) => id.startsWith('apollo_style'));
    const packed = packScoreCounts(table, models);
    expect(JSON.stringify(packed).length * 10).toBeLessThan(JSON.stringify(table.rows).length);
    const back = scoreCountTable(packed);
    expect(back.rows.length).toBe(table.rows.length);
    expect(back.rows.filter((r) => r.replicate === -1)).toEqual(table.rows.filter((r) => r.replicate === -1));
    expect(scoreCountTable(table)).toBe(table);
  });
});
