/**
 * The conditions a study can group by (`--by condition`), read from an encounter's primary diagnosis coded in ICD-10
 * (WHO ICD-10 2019; the NHS's ICD-10 5th edition uses the same categories): COPD (J44: other chronic obstructive
 * pulmonary disease, which includes acute exacerbations, J44.1), sepsis (A40 streptococcal sepsis, A41 other sepsis;
 * R65.1 SIRS of infectious origin with organ failure) and heart failure (I50). Any other well-formed ICD-10 code is
 * `'Other'`; a missing, blank or malformed code is no group (null) — never guessed.
 */

/** The ICD-10 code the cohort generator records for each modelled condition's admissions. */
export const CONDITION_CODES = { copd: 'J44.1', sepsis: 'A41.9', heartFailure: 'I50.9' } as const;

/** The condition groups, in the order a report lists them. */
export const CONDITION_GROUPS = ['COPD', 'Sepsis', 'Heart failure', 'Other'] as const;
export type ConditionGroup = (typeof CONDITION_GROUPS)[number];

/** The condition group of each ICD-10 category modelled (any other well-formed code is 'Other'; R65.1 is sepsis). */
export const BY_CATEGORY: Readonly<Record<string, ConditionGroup>> = { J44: 'COPD', A40: 'Sepsis', A41: 'Sepsis', I50: 'Heart failure' };

/** An ICD-10 code: a letter, two digits, then optionally a dot (or none) and one or two more characters. */
const ICD10 = /^([A-Z]\d{2})(?:\.?([0-9A-Z]{1,2}))?$/;

/**
 * The condition group of an ICD-10 primary diagnosis, or null for a missing or malformed code.
 *
 * @example conditionGroup('J44.1'); // => 'COPD'
 * @example conditionGroup('A419'); // => 'Sepsis'
 * @example conditionGroup('R07.4'); // => 'Other'
 * @example conditionGroup('copd'); // => null (not an ICD-10 code)
 */
export function conditionGroup(code: unknown): ConditionGroup | null {
  if (typeof code !== 'string') return null;
  const m = ICD10.exec(code.trim().toUpperCase());
  if (m === null) return null;
  const category = m[1] as string;
  if (category === 'R65' && m[2] === '1') return 'Sepsis';
  return BY_CATEGORY[category] ?? 'Other';
}
