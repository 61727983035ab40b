/**
 * What an EPR measurement means: the built-in codes of each canonical field and the units each accepts, with their
 * conversions. Codes are from the FHIR R4 vital-signs profile (LOINC) and the NHS FHIR-NEWS2 guide (SNOMED CT UK
 * edition); none is invented (there is no LOINC code for the NEWS2 total, and none is used). Units are UCUM codes,
 * each converted to the canonical unit by a stated rule; a unit that is not listed is flagged, never assumed.
 *
 * Sources: HL7 FHIR R4 Vital Signs profile (observation-vitalsigns); US Core Pulse Oximetry profile (both SpO2
 * codings; supplemental oxygen components 3151-8 and 3150-0); NHS England FHIR NEWS2 implementation guide (ACVPU
 * 1104441000000107 and its five value codes; oxygen 722742002 / 371825009).
 */

/** The canonical fields a measurement can fill. */
export type MeasuredField =
  'respiratory_rate' | 'spo2' | 'sao2' | 'spo2_scale' | 'on_oxygen' | 'systolic_bp' | 'diastolic_bp' | 'heart_rate' | 'consciousness' | 'temperature' | 'gcs';

/** Every measured field, in the canonical column order. */
export const MEASURED_FIELDS: readonly MeasuredField[] = [
  'respiratory_rate',
  'spo2',
  'sao2',
  'spo2_scale',
  'on_oxygen',
  'systolic_bp',
  'diastolic_bp',
  'heart_rate',
  'consciousness',
  'temperature',
  'gcs',
];

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';

/** A unit a field accepts: the UCUM code (and the spellings EPRs print, listed, never guessed) and its conversion. */
interface UnitRule {
  readonly codes: readonly string[];
  readonly convert: (v: number) => number;
  readonly note: string;
}

const same = (v: number) => v;

/** The units of each numeric field; the first is canonical. `on_oxygen` from flow or FiO2 is handled by its code. */
export const UNITS: Readonly<Partial<Record<MeasuredField, readonly UnitRule[]>>> = {
  respiratory_rate: [{ codes: ['/min', '{breaths}/min', 'breaths/min'], convert: same, note: 'per minute' }],
  heart_rate: [{ codes: ['/min', '{beats}/min', 'beats/min', 'bpm'], convert: same, note: 'per minute' }],
  temperature: [
    { codes: ['Cel', '°C', 'degC'], convert: same, note: '°C' },
    { codes: ['[degF]', '°F', 'degF'], convert: (f) => ((f - 32) * 5) / 9, note: '°F → °C: (F − 32) × 5/9' },
  ],
  spo2: [
    { codes: ['%'], convert: same, note: '%' },
    { codes: ['1', '{fraction}'], convert: (x) => 100 * x, note: 'fraction → %: × 100' },
  ],
  sao2: [
    { codes: ['%'], convert: same, note: '%' },
    { codes: ['1', '{fraction}'], convert: (x) => 100 * x, note: 'fraction → %: × 100' },
  ],
  systolic_bp: [
    { codes: ['mm[Hg]', 'mmHg'], convert: same, note: 'mmHg' },
    { codes: ['kPa'], convert: (k) => k * 7.500617, note: 'kPa → mmHg: × 7.500617' },
  ],
  diastolic_bp: [
    { codes: ['mm[Hg]', 'mmHg'], convert: same, note: 'mmHg' },
    { codes: ['kPa'], convert: (k) => k * 7.500617, note: 'kPa → mmHg: × 7.500617' },
  ],
  gcs: [{ codes: ['{score}', '1', ''], convert: same, note: 'points' }],
};

/** Convert a value in `unit` to the field's canonical unit, or say why not. */
export function convertUnit(field: MeasuredField, value: number, unit: string | null): { value: number } | { problem: string } {
  const rules = UNITS[field];
  if (rules === undefined) return { value };
  if (unit === null) return field === 'gcs' ? { value } : { problem: `${field}: no unit (expected ${rules.flatMap((r) => r.codes[0] ?? []).join(' or ')})` };
  const rule = rules.find((r) => r.codes.includes(unit.trim()));
  if (rule === undefined) return { problem: `${field}: unknown unit "${unit}" (expected ${rules.flatMap((r) => r.codes).join(', ')})` };
  return { value: rule.convert(value) };
}

