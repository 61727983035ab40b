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
import { MAX_INPUTS, missingBit, quantizedPlausible, quantizedRange } from '../plan/compile.js';
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

/**
 * Row i's validity bit of input k. The loop reads each nullable column's validity byte once per 8 rows into w_k (see
 * generateKernelSource): a byte load per row per column cost ~6 % of the 5 %-missing path.
 */
const validBit = (k: number): string => `((w${k} >> (i & 7)) & 1)`;

function numericRead(k: number, field: NumericField, layout: ReaderLayout): string {
  const [lo, hi] = quantizedRange(field);
  const [plo, phi] = quantizedPlausible(field);
  const scale = 10 ** field.precision;
  const half = field.rounding === 'half-up' ? 0.5 : 0;
  if (field.possible[0] < 0) throw new RangeError('kernel: numeric fields must have a non-negative possible minimum');
  if (layout.kind === 'absent') return `const s${k} = 0;\nst |= ${missingBit(k)};`;
  const slot = `(x${k} | 0) ${lo >= 1 ? `- ${lo - 1}` : `+ ${1 - lo}`}`;
  // Branch-free where the data decide: a missing or unusable value takes slot 0 (no subscore) by masking with −ok and
  // sets its bit, so a row with a null costs what a clean row costs. (With 5 % of each column null, the kernel took
  // 1.3× its clean time with branches here and in the plausibility check below; 1.16× without — scratch A/B, 1M rows.)
  const lines = [`const x${k} = V${k}[i] * ${scale} + ${half + 1e-9};`, `const ok${k} = x${k} >= ${lo} && x${k} < ${hi + 1} ? 1 : 0;`];
  // Possible but not plausible: scored, and flagged for verification. On the slot: a usable slot s lies in
  // 1…hi−lo+1; it is outside the plausible slots [a, b] exactly when s − a or b − s is negative, i.e. when their OR
  // has its sign bit set (small integers: no overflow). A comparison here was a branch, and a null row's slot 0 is
  // always outside: taken at random on the 5 %-missing path.
  const a = plo - lo + 1;
  const b = phi - lo + 1;
  const outside = plo === lo && phi === hi ? null : `(((s${k} - ${a}) | (${b} - s${k})) >>> 31)`;
  if (!layout.nullable) {
    lines.push(`const s${k} = (${slot}) & -ok${k};`, `st |= (ok${k} ^ 1) << ${16 + k};`);
    if (outside !== null) lines.push(`vf |= (ok${k} & ${outside}) << ${k};`);
  } else {
    // The null slot's value is arbitrary: read it anyway and mask with the validity bit.
    lines.push(
      `const b${k} = ${validBit(k)};`,
      `const s${k} = (${slot}) & -(ok${k} & b${k});`,
      `st |= ((b${k} ^ 1) << ${k}) | (((ok${k} ^ 1) & b${k}) << ${16 + k});`,
    );
    if (outside !== null) lines.push(`vf |= (ok${k} & b${k} & ${outside}) << ${k};`);
  }
  return lines.join('\n');
}

function discreteRead(k: number, field: DiscreteField, layout: ReaderLayout): string {
  // m: code index ≥ 0, −1 missing, −2 not a code. Branch-free, as numericRead.
  const d = field.codes.length; // the "unknown" state
  let m: string;
  switch (layout.kind) {
    case 'bits':
      m = `((V${k}[(O${k} + i) >> 3] >> ((O${k} + i) & 7)) & 1)`;
      break;
    case 'numcode': {
      // −2 plus (j + 2) for the one code the value equals, if any; NaN equals none.
      const values = field.accepts === 'boolean' ? [0, 1] : field.codes.map(Number);
      m = `(-2 + ${values.map((v, j) => `((V${k}[i] === ${v}) * ${j + 2})`).join(' + ')})`;
      break;
    }
    case 'dict':
      // A null row's key is arbitrary and may lie outside the dictionary: read as "not a code", then masked.
      m = `(M${k}[V${k}[i]] ?? -2)`;
      break;
    case 'codes':
      m = `V${k}[i]`;
      break;
    default:
      m = '-1';
  }
  const lines = [`let m${k} = ${m};`];
  if (layout.nullable && layout.kind !== 'absent') lines.push(`m${k} = ((m${k} + 1) & -${validBit(k)}) - 1;`);
  // s: the code, else (missing with a meaning) that code, else the "unknown" state.
  const meant = field.missingMeans !== undefined ? field.codes.indexOf(field.missingMeans) : -1;
  const fill = meant >= 0 ? `(${d} - ${d - meant} * (m${k} === -1))` : `${d}`;
  const neg = `(m${k} >> 31)`;
  lines.push(`const s${k} = (m${k} & ~${neg}) | (${fill} & ${neg});`);
  lines.push(meant >= 0 ? `st |= (m${k} === -2) << ${16 + k};` : `st |= ((m${k} === -1) << ${k}) | ((m${k} === -2) << ${16 + k});`);
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
  const nullable = group.inputs.map((_, k) => k).filter((k) => layouts[k]?.nullable === true && layouts[k]?.kind !== 'absent');
  const indent = (pad: string) => body.map((l) => `${pad}${l.replace(/\n/g, `\n${pad}`)}`);
  if (nullable.length === 0) return [...pre, 'for (let i = 0; i < n; i++) {', ...indent('  '), '}', ...post].join('\n');
  // Blocks of 8 rows: each nullable column's validity byte is read once per block.
  return [
    ...pre,
    'for (let j = 0, i = 0; i < n; j++) {',
    `  ${nullable.map((k) => `const w${k} = B${k}[j];`).join(' ')}`,
    '  const end = i + 8 < n ? i + 8 : n;',
    '  for (; i < end; i++) {',
    ...indent('    '),
    '  }',
    '}',
    ...post,
  ].join('\n');
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
