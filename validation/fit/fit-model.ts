/**
 * Fit a model-based severity score from a template: each linear term's slopes between its knots, each categorical
 * term's weights, and the intercept, by ridge-penalised logistic regression (IRLS, `fitLogistic`) of the outcome
 * within the horizon on the observation sets of a derivation cohort. Inputs are taken at chart precision, missing
 * ones are imputed by the template's rule (rows with a missing `"null"`-rule input or an implausible value are left
 * out of the fit), so the fitted definition scores rows exactly as it was fitted.
 */
import type { Table, Vector } from 'apache-arrow';
import { DefinitionError } from '../../scores/definition/errors.js';
import type { MissingRule, ModelScore, ModelTerm, RiskZone } from '../../scores/definition/model.js';
import { planModel } from '../../scores/plan/model-plan.js';
import { quantize } from '../../scores/definition/precision.js';
import type { DiscreteField, FieldName, NumericField } from '../../scores/definition/schema.js';
import { discreteCode, FIELDS } from '../../scores/definition/schema.js';
import type { LabelOptions } from '../outcomes/label-outcomes.js';
import { labelOutcomes } from '../outcomes/label-outcomes.js';
import { news2 } from '../../scores/catalogue/news2.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { fitLogistic } from '../stats/logistic.js';
import { pieceSigns } from '../../scores/definition/monotonicity.js';
import { CLINICAL_RANGES } from '../../scores/definition/clinical-ranges.js';

/** A term to fit: a linear spline with fixed knots, or categories (the first code is the reference). */
export type TemplateTerm =
  | { readonly field: FieldName; readonly type: 'linear'; readonly knots: readonly number[]; readonly missing: MissingRule }
  | { readonly field: FieldName; readonly type: 'categories'; readonly missing: MissingRule };

export interface ModelTemplate {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly source: string;
  readonly outcome: string;
  readonly terms: readonly TemplateTerm[];
  readonly zones: readonly RiskZone[];
  /** The zone a single extreme value raises a result to at least (`ModelScore.escalateTo`). */
  readonly escalateTo?: string;
  readonly notes?: readonly string[];
}

export interface FitOptions {
  outcome?: LabelOptions;
  /** Ridge penalty on the slopes (default 1). */
  ridge?: number;
  /** Recorded in the definition's `derivation`. */
  derivation?: Record<string, unknown>;
  /**
   * Where the zones' cut-offs come from: `'match-news2'` (default; a four-zone template only) puts orange and red where
   * the derivation sets alert as often as NEWS2 ≥ 5 and NEWS2 ≥ 7 (a comparison at equal workload), and blue at a
   * predicted risk of 0.5 (an event more likely than not); `'template'` keeps the template's.
   */
  zones?: 'match-news2' | 'template';
}

/** A fitted number as written to a definition file: six significant figures. */
export const signif = (x: number): number => Number(x.toPrecision(6));

/**
 * Logistic regression with sign constraints (+1: ≥ 0, −1: ≤ 0, 0: = 0, null: free) by an active set: fit, fix the
 * most wrong-signed coefficient at 0, refit; when every sign holds, free a fixed coefficient whose score (the
 * gradient of the penalised log-likelihood) points into the allowed direction, and refit. Ends at the constrained
 * maximum (the KKT conditions hold) or after 200 rounds.
 */
