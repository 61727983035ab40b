/**
 * The Spark SQL dialect: there is no Spark here, so its queries are checked for their syntax only, by a Spark SQL
 * grammar (dt-sql-parser's SparkSQL, ANTLR), and for the spelling differences that matter — backtick identifiers (Spark
 * reads "x" as a string), Spark's type names, Spark's time and bit functions. The same generators are proven on DuckDB
 * and PostgreSQL by the engine tests.
 */
import { SparkSQL } from 'dt-sql-parser';
import { setVariables } from '../../../validation/study/characteristic-counts.js';
import { describe, expect, it } from 'vitest';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { sparkText } from '../../../scores/sql/sql-text.js';
import { toSQL } from '../../../scores/sql/sql.js';
import { poissonWeightsSql } from '../../../validation/bootstrap/weights-sql.js';
import { studySql } from '../../../validation/engine/study-sql.js';

const parser = new SparkSQL();
const errors = (sql: string) => parser.validate(sql).map((e) => e.message);

describe('Spark SQL', () => {
  it('the grammar finds a syntax error (the check can fail)', () => {
    expect(errors('SELECT a, FROM t WHERE')).not.toEqual([]);
    expect(errors('SELECT "a" AS x FROM t')).toEqual([]);
  });

  it('toSQL in Spark: valid syntax, backtick identifiers, Spark types and its non-finite test', () => {
    const sql = toSQL([news2, apolloStyle], { dialect: 'spark', table: 'observations' });
    expect(errors(sql)).toEqual([]);
    expect(sql).toContain('`news2_total`');
    expect(sql).not.toMatch(/"[a-z]/); // no double-quoted identifier left
    expect(sql).not.toMatch(/DOUBLE PRECISION|AS VARCHAR\)|AS TEXT\)|OFFSET 0/);
    expect(sql).toContain('isnan(');
  });

  it('the Poisson weights in Spark: valid syntax, Spark’s xor, shift and hex conversion', () => {
    const sql = poissonWeightsSql({ keys: 'SELECT patient_id AS key FROM patients', B: 1000, seed: 1, dialect: 'spark' });
    expect(errors(sql)).toEqual([]);
    expect(sql).toMatch(/shiftright\(/);
    expect(sql).toMatch(/conv\(/);
    expect(sql).toMatch(/ \^ /);
    expect(sql).not.toMatch(/OFFSET 0| # /);
  });

  it.each([
    ['no grouping, default outcome', {}],
    [
      'grouped by derived groupings intersected (condition × NHS ethnic group × skin-tone band)',
      {
        group: [
          { column: 'primary_diagnosis', table: 'encounters' as const, derive: 'condition' as const },
          { column: 'ethnic_category', table: 'patients' as const, derive: 'nhs-2021' as const },
          { column: 'skin_tone', table: 'patients' as const, derive: 'skin-tone' as const },
        ],
      },
    ],
    [
      'grouped by a patients column, every labelling option',
      {
        group: { column: 'ethnicity', table: 'patients' as const },
        outcome: {
          horizonHours: 12,
          eventTypes: ['death'],
          followUp: 'linked' as const,
          censored: 'negative' as const,
          excludeBeforeEventMinutes: 30,
          extractEnd: Date.UTC(2026, 0, 1),
        },
      },
    ],
  ])('every query of the study in Spark is valid syntax: %s', (_name, extra) => {
    // With Table 1: an encounter variable from each table, and every score input.
    const characteristics = {
      encounters: [
        { variable: 'age', type: 'continuous' as const, table: 'observations' as const },
        { variable: 'sex', type: 'categorical' as const, table: 'patients' as const },
        { variable: 'admission_type', type: 'categorical' as const, table: 'encounters' as const },
      ],
      sets: setVariables([news2, apolloStyle]),
    };
    const queries = studySql({ dialect: 'spark', scores: [news2, apolloStyle], encounters: true, B: 1000, seed: 1, characteristics, ...extra });
    // Table 1's queries are one per unit (and per unit the quartiles' patients).
    const flat = Object.entries(queries).flatMap(([name, q]) =>
      typeof q === 'string' ? [[name, q] as const] : Object.entries(q as Record<string, string>).map(([unit, sql]) => [`${name}.${unit}`, sql] as const),
    );
    expect(flat.filter(([name]) => name.startsWith('characteristic')).length).toBe(4);
    for (const [name, sql] of flat) {
      expect(errors(sql), name).toEqual([]);
      if (name !== 'unmatchedEvents') expect(sql, name).toContain('unix_millis(');
    }
  });

  it('sparkText leaves string literals alone and is idempotent', () => {
    const text = `SELECT "a""b" AS "x", 'it''s "quoted"' AS y, CAST(z AS DOUBLE PRECISION) AS w, CAST(v AS TEXT) AS u`;
    const spark = sparkText(text);
    expect(spark).toBe("SELECT `a\"b` AS `x`, 'it''s \"quoted\"' AS y, CAST(z AS DOUBLE) AS w, CAST(v AS STRING) AS u");
    expect(sparkText(spark)).toBe(spark);
  });
});
