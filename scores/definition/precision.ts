/**
 * The recording-precision policy (docs/scores.md): a value with more precision than the chart records
 * is rounded half-up at the chart's precision, then banded with the chart's closed ranges.
 *
 * Binary floating point stores 36.05 as 36.04999…; scaled by 10 that is 360.4999…, which a naive
 * `Math.floor(x + 0.5)` would round down. We add a guard of {@link ROUNDING_GUARD} (in units of the chart's
 * last digit) before flooring, so any value within 10⁻⁹ of a half step counts as the half step. Real recordings
 * carry at most a few decimals, so no genuine value lies that close to a half step without being one.
 */

/** The guard added before flooring, in units of the chart's last recorded digit. */
export const ROUNDING_GUARD = 1e-9;

/** 10^precision as a number (precision 0 → 1, 1 → 10). */
export function precisionScale(precision: number): number {
  return 10 ** precision;
}

/**
 * A value in units of the chart's last digit, as an integer: `36.05` at precision 1 → `361`.
 * Runs in O(1). Non-finite input gives a non-finite result; callers check plausibility first.
 *
 * @param value the recorded value
 * @param precision decimal places the chart records
 * @param rounding `'half-up'` (the policy for vitals) or `'floor'` (age in completed years)
 * @returns the value at chart precision, in units of 10^-precision
 * @example quantize(36.05, 1); // => 361
 * @example quantize(20.4, 0); // => 20
 */
export function quantize(value: number, precision: number, rounding: 'half-up' | 'floor' = 'half-up'): number {
  const scaled = value * precisionScale(precision);
  return Math.floor(scaled + (rounding === 'half-up' ? 0.5 : 0) + ROUNDING_GUARD);
}

/**
 * Round a value half-up at the chart's precision, immune to binary floating point.
 *
 * @param value the recorded value
 * @param precision decimal places the chart records
 * @returns the value as the chart records it
 * @throws {RangeError} for a precision that is not a whole number of decimals from 0 to 6, or a value that is not finite
 * @example roundToPrecision(36.05, 1); // => 36.1
 * @example roundToPrecision(36.04, 1); // => 36
 */
export function roundToPrecision(value: number, precision: number): number {
  if (!(Number.isInteger(precision) && precision >= 0 && precision <= 6))
    throw new RangeError(
      `roundToPrecision: argument "precision" expected a whole number of decimal places from 0 to 6 (e.g. 1 for 36.1); received ${String(precision)}${precision > 0 && precision < 1 ? ' — a step, not a count of decimals' : ''}.`,
    );
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RangeError(`roundToPrecision: argument "value" expected a finite number; received ${String(value)}.`);
  return quantize(value, precision) / precisionScale(precision);
}
