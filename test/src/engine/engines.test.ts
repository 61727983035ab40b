/**
 * The study where the data lives: the same cohort scored, labelled, weighted and counted in DuckDB (reading the
 * cohort's own Parquet and CSV files) and in a real PostgreSQL server gives the count tables `cohortScoreCounts`
 * gives in this process, cell by cell and replicate by replicate, and so the same engine report; and that report's
 * AUROC, sensitivity and specificity with their intervals are `validate`'s own numbers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { qsofa } from '../../../scores/catalogue/qsofa.js';
import { engineCounts } from '../../../src/engine/engine-counts.js';
import { writeCohort } from '../../../src/io/cohort-files.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import type { EngineCounts } from '../../../validation/engine/engine-study.js';
import { addEngineCounts, engineReport, jsEngineCounts } from '../../../validation/engine/engine-study.js';
import type { LabelOptions } from '../../../validation/outcomes/label-outcomes.js';
import type { CohortTables } from '../../../validation/study/options.js';
import { DEFAULT_SKIN_TONE_BANDS } from '../../../validation/study/options.js';
import { groupLabelSql } from '../../../validation/engine/study-sql.js';
import { conditionGroup } from '../../../validation/codes/conditions.js';
import { nhsEthnicGroup } from '../../../validation/codes/ethnic-category.js';
import { validate } from '../../../validation/study/validate.js';
import { postgresUnavailable, psqlPath, startPostgres } from '../../helpers/postgres.js';
import type { RunningPostgres } from '../../helpers/postgres.js';

const ENCOUNTERS = 400;
const SEED = 3;
const B = 40;
const scores = [news2, qsofa];
const cohort = generateCohort({ encounters: ENCOUNTERS, seed: SEED });
const dir = mkdtempSync(join(tmpdir(), 'ewskit-engines-'));
const parquet = join(dir, 'parquet');
const csv = join(dir, 'cohort');
beforeAll(async () => {
  await writeCohort(parquet, { encounters: ENCOUNTERS, seed: SEED }, undefined, 'parquet');
  await writeCohort(csv, { encounters: ENCOUNTERS, seed: SEED }, undefined, 'csv');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The outcome definitions the engines must agree on: the default, and every rule of the labeller switched on. */
const OUTCOMES: readonly [string, LabelOptions][] = [
  ['the default outcome (24 h, every event, in-hospital follow-up)', {}],
  [
    'deaths only, 12 h, linked follow-up, sets within 30 min of the event left out',
    { horizonHours: 12, eventTypes: ['death'], followUp: 'linked', excludeBeforeEventMinutes: 30 },
  ],
  ['censored sets counted negative, the extract ending early', { censored: 'negative', extractEnd: Date.UTC(2026, 0, 1) }],
];

/** Counts without the engine's name, for comparison. */
const comparable = (c: EngineCounts) => ({
  scoreCounts: c.scoreCounts,
  probabilistic: c.probabilistic,
  flow: c.flow,
  characteristics: c.characteristics,
  pairCounts: c.pairCounts,
});

