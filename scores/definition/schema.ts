/**
 * The canonical observation schema: every input a score may read, with its Arrow column name, its object
 * field name, unit, recording precision and plausible range. Checked once, at the boundary.
 *
 * Two ranges per numeric field, the project's policy (see `docs/scores.md` and `docs/safety.md`), judged on the value
 * at recording precision:
 * - **possible** — what a living patient's measurement can physically be. Outside it (a negative rate, SpO2 above
 *   100 %, a temperature outside 10–50 °C, which is how a Fahrenheit value shows itself) the value is impossible:
 *   flagged `out_of_range:<field>` and given no subscore.
 * - **plausible** — what is usually charted. Between the two (SpO2 49 %, a temperature of 24 °C) the value is rare
 *   but possible: it is **scored** (an extreme scores the chart's extreme band, so it raises NEWS2's red score) and
 *   flagged `verify:<field>`, so a user checks it — never silently dropped, never silently trusted.
 */

/** Object field names of the canonical observation, as `scoreObservation` takes them. */
export type FieldName =
  | 'respiratoryRate'
  | 'spo2'
  | 'spo2Scale'
  | 'onOxygen'
  | 'systolicBP'
  | 'diastolicBP'
  | 'heartRate'
  | 'consciousness'
  | 'temperature'
  | 'gcs'
  | 'age'
  | 'lactate'
  | 'creatinine'
  | 'whiteCellCount'
  | 'comorbidityCount';

/** A numeric input: a measurement on a continuous scale. */
export interface NumericField {
  readonly kind: 'numeric';
  readonly field: FieldName;
  readonly column: string;
  readonly unit: string;
  /** Decimal places the chart records (0 = whole numbers, 1 = one decimal). */
  readonly precision: number;
  /** How a value with more precision is brought to the chart's precision. */
  readonly rounding: 'half-up' | 'floor';
  /** Inclusive plausible range, judged on the value at chart precision: outside it (but possible) a value is scored and flagged `verify`. */
  readonly plausible: readonly [number, number];
  /** Inclusive physiologically possible range (contains `plausible`): outside it a value is flagged `out_of_range` and not scored. */
  readonly possible: readonly [number, number];
  readonly description: string;
}

/** A discrete input: one of a fixed list of codes. */
export interface DiscreteField {
  readonly kind: 'discrete';
  readonly field: FieldName;
  readonly column: string;
  /** The codes, in order; a row's code is its index in this list. */
  readonly codes: readonly string[];
  /** The code a null or absent value stands for, when the policy gives one (NEWS2: no scale given means Scale 1). */
  readonly missingMeans?: string;
  /** What the Arrow column may be. */
  readonly accepts: 'boolean' | 'integer-code' | 'string';
  readonly description: string;
}

export type InputField = NumericField | DiscreteField;

/** ACVPU consciousness codes. */
export const CONSCIOUSNESS_CODES = ['A', 'C', 'V', 'P', 'U'] as const;
export type ConsciousnessCode = (typeof CONSCIOUSNESS_CODES)[number];

const CONSCIOUSNESS_WORDS: Readonly<Record<string, ConsciousnessCode>> = {
  a: 'A',
  alert: 'A',
  c: 'C',
  // The RCP's C is *new* confusion: a bare "confused" may be chronic and is not read as C (an unknown code, flagged).
  'new confusion': 'C',
  'acute confusion': 'C',
  'new-confusion': 'C',
  new_confusion: 'C',
  v: 'V',
  voice: 'V',
  p: 'P',
  pain: 'P',
  u: 'U',
  unresponsive: 'U',
};

/** Every accepted consciousness entry (lower case, single spaces) and its code — for generators such as SQL. */
export function consciousnessWords(): readonly (readonly [string, ConsciousnessCode])[] {
  return Object.entries(CONSCIOUSNESS_WORDS);
}

/**
 * Read a consciousness entry as an ACVPU code: `A C V P U` in any case, or the words alert, new (or acute) confusion,
 * voice, pain, unresponsive. A bare "confused" or "confusion" is not C — the RCP's C means *new* confusion, and chronic
 * confusion charted as "confused" would over-trigger — so it is an unknown code. Surrounding white space is ignored.
 *
 * @param text the recorded entry
 * @returns the code, or `undefined` when the entry is not a known ACVPU code
 * @example parseConsciousness(' New confusion '); // => 'C'
 */
export function parseConsciousness(text: string): ConsciousnessCode | undefined {
  return CONSCIOUSNESS_WORDS[text.trim().toLowerCase().replace(/\s+/g, ' ')];
}

function numeric(
  field: FieldName,
  column: string,
  unit: string,
  precision: number,
  plausible: readonly [number, number],
  possible: readonly [number, number],
  description: string,
  rounding: 'half-up' | 'floor' = 'half-up',
): NumericField {
  return { kind: 'numeric', field, column, unit, precision, rounding, plausible, possible, description };
}

