/**
 * One definition, three executions: the SQL that toSQL emits, run in a real DuckDB, gives the same columns as the
 * batch kernel on property-generated rows (nulls, implausible values, odd codes included).
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cart } from '../../../scores/catalogue/cart.js';
import type { ScoreDefinition } from '../../../scores/definition/definition.js';
import { loadScore } from '../../../scores/load/load-score.js';
import { mews } from '../../../scores/catalogue/mews.js';
import { news } from '../../../scores/catalogue/news.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { qsofa } from '../../../scores/catalogue/qsofa.js';
import type { Observation } from '../../../scores/evaluate/score-observation.js';
import { outputColumns, scoreTable } from '../../../scores/kernel/score-table.js';
import { toSQL } from '../../../scores/sql/sql.js';
import { quoteIdent } from '../../../scores/sql/sql-text.js';
import { anyObservation } from '../../helpers/arbitraries.js';
import { NUMERIC as NUMERIC_FIELDS, rowOf, tableOf } from '../../helpers/tables.js';

const model = loadScore(readFileSync(new URL('../../fixtures/example-model.json', import.meta.url), 'utf8'));
const ALL: ScoreDefinition[] = [news2, news, mews, qsofa, cart, model];

/** Every numeric column, and spo2_scale (a code stored as a number). */
const NUMERIC: readonly [keyof Observation, string][] = [...NUMERIC_FIELDS, ['spo2Scale', 'spo2_scale']];

let db: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
});
afterAll(() => {
  con.closeSync();
});

async function load(rows: Observation[], name = 'obs'): Promise<void> {
  await con.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(name)} ("row" INTEGER, ${NUMERIC.map(([, c]) => `${quoteIdent(c)} DOUBLE`).join(', ')}, on_oxygen BOOLEAN, consciousness VARCHAR)`,
  );
  const app = await con.createAppender(name);
  rows.forEach((r, i) => {
    app.appendInteger(i);
    for (const [k] of NUMERIC) {
      const v = r[k] as number | null | undefined;
      if (v === null || v === undefined) app.appendNull();
      else app.appendDouble(v);
    }
    if (r.onOxygen === null || r.onOxygen === undefined) app.appendNull();
    else app.appendBoolean(r.onOxygen === true);
    if (r.consciousness === null || r.consciousness === undefined) app.appendNull();
    else app.appendVarchar(r.consciousness);
    app.endRow();
  });
  app.closeSync();
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjects() as Record<string, unknown>[];
}

const observation = anyObservation;

/** Normalise DuckDB values (BigInt integers, NaN) for comparison with Arrow values. */
function norm(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object' && v !== null && 'toDouble' in v) return (v as { toDouble(): number }).toDouble();
  return v ?? null;
}

describe('toSQL(scores) in DuckDB equals scoreTable(scores)', () => {
  it('for every catalogue score and a model, on property-generated rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { minLength: 1, maxLength: 30 }), async (rows) => {
        await load(rows);
        const sql = `${toSQL(ALL, { table: 'obs' })}\nORDER BY o."row"`;
        const fromSql = await query(sql);
        const kernel = scoreTable(ALL, tableOf(rows));
        expect(fromSql).toHaveLength(rows.length);
        rows.forEach((obs, i) => {
          const k = rowOf(kernel, i);
          const q = fromSql[i] as Record<string, unknown>;
          for (const score of ALL) {
            for (const name of outputColumns(score)) {
              const a = norm(q[name]);
              const b = k[name] ?? null;
              if (typeof b === 'number' && !Number.isInteger(b)) expect(a as number, `${name} ${JSON.stringify(obs)}`).toBeCloseTo(b, 12);
              else expect(a, `${name} ${JSON.stringify(obs)}`).toEqual(b);
            }
          }
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('toSQL(score, options)', () => {
  it('quotes identifiers, so a table name cannot inject SQL', async () => {
    await load([{ respiratoryRate: 16 }]);
    const hostile = 'obs"; DROP TABLE obs; --';
    await expect(query(toSQL(news2, { table: hostile }))).rejects.toThrow(/does not exist/);
    expect((await query('SELECT count(*) AS n FROM obs'))[0]?.n).toBe(1n);
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });

  it('emits the PostgreSQL dialect (its own non-finite test) over a default table name', () => {
    const pg = toSQL(news2, { dialect: 'postgres', table: 'observations' });
    expect(pg).toMatch(/^SELECT o\.\*,/);
    expect(pg).toMatch(/'NaN'::float8/);
    expect(pg).not.toMatch(/isfinite/);
    expect(pg).toMatch(/FROM "observations" AS o/);
    expect(toSQL(mews)).toMatch(/FROM "observations" AS o/);
    expect(toSQL(mews)).toMatch(/AS "mews_total"/);
  });

  it('is compact enough to plan quickly, and composes as a subquery', async () => {
    expect(toSQL(news2).length).toBeLessThan(40_000);
    await load([{ respiratoryRate: 22, spo2: 94, onOxygen: false, systolicBP: 105, heartRate: 112, consciousness: 'A', temperature: 38.4 }]);
    const rows = await query(`SELECT news2_risk, count(*) AS n FROM (${toSQL(news2, { table: 'obs' })}) AS scored GROUP BY news2_risk`);
    expect(rows).toEqual([{ news2_risk: 'high', n: 1n }]);
  });

  it('rejects an unknown dialect', () => {
    expect(() => toSQL(news2, { dialect: 'oracle' as never })).toThrow(/toSQL: option "dialect" expected 'duckdb', 'postgres' or 'spark'/);
  });

  it('honours numeric 0/1 oxygen and the research option', async () => {
    await con.run(
      `CREATE OR REPLACE TABLE o2 (respiratory_rate DOUBLE, spo2 DOUBLE, spo2_scale DOUBLE, on_oxygen DOUBLE, systolic_bp DOUBLE, heart_rate DOUBLE, consciousness VARCHAR, temperature DOUBLE)`,
    );
    await con.run(`INSERT INTO o2 VALUES (22, 94, NULL, 1, 105, 112, 'A', NULL), (22, 94, NULL, 0.5, 105, 112, 'A', 38.4)`);
    const rows = await query(toSQL(news2, { table: 'o2', oxygenType: 'number', missing: 'zero' }));
    expect(norm(rows[0]?.news2_total)).toBe(2 + 1 + 2 + 1 + 2 + 0 + 0); // temperature missing scored 0
    expect(rows[1]?.news2_flags).toBe('unknown_code:on_oxygen');
    expect(rows[1]?.news2_total).toBeNull();
  });
});