export function constrainedFit(columns: readonly Float64Array[], y: Float64Array, signs: readonly (1 | -1 | 0 | null)[], ridge: number) {
  const p = columns.length;
  const fixed = new Set<number>(signs.flatMap((s, j) => (s === 0 ? [j] : [])));
  let beta = new Array<number>(p).fill(0);
  let intercept = 0;
  let converged = false;
  for (let round = 0; round < 200; round++) {
    const free = [...Array(p).keys()].filter((j) => !fixed.has(j));
    const fit = fitLogistic(
      free.map((j) => columns[j] as Float64Array),
      y,
      { ridge },
    );
    converged = fit.converged;
    intercept = fit.coefficients[0] ?? NaN;
    beta = new Array<number>(p).fill(0);
    free.forEach((j, k) => {
      beta[j] = fit.coefficients[k + 1] ?? NaN;
    });
    const wrong = free
      .map((j) => ({ j, by: signs[j] === 1 ? -(beta[j] ?? 0) : signs[j] === -1 ? (beta[j] ?? 0) : 0 }))
      .filter((v) => v.by > 1e-12)
      .sort((a, b) => b.by - a.by)[0];
    if (wrong !== undefined) {
      fixed.add(wrong.j);
      continue;
    }
    // Every sign holds: would a fixed coefficient rather move into its allowed direction?
    const eta = new Float64Array(y.length).fill(intercept);
    free.forEach((j) => {
      const c = columns[j] as Float64Array;
      const b = beta[j] ?? 0;
      for (let i = 0; i < eta.length; i++) eta[i] = (eta[i] ?? 0) + b * (c[i] ?? 0);
    });
    let enter: { j: number; g: number } | null = null;
    for (const j of fixed) {
      const s = signs[j];
      if (s === 0 || s === null || s === undefined) continue;
      const c = columns[j] as Float64Array;
      let g = 0;
      for (let i = 0; i < y.length; i++) g += ((y[i] ?? 0) - 1 / (1 + Math.exp(-(eta[i] ?? 0)))) * (c[i] ?? 0);
      if (s * g > 1e-6 && (enter === null || Math.abs(g) > Math.abs(enter.g))) enter = { j, g };
    }
    if (enter === null) break;
    fixed.delete(enter.j);
  }
  return { intercept, beta, converged, atZero: [...fixed].length };
}

/** A template term's design columns (a row whose term cannot be evaluated is marked not kept), and their sign rules. */
interface TermDesign {
  readonly term: TemplateTerm;
  readonly columns: Float64Array[];
  readonly codes?: string[];
  readonly cumulative?: boolean;
  readonly signs: (1 | -1 | 0 | null)[];
}

/** A linear-spline term: one column per piece between knots, at chart precision within the plausible range. */
function linearDesign(term: Extract<TemplateTerm, { type: 'linear' }>, f: NumericField, vector: Vector, keep: Uint8Array): TermDesign {
  const n = keep.length;
  const k = term.knots;
  const columns = k.slice(1).map(() => new Float64Array(n));
  const lo = quantize(f.plausible[0], f.precision);
  const hi = quantize(f.plausible[1], f.precision);
  for (let i = 0; i < n; i++) {
    let raw = vector.get(i) as number | bigint | null;
    if (raw === null) {
      if (term.missing === 'null') {
        keep[i] = 0;
        continue;
      }
      raw = term.missing.impute as number;
    }
    const q = quantize(Number(raw), f.precision, f.rounding);
    if (!(q >= lo && q <= hi)) {
      keep[i] = 0;
      continue;
    }
    const x = q / 10 ** f.precision;
    for (let j = 0; j < k.length - 1; j++) (columns[j] as Float64Array)[i] = Math.min(Math.max(x, k[j] ?? NaN), k[j + 1] ?? NaN) - (k[j] ?? NaN);
  }
  return { term, columns, signs: pieceSigns(term) };
}

/** A categorical term: one indicator per code beyond the first (cumulative for an ordered field). */
function categoryDesign(term: Exclude<TemplateTerm, { type: 'linear' }>, f: DiscreteField, vector: Vector, keep: Uint8Array): TermDesign {
  const n = keep.length;
  const rule = CLINICAL_RANGES[term.field];
  // An ordered field (consciousness, oxygen) is coded cumulatively — column k is "at code k or worse" — so each
  // coefficient is the step from one code to the next, and a safe fit keeps every step ≥ 0.
  const ordered = rule?.kind === 'order' ? rule.codes : null;
  const codes = ordered !== null ? [...ordered, ...f.codes.filter((c) => !ordered.includes(c))] : [...f.codes];
  const columns = codes.slice(1).map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const raw = discreteCode(f, vector.get(i));
    let code = raw === -1 ? null : (f.codes[raw] ?? null);
    if (code === null && term.missing !== 'null') code = String(term.missing.impute);
    const c = code === null ? -1 : codes.indexOf(code);
    if (c < 0) {
      keep[i] = 0;
      continue;
    }
    if (ordered !== null) for (let j = 1; j <= c; j++) (columns[j - 1] as Float64Array)[i] = 1;
    else if (c > 0) (columns[c - 1] as Float64Array)[i] = 1;
  }
  return { term, columns, codes, cumulative: ordered !== null, signs: columns.map(() => (ordered !== null ? 1 : null)) };
}

