/**
 * The one result contract of every metric, and the option checks every public function makes at its boundary.
 *
 * A metric returns `{ defined: true, estimate, … }` or `{ defined: false, reason, message }`: never NaN, never a bare
 * `null`, never an empty array by surprise. `reason` is for programs (`'empty'`, `'no-positives'`, …), `message` for
 * people. Options are one object; `level` must lie in (0, 1); every message starts with the public function called.
 */

/** Why a metric could not be computed, for programs and for people. */
export interface Undefined<R extends string = string> {
  readonly defined: false;
  readonly reason: R;
  readonly message: string;
}

/** The common reasons; a metric may add its own. */
export type CommonReason = 'empty' | 'no-positives' | 'no-negatives' | 'no-denominator';

/**
 * An undefined result with its reason and a message that names the function.
 *
 * @example undefinedResult('auroc', 'empty', 'no complete (score, outcome) pairs'); // => { defined: false, reason: 'empty', message: 'auroc: no complete (score, outcome) pairs' }
 */
export function undefinedResult<R extends string>(caller: string, reason: R, message: string): Undefined<R> {
  return { defined: false, reason, message: `${caller}: ${message}` };
}

/** The reason a two-class metric is undefined for these class sizes, or null when both classes are present. */
export function classReason(caller: string, nPositive: number, nNegative: number): Undefined<'empty' | 'no-positives' | 'no-negatives'> | null {
  if (nPositive + nNegative === 0) return undefinedResult(caller, 'empty', 'no complete (score, outcome) pairs');
  if (nPositive === 0) return undefinedResult(caller, 'no-positives', 'every outcome is negative, so the metric is undefined');
  if (nNegative === 0) return undefinedResult(caller, 'no-negatives', 'every outcome is positive, so the metric is undefined');
  return null;
}

/**
 * Check an options argument: `undefined` or a plain object.
 *
 * @throws {TypeError} naming the function when options are not an object
 */
export function checkOptions<T extends object>(caller: string, options: T | undefined): T | Record<string, never> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(
      `${caller}: argument "options" expected an object; received ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}.`,
    );
  }
  return options;
}

/**
 * The confidence level from options (default 0.95), checked to lie in (0, 1).
 *
 * @throws {RangeError} naming the function and the value received
 * @example levelOf('auroc', { level: 0.9 }); // => 0.9
 */
export function levelOf(caller: string, options: { readonly level?: number } | undefined): number {
  const level = options?.level ?? 0.95;
  if (!(typeof level === 'number' && level > 0 && level < 1)) {
    throw new RangeError(`${caller}: option "level" expected a number in (0, 1); received ${typeof level === 'string' ? `"${level}"` : String(level)}.`);
  }
  return level;
}

/** Which way risk runs: higher scores mean higher risk (the default), or lower scores do. */
export type Direction = 'higher' | 'lower';

/**
 * The direction from options (default `'higher'`).
 *
 * @throws {RangeError} naming the function for anything but 'higher' or 'lower'
 */
export function directionOf(caller: string, options: { readonly direction?: Direction } | undefined): Direction {
  const direction = options?.direction ?? 'higher';
  if (direction !== 'higher' && direction !== 'lower') {
    throw new RangeError(`${caller}: option "direction" expected 'higher' or 'lower'; received ${String(direction)}.`);
  }
  return direction;
}
