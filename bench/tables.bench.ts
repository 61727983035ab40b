/**
 * Table work in the harness, ours against the design card's libraries, measured in the same run on one seeded
 * cohort: (1) joining a patient attribute (ethnicity) onto every observation set — a Map keyed by patient id
 * against arquero's `lookup`; (2) distinct patients and encounters — a Set against arquero's `op.distinct`;
 * (3) a sample standard deviation of bootstrap replicates — ours against simple-statistics. Writes
 * bench/results/tables.json. Speed is quoted as ratios, never asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as aq from 'arquero';
import { arqueroTable } from '../validation/study/arquero-table.js';
import { sampleStandardDeviation } from 'simple-statistics';
import { generateCohort } from '../validation/cohort/generate.js';

const encounters = 20_000;
const cohort = generateCohort({ profile: 'uk-leicester', encounters, seed: 5 });
const obs = cohort.observations;
const n = obs.numRows;

function best(f: () => unknown, runs = 5): number {
  f();
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

// (1) Join a patient attribute onto every observation set.
const ours1 = (): (string | null)[] => {
  const ids = cohort.patients.getChild('patient_id');
  const eth = cohort.patients.getChild('ethnicity');
  const byId = new Map<string, string>();
  for (let i = 0; i < cohort.patients.numRows; i++) byId.set(String(ids?.get(i)), String(eth?.get(i)));
  const pid = obs.getChild('patient_id');
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = byId.get(String(pid?.get(i))) ?? null;
  return out;
};
const theirs1 = (): unknown[] => {
  const o = arqueroTable(obs, ['patient_id']);
  const p = arqueroTable(cohort.patients, ['patient_id', 'ethnicity']);
  return o.lookup(p, 'patient_id', 'ethnicity').array('ethnicity') as unknown[];
};
const a1 = ours1();
const b1 = theirs1();
const same1 = a1.every((v, i) => v === (b1[i] ?? null));

// (2) Distinct patients and encounters.
const ours2 = (): [number, number] => {
  const p = obs.getChild('patient_id');
  const e = obs.getChild('encounter_id');
  const ps = new Set<string>();
  const es = new Set<string>();
  for (let i = 0; i < n; i++) {
    ps.add(String(p?.get(i)));
    es.add(String(e?.get(i)));
  }
  return [ps.size, es.size];
};
const theirs2 = (): [number, number] => {
  const t = arqueroTable(obs, ['patient_id', 'encounter_id']).rollup({ p: aq.op.distinct('patient_id'), e: aq.op.distinct('encounter_id') });
  return [t.get('p', 0) as number, t.get('e', 0) as number];
};
const same2 = JSON.stringify(ours2()) === JSON.stringify(theirs2());

// (3) Sample SD of 1,000 replicates (what the bootstrap's SE is).
const reps = Float64Array.from({ length: 1000 }, (_, i) => 0.8 + 0.01 * Math.sin(i * 1.7));
const ours3 = (): number => {
  let mean = 0;
  for (const x of reps) mean += x;
  mean /= reps.length;
  let ss = 0;
  for (const x of reps) ss += (x - mean) ** 2;
  return Math.sqrt(ss / (reps.length - 1));
};
const theirs3 = (): number => sampleStandardDeviation(Array.from(reps));
const diff3 = Math.abs(ours3() - theirs3());

const t1 = [best(ours1), best(theirs1)];
const t2 = [best(ours2), best(theirs2)];
const t3 = [
  best(() => {
    for (let k = 0; k < 1000; k++) ours3();
  }),
  best(() => {
    for (let k = 0; k < 1000; k++) theirs3();
  }),
];
const r = (x: number) => Math.round(x * 10) / 10;
const result = {
  suite: 'tables',
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  observationSets: n,
  patientJoin: { oursMs: r(t1[0] ?? 0), arqueroLookupMs: r(t1[1] ?? 0), arqueroOverOurs: r((t1[1] ?? 0) / (t1[0] ?? 1)), sameResult: same1 },
  distinctCounts: { oursMs: r(t2[0] ?? 0), arqueroDistinctMs: r(t2[1] ?? 0), arqueroOverOurs: r((t2[1] ?? 0) / (t2[0] ?? 1)), sameResult: same2 },
  replicateSd: {
    oursMsPer1000: r(t3[0] ?? 0),
    simpleStatisticsMsPer1000: r(t3[1] ?? 0),
    simpleStatisticsOverOurs: r((t3[1] ?? 0) / (t3[0] ?? 1)),
    absoluteDifference: diff3,
  },
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true }); // run from the package root (npm run bench)
writeFileSync('bench/results/tables.json', `${JSON.stringify(result, null, 2)}\n`);
