/**
 * The compiler's first stage: a score definition → a plan of inputs, lookup tables and risk tables.
 * The plan is checked as it is built (bands that overlap or leave gaps inside the possible range, unknown
 * fields, codes that do not exist) and every problem is reported with its JSON path.
 *
 * Lookup tables: a numeric input at chart precision takes one of a small number of values inside its possible
 * range (SpO2 0–100 → 101 values; temperature 10.0–50.0 → 401), so each parameter's bands become a table of points
 * indexed by the quantized value, one segment per combination of the discrete inputs its band variants depend on.
 * Slot 0 of every segment is −1, "no subscore", so an unusable value indexes it without a branch.
 */
import type { Band, BandedScore, BandVariant, FallbackParameter, NumericParameter, Parameter, RiskRule } from '../definition/definition.js';
import { isNumericParameter, SCORE_ID_PATTERN } from '../definition/definition.js';
import { DefinitionError } from '../definition/errors.js';
import { cachedBy } from './cached-by.js';
import { quantize } from '../definition/precision.js';
import type { DiscreteField, FieldName, InputField, NumericField } from '../definition/schema.js';
import { FIELDS } from '../definition/schema.js';

/** Status bits: input k missing → bit k; input k flagged → bit 16 + k. */
export const MAX_INPUTS = 16;
export const missingBit = (k: number): number => 1 << k;
export const flagBit = (k: number): number => (1 << (16 + k)) >>> 0;

/** One input the score reads, with its position in the status word. */
export interface PlanInput {
  readonly index: number;
  readonly field: InputField;
  /** The column must be present in a table (false only for inputs whose null has a meaning, such as spo2Scale). */
  readonly required: boolean;
}

/** Table value for a code the chart does not score: the row is flagged for that input. */
export const NOT_ON_CHART = -2;

/** A compiled parameter: its input, the inputs its variants depend on, and its lookup table. */
export interface PlanParameter {
  readonly name: FieldName;
  readonly input: number;
  /** Inputs whose state picks the table segment (in stride order). */
  readonly conditions: readonly number[];
  readonly strides: readonly number[];
  /** Numeric: slots per segment (1 + number of quantized values). Discrete: codes + 1. */
  readonly segment: number;
  /** Points per slot; −1 where no subscore can be given. */
  readonly table: Int8Array;
  readonly maxPoints: number;
  /** Scored from another input when this parameter's input is missing. */
  readonly fallback?: { readonly input: number; readonly table: Int8Array };
}

/** The whole compiled plan. */
export interface ScorePlan {
  readonly definition: BandedScore;
  readonly inputs: readonly PlanInput[];
  readonly parameters: readonly PlanParameter[];
  readonly maxTotal: number;
  /** Minimum points for the red flag (Infinity when the score has none). */
  readonly redMin: number;
  /** Risk index (into `definition.risks`) per (total × 2 + red); −1 where no rule applies. */
  readonly riskOf: Int8Array;
}

/** The quantized possible range of a numeric field, [lo, hi] in units of its last digit: the values a lookup table holds. */
export function quantizedRange(field: NumericField): [number, number] {
  return [quantize(field.possible[0], field.precision, 'half-up'), quantize(field.possible[1], field.precision, 'half-up')];
}

/** The quantized plausible range of a numeric field: a scored value outside it is flagged `verify`. */
export function quantizedPlausible(field: NumericField): [number, number] {
  return [quantize(field.plausible[0], field.precision, 'half-up'), quantize(field.plausible[1], field.precision, 'half-up')];
}

/** The indices of the bands that hold a quantized value (exactly one in a well-formed list). */
function bandHits(bands: readonly Band[], q: number, field: NumericField): number[] {
  const hits: number[] = [];
  bands.forEach((b, i) => {
    const lo = b.min === undefined ? -Infinity : quantize(b.min, field.precision, 'half-up');
    const hi = b.max === undefined ? Infinity : quantize(b.max, field.precision, 'half-up');
    if (q >= lo && q <= hi) hits.push(i);
  });
  return hits;
}

