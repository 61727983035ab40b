/**
 * What a score is, as data. A banded (points) score is a list of parameters, each mapping one input to points
 * through closed bands at the chart's recording precision (or, for a discrete input, points per code); an
 * aggregate rule (the NEWS2 "red score"); and risk rules mapping the total to a risk band with its monitoring
 * and clinical response. A user's own definition is the same object loaded from JSON.
 */
import type { ModelScore } from './model.js';
import type { FieldName } from './schema.js';

/** One closed band at the chart's precision: `min ≤ value ≤ max` scores `points`. A missing bound is open. */
export interface Band {
  readonly min?: number;
  readonly max?: number;
  readonly points: number;
}

/** Bands that replace the parameter's default bands when every condition holds (NEWS2 Scale 2). */
export interface BandVariant {
  /** Conditions on discrete inputs, by code: `{ spo2Scale: '2', onOxygen: 'oxygen' }`. */
  readonly when: Readonly<Partial<Record<FieldName, string>>>;
  readonly bands: readonly Band[];
}

/** A parameter scored from a numeric input by bands. */
export interface NumericParameter {
  readonly field: FieldName;
  readonly bands: readonly Band[];
  /** Checked in order; the first whose conditions all hold replaces `bands`. */
  readonly variants?: readonly BandVariant[];
  /** Scored instead when this parameter's input is missing (qSOFA: consciousness when GCS is not recorded). */
  readonly fallback?: FallbackParameter;
}

/**
 * A parameter scored from a discrete input: points per code (`{ A: 0, C: 3, … }`). A code given `null` is not on
 * this chart: a row with it is flagged `unknown_code` (NEWS 2012 has no "new confusion").
 */
export interface DiscreteParameter {
  readonly field: FieldName;
  readonly points: Readonly<Record<string, number | null>>;
  readonly fallback?: FallbackParameter;
}

/** A fallback is a plain parameter on another input (no variants, no fallback of its own). */
export type FallbackParameter =
  { readonly field: FieldName; readonly bands: readonly Band[] } | { readonly field: FieldName; readonly points: Readonly<Record<string, number | null>> };

export type Parameter = NumericParameter | DiscreteParameter;

/** A risk rule: the first rule whose conditions hold gives the row's risk band and response. */
export interface RiskRule {
  readonly risk: string;
  /** Inclusive total range; a missing bound is open. */
  readonly totalMin?: number;
  readonly totalMax?: number;
  /** When given, the rule applies only when the aggregate red flag is (true) or is not (false) raised. */
  readonly redFlag?: boolean;
  readonly monitoring: string;
  readonly action: string;
}

/** The aggregate "single extreme parameter" rule (NEWS2's red score). */
export interface RedFlagRule {
  /** Raised when any single parameter scores at least this many points. */
  readonly minPoints: number;
  readonly description: string;
}

/** A banded early-warning score, as data. */
export interface BandedScore {
  readonly kind: 'banded';
  /** Short identifier, also the output column prefix (`news2` → `news2_total`). Lower case, digits and `_`. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** The published source this definition transcribes. */
  readonly source: string;
  readonly parameters: readonly Parameter[];
  readonly redFlag?: RedFlagRule;
  /** Risk bands in increasing order of risk (empty for a score with no published bands). */
  readonly risks: readonly string[];
  /** Risk rules, first match wins; they must give a band for every total, or be empty (risk always null). */
  readonly rules: readonly RiskRule[];
  /** Notes on any policy the project chose where the source is silent or ambiguous. */
  readonly notes?: readonly string[];
}

/** Any score definition ewskit can run: banded points, or a model with a logistic link. */
export type ScoreDefinition = BandedScore | ModelScore;

/** True when the parameter is scored by bands over a numeric input. */
export function isNumericParameter<P extends Parameter | FallbackParameter>(p: P): p is Extract<P, { readonly bands: readonly Band[] }> {
  return 'bands' in p;
}

/** A score id: lower case letters, digits and underscores, starting with a letter (it prefixes column names). */
export const SCORE_ID_PATTERN = /^[a-z][a-z0-9_]*$/;
