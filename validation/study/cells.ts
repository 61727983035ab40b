/**
 * Turning metric results into report cells: the report keeps each result's contract (`defined`, `estimate`,
 * `reason`, `message`) but only the fields a reader needs. Headline intervals are the clustered ones; a naive
 * interval (Wilson, DeLong) is kept beside it, named as such.
 */
import { percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { Proportion } from '../stats/wilson.js';
import type { Ci, ContrastCell, EstimateCell, ProportionCell, UndefinedCell } from '../report/types.js';

/** A result of the contract, with or without an interval. */
type Result =
  { readonly defined: true; readonly estimate: number; readonly ci?: Ci } | { readonly defined: false; readonly reason: string; readonly message: string };

/** The undefined part of a result, as a cell. */
export function undefinedCell(r: { readonly reason: string; readonly message: string }): UndefinedCell {
  return { defined: false, reason: r.reason, message: r.message };
}

/** An estimate with its interval (null when the result has none), or the reason it is undefined. */
export function estimateCell(r: Result): EstimateCell | UndefinedCell {
  return r.defined ? { defined: true, estimate: r.estimate, ci: r.ci ?? null } : undefinedCell(r);
}

/** A proportion with its clustered interval (the headline) and its Wilson interval (naive). */
export function proportionCell(p: Proportion, clustered: Ci): ProportionCell {
  return p.defined ? { defined: true, estimate: p.estimate, ci: clustered, naiveCi: p.ci } : undefinedCell(p);
}

/** An estimate from the data with a clustered interval, or undefined when the estimate is not a number. */
export function clusteredCell(estimate: number, ci: Ci, why: string): EstimateCell | UndefinedCell {
  return Number.isFinite(estimate) ? { defined: true, estimate, ci } : { defined: false, reason: 'undefined', message: `validate: ${why}` };
}

/**
 * A two-sided p-value of "no difference" from paired bootstrap replicates of a difference: 2 (k + 1) / (B + 1), k the
 * number of replicates on the smaller side of 0 (Davison & Hinkley 1997, §4.2: the observed difference counts as one
 * of the B + 1), capped at 1 — never 0, and at least 2 / (B + 1). Null when fewer than two replicates are defined.
 */
export function bootstrapP(replicates: Float64Array): number | null {
  let below = 0;
  let above = 0;
  let n = 0;
  for (const d of replicates) {
    if (!Number.isFinite(d)) continue;
    n++;
    if (d <= 0) below++;
    if (d >= 0) above++;
  }
  if (n < 2) return null;
  return Math.min(1, (2 * (Math.min(below, above) + 1)) / (n + 1));
}

/** A difference from a reference with its paired clustered interval and p-value (adjusted later), or why not. */
export function contrastCell(replicates: Float64Array, estimate: number, level: number): ContrastCell | UndefinedCell {
  const interval = percentileInterval(replicates, level);
  const p = bootstrapP(replicates);
  if (interval === null || p === null || !Number.isFinite(estimate)) {
    return { defined: false, reason: 'no-defined-replicates', message: 'validate: fewer than two bootstrap resamples defined the difference' };
  }
  return { defined: true, estimate, ci: interval.ci, p, adjustedP: p, simultaneousCi: interval.ci };
}

/**
 * Holm's step-down adjustment of p-values (Holm, Scand J Stat 1979): the k-th smallest of m is multiplied by
 * (m − k + 1), then made monotone and capped at 1. Runs in O(m log m).
 *
 * @example holm([0.01, 0.04, 0.03]); // => [0.03, 0.06, 0.06]
 */
export function holm(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ v, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * v));
    out[i] = running;
  });
  return out;
}
