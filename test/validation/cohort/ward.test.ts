/**
 * The benchtop's ward: observation timing by day and night and by the RCP monitoring bands, the population (age by
 * ethnic group, in-hospital mortality), the modelled conditions with their codes and physiology, and escalation
 * that changes the course (the treatment paradox). Targets from RCP 2017 Chart 4, the 2021 Census and published
 * in-hospital mortality of emergency medical admissions (see the profiles' sources).
 */
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { conditionGroup } from '../../../validation/codes/conditions.js';
import { MONITORING_HOURS, monitoringBand, triggers } from '../../../validation/ward/monitoring.js';

const column = (t: Table, name: string): unknown[] => Array.from({ length: t.numRows }, (_, i) => t.getChild(name)?.get(i));
const HOUR = 3_600_000;
const isNight = (at: number): boolean => {
  const h = new Date(at).getUTCHours();
  return h >= 22 || h < 6;
};

describe('ward time (RCP 2017 Chart 4; rounds and nights)', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 3000, seed: 5 });
  const scored = scoreTable(news2, cohort.observations);
  const at = column(scored, 'observed_at').map(Number);
  const enc = column(scored, 'encounter_id');
  const total = column(scored, 'news2_total') as (number | null)[];
  const red = column(scored, 'news2_red_flag') as (boolean | null)[];

  it('fewer sets per hour at night (22:00–06:00) than by day', () => {
    const night = at.filter(isNight).length / 8;
    const day = (at.length - night * 8) / 16;
    expect(night / day).toBeLessThan(0.95);
    expect(night / day).toBeGreaterThan(0.5);
  });

  it('the median gap after a set at NEWS2 0 is near 12 h (10–13 h); after 1–4 at most about 6 h', () => {
    const gaps = (band: string): number[] =>
      at
        .map((t, i) => (enc[i + 1] === enc[i] && monitoringBand(total[i] ?? 0, red[i] === true) === band ? ((at[i + 1] as number) - t) / HOUR : NaN))
        .filter((g) => !Number.isNaN(g))
        .sort((a, b) => a - b);
    const median = (xs: number[]): number => xs[Math.floor(xs.length / 2)] as number;
    expect(median(gaps('0'))).toBeGreaterThan(10);
    expect(median(gaps('0'))).toBeLessThan(13);
    expect(median(gaps('1–4'))).toBeGreaterThan(3);
    expect(median(gaps('1–4'))).toBeLessThan(6.5);
    expect(median(gaps('5–6 or red'))).toBeLessThan(2);
  });

  it("monitoring compliance (next set within the band's interval + 30 min) is lower by night than by day", () => {
    const compliance = (night: boolean): number => {
      let n = 0;
      let on = 0;
      at.forEach((t, i) => {
        if (enc[i + 1] !== enc[i]) return;
        const limit = MONITORING_HOURS[monitoringBand(total[i] ?? 0, red[i] === true)] * HOUR + 30 * 60_000;
        if (isNight(t + limit) !== night) return;
        n++;
        if ((at[i + 1] as number) - t <= limit) on++;
      });
      return on / n;
    };
    expect(compliance(false)).toBeGreaterThan(compliance(true) + 0.05);
    expect(compliance(false)).toBeGreaterThan(0.6);
  });
});

describe('population (uk-leicester: adult emergency medical admissions)', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 5000, seed: 7 });
  it('White patients are older than Asian patients by at least 5 years on average (2021 Census age gap)', () => {
    const eth = new Map(column(cohort.patients, 'patient_id').map((p, i) => [p, column(cohort.patients, 'ethnicity')[i]]));
    const ages = column(cohort.encounters, 'age') as number[];
    const ids = column(cohort.encounters, 'patient_id');
    const mean = (g: string): number => {
      const xs = ages.filter((_, i) => eth.get(ids[i]) === g);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('White') - mean('Asian')).toBeGreaterThanOrEqual(5);
  });
  it('in-hospital mortality is 3–7 % of encounters (UK emergency medical admissions: 4–6 %)', () => {
    const types = column(cohort.events, 'event_type');
    const died = new Set(column(cohort.events, 'encounter_id').filter((_, i) => types[i] === 'death'));
    expect(died.size / cohort.encounters.numRows).toBeGreaterThan(0.03);
    expect(died.size / cohort.encounters.numRows).toBeLessThan(0.07);
  });
});