describe('engine duckdb: the study in DuckDB, from the cohort’s files', () => {
  it.each(OUTCOMES)('count tables and flow equal the JavaScript engine’s: %s', async (_name, outcome) => {
    const js = jsEngineCounts({ cohort, scores, outcome, B, seed: 7 });
    const duck = await engineCounts({ source: { engine: 'duckdb', cohort: parquet }, scores, outcome, B, seed: 7 });
    expect(duck.engine).toBe('duckdb');
    expect(comparable(duck)).toEqual(comparable(js));
    // The flow is not empty and the replicates are there.
    expect(js.flow.byCode.find((c) => c.code === 0)?.positive).toBeGreaterThan(0);
    expect(new Set(js.scoreCounts.rows.map((r) => r.replicate)).size).toBe(B + 1);
  });

  it.each([
    ['ethnicity', 'a patients column'],
    ['admission_type', 'an encounters column'],
    ['spo2_scale', 'an observations column'],
  ])('grouped by %s (%s): the same count tables, group by group', async (groupBy) => {
    const js = jsEngineCounts({ cohort, scores, groupBy, B, seed: 7 });
    const duck = await engineCounts({ source: { engine: 'duckdb', cohort: parquet }, scores, groupBy, B, seed: 7 });
    expect(comparable(duck)).toEqual(comparable(js));
    expect(new Set(js.scoreCounts.rows.map((r) => r.group)).size).toBeGreaterThan(1);
  });

  it('names a grouping column no table has', async () => {
    await expect(engineCounts({ source: { engine: 'duckdb', cohort: parquet }, scores, groupBy: 'shoe_size', B: 0, seed: 7 })).rejects.toThrow(
      /engineCounts: option "groupBy" names "shoe_size", which is a column of none of the observations, patients or encounters tables/,
    );
  });

  it('a cohort split by patient, counted in two DuckDB runs and added, gives the whole cohort’s counts', async () => {
    // Patients split by the parity of a hash of their id; each part's four tables written as CSV with only its rows.
    const { readFileSync: read, writeFileSync: write, mkdirSync: mkdir } = await import('node:fs');
    const lines = (t: string) =>
      read(join(csv, `${t}.csv`), 'utf8')
        .trimEnd()
        .split('\n');
    const inA = (patient: string) => [...patient].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1000003, 7) % 2 === 0;
    const encounterPatient = new Map(
      lines('encounters')
        .slice(1)
        .map((l) => [l.split(',')[0], l.split(',')[1] ?? ''] as const),
    );
    const parts = [join(dir, 'part-a'), join(dir, 'part-b')];
    parts.forEach((part, k) => {
      mkdir(part, { recursive: true });
      const keep = (patient: string) => inA(patient) === (k === 0);
      const byColumn = (t: string, patientOf: (cells: string[]) => string) => {
        const [header, ...rows] = lines(t);
        write(join(part, `${t}.csv`), `${[header, ...rows.filter((r) => keep(patientOf(r.split(','))))].join('\n')}\n`);
      };
      byColumn('observations', (c) => c[0] ?? '');
      byColumn('encounters', (c) => c[1] ?? '');
      byColumn('patients', (c) => c[0] ?? '');
      byColumn('events', (c) => encounterPatient.get(c[0] ?? '') ?? '');
      write(join(part, 'cohort.json'), JSON.stringify({ format: 'csv' }));
    });
    const outcome = { extractEnd: Date.UTC(2027, 0, 1) };
    const [a, b] = await Promise.all(
      parts.map((cohortDir) => engineCounts({ source: { engine: 'duckdb', cohort: cohortDir }, scores, groupBy: 'ethnicity', outcome, B, seed: 7 })),
    );
    if (a === undefined || b === undefined) throw new Error('two parts expected');
    expect(a.flow.scores[0]?.patients).toBeGreaterThan(0);
    expect(b.flow.scores[0]?.patients).toBeGreaterThan(0);
    const whole = jsEngineCounts({ cohort, scores, groupBy: 'ethnicity', outcome, B, seed: 7 });
    expect(comparable(addEngineCounts(a, b))).toEqual(comparable(whole));
    // Without a common extract end the parts would censor differently: refused.
    const inferred = await engineCounts({ source: { engine: 'duckdb', cohort: parts[0] as string }, scores, B: 0, seed: 7 });
    const other = await engineCounts({ source: { engine: 'duckdb', cohort: parts[1] as string }, scores, B: 0, seed: 7 });
    if (inferred.flow.extractEnd !== other.flow.extractEnd)
      expect(() => addEngineCounts(inferred, other)).toThrow(/addEngineCounts: the parts end at different times/);
  });

  describe('derived and intersectional groupings, counted in SQL as validate derives them', () => {
    // The CSV cohort with an NHS ethnic category code per patient and an edited primary diagnosis per encounter, cycling
    // through well-formed, odd (lower case, padded) and malformed values; the same edits made to the Arrow tables.
    const CODES = ['A', 'B', 'H', ' h', 'R', 'M', 'Z', 'X', '', 'K', 'S', 'p'];
    const DIAGNOSES = ['J44.1', 'A419', 'R65.1', 'R651', 'r07.4', ' I50 ', 'copd', '', 'A40', 'J441', 'R65.2', 'Q1'];
    const derived = join(dir, 'derived');
    const derivedCohort = (): CohortTables => {
      const withColumn = (t: CohortTables['observations'], name: string, values: (string | null)[]) =>
        new Table({
          ...(Object.fromEntries(t.schema.fields.filter((f) => f.name !== name).map((f) => [f.name, t.getChild(f.name)])) as Record<string, Vector>),
          [name]: vectorFromArray(values, new Utf8()),
        });
      const patients = cohort.patients as CohortTables['observations'];
      const encounters = cohort.encounters as CohortTables['observations'];
      return {
        ...cohort,
        patients: withColumn(
          patients,
          'ethnic_category',
          Array.from({ length: patients.numRows }, (_, i) => CODES[i % CODES.length] ?? null),
        ),
        encounters: withColumn(
          encounters,
          'primary_diagnosis',
          Array.from({ length: encounters.numRows }, (_, i) => DIAGNOSES[i % DIAGNOSES.length] ?? null),
        ),
      };
    };
    beforeAll(async () => {
      const { readFileSync: read, writeFileSync: write, mkdirSync: mkdir, copyFileSync } = await import('node:fs');
      mkdir(derived, { recursive: true });
      for (const f of ['observations.csv', 'events.csv', 'cohort.json']) copyFileSync(join(csv, f), join(derived, f));
      const edit = (table: string, column: string, values: readonly string[]) => {
        const [header, ...rows] = read(join(csv, `${table}.csv`), 'utf8')
          .trimEnd()
          .split('\n');
        const names = (header ?? '').split(',');
        const at = names.indexOf(column);
        const out = rows.map((r, i) => {
          const cells = r.split(',');
          const v = values[i % values.length] ?? '';
          if (at < 0) cells.push(v);
          else cells[at] = v;
          return cells.join(',');
        });
        write(join(derived, `${table}.csv`), `${[at < 0 ? `${header},${column}` : header, ...out].join('\n')}\n`);
      };
      edit('patients', 'ethnic_category', CODES);
      edit('encounters', 'primary_diagnosis', DIAGNOSES);
    });

    it.each(['nhs_ethnic_group', 'nhs_ethnic_group_2021', 'condition', 'skin_tone_band', 'ethnicity,sex', 'condition,sex'])(
      'grouped by %s: DuckDB’s count tables, flow and Table 1 are JavaScript’s',
      async (groupBy) => {
        const js = jsEngineCounts({ cohort: derivedCohort(), scores, groupBy, B, seed: 7 });
        const duck = await engineCounts({ source: { engine: 'duckdb', cohort: derived }, scores, groupBy, B, seed: 7 });
        expect(comparable(duck)).toEqual(comparable(js));
        expect(new Set(js.scoreCounts.rows.map((r) => r.group)).size).toBeGreaterThan(2);
      },
    );

    it('the groups are validate’s: the engine report’s AUROC per group equals the subgroup table’s', () => {
      const c = derivedCohort();
      const report = engineReport(jsEngineCounts({ cohort: c, scores: [news2], groupBy: 'condition', B, seed: 7 }), {
        scores: [news2],
        disclosure: { policy: 'none' },
      });
      const v = validate({ cohort: c, scores: [news2], groupBy: ['condition'], bootstrap: { B, seed: 7 }, disclosure: { policy: 'none' } });
      const rows = v.subgroups[0]?.groups ?? [];
      // COPD, Sepsis (A41, A40, R65.1 both spellings), Heart failure (padded I50) and Other (r07.4, R65.2, J44 without the dot is COPD).
      expect(rows.map((r) => r.group).sort()).toEqual(['COPD', 'Heart failure', 'Other', 'Sepsis']);
      for (const row of rows) {
        const theirs = (row.scores.news2 as { auroc: { defined: boolean; estimate: number; ci: unknown } }).auroc;
        const mine = report.groups?.levels.find((l) => l.group === row.group)?.scores[0]?.auroc;
        expect(mine, row.group).toEqual(theirs.defined ? { estimate: theirs.estimate, ci: theirs.ci } : null);
      }
    });
  });

  it('reads a CSV cohort to the same counts', async () => {
    const fromCsv = await engineCounts({ source: { engine: 'duckdb', cohort: csv }, scores, B, seed: 7 });
    const fromParquet = await engineCounts({ source: { engine: 'duckdb', cohort: parquet }, scores, B, seed: 7 });
    expect(comparable(fromCsv)).toEqual(comparable(fromParquet));
  });

  it('a model’s probability buckets agree with the kernel’s; its Σ p to rounding (1e-12 relative)', async () => {
    const js = jsEngineCounts({ cohort, scores: [apolloStyle], B: 5, seed: 7 });
    const duck = await engineCounts({ source: { engine: 'duckdb', cohort: parquet }, scores: [apolloStyle], B: 5, seed: 7 });
    const strip = (c: EngineCounts) => c.scoreCounts.rows.map(({ sum: _s, ...r }) => r);
    expect(strip(duck)).toEqual(strip(js));
    duck.scoreCounts.rows.forEach((r, i) => {
      const s = js.scoreCounts.rows[i]?.sum ?? NaN;
      expect(Math.abs(r.sum - s)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(s)));
    });
  });

  it('refuses an Arrow cohort, saying how to write one DuckDB reads', async () => {
    const arrow = join(dir, 'arrow');
    await writeCohort(arrow, { encounters: 20, seed: 1 });
    await expect(engineCounts({ source: { engine: 'duckdb', cohort: arrow }, scores, B: 0, seed: 1 })).rejects.toThrow(
      /engineCounts: the duckdb engine reads Parquet or CSV cohorts .* synth --format parquet/,
    );
  });
});

