/**
 * The synthetic cohort generator: realism against documented targets, determinism, the oximeter-bias
 * counterfactual, profiles, and the shape of what it writes.
 */
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import type { AurocDefined } from '../../../validation/metrics/auroc.js';
import { auroc } from '../../../validation/metrics/auroc.js';
import type { Cohort } from '../../../validation/cohort/generate.js';
import { GENERATOR_VERSION, generateCohort } from '../../../validation/cohort/generate.js';
import { labelOutcomes } from '../../../validation/outcomes/label-outcomes.js';
import { atThreshold } from '../../../validation/metrics/threshold.js';

const column = (t: Table, name: string): unknown[] => Array.from({ length: t.numRows }, (_, i) => t.getChild(name)?.get(i));

describe('generateCohort({ profile: "uk-leicester" }) is realistic', () => {
  // Targets and their sources (README, "Synthetic cohorts"): 1–3 % of observation sets followed by an event within
  // 24 h (an in-hospital mortality of ~5 % over ~4 sets a patient-day); 3–5 sets per patient-day (RCP 2017 Chart 4's
  // minimum: 2 a day at NEWS2 0, 4–6 at 1–4); NEWS2 AUROC 0.80–0.90 for the composite outcome within 24 h (Smith et al.,
  // Resuscitation 2013: 0.873); NEWS2 ≥ 5 sensitivity 0.4–0.7; most sets score 0–2.
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 4000, seed: 1 });
  const scored = scoreTable(news2, cohort.observations);
  const { labels, positives, negatives, excludedAfterEvent } = labelOutcomes(scored, cohort.events, { horizonHours: 24 });
  const totals = column(scored, 'news2_total') as (number | null)[];
  const y = Array.from(labels, (l) => (l < 0 ? null : l));

  it('1–3 % of observation sets are followed by an event within 24 h', () => {
    const rate = positives / (positives + negatives);
    expect(rate).toBeGreaterThan(0.01);
    expect(rate).toBeLessThan(0.03);
  });

  it('3–5 observation sets per patient-day on the ward', () => {
    const admitted = column(cohort.encounters, 'admitted_at') as number[];
    const discharged = column(cohort.encounters, 'left_ward_at') as number[];
    const days = admitted.reduce((s, a, i) => s + ((discharged[i] as number) - a) / 86_400_000, 0);
    const perDay = cohort.observations.numRows / days;
    expect(perDay).toBeGreaterThan(3);
    expect(perDay).toBeLessThan(5);
  });

  it('NEWS2 discriminates the composite outcome within 24 h with AUROC 0.80–0.90', () => {
    const a = auroc(totals, y) as AurocDefined;
    expect(a.estimate).toBeGreaterThan(0.8);
    expect(a.estimate).toBeLessThan(0.9);
  });

  it('NEWS2 ≥ 5 has a sensitivity of 0.4–0.7', () => {
    const t = atThreshold(totals, y, 5);
    const s = t.defined && t.sensitivity.defined ? t.sensitivity.estimate : Number.NaN;
    expect(s).toBeGreaterThan(0.4);
    expect(s).toBeLessThan(0.7);
  });

  it('most observation sets score 0–2', () => {
    const scoredSets = totals.filter((t) => t !== null) as number[];
    expect(scoredSets.filter((t) => t <= 2).length / scoredSets.length).toBeGreaterThan(0.6);
  });

  it('an event ends the encounter: no observation set at or after it', () => {
    expect(excludedAfterEvent).toBe(0);
    expect(cohort.events.numRows).toBeGreaterThan(0);
    expect(new Set(column(cohort.events, 'event_type'))).toEqual(new Set(['death', 'unplanned_icu', 'cardiac_arrest']));
  });

  it('records every event, not only the first: deaths after an arrest or an ICU admission, in time order, within the stay', () => {
    const enc = column(cohort.events, 'encounter_id') as string[];
    const at = column(cohort.events, 'event_at') as number[];
    const type = column(cohort.events, 'event_type') as string[];
    const byEncounter = new Map<string, { at: number; type: string }[]>();
    enc.forEach((e, i) => byEncounter.set(e, [...(byEncounter.get(e) ?? []), { at: at[i] as number, type: type[i] as string }]));
    const ids = column(cohort.encounters, 'encounter_id') as string[];
    const dischargedAt = column(cohort.encounters, 'discharged_at') as number[];
    const leftWardAt = column(cohort.encounters, 'left_ward_at') as number[];
    const discharge = new Map(ids.map((e, i) => [e, dischargedAt[i] as number]));
    const leftWard = new Map(ids.map((e, i) => [e, leftWardAt[i] as number]));
    let deathAfterIcu = 0;
    let arrests = 0;
    let arrestsFollowed = 0;
    for (const [e, list] of byEncounter) {
      for (let k = 1; k < list.length; k++) expect((list[k] as { at: number }).at).toBeGreaterThan((list[k - 1] as { at: number }).at);
      // The first event ends ward observation; nothing happens after a death or after discharge.
      expect(leftWard.get(e)).toBeGreaterThan((list[0] as { at: number }).at);
      expect(list.filter((x) => x.type === 'death').length).toBeLessThanOrEqual(1);
      expect(list.findIndex((x) => x.type === 'death')).toBeOneOf([-1, list.length - 1]);
      for (const x of list) expect(x.at).toBeLessThanOrEqual(discharge.get(e) as number);
      if (list.some((x, k) => x.type === 'death' && list.slice(0, k).some((y) => y.type === 'unplanned_icu'))) deathAfterIcu++;
      if (list[0]?.type === 'cardiac_arrest') {
        arrests++;
        if (list.length > 1) arrestsFollowed++;
      }
    }
    expect(cohort.events.numRows).toBeGreaterThan(byEncounter.size);
    expect(deathAfterIcu).toBeGreaterThan(0);
    // Every arrest is followed by death or an ICU admission.
    expect(arrestsFollowed).toBe(arrests);
  });

  it('discrimination falls with lead time: NEWS2 AUROC for sets 0–6 h before the event above that for 12–24 h', () => {
    const enc = column(scored, 'encounter_id');
    const at = column(scored, 'observed_at') as number[];
    const firstEvent = new Map<unknown, number>();
    const evEnc = column(cohort.events, 'encounter_id');
    const evAt = column(cohort.events, 'event_at') as number[];
    evEnc.forEach((e, i) => firstEvent.set(e, Math.min(firstEvent.get(e) ?? Infinity, evAt[i] as number)));
    const aurocWithin = (lo: number, hi: number) => {
      const keep = totals.map((t, i) => {
        if (t === null || y[i] === null) return false;
        if (y[i] === 0) return true;
        const lead = ((firstEvent.get(enc[i]) as number) - (at[i] as number)) / 3_600_000;
        return lead >= lo && lead < hi;
      });
      return (
        auroc(
          totals.filter((_, i) => keep[i]),
          y.filter((_, i) => keep[i]),
        ) as AurocDefined
      ).estimate;
    };
    expect(aurocWithin(0, 6)).toBeGreaterThan(aurocWithin(12, 24) + 0.01);
  });

  it('missingness depends on the state: more incomplete sets at night (22:00–06:00) than by day', () => {
    const at = column(cohort.observations, 'observed_at') as number[];
    const temp = column(cohort.observations, 'temperature');
    const share = (night: boolean) => {
      const rows = at.map((t, i) => ({ i, h: new Date(t).getUTCHours() })).filter(({ h }) => (h >= 22 || h < 6) === night);
      return rows.filter(({ i }) => temp[i] === null).length / rows.length;
    };
    expect(share(true)).toBeGreaterThan(1.5 * share(false));
  });

  it('case mix depends on the group: more comorbidity in Asian than in White patients at the same age (×1.3 by profile)', () => {
    const groups = column(cohort.patients, 'ethnicity');
    const ethnicity = new Map(column(cohort.patients, 'patient_id').map((p, i) => [p, groups[i]]));
    const ids = column(cohort.encounters, 'patient_id');
    const count = column(cohort.encounters, 'comorbidity_count') as number[];
    const age = column(cohort.encounters, 'age') as number[];
    // Age-standardised: the count's mean rises 2 % a year of age (the profile's model), and Asian patients are
    // younger (age by ethnic group), so each count is divided by exp(0.02 × (age − 60)).
    const mean = (g: string) => {
      const xs = count.map((c, i) => c / Math.exp(0.02 * ((age[i] as number) - 60))).filter((_, i) => ethnicity.get(ids[i]) === g);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('Asian') / mean('White')).toBeGreaterThan(1.15);
    expect(mean('Asian') / mean('White')).toBeLessThan(1.45);
  });

  it('a small fraction of patients are on SpO2 Scale 2; labs are measured less often than vitals', () => {
    const scale2 = new Set(column(cohort.observations, 'encounter_id').filter((_, i) => cohort.observations.getChild('spo2_scale')?.get(i) === 2));
    expect(scale2.size / 4000).toBeGreaterThan(0.005);
    expect(scale2.size / 4000).toBeLessThan(0.03);
    const lactate = column(cohort.observations, 'lactate').filter((v) => v !== null).length;
    expect(lactate / cohort.observations.numRows).toBeLessThan(0.4);
    expect(lactate).toBeGreaterThan(0);
  });

  it('keeps the truth apart: one truth row per observation set, none of it in the observations', () => {
    expect(cohort.truth.numRows).toBe(cohort.observations.numRows);
    const names = cohort.observations.schema.fields.map((f) => f.name);
    expect(names).not.toContain('severity');
    expect(names).not.toContain('sao2');
    // Patients come back: as many patients as distinct patient ids among the 4,000 encounters, fewer than encounters.
    const patients = new Set(column(cohort.encounters, 'patient_id')).size;
    expect(patients).toBeLessThan(4000);
    expect(cohort.patients.numRows).toBe(patients);
    expect(cohort.manifest.rows).toEqual({
      patients,
      encounters: 4000,
      observations: cohort.observations.numRows,
      events: cohort.events.numRows,
      truth: cohort.truth.numRows,
    });
    expect(cohort.manifest.generatorVersion).toBe(GENERATOR_VERSION);
  });
});

