/**
 * The one table of what is clinically normal and what is extreme, for every input a model-based score may read. Model
 * scores are held to it (`monotonicityProblems`, `planModel`): each term's contribution is lowest — and the same —
 * across the normal range and never lower outside it, rising away from it on every side that is abnormal; and a single
 * extreme value raises the result's zone to at least the definition's escalation zone, as NEWS2's red score does.
 *
 * Sources: vital signs — the 0-point (normal) and 3-point (extreme) bands of NEWS2, Royal College of Physicians.
 * National Early Warning Score (NEWS) 2. London: RCP, 2017, Chart 1. Laboratory values — adult reference ranges as
 * UK laboratories report them (lactate ≤ 2.0 mmol/L; creatinine ≤ 110 µmol/L; white cell count 4.0–11.0 ×10⁹/L);
 * extremes: lactate ≥ 4.0 mmol/L (Surviving Sepsis Campaign 2021: resuscitate at ≥ 4), creatinine ≥ 354 µmol/L
 * (KDIGO 2012 acute kidney injury stage 3: ≥ 4.0 mg/dL), white cell count ≤ 2.0 or ≥ 30.0 ×10⁹/L (common laboratory
 * critical-value limits; the project's stated choice). Age, comorbidity count and diastolic BP are not held to a range:
 * they are not states that worsen at the bedside (diastolic BP is not on the NEWS2 chart).
 */
import type { FieldName } from './schema.js';

/** A numeric input: its normal range (an open side is never abnormal) and its extreme values. */
export interface NumericRange {
  readonly kind: 'range';
  readonly words: string;
  /** Inclusive normal range at chart precision; `-Infinity`/`Infinity` for a side that is never abnormal. */
  readonly low: number;
  readonly high: number;
  /** Extreme: at or below `atMost`, or at or above `atLeast` (at chart precision). */
  readonly extreme: { readonly atMost?: number; readonly atLeast?: number };
}

/** A discrete input: its codes from best to worst, the normal code and the extreme codes. */
export interface CodeOrder {
  readonly kind: 'order';
  readonly words: string;
  readonly codes: readonly string[];
  readonly extreme: readonly string[];
}

export type ClinicalRange = NumericRange | CodeOrder;

const range = (words: string, low: number, high: number, extreme: NumericRange['extreme']): NumericRange => ({ kind: 'range', words, low, high, extreme });

/** Normal ranges and extremes, by field (see the module comment for the sources). */
export const CLINICAL_RANGES: Readonly<Partial<Record<FieldName, ClinicalRange>>> = {
  respiratoryRate: range('respiration rate', 12, 20, { atMost: 8, atLeast: 25 }),
  spo2: range('SpO2', 96, Number.POSITIVE_INFINITY, { atMost: 91 }),
  systolicBP: range('systolic blood pressure', 111, 219, { atMost: 90, atLeast: 220 }),
  heartRate: range('heart rate', 51, 90, { atMost: 40, atLeast: 131 }),
  temperature: range('temperature', 36.1, 38, { atMost: 35 }),
  gcs: range('Glasgow coma score', 15, Number.POSITIVE_INFINITY, { atMost: 14 }),
  lactate: range('lactate', Number.NEGATIVE_INFINITY, 2, { atLeast: 4 }),
  creatinine: range('creatinine', Number.NEGATIVE_INFINITY, 110, { atLeast: 354 }),
  whiteCellCount: range('white cell count', 4, 11, { atMost: 2, atLeast: 30 }),
  consciousness: { kind: 'order', words: 'consciousness (A < C < V < P < U)', codes: ['A', 'C', 'V', 'P', 'U'], extreme: ['C', 'V', 'P', 'U'] },
  onOxygen: { kind: 'order', words: 'oxygen (air < oxygen)', codes: ['air', 'oxygen'], extreme: [] },
};

/**
 * True when a value (at chart precision) of `field` is extreme by the table above.
 *
 * @example isExtreme('respiratoryRate', 8); // => true
 * @example isExtreme('consciousness', 'A'); // => false
 */
export function isExtreme(field: FieldName, value: number | string): boolean {
  const r = CLINICAL_RANGES[field];
  if (r === undefined) return false;
  if (r.kind === 'order') return r.extreme.includes(String(value));
  if (typeof value !== 'number') return false;
  return (r.extreme.atMost !== undefined && value <= r.extreme.atMost) || (r.extreme.atLeast !== undefined && value >= r.extreme.atLeast);
}
