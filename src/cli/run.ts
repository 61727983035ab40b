/**
 * The `ewskit` command line: parses arguments and calls the library. Exit codes: 0 success, 1 a failure while
 * running (a missing file, a wrong column), 2 a usage error (unknown command, score or option).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { getScore, listScores } from '../../scores/catalogue/catalogue.js';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { loadScore } from '../../scores/definition/load-score.js';
import type { MissingPolicy } from '../../scores/evaluate/score-observation.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { APOLLO_TEMPLATE } from '../../validation/fit/apollo-template.js';
import { generateCohort } from '../../validation/cohort/generate.js';
import { fitSeverityModel } from '../../validation/fit/fit-model.js';
import type { CohortProfile } from '../../validation/cohort/profiles.js';
import { readCohort, writeCohort } from '../io/cohort-files.js';
import { renderMarkdown } from '../../validation/report/markdown.js';
import { validate } from '../../validation/study/validate.js';
import { readArrowFile, writeArrowFile } from '../io/arrow-file.js';
import { formatExamples, formatSummary, summariseScores } from './summary.js';

/** Where the CLI writes. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal: progress is shown only there. */
  tty?: boolean;
}

class UsageError extends Error {}

const HELP = `ewskit — clinical early-warning scores: exact scoring, fast Arrow kernels, honest validation.

Usage:
  ewskit demo [--encounters N] [--seed S] [--B N] run the study on a built-in synthetic cohort (NEWS2 vs Apollo-style)
  ewskit synth --profile P --encounters N --seed S --out DIR [--oximeter-bias literature|none]
                                                  write a synthetic EPR cohort (five Arrow files + cohort.json);
                                                  P is uk-leicester, india-apollo or a .json profile
  ewskit score --score ID --in FILE --out FILE    score an Arrow IPC file of observations
               [--score ID ...]                   several scores in one pass; ID is built-in or a .json file
               [--missing none|zero]              (zero: research option, labelled in the output)
  ewskit validate --cohort DIR --score ID [--score ID ...] [--by COLUMN ...] [--out report.json] [--md report.md]
               [--B 1000] [--seed S] [--horizon 24] [--min-count 10] [--reference COLUMN=GROUP]
               [--unit first] [--unit highest-24h]
                                                  the study: discrimination, calibration, thresholds, comparisons and
                                                  subgroups, with patient-clustered intervals and disclosure control
  ewskit fit --out FILE [--profile P --encounters N --seed S]
                                                  fit the Apollo-style template on a synthetic derivation cohort
  ewskit scores                                   list the built-in scores
  ewskit help | --help                            this text

Input columns (canonical schema): respiratory_rate, spo2, spo2_scale (optional; null = Scale 1), on_oxygen,
systolic_bp, heart_rate, consciousness (A/C/V/P/U or words), temperature (°C); others are passed through.`;

type Flags = Map<string, string>;

/** Options that may be given more than once collect their values here, in order. */
const REPEATABLE = new Set(['score', 'by', 'reference', 'unit']);

function parseFlags(args: readonly string[], allowed: readonly string[], repeated: Map<string, string[]> = new Map()): Flags {
  const flags: Flags = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name} (expected ${allowed.map((a) => `--${a}`).join(', ')})`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
    if (flags.has(name) && !REPEATABLE.has(name)) throw new UsageError(`option --${name} is given twice`);
    flags.set(name, value);
    repeated.set(name, [...(repeated.get(name) ?? []), value]);
  }
  return flags;
}

function intFlag(flags: Flags, name: string, fallback: number, min: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} expects a whole number ≥ ${min}; received "${raw}"`);
  return v;
}

/** A built-in score by id, or a definition file (`.json`) validated by loadScore. */
function resolveScore(id: string): ScoreDefinition {
  const builtIn = getScore(id);
  if (builtIn !== undefined) return builtIn;
  if (id.endsWith('.json') || existsSync(id)) {
    if (!existsSync(id)) throw new Error(`score definition file "${id}" does not exist.`);
    return loadScore(readFileSync(id, 'utf8'));
  }
  throw new UsageError(
    `unknown score "${id}" (built-in scores: ${listScores()
      .map((s) => s.id)
      .join(', ')}; or give a path to a .json definition)`,
  );
}

function scoreFlags(repeated: Map<string, string[]>): ScoreDefinition[] {
  return (repeated.get('score') ?? ['news2']).map(resolveScore);
}

function missingFlag(flags: Flags): MissingPolicy {
  const m = flags.get('missing') ?? 'none';
  if (m !== 'none' && m !== 'zero') throw new UsageError(`--missing expects none or zero; received "${m}"`);
  return m;
}