/** Bad values of one band list, merged into runs of consecutive values with the same fault. */
class BandFaults {
  private readonly runs = new Map<string, { where: string; fault: string; from: number; to: number }[]>();
  add(where: string, fault: string, q: number): void {
    const list = this.runs.get(where) ?? [];
    const last = list[list.length - 1];
    if (last !== undefined && last.fault === fault && last.to === q - 1) last.to = q;
    else if (!list.some((r) => r.fault === fault && q >= r.from && q <= r.to)) list.push({ where, fault, from: q, to: q });
    this.runs.set(where, list);
  }
  /** One problem per run: "heartRate 51–250: covered by bands 2 and 3". */
  report(field: NumericField, problems: string[]): void {
    const value = (q: number) => q / 10 ** field.precision;
    for (const list of this.runs.values())
      for (const r of list) {
        const range = r.from === r.to ? `${value(r.from)}` : `${value(r.from)}–${value(r.to)}`;
        problems.push(`${r.where}: ${field.field} ${range} ${field.unit}: ${r.fault} (possible range ${field.possible[0]}–${field.possible[1]} ${field.unit})`);
      }
  }
}

function variantMatches(v: BandVariant, state: ReadonlyMap<FieldName, number>): boolean {
  for (const [name, code] of Object.entries(v.when)) {
    const f = FIELDS[name as FieldName] as DiscreteField;
    if (state.get(name as FieldName) !== f.codes.indexOf(code as string)) return false;
  }
  return true;
}

function checkBands(bands: readonly Band[], path: string, problems: string[]): void {
  bands.forEach((b, i) => {
    if (!Number.isInteger(b.points) || b.points < 0 || b.points > 100) {
      problems.push(`${path}[${i}].points: expected an integer 0–100; received ${String(b.points)}`);
    }
    for (const key of ['min', 'max'] as const) {
      const v = b[key];
      if (v !== undefined && !Number.isFinite(v)) problems.push(`${path}[${i}].${key}: expected a finite number`);
    }
    if (b.min !== undefined && b.max !== undefined && b.min > b.max) {
      problems.push(`${path}[${i}]: min ${b.min} is above max ${b.max}`);
    }
  });
}

function compileNumeric(
  p: NumericParameter,
  path: string,
  field: NumericField,
  inputIndex: (name: FieldName, path: string) => number,
  inputs: readonly PlanInput[],
  problems: string[],
): Omit<PlanParameter, 'name' | 'input'> {
  checkBands(p.bands, `${path}.bands`, problems);
  const conditionNames: FieldName[] = [];
  (p.variants ?? []).forEach((v, vi) => {
    checkBands(v.bands, `${path}.variants[${vi}].bands`, problems);
    for (const [name, code] of Object.entries(v.when)) {
      const f = FIELDS[name as FieldName];
      const where = `${path}.variants[${vi}].when.${name}`;
      if (f === undefined || f.kind !== 'discrete') {
        problems.push(`${where}: expected a discrete input field; "${name}" is not one`);
        continue;
      }
      if (!f.codes.includes(code as string)) {
        problems.push(`${where}: expected one of ${f.codes.join(', ')}; received ${JSON.stringify(code)}`);
        continue;
      }
      if (!conditionNames.includes(name as FieldName)) conditionNames.push(name as FieldName);
    }
  });
  const conditions = conditionNames.map((name) => inputIndex(name, path));
  const domain = conditions.map((k) => (inputs[k]?.field as DiscreteField).codes.length + 1); // + "unknown"
  const strides: number[] = [];
  let combos = 1;
  for (let c = conditions.length - 1; c >= 0; c--) {
    strides[c] = combos;
    combos *= domain[c] ?? NaN;
  }
  const [lo, hi] = quantizedRange(field);
  const segment = hi - lo + 2;
  const table = new Int8Array(combos * segment).fill(-1);
  let maxPoints = 0;
  // Faults of every band list, merged into ranges and reported once (not once per value or per condition).
  const faults = new BandFaults();
  for (let combo = 0; combo < combos; combo++) {
    // Every completion of the unknown conditions: the slot holds a value only when all completions agree.
    const states: number[][] = conditions.map((_, c) => {
      const s = Math.floor(combo / (strides[c] ?? NaN)) % (domain[c] ?? NaN);
      const d = (domain[c] ?? NaN) - 1;
      return s === d ? Array.from({ length: d }, (_, j) => j) : [s];
    });
    const completions: Map<FieldName, number>[] = [new Map()];
    states.forEach((options, c) => {
      const next: Map<FieldName, number>[] = [];
      for (const m of completions) for (const o of options) next.push(new Map(m).set(conditionNames[c] as FieldName, o));
      completions.splice(0, completions.length, ...next);
    });
    for (let q = lo; q <= hi; q++) {
      const candidates = new Set<number>();
      for (const state of completions) {
        const vi = (p.variants ?? []).findIndex((v) => variantMatches(v, state));
        const bands = vi < 0 ? p.bands : (p.variants?.[vi]?.bands ?? []);
        const hits = bandHits(bands, q, field);
        const where = vi < 0 ? `${path}.bands` : `${path}.variants[${vi}].bands`;
        if (hits.length === 0) faults.add(where, 'covered by no band', q);
        else if (hits.length > 1) faults.add(where, `covered by bands ${hits.slice(0, -1).join(', ')} and ${hits[hits.length - 1]}`, q);
        candidates.add(hits.length === 1 ? (bands[hits[0] ?? 0]?.points ?? -1) : -1);
      }
      const only = candidates.size === 1 ? ([...candidates][0] ?? -1) : -1;
      table[combo * segment + (q - lo) + 1] = only;
      if (only > maxPoints) maxPoints = only;
    }
  }
  faults.report(field, problems);
  return { conditions, strides, segment, table, maxPoints };
}

