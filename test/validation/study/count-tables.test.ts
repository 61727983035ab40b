/**
 * The count-table core's first table, `score_counts`: a hand-worked table (every cell counted in the comments, the
 * replicates' weights from `poissonWeight` on each patient), and the property the whole design rests on — a cohort
 * split by patient in any way gives, added, the whole cohort's table, replicates included.
 */
import { escape, fromArrow } from 'arquero';
import type { Table } from 'apache-arrow';
import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { poissonWeight } from '../../../validation/bootstrap/replicate-weights.js';
import type { CountTableDefinition, ScoreCountRow, ScoreCountTable } from '../../../validation/study/count-tables.js';
import { addScoreCounts, cohortScoreCounts, scoreCounts, withPairScores } from '../../../validation/study/count-tables.js';
import { addCharacteristicCounts } from '../../../validation/study/characteristic-counts.js';
import type { EngineCounts } from '../../../validation/engine/engine-study.js';
import { addEngineCounts, engineReport, jsEngineCounts } from '../../../validation/engine/engine-study.js';

const DEF: CountTableDefinition = { table: 'score_counts', version: 1, scores: ['s'], groupBy: 'g', horizonHours: 24, B: 3, seed: 7, resolution: 10 };

describe('scoreCounts (hand-worked)', () => {
  // Patients A (2 sets), B (2 sets), C (1 set); score s (points): A: 3 (event), 3 (none); B: 3 (none), 5 (event); C: NaN.
  // Groups: A and C in "x", B in "y".
  const input = {
    scores: [{ id: 's', probabilistic: false }],
    values: [Float64Array.of(3, 3, 3, 5, Number.NaN)],
    labels: Uint8Array.of(1, 0, 0, 1, 0),
    patient: Int32Array.of(0, 0, 1, 1, 2),
    patientKeys: ['A', 'B', 'C'],
    group: ['x', 'x', 'y', 'y', 'x'],
  };
  const table = scoreCounts(input, DEF);
  const at = (replicate: number) =>
    table.rows.filter((r) => r.replicate === replicate).map(({ value, group, positive, negative, sum }) => ({ value, group, positive, negative, sum }));

  it('counts the data itself (replicate −1): a score with no value (C) is in no cell', () => {
    // x: value 3 — A's two sets, 1 positive, 1 negative, Σ 6. y: value 3 — B's first set (negative), Σ 3; value 5 — B's event, Σ 5.
    expect(at(-1)).toEqual([
      { value: 3, group: 'x', positive: 1, negative: 1, sum: 6 },
      { value: 3, group: 'y', positive: 0, negative: 1, sum: 3 },
      { value: 5, group: 'y', positive: 1, negative: 0, sum: 5 },
    ]);
  });

  it('weights each patient’s cells by its Poisson weight in each replicate', () => {
    for (let b = 0; b < DEF.B; b++) {
      const wA = poissonWeight('A', b, DEF.seed);
      const wB = poissonWeight('B', b, DEF.seed);
      const expected = [
        { value: 3, group: 'x', positive: wA, negative: wA, sum: 6 * wA },
        { value: 3, group: 'y', positive: 0, negative: wB, sum: 3 * wB },
        { value: 5, group: 'y', positive: wB, negative: 0, sum: 5 * wB },
      ].filter((r) => r.positive + r.negative > 0);
      expect(at(b), `replicate ${b}`).toEqual(expected);
    }
  });

  it('buckets a probability at the stated resolution (0.37 and 0.33 share bucket 0.3 at 10 per unit)', () => {
    const t = scoreCounts(
      { ...input, scores: [{ id: 's', probabilistic: true }], values: [Float64Array.of(0.37, 0.33, 0.91, 0.05, Number.NaN)] },
      { ...DEF, B: 0 },
    );
    expect(t.rows.map((r) => [r.value, r.group, r.positive, r.negative])).toEqual([
      [0.3, 'x', 1, 1],
      [0, 'y', 1, 0],
      [0.9, 'y', 0, 1],
    ]);
  });

  it('adds only tables of one definition, naming the field that differs', () => {
    expect(() => addScoreCounts(table, { ...table, definition: { ...DEF, seed: 8 } })).toThrow(/addScoreCounts: the tables differ in "seed" \(7 and 8\)/);
  });
});

/** The rows of the tables of every patient in `keep`, as a cohort (every table filtered by patient). */
function part(cohort: ReturnType<typeof generateCohort>, keep: Set<string>) {
  const encounterPatient = new Map<string, string>();
  const enc = cohort.encounters;
  for (let i = 0; i < enc.numRows; i++) encounterPatient.set(String(enc.getChild('encounter_id')?.get(i)), String(enc.getChild('patient_id')?.get(i)));
  const byPatient = (t: Table, column = 'patient_id') => fromArrow(t as never).filter(escape((d: Record<string, unknown>) => keep.has(String(d[column]))));
  // Through Arrow IPC bytes, so the study gets apache-arrow tables (arquero builds its own Arrow objects).
  const toTable = (t: ReturnType<typeof fromArrow>): Table => tableFromIPC(t.toArrowIPC());
  const events = fromArrow(cohort.events as never).filter(escape((d: Record<string, unknown>) => keep.has(encounterPatient.get(String(d.encounter_id)) ?? '')));
  return {
    patients: toTable(byPatient(cohort.patients)),
    encounters: toTable(byPatient(cohort.encounters)),
    observations: toTable(byPatient(cohort.observations)),
    events: toTable(events),
  };
}

