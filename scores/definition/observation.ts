/**
 * The bedside path's types: one observation set by object field name, and what scoring it returns; the one check of
 * the missing-value policy every scoring function makes.
 */
import { keyword } from './errors.js';

/** One observation set, by object field name. Any field may be null or absent. */
export interface Observation {
  respiratoryRate?: number | null;
  spo2?: number | null;
  spo2Scale?: 1 | 2 | number | null;
  onOxygen?: boolean | 0 | 1 | number | null;
  systolicBP?: number | null;
  diastolicBP?: number | null;
  heartRate?: number | null;
  consciousness?: string | null;
  temperature?: number | null;
  gcs?: number | null;
  age?: number | null;
  lactate?: number | null;
  creatinine?: number | null;
  whiteCellCount?: number | null;
  comorbidityCount?: number | null;
}

/** The missing-value policies, spelled once (their type, check, CLI values and help come from here). */
export const MISSING_POLICIES = ['none', 'zero'] as const;

/** How missing parameters are treated: `'none'` (the RCP's rule: no total) or `'zero'` (research option). */
export type MissingPolicy = (typeof MISSING_POLICIES)[number];

export interface ScoreOptions {
  /**
   * `'none'` (default): any missing parameter gives no total. `'zero'`: a research option that scores missing
   * parameters as 0 — never the default, and labelled (`missingPolicy: 'zero'`) in every result that used it.
   */
  missing?: MissingPolicy;
}

/** The response a result calls for, and what it rests on. */
export interface ObservationResponse {
  monitoring: string;
  action: string;
  /** `'total'`: the risk band of a complete total; `'red-score'`: a single red parameter on a set without a total. */
  basis: 'total' | 'red-score';
}

/** The result of scoring one observation set. */
export interface ObservationScore {
  /** Sum of subscores; null when any parameter is missing (unless `missing: 'zero'`) or flagged. */
  total: number | null;
  /** Every parameter has a valid subscore. */
  complete: boolean;
  /** Risk band from the total (and red flag); null when there is no total. */
  risk: string | null;
  /** Some single parameter scores at or above the score's red-flag threshold (judged on the parameters present). */
  redFlag: boolean;
  /** Object field names of the inputs that were null or absent, in canonical schema order. */
  missing: string[];
  /**
   * Reason codes `<reason>:<field>` for values that could not be scored (out_of_range — outside the possible range,
   * not_finite, unknown_code), and `verify:<field>` for a value that was scored but lies outside the plausible range
   * (SpO2 49 %): check it at the bedside.
   */
  flags: string[];
  /** Points per parameter, by object field name; null for a parameter that is missing, flagged or undeterminable. */
  subscores: Record<string, number | null>;
  /**
   * Monitoring frequency and clinical response. `basis: 'total'`: the risk band's response. `basis: 'red-score'`:
   * the set has no total (a parameter missing or flagged) but a single parameter scores in the red band, so at least
   * the red score's urgent response is owed — the missing parameters can only add to it. Null when there is neither.
   */
  response: ObservationResponse | null;
  /** Present only when the research option was used. */
  missingPolicy?: 'zero';
  /** The SpO2 scale the set was scored on, for a score that reads `spo2Scale` (NEWS2); absent for others or when the scale was not a valid code. */
  spo2Scale?: 1 | 2;
}

/**
 * The missing-value policy from options (default `'none'`), checked at the boundary of the public function `caller`.
 *
 * @throws {RangeError} naming `caller` for anything but 'none' or 'zero'
 */
export function missingPolicyOf(caller: string, options: { readonly missing?: MissingPolicy } | undefined): MissingPolicy {
  return keyword(caller, 'missing', MISSING_POLICIES, options?.missing, 'none');
}