function compileRules(def: BandedScore, maxTotal: number, problems: string[]): Int8Array {
  const riskOfRule = new Int8Array(def.rules.length);
  def.rules.forEach((r: RiskRule, i) => {
    const k = def.risks.indexOf(r.risk);
    if (k < 0) problems.push(`rules[${i}].risk: expected one of ${def.risks.join(', ')}; received ${JSON.stringify(r.risk)}`);
    riskOfRule[i] = k;
  });
  const riskOf = new Int8Array((maxTotal + 1) * 2).fill(-1);
  if (def.rules.length === 0) return riskOf; // no published bands: risk is always null
  for (let t = 0; t <= maxTotal; t++) {
    for (let red = 0; red <= (def.redFlag === undefined ? 0 : 1); red++) {
      const rule = def.rules.findIndex(
        (r) =>
          (r.totalMin === undefined || t >= r.totalMin) &&
          (r.totalMax === undefined || t <= r.totalMax) &&
          (r.redFlag === undefined || r.redFlag === (red === 1)),
      );
      if (rule < 0) problems.push(`rules: no rule gives a risk band for total ${t}${red === 1 ? ' with the red flag raised' : ''}`);
      else riskOf[t * 2 + red] = riskOfRule[rule] ?? NaN;
    }
  }
  return riskOf;
}

/**
 * Compile a banded score definition into a plan: its inputs, one lookup table per parameter, and risk tables.
 * Runs in O(parameters × possible values × variant combinations) — microseconds for the published scores.
 *
 * @param def the score definition
 * @returns the plan the kernel generator and `scoreTable` use
 * @throws {DefinitionError} listing every problem with its JSON path
 */
