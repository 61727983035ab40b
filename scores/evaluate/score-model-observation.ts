/**
 * Score one observation set with a model-based severity score — the bedside path. Interprets the terms directly
 * (hinge form for linear pieces, band search, category weights), independently of the compiled tables; property
 * tests hold the two equal.
 */
import type { LinearTerm, ModelScore, ModelTerm } from '../definition/model.js';
import { modelPlanOf } from '../plan/model-plan.js';
import { quantize } from '../definition/precision.js';
import { readInput } from './read-input.js';
import type { DiscreteField, FieldName, NumericField } from '../definition/schema.js';
import { FIELDS, schemaOrder, VERIFY } from '../definition/schema.js';
import { isExtreme } from '../definition/clinical-ranges.js';

/** The result of scoring one observation set with a model-based score. */
export interface ModelObservationScore {
  /** Predicted probability of the outcome within the horizon; null when an input is flagged, or missing without imputation. */
  probability: number | null;
  linearPredictor: number | null;
  /** The risk zone's label and colour; null without a probability. */
  risk: string | null;
  colour: string | null;
  /** Every input present and valid (nothing imputed). */
  complete: boolean;
  /** Inputs that were null or absent (imputed ones included), in canonical schema order. */
  missing: string[];
  /** Inputs replaced by their stated normal value, labelled `imputed:<field>` in flags-style lists. */
  imputed: string[];
  flags: string[];
  /**
   * Inputs holding an extreme value (`CLINICAL_RANGES`: NEWS2's 3-point bands, C/V/P/U, stated laboratory extremes),
   * in canonical schema order. When any is listed the zone is at least the definition's escalation zone (`escalateTo`,
   * default the second) — also when there is no probability.
   */
  escalatedBy: string[];
  /** Log-odds contribution per term, by field; null when it cannot be given. */
  contributions: Record<string, number | null>;
  outcome: string;
  horizonHours: number;
  response: { action: string } | null;
}

/** f(x) = Σⱼ slopeⱼ · (min(x, kⱼ₊₁) − kⱼ)⁺ for x above the first knot; 0 below it. */
function hinge(term: LinearTerm, x: number): number {
  let total = 0;
  for (let j = 0; j < term.slopes.length; j++) {
    const from = term.knots[j] ?? NaN;
    const to = term.knots[j + 1] ?? NaN;
    if (x <= from) break;
    total += (term.slopes[j] ?? NaN) * ((x < to ? x : to) - from);
  }
  return total;
}

function numericContribution(term: ModelTerm, field: NumericField, q: number): number | null {
  const value = q / 10 ** field.precision;
  if (term.type === 'linear') return hinge(term, value);
  if (term.type === 'bands') {
    const band = term.bands.find(
      (b) => (b.min === undefined || q >= quantize(b.min, field.precision)) && (b.max === undefined || q <= quantize(b.max, field.precision)),
    );
    return band === undefined ? null : band.weight;
  }
  return null;
}

/**
 * Score one observation set with a model-based severity score: contributions, linear predictor, probability of
 * the outcome within the model's horizon, and risk zone. Runs in O(terms × knots).
 *
 * @param score a model-based definition (`kind: 'model'`)
 * @param observation inputs by object field name
 * @returns probability, zone, contributions, and what was missing, imputed or flagged
 * @throws {TypeError} when a field has the wrong type
 */
export function scoreModelObservation(score: ModelScore, observation: Record<string, unknown>): ModelObservationScore {
  const plan = modelPlanOf(score); // validates the definition once
  const missing: string[] = [];
  const imputed: string[] = [];
  const flags: string[] = [];
  const verify: string[] = [];
  const escalatedBy: string[] = [];
  const contributions: Record<string, number | null> = {};
  let lp = score.intercept;
  let usable = true;
  for (const term of score.terms) {
    const field = FIELDS[term.field] as NumericField | DiscreteField;
    let st = readInput(field, observation[term.field]);
    if (st.kind === 'missing') {
      missing.push(term.field);
      if (term.missing !== 'null') {
        imputed.push(term.field);
        const v = term.missing.impute;
        st = field.kind === 'discrete' ? { kind: 'value', q: field.codes.indexOf(String(v)) } : readInput(field, v);
      }
    }
    if (st.kind === 'flagged' && observation[term.field] !== null && observation[term.field] !== undefined) flags.push(`${st.reason}:${term.field}`);
    if (st.kind === 'value' && st.verify === true && !imputed.includes(term.field)) verify.push(`${VERIFY}:${term.field}`);
    let c: number | null = null;
    if (st.kind === 'value') {
      c =
        field.kind === 'numeric'
          ? numericContribution(term, field, st.q)
          : ((term.type === 'categories' ? term.weights[field.codes[st.q] as string] : undefined) ?? null);
    }
    if (st.kind === 'value' && !imputed.includes(term.field)) {
      const value = field.kind === 'numeric' ? st.q / 10 ** field.precision : (field.codes[st.q] as string);
      if (isExtreme(term.field, value)) escalatedBy.push(term.field);
    }
    contributions[term.field] = c;
    if (c === null) usable = false;
    else lp += c;
  }
  const byField = (a: string, b: string): number => schemaOrder(a.split(':').pop() as FieldName) - schemaOrder(b.split(':').pop() as FieldName);
  missing.sort(byField);
  imputed.sort(byField);
  escalatedBy.sort(byField);
  const probability = usable ? 1 / (1 + Math.exp(-lp)) : null;
  const byProbability =
    probability === null ? -1 : score.zones.findIndex((z, i) => probability >= z.min && (probability < z.max || i === score.zones.length - 1));
  const escalateTo = plan.escalateZone;
  const zone = score.zones[escalatedBy.length > 0 && byProbability < escalateTo ? escalateTo : byProbability];
  return {
    probability,
    linearPredictor: usable ? lp : null,
    risk: zone?.label ?? null,
    colour: zone?.colour ?? null,
    complete: missing.length === 0 && flags.length === 0,
    missing,
    imputed,
    flags: [...flags, ...verify].sort(byField),
    escalatedBy,
    contributions,
    outcome: score.outcome,
    horizonHours: score.horizonHours,
    response: zone?.action === undefined ? null : { action: zone.action },
  };
}