/** The fitted coefficients back to the definition's terms: slopes per piece, or a weight per code. */
function fittedTerms(designs: readonly TermDesign[], beta: ArrayLike<number>): ModelTerm[] {
  let k = 0;
  return designs.map(({ term, columns: cols, codes, cumulative }) => {
    const coefficients = cols.map(() => signif(beta[k++] ?? NaN));
    if (term.type === 'linear') return { field: term.field, type: 'linear' as const, knots: [...term.knots], slopes: coefficients, missing: term.missing };
    // Cumulative steps back to a weight per code.
    let running = 0;
    const weights = Object.fromEntries(
      (codes as string[]).map((code, c) => {
        const w = c === 0 ? 0 : cumulative === true ? (running += coefficients[c - 1] ?? 0) : (coefficients[c - 1] ?? NaN);
        return [code, signif(w)];
      }),
    );
    return { field: term.field, type: 'categories' as const, weights, missing: term.missing };
  });
}

/**
 * Fit a model-based definition on a derivation cohort. Runs in O(iterations · rows · parameters²).
 *
 * @param cohort `{ observations, events }` Arrow tables, and `encounters` (follow-up ends at discharge, as in `validate`)
 * @param template the terms (knots fixed), zones and labels of the score
 * @param options outcome horizon and event types (default 24 h, all), ridge penalty, derivation metadata
 * @returns a `ModelScore`, checked by the same compiler as a loaded one
 * @throws {DefinitionError} when the template is malformed; {RangeError} when the cohort has one outcome class
 */
export function fitSeverityModel(
  cohort: { observations: Table; events: Table; encounters?: Table },
  template: ModelTemplate,
  options: FitOptions = {},
): ModelScore {
  const caller = 'fitSeverityModel';
  const horizon = options.outcome?.horizonHours ?? 24;
  // Labelled as `validate` labels them: an in-hospital outcome, so discharge alive within the horizon is a negative;
  // only the extract's end censors (those sets are left out).
  const followUp = cohort.encounters === undefined ? {} : { encounters: cohort.encounters };
  const { labels } = labelOutcomes(cohort.observations, cohort.events, { ...followUp, ...options.outcome, horizonHours: horizon });
  const n = cohort.observations.numRows;
  // Design columns, term by term; a row is kept only if every term can be evaluated.
  const keep = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) if ((labels[i] ?? NaN) < 0) keep[i] = 0;
  const designs: TermDesign[] = [];
  for (const term of template.terms) {
    const field = FIELDS[term.field];
    if (field === undefined) throw new DefinitionError(caller, [`terms: unknown field "${term.field}"`]);
    const vector = cohort.observations.getChild(field.column);
    if (vector === null) throw new TypeError(`${caller}: the observations have no column "${field.column}" (term ${term.field}).`);
    designs.push(term.type === 'linear' ? linearDesign(term, field as NumericField, vector, keep) : categoryDesign(term, field as DiscreteField, vector, keep));
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) rows.push(i);
  const y = Float64Array.from(rows, (i) => labels[i] ?? NaN);
  const events = y.reduce((s, v) => s + v, 0);
  if (events === 0 || events === rows.length)
    throw new RangeError(`${caller}: the derivation rows have one outcome class (${events} events in ${rows.length} rows); a model cannot be fitted.`);
  const columns = designs.flatMap((d) => d.columns.map((c) => Float64Array.from(rows, (i) => c[i] ?? NaN)));
  const signs = designs.flatMap((d) => d.signs);
  const fit = constrainedFit(columns, y, signs, options.ridge ?? 1);
  const terms = fittedTerms(designs, fit.beta);
  const draft: ModelScore = {
    kind: 'model',
    id: template.id,
    name: template.name,
    version: template.version,
    source: template.source,
    outcome: template.outcome,
    horizonHours: horizon,
    intercept: signif(fit.intercept),
    terms,
    zones: template.zones,
    ...(template.escalateTo === undefined ? {} : { escalateTo: template.escalateTo }),
    illustrative: true,
    derivation: {
      ...options.derivation,
      rows: rows.length,
      events,
      ridge: options.ridge ?? 1,
      converged: fit.converged,
      method: 'ridge-penalised logistic regression (IRLS), constrained (active set): flat across each normal range, never falling away from it',
      constrainedAtZero: fit.atZero,
    },
    notes: template.notes,
  };
  planModel(draft); // the same checks as any loaded definition
  if ((options.zones ?? 'match-news2') === 'template') return draft;
  return withMatchedZones(draft, cohort.observations, rows, template.zones);
}