export function planScore(def: BandedScore): ScorePlan {
  const problems: string[] = [];
  if (typeof def.id !== 'string' || !SCORE_ID_PATTERN.test(def.id)) {
    problems.push(`id: expected lower-case letters, digits and "_", starting with a letter; received ${JSON.stringify(def.id)}`);
  }
  const inputs: PlanInput[] = [];
  const inputIndex = (name: FieldName): number => {
    const found = inputs.findIndex((x) => x.field.field === name);
    if (found >= 0) return found;
    const field = FIELDS[name];
    inputs.push({ index: inputs.length, field, required: !(field.kind === 'discrete' && field.missingMeans !== undefined) });
    return inputs.length - 1;
  };
  const parameters: PlanParameter[] = [];
  /** Compile one parameter (or fallback) into its table; undefined when it is malformed. */
  const compileOne = (p: Parameter | FallbackParameter, path: string): Omit<PlanParameter, 'name' | 'fallback'> | undefined => {
    const field = FIELDS[p.field];
    if (field === undefined) {
      problems.push(`${path}.field: expected one of ${Object.keys(FIELDS).join(', ')}; received ${JSON.stringify(p.field)}`);
      return undefined;
    }
    const input = inputIndex(p.field);
    if (isNumericParameter(p)) {
      if (field.kind !== 'numeric') {
        problems.push(`${path}: "${p.field}" is discrete; expected "points" per code, not "bands"`);
        return undefined;
      }
      return { input, ...compileNumeric(p, path, field, inputIndex, inputs, problems) };
    }
    if (field.kind !== 'discrete') {
      problems.push(`${path}: "${p.field}" is numeric; expected "bands", not "points"`);
      return undefined;
    }
    if (p.points === null || typeof p.points !== 'object') {
      problems.push(`${path}.points: expected an object of points per code`);
      return undefined;
    }
    // −1: unknown state (no subscore); −2: a code this chart does not score (flag the input).
    const table = new Int8Array(field.codes.length + 1).fill(-1);
    field.codes.forEach((code, c) => {
      const pts = p.points[code];
      if (pts === undefined) problems.push(`${path}.points.${code}: no points given for code ${code} (use null for a code the chart does not score)`);
      else if (pts === null) table[c] = NOT_ON_CHART;
      else if (!Number.isInteger(pts) || pts < 0 || pts > 100) problems.push(`${path}.points.${code}: expected an integer 0–100 or null`);
      else table[c] = pts;
    });
    for (const key of Object.keys(p.points)) {
      if (!field.codes.includes(key)) problems.push(`${path}.points.${key}: not a code of ${p.field} (${field.codes.join(', ')})`);
    }
    return { input, conditions: [], strides: [], segment: table.length, table, maxPoints: Math.max(0, ...table) };
  };
  def.parameters.forEach((p: Parameter, i) => {
    const path = `parameters[${i}]`;
    if (parameters.some((q) => q.name === p.field)) problems.push(`${path}.field: "${p.field}" is scored twice`);
    const main = compileOne(p, path);
    if (main === undefined) return;
    let fallback: PlanParameter['fallback'];
    if (p.fallback !== undefined) {
      const fb = compileOne(p.fallback, `${path}.fallback`);
      if (fb !== undefined) {
        if ('variants' in p.fallback || 'fallback' in p.fallback) problems.push(`${path}.fallback: a fallback has no variants or fallback of its own`);
        if (fb.input === main.input) problems.push(`${path}.fallback.field: the fallback must read another input than "${p.field}"`);
        fallback = { input: fb.input, table: fb.table };
      }
    }
    const maxPoints = Math.max(main.maxPoints, fallback === undefined ? 0 : Math.max(0, ...fallback.table));
    parameters.push({ name: p.field, ...main, maxPoints, ...(fallback === undefined ? {} : { fallback }) });
  });
  // A fallback input shares its missing state with its primary: it may not be read by any other parameter.
  parameters.forEach((p, j) => {
    if (p.fallback === undefined) return;
    const k = p.fallback.input;
    const others = parameters.some((q, i) => i !== j && (q.input === k || q.conditions.includes(k) || q.fallback?.input === k));
    if (others || p.conditions.includes(k))
      problems.push(`parameters[${j}].fallback: its input is read elsewhere in the score; a fallback input must be its own`);
  });
  if (inputs.length > MAX_INPUTS) problems.push(`parameters: at most ${MAX_INPUTS} inputs; the definition reads ${inputs.length}`);
  if (def.parameters.length === 0) problems.push('parameters: expected at least one parameter');
  const maxTotal = parameters.reduce((s, p) => s + p.maxPoints, 0);
  const riskOf = compileRules(def, maxTotal, problems);
  if (problems.length > 0) throw new DefinitionError('planScore', problems);
  return { definition: def, inputs, parameters, maxTotal, redMin: def.redFlag?.minPoints ?? Infinity, riskOf };
}

/** The plan of a definition, compiled once per definition object. */
export const planOf: (def: BandedScore) => ScorePlan = cachedBy(planScore);
