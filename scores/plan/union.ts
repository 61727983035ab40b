/**
 * Several plans read together: the union of their inputs (each input once, required when any plan requires it) and
 * where each plan's inputs sit in it. Shared by the batch kernel and SQL, so both read each column once.
 */
import type { PlanInput } from './compile.js';

/** The union of the plans' inputs, and one map per plan from its input index to the union's. Runs in O(inputs²). */
export function unionInputs(plans: readonly { readonly inputs: readonly PlanInput[] }[]): { inputs: PlanInput[]; maps: number[][] } {
  const inputs: PlanInput[] = [];
  const maps = plans.map((plan) =>
    plan.inputs.map((input) => {
      const at = inputs.findIndex((u) => u.field.field === input.field.field);
      if (at < 0) return inputs.push({ ...input, index: inputs.length }) - 1;
      const known = inputs[at];
      if (known !== undefined && input.required && !known.required) inputs[at] = { ...known, required: true };
      return at;
    }),
  );
  return { inputs, maps };
}