/** Every input field of the canonical schema, keyed by object field name. */
export const FIELDS: Readonly<Record<FieldName, InputField>> = {
  respiratoryRate: numeric('respiratoryRate', 'respiratory_rate', '/min', 0, [3, 60], [0, 120], 'Respiration rate, breaths per minute'),
  spo2: numeric('spo2', 'spo2', '%', 0, [50, 100], [0, 100], 'Peripheral oxygen saturation by pulse oximetry'),
  spo2Scale: {
    kind: 'discrete',
    field: 'spo2Scale',
    column: 'spo2_scale',
    codes: ['1', '2'],
    missingMeans: '1',
    accepts: 'integer-code',
    description: 'NEWS2 SpO2 scale: 2 only for confirmed hypercapnic respiratory failure with an 88–92 % target; null means 1',
  },
  onOxygen: {
    kind: 'discrete',
    field: 'onOxygen',
    column: 'on_oxygen',
    codes: ['air', 'oxygen'],
    accepts: 'boolean',
    description: 'Supplemental oxygen: true/1 on oxygen, false/0 on air',
  },
  systolicBP: numeric('systolicBP', 'systolic_bp', 'mmHg', 0, [40, 280], [0, 400], 'Systolic blood pressure'),
  diastolicBP: numeric('diastolicBP', 'diastolic_bp', 'mmHg', 0, [20, 180], [0, 300], 'Diastolic blood pressure'),
  heartRate: numeric('heartRate', 'heart_rate', '/min', 0, [20, 250], [0, 350], 'Pulse or heart rate, beats per minute'),
  consciousness: {
    kind: 'discrete',
    field: 'consciousness',
    column: 'consciousness',
    codes: CONSCIOUSNESS_CODES,
    accepts: 'string',
    description: 'ACVPU: Alert, new Confusion, Voice, Pain, Unresponsive',
  },
  temperature: numeric('temperature', 'temperature', '°C', 1, [25, 45], [10, 50], 'Body temperature in degrees Celsius'),
  gcs: numeric('gcs', 'gcs', 'points', 0, [3, 15], [3, 15], 'Glasgow coma score total'),
  age: numeric('age', 'age', 'years', 0, [0, 120], [0, 120], 'Age in completed years', 'floor'),
  lactate: numeric('lactate', 'lactate', 'mmol/L', 1, [0.1, 25], [0.1, 40], 'Blood lactate'),
  // Below 15 µmol/L is how a creatinine in mg/dL shows itself (1.2 mg/dL ≈ 106 µmol/L): flagged, not scored.
  creatinine: numeric('creatinine', 'creatinine', 'µmol/L', 0, [15, 2500], [15, 4000], 'Serum creatinine'),
  whiteCellCount: numeric('whiteCellCount', 'white_cell_count', '10^9/L', 1, [0.1, 300], [0.1, 1000], 'White cell count'),
  comorbidityCount: numeric('comorbidityCount', 'comorbidity_count', 'conditions', 0, [0, 30], [0, 30], 'Number of recorded comorbidities'),
};

/** Position of a field in the canonical schema: missing inputs and flags are always listed in this order. */
export function schemaOrder(field: FieldName): number {
  return Object.keys(FIELDS).indexOf(field);
}

/**
 * Read one discrete value as its code index, the way both the kernel and the evaluator do.
 * Returns the index into `field.codes`, `-1` for missing (null/undefined) and `-2` for a value that is not one
 * of the field's codes. Type errors are the caller's concern.
 */
export function discreteCode(field: DiscreteField, value: unknown): number {
  if (value === null || value === undefined) return -1;
  switch (field.accepts) {
    case 'boolean':
      if (value === true || value === 1) return 1;
      if (value === false || value === 0) return 0;
      return -2;
    case 'integer-code': {
      const i = field.codes.indexOf(String(value));
      return typeof value === 'number' && i >= 0 ? i : -2;
    }
    case 'string': {
      const code = typeof value === 'string' ? parseConsciousness(value) : undefined;
      return code === undefined ? -2 : field.codes.indexOf(code);
    }
  }
}

/** Why a present value could not be scored. */
export type FlagReason = 'out_of_range' | 'not_finite' | 'unknown_code';

/** The flag on a value that was scored but lies outside the plausible range (inside the possible one): check it. */
export const VERIFY = 'verify';

/**
 * The reason code for a present value that could not be scored: `not_finite` (NaN, ±Infinity),
 * `out_of_range` (a number outside the plausible range at chart precision), `unknown_code` (a discrete value
 * that is not one of the field's codes).
 */
export function flagReason(field: InputField, value: unknown): FlagReason {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'not_finite';
  return field.kind === 'numeric' ? 'out_of_range' : 'unknown_code';
}
