/**
 * The Wilson score interval for a binomial proportion (Wilson, JASA 1927;22:209–12), which stays inside [0, 1]
 * and behaves at 0 and n — unlike the Wald interval.
 */
import { qnorm } from './normal.js';

/** A proportion with its Wilson interval; null (with the reason) when the denominator is 0. */
export type Proportion =
  | { readonly value: number; readonly ci: readonly [number, number]; readonly numerator: number; readonly denominator: number }
  | { readonly value: null; readonly ci: null; readonly numerator: number; readonly denominator: 0; readonly reason: string };

/**
 * A proportion x/n with its Wilson interval. Runs in O(1).
 *
 * @param x successes; `n` trials; `level` confidence level (default 0.95); `what` names the denominator for the reason
 * @example wilson(8, 10).ci; // => [0.4902, 0.9433] (to 4 dp)
 */
export function wilson(x: number, n: number, level = 0.95, what = 'denominator'): Proportion {
  if (n === 0) return { value: null, ci: null, numerator: x, denominator: 0, reason: `no ${what}` };
  const z = qnorm(1 - (1 - level) / 2);
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At x = 0 and x = n the bounds are exactly 0 and 1; compute them so, free of rounding.
  const lower = x === 0 ? 0 : Math.max(0, centre - half);
  const upper = x === n ? 1 : Math.min(1, centre + half);
  return { value: p, ci: [lower, upper], numerator: x, denominator: n };
}
