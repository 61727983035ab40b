/**
 * The banded kind's part of the batch kernel (see kernel.ts for the readable form of the loop): per parameter, a
 * lookup of points by input slot (and condition states, for NEWS2 Scale 2), the total under the missing-value policy,
 * the red score, and the risk band from the precomputed risk table.
 */
import type { PlanParameter, ScorePlan } from '../plan/compile.js';
import { flagBit, missingBit, NOT_ON_CHART } from '../plan/compile.js';
import { bitmapBytes } from './output-columns.js';
import type { KernelOutput, KernelPart } from './kernel-part.js';

function body(g: number, plan: ScorePlan, map: readonly number[], zeroMissing: boolean): string[] {
  const u = (k: number): number => map[k] ?? NaN;
  const mask = plan.inputs.reduce((m, _, k) => (m | missingBit(u(k)) | flagBit(u(k))) >>> 0, 0);
  const verifyMask = plan.inputs.reduce((m, _, k) => m | (1 << u(k)), 0);
  const body: string[] = [`// score ${plan.definition.id}`, `let st${g} = st & ${mask};`, `const vf${g} = vf & ${verifyMask};`];
  const ps: string[] = [];
  plan.parameters.forEach((p, j) => {
    const v = `a${g}_${j}`;
    const segment = p.conditions.map((c, ci) => `s${u(c)} * ${(p.strides[ci] ?? NaN) * p.segment}`).join(' + ') || '0';
    const primary = `L${g}_${j}[${segment} + s${u(p.input)}]`;
    if (p.fallback === undefined) body.push(`const ${v} = ${primary};`);
    else body.push(`const ${v} = (st & ${missingBit(u(p.input))}) !== 0 ? F${g}_${j}[s${u(p.fallback.input)}] : ${primary};`);
    const notOnChart = (t: Int8Array, k: number): string[] => (t.includes(NOT_ON_CHART) ? [`if (${v} === ${NOT_ON_CHART}) st${g} |= ${flagBit(u(k))};`] : []);
    body.push(...notOnChart(p.table, p.input));
    if (p.fallback !== undefined) {
      body.push(...notOnChart(p.fallback.table, p.fallback.input));
      // Missing only when both the input and its fallback are missing.
      const pair = (missingBit(u(p.input)) | missingBit(u(p.fallback.input))) >>> 0;
      body.push(`if ((st${g} & ${pair}) !== ${pair}) st${g} &= ${~pair};`);
    }
    body.push(`P${g}_${j}[i] = ${v};`);
    ps.push(v);
  });
  const sum = ps.join(' + ');
  const zeroSum = ps.map((p) => `(${p} < 0 ? 0 : ${p})`).join(' + ');
  const flagMask = plan.inputs.reduce((m, _, k) => (m | flagBit(u(k))) >>> 0, 0);
  // Branch-free: nz is 1 when the row has any status bit ((x | −x) has its sign bit set exactly when x ≠ 0), and
  // −1 (all bits) or 0 masks the total; tn is −1 when there is no total, which masks the risk look-up to entry 0/1.
  body.push(
    `const nz${g} = (st${g} | -st${g}) >>> 31;`,
    zeroMissing
      ? `const t${g} = st${g} === 0 ? ${sum} : (st${g} & ${flagMask}) === 0 ? ${zeroSum} : -1;`
      : `const t${g} = ((${sum}) & (nz${g} - 1)) | -nz${g};`,
  );
  const redExpr = Number.isFinite(plan.redMin) ? ps.map((p) => `(${p} >= ${plan.redMin})`).join(' | ') : '0';
  body.push(
    `const red${g} = ${redExpr};`,
    `const tn${g} = t${g} >> 31;`,
    `T${g}[i] = t${g};`,
    `R${g}[i] = RK${g}[(t${g} & ~tn${g}) * 2 + red${g}] | tn${g};`,
    // Branch-free append: always write, advance only when the row has a status.
    `EXI${g}[ne${g}] = i;`,
    `EXS${g}[ne${g}] = st${g};`,
    `EXV${g}[ne${g}] = vf${g};`,
    `ne${g} += (st${g} | vf${g} | -(st${g} | vf${g})) >>> 31;`,
    `redBits${g} |= red${g} << (i & 7);`,
    `cmpBits${g} |= (nz${g} ^ 1) << (i & 7);`,
    `if ((i & 7) === 7) { RED${g}[i >> 3] = redBits${g}; CMP${g}[i >> 3] = cmpBits${g}; redBits${g} = 0; cmpBits${g} = 0; }`,
  );
  return body;
}

/** The banded kind's kernel part. */
export const bandedKernel: KernelPart<ScorePlan> = {
  prelude(g, plan) {
    const pre: string[] = [];
    plan.parameters.forEach((p, j) => {
      pre.push(`const L${g}_${j} = tables[${g}][${j}].table, P${g}_${j} = outs[${g}].subscores[${j}];`);
      if (p.fallback !== undefined) pre.push(`const F${g}_${j} = tables[${g}][${j}].fallback.table;`);
    });
    pre.push(
      `const RK${g} = risks[${g}], T${g} = outs[${g}].total, R${g} = outs[${g}].risk, RED${g} = outs[${g}].red, CMP${g} = outs[${g}].complete;`,
      `const EXI${g} = outs[${g}].exceptionRows, EXS${g} = outs[${g}].exceptionStatus, EXV${g} = outs[${g}].exceptionVerify;`,
      `let ne${g} = 0, redBits${g} = 0, cmpBits${g} = 0;`,
    );
    return pre;
  },
  body,
  epilogue: (g) => [`if ((n & 7) !== 0) { RED${g}[n >> 3] = redBits${g}; CMP${g}[n >> 3] = cmpBits${g}; }`, `outs[${g}].exceptions = ne${g};`],
  tables: (plan): readonly PlanParameter[] => plan.parameters,
  risks: (plan) => plan.riskOf,
  newOutput(plan, n): KernelOutput {
    const bytes = bitmapBytes(n);
    return {
      subscores: plan.parameters.map(() => new Int8Array(n)),
      total: plan.maxTotal > 127 ? new Int16Array(n) : new Int8Array(n),
      risk: new Int8Array(n),
      red: new Uint8Array(bytes),
      complete: new Uint8Array(bytes),
      exceptionRows: new Int32Array(n),
      exceptionStatus: new Uint32Array(n),
      exceptionVerify: new Uint16Array(n),
      exceptions: 0,
    };
  },
  imputedMask: () => 0,
};