describe('engine report', () => {
  it('AUROC, sensitivity and specificity with their intervals are validate’s (Poisson bootstrap, disclosure off)', () => {
    const report = engineReport(jsEngineCounts({ cohort, scores: [news2], B, seed: 7 }), { scores: [news2], disclosure: { policy: 'none' } });
    const v = validate({ cohort, scores: [news2], bootstrap: { B, seed: 7 }, disclosure: { policy: 'none' } });
    const own = v.scores[0];
    const a = own?.auroc;
    if (a === undefined || isSuppressed(a) || !a.defined) throw new Error('expected an AUROC');
    const got = report.scores[0];
    expect(got?.auroc).toEqual({ estimate: a.estimate, ci: a.ci });
    // Every rule of the full report, the red-score rule included (read from the red-flag pseudo-score's counts).
    expect(got?.thresholds.map((x) => x.rule)).toEqual((own?.thresholds ?? []).map((t) => t.label));
    expect(got?.thresholds.some((x) => x.rule.startsWith('red score'))).toBe(true);
    for (const t of own?.thresholds ?? []) {
      const mine = got?.thresholds.find((x) => x.rule === t.label);
      if (mine === undefined) throw new Error(`no rule ${t.label}`);
      expect(mine.sensitivity).toEqual({ estimate: (t.sensitivity as { estimate: number }).estimate, ci: (t.sensitivity as { ci: unknown }).ci });
      expect(mine.specificity).toEqual({ estimate: (t.specificity as { estimate: number }).estimate, ci: (t.specificity as { ci: unknown }).ci });
    }
    expect(got?.thresholds.length).toBeGreaterThan(0);
    // Per group, the AUROC and the first cut-off's sensitivity with their intervals are the subgroup table's.
    const grouped = engineReport(jsEngineCounts({ cohort, scores: [news2], groupBy: 'ethnicity', B, seed: 7 }), {
      scores: [news2],
      disclosure: { policy: 'none' },
    });
    const byGroup = validate({ cohort, scores: [news2], groupBy: ['ethnicity'], bootstrap: { B, seed: 7 }, disclosure: { policy: 'none' } });
    const section = byGroup.subgroups[0];
    expect(section?.groups.length).toBeGreaterThan(1);
    expect(grouped.groups?.reference).toBe(section?.reference);
    let compared = 0;
    for (const row of section?.groups ?? []) {
      type Estimate = { defined: boolean; estimate: number; ci: unknown };
      const theirs = row.scores.news2 as { auroc: Estimate; sensitivity: { value: Estimate } };
      const mine = grouped.groups?.levels.find((l) => l.group === row.group)?.scores[0];
      // A group without events has no AUROC or sensitivity in either report.
      const same = (e: Estimate) => (e.defined ? { estimate: e.estimate, ci: e.ci } : null);
      expect(mine?.auroc, row.group).toEqual(same(theirs.auroc));
      expect(mine?.sensitivity, row.group).toEqual(same(theirs.sensitivity.value));
      // The group's calibration (a points score against the leave-group-out mapping) is validate's.
      const theirCal = row.scores.news2 as { calibrationInTheLarge: Estimate; slope: Estimate };
      expect(mine?.calibrationInTheLarge, `${row.group} CITL`).toEqual(same(theirCal.calibrationInTheLarge));
      expect(mine?.slope, `${row.group} slope`).toEqual(same(theirCal.slope));
      // The paired differences from the same reference: estimate, interval, bootstrap p — and, the family being the same
      // (AUROC, sensitivity, calibration-in-the-large and slope), the Holm-adjusted p and the simultaneous interval.
      type Contrast = { defined: boolean; estimate: number; ci: unknown; p: number; adjustedP: number; simultaneousCi: unknown } | null;
      const theirDiff = (row.scores.news2 as { differenceFromReference: Record<'auroc' | 'sensitivity' | 'calibrationInTheLarge' | 'slope', Contrast> })
        .differenceFromReference;
      const pick = (c: unknown) => {
        if (c === null) return null;
        const x = c as NonNullable<Contrast>;
        return { estimate: x.estimate, ci: x.ci, p: x.p, adjustedP: x.adjustedP, simultaneousCi: x.simultaneousCi };
      };
      for (const k of ['auroc', 'sensitivity', 'calibrationInTheLarge', 'slope'] as const)
        expect(pick(mine?.differenceFromReference[k] ?? null), `${row.group} ${k} difference`).toEqual(theirDiff[k]?.defined ? pick(theirDiff[k]) : null);
      if (row.group !== section?.reference && mine?.differenceFromReference.auroc !== null) compared++;
    }
    expect(compared).toBeGreaterThan(0);
    // The flow's counts are validate's: the analysis set, and the score's analysable sets and their events.
    expect(report.flow.analysisSets).toBe(v.flow.labelled.sets);
    expect(got?.sets).toBe(v.flow.scores[0]?.analysed.sets);
    expect(got?.positive).toBe(v.flow.scores[0]?.analysed.positive);
    expect(v.flow.extract.sets).toBe(report.flow.observationSets);
  });

  it('the alert measures are validate’s: every rule (the rising rule too), lead times, NEWS2’s monitoring compliance (disclosure off)', () => {
    const both = [news2, qsofa];
    const counts = jsEngineCounts({ cohort, scores: both, B, seed: 7, alerts: { risingBy: 2, toleranceMinutes: 15 } });
    const report = engineReport(counts, { scores: both, disclosure: { policy: 'none' } });
    const v = validate({ cohort, scores: both, bootstrap: { B, seed: 7 }, alerts: { risingBy: 2, toleranceMinutes: 15 }, disclosure: { policy: 'none' } });
    expect(report.alerts).toEqual(v.alerts);
    // Not vacuous: NEWS2's rules (cut-offs, red score, rising) alert and detect, with lead times and intervals.
    const rules = report.alerts?.scores[0]?.rules ?? [];
    expect(rules.map((r) => r.rule).at(-1)).toBe('NEWS2 rising by ≥ 2 from the previous set');
    expect(rules.some((r) => (r.leadTimeHours as { defined: boolean; ci: unknown }).defined)).toBe(true);
    expect(report.alerts?.scores[0]?.monitoring?.length).toBe(12);
    expect(report.notYet.some((n) => n.startsWith('the alert measures'))).toBe(false);
    // An engine that did not count them (DuckDB, PostgreSQL) has none, and says so.
    const { alertCounts: _dropped, ...sql } = counts;
    const without = engineReport(sql, { scores: both, disclosure: { policy: 'none' } });
    expect(without.alerts).toBeNull();
    expect(without.notYet.some((n) => n.startsWith('the alert measures'))).toBe(true);
  });

  it('other units of analysis are validate’s: sets, positive sets, AUROC, and Obuchowski’s interval rebuilt from within-patient pairs (to 1e-12)', () => {
    const both = [news2, qsofa];
    const units = ['first', 'highest-24h', 'common'] as const;
    const report = engineReport(jsEngineCounts({ cohort, scores: both, B: 0, units }), { scores: both, disclosure: { policy: 'none' } });
    const v = validate({ cohort, scores: both, bootstrap: false, units: [...units], disclosure: { policy: 'none' } });
    expect(report.units.map((u) => u.unit)).toEqual(v.units.map((u) => u.unit));
    type UnitCell = { sets: number; positiveSets: number; auroc: { defined: boolean; estimate: number; ci: [number, number] } };
    let compared = 0;
    v.units.forEach((u, i) => {
      for (const id of ['news2', 'qsofa']) {
        const want = u.scores[id] as unknown as UnitCell;
        const got = report.units[i]?.scores[id] as unknown as UnitCell;
        expect([got.sets, got.positiveSets], `${u.unit} ${id}`).toEqual([want.sets, want.positiveSets]);
        expect(got.auroc.defined).toBe(want.auroc.defined);
        if (!want.auroc.defined) continue;
        expect(got.auroc.estimate, `${u.unit} ${id}`).toBe(want.auroc.estimate);
        expect(Math.abs(got.auroc.ci[0] - want.auroc.ci[0])).toBeLessThan(1e-12);
        expect(Math.abs(got.auroc.ci[1] - want.auroc.ci[1])).toBeLessThan(1e-12);
        compared++;
      }
    });
    expect(compared).toBe(6);
    // None asked for: none counted, none reported.
    expect(engineReport(jsEngineCounts({ cohort, scores: both, B: 0 }), { scores: both, disclosure: { policy: 'none' } }).units).toEqual([]);
  });

  it('two groupings at once (ethnicity and sex): each section is validate’s subgroup table, Holm over both groupings’ contrasts', () => {
    const counts = jsEngineCounts({ cohort, scores: [news2], groupBy: ['ethnicity', 'sex'], B, seed: 7 });
    expect(counts.moreGroupings?.map((g) => g.scoreCounts.definition.groupBy)).toEqual(['sex']);
    const report = engineReport(counts, { scores: [news2], disclosure: { policy: 'none' } });
    const v = validate({ cohort, scores: [news2], groupBy: ['ethnicity', 'sex'], bootstrap: { B, seed: 7 }, disclosure: { policy: 'none' } });
    const sections = [report.groups, ...report.moreGroups];
    expect(sections.map((g) => g?.by)).toEqual(['ethnicity', 'sex']);
    type Contrast = { defined: boolean; estimate: number; ci: unknown; p: number; adjustedP: number; simultaneousCi: unknown } | null;
    const pick = (c: unknown) => {
      if (c === null) return null;
      const x = c as NonNullable<Contrast>;
      return { estimate: x.estimate, ci: x.ci, p: x.p, adjustedP: x.adjustedP, simultaneousCi: x.simultaneousCi };
    };
    let adjusted = 0;
    v.subgroups.forEach((section, k) => {
      const mine = sections[k];
      expect(mine?.reference).toBe(section.reference);
      // One family: both groupings' released contrasts (validate counts them over the whole report).
      expect(mine?.contrasts).toBe(report.groups?.contrasts);
      for (const row of section.groups) {
        type Estimate = { defined: boolean; estimate: number; ci: unknown };
        const theirs = row.scores.news2 as {
          auroc: Estimate;
          differenceFromReference: Record<'auroc' | 'sensitivity' | 'calibrationInTheLarge' | 'slope', Contrast>;
        };
        const got = mine?.levels.find((l) => l.group === row.group)?.scores[0];
        expect(got?.auroc, `${section.by} ${row.group}`).toEqual(theirs.auroc.defined ? { estimate: theirs.auroc.estimate, ci: theirs.auroc.ci } : null);
        for (const m of ['auroc', 'sensitivity', 'calibrationInTheLarge', 'slope'] as const) {
          const t = theirs.differenceFromReference[m];
          expect(pick(got?.differenceFromReference[m] ?? null), `${section.by} ${row.group} ${m}`).toEqual(t?.defined ? pick(t) : null);
          if (t?.defined === true && t.adjustedP > t.p) adjusted++;
        }
      }
    });
    // The adjustment is over more than one grouping's contrasts: some adjusted p exceeds its own p.
    expect(adjusted).toBeGreaterThan(0);
    expect(report.groups?.contrasts).toBeGreaterThan(sections[0]?.levels.length ?? 0);
  });

  it('Table 1 is validate’s: every number with disclosure off; by default the same primary suppressions, and every cell both release equal', () => {
    /** Walk two sections side by side: `leaf` gets each pair of cells (a suppressed cell is a leaf). */
    const walk = (a: unknown, b: unknown, path: string, leaf: (a: unknown, b: unknown, path: string) => void): void => {
      if (isSuppressed(a) || isSuppressed(b) || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return leaf(a, b, path);
      expect(Object.keys(a as object).sort(), path).toEqual(Object.keys(b as object).sort());
      for (const k of Object.keys(a as object)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, leaf);
    };
    const secondary = (c: unknown) => isSuppressed(c) && /^(secondary|derived)/.test(c.rule);
    let released = 0;
    let primary = 0;
    for (const groupBy of [undefined, 'ethnicity', 'admission_type']) {
      const counts = jsEngineCounts({ cohort, scores, B, seed: 7, ...(groupBy === undefined ? {} : { groupBy }) });
      const off = engineReport(counts, { scores, disclosure: { policy: 'none' } });
      const validateOff = validate({
        cohort,
        scores,
        groupBy: groupBy === undefined ? [] : [groupBy],
        bootstrap: { B, seed: 7 },
        disclosure: { policy: 'none' },
      });
      expect(off.characteristics, groupBy ?? 'ungrouped').toEqual(validateOff.characteristics);
      expect(off.characteristics.encounters.length).toBeGreaterThan(0);
      // Under the default policy each report suppresses against its own ledger: validate's also relates the inputs'
      // missing counts to its flow's per-reason exclusions (cells the engine report does not hold), so it may withhold
      // more as secondary; a cell's own (primary) rule is the same in both.
      const engine = engineReport(counts, { scores }).characteristics;
      const full = validate({ cohort, scores, groupBy: groupBy === undefined ? [] : [groupBy], bootstrap: { B, seed: 7 } }).characteristics;
      walk(engine, full, groupBy ?? 'ungrouped', (mine, theirs, path) => {
        if (isSuppressed(theirs) && !secondary(theirs)) {
          expect(isSuppressed(mine) && mine.rule, path).toBe(theirs.rule);
          primary++;
        } else if (!isSuppressed(mine) && !isSuppressed(theirs)) {
          expect(mine, path).toEqual(theirs);
          released++;
        }
      });
    }
    expect(primary).toBeGreaterThan(0);
    expect(released).toBeGreaterThan(100);
  });

  it('a model’s calibration from its buckets is validate’s per-set calibration (O/E exactly; CITL and slope to the bucket width)', () => {
    const scoresHere = [news2, apolloStyle];
    const report = engineReport(jsEngineCounts({ cohort, scores: scoresHere, B, seed: 7 }), { scores: scoresHere, disclosure: { policy: 'none' } });
    const v = validate({ cohort, scores: scoresHere, bootstrap: { B, seed: 7 }, disclosure: { policy: 'none' } });
    // A points score has no probability of its own: no calibration in the engine report.
    expect(report.scores[0]?.calibration).toBeNull();
    const mine = report.scores[1]?.calibration;
    const theirs = v.scores[1]?.calibration as {
      defined: boolean;
      observedExpected: { estimate: number };
      calibrationInTheLarge: { estimate: number };
      slope: { estimate: number };
    };
    expect(theirs.defined).toBe(true);
    const value = (e: unknown): number => (e as { estimate: number }).estimate;
    // O/E = Σy / Σp: the cells' Σp is the sum of the very probabilities validate sums (in another order).
    expect(Math.abs(value(mine?.observedExpected) - theirs.observedExpected.estimate)).toBeLessThan(1e-12);
    // validate fits on each set's own logit p; the engine on 1/10,000-wide buckets at their mean p. For the intercept
    // the score equation Σ(y − expit(lp + a)) changes by at most the curvature of expit over a bucket, so the fits
    // agree to far better than the interval's width (~0.1 here): 1e-3 is a loose bound that still catches a bucket
    // entered at its lower edge (~0.01–0.05 in logit at p ≈ 0.001–0.005) or a slope fitted on the wrong scale.
    expect(Math.abs(value(mine?.calibrationInTheLarge) - theirs.calibrationInTheLarge.estimate)).toBeLessThan(1e-3);
    expect(Math.abs(value(mine?.slope) - theirs.slope.estimate)).toBeLessThan(1e-3);
    // Each has a percentile interval from the replicates, around its estimate.
    for (const e of [mine?.observedExpected, mine?.calibrationInTheLarge, mine?.slope]) {
      const c = e as { estimate: number; ci: [number, number] };
      expect(c.ci[0]).toBeLessThan(c.ci[1]);
    }
  });

  it('a points score’s observed risk per pooled range is validate’s: the same ranges, sets, events, risk and interval', () => {
    const report = engineReport(jsEngineCounts({ cohort, scores: [news2], B, seed: 7 }), { scores: [news2], disclosure: { policy: 'none' } });
    const v = validate({ cohort, scores: [news2], bootstrap: { B, seed: 7 }, disclosure: { policy: 'none' } });
    type Row = { scores: [number, number]; cell: { sets: number; events: number; risk: { estimate: number; ci: unknown } } };
    const theirs = (v.scores[0] as unknown as { observedRisk: Row[] }).observedRisk;
    const mine = report.scores[0]?.observedRisk ?? [];
    expect(theirs.length).toBeGreaterThan(1);
    expect(mine.map((r) => r.scores)).toEqual(theirs.map((r) => r.scores));
    mine.forEach((r, i) => {
      const t = theirs[i] as Row;
      const c = r.cell as { sets: number; events: number; risk: { estimate: number; ci: unknown } };
      expect([c.sets, c.events, c.risk.estimate, c.risk.ci]).toEqual([t.cell.sets, t.cell.events, t.cell.risk.estimate, t.cell.risk.ci]);
      // Independently: the range's risk is its events over its sets (hand check on the released counts).
      expect(c.risk.estimate).toBeCloseTo(c.events / c.sets, 12);
    });
    // The ranges partition the analysable sets, each holding at least 10 events and 10 non-events.
    expect(mine.reduce((t, r) => t + (r.cell as { sets: number }).sets, 0)).toBe(report.scores[0]?.sets);
    for (const r of mine) {
      const c = r.cell as { sets: number; events: number };
      expect(c.events).toBeGreaterThanOrEqual(10);
      expect(c.sets - c.events).toBeGreaterThanOrEqual(10);
    }
  });

  it('a pair of scores compared on the sets both can score: validate’s AUROC difference, interval and p, and its paired rules', () => {
    const pair = [news2, qsofa];
    const report = engineReport(jsEngineCounts({ cohort, scores: pair, B, seed: 7 }), { scores: pair, disclosure: { policy: 'none' } });
    const v = validate({ cohort, scores: pair, bootstrap: { B, seed: 7 }, disclosure: { policy: 'none' } });
    const theirs = v.comparisons[0];
    const mine = report.comparisons[0];
    expect([mine?.a, mine?.b]).toEqual([theirs?.a, theirs?.b]);
    expect(mine?.sets).toBe(theirs?.sets);
    type Diff = { estimate: number; ci: unknown; p: number };
    const t = theirs?.cell as unknown as Diff;
    const m = mine?.auroc as unknown as Diff;
    expect({ estimate: m.estimate, ci: m.ci, p: m.p }).toEqual({ estimate: t.estimate, ci: t.ci, p: t.p });
    // Independently: the difference is the two scores' AUROCs on the common sets, each from the engine's own counts.
    type Rules = Record<
      'sensitivity' | 'specificity' | 'alertRate',
      { a: { estimate: number; ci: unknown }; b: { estimate: number; ci: unknown }; difference: { estimate: number; ci: unknown } }
    >;
    const tr = theirs?.rules as unknown as Rules & { ruleA: string; ruleB: string };
    const mr = mine?.rules as unknown as Rules & { ruleA: string; ruleB: string };
    expect([mr.ruleA, mr.ruleB]).toEqual([tr.ruleA, tr.ruleB]);
    for (const metric of ['sensitivity', 'specificity', 'alertRate'] as const)
      for (const side of ['a', 'b', 'difference'] as const) {
        // validate counts each patient's tallies, the engine reads tails of the count table: the same sums in another
        // order, equal to the last bit or within one (≤ 1e-12 relative, the documented floating-point allowance).
        const got = mr[metric][side] as { estimate: number; ci: [number, number] };
        const want = tr[metric][side] as { estimate: number; ci: [number, number] };
        for (const [x, y] of [
          [got.estimate, want.estimate],
          [got.ci[0], want.ci[0]],
          [got.ci[1], want.ci[1]],
        ])
          expect(Math.abs((x as number) - (y as number)), `${metric} ${side}`).toBeLessThanOrEqual(1e-12 * Math.abs(y as number));
      }
    // b − a is b's estimate less a's (hand check on the released numbers).
    expect(mr.sensitivity.difference.estimate).toBeCloseTo(mr.sensitivity.b.estimate - mr.sensitivity.a.estimate, 12);
    // At equal workload: validate's matched-alert-rate comparison — the same integer counts, so the same numbers.
    type Matched = { ruleA: string; cutA: number; alertRate: number; cutB: number | null; alertRateB: number } & Record<
      'sensitivityA' | 'sensitivityB' | 'difference',
      { estimate: number; ci: unknown }
    >;
    const tm = theirs?.matchedAlertRate as unknown as Matched & { defined: boolean };
    const mm = mine?.matchedAlertRate as unknown as Matched;
    expect(tm.defined).toBe(true);
    const pick = (x: Matched) => ({
      ruleA: x.ruleA,
      cutA: x.cutA,
      alertRate: x.alertRate,
      cutB: x.cutB,
      alertRateB: x.alertRateB,
      sensitivityA: { estimate: x.sensitivityA.estimate, ci: x.sensitivityA.ci },
      sensitivityB: { estimate: x.sensitivityB.estimate, ci: x.sensitivityB.ci },
      difference: { estimate: x.difference.estimate, ci: x.difference.ci },
    });
    expect(pick(mm)).toEqual(pick(tm));
    // The paired DeLong test beside the bootstrap: validate's `naive` (from the sets) equals the engine's (from the
    // pair's joint counts) to summation order.
    const naive = (theirs?.cell as unknown as { naive: { se: number; ci: [number, number]; z: number; p: number } }).naive;
    const delong = mine?.delong as unknown as { se: number; ci: [number, number]; z: number; p: number };
    for (const [x, w] of [
      [delong.se, naive.se],
      [delong.ci[0], naive.ci[0]],
      [delong.ci[1], naive.ci[1]],
      [delong.z, naive.z],
      [delong.p, naive.p],
    ])
      expect(Math.abs((x as number) - (w as number))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w as number)));
    // b's cut-off alerts on no more sets than a's rule (the matching), and its sensitivity is a share of the same events.
    expect(mm.alertRateB).toBeLessThanOrEqual(mm.alertRate + 1e-12);
    expect(mm.difference.estimate).toBeCloseTo(mm.sensitivityB.estimate - mm.sensitivityA.estimate, 12);
  });

  it('suppresses small cells under the default policy and says which rules it applied', () => {
    const small = generateCohort({ encounters: 40, seed: 2 });
    const report = engineReport(jsEngineCounts({ cohort: small, scores: [news2], B: 10, seed: 1 }), { scores: [news2] });
    expect(report.disclosure.policy).toBe('ewskit');
    expect(isSuppressed(report.flow.positive) || (report.flow.positive as number) >= 10 || report.flow.positive === 0).toBe(true);
    const a = report.scores[0]?.auroc;
    if (!isSuppressed(report.flow.eventPatients) && (report.flow.eventPatients as number) >= 10) return;
    expect(a === null || isSuppressed(a)).toBe(true);
  });
});

