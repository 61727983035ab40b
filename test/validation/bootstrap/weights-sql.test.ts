/**
 * The Poisson bootstrap's weights computed by the database equal `poissonWeight` in JavaScript, in DuckDB (embedded)
 * and in a real PostgreSQL server started for the test: the same replicates wherever they are computed. Keys of every
 * kind a trust's extract holds — short and long text, non-ASCII, integers — and a seed above 2³¹.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poissonWeight } from '../../../validation/bootstrap/replicate-weights.js';
import { poissonWeightsSql } from '../../../validation/bootstrap/weights-sql.js';
import type { RunningPostgres } from '../../helpers/postgres.js';
import { postgresUnavailable, startPostgres } from '../../helpers/postgres.js';

const KEYS = Array.from({ length: 240 }, (_, i) =>
  i % 4 === 0 ? `P${i}` : i % 4 === 1 ? `患者-${i}-Ωmega` : i % 4 === 2 ? `${i * 7919}` : `nhs-${'x'.repeat(i % 70)}`,
);
const B = 12;
const SEED = 4_000_000_123;
const VALUES = KEYS.map((k) => `('${k}')`).join(', ');

function checkRows(rows: { key: unknown; replicate: unknown; weight: unknown }[]): void {
  expect(rows).toHaveLength(KEYS.length * B);
  const mismatches = rows.filter((r) => Number(r.weight) !== poissonWeight(String(r.key), Number(r.replicate), SEED));
  expect(mismatches).toEqual([]);
  // Some patients are drawn 0, some 2 or more times: the weights are not all 1.
  expect(new Set(rows.map((r) => Number(r.weight))).size).toBeGreaterThanOrEqual(4);
}

describe('poissonWeightsSql in DuckDB', () => {
  it('gives every (key, replicate) the weight poissonWeight gives', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`CREATE TABLE patients AS SELECT * FROM (VALUES ${VALUES}) AS t(patient_id)`);
    const sql = poissonWeightsSql({ keys: 'SELECT patient_id AS key FROM patients', B, seed: SEED, dialect: 'duckdb' });
    checkRows((await con.runAndReadAll(sql)).getRowObjects() as { key: unknown; replicate: unknown; weight: unknown }[]);
    // Integer keys hash as their text, as in JavaScript.
    const ints = poissonWeightsSql({ keys: 'SELECT CAST(range AS BIGINT) AS key FROM range(1000, 1050)', B: 3, seed: 5, dialect: 'duckdb' });
    for (const r of (await con.runAndReadAll(ints)).getRowObjects()) expect(Number(r.weight)).toBe(poissonWeight(Number(r.key), Number(r.replicate), 5));
    con.closeSync();
  });

  it('names the option when it is wrong', () => {
    expect(() => poissonWeightsSql({ keys: 'x', B: 0, seed: 1, dialect: 'duckdb' })).toThrow(
      /poissonWeightsSql: option "B" expected a whole number ≥ 1; received 0/,
    );
    expect(() => poissonWeightsSql({ keys: 'x', B: 1, seed: 1, dialect: 'oracle' as never })).toThrow(
      /poissonWeightsSql: option "dialect" expected 'duckdb', 'postgres' or 'spark'/,
    );
  });
});

const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(`poissonWeightsSql in PostgreSQL (a real server)${unavailable === null ? '' : ` — skipped: ${unavailable}`}`, () => {
  let server: RunningPostgres | undefined;
  let client: pg.Client | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    // A query that runs away (a planner that inlines the hash's layers) fails the test instead of eating the machine.
    await client.query("SET statement_timeout = '30s'");
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    server?.stop();
  });

  it('gives every (key, replicate) the weight poissonWeight gives', async () => {
    await client?.query(`CREATE TABLE patients AS SELECT * FROM (VALUES ${VALUES}) AS t(patient_id)`);
    const sql = poissonWeightsSql({ keys: 'SELECT patient_id AS key FROM patients', B, seed: SEED, dialect: 'postgres' });
    const result = await client?.query(sql);
    checkRows((result?.rows ?? []) as { key: unknown; replicate: unknown; weight: unknown }[]);
  });
});
