/**
 * What the kernel generator (kernel.ts) needs from each kind of score, and what the generated code writes per score:
 * the contract between the generator and each kind's part (banded-kernel.ts, model-kernel.ts). Types only.
 */
import type { AnyPlan } from '../kinds/kind.js';
import type { PlanParameter } from '../plan/compile.js';
import type { PlanTerm } from '../plan/model-plan.js';

/** What the generated kernel receives for one batch. */
export interface KernelInput {
  values: ArrayLike<number> | null;
  /** Bit i is row i's validity (already re-based to the batch's first row); null when no row is null. */
  validity: Uint8Array | null;
  /** Bit offset of row 0 in `values`, for bit-packed (Arrow Bool) values only. */
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
  /** Rows whose status word is not 0 (missing or flagged inputs) or that hold a value to verify, in row order, and their status words. */
  exceptionRows: Int32Array;
  exceptionStatus: Uint32Array;
  /** Per exception row: bit k set when input k was scored from a value outside its plausible range (`verify`). */
  exceptionVerify: Uint16Array;
  /** Set by the kernel: how many exception rows it wrote. */
  exceptions: number;
}

/** What the generated kernel writes for one model-based score over one batch. */
export interface ModelKernelOutput {
  /** Log-odds contribution per term (NaN where none). */
  contributions: Float64Array[];
  linearPredictor: Float64Array;
  probability: Float64Array;
  /** Zone index; −1 where there is no probability. */
  risk: Int8Array;
  complete: Uint8Array;
  exceptionRows: Int32Array;
  exceptionStatus: Uint32Array;
  exceptionVerify: Uint16Array;
  /** Per exception row: bit k set when input k holds an extreme value that escalated the zone. */
  exceptionEscalated: Uint16Array;
  exceptions: number;
}

/**
 * What the kernel generator needs from one kind of score (banded or model): declarations before the loop, the loop
 * body that scores one row, what follows the loop, the lookup tables and risk table the generated code reads, and
 * fresh output arrays for a batch. Implemented in banded-kernel.ts and model-kernel.ts; chosen by the score's kind.
 */
export interface KernelPart<P extends AnyPlan> {
  prelude(g: number, plan: P): string[];
  body(g: number, plan: P, map: readonly number[], zeroMissing: boolean): string[];
  epilogue(g: number): string[];
  tables(plan: P): readonly (PlanParameter | PlanTerm)[];
  risks(plan: P): Int8Array | null;
  newOutput(plan: P, n: number): KernelOutput | ModelKernelOutput;
  /** Status bits (over the group's inputs) of inputs whose missing value is imputed, not void. */
  imputedMask(plan: P, map: readonly number[]): number;
}
