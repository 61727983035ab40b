/**
 * Fit a model-based severity score from a template: each linear term's slopes between its knots, each categorical
 * term's weights, and the intercept, by ridge-penalised logistic regression (IRLS, `fitLogistic`) of the outcome
 * within the horizon on the observation sets of a derivation cohort. Inputs are taken at chart precision, missing
 * ones are imputed by the template's rule (rows with a missing `"null"`-rule input or an implausible value are left
 * out of the fit), so the fitted definition scores rows exactly as it was fitted.
 */
import type { Table } from 'apache-arrow';
import { DefinitionError } from '../../scores/definition/errors.js';
import type { MissingRule, ModelScore, RiskZone } from '../../scores/definition/model.js';
import { planModel } from '../../scores/plan/model-plan.js';
import { quantize } from '../../scores/definition/precision.js';
import type { DiscreteField, FieldName, NumericField } from '../../scores/definition/schema.js';
import { discreteCode, FIELDS } from '../../scores/definition/schema.js';
import type { LabelOptions } from '../study/label-outcomes.js';
import { labelOutcomes } from '../study/label-outcomes.js';
import { fitLogistic } from '../stats/logistic.js';

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
  readonly notes?: readonly string[];
}

export interface FitOptions {
  outcome?: LabelOptions;
  /** Ridge penalty on the slopes (default 1). */
  ridge?: number;
  /** Recorded in the definition's `derivation`. */
  derivation?: Record<string, unknown>;
}

const signif = (x: number): number => Number(x.toPrecision(6));

/**
 * Fit a model-based definition on a derivation cohort. Runs in O(iterations · rows · parameters²).
 *
 * @param cohort `{ observations, events }` Arrow tables
 * @param template the terms (knots fixed), zones and labels of the score
 * @param options outcome horizon and event types (default 24 h, all), ridge penalty, derivation metadata
 * @returns a `ModelScore`, checked by the same compiler as a loaded one
 * @throws {DefinitionError} when the template is malformed; {RangeError} when the cohort has one outcome class
 */
export function fitSeverityModel(cohort: { observations: Table; events: Table }, template: ModelTemplate, options: FitOptions = {}): ModelScore {
  const fn = 'fitSeverityModel';
  const horizon = options.outcome?.horizonHours ?? 24;
  const { labels } = labelOutcomes(cohort.observations, cohort.events, { ...options.outcome, horizonHours: horizon });
  const n = cohort.observations.numRows;
  // Design columns, term by term; a row is kept only if every term can be evaluated.
  const keep = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) if ((labels[i] ?? NaN) < 0) keep[i] = 0;
  const designs: { term: TemplateTerm; columns: Float64Array[]; codes?: string[] }[] = [];
  for (const term of template.terms) {
    const field = FIELDS[term.field];
    if (field === undefined) throw new DefinitionError(fn, [`terms: unknown field "${term.field}"`]);
    const vector = cohort.observations.getChild(field.column);
    if (vector === null) throw new TypeError(`${fn}: the observations have no column "${field.column}" (term ${term.field}).`);
    if (term.type === 'linear') {
      const f = field as NumericField;
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
      designs.push({ term, columns });
    } else {
      const f = field as DiscreteField;
      const codes = [...f.codes];
      const columns = codes.slice(1).map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        let c = discreteCode(f, vector.get(i));
        if (c === -1 && term.missing !== 'null') c = codes.indexOf(String(term.missing.impute));
        if (c < 0) {
          keep[i] = 0;
          continue;
        }
        if (c > 0) (columns[c - 1] as Float64Array)[i] = 1;
      }
      designs.push({ term, columns, codes });
    }
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) rows.push(i);
  const y = Float64Array.from(rows, (i) => labels[i] ?? NaN);
  const events = y.reduce((s, v) => s + v, 0);
  if (events === 0 || events === rows.length)
    throw new RangeError(`${fn}: the derivation rows have one outcome class (${events} events in ${rows.length} rows); a model cannot be fitted.`);
  const columns = designs.flatMap((d) => d.columns.map((c) => Float64Array.from(rows, (i) => c[i] ?? NaN)));
  const fit = fitLogistic(columns, y, { ridge: options.ridge ?? 1 });
  let k = 1;
  const terms = designs.map(({ term, columns: cols, codes }) => {
    const coefficients = cols.map(() => signif(fit.coefficients[k++] ?? NaN));
    if (term.type === 'linear') return { field: term.field, type: 'linear' as const, knots: [...term.knots], slopes: coefficients, missing: term.missing };
    const weights = Object.fromEntries((codes as string[]).map((code, c) => [code, c === 0 ? 0 : (coefficients[c - 1] ?? NaN)]));
    return { field: term.field, type: 'categories' as const, weights, missing: term.missing };
  });
  const model: ModelScore = {
    kind: 'model',
    id: template.id,
    name: template.name,
    version: template.version,
    source: template.source,
    outcome: template.outcome,
    horizonHours: horizon,
    intercept: signif(fit.coefficients[0] ?? NaN),
    terms,
    zones: template.zones,
    illustrative: true,
    derivation: {
      ...options.derivation,
      rows: rows.length,
      events,
      ridge: options.ridge ?? 1,
      converged: fit.converged,
      method: 'ridge-penalised logistic regression (IRLS)',
    },
    notes: template.notes,
  };
  planModel(model); // the same checks as any loaded definition
  return model;
}
