/**
 * The membership model of Debray et al. (J Clin Epidemiol 2015;68:279–89): how well case mix alone tells a site's
 * encounters from the others'. A logistic regression of "this site" on the encounter's case mix at its first set —
 * age, comorbidity count and the first vital signs — and its AUROC: near 0.5, the site's patients look like the others'
 * (its performance speaks to reproducibility); near 1, they differ (it speaks to transportability). Needs rows of
 * every site in one place, so it runs inside internal–external cross-validation, never on released summaries.
 */
import type { Table } from 'apache-arrow';
import { auroc } from '../metrics/auroc.js';
import { choleskySolve, fitLogistic } from '../stats/logistic.js';
import { pnorm } from '../stats/normal.js';
import type { CohortTables } from '../study/options.js';

/** The case-mix variables, read from each encounter's first observation set. */
export const MEMBERSHIP_VARIABLES = ['age', 'comorbidity_count', 'respiratory_rate', 'spo2', 'systolic_bp', 'heart_rate', 'temperature'] as const;

export interface MembershipResult {
  readonly defined: true;
  /** Apparent AUROC of the membership model (7 linear terms on thousands of encounters: optimism is negligible). */
  readonly auroc: number;
  /** Encounters of the site and of the others with every variable at their first set. */
  readonly encounters: { readonly site: number; readonly others: number };
  /** Encounters left out for a missing variable at their first set. */
  readonly incomplete: number;
  readonly variables: readonly string[];
}

export type MembershipCell = MembershipResult | { readonly defined: false; readonly reason: string; readonly message: string };

/** Each encounter's first set (by observation time) with every variable present: one row of values per encounter, and its patient. */
function firstSets(observations: Table): { rows: number[][]; patients: string[]; incomplete: number } {
  const n = observations.numRows;
  const enc = observations.getChild('encounter_id');
  const at = observations.getChild('observed_at');
  const pid = observations.getChild('patient_id');
  const cols = MEMBERSHIP_VARIABLES.map((v) => observations.getChild(v));
  if (enc === null || at === null || cols.some((c) => c === null)) return { rows: [], patients: [], incomplete: 0 };
  const first = new Map<string, { t: number; i: number }>();
  for (let i = 0; i < n; i++) {
    const e = String(enc.get(i));
    const t = Number(at.get(i));
    const seen = first.get(e);
    if (seen === undefined || t < seen.t) first.set(e, { t, i });
  }
  const rows: number[][] = [];
  const patients: string[] = [];
  let incomplete = 0;
  for (const { i } of first.values()) {
    const row = cols.map((c) => {
      const v = c?.get(i) as unknown;
      return v === null || v === undefined ? Number.NaN : Number(v);
    });
    if (row.every((v) => Number.isFinite(v))) {
      rows.push(row);
      patients.push(String(pid?.get(i) ?? ''));
    } else incomplete++;
  }
  return { rows, patients, incomplete };
}

/**
 * The membership model's AUROC for `site` against `others`. Runs in O(sets + encounters · iterations).
 *
 * @returns the AUROC and the encounters it used, or why it is undefined (no complete encounter on one side)
 */
export function membershipModel(site: CohortTables, others: CohortTables): MembershipCell {
  const a = firstSets(site.observations);
  const b = firstSets(others.observations);
  if (a.rows.length === 0 || b.rows.length === 0)
    return { defined: false, reason: 'empty', message: 'membershipModel: no encounter with every case-mix variable on one side' };
  const rows = [...a.rows, ...b.rows];
  const y = Float64Array.from(rows, (_, i) => (i < a.rows.length ? 1 : 0));
  const columns = MEMBERSHIP_VARIABLES.map((_, j) => Float64Array.from(rows, (r) => r[j] ?? Number.NaN));
  // Standardised, so one small ridge penalty means the same for every variable (and IRLS is well conditioned).
  const scaled = columns.map((c) => {
    const mean = c.reduce((s, v) => s + v, 0) / c.length;
    const sd = Math.sqrt(c.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, c.length - 1)) || 1;
    return c.map((v) => (v - mean) / sd);
  });
  const fit = fitLogistic(scaled, y, { ridge: 1e-6 });
  const lp = Float64Array.from(rows, (_, i) => scaled.reduce((s, c, j) => s + (c[i] ?? 0) * (fit.coefficients[j + 1] ?? 0), fit.coefficients[0] ?? 0));
  const result = auroc(lp, y);
  if (!result.defined) return { defined: false, reason: result.reason, message: result.message };
  return {
    defined: true,
    auroc: result.estimate,
    encounters: { site: a.rows.length, others: b.rows.length },
    incomplete: a.incomplete + b.incomplete,
    variables: MEMBERSHIP_VARIABLES,
  };
}

/**
 * A site's case mix as moments: the encounters (at their first set, every membership variable present), their mean
 * and sample covariance — aggregates a site summary can release (a statistic of at least `minPatients` patients).
 */
export interface CaseMixMoments {
  readonly defined: true;
  readonly variables: readonly string[];
  readonly encounters: number;
  /** Encounters left out for a missing variable at their first set (0, or at least the threshold: see `caseMixMoments`). */
  readonly incomplete: number;
  readonly mean: readonly number[];
  /** Sample covariance (n − 1). */
  readonly covariance: readonly (readonly number[])[];
}

export type CaseMixCell = CaseMixMoments | { readonly defined: false; readonly reason: string; readonly message: string };

