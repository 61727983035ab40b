/**
 * Compile a model-based definition: every term becomes a table of log-odds contributions indexed like a banded
 * parameter's points (one slot per value at chart precision, or per code; slot 0 / the last slot = unusable → NaN),
 * so the same input readers serve both kinds of score. Checked as it is built; every problem has its path.
 */
import type { PlanInput } from './compile.js';
import { MAX_INPUTS, quantizedPlausible, quantizedRange } from './compile.js';
import { monotonicityProblems } from '../definition/monotonicity.js';
import { isExtreme } from '../definition/clinical-ranges.js';
import { DefinitionError } from '../definition/errors.js';
import { SCORE_ID_PATTERN } from '../definition/definition.js';
import { cachedBy } from './cached-by.js';
import type { ModelScore, ModelTerm } from '../definition/model.js';
import { quantize } from '../definition/precision.js';
import type { FieldName, NumericField } from '../definition/schema.js';
import { FIELDS } from '../definition/schema.js';

/** One compiled model term. */
export interface PlanTerm {
  readonly name: FieldName;
  readonly input: number;
  /** Contribution per slot (log-odds); NaN where no contribution can be given. */
  readonly table: Float64Array;
  /** Slot used when the input is missing, or −1 when a missing input makes the result null. */
  readonly imputeSlot: number;
  /** 1 at the slots whose value is extreme (`isExtreme`): a single one escalates the zone. */
  readonly extreme: Uint8Array;
}

export interface ModelPlan {
  readonly kind: 'model';
  readonly definition: ModelScore;
  readonly inputs: readonly PlanInput[];
  readonly terms: readonly PlanTerm[];
  /** Lower probability bound of zones 1…z−1, ascending. */
  readonly cuts: Float64Array;
  /** The zone index a single extreme value raises the result to at least (≥ 1). */
  readonly escalateZone: number;
}

/** The contribution of a numeric term at a value already at chart precision, straight from the definition. */
export function termContribution(term: ModelTerm, value: number): number | undefined {
  if (term.type === 'linear') {
    let c = 0;
    for (let j = 0; j < term.slopes.length; j++) {
      const lo = term.knots[j] ?? NaN;
      const hi = term.knots[j + 1] ?? NaN;
      c += (term.slopes[j] ?? NaN) * (Math.min(Math.max(value, lo), hi) - lo);
    }
    return c;
  }
  if (term.type === 'bands') {
    const field = FIELDS[term.field] as NumericField;
    const q = quantize(value, field.precision);
    const hits = term.bands.filter(
      (b) => (b.min === undefined || q >= quantize(b.min, field.precision)) && (b.max === undefined || q <= quantize(b.max, field.precision)),
    );
    return hits.length === 1 ? hits[0]?.weight : undefined;
  }
  return undefined;
}

function compileTerm(term: ModelTerm, path: string, problems: string[]): { table: Float64Array; imputeSlot: number; extreme: Uint8Array } | undefined {
  const field = FIELDS[term.field];
  if (field === undefined) {
    problems.push(`${path}.field: expected one of ${Object.keys(FIELDS).join(', ')}; received ${JSON.stringify(term.field)}`);
    return undefined;
  }
  if (term.type === 'categories') {
    if (field.kind !== 'discrete') {
      problems.push(`${path}: "${term.field}" is numeric; a categories term needs a discrete input`);
      return undefined;
    }
    const table = new Float64Array(field.codes.length + 1).fill(Number.NaN);
    field.codes.forEach((code, c) => {
      const w = term.weights[code];
      if (w === undefined) problems.push(`${path}.weights.${code}: no weight given for code ${code}`);
      else table[c] = w;
    });
    for (const k of Object.keys(term.weights)) if (!field.codes.includes(k)) problems.push(`${path}.weights.${k}: not a code of ${term.field}`);
    let imputeSlot = -1;
    if (term.missing !== 'null') {
      imputeSlot = field.codes.indexOf(String(term.missing.impute));
      if (imputeSlot < 0) problems.push(`${path}.missing.impute: expected one of ${field.codes.join(', ')}`);
      const reason = term.missing.reason;
      if (term.field === 'consciousness' && !(typeof reason === 'string' && reason.trim() !== ''))
        problems.push(
          `${path}.missing: a missing consciousness level is never imputed as ${String(term.missing.impute)} by default; use "null", or state why in missing.reason`,
        );
    }
    const extreme = new Uint8Array(table.length);
    field.codes.forEach((code, c) => {
      extreme[c] = isExtreme(term.field, code) ? 1 : 0;
    });
    return { table, imputeSlot, extreme };
  }
  if (field.kind !== 'numeric') {
    problems.push(`${path}: "${term.field}" is discrete; a ${term.type} term needs a numeric input`);
    return undefined;
  }
  if (term.type === 'linear') {
    const k = term.knots;
    if (k.length < 2) problems.push(`${path}.knots: expected at least two knots`);
    if (term.slopes.length !== k.length - 1)
      problems.push(`${path}.slopes: expected ${Math.max(0, k.length - 1)} slopes (one per interval between knots); received ${term.slopes.length}`);
    for (let j = 1; j < k.length; j++) if (!((k[j] ?? NaN) > (k[j - 1] ?? NaN))) problems.push(`${path}.knots[${j}]: knots must increase strictly`);
  }
  const [lo, hi] = quantizedRange(field);
  const scale = 10 ** field.precision;
  const table = new Float64Array(hi - lo + 2).fill(Number.NaN);
  const extreme = new Uint8Array(hi - lo + 2);
  let gaps = 0;
  for (let q = lo; q <= hi; q++) {
    const c = termContribution(term, q / scale);
    if (c === undefined) gaps++;
    else table[q - lo + 1] = c;
    extreme[q - lo + 1] = isExtreme(term.field, q / scale) ? 1 : 0;
  }
  if (gaps > 0)
    problems.push(
      `${path}.bands: ${gaps} value(s) of ${term.field} in its possible range ${field.possible[0]}–${field.possible[1]} ${field.unit} are covered by no band or by more than one`,
    );
  let imputeSlot = -1;
  if (term.missing !== 'null') {
    const v = term.missing.impute;
    const q = typeof v === 'number' ? quantize(v, field.precision, field.rounding) : Number.NaN;
    const [plo, phi] = quantizedPlausible(field);
    if (!(q >= plo && q <= phi))
      problems.push(
        `${path}.missing.impute: expected a number in the plausible range ${field.plausible[0]}–${field.plausible[1]}; received ${JSON.stringify(v)}`,
      );
    else imputeSlot = q - lo + 1;
  }
  return { table, imputeSlot, extreme };
}

