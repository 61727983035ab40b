/**
 * Observation sets as FHIR R4 vital-signs Observations, one resource per measurement, as an EPR would chart them: the
 * inverse of ingest, for fixtures, round-trip tests and synthetic Bulk Data exports. Codes are the built-in ones
 * (LOINC vital signs, a blood-pressure panel with systolic and diastolic components, ACVPU and oxygen by SNOMED CT);
 * SpO2 Scale 2 — which has no standard code — is written as a local target-range order
 * (`SPO2_SCALE_CODE`, value "88-92" or "94-98") that the matching mapping entry (`SPO2_SCALE_MAPPING`) reads back.
 */
import type { Table } from 'apache-arrow';
import { LOINC, SNOMED } from './codes.js';

/** The local code system and code this exporter uses for the SpO2 target range. */
export const SPO2_SCALE_CODE = { system: 'urn:ewskit:local', code: 'spo2-target-range' } as const;

/** The mapping entry that reads `SPO2_SCALE_CODE` back as `spo2_scale` (add it to `codes` of a mapping file). */
export const SPO2_SCALE_MAPPING = { ...SPO2_SCALE_CODE, field: 'spo2_scale', values: { '88-92': 2, '94-98': 1 } } as const;

const ACVPU_SNOMED: Readonly<Record<string, string>> = { A: '248234008', C: '130987000', V: '300202002', P: '450847001', U: '422768004' };

/** Options: write temperatures in °F (to exercise unit conversion); FiO2 beside the oxygen code. */
export interface ExportFhirOptions {
  readonly fahrenheit?: boolean;
  readonly fio2?: boolean;
}

const quantity = (value: number, unit: string) => ({ value, unit, system: 'http://unitsofmeasure.org', code: unit });
const concept = (system: string, code: string) => ({ coding: [{ system, code }] });
const VITAL = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];

/**
 * Every measurement of every set as a FHIR Observation (a generator: one resource at a time, so a large table never
 * becomes one large array). Ids are `<encounter>-<row>-<what>`; times are the set's `observed_at`.
 *
 * @example for (const o of observationsToFhir(cohort.observations)) out.write(`${JSON.stringify(o)}\n`);
 */
export function* observationsToFhir(observations: Table, options: ExportFhirOptions = {}): Generator<Record<string, unknown>> {
  const col = (name: string) => observations.getChild(name);
  const get = (name: string, i: number): unknown => col(name)?.get(i) ?? null;
  for (let i = 0; i < observations.numRows; i++) {
    const encounter = String(get('encounter_id', i));
    const patient = get('patient_id', i);
    const at = get('observed_at', i);
    const time = new Date(typeof at === 'bigint' ? Number(at) : (at as number)).toISOString();
    const base = (what: string) => ({
      resourceType: 'Observation',
      id: `${encounter}-${i}-${what}`,
      status: 'final',
      category: VITAL,
      ...(patient === null ? {} : { subject: { reference: `Patient/${String(patient)}` } }),
      encounter: { reference: `Encounter/${encounter}` },
      effectiveDateTime: time,
    });
    const num = (name: string): number | null => {
      const v = get(name, i);
      return v === null ? null : Number(v);
    };
    const rr = num('respiratory_rate');
    if (rr !== null) yield { ...base('rr'), code: concept(LOINC, '9279-1'), valueQuantity: quantity(rr, '/min') };
    const hr = num('heart_rate');
    if (hr !== null) yield { ...base('hr'), code: concept(LOINC, '8867-4'), valueQuantity: quantity(hr, '/min') };
    const temp = num('temperature');
    if (temp !== null)
      yield {
        ...base('temp'),
        code: concept(LOINC, '8310-5'),
        valueQuantity: options.fahrenheit === true ? quantity((temp * 9) / 5 + 32, '[degF]') : quantity(temp, 'Cel'),
      };
    const spo2 = num('spo2');
    if (spo2 !== null)
      yield {
        ...base('spo2'),
        code: {
          coding: [
            { system: LOINC, code: '59408-5' },
            { system: LOINC, code: '2708-6' },
          ],
        },
        valueQuantity: quantity(spo2, '%'),
      };
    const sbp = num('systolic_bp');
    const dbp = num('diastolic_bp');
    if (sbp !== null || dbp !== null)
      yield {
        ...base('bp'),
        code: concept(LOINC, '85354-9'),
        component: [
          ...(sbp === null ? [] : [{ code: concept(LOINC, '8480-6'), valueQuantity: quantity(sbp, 'mm[Hg]') }]),
          ...(dbp === null ? [] : [{ code: concept(LOINC, '8462-4'), valueQuantity: quantity(dbp, 'mm[Hg]') }]),
        ],
      };
    const acvpu = get('consciousness', i);
    const code = acvpu === null ? undefined : ACVPU_SNOMED[String(acvpu)];
    if (code !== undefined) yield { ...base('acvpu'), code: concept(SNOMED, '1104441000000107'), valueCodeableConcept: concept(SNOMED, code) };
    const o2 = get('on_oxygen', i);
    if (o2 !== null) {
      if (options.fio2 === true) yield { ...base('fio2'), code: concept(LOINC, '3150-0'), valueQuantity: quantity(o2 === true ? 28 : 21, '%') };
      else yield { ...base('o2'), code: concept(SNOMED, o2 === true ? '371825009' : '722742002') };
    }
    const scale = get('spo2_scale', i);
    if (scale !== null)
      yield {
        ...base('target'),
        code: concept(SPO2_SCALE_CODE.system, SPO2_SCALE_CODE.code),
        valueCodeableConcept: concept(SPO2_SCALE_CODE.system, Number(scale) === 2 ? '88-92' : '94-98'),
      };
  }
}
