/**
 * Definition versions withdrawn for clinical safety: loading one is refused with the reason, so a file kept from an
 * earlier release cannot score a patient. A definition's identity is its `id` and `version`; a site's own definition
 * with another id is not affected. See `docs/safety.md` (hazard H18).
 */

/** One withdrawn definition: its id, the withdrawn versions, and why. */
export interface WithdrawnDefinition {
  readonly id: string;
  readonly versions: readonly string[];
  readonly reason: string;
}

/** Every withdrawn definition version. */
export const WITHDRAWN: readonly WithdrawnDefinition[] = [
  {
    id: 'apollo_style',
    versions: ['0.1.0', '0.2.0', '0.2.1'],
    reason:
      'abnormal values could score below normal (the fitted minimum sat in abnormal territory; laboratory values unconstrained), no escalation on a single extreme value, and a missing ACVPU was imputed as Alert — replaced by 0.3.0',
  },
  {
    id: 'news2_age_comorbidity',
    versions: ['0.1.0', '0.1.1'],
    reason: 'no escalation on a single extreme value (a NEWS2 3-point band or C/V/P/U could stay green) — replaced by 0.1.2',
  },
];

/**
 * Why a definition version is withdrawn, or undefined when it is not.
 *
 * @example withdrawnReason('apollo_style', '0.2.1'); // => 'abnormal values could score below normal …'
 */
export function withdrawnReason(id: unknown, version: unknown): string | undefined {
  return WITHDRAWN.find((w) => w.id === id && w.versions.includes(String(version)))?.reason;
}
