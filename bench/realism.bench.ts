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
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync('bench/results/realism.json', `${JSON.stringify(result, null, 2)}\n`);
