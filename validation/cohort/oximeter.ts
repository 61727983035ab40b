/**
 * Pulse-oximeter error: measured SpO2 = SaO2 + bias (by skin tone) + a per-patient offset + device noise.
 *
 * - Bias ("literature"): Gottlieb et al., JAMA Intern Med 2022;182:849–58 — at equal SaO2 the oximeter read ~0.9
 *   points higher in Black and ~0.5 in Asian than in White patients. The per-tone values spread those group
 *   differences along the Monk scale. No multiplier at low saturations by default (`below90: 1`): the size of any
 *   such effect is not established, so it is an option, not a default.
 * - Error spread: ISO 80601-2-61 allows an Arms (root-mean-square SpO2 − SaO2) up to 4 points over 70–100 %; typical
 *   devices reach 2–3, with a per-patient component (perfusion, pigmentation, probe site). Here a per-patient offset
 *   (SD `PATIENT_SD`) and a per-reading noise (SD `DEVICE_SD`) give an Arms of about 2.4 with the bias.
 * - Calibration target, NOT yet met: occult hypoxaemia — SaO2 < 88 % among sets reading SpO2 92–96 % — 2–6 % in
 *   White patients (Sjoding et al., NEJM 2020;383:2477–8: 3.6 %) and 2–4 times that in Black patients (11.7 % vs
 *   3.6 %, 3.2×). With this error model a uk-leicester cohort gives ~0.1–0.3 % in every group: a ward cohort has few
 *   sets with SaO2 < 88 % (Sjoding's were patients having arterial gases), and oxygen titrated to the reading lifts
 *   them. Reaching the target needs a lower-saturation case mix, not only wider error; until then the generator
 *   understates occult hypoxaemia and its disparity.
 */

/** SD of the per-patient oximeter offset (percentage points): the same for every reading of a patient. */
export const PATIENT_SD = 2;
/** SD of the per-reading device noise (percentage points) at normal saturations. */
export const DEVICE_SD = 1.4;

/**
 * The per-reading noise SD at an arterial saturation: oximeters are calibrated against healthy volunteers down to
 * ~70 % and are least accurate at low saturations and in poor perfusion, so the spread widens below 94 %.
 */
export function deviceSd(sao2: number): number {
  return DEVICE_SD + 0.5 * Math.max(0, 94 - sao2);
}

export interface OximeterBias {
  /** Mean over-reading (SpO2 − SaO2, percentage points) for Monk tones 1–10. */
  readonly perTone: readonly number[];
  /** Multiplier applied when the arterial saturation is below 90 %. */
  readonly below90: number;
}

export const LITERATURE_BIAS: OximeterBias = {
  perTone: [0, 0, 0.1, 0.3, 0.5, 0.7, 0.8, 1.0, 1.2, 1.4],
  below90: 1,
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