const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  `engine postgres: the study in a real PostgreSQL server${unavailable === null ? '' : ` — skipped: ${unavailable}`}`,
  () => {
    let server: RunningPostgres | undefined;
    beforeAll(async () => {
      server = await startPostgres();
      // The cohort loaded as docs/engines.md tells a user to: its load-cohort.sql block, run by psql from the directory
      // holding cohort/ (the CSV cohort), \copy and all.
      const doc = readFileSync(new URL('../../../docs/engines.md', import.meta.url), 'utf8');
      const block = /```sql\n([\s\S]*?)```/.exec(doc)?.[1];
      if (block === undefined) throw new Error('docs/engines.md has no sql block');
      writeFileSync(join(dir, 'load-cohort.sql'), block);
      execFileSync(psqlPath(), [server.url, '-q', '-v', 'ON_ERROR_STOP=1', '-f', 'load-cohort.sql'], { cwd: dir, stdio: 'pipe' });
      // And a schema of views, as a warehouse would name them (--tables ehr.obs,…).
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query('CREATE SCHEMA ehr');
      await client.query('CREATE VIEW ehr.obs AS SELECT * FROM observations');
      await client.query('CREATE VIEW ehr.ev AS SELECT * FROM events');
      await client.query('CREATE VIEW ehr.enc AS SELECT * FROM encounters');
      await client.query('CREATE VIEW ehr.pat AS SELECT * FROM patients');
      await client.end();
    }, 120_000);
    afterAll(() => server?.stop());
    // A query that runs away (a planner that inlines the layers) fails the test instead of eating the machine.
    const url = () => `${server?.url ?? ''}?options=${encodeURIComponent('-c statement_timeout=60000')}`;

    it.each(OUTCOMES)('count tables and flow equal the JavaScript engine’s: %s', async (_name, outcome) => {
      const js = jsEngineCounts({ cohort, scores, outcome, B, seed: 7 });
      const got = await engineCounts({ source: { engine: 'postgres', database: url() }, scores, outcome, B, seed: 7 });
      expect(got.engine).toBe('postgres');
      expect(comparable(got)).toEqual(comparable(js));
    });

    it('reads tables named in a schema (views of a warehouse) to the same counts', async () => {
      const tables = { observations: 'ehr.obs', events: 'ehr.ev', encounters: 'ehr.enc', patients: 'ehr.pat' };
      const named = await engineCounts({ source: { engine: 'postgres', database: url(), tables }, scores, B, seed: 7 });
      expect(comparable(named)).toEqual(comparable(jsEngineCounts({ cohort, scores, B, seed: 7 })));
    });

    it('groups by a patients column in the database as in JavaScript', async () => {
      const got = await engineCounts({ source: { engine: 'postgres', database: url() }, scores, groupBy: 'ethnicity', B, seed: 7 });
      expect(comparable(got)).toEqual(comparable(jsEngineCounts({ cohort, scores, groupBy: 'ethnicity', B, seed: 7 })));
    });

    it('ewskit validate --engine postgres writes the engine report from the database', async () => {
      const { runCli } = await import('../../../src/cli/run.js');
      let stdout = '';
      let stderr = '';
      const out = join(dir, 'pg-report.json');
      const code = await runCli(['validate', '--engine', 'postgres', '--database', url(), '--by', 'ethnicity', '--B', '30', '--out', out, '--quiet'], {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
      });
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^# ewskit engine report \(postgres\)/);
      const report = JSON.parse(readFileSync(out, 'utf8')) as { engine: string; groups: { by: string } };
      expect(report.engine).toBe('postgres');
      expect(report.groups.by).toBe('ethnicity');
    });

    it('derives the groups of a banded, census or condition grouping in SQL as validate does in JavaScript', async () => {
      const values = [
        'A',
        ' h',
        'R',
        'r',
        'Z',
        'X',
        '',
        ' 5 ',
        'J44.1',
        'J441',
        'A419',
        'R65.1',
        'R651',
        'R65.2',
        ' i50 ',
        'copd',
        'J4',
        '0',
        '3',
        '4',
        '7.5',
        '8',
        '10',
        '11',
      ];
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        for (const derive of ['nhs-2001', 'nhs-2021', 'condition', 'skin-tone'] as const) {
          const expr = groupLabelSql(derive, 't.v', 'postgres', DEFAULT_SKIN_TONE_BANDS);
          const rows = (
            await client.query(`SELECT t.v AS v, ${expr} AS g FROM (VALUES ${values.map((_, i) => `($${i + 1}::text)`).join(', ')}) AS t(v)`, values)
          ).rows as {
            v: string;
            g: string | null;
          }[];
          const js = (v: string) =>
            derive === 'condition'
              ? conditionGroup(v)
              : derive === 'skin-tone'
                ? (DEFAULT_SKIN_TONE_BANDS.find((b) => Number(v) >= b.min && Number(v) <= b.max)?.label ?? null)
                : nhsEthnicGroup(v, derive === 'nhs-2021' ? 2021 : 2001);
          expect(
            rows.map((r) => [r.v, r.g]),
            derive,
          ).toEqual(values.map((v) => [v, js(v)]));
        }
      } finally {
        await client.end();
      }
    });

    it('names the missing table', async () => {
      await expect(
        engineCounts({ source: { engine: 'postgres', database: url(), tables: { observations: 'nowhere', events: 'events' } }, scores, B: 0, seed: 1 }),
      ).rejects.toThrow(/engineCounts: the database has no table "nowhere" \(the observations\)/);
    });
  },
);

