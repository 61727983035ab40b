/**
 * The command line's shared pieces: where it writes, argument parsing, and turning flags into library options.
 * Every command reads its arguments through these, so the same mistake gets the same message everywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { getScore, listScores, typedId } from '../../scores/catalogue/catalogue.js';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { loadScore } from '../../scores/load/load-score.js';
import type { MissingPolicy } from '../../scores/definition/observation.js';
import type { LabelOptions } from '../../validation/outcomes/label-outcomes.js';
import { CENSORED_HANDLING, FOLLOW_UPS } from '../../validation/report/vocabulary.js';
import type { CommandSpec, OptionSpec } from './options.js';
import { commandSpec, orList } from './options.js';

/** Where the CLI writes. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal: progress is shown only there. */
  tty?: boolean;
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

/**
 * A command's parsed options: each given value by name (a switch is `'true'`), with the option table's defaults
 * behind `value` and `int`.
 */
export class Flags extends Map<string, string> {
  /** The arguments given without a flag, in order (only for a command whose table entry takes them). */
  readonly positional: string[] = [];

  constructor(readonly spec: CommandSpec) {
    super();
  }

  /** The value given, or the option table's default (undefined when it has none). */
  value(name: string): string | undefined {
    return this.get(name) ?? this.option(name).default;
  }

  /** A whole number ≥ `min` (and ≤ `max`), given or the table's default. */
  int(name: string, min: number, max?: { readonly value: number; readonly why: string }): number {
    const raw = this.value(name);
    if (raw === undefined) throw new Error(`ewskit: option --${name} of ${this.spec.name} has no default in the option table`);
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} expects a whole number ≥ ${min}; received "${raw}"`);
    if (max !== undefined && v > max.value)
      throw new UsageError(`--${name} expects at most ${max.value.toLocaleString('en-GB')} (${max.why}); received "${raw}"`);
    return v;
  }

  /**
   * An enumerated option's value (given or the table's default), typed by its allowed values: the table's `choices`
   * for the option must be this very array (the library's own), so the parser's check and the type agree.
   */
  choice<const T extends readonly string[]>(name: string, allowed: T): T[number] {
    if (this.option(name).choices !== allowed) throw new Error(`ewskit: option --${name} of ${this.spec.name} takes its choices from another array`);
    const v = this.value(name);
    if (v === undefined || !allowed.includes(v)) throw new Error(`ewskit: option --${name} of ${this.spec.name} has no default in the option table`);
    return v;
  }

  private option(name: string): OptionSpec {
    const o = this.spec.options.find((x) => x.name === name);
    if (o === undefined) throw new Error(`ewskit: ${this.spec.name} has no option --${name} in the option table`);
    return o;
  }
}

/**
 * Parse a command's arguments against its entry in the option table (`options.ts`): unknown options, a value missing
 * or given to a switch, an option given twice that may not be, and a value outside the allowed ones are usage errors.
 * Repeatable options collect their values, in order, in `repeated`.
 */
export function parseFlags(args: readonly string[], command: string, repeated: Map<string, string[]> = new Map()): Flags {
  const spec = commandSpec(command);
  if (spec === undefined) throw new Error(`ewskit: no command "${command}" in the option table`);
  const flags = new Flags(spec);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      if (spec.positional === undefined) throw new UsageError(`unexpected argument "${arg}"`);
      flags.positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const option = spec.options.find((o) => o.name === name);
    if (option === undefined)
      throw new UsageError(`unknown option --${name} (${command} takes ${spec.options.map((a) => `--${a.name}`).join(', ') || 'no options'})`);
    if (option.value === undefined) {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`);
      flags.set(name, 'true');
      continue;
    }
    if (inline === '') throw new UsageError(`option --${name} needs a value (received "--${name}=")`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
    if (flags.has(name) && option.repeatable !== true) throw new UsageError(`option --${name} is given twice`);
    if (option.choices !== undefined && !option.choices.includes(value))
      throw new UsageError(`--${name} expects ${orList(option.choices)}; received "${value}"`);
    flags.set(name, value);
    repeated.set(name, [...(repeated.get(name) ?? []), value]);
  }
  const wanted = spec.positional;
  if (wanted !== undefined && flags.positional.length < wanted.min)
    throw new UsageError(`${command} needs at least ${wanted.min} ${wanted.value} argument${wanted.min === 1 ? '' : 's'}; received ${flags.positional.length}`);
  return flags;
}

/**
 * The ceiling of `--B`: every replicate keeps its resampled statistics (per score, group and metric) in memory until the
 * intervals are read, so the memory grows with B; 100,000 is fifty times what a 95 % percentile interval needs.
 */
