/**
 * The compiler's second stage: a score plan + the layout of the input columns → one JavaScript function that
 * scores a batch in a single pass (parse → codegen → compile, as arquero does for expressions). The loop body is
 * straight-line code: each numeric input is scaled, checked against its possible range and turned into a slot of
 * its parameter's lookup table; discrete inputs become code indices; the null path of each column is chosen
 * outside the loop, when the function is generated. Nothing is allocated per row.
 *
 * The readable form of what the generated code does, per row i:
 *
 *   st = 0                                          // status: bit k missing input k, bit 16+k flagged input k
 *   vf = 0                                          // bit k: input k scored but outside its plausible range (verify)
 *   for each numeric input k:
 *     if null → st |= missing(k), slot_k = 0
 *     x = value * 10^precision + 0.5 + guard      // round half-up at chart precision
 *     slot_k = lo ≤ x < hi+1 ? floor(x) − lo + 1 : (st |= flagged(k), 0)     // [lo, hi]: the possible range
 *     if slot_k > 0 and x outside the plausible range → vf |= 1 << k
 *   for each discrete input k: state_k = code, or "unknown" (with missing/flagged bit) — or the default code
 *   for each parameter j: p_j = table_j[segment(condition states) + slot]   // −1 = no subscore
 *   total = st == 0 ? Σ p_j : (policy zero and nothing flagged ? Σ max(p_j, 0) : −1)
 *   red = any p_j ≥ redMin;  risk = total ≥ 0 ? riskOf[total·2 + red] : −1
 */
import type { PlanInput, PlanParameter } from '../plan/compile.js';
import type { PlanTerm } from '../plan/model-plan.js';
import { flagBit, MAX_INPUTS, missingBit, quantizedPlausible, quantizedRange } from '../plan/compile.js';
import type { AnyPlan } from '../kinds/kind.js';
import type { KernelInput, KernelOutput, ModelKernelOutput } from './kernel-part.js';
import { kernelPartOf } from './batch-kinds.js';
import { unionInputs } from '../plan/union.js';
import type { DiscreteField, NumericField } from '../definition/schema.js';

/** How one input column is read. */
export type ReaderKind =
  | 'numeric' // number typed array
  | 'bits' // Arrow Bool, bit-packed
  | 'numcode' // a discrete input stored as numbers (on_oxygen 0/1, spo2_scale 1/2)
  | 'dict' // dictionary indices, mapped to codes per batch
  | 'codes' // precomputed Int8Array of codes (−1 missing, −2 unknown)
  | 'absent'; // column absent or of Arrow type Null: every row null

export interface ReaderLayout {
  readonly kind: ReaderKind;
  /** The batch has a validity bitmap for this column (chosen outside the loop). */
  readonly nullable: boolean;
}

/** The compiled batch function: fills one output per score of the group. */
export type BatchKernel = (n: number, inputs: readonly KernelInput[], outs: (KernelOutput | ModelKernelOutput)[]) => void;

function numericRead(k: number, field: NumericField, layout: ReaderLayout): string {
  const [lo, hi] = quantizedRange(field);
  const [plo, phi] = quantizedPlausible(field);
  const scale = 10 ** field.precision;
  const half = field.rounding === 'half-up' ? 0.5 : 0;
  if (field.possible[0] < 0) throw new RangeError('kernel: numeric fields must have a non-negative possible minimum');
  if (layout.kind === 'absent') return `const s${k} = 0;\nst |= ${missingBit(k)};`;
  const slot = `(x${k} | 0) ${lo >= 1 ? `- ${lo - 1}` : `+ ${1 - lo}`}`;
  const lines = [`const x${k} = V${k}[i] * ${scale} + ${half + 1e-9};`, `const ok${k} = x${k} >= ${lo} && x${k} < ${hi + 1} ? 1 : 0;`];
  // Possible but not plausible: scored, and flagged for verification. Branch-free on the slot: a usable slot s lies in
  // 1…hi−lo+1; it is outside the plausible slots [a, a+w] exactly when (s − a) as an unsigned number exceeds w.
  const a = plo - lo + 1;
  const w = phi - plo;
  const outside = plo === lo && phi === hi ? null : `(((s${k} - ${a}) >>> 0) > ${w} ? 1 : 0)`;
  if (!layout.nullable) {
    // Branch-free: an unusable value takes slot 0 (no subscore) and sets its flag bit.
    lines.push(`const s${k} = ok${k} === 1 ? ${slot} : 0;`, `st |= (ok${k} ^ 1) << ${16 + k};`);
    if (outside !== null) lines.push(`vf |= (ok${k} & ${outside}) << ${k};`);
  } else {
    // The null slot's value is arbitrary: read it anyway and mask with the validity bit.
    lines.push(
      `const b${k} = (B${k}[i >> 3] >> (i & 7)) & 1;`,
      `const s${k} = (ok${k} & b${k}) === 1 ? ${slot} : 0;`,
      `st |= ((b${k} ^ 1) << ${k}) | (((ok${k} ^ 1) & b${k}) << ${16 + k});`,
    );
    if (outside !== null) lines.push(`vf |= (ok${k} & b${k} & ${outside}) << ${k};`);
  }
  return lines.join('\n');
}