/**
 * `draft` with its zones matched to NEWS2's alert rates on the derivation rows (`matchedZones`), the rule stated in
 * its derivation and notes, checked again.
 */
export function withMatchedZones(draft: ModelScore, observations: Table, rows: readonly number[], template: readonly RiskZone[]): ModelScore {
  const matched = matchedZones(draft, observations, rows, template);
  const model: ModelScore = {
    ...draft,
    zones: matched.zones,
    derivation: { ...draft.derivation, zones: matched.rule },
    notes: [...(draft.notes ?? []), matched.rule],
  };
  planModel(model);
  return model;
}

/** The (1 − rate) quantile of `p`: the cut-off at which a share `rate` of the values is at or above it. */
function cutForRate(sorted: Float64Array, rate: number): number {
  const k = Math.min(sorted.length - 1, Math.max(0, Math.floor((1 - rate) * sorted.length)));
  return sorted[k] ?? Number.NaN;
}

/**
 * Orange and red where the model alerts on the derivation sets as often as NEWS2 ≥ 5 and ≥ 7; blue at p ≥ 0.5 (or
 * half-way from red to 1 when red is above 0.5).
 */
function matchedZones(model: ModelScore, observations: Table, rows: readonly number[], template: readonly RiskZone[]): { zones: RiskZone[]; rule: string } {
  if (template.length !== 4)
    throw new RangeError(
      `fitSeverityModel: option "zones" 'match-news2' needs a template of four zones (green, orange, red, blue); received ${template.length}.`,
    );
  const scored = scoreTable([news2, model], observations);
  const total = scored.getChild('news2_total');
  const probability = scored.getChild(`${model.id}_probability`);
  const withNews2 = rows.filter((i) => total?.get(i) !== null);
  const rate = (cut: number) => withNews2.filter((i) => (total?.get(i) as number) >= cut).length / Math.max(1, withNews2.length);
  const p = Float64Array.from(rows, (i) => Number(probability?.get(i) ?? NaN))
    .filter((x) => Number.isFinite(x))
    .sort();
  const r5 = rate(5);
  const r7 = rate(7);
  const cut = (x: number) => Number(x.toPrecision(3));
  const orange = cut(cutForRate(p, r5));
  const red = Math.max(cut(cutForRate(p, r7)), orange * 1.001);
  const blue = red < 0.5 ? 0.5 : cut((red + 1) / 2);
  const bounds = [0, orange, red, blue, 1];
  const zones = template.map((z, k) => ({ ...z, min: bounds[k] ?? 0, max: bounds[k + 1] ?? 1 }));
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  return {
    zones,
    rule: `Zones matched on the derivation sets: orange from p = ${orange} (alerts on ${pct(r5)} of sets, as NEWS2 ≥ 5 does), red from p = ${red} (${pct(r7)}, as NEWS2 ≥ 7), blue from p = ${blue} (an event within the horizon more likely than not).`,
  };
}