describe('patients come back (the readmission model)', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 4000, seed: 11 });
  const patientOf = column(cohort.encounters, 'patient_id') as string[];
  const admitted = (column(cohort.encounters, 'admitted_at') as unknown[]).map(Number);
  const discharged = (column(cohort.encounters, 'discharged_at') as unknown[]).map(Number);
  const comorbidity = column(cohort.encounters, 'comorbidity_count') as number[];
  const byPatient = new Map<string, number[]>();
  patientOf.forEach((p, i) => byPatient.set(p, [...(byPatient.get(p) ?? []), i]));

  it('a fifth to a third of patients have two or more admissions (UK medical wards: readmission within a year)', () => {
    const share = [...byPatient.values()].filter((list) => list.length >= 2).length / byPatient.size;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.35);
  });

  it('admissions follow each other: each after the last discharge by at least 7 days; none after a death', () => {
    const dead = new Set(
      (column(cohort.events, 'event_type') as string[]).flatMap((t, i) => (t === 'death' ? [String(column(cohort.events, 'encounter_id')[i])] : [])),
    );
    const ids = column(cohort.encounters, 'encounter_id') as string[];
    for (const list of byPatient.values())
      for (let k = 1; k < list.length; k++) {
        const [prev, next] = [list[k - 1] as number, list[k] as number];
        expect((admitted[next] as number) - (discharged[prev] as number)).toBeGreaterThanOrEqual(7 * 24 * 3_600_000);
        expect(dead.has(ids[prev] as string)).toBe(false);
      }
  });

  it('frail patients come back more often: more comorbidity at first admission in those readmitted', () => {
    const first = [...byPatient.values()].map((list) => ({ again: list.length >= 2, c: comorbidity[list[0] as number] as number }));
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(first.filter((x) => x.again).map((x) => x.c))).toBeGreaterThan(mean(first.filter((x) => !x.again).map((x) => x.c)));
  });

  it('a patient keeps their sex, ethnicity and skin tone: one patients row each', () => {
    expect(cohort.patients.numRows).toBe(byPatient.size);
    expect(new Set(column(cohort.patients, 'patient_id')).size).toBe(byPatient.size);
  });
});

