/**
 * Pulse-oximeter bias: oximeters read higher than arterial saturation, more so in darker skin and at lower
 * saturations. Defaults ("literature"): Gottlieb et al., JAMA Intern Med 2022;182:849–58 (at equal SaO2 the oximeter
 * read ~0.9 points higher in Black and ~0.6 in Asian patients than in White patients; larger below 90 %); Sjoding et
 * al., NEJM 2020;383:2477–8 (occult hypoxaemia in 11.7 % of Black vs 3.6 % of White patients). The per-tone values
 * below spread those group differences along the Monk scale; below 90 % SaO2 the bias is multiplied.
 */

export interface OximeterBias {
  /** Mean over-reading (SpO2 − SaO2, percentage points) for Monk tones 1–10. */
  readonly perTone: readonly number[];
  /** Multiplier applied when the arterial saturation is below 90 %. */
  readonly below90: number;
}

export const LITERATURE_BIAS: OximeterBias = {
  perTone: [0, 0, 0.1, 0.3, 0.5, 0.7, 0.8, 1.0, 1.2, 1.4],
  below90: 2.5,
};

export const NO_BIAS: OximeterBias = { perTone: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], below90: 1 };

/** Resolve the `oximeterBias` option. */
export function resolveBias(option: 'literature' | 'none' | OximeterBias | undefined): OximeterBias {
  if (option === undefined || option === 'literature') return LITERATURE_BIAS;
  if (option === 'none') return NO_BIAS;
  if (!Array.isArray(option.perTone) || option.perTone.length !== 10 || !option.perTone.every(Number.isFinite) || !Number.isFinite(option.below90)) {
    throw new RangeError('generateCohort: option "oximeterBias" expected "literature", "none" or { perTone: 10 numbers, below90: number }.');
  }
  return option;
}

/** The expected over-reading for a Monk tone (1–10) at an arterial saturation. */
export function biasAt(bias: OximeterBias, tone: number, sao2: number): number {
  const b = bias.perTone[tone - 1] ?? 0;
  return sao2 < 90 ? b * bias.below90 : b;
}