function discreteRead(k: number, field: DiscreteField, layout: ReaderLayout): string {
  // m: code index ≥ 0, −1 missing, −2 not a code.
  const d = field.codes.length; // the "unknown" state
  let m: string;
  switch (layout.kind) {
    case 'bits':
      m = `((V${k}[(O${k} + i) >> 3] >> ((O${k} + i) & 7)) & 1)`;
      break;
    case 'numcode': {
      const values = field.accepts === 'boolean' ? [0, 1] : field.codes.map(Number);
      m = `(v${k} === ${values[0]} ? 0 : ${values
        .slice(1)
        .map((v, j) => `v${k} === ${v} ? ${j + 1} : `)
        .join('')}-2)`;
      break;
    }
    case 'dict':
      m = `M${k}[V${k}[i]]`;
      break;
    case 'codes':
      m = `V${k}[i]`;
      break;
    default:
      m = '-1';
  }
  const lines = [`let s${k} = ${d};`];
  if (layout.kind === 'numcode') lines.push(`const v${k} = V${k}[i];`);
  const whenMissing = field.missingMeans !== undefined ? `s${k} = ${field.codes.indexOf(field.missingMeans)};` : `st |= ${missingBit(k)};`;
  const read = [`const m${k} = ${m};`, `if (m${k} >= 0) s${k} = m${k}; else if (m${k} === -1) { ${whenMissing} } else st |= ${flagBit(k)};`];
  if (layout.nullable && layout.kind !== 'absent') {
    lines.push(`if ((B${k}[i >> 3] >> (i & 7)) & 1) {`, ...read, `} else { ${whenMissing} }`);
  } else {
    lines.push(...read);
  }
  return lines.join('\n');
}

/** Several score plans read together: the union of their inputs, and where each plan's inputs sit in it. */
export interface PlanGroup {
  readonly inputs: readonly PlanInput[];
  readonly scores: readonly { readonly plan: AnyPlan; readonly map: readonly number[] }[];
}

/**
 * Group plans so one kernel reads each input column once for all of them.
 *
 * @returns the group, or `undefined` when the union of inputs exceeds the status word (16 inputs)
 */
export function groupPlans(plans: readonly AnyPlan[]): PlanGroup | undefined {
  const { inputs, maps } = unionInputs(plans);
  return inputs.length > MAX_INPUTS ? undefined : { inputs, scores: plans.map((plan, g) => ({ plan, map: maps[g] ?? [] })) };
}

/**
 * Generate the source of the batch kernel for a group of plans and a column layout. Exposed for tests and for the
 * curious: the public `kernelSource(news2, table)` (kernel/score-table.ts) shows exactly what runs on a table.
 */
export function generateKernelSource(group: PlanGroup, layouts: readonly ReaderLayout[], zeroMissing: boolean): string {
  const pre: string[] = [];
  group.inputs.forEach((_, k) => {
    pre.push(`const V${k} = inputs[${k}].values, B${k} = inputs[${k}].validity, O${k} = inputs[${k}].offset, M${k} = inputs[${k}].map;`);
  });
  const post: string[] = [];
  group.scores.forEach(({ plan }, g) => {
    const part = kernelPartOf(plan);
    pre.push(...part.prelude(g, plan));
    post.push(...part.epilogue(g));
  });
  const body: string[] = ['let st = 0;', 'let vf = 0;'];
  group.inputs.forEach((input, k) => {
    const layout = layouts[k] as ReaderLayout;
    body.push(input.field.kind === 'numeric' ? numericRead(k, input.field, layout) : discreteRead(k, input.field, layout));
  });
  group.scores.forEach(({ plan, map }, g) => body.push(...kernelPartOf(plan).body(g, plan, map, zeroMissing)));
  return [...pre, 'for (let i = 0; i < n; i++) {', ...body.map((l) => `  ${l.replace(/\n/g, '\n  ')}`), '}', ...post].join('\n');
}

const cache = new Map<string, BatchKernel>();
const planIds = new WeakMap<AnyPlan, number>();
let nextPlanId = 0;

function planId(plan: AnyPlan): number {
  let id = planIds.get(plan);
  if (id === undefined) {
    id = nextPlanId++;
    planIds.set(plan, id);
  }
  return id;
}

/**
 * The batch kernel for a group of plans and a column layout, generated once and cached.
 *
 * @param group the plans scored together, with their union of inputs
 * @param layouts one reader layout per group input
 * @param zeroMissing the research option: missing parameters score 0
 */
export function batchKernel(group: PlanGroup, layouts: readonly ReaderLayout[], zeroMissing: boolean): BatchKernel {
  const key = `${group.scores.map((s) => planId(s.plan)).join('+')}|${zeroMissing ? 'z' : 'n'}|${layouts.map((l) => `${l.kind}${l.nullable ? '?' : ''}`).join(',')}`;
  let kernel = cache.get(key);
  if (kernel === undefined) {
    const source = generateKernelSource(group, layouts, zeroMissing);
    const factory = new Function('tables', 'risks', `return function scoreKernel(n, inputs, outs) {\n${source}\n};`) as (
      tables: readonly (readonly (PlanParameter | PlanTerm)[])[],
      risks: readonly (Int8Array | null)[],
    ) => BatchKernel;
    kernel = factory(
      group.scores.map((s) => kernelPartOf(s.plan).tables(s.plan)),
      group.scores.map((s) => kernelPartOf(s.plan).risks(s.plan)),
    );
    cache.set(key, kernel);
  }
  return kernel;
}
