/**
 * Reading one input of an observation object, shared by every kind's evaluator: numbers are quantized at chart
 * precision and checked against the possible and plausible ranges; codes are looked up; anything else is missing or flagged.
 */
import { fieldTypeError } from '../definition/errors.js';
import { quantize } from '../definition/precision.js';
import type { DiscreteField, InputField } from '../definition/schema.js';
import { discreteCode, flagReason } from '../definition/schema.js';

const FN = 'scoreObservation';

/**
 * The state of one input: a quantized numeric value (with `verify` when it lies outside the plausible range but
 * inside the possible one), a discrete code index, or missing/flagged.
 */
export type InputState = { kind: 'value'; q: number; verify?: true } | { kind: 'missing' } | { kind: 'flagged'; reason: string };

/**
 * Read one input of an observation at chart precision: its quantized value or code index, or why it is missing or
 * flagged. The same rule for every kind of score.
 *
 * @throws {TypeError} naming `scoreObservation` and the field when the value has the wrong JavaScript type
 */
export function readInput(field: InputField, value: unknown): InputState {
  if (field.kind === 'numeric') {
    if (value === null || value === undefined) return { kind: 'missing' };
    if (typeof value !== 'number') throw fieldTypeError(FN, field.field, 'a number, null or undefined', value);
    if (!Number.isFinite(value)) return { kind: 'flagged', reason: flagReason(field, value) };
    const q = quantize(value, field.precision, field.rounding);
    if (q < quantize(field.possible[0], field.precision) || q > quantize(field.possible[1], field.precision))
      return { kind: 'flagged', reason: flagReason(field, value) };
    const plausible = q >= quantize(field.plausible[0], field.precision) && q <= quantize(field.plausible[1], field.precision);
    return plausible ? { kind: 'value', q } : { kind: 'value', q, verify: true };
  }
  return readDiscrete(field, value);
}

function readDiscrete(field: DiscreteField, value: unknown): InputState {
  const expected = { boolean: 'a boolean, 0 or 1', 'integer-code': 'a number', string: 'a string' }[field.accepts];
  const typeOk =
    value === null ||
    value === undefined ||
    (field.accepts === 'boolean' && (typeof value === 'boolean' || typeof value === 'number')) ||
    (field.accepts === 'integer-code' && typeof value === 'number') ||
    (field.accepts === 'string' && typeof value === 'string');
  if (!typeOk) throw fieldTypeError(FN, field.field, `${expected}, null or undefined`, value);
  const code = discreteCode(field, value);
  if (code >= 0) return { kind: 'value', q: code };
  if (code === -1 && field.missingMeans !== undefined) return { kind: 'value', q: field.codes.indexOf(field.missingMeans) };
  if (code === -1) return { kind: 'missing' };
  return { kind: 'flagged', reason: flagReason(field, value) };
}
