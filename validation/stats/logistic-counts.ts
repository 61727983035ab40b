/**
 * Logistic regression of an outcome on one predictor given as per-value counts — events and non-events at each
 * distinct predictor value — by Newton–Raphson with step halving (McCullagh & Nelder, *Generalized Linear Models*,
 * 2nd ed., §4.4). It is what a weighted {@link fitLogistic} on the expanded rows gives, in O(values) per iteration
 * with no allocation, so the subgroup bootstrap can fit a calibration in every replicate.
 */

/** A fitted `logit P(y = 1) = intercept + slope · x` (slope 1 and fixed when `x` is an offset). */
export interface CountsFit {
  readonly intercept: number;
  readonly slope: number;
}

/** Coefficients beyond this size mean separation (the likelihood has no finite maximum): no fit. */
const DIVERGED = 50;

/**
 * Fit `logit P(y = 1) = α + β · x` to `pos[k]` events and `neg[k]` non-events at predictor value `x[k]`; with
 * `offsetOnly`, β is fixed at 1 (x is an offset: calibration-in-the-large). Values with no sets, or a non-finite x,
 * are skipped.
 *
 * @returns null when there is no event or no non-event, when x takes one value (a slope), or when the fit does not
 *   converge within 100 iterations or diverges (separation)
 * @example fitLogisticCounts([0, 1], [1, 3], [3, 1], { offsetOnly: false }); // { intercept: −ln 3, slope: 2 ln 3 }
 */
export function fitLogisticCounts(
  x: ArrayLike<number>,
  pos: ArrayLike<number>,
  neg: ArrayLike<number>,
  options: { readonly offsetOnly: boolean },
): CountsFit | null {
  const k = x.length;
  let events = 0;
  let sets = 0;
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const xi = x[i] ?? NaN;
    const n = (pos[i] ?? 0) + (neg[i] ?? 0);
    if (n <= 0 || !Number.isFinite(xi)) continue;
    events += pos[i] ?? 0;
    sets += n;
    xMin = Math.min(xMin, xi);
    xMax = Math.max(xMax, xi);
  }
  if (events <= 0 || events >= sets) return null;
  const fitSlope = !options.offsetOnly;
  if (fitSlope && !(xMax > xMin)) return null;
  let a = Math.log(events / (sets - events));
  let b = fitSlope ? 0 : 1;
  if (!fitSlope) {
    // Start the offset fit at the mean offset's correction.
    let mean = 0;
    for (let i = 0; i < k; i++) {
      const n = (pos[i] ?? 0) + (neg[i] ?? 0);
      const xi = x[i] ?? NaN;
      if (n > 0 && Number.isFinite(xi)) mean += (n * xi) / sets;
    }
    a -= mean;
  }
  // One pass per iteration gives the deviance (−2 log-likelihood), the gradient and the information at (a, b). A
  // Newton step that raises the deviance is halved (backtracking) before the next step is taken.
  let previous = Number.POSITIVE_INFINITY;
  let stepA = 0;
  let stepB = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let dev = 0;
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    for (let i = 0; i < k; i++) {
      const xi = x[i] ?? NaN;
      const p = pos[i] ?? 0;
      const q = neg[i] ?? 0;
      const n = p + q;
      if (n <= 0 || !Number.isFinite(xi)) continue;
      const eta = a + b * xi;
      // log(1 + e^−|η|) and μ from one exponential.
      const e = Math.exp(-Math.abs(eta));
      const l = Math.log1p(e);
      const mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
      // softplus(−η) = l + max(−η, 0); softplus(η) = l + max(η, 0).
      dev += 2 * (p * (l + Math.max(-eta, 0)) + q * (l + Math.max(eta, 0)));
      const r = p - n * mu;
      const w = n * mu * (1 - mu);
      g0 += r;
      h00 += w;
      if (fitSlope) {
        g1 += xi * r;
        h01 += xi * w;
        h11 += xi * xi * w;
      }
    }
    if (dev > previous + 1e-12 * previous && Math.abs(stepA) + Math.abs(stepB) > 1e-12) {
      // The last step overshot: go back half of it.
      stepA /= 2;
      stepB /= 2;
      a -= stepA;
      b -= stepB;
      continue;
    }
    let da: number;
    let db = 0;
    if (fitSlope) {
      const det = h00 * h11 - h01 * h01;
      if (!(det > 1e-12 * h00 * h11)) return null;
      da = (h11 * g0 - h01 * g1) / det;
      db = (h00 * g1 - h01 * g0) / det;
    } else {
      if (!(h00 > 0)) return null;
      da = g0 / h00;
    }
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) return { intercept: a + da, slope: b + db };
    previous = dev;
    stepA = da;
    stepB = db;
    a += da;
    b += db;
    if (Math.abs(a) > DIVERGED || Math.abs(b) > DIVERGED) return null;
  }
  return null;
}
