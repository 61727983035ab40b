/**
 * What the synthetic uk-leicester cohort looks like, measured with the current generator: the figures the README
 * quotes under "Realism", with the generator version and the date. Writes bench/results/realism.json.
 * (The realism tests hold each figure inside its target range; this file records where it falls.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { news2 } from '../scores/catalogue/news2.js';
import { scoreTable } from '../scores/kernel/score-table.js';
import { auroc } from '../validation/metrics/auroc.js';
import { atThreshold } from '../validation/metrics/threshold.js';
import { GENERATOR_VERSION, generateCohort } from '../validation/cohort/generate.js';
import { labelOutcomes } from '../validation/outcomes/label-outcomes.js';
import { referenceOccultHypoxaemia, LITERATURE_BIAS } from '../validation/cohort/oximeter.js';
import { PROFILES } from '../validation/cohort/profiles.js';
import { conditionGroup } from '../validation/codes/conditions.js';
import { MONITORING_HOURS, monitoringBand, triggers } from '../validation/ward/monitoring.js';

const encounters = 4000;
const seed = 1;
const cohort = generateCohort({ profile: 'uk-leicester', encounters, seed });
const column = (t: { numRows: number; getChild(n: string): { get(i: number): unknown } | null }, n: string): unknown[] =>
  Array.from({ length: t.numRows }, (_, i) => t.getChild(n)?.get(i));
const scored = scoreTable(news2, cohort.observations);
const labelled = labelOutcomes(scored, cohort.events, { horizonHours: 24, encounters: cohort.encounters });
const totals = column(scored, 'news2_total') as (number | null)[];
const y = Array.from(labelled.labels, (l) => (l < 0 ? null : l));
const estimate = (r: unknown): number => Math.round(((r as { estimate?: number }).estimate ?? NaN) * 1000) / 1000;

const admitted = column(cohort.encounters, 'admitted_at').map(Number);
const leftWard = column(cohort.encounters, 'left_ward_at').map(Number);
const wardDays = admitted.reduce((s, a, i) => s + ((leftWard[i] as number) - a) / 86_400_000, 0);
const patientOf = column(cohort.encounters, 'patient_id') as string[];
const admissions = new Map<string, number>();
for (const p of patientOf) admissions.set(p, (admissions.get(p) ?? 0) + 1);
const types = column(cohort.events, 'event_type') as string[];
const eventEncounters = new Set(column(cohort.events, 'encounter_id'));
const sens5 = atThreshold(totals, y, 5);

// Lead time: NEWS2 AUROC with positives restricted to sets 0–6 h and 12–24 h before the first event.
const enc = column(scored, 'encounter_id');
const at = column(scored, 'observed_at').map(Number);
const firstEvent = new Map<unknown, number>();
column(cohort.events, 'encounter_id').forEach((e, i) =>
  firstEvent.set(e, Math.min(firstEvent.get(e) ?? Infinity, Number(column(cohort.events, 'event_at')[i]))),
);
const aurocWithin = (lo: number, hi: number): number => {
  const keep = totals.map((t, i) => {
    if (t === null || y[i] === null) return false;
    if (y[i] === 0) return true;
    const lead = ((firstEvent.get(enc[i]) as number) - (at[i] as number)) / 3_600_000;
    return lead >= lo && lead < hi;
  });
  return estimate(
    auroc(
      totals.filter((_, i) => keep[i]),
      y.filter((_, i) => keep[i]),
    ),
  );
};

// Ward time: sets per hour by night (22:00–06:00) against by day; the gap after a set at NEWS2 0; compliance.
const hourOf = (t: number): number => new Date(t).getUTCHours();
const night = (t: number): boolean => hourOf(t) >= 22 || hourOf(t) < 6;
const nightSets = at.filter(night).length;
const red = column(scored, 'news2_red_flag') as (boolean | null)[];
const gapsAtZero: number[] = [];
const compliance = { day: [0, 0], night: [0, 0] };
at.forEach((t, i) => {
  if (enc[i + 1] !== enc[i]) return;
  const gap = (at[i + 1] as number) - t;
  const band = monitoringBand(totals[i] ?? 0, red[i] === true);
  if (totals[i] === 0) gapsAtZero.push(gap / 3_600_000);
  const limit = MONITORING_HOURS[band] * 3_600_000;
  const c = compliance[night(t + limit) ? 'night' : 'day'];
  c[0] = (c[0] ?? 0) + 1;
  if (gap <= limit + 30 * 60_000) c[1] = (c[1] ?? 0) + 1;
});
gapsAtZero.sort((a, b) => a - b);
// Population: mean age by ethnic group; in-hospital mortality; conditions.
const ethnicityOf = new Map(column(cohort.patients, 'patient_id').map((p, i) => [p, column(cohort.patients, 'ethnicity')[i]]));
const ages = column(cohort.encounters, 'age') as number[];
const meanAge = (g: string): number => {
  const xs = ages.filter((_, i) => ethnicityOf.get(patientOf[i]) === g);
  return Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
};
const died = new Set(column(cohort.events, 'encounter_id').filter((_, i) => types[i] === 'death'));
const conditions: Record<string, number> = {};
for (const code of column(cohort.encounters, 'primary_diagnosis')) {
  const g = conditionGroup(code) ?? 'none';
  conditions[g] = (conditions[g] ?? 0) + 1;
}
// Escalation: events within 24 h of a triggering set, without and with an escalation effect (same seed).
const treated = generateCohort({ profile: 'uk-leicester', encounters, seed, escalationEffect: 0.5 });
const eventsAfterTriggers = (c: typeof cohort): number => {
  const sc = scoreTable(news2, c.observations);
  const tot = column(sc, 'news2_total') as (number | null)[];
  const rf = column(sc, 'news2_red_flag') as (boolean | null)[];
  const e = column(sc, 'encounter_id');
  const t = column(sc, 'observed_at').map(Number);
  const first = new Map<unknown, number>();
  column(c.events, 'encounter_id').forEach((x, i) => first.set(x, Math.min(first.get(x) ?? Infinity, Number(column(c.events, 'event_at')[i]))));
  let n = 0;
  let k = 0;
  tot.forEach((v, i) => {
    if (!triggers('urgent', v ?? 0, rf[i] === true)) return;
    n++;
    const f = first.get(e[i]);
    if (f !== undefined && f - (t[i] as number) <= 86_400_000) k++;
  });
  return Math.round((k / n) * 10000) / 10000;
};
// Occult hypoxaemia on the ward cohort itself: SaO2 < 88 % (truth) among sets reading SpO2 92–96 %, by group.
const spo2 = column(cohort.observations, 'spo2') as number[];
const sao2 = column(cohort.truth, 'sao2') as number[];
const setPatient = column(cohort.observations, 'patient_id');
const wardOccult = (g: string): { sets: number; occult: number } => {
  let sets = 0;
  let occult = 0;
  spo2.forEach((v, i) => {
    if (ethnicityOf.get(setPatient[i]) !== g || v < 92 || v > 96) return;
    sets++;
    if ((sao2[i] as number) < 88) occult++;
  });
  return { sets, occult };
};
const tones = PROFILES['uk-leicester']?.skinTone ?? {};
const occultWhite = referenceOccultHypoxaemia(LITERATURE_BIAS, tones.White ?? []);
const occultBlack = referenceOccultHypoxaemia(LITERATURE_BIAS, tones.Black ?? []);

const result = {
  suite: 'realism',
  date: new Date().toISOString().slice(0, 10),
  generatorVersion: GENERATOR_VERSION,
  profile: 'uk-leicester',
  encounters,
  seed,
  patients: admissions.size,
  shareOfPatientsWithTwoOrMoreAdmissions: Math.round(([...admissions.values()].filter((n) => n >= 2).length / admissions.size) * 1000) / 1000,
  shareOfEncountersWithAnEvent: Math.round((eventEncounters.size / encounters) * 10000) / 10000,
  inHospitalDeathsPerEncounter: Math.round((types.filter((t) => t === 'death').length / encounters) * 10000) / 10000,
  setsFollowedByAnEventWithin24h: Math.round((labelled.positives / (labelled.positives + labelled.negatives)) * 10000) / 10000,
  setsPerPatientDayOnTheWard: Math.round((cohort.observations.numRows / wardDays) * 10) / 10,
  news2Auroc: estimate(auroc(totals, y)),
  news2SensitivityAt5: sens5.defined && sens5.sensitivity.defined ? Math.round(sens5.sensitivity.estimate * 100) / 100 : null,
  news2AurocSets0to6hBefore: aurocWithin(0, 6),
  news2AurocSets12to24hBefore: aurocWithin(12, 24),
  inHospitalMortality: Math.round((died.size / encounters) * 10000) / 10000,
  meanAgeWhite: meanAge('White'),
  meanAgeAsian: meanAge('Asian'),
  meanAgeBlack: meanAge('Black'),
  setsPerHourNightOverDay: Math.round((nightSets / 8 / ((at.length - nightSets) / 16)) * 100) / 100,
  medianGapHoursAfterNews2Zero: Math.round((gapsAtZero[Math.floor(gapsAtZero.length / 2)] ?? NaN) * 100) / 100,
  monitoringComplianceDay: Math.round(((compliance.day[1] ?? 0) / (compliance.day[0] ?? 1)) * 1000) / 1000,
  monitoringComplianceNight: Math.round(((compliance.night[1] ?? 0) / (compliance.night[0] ?? 1)) * 1000) / 1000,
  encountersByCondition: conditions,
  eventWithin24hAfterATriggeringSet: { escalationEffect0: eventsAfterTriggers(cohort), escalationEffect05: eventsAfterTriggers(treated) },
  wardOccultHypoxaemia: { white: wardOccult('White'), black: wardOccult('Black') },
  referenceOccultHypoxaemia: {
    white: Math.round(occultWhite * 10000) / 10000,
    black: Math.round(occultBlack * 10000) / 10000,
    ratio: Math.round((occultBlack / occultWhite) * 100) / 100,
  },
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync('bench/results/realism.json', `${JSON.stringify(result, null, 2)}\n`);