/** ACVPU value codes (NHS FHIR-NEWS2, SNOMED CT), as the letters the scores read. */
export const ACVPU_CODES: Readonly<Record<string, 'A' | 'C' | 'V' | 'P' | 'U'>> = {
  '248234008': 'A', // mentally alert
  '130987000': 'C', // acute confusion
  '300202002': 'V', // responds to voice
  '450847001': 'P', // responds to pain
  '422768004': 'U', // unresponsive
};

/** How a coded measurement becomes a field. */
export type CodeRule =
  | { readonly kind: 'quantity'; readonly field: MeasuredField }
  /** A coded value (valueCodeableConcept) looked up in `values`; a string value taken as it is. */
  | { readonly kind: 'coded'; readonly field: MeasuredField; readonly values: Readonly<Record<string, string | number | boolean>> }
  /** A code-only observation that states the field's value by its code (oxygen: room air / on oxygen). */
  | { readonly kind: 'presence'; readonly field: MeasuredField; readonly value: string | number | boolean }
  /** Inhaled oxygen: flow (L/min) > 0, or FiO2 > 21 % (a fraction > 0.21), means on oxygen. */
  | { readonly kind: 'oxygen-flow' | 'oxygen-fio2'; readonly field: 'on_oxygen' }
  /** A panel whose components are measurements in their own right (the blood-pressure panel). */
  | { readonly kind: 'panel' }
  /**
   * LOINC 2708-6, oxygen saturation in arterial blood: SpO2 only on a pulse-oximetry Observation (coded 59408-5 too, or
   * in the vital-signs category, as US Core writes it); otherwise — an arterial blood gas, category laboratory, or a
   * long-extract row with no category — SaO2, kept in its own field and never mixed into `spo2`.
   */
  | { readonly kind: 'saturation' };

/** A code with its system: `system|code`. */
export const codeKey = (system: string, code: string): string => `${system}|${code}`;

/** The built-in codes. */
export const BUILT_IN_CODES: ReadonlyMap<string, CodeRule> = new Map<string, CodeRule>([
  [codeKey(LOINC, '9279-1'), { kind: 'quantity', field: 'respiratory_rate' }],
  [codeKey(LOINC, '8867-4'), { kind: 'quantity', field: 'heart_rate' }],
  [codeKey(LOINC, '8310-5'), { kind: 'quantity', field: 'temperature' }],
  [codeKey(LOINC, '59408-5'), { kind: 'quantity', field: 'spo2' }],
  [codeKey(LOINC, '2708-6'), { kind: 'saturation' }],
  [codeKey(LOINC, '8480-6'), { kind: 'quantity', field: 'systolic_bp' }],
  [codeKey(LOINC, '8462-4'), { kind: 'quantity', field: 'diastolic_bp' }],
  [codeKey(LOINC, '85354-9'), { kind: 'panel' }],
  [codeKey(LOINC, '9269-2'), { kind: 'quantity', field: 'gcs' }],
  [codeKey(SNOMED, '1104441000000107'), { kind: 'coded', field: 'consciousness', values: ACVPU_CODES }],
  [codeKey(LOINC, '80288-4'), { kind: 'coded', field: 'consciousness', values: ACVPU_CODES }],
  [codeKey(SNOMED, '722742002'), { kind: 'presence', field: 'on_oxygen', value: false }],
  [codeKey(SNOMED, '371825009'), { kind: 'presence', field: 'on_oxygen', value: true }],
  [codeKey(LOINC, '3151-8'), { kind: 'oxygen-flow', field: 'on_oxygen' }],
  [codeKey(LOINC, '3150-0'), { kind: 'oxygen-fio2', field: 'on_oxygen' }],
]);
