/**
 * A NEWS2 result as a FHIR R4 Observation, for clinical apps writing back to an EPR: the total under the NHS
 * FHIR-NEWS2 code (SNOMED CT UK edition 1104051000000101, value in `{score}`), one component per subscore under its
 * own SNOMED code (the SpO2 subscore under the code of the scale the set was scored on), the category, the risk band
 * and the red score as interpretations, and `derivedFrom` pointing at the input Observations. Codes from the NHS
 * England NEWS2 FHIR implementation guide; there is no LOINC code for the NEWS2 total, so none is given.
 *
 * Only a real NEWS2 is written: a complete set scored under the RCP's rules (no research missing-value policy), for a
 * named patient at a stated time. A set with a value to verify (outside the plausible range) is written with status
 * `preliminary` and a note naming the values, so the EPR does not show it as final until a clinician confirms them.
 */
import type { BandedScore } from '../definition/definition.js';
import { news2 } from '../catalogue/news2.js';
import { isCalendarDate } from '../definition/calendar.js';
import { argumentError, optionError } from '../definition/errors.js';
import type { ObservationScore } from '../definition/observation.js';

const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
/** ewskit's own code system for the NEWS2 interpretations (the risk band and the red score); no standard codes exist. */
export const NEWS2_INTERPRETATION_SYSTEM = 'urn:ewskit:news2-interpretation';

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
  readonly status: 'final' | 'preliminary';
  readonly category: readonly FhirCodeableConcept[];
  readonly code: FhirCodeableConcept;
  readonly subject: { readonly reference: string };
  readonly effectiveDateTime: string;
  readonly valueQuantity: FhirQuantity;
  readonly interpretation: readonly FhirCodeableConcept[];
  readonly note?: readonly { readonly text: string }[];
  readonly derivedFrom?: readonly { readonly reference: string }[];
  readonly component: readonly { readonly code: FhirCodeableConcept; readonly valueQuantity: FhirQuantity }[];
}

export interface FhirCodeableConcept {
  readonly coding: readonly { readonly system: string; readonly code: string; readonly display?: string }[];
  readonly text?: string;
}

export interface FhirQuantity {
  readonly value: number;
  readonly unit: string;
  readonly system: string;
  readonly code: string;
}

export interface ToFhirOptions {
  /** The patient, a FHIR reference such as `"Patient/123"` (required: an EPR entry without a patient is not written). */
  readonly subject: string;
  /** When the set was charted: a FHIR dateTime with a time and a zone, e.g. `"2026-11-29T10:00:00Z"` (required). */
  readonly effectiveDateTime: string;
  /** References to the input Observations, e.g. `["Observation/rr-1", …]`. */
  readonly derivedFrom?: readonly string[];
  /**
   * The SpO2 scale the set was scored on. The result records it (`result.spo2Scale`); when given here it must agree.
   * Needed only for a result object that does not record it.
   */
  readonly spo2Scale?: 1 | 2;
}

const REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$|^urn:uuid:[0-9a-f-]{36}$/;
// FHIR dateTime with a time: seconds optional in R4 only with a zone; the zone is required once a time is given.
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

const score = (value: number): FhirQuantity => ({ value, unit: 'score', system: UCUM, code: '{score}' });
// A display only where the guide gives the term (the total); a code alone is valid FHIR, an invented term is not.
const concept = (c: { code: string; display?: string }): FhirCodeableConcept => ({
  coding: [{ system: SNOMED, code: c.code, ...(c.display === undefined ? {} : { display: c.display }) }],
});
const interpretation = (code: string, text: string): FhirCodeableConcept => ({ coding: [{ system: NEWS2_INTERPRETATION_SYSTEM, code, display: text }], text });

/**
 * A NEWS2 result as a FHIR R4 Observation (NHS FHIR-NEWS2 codes). Runs in O(parameters).
 *
 * @param def `news2` (the codes are NEWS2's; other scores have none published)
 * @param result what `scoreObservation(news2, …)` returned
 * @param options `subject` and `effectiveDateTime` (required), `derivedFrom`, `spo2Scale`
 * @returns an Observation with status `final` (or `preliminary` when a value must be verified), category `survey`,
 *   the total, one component per subscore, and interpretations: the risk band and, when raised, the red score
 * @throws {TypeError} for a score other than NEWS2, a result that is not one, or a missing subject or time;
 *   {RangeError} for a result without a total, a result scored with the research option `missing: 'zero'`, a
 *   malformed subject or time, or a scale that disagrees with the result's
 * @example toFhir(news2, scoreObservation(news2, set), { subject: 'Patient/1', effectiveDateTime: '2026-11-29T10:00:00Z' }).valueQuantity.value; // => the total
 */