/**
 * Every rule of the labeller at its edge, written as a cohort by hand (times in hours after T0; horizon 24 h):
 *  E1 (P1): death at 24 h, discharge 30 h. Sets at 0 h (event exactly at t + 24 h: positive), −0.0167 h (event 1 min
 *     past the horizon: negative), 23.5 h (30 min before: kept even with a 30-min window — the gap is not < 30 min),
 *     23.667 h (20 min before: left out with the window), 24 h (at the event: excluded), 25 h (after: excluded).
 *  E2 (P2): discharged alive at 10 h, no event. Sets at 0 h (discharged within the horizon: a negative in hospital,
 *     censored at discharge when follow-up is linked) and −14 h (discharge exactly at t + 24 h: not within, negative).
 *  E3 (P3): never discharged; the extract's latest time is its set at 99 h. Sets at 75 h (t + 24 h = the end: known
 *     negative), 76 h and 99 h (horizon past the end: censored).
 *  E4 (P4): ICU at 5 h, death at 8 h. Sets at 1 h (positive either way) and 6 h (after the ICU admission: excluded
 *     for every-event outcomes; positive for deaths only, the ICU admission a competing event).
 *  E5 (P5): an event of no type at 3 h. Set at 2 h (positive for every event; negative for deaths only).
 *  E6 (no patient): death at 2 h; set at 1 h — labelled, not in the analysis set.
 *  E7 (P1 again: a readmission): discharged at 60 h; set at 40 h (discharged within 24 h: negative; with the extract
 *     ending at 50 h it is still open at the end: censored).
 *  A set with no encounter and one with no time: excluded, counted.
 */
