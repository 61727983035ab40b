/**
 * The standard normal distribution to double precision: `pnorm` (series for |x| < 3, Lentz continued fraction
 * beyond, as in Press et al., *Numerical Recipes*, §6.2) and `qnorm` (Acklam's rational approximation refined by
 * one Halley step, accurate to ~1e-15).
 */

const SQRT2 = Math.SQRT2;

/** erfc(x) for x ≥ 0, to ~1e-15 relative. */
function erfcPositive(x: number): number {
  if (x < 3) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) — modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/**
 * The standard normal cumulative distribution function Φ(x). Runs in O(1).
 *
 * @example pnorm(1.959963984540054); // => 0.975
 */
export function pnorm(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = x / SQRT2;
  return z >= 0 ? 1 - erfcPositive(z) / 2 : erfcPositive(-z) / 2;
}

const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/**
 * The standard normal quantile Φ⁻¹(p). Runs in O(1).
 *
 * @throws {RangeError} when p is not in (0, 1)
 * @example qnorm(0.975); // => 1.959963984540054
 */
export function qnorm(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`qnorm: argument "p" expected a probability in (0, 1); received ${p}.`);
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      ((((((C[0] ?? NaN) * q + (C[1] ?? NaN)) * q + (C[2] ?? NaN)) * q + (C[3] ?? NaN)) * q + (C[4] ?? NaN)) * q + (C[5] ?? NaN)) /
      (((((D[0] ?? NaN) * q + (D[1] ?? NaN)) * q + (D[2] ?? NaN)) * q + (D[3] ?? NaN)) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      (((((((A[0] ?? NaN) * r + (A[1] ?? NaN)) * r + (A[2] ?? NaN)) * r + (A[3] ?? NaN)) * r + (A[4] ?? NaN)) * r + (A[5] ?? NaN)) * q) /
      ((((((B[0] ?? NaN) * r + (B[1] ?? NaN)) * r + (B[2] ?? NaN)) * r + (B[3] ?? NaN)) * r + (B[4] ?? NaN)) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -((((((C[0] ?? NaN) * q + (C[1] ?? NaN)) * q + (C[2] ?? NaN)) * q + (C[3] ?? NaN)) * q + (C[4] ?? NaN)) * q + (C[5] ?? NaN)) /
      (((((D[0] ?? NaN) * q + (D[1] ?? NaN)) * q + (D[2] ?? NaN)) * q + (D[3] ?? NaN)) * q + 1);
  }
  // One Halley step against the accurate pnorm.
  const e = pnorm(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
