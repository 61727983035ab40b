/**
 * `ewskit validate`: the study on a cohort directory, or on the user's own extract (FHIR, CSV, Parquet or Arrow files,
 * read through a mapping) — the report as JSON, Markdown and self-contained HTML, and its figures as standalone SVG.
 */
import { BOOTSTRAP_METHODS } from '../../../validation/bootstrap/replicate-weights.js';
import { rejectionLines } from '../../ingest/measurements.js';
import { existsSync, rmSync } from 'node:fs';
import { writeTextAtomic, writeTextsAtomic } from '../../io/write-text.js';
import { checkFiguresDirectory, checkOutputs, figureFiles, staleFigures } from '../outputs.js';
import { renderHtml } from '../../../validation/report/html.js';
import { documentToMarkdown } from '../../../validation/report/markdown.js';
import { reportDocument } from '../../../validation/report/sections.js';
import { CLUSTER_LEVELS, MISSING_ANALYSES, RECALIBRATION_METHODS, UNIT_NAMES } from '../../../validation/report/vocabulary.js';
import { renderFigures } from '../../../validation/report/render-figures.js';
import { validate } from '../../../validation/study/validate.js';
import { cohortFiles, cohortFormat, cohortManifest, readCohort } from '../../io/cohort-files.js';
import type { ExtractCohort, ExtractFiles } from '../../io/read-extract.js';
import { readExtract } from '../../io/read-extract.js';
import type { CohortTables, ValidateOptions } from '../../../validation/study/options.js';
import type { ValidationReport } from '../../../validation/report/types.js';
import { DISCLOSURE_POLICIES } from '../../../validation/disclosure/policy.js';
import { keyword } from '../../../scores/definition/errors.js';
import type { CliIO } from '../args.js';
import type { Flags } from '../args.js';
import { groupingFlags, MAX_BOOTSTRAP, outcomeFlags, parseFlags, progressOf, scoreFlags, UsageError } from '../args.js';
import { loadDisclosureAudit } from '../../../validation/disclosure/lp-audit.js';
import { ENGINES } from '../../../validation/engine/study-sql.js';
import { validateInEngine } from './validate-engine.js';

/** The extract's files from --observations, --events, --patients, --encounters and --map, or null when none is given. */
function extractFlags(flags: Flags): ExtractFiles | null {
  const observations = flags.get('observations');
  const events = flags.get('events');
  const others = ['patients', 'encounters', 'map'].filter((f) => flags.has(f));
  if (observations === undefined && events === undefined) {
    if (others.length > 0) throw new UsageError(`--${others[0] ?? ''} goes with --observations and --events`);
    return null;
  }
  if (observations === undefined || events === undefined) throw new UsageError('an extract needs both --observations FILE and --events FILE');
  const patients = flags.get('patients');
  const encounters = flags.get('encounters');
  const map = flags.get('map');
  return {
    observations,
    events,
    ...(patients === undefined ? {} : { patients }),
    ...(encounters === undefined ? {} : { encounters }),
    ...(map === undefined ? {} : { map }),
  };
}

/** What reading the extract did: rows read, kept and rejected per file, the reasons, and how sets were assembled. */
export function readingSummary(read: ExtractCohort, command = 'validate'): string {
  const lines = Object.entries(read.reading).flatMap(([table, r]) => [
    `  ${table}: read ${r.read.toLocaleString('en-GB')}, kept ${r.kept.toLocaleString('en-GB')}, rejected ${r.rejected.toLocaleString('en-GB')}${r.rejected > 0 ? ':' : ''}`,
    ...rejectionLines(r).map((l) => `    ${l}`),
  ]);
  const a = read.assembly;
  if (a !== null)
    lines.push(
      `  assembled ${a.sets.toLocaleString('en-GB')} observation sets; ${a.duplicates.toLocaleString('en-GB')} repeated values counted once; ${a.conflicts.toLocaleString('en-GB')} fields charted twice with different values (the later kept, the set flagged); carried forward: ${
        Object.entries(a.carried)
          .map(([f, n]) => `${f} ${n}`)
          .join(', ') || 'none'
      }${a.rejected.rejected > 0 ? `; ${a.rejected.rejected.toLocaleString('en-GB')} measurements without an encounter rejected` : ''}`,
    );
  return `ewskit ${command}: reading the extract\n${lines.join('\n')}\n`;
}