/**
 * Compile a model-based score definition.
 *
 * @throws {DefinitionError} listing every problem with its path
 */
export function planModel(def: ModelScore): ModelPlan {
  const problems: string[] = [];
  if (typeof def.id !== 'string' || !SCORE_ID_PATTERN.test(def.id))
    problems.push(`id: expected lower-case letters, digits and "_", starting with a letter; received ${JSON.stringify(def.id)}`);
  if (!Number.isFinite(def.intercept)) problems.push('intercept: expected a finite number');
  if (!(def.horizonHours > 0)) problems.push('horizonHours: expected a positive number of hours');
  const inputs: PlanInput[] = [];
  const terms: PlanTerm[] = [];
  def.terms.forEach((term, i) => {
    const path = `terms[${i}]`;
    if (terms.some((t) => t.name === term.field)) problems.push(`${path}.field: "${term.field}" has two terms`);
    const compiled = compileTerm(term, path, problems);
    if (compiled === undefined) return;
    const at = inputs.findIndex((x) => x.field.field === term.field);
    const input = at >= 0 ? at : inputs.push({ index: inputs.length, field: FIELDS[term.field], required: true }) - 1;
    terms.push({ name: term.field, input, ...compiled });
  });
  if (def.terms.length === 0) problems.push('terms: expected at least one term');
  if (inputs.length > MAX_INPUTS) problems.push(`terms: at most ${MAX_INPUTS} inputs`);
  const z = def.zones;
  if (z.length === 0) problems.push('zones: expected at least one zone');
  if (z.length > 0 && z[0]?.min !== 0) problems.push(`zones[0].min: the zones must start at probability 0; received ${z[0]?.min}`);
  if (z.length > 0 && z[z.length - 1]?.max !== 1)
    problems.push(`zones[${z.length - 1}].max: the zones must end at probability 1; received ${z[z.length - 1]?.max}`);
  z.forEach((zone, i) => {
    if (!(zone.min < zone.max)) problems.push(`zones[${i}]: min ${zone.min} is not below max ${zone.max}`);
    const next = z[i + 1];
    if (next !== undefined && next.min !== zone.max) {
      problems.push(`zones[${i + 1}].min: ${next.min < zone.max ? 'overlaps' : 'leaves a gap after'} zones[${i}] (max ${zone.max})`);
    }
    if (z.findIndex((o) => o.label === zone.label) !== i) problems.push(`zones[${i}].label: "${zone.label}" is used twice`);
  });
  if (z.length === 1) problems.push('zones: expected at least two zones, so a single extreme value can leave the lowest (escalation)');
  const escalateZone = def.escalateTo === undefined ? 1 : z.findIndex((zone) => zone.label === def.escalateTo);
  if (def.escalateTo !== undefined && escalateZone < 1)
    problems.push(
      `escalateTo: expected the label of a zone above the lowest (${z
        .slice(1)
        .map((zone) => zone.label)
        .join(', ')}); received ${JSON.stringify(def.escalateTo)}`,
    );
  // Clinical safety: risk must not fall as a vital sign worsens, unless the definition opts out by name, with a reason.
  const optOut = def.allowNonMonotone;
  if (optOut !== undefined && !(typeof optOut === 'string' && optOut.trim() !== ''))
    problems.push('allowNonMonotone: expected the reason the definition may let risk fall as a vital worsens (a non-empty string)');
  if (optOut === undefined) problems.push(...monotonicityProblems(def));
  if (problems.length > 0) throw new DefinitionError('planModel', problems);
  return {
    kind: 'model',
    definition: def,
    inputs,
    terms,
    cuts: Float64Array.from(z.slice(1).map((zone) => zone.min)),
    escalateZone: Math.max(1, escalateZone),
  };
}

/** The plan of a model definition, compiled once per definition object. */
export const modelPlanOf: (def: ModelScore) => ModelPlan = cachedBy(planModel);