describe('engines at the labeller’s edges (a cohort written by hand)', () => {
  const T0 = Date.UTC(2025, 0, 1);
  const at = (hours: number): number => T0 + Math.round(hours * 3_600_000);
  const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());
  const sets: [string | null, string | null, number | null][] = [
    ['P1', 'E1', at(0)],
    ['P1', 'E1', at(-1 / 60)],
    ['P1', 'E1', at(23.5)],
    ['P1', 'E1', at(23 + 40 / 60)],
    ['P1', 'E1', at(24)],
    ['P1', 'E1', at(25)],
    ['P2', 'E2', at(0)],
    ['P2', 'E2', at(-14)],
    ['P3', 'E3', at(75)],
    ['P3', 'E3', at(76)],
    ['P3', 'E3', at(99)],
    ['P4', 'E4', at(1)],
    ['P4', 'E4', at(6)],
    ['P5', 'E5', at(2)],
    [null, 'E6', at(1)],
    ['P1', 'E7', at(40)],
    ['P8', null, at(3)],
    ['P9', 'E9', null],
  ];
  const events: [string, number, string | null][] = [
    ['E1', at(24), 'death'],
    ['E4', at(5), 'unplanned_icu'],
    ['E4', at(8), 'death'],
    ['E5', at(3), null],
    ['E6', at(2), 'death'],
  ];
  const encounters: [string, string | null, number | null][] = [
    ['E1', 'P1', at(30)],
    ['E2', 'P2', at(10)],
    ['E3', 'P3', null],
    ['E4', 'P4', at(20)],
    ['E5', 'P5', at(20)],
    ['E6', null, at(20)],
    ['E7', 'P1', at(60)],
    ['E9', 'P9', at(20)],
  ];
  // Vitals that vary a little, so the score has several values.
  const vitals = (i: number) => ({ rr: 14 + (i % 4) * 4, hr: 70 + (i % 3) * 25 });
  // An age recorded on each set that differs within an encounter (70 + row): Table 1 reads an encounter's at its
  // earliest analysed set, which for E1 and E2 is not their first row.
  const ageOf = (i: number) => 70 + i;
  const edge = join(dir, 'edge');
  const cohortOf = async (): Promise<CohortTables> => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(edge, { recursive: true });
    const csvRow = (cells: (string | number | null)[]) => cells.map((c) => (c === null ? '' : String(c))).join(',');
    writeFileSync(
      join(edge, 'observations.csv'),
      [
        'patient_id,encounter_id,observed_at,respiratory_rate,spo2,spo2_scale,on_oxygen,systolic_bp,heart_rate,consciousness,temperature,age',
        ...sets.map(([p, e, t], i) => csvRow([p, e, iso(t), vitals(i).rr, 96, 1, 'false', 120, vitals(i).hr, 'A', 37, ageOf(i)])),
      ].join('\n'),
    );
    writeFileSync(join(edge, 'events.csv'), ['encounter_id,event_at,event_type', ...events.map(([e, t, ty]) => csvRow([e, iso(t), ty]))].join('\n'));
    writeFileSync(
      join(edge, 'encounters.csv'),
      ['encounter_id,patient_id,discharged_at,admitted_at', ...encounters.map(([e, p, d]) => csvRow([e, p, iso(d), iso(at(-20))]))].join('\n'),
    );
    writeFileSync(join(edge, 'cohort.json'), JSON.stringify({ format: 'csv' }));
    const { Table, vectorFromArray, Utf8, Float64, Bool } = await import('apache-arrow');
    const strings = (xs: (string | null)[]) => vectorFromArray(xs, new Utf8());
    const times = (xs: (number | null)[]) => vectorFromArray(xs, new Float64());
    return {
      observations: new Table({
        patient_id: strings(sets.map((s) => s[0])),
        encounter_id: strings(sets.map((s) => s[1])),
        observed_at: times(sets.map((s) => s[2])),
        respiratory_rate: times(sets.map((_, i) => vitals(i).rr)),
        spo2: times(sets.map(() => 96)),
        spo2_scale: times(sets.map(() => 1)),
        on_oxygen: vectorFromArray(
          sets.map(() => false),
          new Bool(),
        ),
        systolic_bp: times(sets.map(() => 120)),
        heart_rate: times(sets.map((_, i) => vitals(i).hr)),
        consciousness: strings(sets.map(() => 'A')),
        temperature: times(sets.map(() => 37)),
        age: times(sets.map((_, i) => ageOf(i))),
      }),
      events: new Table({
        encounter_id: strings(events.map((e) => e[0])),
        event_at: times(events.map((e) => e[1])),
        event_type: strings(events.map((e) => e[2])),
      }),
      encounters: new Table({
        encounter_id: strings(encounters.map((e) => e[0])),
        patient_id: strings(encounters.map((e) => e[1])),
        discharged_at: times(encounters.map((e) => e[2])),
        admitted_at: times(encounters.map(() => at(-20))),
      }),
    };
  };
  const outcomes: readonly [string, LabelOptions][] = [
    ...OUTCOMES.slice(0, 2),
    ['every event, 30-min window', { excludeBeforeEventMinutes: 30 }],
    ['linked follow-up', { followUp: 'linked' }],
    ['the extract ending at 50 h', { extractEnd: at(50) }],
    ['the extract ending at 50 h, censored sets negative', { extractEnd: at(50), censored: 'negative' }],
  ];

  it.each(outcomes)('DuckDB labels and counts as JavaScript does: %s', async (_name, outcome) => {
    const tables = await cohortOf();
    const js = jsEngineCounts({ cohort: tables, scores: [news2], outcome, B: 20, seed: 3 });
    const duck = await engineCounts({ source: { engine: 'duckdb', cohort: edge }, scores: [news2], outcome, B: 20, seed: 3 });
    expect(comparable(duck)).toEqual(comparable(js));
  });

  it('an event that joins no set stops the study, as validate does (it would become a negative)', async () => {
    await cohortOf();
    const { appendFileSync } = await import('node:fs');
    appendFileSync(join(edge, 'events.csv'), `\nE99,${iso(at(5))},death`);
    await expect(engineCounts({ source: { engine: 'duckdb', cohort: edge }, scores: [news2], B: 0, seed: 3 })).rejects.toThrow(
      /engineCounts: 1 of 6 rows of the events table have an encounter_id that matches no observation set; expected at most 0 \(option "maxUnmatchedEvents"\)/,
    );
    const allowed = await engineCounts({ source: { engine: 'duckdb', cohort: edge }, scores: [news2], B: 0, seed: 3, maxUnmatchedEvents: 1 });
    expect(allowed.flow.byCode.length).toBeGreaterThan(0);
    await cohortOf(); // written afresh for the other tests
  });

  it('the hand count: default outcome', async () => {
    const js = jsEngineCounts({ cohort: await cohortOf(), scores: [news2], B: 0, seed: 3 });
    const code = (c: number) => js.flow.byCode.find((x) => x.code === c);
    // Labelled: E1 0 h (+), −1 min (−), 23.5 h (+), 23.67 h (+); E2 both (−); E3 75 h (−); E4 1 h (+); E5 (+); E6 (+); E7 (−).
    expect(code(0)).toMatchObject({ sets: 11, positive: 6, withoutPatient: 1 });
    expect(code(1)?.sets).toBe(2); // no encounter, no time
    expect(code(2)?.sets).toBe(3); // E1 24 h and 25 h, E4 6 h
    expect(code(5)?.sets).toBe(2); // E3 76 h and 99 h
    expect(js.flow.scores[0]).toMatchObject({ score: '', sets: 10, positive: 5, patients: 5 });
  });

  it('the hand count of Table 1: encounters at their earliest analysed set, quartiles from the counts, in DuckDB too', async () => {
    const tables = await cohortOf();
    const js = jsEngineCounts({ cohort: tables, scores: [news2], B: 0, seed: 3 });
    const duck = await engineCounts({ source: { engine: 'duckdb', cohort: edge }, scores: [news2], B: 0, seed: 3 });
    expect(duck.characteristics).toEqual(js.characteristics);
    const report = engineReport(js, { scores: [news2], disclosure: { policy: 'none' } });
    const t = report.characteristics;
    expect(t.columns).toEqual(['Overall', 'Event', 'No event']);
    // Analysed encounters E1, E4, E5 (an event set) and E2, E3, E7; sets as the flow's hand count (10, 5 positive).
    expect(t.totals.encounters).toEqual([6, 3, 3]);
    expect(t.totals.sets).toEqual([10, 5, 5]);
    // Ages at the earliest analysed set: E1 row 1 (−1 min, before row 0) 71, E2 row 7 (−14 h) 77, E3 78, E4 81, E5 83,
    // E7 85. Type 7 over 6: median (78 + 81) / 2 = 79.5; Q1 at h = 1.25: 77 + 0.25 · 1 = 77.25; Q3 at h = 3.75:
    // 81 + 0.75 · 2 = 82.5 (the first rows' ages, 70 and 76, would give Q1 76.5). Event: 71, 81, 83; no event: 77, 78, 85.
    const age = t.encounters.find((r) => r.variable === 'age');
    const quartiles = (k: number) => (age?.cells[k] as { quartiles: unknown }).quartiles;
    expect(quartiles(0)).toEqual({ median: 79.5, q1: 77.25, q3: 82.5 });
    expect(quartiles(1)).toEqual({ median: 81, q1: 76, q3: 82 });
    expect(quartiles(2)).toEqual({ median: 78, q1: 77.5, q3: 81.5 });
    // Respiratory rate over the 10 sets (14 + 4 · (row mod 4)): 14 14 18 18 22 22 26 26 26 26 → median 22, Q1 18, Q3 26;
    // the event sets (rows 0, 2, 3, 11, 13): 14 18 22 26 26 → 22 [18–26].
    const rr = t.sets.find((r) => r.variable === 'respiratory_rate');
    expect((rr?.cells[0] as { quartiles: unknown }).quartiles).toEqual({ median: 22, q1: 18, q3: 26 });
    expect((rr?.cells[1] as { quartiles: unknown }).quartiles).toEqual({ median: 22, q1: 18, q3: 26 });
    // The quartiles' disclosure basis: patients with an age — P1 (E1, E7), P2, P3, P4, P5.
    expect(js.characteristics.patients.find((p) => p.unit === 'encounters' && p.variable === 'age' && p.column === 'Overall')?.patients).toBe(5);
  });
});
