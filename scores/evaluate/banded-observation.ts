/**
 * The banded kind's evaluator: interprets a banded definition directly (bands and variants as written),
 * independently of the compiled lookup tables the batch kernel uses; property tests hold the two equal.
 */
import type { Band, BandedScore, BandVariant, FallbackParameter, Parameter, RiskRule } from '../definition/definition.js';
import { isNumericParameter } from '../definition/definition.js';
import { planOf } from '../plan/compile.js';
import { quantize } from '../definition/precision.js';
import type { DiscreteField, FieldName } from '../definition/schema.js';
import { FIELDS, flagReason, schemaOrder, VERIFY } from '../definition/schema.js';
import type { InputState } from './read-input.js';
import { readInput } from './read-input.js';
import type { MissingPolicy, Observation, ObservationScore } from '../definition/observation.js';

function pointsFromBands(bands: readonly Band[], q: number, precision: number): number | null {
  for (const b of bands) {
    const aboveMin = b.min === undefined || q >= quantize(b.min, precision);
    const belowMax = b.max === undefined || q <= quantize(b.max, precision);
    if (aboveMin && belowMax) return b.points;
  }
  return null;
}

/** The bands that apply given the known discrete codes; every completion of unknown ones is tried. */
function candidateBands(variants: readonly BandVariant[], fallback: readonly Band[], states: ReadonlyMap<FieldName, InputState>): (readonly Band[])[] {
  const conditionFields = [...new Set(variants.flatMap((v) => Object.keys(v.when) as FieldName[]))];
  let assignments: Map<FieldName, number>[] = [new Map()];
  for (const name of conditionFields) {
    const st = states.get(name);
    const options = st?.kind === 'value' ? [st.q] : (FIELDS[name] as DiscreteField).codes.map((_, i) => i);
    assignments = assignments.flatMap((a) => options.map((o) => new Map(a).set(name, o)));
  }
  return assignments.map((a) => {
    const match = variants.find((v) =>
      Object.entries(v.when).every(([name, code]) => a.get(name as FieldName) === (FIELDS[name as FieldName] as DiscreteField).codes.indexOf(code as string)),
    );
    return match === undefined ? fallback : match.bands;
  });
}

/**
 * Score one observation set with a banded definition, the policy already checked. Runs in O(parameters).
 */
export function scoreBandedObservation(score: BandedScore, observation: Observation, policy: MissingPolicy): ObservationScore {
  const plan = planOf(score);
  const record = observation as Record<string, unknown>;
  const states = new Map<FieldName, InputState>();
  const missing: string[] = [];
  const flags: string[] = [];
  const verify: string[] = [];
  for (const input of plan.inputs) {
    const st = readInput(input.field, record[input.field.field]);
    states.set(input.field.field, st);
    if (st.kind === 'missing') missing.push(input.field.field);
    if (st.kind === 'flagged') flags.push(`${st.reason}:${input.field.field}`);
    if (st.kind === 'value' && st.verify === true) verify.push(`${VERIFY}:${input.field.field}`);
  }
  const subscores: Record<string, number | null> = {};
  const excused = new Set<string>();
  const pointsOf = (p: Parameter | FallbackParameter): number | null => {
    const st = states.get(p.field) as InputState;
    if (st.kind !== 'value') return null;
    if (isNumericParameter(p)) {
      const precision = (FIELDS[p.field] as { precision: number }).precision;
      const variants = 'variants' in p ? (p.variants ?? []) : [];
      const points = candidateBands(variants, p.bands, states).map((b) => pointsFromBands(b, st.q, precision));
      return points.every((x) => x === points[0]) ? (points[0] ?? null) : null;
    }
    const code = (FIELDS[p.field] as DiscreteField).codes[st.q] as string;
    const pts = p.points[code];
    if (pts === null) {
      // A code this chart does not score (NEWS 2012 has no "C"): flagged like any unknown code.
      const flag = `${flagReason(FIELDS[p.field], record[p.field])}:${p.field}`;
      if (!flags.includes(flag)) flags.push(flag);
    }
    return pts ?? null;
  };
  for (const p of score.parameters) {
    let use: Parameter | FallbackParameter = p;
    if (p.fallback !== undefined) {
      const primaryMissing = states.get(p.field)?.kind === 'missing';
      const fallbackMissing = states.get(p.fallback.field)?.kind === 'missing';
      if (primaryMissing) use = p.fallback;
      // Missing only when both are: otherwise neither is reported missing.
      if (!(primaryMissing && fallbackMissing)) {
        excused.add(p.field);
        excused.add(p.fallback.field);
      }
    }
    subscores[p.field] = pointsOf(use);
  }
  if (excused.size > 0) missing.splice(0, missing.length, ...missing.filter((f) => !excused.has(f)));
  // Canonical schema order, as the batch kernel lists them.
  const byField = (a: string, b: string): number => schemaOrder(a.split(':').pop() as FieldName) - schemaOrder(b.split(':').pop() as FieldName);
  missing.sort(byField);
  const values = Object.values(subscores);
  const complete = missing.length === 0 && flags.length === 0 && values.every((v) => v !== null);
  const usable = complete || (policy === 'zero' && flags.length === 0);
  const total = usable ? values.reduce<number>((s, v) => s + (v ?? 0), 0) : null;
  const redMin = score.redFlag?.minPoints ?? Infinity;
  const redFlag = values.some((v) => v !== null && v >= redMin);
  const rule: RiskRule | undefined =
    total === null
      ? undefined
      : score.rules.find(
          (r) =>
            (r.totalMin === undefined || total >= r.totalMin) &&
            (r.totalMax === undefined || total <= r.totalMax) &&
            (r.redFlag === undefined || r.redFlag === redFlag),
        );
  // No total, but a single red parameter: the red score's response is owed whatever the missing ones would add.
  const redRule = total === null && redFlag ? score.rules.find((r) => r.redFlag === true) : undefined;
  const response = rule ?? redRule;
  const result: ObservationScore = {
    total,
    complete,
    risk: rule?.risk ?? null,
    redFlag,
    missing,
    flags: [...flags, ...verify].sort(byField),
    subscores,
    response: response === undefined ? null : { monitoring: response.monitoring, action: response.action, basis: rule === undefined ? 'red-score' : 'total' },
  };
  if (policy === 'zero') result.missingPolicy = 'zero';
  const scale = states.get('spo2Scale');
  if (scale?.kind === 'value') result.spo2Scale = (scale.q + 1) as 1 | 2;
  return result;
}