/** The mean and sample covariance of rows (p columns). */
function momentsOf(rows: readonly (readonly number[])[], p: number): { mean: number[]; covariance: number[][] } {
  const n = rows.length;
  const mean = Array.from({ length: p }, (_, j) => rows.reduce((s, r) => s + (r[j] ?? 0), 0) / n);
  const covariance = Array.from({ length: p }, (_, j) =>
    Array.from({ length: p }, (_, k) => rows.reduce((s, r) => s + ((r[j] ?? 0) - (mean[j] ?? 0)) * ((r[k] ?? 0) - (mean[k] ?? 0)), 0) / Math.max(1, n - 1)),
  );
  return { mean, covariance };
}

/**
 * A cohort's case-mix moments: each encounter at its first set with every membership variable (as the membership
 * model reads it). Undefined (`suppressed`) with fewer than `minPatients` patients — the disclosure policy's threshold
 * for a statistic — or when the encounters left out for a missing variable number 1 to `minPatients` − 1: the released
 * `encounters` subtracted from the flow's encounters would give that small count. Undefined (`empty`) with fewer than
 * two encounters. The number of patients is not released. Runs in O(sets + encounters · p²).
 */
export function caseMixMoments(observations: Table, minPatients: number): CaseMixCell {
  const { rows, patients, incomplete } = firstSets(observations);
  const people = new Set(patients).size;
  const fn = 'caseMixMoments';
  if (rows.length < 2) return { defined: false, reason: 'empty', message: `${fn}: fewer than two encounters with every case-mix variable at their first set` };
  if (people < minPatients)
    return { defined: false, reason: 'suppressed', message: `${fn}: fewer patients than the disclosure threshold of ${minPatients} for a statistic` };
  if (incomplete > 0 && incomplete < minPatients)
    return {
      defined: false,
      reason: 'suppressed',
      message: `${fn}: fewer than ${minPatients} encounters lack a case-mix variable at their first set; the released encounters would give that count by subtraction`,
    };
  return { defined: true, variables: MEMBERSHIP_VARIABLES, encounters: rows.length, incomplete, ...momentsOf(rows, MEMBERSHIP_VARIABLES.length) };
}

/**
 * Moments of several groups of encounters pooled: the moments of all of them together (the grand mean; the
 * covariance from each group's within-group sums of squares and its mean's distance from the grand mean). Exact.
 */
export function poolMoments(parts: readonly Pick<CaseMixMoments, 'encounters' | 'mean' | 'covariance'>[]): {
  encounters: number;
  mean: number[];
  covariance: number[][];
} {
  const p = parts[0]?.mean.length ?? 0;
  const n = parts.reduce((s, x) => s + x.encounters, 0);
  const mean = Array.from({ length: p }, (_, j) => parts.reduce((s, x) => s + x.encounters * (x.mean[j] ?? 0), 0) / n);
  const covariance = Array.from({ length: p }, (_, j) =>
    Array.from(
      { length: p },
      (_, k) =>
        parts.reduce(
          (s, x) =>
            s + (x.encounters - 1) * (x.covariance[j]?.[k] ?? 0) + x.encounters * ((x.mean[j] ?? 0) - (mean[j] ?? 0)) * ((x.mean[k] ?? 0) - (mean[k] ?? 0)),
          0,
        ) / Math.max(1, n - 1),
    ),
  );
  return { encounters: n, mean, covariance };
}

/** How far a site's case mix is from the others': Mahalanobis distance and the binormal membership AUROC, or why not. */
export type CaseMixDistance =
  | { readonly defined: true; readonly mahalanobis: number; readonly auroc: number }
  | { readonly defined: false; readonly reason: string; readonly message: string };

/**
 * The case-mix distance of a site from the others, from moments alone: Δ² = (m₁ − m₀)ᵀ S⁻¹ (m₁ − m₀), S the pooled
 * within-group covariance, and Φ(Δ / √2) — the AUROC of the linear discriminant when case mix is multivariate normal
 * with a common covariance: the membership model's AUROC (Debray et al. 2015) in closed form, computable from released
 * summaries. Real case mix is not normal, so read it as a distance on the AUROC scale, not as the logistic membership
 * model's AUROC (which internal–external cross-validation computes from rows). Runs in O(p³).
 */
export function caseMixDistance(
  site: Pick<CaseMixMoments, 'encounters' | 'mean' | 'covariance'>,
  others: readonly Pick<CaseMixMoments, 'encounters' | 'mean' | 'covariance'>[],
): CaseMixDistance {
  if (others.length === 0) return { defined: false, reason: 'no-others', message: 'caseMixDistance: no other site to compare with' };
  const rest = poolMoments(others);
  const p = site.mean.length;
  const df = site.encounters + rest.encounters - 2;
  const within = Array.from({ length: p }, (_, j) =>
    Float64Array.from(
      { length: p },
      (_, k) => ((site.encounters - 1) * (site.covariance[j]?.[k] ?? 0) + (rest.encounters - 1) * (rest.covariance[j]?.[k] ?? 0)) / df,
    ),
  );
  const d = Float64Array.from({ length: p }, (_, j) => (site.mean[j] ?? 0) - (rest.mean[j] ?? 0));
  const solved = choleskySolve(within, d);
  if (solved === null)
    return { defined: false, reason: 'singular', message: 'caseMixDistance: the pooled covariance is singular (a case-mix variable does not vary)' };
  const delta2 = d.reduce((s, x, j) => s + x * (solved.x[j] ?? 0), 0);
  const mahalanobis = Math.sqrt(Math.max(0, delta2));
  return { defined: true, mahalanobis, auroc: pnorm(mahalanobis / Math.SQRT2) };
}