export const MAX_BOOTSTRAP = {
  value: 100_000,
  why: 'each replicate keeps its statistics in memory until the intervals are read; 1,000–2,000 replicates suffice for a 95 % percentile interval',
} as const;

/** A built-in score by id, or a definition file (`.json`) validated by loadScore. */
export function resolveScore(id: string): ScoreDefinition {
  const builtIn = getScore(id);
  if (builtIn !== undefined) return builtIn;
  if (id.endsWith('.json') || existsSync(id)) {
    if (!existsSync(id)) throw new Error(`score definition file "${id}" does not exist.`);
    const def = loadScore(readFileSync(id, 'utf8'));
    // Its columns would be named like a built-in score's while holding another score.
    if (getScore(def.id) !== undefined)
      throw new UsageError(`the definition in "${id}" has the id "${def.id}", which is a built-in score's; give it an id of its own`);
    return def;
  }
  throw new UsageError(
    `unknown score "${id}" (built-in scores: ${listScores()
      .map((s) => typedId(s.id))
      .join(', ')}; or give a path to a .json definition)`,
  );
}

export function scoreFlags(repeated: Map<string, string[]>): ScoreDefinition[] {
  const defs = (repeated.get('score') ?? ['news2']).map(resolveScore);
  const ids = defs.map((d) => d.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new UsageError(`--score names "${twice}" twice; give each score once`);
  return defs;
}

/** The outcome's options (`--horizon`, `--event`, `--follow-up`, `--censored`, `--extract-end`, `--exclude-before-event`), checked. */
export function outcomeFlags(flags: Flags, repeated: ReadonlyMap<string, string[]>): LabelOptions {
  const horizon = Number(flags.value('horizon'));
  if (!(horizon > 0)) throw new UsageError(`--horizon expects a positive number of hours; received "${flags.get('horizon')}"`);
  const endText = flags.get('extract-end');
  const extractEnd = endText === undefined ? undefined : Date.parse(endText);
  if (extractEnd !== undefined && Number.isNaN(extractEnd))
    throw new UsageError(`--extract-end expects a date or time (e.g. 2025-10-01 or 2025-10-01T00:00Z); received "${endText}"`);
  const eventTypes = repeated.get('event');
  // Each enumerated value is typed by the same array the parser checked it against.
  return {
    horizonHours: horizon,
    censored: flags.choice('censored', CENSORED_HANDLING),
    followUp: flags.choice('follow-up', FOLLOW_UPS),
    excludeBeforeEventMinutes: flags.int('exclude-before-event', 0),
    ...(extractEnd === undefined ? {} : { extractEnd }),
    ...(eventTypes === undefined ? {} : { eventTypes }),
  };
}

/** `--missing` of score (none or zero; the parser has checked the value). */
export function missingFlag(flags: Flags): MissingPolicy {
  return flags.value('missing') === 'zero' ? 'zero' : 'none';
}

/** Progress lines on stderr ("… step"), only when stderr is a terminal. */
export function progressOf(io: CliIO, quiet = false): ((step: string) => void) | undefined {
  if (quiet) return undefined;
  // On a terminal, a line per step; in a log (CI, a pipe), the same with the time, so a slow step shows where it is.
  if (io.tty === true) return (step) => io.stderr(`… ${step}\n`);
  return (step) => io.stderr(`[${new Date().toISOString().slice(11, 19)}] ${step}\n`);
}

/** The groupings (`--by`) and their reference groups (`--reference COLUMN=GROUP`), each checked. */
export function groupingFlags(repeated: ReadonlyMap<string, string[]>): { groupBy: string[]; reference: Record<string, string> } {
  const groupBy = repeated.get('by') ?? [];
  const repeatedBy = groupBy.find((g, i) => groupBy.indexOf(g) !== i);
  if (repeatedBy !== undefined) throw new UsageError(`--by names "${repeatedBy}" twice`);
  const references = (repeated.get('reference') ?? []).map((r) => {
    const at = r.indexOf('=');
    if (at < 1) throw new UsageError(`--reference expects COLUMN=GROUP; received "${r}"`);
    const column = r.slice(0, at);
    if (!groupBy.includes(column))
      throw new UsageError(`--reference names the column "${column}", which is not a --by column (${groupBy.join(', ') || 'none given'})`);
    return [column, r.slice(at + 1)] as const;
  });
  const twiceRef = references.find(([c], i) => references.findIndex(([d]) => d === c) !== i);
  if (twiceRef !== undefined) throw new UsageError(`--reference gives the column "${twiceRef[0]}" two reference groups`);
  return { groupBy, reference: Object.fromEntries(references) };
}
