/**
 * Random-effects meta-analysis of one measure across sites: the between-site variance τ² by restricted maximum
 * likelihood (REML, Fisher scoring, as in Viechtbauer 2005 and R's metafor `rma(method = "REML")`) or by
 * DerSimonian & Laird (1986); the summary's interval by Hartung–Knapp–Sidik–Jonkman (Hartung & Knapp 2001; Sidik &
 * Jonkman 2002: the weighted residual variance q, Student's t with k − 1 df, q not truncated — metafor's
 * `test = "knha"`) or by the normal approximation (`test = "z"`); the prediction interval for a new site (Higgins,
 * Thompson & Spiegelhalter 2009; Riley et al., BMJ 2011: summary ± t · √(SE² + τ²), with the test's distribution, as
 * metafor's `predict`); Cochran's Q, I² and H² with the typical within-site variance of Higgins & Thompson (2002).
 */
import { qnorm } from '../stats/normal.js';
import { pchisq, qt } from '../stats/student-t.js';

/** How τ² is estimated. */
export const TAU2_METHODS = ['REML', 'DL'] as const;
export type Tau2Method = (typeof TAU2_METHODS)[number];

/** How the summary's interval is made. */
export const META_TESTS = ['knha', 'z'] as const;
export type MetaTest = (typeof META_TESTS)[number];

export interface RandomEffectsOptions {
  /** τ² estimator (default REML). */
  readonly method?: Tau2Method;
  /** Interval for the summary and the prediction interval: Hartung–Knapp–Sidik–Jonkman (default) or normal. */
  readonly test?: MetaTest;
  /** Confidence level (default 0.95). */
  readonly level?: number;
  /**
   * The prediction interval's distribution: `k-2` (default) — Student's t with k − 2 df, as Higgins, Thompson &
   * Spiegelhalter (2009) and Riley et al. (BMJ 2011) propose, wider with few sites (none with two): with five sites
   * it comes nearest its level in ewskit's site-coverage benchmark; or `test` — the summary's own (t with k − 1 df under
   * `knha`, the normal under `z`), as metafor's `predict` (too narrow with few sites).
   */
  readonly prediction?: PredictionRule;
}

/** How the prediction interval is made (`RandomEffectsOptions.prediction`). */
export const PREDICTION_RULES = ['test', 'k-2'] as const;
export type PredictionRule = (typeof PREDICTION_RULES)[number];

/** A random-effects summary. With one site, τ² cannot be estimated: `tau2`, `pi`, `i2`, `h2` and `q` are null. */
export interface RandomEffectsResult {
  readonly k: number;
  readonly method: Tau2Method;
  readonly test: MetaTest;
  readonly estimate: number;
  readonly se: number;
  readonly ci: readonly [number, number];
  /** The 95 % (level) prediction interval for the measure at a new site; null with one site (or two, with `k-2`). */
  readonly pi: readonly [number, number] | null;
  readonly tau2: number | null;
  /** REML only: the standard error of τ² from the information (metafor's `se.tau2`). */
  readonly tau2Se: number | null;
  readonly tau: number | null;
  /** Percent of the total variance that is between sites. */
  readonly i2: number | null;
  readonly h2: number | null;
  /** Cochran's Q (fixed-effect weights), its df and p. */
  readonly q: { readonly statistic: number; readonly df: number; readonly p: number } | null;
  /** Each site's share of the random-effects weight (sums to 1), in input order. */
  readonly weights: readonly number[];
  /** Fisher-scoring iterations (REML), 0 for DL. */
  readonly iterations: number;
  readonly warnings: readonly string[];
}

const sum = (xs: readonly number[]): number => xs.reduce((t, x) => t + x, 0);

/** The weighted mean of y with weights w. */
function weightedMean(y: readonly number[], w: readonly number[]): number {
  return sum(y.map((v, i) => v * (w[i] ?? NaN))) / sum(w);
}

/** tr(P) and tr(P²) for the intercept-only model, P = W − w wᵀ / Σw. */
function traces(w: readonly number[]): { trP: number; trPP: number } {
  const s1 = sum(w);
  const s2 = sum(w.map((x) => x * x));
  const s3 = sum(w.map((x) => x * x * x));
  return { trP: s1 - s2 / s1, trPP: s2 - (2 * s3) / s1 + (s2 * s2) / (s1 * s1) };
}

/** DerSimonian–Laird τ². */
function dersimonianLaird(y: readonly number[], v: readonly number[]): number {
  const w = v.map((x) => 1 / x);
  const mu = weightedMean(y, w);
  const q = sum(y.map((x, i) => (w[i] ?? NaN) * (x - mu) ** 2));
  return Math.max(0, (q - (y.length - 1)) / traces(w).trP);
}

/** REML τ² by Fisher scoring from the DL value, truncated at 0 (metafor's algorithm, run to convergence). */
function reml(y: readonly number[], v: readonly number[]): { tau2: number; iterations: number; trPP: number } {
  let tau2 = dersimonianLaird(y, v);
  for (let it = 1; it <= 1000; it++) {
    const w = v.map((x) => 1 / (x + tau2));
    const mu = weightedMean(y, w);
    const yPPy = sum(y.map((x, i) => ((w[i] ?? NaN) * (x - mu)) ** 2));
    const { trP, trPP } = traces(w);
    const next = Math.max(0, tau2 + (yPPy - trP) / trPP);
    const done = Math.abs(next - tau2) <= 1e-15 * Math.max(1, tau2);
    tau2 = next;
    if (done) return { tau2, iterations: it, trPP: traces(v.map((x) => 1 / (x + tau2))).trPP };
  }
  return { tau2, iterations: 1000, trPP: traces(v.map((x) => 1 / (x + tau2))).trPP };
}

