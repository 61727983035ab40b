/**
 * Student's t and the χ² distributions to ~1e-14, for the meta-analysis of site estimates: `pt` and `qt` through the
 * regularised incomplete beta function (Lentz's continued fraction, Press et al., *Numerical Recipes*, §6.4), `pchisq`
 * through the regularised incomplete gamma function (series and continued fraction, §6.2). `qt` solves `pt(x) = p`
 * by Newton steps from the normal quantile, guarded by bisection.
 */
import { qnorm } from './normal.js';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0] ?? NaN;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += (c[i] ?? NaN) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of I_x(a, b) (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), x in [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/**
 * Student's t cumulative distribution function with `df` degrees of freedom. Runs in O(1).
 *
 * @throws {RangeError} when df is not a positive number
 * @example pt(2.7764451051977934, 4); // => 0.975
 */
export function pt(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`pt: argument "df" expected a positive number; received ${df}.`);
  if (Number.isNaN(x)) return Number.NaN;
  const tail = incompleteBeta(df / (df + x * x), df / 2, 0.5) / 2;
  return x >= 0 ? 1 - tail : tail;
}

/** Student's t density. */
function dt(x: number, df: number): number {
  return Math.exp(lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((x * x) / df));
}

/**
 * Student's t quantile: the x with pt(x, df) = p. Runs in O(1) (a few Newton steps).
 *
 * @throws {RangeError} when p is not in (0, 1) or df is not positive
 * @example qt(0.975, 4); // => 2.7764451051977934
 */
export function qt(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`qt: argument "p" expected a probability in (0, 1); received ${p}.`);
  if (!(df > 0)) throw new RangeError(`qt: argument "df" expected a positive number; received ${df}.`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -qt(1 - p, df);
  // Bracket [0, hi] with pt(hi) > p, then Newton steps kept inside the bracket (bisection when one would leave it).
  let lo = 0;
  let hi = Math.max(1, qnorm(p));
  while (pt(hi, df) < p) {
    lo = hi;
    hi *= 2;
  }
  let x = Math.min(Math.max(qnorm(p), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = pt(x, df) - p;
    if (f > 0) hi = x;
    else lo = x;
    let next = x - f / dt(x, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** The regularised lower incomplete gamma function P(a, x). */
function incompleteGamma(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnFront = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return sum * Math.exp(lnFront);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? tiny : d;
    c = b + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 - Math.exp(lnFront) * h;
}

/**
 * The χ² cumulative distribution function with `df` degrees of freedom. Runs in O(1).
 *
 * @throws {RangeError} when df is not a positive number
 * @example 1 - pchisq(3.841458820694124, 1); // => 0.05
 */
export function pchisq(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`pchisq: argument "df" expected a positive number; received ${df}.`);
  return incompleteGamma(df / 2, x / 2);
}