/** Every rejected record of an extract as CSV: table, place, reason (values as written). */
export function rejectsCsv(read: ExtractCohort): string {
  const quote = (text: string): string => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const rows = Object.entries(read.reading).flatMap(([table, r]) => (r.all ?? r.examples).map((x) => [table, x.source, x.reason]));
  if (read.assembly !== null) rows.push(...(read.assembly.rejected.all ?? read.assembly.rejected.examples).map((x) => ['observations', x.source, x.reason]));
  return `${['table,place,reason', ...rows.map((r) => r.map(quote).join(','))].join('\n')}\n`;
}

/** The study's design and analysis options from the flags (everything `validate` takes but the cohort and scores). */
function studyFlags(flags: Flags, repeated: ReadonlyMap<string, string[]>): Omit<ValidateOptions, 'cohort' | 'scores' | 'groupBy' | 'reference'> {
  const B = flags.int('B', 0, MAX_BOOTSTRAP);
  const seed = flags.int('seed', 0);
  const minEvents = flags.int('pool-min-events', 1);
  // Each enumerated value is typed by the same array the parser checked it against.
  return {
    outcome: outcomeFlags(flags, repeated),
    missing: flags.choice('missing', MISSING_ANALYSES),
    // B given is kept; the default may be raised for the subgroup contrasts (settings.multiplicity).
    bootstrap: B === 0 ? false : { ...(flags.has('B') ? { B } : {}), seed, method: flags.choice('bootstrap', BOOTSTRAP_METHODS) },
    disclosure: { policy: flags.choice('disclosure', DISCLOSURE_POLICIES), minCount: flags.int('min-count', 1) },
    units: (repeated.get('unit') ?? []).map((u) => keyword('validate', 'unit', UNIT_NAMES, u, 'first')),
    cluster: flags.choice('cluster', CLUSTER_LEVELS),
    recalibration: flags.choice('recalibration', RECALIBRATION_METHODS),
    pooling: { minEvents, minNonEvents: minEvents },
    ...(flags.has('rising-by') ? { alerts: { risingBy: flags.int('rising-by', 1) } } : {}),
  };
}

/** Where the report goes, checked before any work: none may be an input, share a path, or replace a file unasked. */
interface ReportPaths {
  readonly out: string | undefined;
  readonly md: string | undefined;
  readonly html: string | undefined;
  readonly figuresDir: string | undefined;
  /** The output-checking summary, beside the first of out, md and html. */
  readonly checks: string | undefined;
  readonly beside: string | undefined;
}

function reportPaths(flags: Flags, inputs: readonly string[]): ReportPaths {
  const out = flags.get('out');
  const md = flags.get('md');
  const html = flags.get('html');
  const figuresDir = flags.get('figures');
  const beside = out ?? md ?? html;
  const checks = beside === undefined ? undefined : `${beside.replace(/\.(json|md|html?)$/i, '')}.checks.json`;
  checkOutputs(
    'validate',
    [
      out === undefined ? null : { path: out, flag: 'out' },
      md === undefined ? null : { path: md, flag: 'md' },
      html === undefined ? null : { path: html, flag: 'html' },
      figuresDir === undefined ? null : { path: figuresDir, flag: 'figures', directory: true },
      checks === undefined ? null : { path: checks, flag: 'out (its checks file)' },
      flags.get('rejects') === undefined ? null : { path: flags.get('rejects') as string, flag: 'rejects' },
    ],
    inputs,
    flags.has('force'),
  );
  if (figuresDir !== undefined) checkFiguresDirectory('validate', figuresDir);
  return { out, md, html, figuresDir, checks, beside };
}