/** Up to `k` example rows: the highest-risk complete rows first, then one flagged row if any. */
function exampleRows(scored: Table, score: ScoreDefinition, k: number): number[] {
  const totals = scored.getChild(kindOf(score).valueColumn(score));
  const flags = scored.getChild(`${score.id}_flags`);
  const order: number[] = [];
  const byTotal: { i: number; t: number }[] = [];
  let flagged = -1;
  for (let i = 0; i < scored.numRows; i++) {
    const t = totals?.get(i) as number | null;
    if (t !== null) byTotal.push({ i, t });
    else if (flagged < 0 && flags?.get(i) !== null) flagged = i;
  }
  byTotal.sort((a, b) => b.t - a.t || a.i - b.i);
  const picks = [byTotal[0], byTotal[Math.floor(byTotal.length / 3)], byTotal[byTotal.length - 1]];
  for (const p of picks) if (p !== undefined && !order.includes(p.i)) order.push(p.i);
  if (flagged >= 0) order.push(flagged);
  return order.slice(0, k);
}

function demo(args: readonly string[], io: CliIO): number {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, ['encounters', 'seed', 'score', 'B'], repeated);
  const encounters = intFlag(flags, 'encounters', 2000, 1);
  const seed = intFlag(flags, 'seed', 1, 0);
  const B = intFlag(flags, 'B', 200, 0);
  const scores = repeated.has('score') ? scoreFlags(repeated) : [getScore('news2') as ScoreDefinition, getScore('apollo_style') as ScoreDefinition];
  const cohort = generateCohort({ profile: 'uk-leicester', encounters, seed });
  const scored = scoreTable(scores, cohort.observations);
  const first = scores[0] as ScoreDefinition;
  const report = validate({ cohort, scores, groupBy: ['ethnicity'], bootstrap: B === 0 ? false : { B, seed }, onProgress: progressOf(io) });
  io.stdout(
    [
      `# ewskit demo — ${scores.map((s) => s.name).join(' and ')} on a synthetic cohort`,
      '',
      `A seeded uk-leicester cohort: ${encounters.toLocaleString('en-GB')} encounters, ${cohort.observations.numRows.toLocaleString('en-GB')} observation sets, seed ${seed}. Every number below is computed here, now.`,
      '',
      ...scores.flatMap((s) => [formatSummary(s, summariseScores(s, scored)), '']),
      'Example rows (no identifiers; · = null):',
      '',
      formatExamples(first, scored, exampleRows(scored, first, 4)),
      '',
      renderMarkdown(report),
      ...scores.map((s) => `Source (${s.name}): ${s.source}`),
      '',
    ].join('\n'),
  );
  return 0;
}

function score(args: readonly string[], io: CliIO): number {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, ['score', 'in', 'out', 'missing'], repeated);
  const defs = scoreFlags(repeated);
  const missing = missingFlag(flags);
  const input = flags.get('in');
  const output = flags.get('out');
  if (input === undefined) throw new UsageError('score needs --in FILE (an Arrow IPC file of observations)');
  if (output === undefined) throw new UsageError('score needs --out FILE (where to write the scored Arrow IPC file)');
  if (!existsSync(input)) {
    io.stderr(`ewskit score: input file "${input}" does not exist.\n`);
    return 1;
  }
  const table = readArrowFile(input);
  const scored = scoreTable(defs, table, { missing });
  writeArrowFile(output, scored);
  io.stdout(
    [
      `Scored ${scored.numRows.toLocaleString('en-GB')} observation sets from ${input} with ${defs.map((d) => d.name).join(', ')}${missing === 'zero' ? ' (research option: missing parameters scored as 0)' : ''}; wrote ${output}.`,
      '',
      ...defs.flatMap((d) => [formatSummary(d, summariseScores(d, scored)), '']),
    ].join('\n'),
  );
  return 0;
}

function progressOf(io: CliIO): ((step: string) => void) | undefined {
  return io.tty === true ? (step) => io.stderr(`… ${step}\n`) : undefined;
}

async function validateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, ['cohort', 'score', 'by', 'out', 'md', 'B', 'seed', 'horizon', 'min-count', 'reference', 'unit'], repeated);
  const dir = flags.get('cohort');
  if (dir === undefined) throw new UsageError('validate needs --cohort DIR (a cohort written by ewskit synth)');
  if (!existsSync(dir)) {
    io.stderr(`ewskit validate: cohort directory "${dir}" does not exist.\n`);
    return 1;
  }
  const scores = scoreFlags(repeated);
  const groupBy = repeated.get('by') ?? [];
  const reference = Object.fromEntries(
    (repeated.get('reference') ?? []).map((r) => {
      const at = r.indexOf('=');
      if (at < 1) throw new UsageError(`--reference expects COLUMN=GROUP; received "${r}"`);
      return [r.slice(0, at), r.slice(at + 1)];
    }),
  );
  const B = intFlag(flags, 'B', 1000, 0);
  const seed = intFlag(flags, 'seed', 1, 0);
  const horizon = Number(flags.get('horizon') ?? 24);
  if (!(horizon > 0)) throw new UsageError(`--horizon expects a positive number of hours; received "${flags.get('horizon')}"`);
  const minCount = intFlag(flags, 'min-count', 10, 0);
  const units = (repeated.get('unit') ?? []).map((u) => {
    if (u !== 'first' && u !== 'highest-24h') throw new UsageError(`--unit expects first or highest-24h; received "${u}"`);
    return u;
  });
  const started = performance.now();
  const cohort = readCohort(dir);
  const report = validate({
    cohort,
    scores,
    groupBy,
    reference,
    outcome: { horizonHours: horizon },
    bootstrap: B === 0 ? false : { B, seed },
    disclosure: { minCount },
    units,
    onProgress: progressOf(io),
  });
  const markdown = renderMarkdown(report);
  const out = flags.get('out');
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  const md = flags.get('md');
  if (md !== undefined) writeFileSync(md, markdown);
  io.stdout(`${markdown}\n`);
  io.stderr(
    `ewskit validate: ${((performance.now() - started) / 1000).toFixed(1)} s${out === undefined ? '' : `; wrote ${out}`}${md === undefined ? '' : ` and ${md}`}.\n`,
  );
  return 0;
}

