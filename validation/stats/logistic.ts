/**
 * Logistic regression by iteratively reweighted least squares (Newton–Raphson on the log-likelihood; McCullagh &
 * Nelder, *Generalized Linear Models*, 2nd ed., §4.4), with an optional offset, observation weights and a ridge
 * (L2) penalty on the slopes (never the intercept). The one fitter behind calibration, recalibration and model
 * fitting.
 */

export interface LogisticOptions {
  /** Added to the linear predictor with coefficient fixed at 1 (calibration-in-the-large uses logit(p)). */
  offset?: ArrayLike<number>;
  /** Observation weights (default 1). */
  weights?: ArrayLike<number>;
  /** Ridge penalty λ: the fit maximises log-likelihood − λ/2 · Σ βⱼ² over the slopes (default 0). */
  ridge?: number;
  /** Fit an intercept (default true). */
  intercept?: boolean;
  maxIterations?: number;
  /** Convergence: relative change in deviance (default 1e-12). */
  tolerance?: number;
  /**
   * The cluster (patient) of each observation, numbered 0…G−1: the fit then also gives cluster-robust standard
   * errors (the sandwich A⁻¹·(Σ_g u_g u_gᵀ)·A⁻¹ with the small-sample factor G/(G − 1); Liang & Zeger 1986), which
   * respect repeated observations per patient where the model-based ones do not.
   */
  clusters?: ArrayLike<number>;
}

export interface LogisticFit {
  /** Intercept first (when fitted), then one coefficient per predictor column. */
  readonly coefficients: number[];
  /** Standard errors from the inverse (penalised) information matrix (they assume independent observations). */
  readonly se: number[];
  /** Cluster-robust standard errors, when `clusters` were given; otherwise null. */
  readonly robustSe: number[] | null;
  readonly deviance: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** e.g. 'separation' when the likelihood has no finite maximum (coefficients diverge). */
  readonly warnings: string[];
}

/** Solve A·x = b for a symmetric positive-definite A (Cholesky), returning x and A⁻¹; null when A is not positive definite. */
export function choleskySolve(a: Float64Array[], b: Float64Array): { x: Float64Array; inverse: Float64Array[] } | null {
  const p = b.length;
  const l = a.map(() => new Float64Array(p));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]?.[j] ?? NaN;
      for (let k = 0; k < j; k++) s -= (l[i]?.[k] ?? NaN) * (l[j]?.[k] ?? NaN);
      if (i === j) {
        if (!(s > 0)) return null;
        (l[i] as Float64Array)[i] = Math.sqrt(s);
      } else (l[i] as Float64Array)[j] = s / (l[j]?.[j] ?? NaN);
    }
  }
  const solve = (rhs: Float64Array): Float64Array => {
    const z = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = rhs[i] ?? NaN;
      for (let k = 0; k < i; k++) s -= (l[i]?.[k] ?? NaN) * (z[k] ?? NaN);
      z[i] = s / (l[i]?.[i] ?? NaN);
    }
    const x = new Float64Array(p);
    for (let i = p - 1; i >= 0; i--) {
      let s = z[i] ?? NaN;
      for (let k = i + 1; k < p; k++) s -= (l[k]?.[i] ?? NaN) * (x[k] ?? NaN);
      x[i] = s / (l[i]?.[i] ?? NaN);
    }
    return x;
  };
  const inverse = a.map((_, j) => {
    const e = new Float64Array(p);
    e[j] = 1;
    return solve(e);
  });
  return { x: solve(b), inverse };
}

/**
 * Fit a logistic regression of a binary outcome on predictor columns. Runs in O(iterations · n · p²).
 *
 * @param columns predictor columns (each of length n); may be empty (intercept-only, or offset-only)
 * @param y outcomes, 0/1
 * @returns coefficients (intercept first), standard errors, deviance, convergence
 * @throws {TypeError} when lengths differ; {RangeError} for an outcome that is not 0/1 or a negative ridge
 * @example fitLogistic([[1, 2, 3, 4]], [0, 1, 0, 1]).coefficients; // [intercept, slope]
 */