/**
 * The cohort the study runs on: a cohort directory, or an extract read through the readers (a cohort directory too
 * when asked to be checked like one: --strict, --rejects), with the reading summary and the rejects file written.
 */
async function studyCohort(dir: string | undefined, extract: ExtractFiles | null, flags: Flags, io: CliIO, command: string): Promise<CohortTables> {
  const rejects = flags.get('rejects');
  const strict = flags.has('strict');
  // A cohort directory is checked like an extract when asked (--strict, --rejects): its Arrow tables through the same
  // readers, with the same accounting, and the study runs on what they kept (with the cohort's manifest).
  // A Parquet or CSV cohort (synth --format) is always read through the readers, which type its values by the schema.
  const readFiles = dir === undefined ? extract : strict || rejects !== undefined || cohortFormat(dir) !== 'arrow' ? cohortFiles(dir) : null;
  const read = readFiles === null ? null : await readExtract(readFiles as ExtractFiles, { strict, keepRejections: rejects !== undefined });
  if (read === null) return readCohort(dir as string);
  io.stderr(readingSummary(read, command));
  // Every rejected record, for the user to fix the extract: row-level values, so it stays with them (never released).
  if (rejects !== undefined) writeTextAtomic(rejects, rejectsCsv(read));
  return dir === undefined ? read : { ...read, manifest: cohortManifest(dir) };
}

/**
 * The outcome must exist before a study is run: an --event type not in the events table is a typo (a usage error),
 * and a study with no event at all (every event row rejected, say) would report nothing true (false: said on stderr).
 */
function hasOutcomes(cohort: CohortTables, eventTypes: readonly string[] | undefined, io: CliIO, command: string): boolean {
  const types = Array.from(cohort.events.getChild('event_type') ?? [], (t) => (t === null || t === undefined ? null : String(t)));
  const present = [...new Set(types)].filter((t): t is string => t !== null).sort();
  const unknownType = (eventTypes ?? []).find((t) => !present.includes(t));
  if (unknownType !== undefined)
    throw new UsageError(
      `--event "${unknownType}" is not an event type of the events table (its types: ${present.join(', ') || 'none — the table has no events'})`,
    );
  const chosen = new Set(eventTypes ?? present);
  if (types.some((t) => t !== null && chosen.has(t))) return true;
  io.stderr(
    `ewskit ${command}: the events table has no ${eventTypes === undefined ? '' : `${eventTypes.join(' or ')} `}event after reading (${cohort.events.numRows.toLocaleString('en-GB')} event rows kept); a validation needs outcomes, so no report was written. See the reading summary above for rejected rows.\n`,
  );
  return false;
}

/** The report, its Markdown, HTML, figures and checks file, written as one: all of them, or none. Returns the Markdown. */
async function writeReport(report: ValidationReport, paths: ReportPaths): Promise<string> {
  const { out, md, html, figuresDir, checks, beside } = paths;
  // The report's document, built once: the Markdown and the HTML page are two renderings of it.
  const document = reportDocument(report);
  const markdown = documentToMarkdown(document);
  const files: [string, string][] = [];
  if (out !== undefined) files.push([out, `${JSON.stringify(report, null, 2)}\n`]);
  if (md !== undefined) files.push([md, markdown]);
  if (html !== undefined || figuresDir !== undefined) {
    const figures = await renderFigures(report);
    if (html !== undefined) files.push([html, await renderHtml(report, { figures, document })]);
    if (figuresDir !== undefined) files.push(...figureFiles(figuresDir, figures));
  }
  // The output-checking summary, beside the report: what a TRE's output checker reads first.
  if (checks !== undefined) files.push([checks, `${JSON.stringify({ schema: 'ewskit.checks/1', report: beside, ...report.disclosure }, null, 2)}\n`]);
  const stale = figuresDir === undefined ? [] : staleFigures(figuresDir, files);
  writeTextsAtomic(files);
  for (const f of stale) rmSync(f, { force: true });
  return markdown;
}