const bytes = (c: Cohort) =>
  ['patients', 'encounters', 'observations', 'events', 'truth'].map((t) => Buffer.from(tableToIPC(c[t as keyof Cohort] as Table, 'file')).toString('base64'));

describe('generateCohort is deterministic', () => {
  it('same options and seed → byte-identical Arrow IPC files; another seed differs', () => {
    const a = generateCohort({ encounters: 300, seed: 42 });
    const b = generateCohort({ encounters: 300, seed: 42 });
    const c = generateCohort({ encounters: 300, seed: 43 });
    expect(bytes(a)).toEqual(bytes(b));
    expect(bytes(a)[2]).not.toEqual(bytes(c)[2]);
  });

  it('does not depend on the batch size (memory is bounded by it, not by the cohort)', () => {
    const small = generateCohort({ encounters: 250, seed: 5, batchEncounters: 37 });
    const large = generateCohort({ encounters: 250, seed: 5, batchEncounters: 1000 });
    expect(small.observations.batches.length).toBeGreaterThan(1);
    for (const name of ['encounter_id', 'observed_at', 'spo2', 'temperature', 'consciousness']) {
      expect(column(small.observations, name)).toEqual(column(large.observations, name));
    }
  });
});

describe('india-apollo has the diversity a study there would group by', () => {
  const c = generateCohort({ profile: 'india-apollo', encounters: 3000, seed: 4 });
  const region = column(c.patients, 'region') as string[];
  const tone = column(c.patients, 'skin_tone') as number[];
  it('regions of origin, each a sizeable group (Northeast the smallest)', () => {
    const share = (r: string) => region.filter((x) => x === r).length / region.length;
    expect(new Set(region)).toEqual(new Set(['North', 'South', 'East', 'West', 'Northeast']));
    for (const r of ['North', 'South', 'East', 'West']) expect(share(r)).toBeGreaterThan(0.1);
    expect(share('Northeast')).toBeGreaterThan(0.02);
  });
  it('skin tone spread across the Monk scale, darker on average in the South than in the North', () => {
    const mean = (r: string) => {
      const xs = tone.filter((_, i) => region[i] === r);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('South') - mean('North')).toBeGreaterThan(1);
    expect(Math.min(...tone)).toBeLessThanOrEqual(3);
    expect(Math.max(...tone)).toBeGreaterThanOrEqual(9);
  });
});