export function fitLogistic(columns: readonly ArrayLike<number>[], y: ArrayLike<number>, options: LogisticOptions = {}): LogisticFit {
  const caller = 'fitLogistic';
  const n = y.length;
  for (const [j, c] of columns.entries())
    if (c.length !== n) throw new TypeError(`${caller}: column ${j} has ${c.length} values; expected ${n} (one per outcome).`);
  for (let i = 0; i < n; i++) if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`${caller}: y[${i}] expected 0 or 1; received ${String(y[i])}.`);
  const ridge = options.ridge ?? 0;
  if (!(ridge >= 0)) throw new RangeError(`${caller}: option "ridge" expected a number ≥ 0; received ${String(ridge)}.`);
  const intercept = options.intercept ?? true;
  const design = intercept ? [new Float64Array(n).fill(1), ...columns] : [...columns];
  const p = design.length;
  const offset = options.offset;
  const weights = options.weights;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-12;
  const beta = new Float64Array(p);
  let deviance = Infinity;
  let iterations = 0;
  let converged = false;
  let inverse: Float64Array[] = [];
  const warnings: string[] = [];
  const eta = new Float64Array(n);
  for (iterations = 1; iterations <= maxIterations; iterations++) {
    const info = Array.from({ length: p }, () => new Float64Array(p));
    const score = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      let e = offset === undefined ? 0 : (offset[i] ?? NaN);
      for (let j = 0; j < p; j++) e += (beta[j] ?? NaN) * (design[j]?.[i] ?? NaN);
      eta[i] = e;
      const mu = 1 / (1 + Math.exp(-e));
      const wi = weights === undefined ? 1 : (weights[i] ?? NaN);
      const v = wi * mu * (1 - mu);
      const r = wi * ((y[i] ?? NaN) - mu);
      for (let j = 0; j < p; j++) {
        const xj = design[j]?.[i] ?? NaN;
        score[j] = (score[j] ?? NaN) + xj * r;
        const row = info[j] as Float64Array;
        for (let k = 0; k <= j; k++) row[k] = (row[k] ?? NaN) + v * xj * (design[k]?.[i] ?? NaN);
      }
    }
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) (info[j] as Float64Array)[k] = info[k]?.[j] ?? NaN;
    for (let j = intercept ? 1 : 0; j < p; j++) {
      (info[j] as Float64Array)[j] = (info[j]?.[j] ?? NaN) + ridge;
      score[j] = (score[j] ?? NaN) - ridge * (beta[j] ?? NaN);
    }
    const step = choleskySolve(info, score);
    if (step === null) {
      warnings.push('singular-information');
      break;
    }
    inverse = step.inverse;
    for (let j = 0; j < p; j++) beta[j] = (beta[j] ?? NaN) + (step.x[j] ?? NaN);
    let dev = 0;
    for (let i = 0; i < n; i++) {
      let e = offset === undefined ? 0 : (offset[i] ?? NaN);
      for (let j = 0; j < p; j++) e += (beta[j] ?? NaN) * (design[j]?.[i] ?? NaN);
      const wi = weights === undefined ? 1 : (weights[i] ?? NaN);
      // −2·log-likelihood, computed stably: log(1 + e^±η).
      const yi = y[i] ?? NaN;
      dev += 2 * wi * (yi === 1 ? softplus(-e) : softplus(e));
    }
    if (Math.abs(dev - deviance) <= tolerance * (Math.abs(dev) + 0.1)) {
      deviance = dev;
      converged = true;
      break;
    }
    deviance = dev;
  }
  if (!converged && !warnings.includes('singular-information')) warnings.push('not-converged');
  // Standard errors from the information at the final coefficients.
  const final = Array.from({ length: p }, () => new Float64Array(p));
  for (let i = 0; i < n; i++) {
    let e = offset === undefined ? 0 : (offset[i] ?? NaN);
    for (let j = 0; j < p; j++) e += (beta[j] ?? NaN) * (design[j]?.[i] ?? NaN);
    const mu = 1 / (1 + Math.exp(-e));
    const v = (weights === undefined ? 1 : (weights[i] ?? NaN)) * mu * (1 - mu);
    for (let j = 0; j < p; j++) {
      const xj = design[j]?.[i] ?? NaN;
      for (let k = 0; k <= j; k++) (final[j] as Float64Array)[k] = (final[j]?.[k] ?? NaN) + v * xj * (design[k]?.[i] ?? NaN);
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = j + 1; k < p; k++) (final[j] as Float64Array)[k] = final[k]?.[j] ?? NaN;
    if (j > 0 || !intercept) (final[j] as Float64Array)[j] = (final[j]?.[j] ?? NaN) + ridge;
  }
  inverse = choleskySolve(final, new Float64Array(p))?.inverse ?? inverse;
  if (beta.some((b) => Math.abs(b) > 30) && ridge === 0) warnings.push('separation');
  const se = Array.from({ length: p }, (_, j) => Math.sqrt(inverse[j]?.[j] ?? Number.NaN));
  const robustSe = options.clusters === undefined ? null : sandwichSe(options.clusters, design, y, offset, weights, beta, inverse);
  return { coefficients: Array.from(beta), se, robustSe, deviance, iterations: Math.min(iterations, maxIterations), converged, warnings };
}