/** What a study command (validate, summarise) read from its flags before any work: its inputs and the study's options. */
export interface StudyRequest {
  readonly command: 'validate' | 'summarise';
  readonly flags: Flags;
  readonly repeated: ReadonlyMap<string, string[]>;
  readonly dir: string | undefined;
  readonly extract: ExtractFiles | null;
  /** The input paths (a cohort directory, or the extract's files): outputs may not replace them. */
  readonly inputs: readonly string[];
  readonly options: Omit<ValidateOptions, 'cohort'>;
}

/** Parse a study command's flags and check its inputs exist; null (and a message) when one does not. */
export function studyRequest(command: 'validate' | 'summarise', args: readonly string[], io: CliIO): StudyRequest | null {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, command, repeated);
  const dir = flags.get('cohort');
  const extract: ExtractFiles | null = extractFlags(flags);
  if (dir === undefined && extract === null)
    throw new UsageError(`${command} needs --cohort DIR (a cohort written by ewskit synth) or --observations FILE --events FILE (your own extract)`);
  if (dir !== undefined && extract !== null) throw new UsageError(`${command} takes --cohort DIR or --observations/--events files, not both`);
  const inputs = dir !== undefined ? [dir] : Object.values(extract ?? {}).filter((p): p is string => typeof p === 'string');
  for (const input of inputs)
    if (!existsSync(input)) {
      io.stderr(`ewskit ${command}: ${dir !== undefined ? 'cohort directory' : 'input'} "${input}" does not exist.\n`);
      return null;
    }
  const scores = scoreFlags(repeated);
  const { groupBy, reference } = groupingFlags(repeated);
  return { command, flags, repeated, dir, extract, inputs, options: { scores, groupBy, reference, ...studyFlags(flags, repeated) } };
}

/**
 * The study's cohort read and checked (it has outcomes), and the disclosure audit's solver loaded: the options
 * `validate` or `summariseSite` runs with, or null (said on stderr) when there is nothing to validate.
 */
export async function studyOptions(request: StudyRequest, io: CliIO): Promise<ValidateOptions | null> {
  const { flags, dir, extract, repeated } = request;
  const cohort = await studyCohort(dir, extract, flags, io, request.command);
  if (!hasOutcomes(cohort, repeated.get('event'), io, request.command)) return null;
  // The disclosure audit's solver (WebAssembly) is loaded before the study, which is synchronous.
  await loadDisclosureAudit();
  return { cohort, ...request.options, onProgress: progressOf(io, flags.has('quiet')) };
}

/** The closing line's release status of a disclosure summary. */
export function releaseNote(disclosure: ValidationReport['disclosure']): string {
  if (disclosure.releasable) return '';
  return disclosure.policy === 'none'
    ? ' NOT FOR RELEASE: disclosure control off (--disclosure none).'
    : ` NOT FOR RELEASE: the disclosure audit found ${disclosure.audit?.unprotected ?? 0} count(s) it could not protect (see the checks file).`;
}

export async function validateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const given = new Map<string, string[]>();
  const first = parseFlags(args, 'validate', given);
  const engine = first.choice('engine', ENGINES);
  if (engine !== 'js') return validateInEngine(engine, first, given, io);
  for (const name of ['database', 'tables', 'memory-limit'])
    if (first.has(name)) throw new UsageError(`--${name} goes with --engine ${name === 'memory-limit' ? 'duckdb' : 'postgres'}`);
  const request = studyRequest('validate', args, io);
  if (request === null) return 1;
  const paths = reportPaths(request.flags, request.inputs);
  const started = performance.now();
  const options = await studyOptions(request, io);
  if (options === null) return 1;
  const report = validate(options);
  const markdown = await writeReport(report, paths);
  io.stdout(`${markdown}\n`);
  const { out, md, html, figuresDir, checks } = paths;
  io.stderr(
    `ewskit validate: ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${[out, md, html, figuresDir === undefined ? undefined : `${figuresDir}/ (figures)`, checks].filter((f) => f !== undefined).join(', ') || 'nothing (no --out, --md or --html)'}.${releaseNote(report.disclosure)}\n`,
  );
  return 0;
}
