/**
 * Every catalogue score, scored together in one pass, equals the single-observation evaluator row by row, and
 * equals scoring each score on its own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cart } from '../../../scores/catalogue/cart.js';
import type { BandedScore } from '../../../scores/definition/definition.js';
import { mews } from '../../../scores/catalogue/mews.js';
import { news } from '../../../scores/catalogue/news.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { qsofa } from '../../../scores/catalogue/qsofa.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';
import { outputColumns, scoreTable } from '../../../scores/kernel/score-table.js';
import { FIELDS } from '../../../scores/definition/schema.js';
import { anyObservation } from '../../helpers/arbitraries.js';
import { rowOf, tableOf } from '../../helpers/tables.js';

const ALL: BandedScore[] = [news2, news, mews, qsofa, cart];

const observation = anyObservation;

const column = (field: string): string => FIELDS[field as keyof typeof FIELDS].column;
const rename = (s: string): string => {
  const [reason, field] = s.split(':') as [string, string];
  return `${reason}:${column(field)}`;
};

describe('scoreTable([news2, news, mews, qsofa, cart], table)', () => {
  it('equals scoreObservation for every score, row by row', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 30 }), fc.integer({ min: 1, max: 11 }), (rows, batchSize) => {
        const scored = scoreTable(ALL, tableOf(rows, { batchSize }));
        expect(scored.numRows).toBe(rows.length);
        rows.forEach((obs, i) => {
          const row = rowOf(scored, i);
          for (const score of ALL) {
            const r = scoreObservation(score, obs);
            const id = score.id;
            const split = (v: unknown) => (v === null ? [] : String(v).split(';')).sort();
            const got = {
              total: row[`${id}_total`],
              risk: row[`${id}_risk`],
              redFlag: row[`${id}_red_flag`],
              complete: row[`${id}_complete`],
              missing: split(row[`${id}_missing`]),
              flags: split(row[`${id}_flags`]),
              subscores: Object.fromEntries(score.parameters.map((p) => [p.field, row[`${id}_${column(p.field)}`]])),
            };
            const want = {
              total: r.total,
              risk: r.risk,
              redFlag: r.redFlag,
              complete: r.complete,
              missing: r.missing.map(column).sort(),
              flags: r.flags.map(rename).sort(),
              subscores: r.subscores,
            };
            expect(got, `${id} ${JSON.stringify(obs)}`).toEqual(want);
          }
        });
      }),
      { numRuns: 120 },
    );
  });

  it('gives the same columns as scoring each score on its own', () => {
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 25 }), (rows) => {
        const table = tableOf(rows);
        const together = scoreTable(ALL, table);
        for (const score of ALL) {
          const alone = scoreTable(score, table);
          for (const name of outputColumns(score)) {
            expect(together.getChild(name)?.toArray(), name).toEqual(alone.getChild(name)?.toArray());
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('rejects two scores with one id, and an empty list', () => {
    expect(() => scoreTable([news2, news2], tableOf([]))).toThrow(/distinct ids/);
    expect(() => scoreTable([], tableOf([]))).toThrow(/at least one score/);
  });
});
