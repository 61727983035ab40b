/**
 * Model-based severity scores, as data: terms that map inputs to contributions on the log-odds scale (linear
 * pieces between knots, bands, or categories), summed with an intercept and passed through a logistic link to the
 * probability of an outcome within a horizon; risk zones by probability, raised to at least the escalation zone by any
 * single extreme value. Each term says what a missing input does: impute a stated normal value (the result lists it in
 * `imputed`) or make the result null.
 */
import type { FieldName } from './schema.js';

/**
 * What a missing input does to a model term: `'null'` (the result has no probability) or impute a stated normal value
 * (the result lists it in `imputed`). Imputing consciousness is refused unless `reason` says why the definition may
 * (a missing ACVPU is never silently Alert).
 */
export type MissingRule = { readonly impute: number | string; readonly reason?: string } | 'null';

/**
 * A piecewise-linear term: flat below the first knot and above the last; between knots j and j+1 it changes
 * by `slopes[j]` per unit. Its contribution is measured from the first knot:
 * f(x) = Σⱼ slopes[j] · (clamp(x, knots[j], knots[j+1]) − knots[j]).
 */
export interface LinearTerm {
  readonly field: FieldName;
  readonly type: 'linear';
  readonly knots: readonly number[];
  readonly slopes: readonly number[];
  readonly missing: MissingRule;
}

/** A banded term: closed bands at chart precision, each with a weight (log-odds). */
export interface BandTerm {
  readonly field: FieldName;
  readonly type: 'bands';
  readonly bands: readonly { readonly min?: number; readonly max?: number; readonly weight: number }[];
  readonly missing: MissingRule;
}

/** A categorical term: a weight per code of a discrete input. */
export interface CategoryTerm {
  readonly field: FieldName;
  readonly type: 'categories';
  readonly weights: Readonly<Record<string, number>>;
  readonly missing: MissingRule;
}

export type ModelTerm = LinearTerm | BandTerm | CategoryTerm;

/** A risk zone: probabilities in [min, max) (the last zone includes 1). */
export interface RiskZone {
  readonly label: string;
  readonly colour: string;
  readonly min: number;
  readonly max: number;
  readonly action?: string;
}

/** A model-based severity score. */
export interface ModelScore {
  readonly kind: 'model';
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly source: string;
  /** The outcome the model predicts, e.g. `"death or unplanned ICU admission"`. */
  readonly outcome: string;
  readonly horizonHours: number;
  readonly intercept: number;
  readonly terms: readonly ModelTerm[];
  /** Zones in increasing order of probability, covering [0, 1] without gaps or overlaps; at least two. */
  readonly zones: readonly RiskZone[];
  /**
   * Escalation, as NEWS2's red score: the label of the zone that any single extreme value (`CLINICAL_RANGES`: NEWS2's
   * 3-point bands, C/V/P/U, the stated laboratory extremes) raises the result to at least. Default, and lowest
   * allowed: the second zone. The result lists the extreme inputs in `escalatedBy`.
   */
  readonly escalateTo?: string;
  /** True for a definition that is an example, not a validated clinical tool. */
  readonly illustrative?: boolean;
  /** Where the weights came from (derivation cohort, seed, generator version …). */
  readonly derivation?: Readonly<Record<string, unknown>>;
  readonly notes?: readonly string[];
  /**
   * The labelled opt-out from the clinical-safety check (`monotonicityProblems`): why this definition's risk may fall
   * as a vital sign worsens away from normal. Absent (the default), such a definition is refused.
   */
  readonly allowNonMonotone?: string;
}
