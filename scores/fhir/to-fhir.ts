/**
 * A NEWS2 result as a FHIR R4 Observation, for clinical apps writing back to an EPR: the total under the NHS
 * FHIR-NEWS2 code (SNOMED CT UK edition 1104051000000101, value in `{score}`), one component per subscore under its
 * own SNOMED code, and `derivedFrom` pointing at the input Observations. Codes from the NHS England NEWS2 FHIR
 * implementation guide; there is no LOINC code for the NEWS2 total, so none is given.
 */
import type { BandedScore } from '../definition/definition.js';
import { argumentError } from '../definition/errors.js';
import type { ObservationScore } from '../evaluate/types.js';

const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';

/** SNOMED CT codes of the NEWS2 total and its subscores (NHS FHIR-NEWS2); the guide's term for the total only. */
export const NEWS2_FHIR_CODES = {
  total: { code: '1104051000000101', display: 'Royal College of Physicians NEWS2 total score' },
  respiratoryRate: { code: '1104301000000104' },
  spo2Scale1: { code: '1104311000000102' },
  spo2Scale2: { code: '1104321000000108' },
  onOxygen: { code: '1104331000000105' },
  systolicBP: { code: '1104341000000101' },
  heartRate: { code: '1104351000000103' },
  consciousness: { code: '1104361000000100' },
  temperature: { code: '1104371000000107' },
} as const;

/** A FHIR R4 Observation, as far as `toFhir` writes one. */
export interface FhirObservation {
  readonly resourceType: 'Observation';
  readonly status: 'final';
  readonly code: FhirCodeableConcept;
  readonly subject?: { readonly reference: string };
  readonly effectiveDateTime?: string;
  readonly valueQuantity: FhirQuantity;
  readonly derivedFrom?: readonly { readonly reference: string }[];
  readonly component: readonly { readonly code: FhirCodeableConcept; readonly valueQuantity: FhirQuantity }[];
}

export interface FhirCodeableConcept {
  readonly coding: readonly { readonly system: string; readonly code: string; readonly display?: string }[];
}

export interface FhirQuantity {
  readonly value: number;
  readonly unit: string;
  readonly system: string;
  readonly code: string;
}

export interface ToFhirOptions {
  /** The patient, e.g. `"Patient/123"`. */
  readonly subject?: string;
  /** When the set was charted (ISO 8601). */
  readonly effectiveDateTime?: string;
  /** References to the input Observations, e.g. `["Observation/rr-1", …]`. */
  readonly derivedFrom?: readonly string[];
  /** The SpO2 scale the set was scored on (default 1): it picks the SpO2 subscore's code. */
  readonly spo2Scale?: 1 | 2;
}

const score = (value: number): FhirQuantity => ({ value, unit: 'score', system: UCUM, code: '{score}' });
// A display only where the guide gives the term (the total); a code alone is valid FHIR, an invented term is not.
const concept = (c: { code: string; display?: string }): FhirCodeableConcept => ({
  coding: [{ system: SNOMED, code: c.code, ...(c.display === undefined ? {} : { display: c.display }) }],
});

/**
 * A NEWS2 result as a FHIR R4 Observation. Runs in O(parameters).
 *
 * @param def `news2` (the codes are NEWS2's; other scores have none published)
 * @param result what `scoreObservation(news2, …)` returned
 * @throws {TypeError} for a score other than NEWS2; {RangeError} for a result without a total (a missing or flagged input)
 * @example toFhir(news2, scoreObservation(news2, set), { subject: 'Patient/1' }).valueQuantity.value; // => the total
 */
export function toFhir(def: BandedScore, result: ObservationScore, options: ToFhirOptions = {}): FhirObservation {
  const fn = 'toFhir';
  if (def?.id !== 'news2') throw argumentError(fn, 'def', 'the NEWS2 definition (the FHIR codes are NEWS2’s)', def?.id ?? def);
  if (result === null || typeof result !== 'object' || !('subscores' in result))
    throw argumentError(fn, 'result', 'a result of scoreObservation(news2, …)', result);
  if (result.total === null) {
    const why = [...result.missing.map((m) => `missing ${m}`), ...result.flags].join(', ');
    throw new RangeError(`${fn}: the set has no NEWS2 total (${why || 'incomplete'}); a FHIR NEWS2 total needs one.`);
  }
  const scale = options.spo2Scale ?? 1;
  if (scale !== 1 && scale !== 2) throw new RangeError(`${fn}: option "spo2Scale" expected 1 or 2; received ${String(scale)}.`);
  const codeOf = (field: string) =>
    field === 'spo2' ? (scale === 2 ? NEWS2_FHIR_CODES.spo2Scale2 : NEWS2_FHIR_CODES.spo2Scale1) : NEWS2_FHIR_CODES[field as keyof typeof NEWS2_FHIR_CODES];
  const component = Object.entries(result.subscores).flatMap(([field, points]) => {
    const c = codeOf(field);
    return c === undefined || points === null ? [] : [{ code: concept(c), valueQuantity: score(points) }];
  });
  return {
    resourceType: 'Observation',
    status: 'final',
    code: concept(NEWS2_FHIR_CODES.total),
    ...(options.subject === undefined ? {} : { subject: { reference: options.subject } }),
    ...(options.effectiveDateTime === undefined ? {} : { effectiveDateTime: options.effectiveDateTime }),
    valueQuantity: score(result.total),
    ...(options.derivedFrom === undefined ? {} : { derivedFrom: options.derivedFrom.map((reference) => ({ reference })) }),
    component,
  };
}