/** Fit the Apollo-style template on a derivation cohort generated here, and write the definition as JSON. */
function fit(args: readonly string[], io: CliIO): number {
  const flags = parseFlags(args, ['profile', 'encounters', 'seed', 'out', 'ridge']);
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('fit needs --out FILE (where to write the fitted definition, .json)');
  const profile = flags.get('profile') ?? 'india-apollo';
  const encounters = intFlag(flags, 'encounters', 20000, 100);
  const seed = intFlag(flags, 'seed', 2024, 0);
  const ridge = Number(flags.get('ridge') ?? 1);
  if (!(ridge >= 0)) throw new UsageError(`--ridge expects a number ≥ 0; received "${flags.get('ridge')}"`);
  const cohort = generateCohort({ profile, encounters, seed });
  const model = fitSeverityModel(cohort, APOLLO_TEMPLATE, {
    ridge,
    derivation: {
      cohort: 'synthetic',
      profile,
      encounters,
      seed,
      generatorVersion: cohort.manifest.generatorVersion,
      command: `ewskit fit --profile ${profile} --encounters ${encounters} --seed ${seed}`,
    },
  });
  writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`);
  io.stdout(`Fitted ${model.name} on a ${profile} derivation cohort (${encounters.toLocaleString('en-GB')} encounters, seed ${seed}); wrote ${out}.\n`);
  return 0;
}

async function synth(args: readonly string[], io: CliIO): Promise<number> {
  const flags = parseFlags(args, ['profile', 'encounters', 'seed', 'oximeter-bias', 'out', 'batch']);
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('synth needs --out DIR (where to write the cohort)');
  const encounters = intFlag(flags, 'encounters', 1000, 0);
  const seed = intFlag(flags, 'seed', 1, 0);
  const batchEncounters = intFlag(flags, 'batch', 5000, 1);
  const bias = flags.get('oximeter-bias') ?? 'literature';
  if (bias !== 'literature' && bias !== 'none') throw new UsageError(`--oximeter-bias expects literature or none; received "${bias}"`);
  const name = flags.get('profile') ?? 'uk-leicester';
  let profile: string | Partial<CohortProfile> = name;
  if (name.endsWith('.json')) {
    if (!existsSync(name)) throw new Error(`profile file "${name}" does not exist.`);
    profile = JSON.parse(readFileSync(name, 'utf8')) as Partial<CohortProfile>;
  }
  const started = performance.now();
  const progress =
    io.tty === true
      ? (done: number, total: number) =>
          io.stderr(`\rGenerating ${total.toLocaleString('en-GB')} encounters: ${total === 0 ? 100 : Math.floor((100 * done) / total)}%`)
      : undefined;
  const manifest = await writeCohort(out, { profile, encounters, seed, oximeterBias: bias, batchEncounters }, progress);
  if (io.tty === true) io.stderr('\n');
  const seconds = (performance.now() - started) / 1000;
  const r = manifest.rows;
  io.stdout(
    [
      `Wrote a ${manifest.profile.name} cohort to ${out} (seed ${seed}, oximeter bias ${bias}, generator ${manifest.generatorVersion}) in ${seconds.toFixed(1)} s:`,
      `  patients.arrow ${r.patients.toLocaleString('en-GB')} · encounters.arrow ${r.encounters.toLocaleString('en-GB')} · observations.arrow ${r.observations.toLocaleString('en-GB')} · events.arrow ${r.events.toLocaleString('en-GB')} · truth.arrow ${r.truth.toLocaleString('en-GB')} · cohort.json`,
      '',
    ].join('\n'),
  );
  return 0;
}

function scores(io: CliIO): number {
  const lines = listScores().map((s) => `${s.id.padEnd(10)} ${s.name} (${s.version}) — ${s.source}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * Run the CLI with arguments (without `node` and the script) and report through `io`.
 *
 * @returns a promise of the exit code: 0 success, 1 failure while running, 2 usage error
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'demo':
        return demo(rest, io);
      case 'synth':
        return await synth(rest, io);
      case 'fit':
        return fit(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'score':
        return score(rest, io);
      case 'scores':
        return scores(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (expected demo, synth, score, validate, fit, scores or help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ewskit: ${e.message}.\nRun "ewskit help" for usage.\n`);
      return 2;
    }
    io.stderr(`ewskit ${command}: ${(e as Error).message}\n`);
    return 1;
  }
}
