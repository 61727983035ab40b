/**
 * The alert measures inside a study: on a generated ward, every rule's measures are released and agree with a count
 * made here from the scored sets; NEWS2's monitoring compliance is lower by night, as the generator's ward is; small
 * numbers are suppressed like every cell; the options are checked; and a study by condition runs.
 */
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { labelOutcomes } from '../../../validation/outcomes/label-outcomes.js';
import { checkReport } from '../../../validation/report/schema.js';
import { validate } from '../../../validation/study/validate.js';

const column = (t: Table, name: string): unknown[] => Array.from({ length: t.numRows }, (_, i) => t.getChild(name)?.get(i));

describe('validate: alerts on the ward', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 2500, seed: 4 });
  const report = validate({ cohort, scores: [news2], groupBy: ['condition'], bootstrap: { B: 100, seed: 1 }, alerts: { risingBy: 2 } });
  const section = report.alerts.scores[0];
  if (section === undefined) throw new Error('expected the NEWS2 alert section');

  it('one row per rule: the clinical cut-offs, the red score and the rising rule, each with every measure released', () => {
    expect(section.rules.map((r) => r.rule)).toEqual([
      'NEWS2 ≥ 5 (medium)',
      'NEWS2 ≥ 7 (high)',
      'red score (Any single parameter scoring 3 ("red score"))',
      'NEWS2 rising by ≥ 2 from the previous set',
    ]);
    for (const r of section.rules)
      for (const k of ['perPatientDay', 'per100Sets', 'repeatAlertRate', 'firstAlertPpv', 'episodeSensitivity', 'leadTimeHours'] as const) {
        const c = r[k];
        expect(isSuppressed(c) ? 'suppressed' : c.defined, `${r.rule} ${k}`).toBe(true);
      }
    expect(checkReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it('agrees with a count made here: NEWS2 ≥ 5 alerts, and alerts per 100 analysed sets', () => {
    const scored = scoreTable(news2, cohort.observations);
    const labels = labelOutcomes(scored, cohort.events, { horizonHours: 24, encounters: cohort.encounters }).labels;
    const totals = column(scored, 'news2_total') as (number | null)[];
    let sets = 0;
    let alerts = 0;
    totals.forEach((t, i) => {
      if (t === null || (labels[i] ?? -1) < 0) return;
      sets++;
      if (t >= 5) alerts++;
    });
    const row = section.rules[0];
    expect(row?.alerts).toBe(alerts);
    expect(section.sets).toBe(sets);
    const per100 = row?.per100Sets;
    expect(per100 !== undefined && !isSuppressed(per100) && per100.defined ? per100.estimate : NaN).toBeCloseTo((100 * alerts) / sets, 12);
  });

  it('episodes: the encounters with an event and at least one analysed set, each counted once', () => {
    const scored = scoreTable(news2, cohort.observations);
    const labels = labelOutcomes(scored, cohort.events, { horizonHours: 24, encounters: cohort.encounters }).labels;
    const totals = column(scored, 'news2_total');
    const encounters = column(scored, 'encounter_id');
    const analysed = new Set(encounters.filter((_, i) => totals[i] !== null && (labels[i] ?? -1) >= 0));
    const withEvent = new Set(column(cohort.events, 'encounter_id'));
    expect(section.episodes).toBe([...withEvent].filter((e) => analysed.has(e)).length);
    expect(section.episodes).toBeLessThanOrEqual(withEvent.size);
  });

  it('NEWS2 monitoring compliance: lower by night than by day at NEWS2 0 (the generator: 90 % by day, 60 % by night)', () => {
    const at = (period: string) => {
      const c = section.monitoring?.find((m) => m.band === '0' && m.period === period)?.compliance;
      return c !== undefined && !isSuppressed(c) && c.defined ? c : null;
    };
    const day = at('day');
    const night = at('night');
    expect(day?.estimate).toBeGreaterThan((night?.estimate ?? 1) + 0.1);
    expect(day?.ci?.[0]).toBeGreaterThan(night?.ci?.[1] ?? 1); // the patient-clustered intervals do not overlap
  });

  it('a study by condition: COPD, sepsis, heart failure and other admissions, from the ICD-10 primary diagnosis', () => {
    expect(report.subgroups[0]?.groups.map((g) => g.group)).toEqual(['COPD', 'Heart failure', 'Other', 'Sepsis']);
    expect(report.subgroups[0]?.reference).toBe('Other');
  });
});

describe('validate: alerts under disclosure control, and the options', () => {
  it('a small ward: lead time from fewer than 10 detected episodes is suppressed, the counts that pass are not', () => {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 150, seed: 2 });
    const report = validate({ cohort, scores: [news2], bootstrap: false });
    const row = report.alerts.scores[0]?.rules[0];
    expect(isSuppressed(row?.leadTimeHours)).toBe(true);
    expect(report.disclosure.tables.find((t) => t.table === 'alerts')?.cells).toBeGreaterThan(0);
    // A band's sets are its day and night sets: when one of the three is suppressed, another is too (no subtraction).
    const tiny = validate({ cohort: generateCohort({ profile: 'uk-leicester', encounters: 80, seed: 3 }), scores: [news2], bootstrap: false });
    const monitoring = tiny.alerts.scores[0]?.monitoring ?? [];
    for (const band of new Set(monitoring.map((m) => m.band))) {
      const cells = monitoring.filter((m) => m.band === band).map((m) => isSuppressed(m.sets));
      expect(cells.filter(Boolean).length, `band ${band}`).not.toBe(1);
    }
    expect(monitoring.some((m) => isSuppressed(m.sets))).toBe(true); // the small ward has small cells to protect
  });
  it('alerts.risingBy and alerts.toleranceMinutes are whole numbers, named when wrong', () => {
    const cohort = generateCohort({ encounters: 20, seed: 1 });
    expect(() => validate({ cohort, scores: [news2], alerts: { risingBy: 0 } })).toThrow(/option "alerts.risingBy" expected a whole number ≥ 1; received 0/);
    expect(() => validate({ cohort, scores: [news2], alerts: { toleranceMinutes: -5 } })).toThrow(
      /option "alerts.toleranceMinutes" expected a whole number ≥ 0; received -5/,
    );
  });
  it('without an encounters table, alerts per patient-day are undefined and say why', () => {
    const cohort = generateCohort({ encounters: 300, seed: 5 });
    const report = validate({
      cohort: { observations: cohort.observations, events: cohort.events, patients: cohort.patients },
      scores: [news2],
      bootstrap: false,
      disclosure: false,
    });
    expect(report.alerts.wardTime).toMatch(/not known/);
    expect(report.alerts.scores[0]?.rules[0]?.perPatientDay).toMatchObject({ defined: false, reason: 'no-ward-time' });
  });
});
