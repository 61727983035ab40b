/**
 * The values an enumerated option of the study can take, each spelled once as an `as const` array: the report's
 * settings take their types from these, `validate` checks its options against them (`keyword`), and the command line
 * takes its allowed values, help and README lists from the same arrays.
 */

/** Units of analysis reported beside every observation set. */
export const UNIT_NAMES = ['first', 'highest-24h', 'common'] as const;

/** What the patient-clustered bootstrap resamples together. */
export const CLUSTER_LEVELS = ['patient', 'encounter'] as const;

/** How a points score is mapped to probabilities (model updating): `recalibrate`'s own methods. */
export { RECALIBRATION_METHODS } from '../metrics/recalibrate.js';

/** The missing-data analysis: complete-case, zero-imputed, or both side by side. */
export const MISSING_ANALYSES = ['none', 'zero', 'both'] as const;

/** What discharge means for the outcome. */
export const FOLLOW_UPS = ['in-hospital', 'linked'] as const;

/** What happens to a set whose outcome is unknown (censored). */
export const CENSORED_HANDLING = ['exclude', 'negative'] as const;
