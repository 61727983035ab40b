/**
 * Count grids: a table's cells as typed arrays per (score, group). Checked against the table's rows read by hand — each
 * score's cells over every group added per value, the data's and each replicate's — on random tables (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CountTableDefinition, ScoreCountRow } from '../../../validation/study/count-tables.js';
import { scoreCounts } from '../../../validation/study/count-tables.js';
import { collapseGrids, denseFromGrids, gridMeans, gridTable, probabilisticIds } from '../../../validation/study/count-grids.js';

const DEF: CountTableDefinition = {
  table: 'score_counts',
  version: 1,
  scores: ['pts', 'model'],
  groupBy: 'g',
  horizonHours: 24,
  B: 0,
  seed: 3,
  resolution: 50,
};

const setsArb = fc.array(
  fc.record({
    patient: fc.nat(5),
    points: fc.integer({ min: 0, max: 6 }),
    p: fc.double({ min: 0, max: 1, noNaN: true }),
    y: fc.boolean(),
    g: fc.constantFrom('a', 'b', 'c'),
  }),
  { minLength: 1, maxLength: 30 },
);

/** Per value (ascending), the rows' positives and negatives over the groups `keep` selects, in one replicate. */
function byHand(rows: readonly ScoreCountRow[], score: string, replicate: number, keep: (g: string) => boolean) {
  const cells = new Map<number, [number, number, number]>();
  for (const r of rows) {
    if (r.score !== score || r.replicate !== replicate || !keep(r.group)) continue;
    const c = cells.get(r.value) ?? [0, 0, 0];
    cells.set(r.value, [c[0] + r.positive, c[1] + r.negative, c[2] + r.sum]);
  }
  const values = [...cells.keys()].sort((a, b) => a - b);
  return { values, pos: values.map((v) => cells.get(v)?.[0]), neg: values.map((v) => cells.get(v)?.[1]), sum: values.map((v) => cells.get(v)?.[2]) };
}

describe('count grids', () => {
  it('collapsed over the groups, or one group as it is, give each replicate’s dense counts the rows give; a model’s bucket means too', () => {
    fc.assert(
      fc.property(setsArb, fc.nat(3), fc.constantFrom('a', 'b', 'c'), (sets, B, one) => {
        const definition = { ...DEF, B };
        const table = scoreCounts(
          {
            scores: [
              { id: 'pts', probabilistic: false },
              { id: 'model', probabilistic: true },
            ],
            values: [Float64Array.from(sets, (s) => s.points), Float64Array.from(sets, (s) => s.p)],
            labels: Uint8Array.from(sets, (s) => (s.y ? 1 : 0)),
            patient: Int32Array.from(sets, (s) => s.patient),
            patientKeys: Array.from({ length: 6 }, (_, k) => `P${k}`),
            group: sets.map((s) => s.g),
          },
          definition,
        );
        const grids = gridTable(table, ['model'], 'test');
        for (const keep of [() => true, (g: string) => g === one]) {
          const perScore = denseFromGrids(collapseGrids(grids, keep, B), B);
          for (const score of ['pts', 'model']) {
            const { data, replicates } = perScore(score);
            expect(replicates).toHaveLength(B);
            [data, ...replicates].forEach((c, k) => {
              const hand = byHand(table.rows, score, k - 1, keep);
              expect(Array.from(c.values)).toEqual(hand.values);
              expect(Array.from(c.pos)).toEqual(hand.pos);
              expect(Array.from(c.neg)).toEqual(hand.neg);
              // Tails: entry 0 is every positive (negative) set of the replicate.
              expect(c.tailPos[0]).toBe(hand.pos.reduce((t: number, x) => t + (x as number), 0));
              expect(c.tailNeg[0]).toBe(hand.neg.reduce((t: number, x) => t + (x as number), 0));
            });
          }
          // A model's mean probability per bucket in the data: Σp over the kept groups / their sets.
          const model = collapseGrids(grids, keep, B).get('model');
          const hand = byHand(table.rows, 'model', -1, keep);
          if (model === undefined) expect(hand.values).toEqual([]);
          else {
            const means = gridMeans(model, B);
            hand.values.forEach((v, i) => expect(means.get(v)).toBeCloseTo((hand.sum[i] as number) / ((hand.pos[i] as number) + (hand.neg[i] as number)), 12));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('names a model’s pair scores (a|b, a!b) as probabilities too, and nothing else', () => {
    expect(
      probabilisticIds(['news2', 'apollo_style', 'news2|apollo_style', 'apollo_style|news2', 'apollo_style!news2', 'news2:red'], ['apollo_style']),
    ).toEqual(['apollo_style', 'apollo_style|news2', 'apollo_style!news2']);
  });
});
