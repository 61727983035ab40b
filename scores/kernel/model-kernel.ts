/**
 * The model kind's part of the batch kernel: per term, a contribution looked up by input slot (or its imputed value
 * when missing), the linear predictor, the logistic probability and the risk zone — raised to at least the escalation
 * zone when any input holds an extreme value (a bit per input, recorded on the exception list as `escalated_by`).
 */
import type { ModelPlan, PlanTerm } from '../plan/model-plan.js';
import { flagBit, missingBit } from '../plan/compile.js';
import { bitmapBytes } from './output-columns.js';
import type { KernelPart, ModelKernelOutput } from './kernel-part.js';

function body(g: number, plan: ModelPlan, map: readonly number[]): string[] {
  const u = (k: number): number => map[k] ?? NaN;
  const mask = plan.inputs.reduce((m, _, k) => (m | missingBit(u(k)) | flagBit(u(k))) >>> 0, 0);
  // The result is void when any input is flagged, or missing without an imputation rule.
  const voidMask = plan.terms.reduce((m, t) => (m | flagBit(u(t.input)) | (t.imputeSlot < 0 ? missingBit(u(t.input)) : 0)) >>> 0, 0);
  const verifyMask = plan.inputs.reduce((m, _, k) => m | (1 << u(k)), 0);
  const body: string[] = [`// model ${plan.definition.id}`, `const st${g} = st & ${mask};`, `const vf${g} = vf & ${verifyMask};`];
  const cs: string[] = [];
  plan.terms.forEach((t, j) => {
    const v = `c${g}_${j}`;
    const slot = `C${g}_${j}[s${u(t.input)}]`;
    body.push(
      t.imputeSlot >= 0 ? `const ${v} = (st & ${missingBit(u(t.input))}) !== 0 ? ${t.table[t.imputeSlot] ?? NaN} : ${slot};` : `const ${v} = ${slot};`,
      `W${g}_${j}[i] = ${v};`,
    );
    cs.push(v);
  });
  const zone = Array.from(plan.cuts, (c) => `(pr${g} >= ${c} ? 1 : 0)`).join(' + ') || '0';
  // Escalation: bit k (group input k) when input k holds an extreme value; the zone is then at least EZ.
  const escalating = plan.terms.filter((t) => t.extreme.includes(1));
  const esc = escalating.map((t) => `(X${g}_${plan.terms.indexOf(t)}[s${u(t.input)}] << ${u(t.input)})`).join(' | ') || '0';
  const ez = plan.escalateZone;
  body.push(
    `const void${g} = (st${g} & ${voidMask}) !== 0;`,
    `const lp${g} = void${g} ? NaN : ${plan.definition.intercept} + ${cs.join(' + ')};`,
    `const pr${g} = 1 / (1 + Math.exp(-lp${g}));`,
    `const esc${g} = ${esc};`,
    `const z${g} = void${g} ? -1 : ${zone};`,
    `LP${g}[i] = lp${g};`,
    `PR${g}[i] = pr${g};`,
    `R${g}[i] = esc${g} !== 0 && z${g} < ${ez} ? ${ez} : z${g};`,
    `EXI${g}[ne${g}] = i;`,
    `EXS${g}[ne${g}] = st${g};`,
    `EXV${g}[ne${g}] = vf${g};`,
    `EXE${g}[ne${g}] = esc${g};`,
    `ne${g} += (st${g} | vf${g} | esc${g}) !== 0 ? 1 : 0;`,
    `cmpBits${g} |= (st${g} === 0 ? 1 : 0) << (i & 7);`,
    `if ((i & 7) === 7) { CMP${g}[i >> 3] = cmpBits${g}; cmpBits${g} = 0; }`,
  );
  return body;
}

/** The model kind's kernel part. */
export const modelKernel: KernelPart<ModelPlan> = {
  prelude(g, plan) {
    const pre = plan.terms.map(
      (t, j) =>
        `const C${g}_${j} = tables[${g}][${j}].table, W${g}_${j} = outs[${g}].contributions[${j}];${t.extreme.includes(1) ? ` const X${g}_${j} = tables[${g}][${j}].extreme;` : ''}`,
    );
    pre.push(
      `const LP${g} = outs[${g}].linearPredictor, PR${g} = outs[${g}].probability, R${g} = outs[${g}].risk, CMP${g} = outs[${g}].complete;`,
      `const EXI${g} = outs[${g}].exceptionRows, EXS${g} = outs[${g}].exceptionStatus, EXV${g} = outs[${g}].exceptionVerify, EXE${g} = outs[${g}].exceptionEscalated;`,
      `let ne${g} = 0, cmpBits${g} = 0;`,
    );
    return pre;
  },
  body: (g, plan, map) => body(g, plan, map),
  epilogue: (g) => [`if ((n & 7) !== 0) CMP${g}[n >> 3] = cmpBits${g};`, `outs[${g}].exceptions = ne${g};`],
  tables: (plan): readonly PlanTerm[] => plan.terms,
  risks: () => null,
  newOutput(plan, n): ModelKernelOutput {
    return {
      contributions: plan.terms.map(() => new Float64Array(n)),
      linearPredictor: new Float64Array(n),
      probability: new Float64Array(n),
      risk: new Int8Array(n),
      complete: new Uint8Array(bitmapBytes(n)),
      exceptionRows: new Int32Array(n),
      exceptionStatus: new Uint32Array(n),
      exceptionVerify: new Uint16Array(n),
      exceptionEscalated: new Uint16Array(n),
      exceptions: 0,
    };
  },
  imputedMask: (plan, map) => plan.terms.reduce((m, t) => (t.imputeSlot >= 0 ? m | missingBit(map[t.input] ?? NaN) : m), 0),
};
