/**
 * The membership model of Debray et al. (J Clin Epidemiol 2015;68:279–89): how well case mix alone tells a site's
 * encounters from the others'. A logistic regression of "this site" on the encounter's case mix at its first set —
 * age, comorbidity count and the first vital signs — and its AUROC: near 0.5, the site's patients look like the others'
 * (its performance speaks to reproducibility); near 1, they differ (it speaks to transportability). Needs rows of
 * every site in one place, so it runs inside internal–external cross-validation, never on released summaries.
 */
import type { Table } from 'apache-arrow';
import { auroc } from '../metrics/auroc.js';
import { fitLogistic } from '../stats/logistic.js';
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

/** Each encounter's first set (by observation time) with every variable present: one row of values per encounter. */
function firstSets(observations: Table): { rows: number[][]; incomplete: number } {
  const n = observations.numRows;
  const enc = observations.getChild('encounter_id');
  const at = observations.getChild('observed_at');
  const cols = MEMBERSHIP_VARIABLES.map((v) => observations.getChild(v));
  if (enc === null || at === null || cols.some((c) => c === null)) return { rows: [], incomplete: 0 };
  const first = new Map<string, { t: number; i: number }>();
  for (let i = 0; i < n; i++) {
    const e = String(enc.get(i));
    const t = Number(at.get(i));
    const seen = first.get(e);
    if (seen === undefined || t < seen.t) first.set(e, { t, i });
  }
  const rows: number[][] = [];
  let incomplete = 0;
  for (const { i } of first.values()) {
    const row = cols.map((c) => {
      const v = c?.get(i) as unknown;
      return v === null || v === undefined ? Number.NaN : Number(v);
    });
    if (row.every((v) => Number.isFinite(v))) rows.push(row);
    else incomplete++;
  }
  return { rows, incomplete };
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