function checkInput(estimates: readonly number[], variances: readonly number[], level: number): void {
  if (estimates.length !== variances.length)
    throw new RangeError(`randomEffects: "estimates" and "variances" expected the same length; received ${estimates.length} and ${variances.length}.`);
  if (estimates.length === 0) throw new RangeError('randomEffects: "estimates" expected at least one site; received none.');
  estimates.forEach((y, i) => {
    if (!Number.isFinite(y)) throw new RangeError(`randomEffects: "estimates[${i}]" expected a finite number; received ${y}.`);
  });
  variances.forEach((x, i) => {
    if (!(x > 0 && Number.isFinite(x))) throw new RangeError(`randomEffects: "variances[${i}]" expected a positive finite variance; received ${x}.`);
  });
  if (!(level > 0 && level < 1)) throw new RangeError(`randomEffects: option "level" expected a number in (0, 1); received ${level}.`);
}

/**
 * Random-effects summary of per-site estimates with their within-site variances. Runs in O(k · iterations).
 *
 * @param estimates each site's estimate on the pooling scale (logit AUROC, log O/E …)
 * @param variances each site's squared standard error
 * @returns the summary, its interval, τ², I², Q and the prediction interval for a new site
 * @throws {RangeError} for unequal lengths, no site, a non-finite estimate or a variance that is not positive
 * @example randomEffects([0.1, 0.3, 0.35, 0.65], [0.01, 0.02, 0.015, 0.03]).estimate;
 */
export function randomEffects(estimates: readonly number[], variances: readonly number[], options: RandomEffectsOptions = {}): RandomEffectsResult {
  const method = options.method ?? 'REML';
  const test = options.test ?? 'knha';
  const level = options.level ?? 0.95;
  checkInput(estimates, variances, level);
  if (!(TAU2_METHODS as readonly string[]).includes(method))
    throw new RangeError(`randomEffects: option "method" expected one of ${TAU2_METHODS.join(', ')}; received ${String(method)}.`);
  if (!(PREDICTION_RULES as readonly string[]).includes(options.prediction ?? 'k-2'))
    throw new RangeError(`randomEffects: option "prediction" expected one of ${PREDICTION_RULES.join(', ')}; received ${String(options.prediction)}.`);
  if (!(META_TESTS as readonly string[]).includes(test))
    throw new RangeError(`randomEffects: option "test" expected one of ${META_TESTS.join(', ')}; received ${String(test)}.`);
  const k = estimates.length;
  const y = estimates;
  const v = variances;
  if (k === 1) {
    const se = Math.sqrt(v[0] ?? NaN);
    const z = qnorm(1 - (1 - level) / 2);
    const est = y[0] ?? NaN;
    return {
      k,
      method,
      test,
      estimate: est,
      se,
      ci: [est - z * se, est + z * se],
      pi: null,
      tau2: null,
      tau2Se: null,
      tau: null,
      i2: null,
      h2: null,
      q: null,
      weights: [1],
      iterations: 0,
      warnings: ['one site: the between-site variance τ² cannot be estimated, so there is no prediction interval; the interval is the site’s own'],
    };
  }
  const fitted = method === 'REML' ? reml(y, v) : { tau2: dersimonianLaird(y, v), iterations: 0, trPP: NaN };
  const tau2 = fitted.tau2;
  const w = v.map((x) => 1 / (x + tau2));
  const sw = sum(w);
  const mu = weightedMean(y, w);
  let vb = 1 / sw;
  let crit = qnorm(1 - (1 - level) / 2);
  if (test === 'knha') {
    const s2 = sum(y.map((x, i) => (w[i] ?? NaN) * (x - mu) ** 2)) / (k - 1);
    vb *= s2;
    crit = qt(1 - (1 - level) / 2, k - 1);
  }
  const se = Math.sqrt(vb);
  const prediction = options.prediction ?? 'k-2';
  const piCrit = prediction === 'test' ? crit : k > 2 ? qt(1 - (1 - level) / 2, k - 2) : Number.NaN;
  const piHalf = piCrit * Math.sqrt(vb + tau2);
  // Cochran's Q and the typical within-site variance (fixed-effect weights).
  const wFixed = v.map((x) => 1 / x);
  const muFixed = weightedMean(y, wFixed);
  const qStat = sum(y.map((x, i) => (wFixed[i] ?? NaN) * (x - muFixed) ** 2));
  const typical = (k - 1) / traces(wFixed).trP;
  const warnings = k === 2 ? ['two sites: τ² rests on one degree of freedom and the Hartung–Knapp interval on t with 1 df; read both as very uncertain'] : [];
  return {
    k,
    method,
    test,
    estimate: mu,
    se,
    ci: [mu - crit * se, mu + crit * se],
    pi: Number.isFinite(piHalf) ? [mu - piHalf, mu + piHalf] : null,
    tau2,
    tau2Se: method === 'REML' ? Math.sqrt(2 / fitted.trPP) : null,
    tau: Math.sqrt(tau2),
    i2: (100 * tau2) / (typical + tau2),
    h2: (typical + tau2) / typical,
    q: { statistic: qStat, df: k - 1, p: 1 - pchisq(qStat, k - 1) },
    weights: w.map((x) => x / sw),
    iterations: fitted.iterations,
    warnings,
  };
}
