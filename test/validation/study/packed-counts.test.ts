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
import { addScoreCounts, cohortScoreCounts, compareScoreCountRows, scoreCounts } from '../../../validation/study/count-tables.js';
import type { PackedScoreCounts } from '../../../validation/study/packed-counts.js';
import { scoreCountGrids } from '../../../validation/study/count-grids.js';
import {
  PACKED_COUNTS_FORMAT,
  packGrids,
  packScoreCounts,
  scoreCountTable,
  sumScoreCounts,
  unpackScoreCounts,
} from '../../../validation/study/packed-counts.js';

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

  it('writes the grid as tokens in base64: positives 1, 0 then negatives 200, 1 → tokens 2, 1, 201, 2 → "AgHJAQI="', () => {
    // A count n is the token n + 1; a single zero is the token 1. 201 = 0b1100_1001: low seven bits 0x49 with the
    // continuation bit → 0xC9, then 201 >> 7 = 1 → 0x01. Bytes 02 01 C9 01 02 in sextets:
    // 000000 100000 000111 001001 | 000000 010000 0010(00) → A g H J | A Q I =.
    const packed = packScoreCounts(table, []);
    expect(packed.format).toBe(PACKED_COUNTS_FORMAT);
    expect(packed.blocks).toHaveLength(1);
    expect(packed.blocks[0]?.counts).toBe('AgHJAQI=');
    expect(packed.blocks[0]?.sums).toBe('');
    // The values as little-endian doubles: 0 is eight zero bytes; 2 is 00 … 00 40 (sign 0, exponent 0x400).
    expect(packed.blocks[0]?.values).toBe(btoa(String.fromCharCode(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40)));
    expect(unpackScoreCounts(packed)).toEqual(table);
  });

  it('writes a run of zeros as 0 and its length, and a pair within its score’s cells as the complement', () => {
    // Score s at value 1: 3 positive sets in the data, none in replicates 0 and 1 (B = 2); 5 negative sets in all three.
    // Positives 3, 0, 0 → tokens 4, 0, 2 (a run of two zeros); negatives 5, 5, 5 → 6, 6, 6.
    // The pair s|t has the same cells less one negative set in the data: its complement is 0, 0, 0, 1, 0, 0 → tokens
    // 0, 3 (three zeros), 2, 0, 2.
    const def = { ...DEF, scores: ['s', 's|t'], B: 2 };
    const rows = [-1, 0, 1].flatMap((replicate) => [
      { score: 's', value: 1, group: '', replicate, positive: replicate === -1 ? 3 : 0, negative: 5, sum: replicate === -1 ? 8 : 5 },
      { score: 's|t', value: 1, group: '', replicate, positive: replicate === -1 ? 3 : 0, negative: replicate === -1 ? 4 : 5, sum: replicate === -1 ? 7 : 5 },
    ]);
    const pair = { definition: def, rows: rows.sort((a, b) => (a.score < b.score ? -1 : a.score > b.score ? 1 : a.replicate - b.replicate)) };
    const packed = packScoreCounts(pair, []);
    const bytes = (b64: string) => Array.from(atob(b64), (c) => c.charCodeAt(0));
    expect(bytes(packed.blocks[0]?.counts as string)).toEqual([4, 0, 2, 6, 6, 6]);
    expect(packed.blocks[1]).toMatchObject({ score: 's|t', minus: 's', values: '' });
    expect(bytes(packed.blocks[1]?.counts as string)).toEqual([0, 3, 2, 0, 2]);
    expect(unpackScoreCounts(packed)).toEqual(pair);
    // A complement whose block is missing is named.
    expect(() => unpackScoreCounts({ ...packed, blocks: [packed.blocks[1] as PackedScoreCounts['blocks'][number]] })).toThrow(
      /unpackScoreCounts: field "blocks\[0\]\.minus" expected a block before it of score "s" in group ""; there is none/,
    );
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
    expect(() => unpackScoreCounts({ ...packed, blocks: [{ ...block, counts: 'AgHJ' }] })).toThrow(/"blocks\[0\]\.counts" expected 4 counts .* it ends early/);
    expect(() => unpackScoreCounts({ ...packed, blocks: [{ ...block, counts: 'AgHJAQIB' }] })).toThrow(/1 bytes are left over/);
    // A run of zeros longer than the grid: tokens 0, 9.
    expect(() => unpackScoreCounts({ ...packed, blocks: [{ ...block, counts: btoa(String.fromCharCode(0, 9)) }] })).toThrow(
      /a run of 9 zeros at count 0 runs over/,
    );
    expect(() => unpackScoreCounts({ ...packed, blocks: [{ ...block, counts: '!!' }] })).toThrow(/"blocks\[0\]\.counts" expected base64 text/);
  });
});

