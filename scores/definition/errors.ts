/**
 * Message builders for the errors of the scoring core (fields, columns, options, arguments, definitions). One voice:
 * each message names the function, the field or column, what was expected and what was received.
 */

/** Describe a received value briefly and safely for an error message (never more than ~40 characters). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') {
    const s = value.length > 30 ? `${value.slice(0, 30)}…` : value;
    return `string ${JSON.stringify(s)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  if (Array.isArray(value)) return `array of length ${value.length}`;
  return typeof value;
}

/** `fn: field "name" expected …; received …` — a wrong type at the API boundary. */
export function fieldTypeError(caller: string, field: string, expected: string, received: unknown): TypeError {
  return new TypeError(`${caller}: field "${field}" expected ${expected}; received ${describeValue(received)}.`);
}

/** A required column is absent from a table. */
export function missingColumnError(caller: string, column: string, score: string, accepted: string): TypeError {
  return new TypeError(`${caller}: column "${column}" is required by score "${score}" but the table has no such column (expected ${accepted}).`);
}

/** A column exists but its Arrow type cannot be read for the role it plays. */
export function columnTypeError(caller: string, column: string, score: string, found: string, accepted: string): TypeError {
  return new TypeError(`${caller}: column "${column}" (needed by score "${score}") has Arrow type ${found}; expected ${accepted}.`);
}

/** An option has a value outside what the function accepts. */
export function optionError(caller: string, option: string, expected: string, received: unknown): RangeError {
  return new RangeError(`${caller}: option "${option}" expected ${expected}; received ${describeValue(received)}.`);
}

/** An argument has the wrong type or shape. */
export function argumentError(caller: string, argument: string, expected: string, received: unknown): TypeError {
  return new TypeError(`${caller}: argument "${argument}" expected ${expected}; received ${describeValue(received)}.`);
}

/** A score definition is malformed; `problems` lists every problem with its JSON path. */
export class DefinitionError extends Error {
  readonly problems: readonly string[];
  constructor(caller: string, problems: readonly string[]) {
    super(`${caller}: the score definition has ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'DefinitionError';
    this.problems = problems;
  }
}

/**
 * One definition or several, as a list: at least one, with distinct ids (each prefixes its output columns).
 *
 * @throws {RangeError} naming `caller` for no score or two sharing an id
 */
export function scoreList<D extends { readonly id: string }>(caller: string, scores: D | readonly D[]): readonly D[] {
  const defs: readonly D[] = Array.isArray(scores) ? scores : [scores as D];
  if (defs.length === 0) throw optionError(caller, 'scores', 'at least one score definition', defs);
  const ids = defs.map((d) => d?.id);
  if (new Set(ids).size !== ids.length) throw optionError(caller, 'scores', 'scores with distinct ids', ids.join(', '));
  return defs;
}

/** Allowed values as a sentence: `'a', 'b' or 'c'`. */
export function oneOf(allowed: readonly string[]): string {
  const quoted = allowed.map((a) => `'${a}'`);
  return quoted.length <= 1 ? (quoted[0] ?? 'nothing') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1] as string}`;
}

/**
 * An enumerated option, checked against its one `as const` array — the array that also gives the option its type,
 * the command line its allowed values and the help and README their lists (Observable Plot's `keyword`).
 *
 * @param fallback the value when the option is absent (`undefined`)
 * @throws {RangeError} `fn: option "name" expected 'a', 'b' or 'c'; received …` for any other value
 * @example keyword('validate', 'cluster', ['patient', 'encounter'] as const, undefined, 'patient'); // => 'patient'
 */
export function keyword<const T extends readonly string[]>(caller: string, name: string, allowed: T, value: unknown, fallback: T[number]): T[number] {
  const v = value ?? fallback;
  if (typeof v !== 'string' || !allowed.includes(v)) throw optionError(caller, name, oneOf(allowed), v);
  return v;
}