describe("oximeterBias: 'none' and 'literature' are a clean counterfactual", () => {
  const biased = generateCohort({ encounters: 1500, seed: 9, oximeterBias: 'literature' });
  const unbiased = generateCohort({ encounters: 1500, seed: 9, oximeterBias: 'none' });

  it('the same patients, encounters and events; the first set of every encounter differs only in SpO2', () => {
    const [p1, e1, , ev1] = bytes(biased);
    const [p0, e0, , ev0] = bytes(unbiased);
    expect(p1).toEqual(p0);
    expect(e1).toEqual(e0);
    expect(ev1).toEqual(ev0);
    // After the first set, what follows causally from the measured SpO2 — oxygen, the next set's timing — may differ.
    const firsts = (c: Cohort) => {
      const seen = new Set<unknown>();
      const rows: number[] = [];
      column(c.observations, 'encounter_id').forEach((e, i) => {
        if (!seen.has(e)) rows.push(i);
        seen.add(e);
      });
      return rows;
    };
    const [f1, f0] = [firsts(biased), firsts(unbiased)];
    for (const name of biased.observations.schema.fields.map((f) => f.name).filter((n) => n !== 'spo2')) {
      const b = column(biased.observations, name);
      const u = column(unbiased.observations, name);
      expect(
        f1.map((i) => b[i]),
        name,
      ).toEqual(f0.map((i) => u[i]));
    }
    const [s1, s0] = [column(biased.truth, 'sao2'), column(unbiased.truth, 'sao2')];
    expect(f1.map((i) => s1[i])).toEqual(f0.map((i) => s0[i]));
  });

  it('oxygen follows the measured SpO2: where it over-reads (dark skin, biased), hypoxaemic sets get less oxygen', () => {
    const tone = new Map(column(biased.patients, 'patient_id').map((p, i) => [p, biased.patients.getChild('skin_tone')?.get(i) as number]));
    const oxygenShare = (c: Cohort) => {
      const ids = column(c.observations, 'patient_id');
      const sao2 = column(c.truth, 'sao2') as number[];
      const oxygen = column(c.observations, 'on_oxygen');
      const rows = sao2.map((_, i) => i).filter((i) => (sao2[i] as number) < 92 && (tone.get(ids[i]) as number) >= 7);
      return rows.filter((i) => oxygen[i] === true).length / rows.length;
    };
    expect(oxygenShare(biased)).toBeLessThan(oxygenShare(unbiased));
  });

  it('differing only in measured SpO2: higher in darker skin when biased, unbiased on average otherwise', () => {
    const tone = new Map(column(biased.patients, 'patient_id').map((p, i) => [p, biased.patients.getChild('skin_tone')?.get(i) as number]));
    const meanError = (c: Cohort, dark: boolean) => {
      const ids = column(c.observations, 'patient_id');
      const err = column(c.truth, 'oximeter_bias') as number[];
      const pick = err.filter((_, i) => (tone.get(ids[i]) as number) >= 8 === dark);
      return pick.reduce((s, v) => s + v, 0) / pick.length;
    };
    // Paired by patient (the counterfactual cohorts share every patient's oximeter offset, SD 2, so it cancels): the
    // literature's bias adds to dark skin's error, and more than to the rest (Monk 1–7, some of it medium tones).
    expect(meanError(biased, true) - meanError(unbiased, true)).toBeGreaterThan(0.6);
    expect(meanError(biased, true) - meanError(unbiased, true)).toBeGreaterThan(meanError(biased, false) - meanError(unbiased, false));
    // Per-patient offsets (SD 2) make the unbiased difference between groups noisy: within 0.4 points.
    expect(Math.abs(meanError(unbiased, true) - meanError(unbiased, false))).toBeLessThan(0.4);
    expect(column(biased.observations, 'spo2')).not.toEqual(column(unbiased.observations, 'spo2'));
  });
});

