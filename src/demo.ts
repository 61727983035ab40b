/**
 * A small, seeded demo table in the canonical observation schema, built in memory: ward patients observed a few
 * times a day, some deteriorating, with the messiness of real EPR data (missing temperatures, the odd Fahrenheit
 * entry, a hypercapnic patient on SpO2 Scale 2, free-text consciousness), and laboratory values (lactate,
 * creatinine, white cell count) on about one observation set in four. For trying the API, not for research:
 * the synthetic cohort generator is the research tool.
 */
import type { Table } from 'apache-arrow';
import { Bool, Dictionary, Float64, Int8, Int16, Int32, TimestampMillisecond, Utf8, tableFromArrays, vectorFromArray } from 'apache-arrow';
import { createRandom } from '../validation/random.js';

export interface DemoOptions {
  /** Number of patients (default 200). */
  patients?: number;
  /** Seed (default 1). */
  seed?: number;
}

const START = Date.UTC(2026, 0, 5, 8, 0, 0);
const HOUR = 3_600_000;

/**
 * Build the demo observation table. Same options → same table.
 *
 * @param options patients (default 200) and seed (default 1)
 * @returns an apache-arrow Table in the canonical observation schema
 * @example demoObservations({ patients: 10 }).numRows; // several observation sets per patient
 */
export function demoObservations(options: DemoOptions = {}): Table {
  const patients = options.patients ?? 200;
  const rng = createRandom(options.seed ?? 1);
  // Laboratory values come from their own stream, so adding them left the vitals of every seed unchanged.
  const labs = createRandom((options.seed ?? 1) + 0x9e37);
  const cols = {
    patient_id: [] as string[],
    encounter_id: [] as string[],
    observed_at: [] as number[],
    respiratory_rate: [] as (number | null)[],
    spo2: [] as (number | null)[],
    spo2_scale: [] as (number | null)[],
    on_oxygen: [] as (boolean | null)[],
    systolic_bp: [] as (number | null)[],
    diastolic_bp: [] as (number | null)[],
    heart_rate: [] as (number | null)[],
    consciousness: [] as (string | null)[],
    temperature: [] as (number | null)[],
    age: [] as number[],
    lactate: [] as (number | null)[],
    creatinine: [] as (number | null)[],
    white_cell_count: [] as (number | null)[],
    comorbidity_count: [] as number[],
  };
  for (let p = 0; p < patients; p++) {
    const id = `P${String(p + 1).padStart(5, '0')}`;
    const age = 18 + rng.int(75);
    const hypercapnic = rng.bernoulli(0.03);
    const deteriorates = rng.bernoulli(0.1);
    const sets = 3 + rng.int(10);
    const comorbidities = labs.int(5);
    const baselineCreatinine = labs.normal(80, 15);
    let t = START + rng.int(72) * HOUR;
    for (let s = 0; s < sets; s++) {
      // Severity 0 (well) → 1 (very unwell); deteriorating patients worsen towards their last observations.
      const sev = deteriorates ? Math.min(1, ((s + 1) / sets) ** 2 * 0.8 + rng.next() * 0.1) : rng.next() * 0.15;
      const onO2 = hypercapnic || sev > 0.5 ? true : rng.bernoulli(0.08);
      cols.patient_id.push(id);
      cols.encounter_id.push(`${id}-E1`);
      cols.observed_at.push(t);
      cols.respiratory_rate.push(Math.round(rng.normal(15 + 12 * sev, 2)));
      const sat = hypercapnic ? rng.normal(89, 2) : rng.normal(97 - 8 * sev, 1.5);
      cols.spo2.push(Math.min(100, Math.round(sat)));
      cols.spo2_scale.push(hypercapnic ? 2 : null);
      cols.on_oxygen.push(rng.bernoulli(0.01) ? null : onO2);
      const sbp = Math.round(rng.normal(128 - 35 * sev, 12));
      cols.systolic_bp.push(sbp);
      cols.diastolic_bp.push(Math.round(sbp * 0.62 + rng.normal(0, 5)));
      cols.heart_rate.push(Math.round(rng.normal(78 + 40 * sev, 9)));
      const r = rng.next();
      cols.consciousness.push(sev > 0.7 && r < 0.5 ? (r < 0.3 ? 'New confusion' : 'V') : r < 0.98 ? 'A' : 'alert');
      const temp = Math.round(rng.normal(36.9 + 1.8 * sev * (rng.bernoulli(0.6) ? 1 : -1), 0.4) * 10) / 10;
      const missingTemp = rng.bernoulli(0.04);
      const fahrenheit = rng.bernoulli(0.004);
      cols.temperature.push(missingTemp ? null : fahrenheit ? Math.round((temp * 9) / 5 + 32) : temp);
      cols.age.push(age);
      // Labs are measured less often than vitals: about one set in four.
      const measured = labs.bernoulli(0.25);
      cols.lactate.push(measured ? Math.round(Math.max(0.3, labs.normal(1.1 + 3 * sev * sev, 0.4)) * 10) / 10 : null);
      cols.creatinine.push(measured ? Math.round(Math.max(30, baselineCreatinine * (1 + sev) + labs.normal(0, 8))) : null);
      cols.white_cell_count.push(measured ? Math.round(Math.max(0.5, labs.normal(7 + 6 * sev, 1.8)) * 10) / 10 : null);
      cols.comorbidity_count.push(comorbidities);
      t += Math.round((sev > 0.4 ? 1 + rng.next() * 2 : 4 + rng.next() * 4) * HOUR);
    }
  }
  return tableFromArrays({
    patient_id: vectorFromArray(cols.patient_id, new Dictionary(new Utf8(), new Int32())),
    encounter_id: vectorFromArray(cols.encounter_id, new Dictionary(new Utf8(), new Int32())),
    observed_at: vectorFromArray(cols.observed_at, new TimestampMillisecond()),
    respiratory_rate: vectorFromArray(cols.respiratory_rate, new Float64()),
    spo2: vectorFromArray(cols.spo2, new Float64()),
    spo2_scale: vectorFromArray(cols.spo2_scale, new Int8()),
    on_oxygen: vectorFromArray(cols.on_oxygen, new Bool()),
    systolic_bp: vectorFromArray(cols.systolic_bp, new Float64()),
    diastolic_bp: vectorFromArray(cols.diastolic_bp, new Float64()),
    heart_rate: vectorFromArray(cols.heart_rate, new Float64()),
    consciousness: vectorFromArray(cols.consciousness, new Dictionary(new Utf8(), new Int32())),
    temperature: vectorFromArray(cols.temperature, new Float64()),
    age: vectorFromArray(cols.age, new Int16()),
    lactate: vectorFromArray(cols.lactate, new Float64()),
    creatinine: vectorFromArray(cols.creatinine, new Float64()),
    white_cell_count: vectorFromArray(cols.white_cell_count, new Float64()),
    comorbidity_count: vectorFromArray(cols.comorbidity_count, new Int8()),
  } as never) as unknown as Table;
}