export function toFhir(def: BandedScore, result: ObservationScore, options: ToFhirOptions): FhirObservation {
  const caller = 'toFhir';
  if (def?.id !== 'news2') throw argumentError(caller, 'def', 'the NEWS2 definition (the FHIR codes are NEWS2’s)', def?.id ?? def);
  // A definition that calls itself news2 but is not the RCP chart as shipped (edited bands, rules) is not a NEWS2.
  if (def !== news2 && JSON.stringify(def) !== JSON.stringify(news2))
    throw argumentError(
      caller,
      'def',
      'the shipped NEWS2 definition (RCP 2017), unmodified',
      `a modified definition with id "news2" (version ${String(def.version)})`,
    );
  if (result === null || typeof result !== 'object' || !('subscores' in result))
    throw argumentError(caller, 'result', 'a result of scoreObservation(news2, …)', result);
  if (result.missingPolicy !== undefined)
    throw new RangeError(
      `${caller}: the result was scored with the research option missing: '${result.missingPolicy}'; it is not a NEWS2 (the RCP defines no partial score) and is never written to an EPR.`,
    );
  if (result.total === null) {
    const why = [...result.missing.map((m) => `missing ${m}`), ...result.flags].join(', ');
    throw new RangeError(`${caller}: the set has no NEWS2 total (${why || 'incomplete'}); a FHIR NEWS2 total needs one.`);
  }
  const subject = options?.subject;
  if (subject === undefined || subject === null) throw new TypeError(`${caller}: option "subject" is required (a FHIR reference such as "Patient/123").`);
  if (typeof subject !== 'string' || !REFERENCE.test(subject)) throw optionError(caller, 'subject', 'a FHIR reference such as "Patient/123"', subject);
  const when = options.effectiveDateTime;
  if (when === undefined || when === null) throw new TypeError(`${caller}: option "effectiveDateTime" is required (when the set was charted).`);
  if (typeof when !== 'string' || !DATE_TIME.test(when) || !isCalendarDate(Number(when.slice(0, 4)), Number(when.slice(5, 7)), Number(when.slice(8, 10))))
    throw optionError(caller, 'effectiveDateTime', 'a FHIR dateTime with seconds and a time zone on a real date, e.g. "2026-11-29T10:00:00Z"', when);
  const scale = result.spo2Scale ?? options.spo2Scale;
  if (scale !== 1 && scale !== 2) throw optionError(caller, 'spo2Scale', '1 or 2 (the result does not record its SpO2 scale)', options.spo2Scale);
  if (options.spo2Scale !== undefined && options.spo2Scale !== scale)
    throw new RangeError(`${caller}: option "spo2Scale" is ${String(options.spo2Scale)} but the result was scored on Scale ${scale}.`);
  const codeOf = (field: string) =>
    field === 'spo2' ? (scale === 2 ? NEWS2_FHIR_CODES.spo2Scale2 : NEWS2_FHIR_CODES.spo2Scale1) : NEWS2_FHIR_CODES[field as keyof typeof NEWS2_FHIR_CODES];
  const component = Object.entries(result.subscores).flatMap(([field, points]) => {
    const c = codeOf(field);
    return c === undefined || points === null ? [] : [{ code: concept(c), valueQuantity: score(points) }];
  });
  const verify = result.flags.filter((f) => f.startsWith('verify:')).map((f) => f.slice('verify:'.length));
  const interpretations = [interpretation(`risk-${result.risk}`, `NEWS2 clinical risk: ${result.risk}`)];
  if (result.redFlag) interpretations.push(interpretation('red-score', 'Red score: a single parameter scored 3'));
  return {
    resourceType: 'Observation',
    status: verify.length === 0 ? 'final' : 'preliminary',
    category: [{ coding: [{ system: CATEGORY, code: 'survey', display: 'Survey' }] }],
    code: concept(NEWS2_FHIR_CODES.total),
    subject: { reference: subject },
    effectiveDateTime: when,
    valueQuantity: score(result.total),
    interpretation: interpretations,
    ...(verify.length === 0 ? {} : { note: [{ text: `Verify before use: value outside the plausible range for ${verify.join(', ')} (scored).` }] }),
    ...(options.derivedFrom === undefined ? {} : { derivedFrom: options.derivedFrom.map((reference) => ({ reference })) }),
    component,
  };
}
