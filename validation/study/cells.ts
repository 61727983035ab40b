/**
 * Turning metric results into report cells: the report keeps each result's contract (`defined`, `estimate`,
 * `reason`, `message`) but only the fields a reader needs.
 */
import { percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { Proportion } from '../stats/wilson.js';
import type { BootstrapCell, Ci, EstimateCell, ProportionCell, UndefinedCell } from '../report/types.js';

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

/** A proportion with its Wilson interval. */
export function proportionCell(p: Proportion): ProportionCell {
  return estimateCell(p);
}

/**
 * A patient-clustered bootstrap interval of replicates around a point estimate: null when no bootstrap was run,
 * undefined when fewer than two replicates were defined.
 */
export function bootstrapCell(replicates: Float64Array | null, estimate: number, level: number): BootstrapCell | UndefinedCell | null {
  if (replicates === null) return null;
  const p = percentileInterval(replicates, level);
  if (p === null) return { defined: false, reason: 'no-defined-replicates', message: 'validate: fewer than two bootstrap resamples had both outcome classes' };
  return { defined: true, estimate, ci: p.ci, se: p.se };
}