const close = (a: readonly ScoreCountRow[], b: readonly ScoreCountRow[]): void => {
  expect(b.map(({ sum: _s, ...r }) => r)).toEqual(a.map(({ sum: _s, ...r }) => r));
  a.forEach((r, k) => expect(Math.abs((b[k]?.sum ?? NaN) - r.sum)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r.sum))));
};

describe('cohortScoreCounts: split by patient, added, equals the whole', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 160, seed: 21 });
  const ids = Array.from(cohort.patients.getChild('patient_id') ?? [], String);
  // An explicit extract end, so no part infers its own from its latest time (the whole's labels must be the parts').
  const options = { scores: [news2, apolloStyle], groupBy: 'sex', B: 4, seed: 3, outcome: { extractEnd: Date.UTC(2030, 0, 1) } };
  const whole: ScoreCountTable = cohortScoreCounts({ cohort, ...options });

  it('holds both scores, both sexes and every replicate', () => {
    expect(new Set(whole.rows.map((r) => r.score))).toEqual(new Set(['news2', 'apollo_style']));
    expect(new Set(whole.rows.map((r) => r.group))).toEqual(new Set(['F', 'M']));
    expect(new Set(whole.rows.map((r) => r.replicate))).toEqual(new Set([-1, 0, 1, 2, 3]));
  });

  it('for any assignment of patients to two or three parts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: ids.length, maxLength: ids.length }), (assignment) => {
        const parts = [0, 1, 2]
          .map((k) => new Set(ids.filter((_, i) => assignment[i] === k)))
          .filter((s) => s.size > 0)
          .map((keep) => cohortScoreCounts({ cohort: { ...part(cohort, keep) }, ...options }));
        close(whole.rows, parts.reduce(addScoreCounts).rows);
      }),
      { numRuns: 4 },
    );
  });
});

describe('characteristics (Table 1): split by patient, added, equals the whole', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 160, seed: 21 });
  const ids = Array.from(cohort.patients.getChild('patient_id') ?? [], String);
  const options = { scores: [news2, apolloStyle], groupBy: 'ethnicity', B: 0, seed: 3, outcome: { extractEnd: Date.UTC(2030, 0, 1) } };
  const whole = jsEngineCounts({ cohort, ...options });
  const table1 = (c: EngineCounts) => engineReport(c, { scores: options.scores, disclosure: { policy: 'none' } }).characteristics;

  it('holds the encounters’ characteristics and every score input, with quartile patients', () => {
    const variables = whole.characteristics.definition.variables.map((v) => `${v.unit}:${v.variable}`);
    expect(variables).toEqual(
      expect.arrayContaining(['encounters:age', 'encounters:sex', 'encounters:ethnicity', 'sets:respiratory_rate', 'sets:consciousness']),
    );
    expect(whole.characteristics.patients.length).toBeGreaterThan(0);
  });

  it('for any assignment of patients to two or three parts: the same table, and the same Table 1', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: ids.length, maxLength: ids.length }), (assignment) => {
        const parts = [0, 1, 2]
          .map((k) => new Set(ids.filter((_, i) => assignment[i] === k)))
          .filter((s) => s.size > 0)
          .map((keep) => jsEngineCounts({ cohort: { ...part(cohort, keep) }, ...options }));
        const added = parts.reduce((a, b) => addEngineCounts(a, b));
        expect(added.characteristics).toEqual(whole.characteristics);
        expect(table1(added)).toEqual(table1(whole));
      }),
      { numRuns: 4 },
    );
  });

  it('refuses to add tables of different groupings, naming the field', () => {
    const other = jsEngineCounts({ cohort, ...options, groupBy: 'sex' });
    expect(() => addCharacteristicCounts(whole.characteristics, other.characteristics)).toThrow(/addCharacteristicCounts: the tables differ in "groupBy"/);
  });
});

describe('withPairScores: a pair counted as its complement', () => {
  const row = (score: string, value: number, positive: number, negative: number, replicate = -1): ScoreCountRow => ({
    score,
    value,
    group: '',
    replicate,
    positive,
    negative,
    sum: value * (positive + negative),
  });
  it('a|b is a less a!b cell by cell; a cell it empties is left out; the complements are dropped', () => {
    // a's sets: value 1 (2 events, 5 non-events), value 3 (1, 0); b cannot score one non-event at 1 and the event at 3.
    const rows = [row('a', 1, 2, 5), row('a', 3, 1, 0), row('b', 2, 3, 5), row('a!b', 1, 0, 1), row('a!b', 3, 1, 0)];
    const got = withPairScores(rows, ['a', 'b']);
    // By hand: a|b = {1: (2, 4)}; value 3 is emptied; b has no complement, so b|a = b.
    expect(got.filter((r) => r.score === 'a|b')).toEqual([{ ...row('a|b', 1, 2, 4) }]);
    expect(got.filter((r) => r.score === 'b|a')).toEqual([{ ...row('b|a', 2, 3, 5) }]);
    expect(got.some((r) => r.score.includes('!'))).toBe(false);
    expect(got.filter((r) => r.score === 'a' || r.score === 'b')).toHaveLength(3);
  });
});