describe('conditions: coded primary diagnoses with their own physiology', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 4000, seed: 11 });
  const codes = column(cohort.encounters, 'primary_diagnosis');
  const groupOf = new Map(column(cohort.encounters, 'encounter_id').map((e, i) => [e, conditionGroup(codes[i])]));
  const setGroup = column(cohort.observations, 'encounter_id').map((e) => groupOf.get(e));
  const meanOf = (name: string, group: string): number => {
    const xs = column(cohort.observations, name).filter((v, i) => setGroup[i] === group && typeof v === 'number') as number[];
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };

  it('every encounter has a well-formed ICD-10 code; COPD, sepsis and heart failure each a sizeable group', () => {
    expect(codes.every((c) => conditionGroup(c) !== null)).toBe(true);
    const share = (g: string): number => [...groupOf.values()].filter((x) => x === g).length / codes.length;
    // Profile shares: COPD 12 % of patients × 60 % exacerbations ≈ 7 %; sepsis 10 % and heart failure 8 % of the rest.
    expect(share('COPD')).toBeGreaterThan(0.04);
    expect(share('COPD')).toBeLessThan(0.1);
    expect(share('Sepsis')).toBeGreaterThan(0.07);
    expect(share('Sepsis')).toBeLessThan(0.13);
    expect(share('Heart failure')).toBeGreaterThan(0.05);
    expect(share('Heart failure')).toBeLessThan(0.11);
  });

  it('sepsis runs hotter and faster than other admissions; COPD and heart failure breathe faster', () => {
    expect(meanOf('temperature', 'Sepsis')).toBeGreaterThan(meanOf('temperature', 'Other') + 0.3);
    expect(meanOf('heart_rate', 'Sepsis')).toBeGreaterThan(meanOf('heart_rate', 'Other') + 5);
    expect(meanOf('systolic_bp', 'Sepsis')).toBeLessThan(meanOf('systolic_bp', 'Other'));
    expect(meanOf('respiratory_rate', 'COPD')).toBeGreaterThan(meanOf('respiratory_rate', 'Other') + 1.5);
    expect(meanOf('respiratory_rate', 'Heart failure')).toBeGreaterThan(meanOf('respiratory_rate', 'Other') + 1);
  });

  it('SpO2 Scale 2 is a clinician’s order for some COPD patients with chronic hypoxaemia, never for anyone else', () => {
    // Patients with a Scale 2 set: all have COPD (some of their admissions are exacerbations), none are without.
    const patientOf = new Map(column(cohort.encounters, 'encounter_id').map((e, i) => [e, column(cohort.encounters, 'patient_id')[i]]));
    const scale = column(cohort.observations, 'spo2_scale');
    const onScale2 = new Set(
      column(cohort.observations, 'encounter_id')
        .filter((_, i) => scale[i] === 2)
        .map((e) => patientOf.get(e)),
    );
    const withCopd = new Set(column(cohort.encounters, 'patient_id').filter((_, i) => conditionGroup(codes[i]) === 'COPD'));
    expect(onScale2.size).toBeGreaterThan(0);
    // Share of patients on Scale 2 ≈ 12 % × 33 % × 70 % ≈ 2.8 %; of COPD patients seen with an exacerbation, fewer than half.
    const patients = cohort.patients.numRows;
    expect(onScale2.size / patients).toBeGreaterThan(0.015);
    expect(onScale2.size / patients).toBeLessThan(0.045);
    const scale2WithExacerbation = [...onScale2].filter((p) => withCopd.has(p)).length;
    expect(scale2WithExacerbation / onScale2.size).toBeGreaterThan(0.4); // the rest: COPD patients admitted for something else
  });
});

describe('escalation that works: the treatment paradox', () => {
  const off = generateCohort({ profile: 'uk-leicester', encounters: 3000, seed: 13 });
  const on = generateCohort({ profile: 'uk-leicester', encounters: 3000, seed: 13, escalationEffect: 0.5 });
  /** Events within 24 h after sets that trigger (NEWS2 ≥ 5 or a red score), and the triggering sets themselves. */
  const after = (c: typeof off): { triggered: number; followed: number; events: number } => {
    const scored = scoreTable(news2, c.observations);
    const total = column(scored, 'news2_total') as (number | null)[];
    const red = column(scored, 'news2_red_flag') as (boolean | null)[];
    const at = column(scored, 'observed_at').map(Number);
    const enc = column(scored, 'encounter_id');
    const first = new Map<unknown, number>();
    column(c.events, 'encounter_id').forEach((e, i) => first.set(e, Math.min(first.get(e) ?? Infinity, Number(column(c.events, 'event_at')[i]))));
    let triggered = 0;
    let followed = 0;
    total.forEach((t, i) => {
      if (!triggers('urgent', t ?? 0, red[i] === true)) return;
      triggered++;
      const e = first.get(enc[i]);
      if (e !== undefined && e - (at[i] as number) <= 24 * HOUR) followed++;
    });
    return { triggered, followed, events: first.size };
  };
  it('with escalationEffect 0.5, fewer events follow high-score sets than with it off, on the same seed', () => {
    const a = after(off);
    const b = after(on);
    expect(b.followed / b.triggered).toBeLessThan(a.followed / a.triggered);
    expect(b.events).toBeLessThan(a.events);
  });
  it('the truth records which sets triggered a response; only triggering sets, and most of them (80 % by day)', () => {
    const escalated = column(on.truth, 'escalated') as boolean[];
    const scored = scoreTable(news2, on.observations);
    const total = column(scored, 'news2_total') as (number | null)[];
    const red = column(scored, 'news2_red_flag') as (boolean | null)[];
    const triggering = total.map((t, i) => triggers('urgent', t ?? 0, red[i] === true));
    // (A set with a missing vital: the ward scored what it had, the kernel leaves the total missing — not compared.)
    expect(escalated.every((e, i) => !e || total[i] === null || triggering[i])).toBe(true);
    const share = escalated.filter(Boolean).length / triggering.filter(Boolean).length;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.85);
  });
  it('escalationEffect 0 (the default) leaves the course unchanged: the same events as without the option', () => {
    const zero = generateCohort({ profile: 'uk-leicester', encounters: 300, seed: 13, escalationEffect: 0 });
    const none = generateCohort({ profile: 'uk-leicester', encounters: 300, seed: 13 });
    expect(column(zero.events, 'event_at')).toEqual(column(none.events, 'event_at'));
    expect(() => generateCohort({ escalationEffect: 1.5 })).toThrow(/option "escalationEffect" expected a share from 0 to 1; received 1.5/);
    expect(() => generateCohort({ escalationTrigger: 'loud' as never })).toThrow(/option "escalationTrigger" expected one of urgent, emergency, red/);
  });
});
