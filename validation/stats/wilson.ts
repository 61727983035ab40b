/**
 * The Wilson score interval for a binomial proportion (Wilson, JASA 1927;22:209–12), which stays inside [0, 1]
 * and behaves at 0 and n — unlike the Wald interval.
 */
import { qnorm } from './normal.js';
import type { Undefined } from './result.js';
import { checkOptions, levelOf, undefinedResult } from './result.js';

/** A proportion with its Wilson interval; undefined (with the reason) when the denominator is 0. */
export type Proportion =
  | { readonly defined: true; readonly estimate: number; readonly ci: readonly [number, number]; readonly numerator: number; readonly denominator: number }
  | (Undefined<'no-denominator'> & { readonly numerator: number; readonly denominator: 0 });

/** Options of {@link wilson}. */
export interface WilsonOptions {
  /** Confidence level (default 0.95). */
  level?: number;
  /** What the denominator counts, for the message when it is 0 (default 'denominator'). */
  what?: string;
}

/** The Wilson interval for a public function `caller` with the level already checked. */
export function wilsonFor(caller: string, x: number, n: number, level: number, what = 'denominator'): Proportion {
  if (n === 0) return { ...undefinedResult(caller, 'no-denominator', `no ${what}, so the proportion is undefined`), numerator: x, denominator: 0 };
  const z = qnorm(1 - (1 - level) / 2);
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At x = 0 and x = n the bounds are exactly 0 and 1; compute them so, free of rounding.
  const lower = x === 0 ? 0 : Math.max(0, centre - half);
  const upper = x === n ? 1 : Math.min(1, centre + half);
  return { defined: true, estimate: p, ci: [lower, upper], numerator: x, denominator: n };
}

/**
 * A proportion x/n with its Wilson interval. Runs in O(1).
 *
 * @param x successes, a whole number in [0, n]
 * @param n trials, a whole number ≥ 0
 * @param options `level` (default 0.95); `what` names the denominator in the message when n = 0
 * @returns `{ defined: true, estimate, ci, numerator, denominator }`, or `{ defined: false, reason: 'no-denominator', message }`
 * @throws {RangeError} for counts that are not whole numbers with 0 ≤ x ≤ n, or a bad level
 * @example wilson(8, 10).ci; // => [0.4902, 0.9433] (to 4 dp)
 */
export function wilson(x: number, n: number, options?: WilsonOptions): Proportion {
  const caller = 'wilson';
  const o = checkOptions(caller, options);
  const level = levelOf(caller, o);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`${caller}: argument "n" expected a whole number ≥ 0; received ${String(n)}.`);
  if (!(Number.isInteger(x) && x >= 0 && x <= n)) throw new RangeError(`${caller}: argument "x" expected a whole number in [0, ${n}]; received ${String(x)}.`);
  return wilsonFor(caller, x, n, level, o.what);
}