/** Cluster-robust standard errors: A⁻¹ · Σ_g u_g u_gᵀ · A⁻¹ · G/(G − 1), u_g = Σ_{i∈g} wᵢ (yᵢ − μᵢ) xᵢ. */
function sandwichSe(
  clusters: ArrayLike<number>,
  design: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  offset: ArrayLike<number> | undefined,
  weights: ArrayLike<number> | undefined,
  beta: Float64Array,
  inverse: readonly Float64Array[],
): number[] {
  const p = design.length;
  const n = y.length;
  let groups = 0;
  for (let i = 0; i < n; i++) groups = Math.max(groups, (clusters[i] ?? 0) + 1);
  const u = Array.from({ length: p }, () => new Float64Array(groups));
  for (let i = 0; i < n; i++) {
    let e = offset === undefined ? 0 : (offset[i] ?? NaN);
    for (let j = 0; j < p; j++) e += (beta[j] ?? NaN) * (design[j]?.[i] ?? NaN);
    const r = (weights === undefined ? 1 : (weights[i] ?? NaN)) * ((y[i] ?? NaN) - 1 / (1 + Math.exp(-e)));
    const g = clusters[i] ?? 0;
    for (let j = 0; j < p; j++) {
      const col = u[j];
      if (col !== undefined) col[g] = (col[g] ?? 0) + r * (design[j]?.[i] ?? NaN);
    }
  }
  const meat = Array.from({ length: p }, (_, j) =>
    Float64Array.from({ length: p }, (_, k) => {
      let m = 0;
      for (let g = 0; g < groups; g++) m += (u[j]?.[g] ?? 0) * (u[k]?.[g] ?? 0);
      return m;
    }),
  );
  const factor = groups > 1 ? groups / (groups - 1) : Number.NaN;
  return Array.from({ length: p }, (_, j) => {
    // (A⁻¹ M A⁻¹)_jj = Σ_k Σ_l A⁻¹_jk M_kl A⁻¹_lj
    let v = 0;
    for (let k = 0; k < p; k++) for (let l = 0; l < p; l++) v += (inverse[j]?.[k] ?? NaN) * (meat[k]?.[l] ?? NaN) * (inverse[l]?.[j] ?? NaN);
    return Math.sqrt(v * factor);
  });
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
