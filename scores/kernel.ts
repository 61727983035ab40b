/**
 * The compiler's second stage: a score plan + the layout of the input columns → one JavaScript function that
 * scores a batch in a single pass (parse → codegen → compile, as arquero does for expressions). The loop body is
 * straight-line code: each numeric input is scaled, checked against its plausible range and turned into a slot of
 * its parameter's lookup table; discrete inputs become code indices; the null path of each column is chosen
 * outside the loop, when the function is generated. Nothing is allocated per row.
 *
 * The readable form of what the generated code does, per row i:
 *
 *   st = 0                                          // status: bit k missing input k, bit 16+k flagged input k
 *   for each numeric input k:
 *     if null → st |= missing(k), slot_k = 0
 *     x = value * 10^precision + 0.5 + guard      // round half-up at chart precision
 *     slot_k = lo ≤ x < hi+1 ? floor(x) − lo + 1 : (st |= flagged(k), 0)
 *   for each discrete input k: state_k = code, or "unknown" (with missing/flagged bit) — or the default code
 *   for each parameter j: p_j = table_j[segment(condition states) + slot]   // −1 = no subscore
 *   total = st == 0 ? Σ p_j : (policy zero and nothing flagged ? Σ max(p_j, 0) : −1)
 *   red = any p_j ≥ redMin;  risk = total ≥ 0 ? riskOf[total·2 + red] : −1
 */
import type { ScorePlan } from './compile.js';
import { flagBit, missingBit, quantizedRange } from './compile.js';
import type { DiscreteField, NumericField } from './schema.js';

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

/** What the generated kernel receives for one batch. */
export interface KernelInput {
  values: ArrayLike<number> | null;
  validity: Uint8Array | null;
  offset: number;
  /** For `dict`: dictionary index → code (−1 missing, −2 unknown). */
  map: Int8Array | null;
}

export interface KernelOutput {
  subscores: Int8Array[];
  total: Int8Array | Int16Array;
  risk: Int8Array;
  /** Bit-packed, LSB first. */
  red: Uint8Array;
  complete: Uint8Array;
  /** Rows whose status word is not 0 (missing or flagged inputs), in row order, and their status words. */
  exceptionRows: Int32Array;
  exceptionStatus: Uint32Array;
}

/** The compiled batch function: returns the number of exception rows written to `out.exceptionRows`. */
export type BatchKernel = (n: number, inputs: readonly KernelInput[], out: KernelOutput) => number;