describe('profiles', () => {
  it('india-apollo is younger and infection-driven, with its own population label', () => {
    const uk = generateCohort({ profile: 'uk-leicester', encounters: 800, seed: 2 });
    const india = generateCohort({ profile: 'india-apollo', encounters: 800, seed: 2 });
    const mean = (t: Table, n: string) => (column(t, n) as number[]).reduce((s, v) => s + v, 0) / t.numRows;
    expect(mean(india.encounters, 'age')).toBeLessThan(mean(uk.encounters, 'age') - 5);
    expect(new Set(column(india.patients, 'population'))).toEqual(new Set(['India']));
    expect(new Set(column(india.patients, 'ethnicity'))).toEqual(new Set(['Asian']));
  });
  it("uk-leicester follows its catchment's census mix (LLR: ~73 % White, 19 % Asian); uk-leicester-city the city's (43/41/8)", () => {
    // The catchment's mix, weighted by population (2021 Census): Leicester 368.6k (Asian 43.4 %, White 40.9 %),
    // Leicestershire 712.3k (White ≈ 88 %, Asian ≈ 8 %), Rutland 41k (White ≈ 95 %):
    // White ≈ (0.409 × 368.6 + 0.88 × 712.3 + 0.95 × 41) / 1121.9 ≈ 0.73; Asian ≈ (0.434 × 368.6 + 0.08 × 712.3) / 1121.9 ≈ 0.19.
    const share = (c: Cohort, g: string) => {
      const groups = column(c.patients, 'ethnicity');
      return groups.filter((x) => x === g).length / groups.length;
    };
    const uk = generateCohort({ encounters: 4000, seed: 3 });
    expect(share(uk, 'White')).toBeCloseTo(0.73, 1);
    expect(share(uk, 'Asian')).toBeCloseTo(0.19, 1);
    const city = generateCohort({ profile: 'uk-leicester-city', encounters: 4000, seed: 3 });
    expect(share(city, 'Asian')).toBeCloseTo(0.43, 1);
    expect(share(city, 'White')).toBeCloseTo(0.41, 1);
    expect(share(city, 'Black')).toBeCloseTo(0.08, 1);
  });
  it('a user profile overrides any field; an unknown profile is a RangeError', () => {
    const c = generateCohort({ profile: { extends: 'uk-leicester', ethnicity: { White: 1 }, site: 'Test ward' }, encounters: 50 });
    expect(new Set(column(c.patients, 'ethnicity'))).toEqual(new Set(['White']));
    expect(new Set(column(c.patients, 'site'))).toEqual(new Set(['Test ward']));
    expect(() => generateCohort({ profile: 'mars' })).toThrow(/option "profile" expected one of uk-leicester, uk-leicester-city, india-apollo/);
    expect(() => generateCohort({ profile: { ethnicity: { White: 0.5 } } })).toThrow(/shares expected to sum to 1/);
  });
  it('an empty cohort gives empty tables with their schemas', () => {
    const c = generateCohort({ encounters: 0 });
    expect(c.observations.numRows).toBe(0);
    expect(c.observations.schema.fields.map((f) => f.name)).toContain('spo2');
  });
});