/** A table of random sets: a points score, a model, and each on the sets the other can also score. */
const setsArb = fc.array(
  fc.record({
    patient: fc.nat(6),
    points: fc.integer({ min: 0, max: 20 }),
    p: fc.double({ min: 0, max: 1, noNaN: true }),
    y: fc.boolean(),
    g: fc.constantFrom('a', 'b', ''),
    both: fc.boolean(),
  }),
  { minLength: 1, maxLength: 40 },
);
type Sets = typeof setsArb extends fc.Arbitrary<infer T> ? T : never;
function tableOf(sets: Sets, B: number): ScoreCountTable {
  const { input, definition } = inputOf(sets, B);
  return scoreCounts(input, definition);
}
function inputOf(sets: Sets, B: number) {
  return {
    input: {
      scores: [
        { id: 'pts', probabilistic: false },
        { id: 'model', probabilistic: true },
        { id: 'pts|model', probabilistic: false },
        { id: 'model|pts', probabilistic: true },
      ],
      values: [
        Float64Array.from(sets, (s) => s.points),
        Float64Array.from(sets, (s) => s.p),
        Float64Array.from(sets, (s) => (s.both ? s.points : Number.NaN)),
        Float64Array.from(sets, (s) => (s.both ? s.p : Number.NaN)),
      ],
      labels: Uint8Array.from(sets, (s) => (s.y ? 1 : 0)),
      patient: Int32Array.from(sets, (s) => s.patient),
      patientKeys: Array.from({ length: 7 }, (_, k) => `P${k}`),
      group: sets.map((s) => s.g),
    },
    definition: { ...DEF, scores: ['pts', 'model', 'pts|model', 'model|pts'], groupBy: 'g', B, resolution: 100 },
  };
}
const MODELS = ['model', 'model|pts'];
/** A table as packing gives it back: a model's Σ NaN in the replicates. */
const asCarried = (t: ScoreCountTable): ScoreCountTable => ({
  definition: t.definition,
  rows: t.rows.map((r) => (MODELS.includes(r.score) && r.replicate >= 0 ? { ...r, sum: Number.NaN } : r)),
});

describe('sumScoreCounts', () => {
  it('adds sites’ tables, packed or not, as addScoreCounts adds them unpacked — and with collapseGroups, as every group’s cells added after', () => {
    fc.assert(
      fc.property(setsArb, setsArb, setsArb, fc.nat(3), (x, y, z, B) => {
        const tables = [tableOf(x, B), tableOf(y, B), tableOf(z, B)];
        const expected = tables.map(asCarried).reduce((a, b) => addScoreCounts(a, b));
        const shared = [
          packScoreCounts(tables[0] as ScoreCountTable, MODELS),
          tables[1] as ScoreCountTable,
          packScoreCounts(tables[2] as ScoreCountTable, MODELS),
        ];
        expect(sumScoreCounts(shared, MODELS)).toEqual(expected);
        // The reference: every group's cells of a score, replicate and value added, row by row, in the table's order.
        const cells = new Map<string, ScoreCountTable['rows'][number]>();
        for (const r of expected.rows) {
          const key = `${r.score}|${r.replicate}|${r.value}`;
          const c = cells.get(key);
          cells.set(
            key,
            c === undefined ? { ...r, group: '' } : { ...c, positive: c.positive + r.positive, negative: c.negative + r.negative, sum: c.sum + r.sum },
          );
        }
        const collapsed = { definition: { ...expected.definition, groupBy: null }, rows: [...cells.values()].sort(compareScoreCountRows) };
        const got = sumScoreCounts(shared, MODELS, { collapseGroups: true });
        expect(got.definition).toEqual(collapsed.definition);
        // Σ of a model's probabilities is added in another order (groups before sites): equal to rounding.
        const strip = (t: ScoreCountTable) => t.rows.map((r) => ({ ...r, sum: MODELS.includes(r.score) ? 0 : r.sum }));
        expect(strip(got)).toEqual(strip(collapsed));
        got.rows.forEach((r, k) => {
          const sum = collapsed.rows[k]?.sum as number;
          if (Number.isNaN(sum)) expect(r.sum).toBeNaN();
          else expect(r.sum).toBeCloseTo(sum, 12);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('counting straight into grids packs to the same bytes as counting rows and packing them (scoreCountGrids)', () => {
    fc.assert(
      fc.property(setsArb, fc.nat(3), (sets, B) => {
        const { input, definition } = inputOf(sets, B);
        const direct = packGrids(scoreCountGrids(input, definition), definition);
        expect(JSON.stringify(direct)).toBe(JSON.stringify(packScoreCounts(scoreCounts(input, definition), MODELS)));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses tables of different definitions, naming the field', () => {
    const t = tableOf([{ patient: 0, points: 1, p: 0.5, y: true, g: 'a', both: true }], 2);
    const other = { ...t, definition: { ...t.definition, seed: 9 } };
    expect(() => sumScoreCounts([packScoreCounts(t, MODELS), other], MODELS)).toThrow(/sumScoreCounts: the tables differ in "seed" \(1 and 9\)/);
  });
});

describe('packScoreCounts round trip', () => {
  it('gives back every cell of any table (points exact; a model’s Σ in the data, NaN in the replicates), through JSON', () => {
    fc.assert(
      fc.property(setsArb, fc.nat(4), (sets, B) => {
        // Each score also on the sets the other can also score (a random half): the pairs travel as complements.
        const table = tableOf(sets, B);
        const packed = packScoreCounts(table, MODELS);
        const back = unpackScoreCounts(JSON.parse(JSON.stringify(packed)) as PackedScoreCounts);
        expect(back).toEqual(asCarried(table));
        // Every pair whose score has a block in its group travelled as a complement.
        for (const b of packed.blocks) if (b.score.includes('|')) expect(b.minus).toBe(b.score.split('|')[0]);
      }),
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