function numericRead(k: number, field: NumericField, layout: ReaderLayout): string {
  const [lo, hi] = quantizedRange(field);
  const scale = 10 ** field.precision;
  const half = field.rounding === 'half-up' ? 0.5 : 0;
  if (field.plausible[0] < 0) throw new RangeError('kernel: numeric fields must have a non-negative plausible minimum');
  if (layout.kind === 'absent') return `const s${k} = 0;\nst |= ${missingBit(k)};`;
  const slot = `(x${k} | 0) ${lo >= 1 ? `- ${lo - 1}` : `+ ${1 - lo}`}`;
  const lines = [
    `const x${k} = V${k}[i] * ${scale} + ${half + 1e-9};`,
    `const ok${k} = x${k} >= ${lo} && x${k} < ${hi + 1} ? 1 : 0;`,
  ];
  if (!layout.nullable) {
    // Branch-free: an unusable value takes slot 0 (no subscore) and sets its flag bit.
    lines.push(`const s${k} = ok${k} === 1 ? ${slot} : 0;`, `st |= (ok${k} ^ 1) << ${16 + k};`);
  } else {
    // The null slot's value is arbitrary: read it anyway and mask with the validity bit.
    lines.push(
      `const b${k} = (B${k}[(O${k} + i) >> 3] >> ((O${k} + i) & 7)) & 1;`,
      `const s${k} = (ok${k} & b${k}) === 1 ? ${slot} : 0;`,
      `st |= ((b${k} ^ 1) << ${k}) | (((ok${k} ^ 1) & b${k}) << ${16 + k});`,
    );
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
      m = `(v${k} === ${values[0]} ? 0 : ${values.slice(1).map((v, j) => `v${k} === ${v} ? ${j + 1} : `).join('')}-2)`;
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
  const whenMissing =
    field.missingMeans !== undefined ? `s${k} = ${field.codes.indexOf(field.missingMeans)};` : `st |= ${missingBit(k)};`;
  const read = [
    `const m${k} = ${m};`,
    `if (m${k} >= 0) s${k} = m${k}; else if (m${k} === -1) { ${whenMissing} } else st |= ${flagBit(k)};`,
  ];
  if (layout.nullable && layout.kind !== 'absent') {
    lines.push(`if ((B${k}[(O${k} + i) >> 3] >> ((O${k} + i) & 7)) & 1) {`, ...read, `} else { ${whenMissing} }`);
  } else {
    lines.push(...read);
  }
  return lines.join('\n');
}

/**
 * Generate the source of the batch kernel for a plan and a column layout. Exposed for tests and for the curious:
 * `console.log(kernelSource(planOf(news2), layouts))` shows exactly what runs.
 */
export function kernelSource(plan: ScorePlan, layouts: readonly ReaderLayout[], zeroMissing: boolean): string {
  const pre: string[] = [];
  plan.inputs.forEach((_, k) => {
    pre.push(`const V${k} = inputs[${k}].values, B${k} = inputs[${k}].validity, O${k} = inputs[${k}].offset, M${k} = inputs[${k}].map;`);
  });
  plan.parameters.forEach((_, j) => pre.push(`const L${j} = tables[${j}], P${j} = out.subscores[${j}];`));
  pre.push('const T = out.total, R = out.risk, RED = out.red, CMP = out.complete, EXI = out.exceptionRows, EXS = out.exceptionStatus;');
  pre.push('let ne = 0, redBits = 0, cmpBits = 0;');

  const body: string[] = ['let st = 0;'];
  plan.inputs.forEach((input, k) => {
    const layout = layouts[k] as ReaderLayout;
    body.push(input.field.kind === 'numeric' ? numericRead(k, input.field, layout) : discreteRead(k, input.field, layout));
  });
  const ps: string[] = [];
  plan.parameters.forEach((p, j) => {
    const segment = p.conditions.map((c, ci) => `s${c} * ${(p.strides[ci] as number) * p.segment}`).join(' + ') || '0';
    body.push(`const p${j} = L${j}[${segment} + s${p.input}];`, `P${j}[i] = p${j};`);
    ps.push(`p${j}`);
  });
  const sum = ps.join(' + ');
  const zeroSum = ps.map((p) => `(${p} < 0 ? 0 : ${p})`).join(' + ');
  const flagMask = plan.inputs.reduce((m, _, k) => (m | flagBit(k)) >>> 0, 0);
  body.push(
    zeroMissing
      ? `const t = st === 0 ? ${sum} : (st & ${flagMask}) === 0 ? ${zeroSum} : -1;`
      : `const t = st === 0 ? ${sum} : -1;`,
  );
  const redExpr = Number.isFinite(plan.redMin) ? ps.map((p) => `(${p} >= ${plan.redMin})`).join(' | ') : '0';
  body.push(
    `const red = ${redExpr};`,
    'T[i] = t;',
    'R[i] = t >= 0 ? RK[t * 2 + red] : -1;',
    // Branch-free append: always write, advance only when the row has a status.
    'EXI[ne] = i;',
    'EXS[ne] = st;',
    'ne += st !== 0 ? 1 : 0;',
    'redBits |= red << (i & 7);',
    'cmpBits |= (st === 0 ? 1 : 0) << (i & 7);',
    'if ((i & 7) === 7) { RED[i >> 3] = redBits; CMP[i >> 3] = cmpBits; redBits = 0; cmpBits = 0; }',
  );
  return [
    ...pre,
    'for (let i = 0; i < n; i++) {',
    ...body.map((l) => `  ${l.replace(/\n/g, '\n  ')}`),
    '}',
    'if ((n & 7) !== 0) { RED[n >> 3] = redBits; CMP[n >> 3] = cmpBits; }',
    'return ne;',
  ].join('\n');
}

const cache = new WeakMap<ScorePlan, Map<string, BatchKernel>>();

/**
 * The batch kernel for a plan and column layout, generated once and cached.
 *
 * @param plan the compiled score plan
 * @param layouts one reader layout per plan input
 * @param zeroMissing the research option: missing parameters score 0
 */
export function batchKernel(plan: ScorePlan, layouts: readonly ReaderLayout[], zeroMissing: boolean): BatchKernel {
  let byLayout = cache.get(plan);
  if (byLayout === undefined) {
    byLayout = new Map();
    cache.set(plan, byLayout);
  }
  const key = `${zeroMissing ? 'z' : 'n'}:${layouts.map((l) => `${l.kind}${l.nullable ? '?' : ''}`).join(',')}`;
  let kernel = byLayout.get(key);
  if (kernel === undefined) {
    const source = kernelSource(plan, layouts, zeroMissing);
    const factory = new Function('tables', 'RK', `return function scoreKernel(n, inputs, out) {\n${source}\n};`) as (
      tables: readonly Int8Array[],
      riskOf: Int8Array,
    ) => BatchKernel;
    kernel = factory(
      plan.parameters.map((p) => p.table),
      plan.riskOf,
    );
    byLayout.set(key, kernel);
  }
  return kernel;
}
