/**
 * `ewskit validate --engine duckdb|postgres`: the study where the data lives. The scoring, labelling, Poisson weights
 * and count tables run as SQL in the engine; only count tables come back; the engine report (ewskit.engine-report/2:
 * flow, Table 1, discrimination, calibration and threshold measures with clustered intervals) is written through
 * disclosure control, as JSON, Markdown and an HTML page.
 */
import { existsSync } from 'node:fs';
import type { Engine } from '../../../validation/engine/study-sql.js';
import { engineHtml, engineMarkdown } from '../../../validation/engine/engine-markdown.js';
import { engineReport } from '../../../validation/engine/engine-study.js';
import type { EngineStudyOptions } from '../../../validation/engine/engine-study.js';
import { DISCLOSURE_POLICIES } from '../../../validation/disclosure/policy.js';
import { BOOTSTRAP_METHODS } from '../../../validation/bootstrap/replicate-weights.js';
import type { EngineSource, EngineTables } from '../../engine/engine-counts.js';
import { engineCounts } from '../../engine/engine-counts.js';
import { writeTextsAtomic } from '../../io/write-text.js';
import { loadDisclosureAudit } from '../../../validation/disclosure/lp-audit.js';
import { checkOutputs } from '../outputs.js';
import type { CliIO, Flags } from '../args.js';
import { groupingFlags, MAX_BOOTSTRAP, outcomeFlags, scoreFlags, UsageError } from '../args.js';

/** Options of validate the engines do not compute yet: refused by name rather than ignored. */
const JS_ONLY = ['observations', 'events', 'patients', 'encounters', 'map', 'strict', 'rejects', 'figures', 'rising-by', 'unit'];

/** `--tables observations=NAME,events=NAME[,encounters=NAME][,patients=NAME]`. */
function tablesFlag(text: string | undefined): EngineTables | undefined {
  if (text === undefined) return undefined;
  const entries = text.split(',').map((part) => {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    const name = part.slice(at + 1).trim();
    if (at < 1 || name === '' || !['observations', 'events', 'encounters', 'patients'].includes(key))
      throw new UsageError(`--tables expects observations=NAME,events=NAME[,encounters=NAME][,patients=NAME]; received "${part}"`);
    return [key, name] as const;
  });
  const map = Object.fromEntries(entries) as Partial<Record<'observations' | 'events' | 'encounters' | 'patients', string>>;
  return {
    observations: map.observations ?? 'observations',
    events: map.events ?? 'events',
    ...(map.encounters === undefined ? {} : { encounters: map.encounters }),
    ...(map.patients === undefined ? {} : { patients: map.patients }),
  };
}

/**
 * Run validate in an engine. Returns the exit code.
 *
 * @throws {UsageError} for an option the engines do not compute, or a missing --cohort / --database
 */
export async function validateInEngine(engine: Exclude<Engine, 'js'>, flags: Flags, repeated: ReadonlyMap<string, string[]>, io: CliIO): Promise<number> {
  for (const name of JS_ONLY)
    if (flags.has(name) || repeated.has(name))
      throw new UsageError(
        `--${name} is not computed by --engine ${engine} yet (the engine report holds the flow, Table 1, discrimination, calibration and threshold measures, overall and by one --by column); use --engine js`,
      );
  for (const [name, allowed] of [
    ['cluster', 'patient'],
    ['recalibration', 'logistic'],
    ['bootstrap', 'poisson'],
  ] as const)
    if (flags.has(name) && flags.get(name) !== allowed)
      throw new UsageError(`--engine ${engine} computes --${name} ${allowed} only; received "${flags.get(name)}"`);
  const by = repeated.get('by') ?? [];
  if (by.length > 1) throw new UsageError(`--engine ${engine} groups by one column; received --by ${by.join(', --by ')}`);
  const groupBy = by[0];
  // Checked as validate checks it: COLUMN=GROUP, the column one of the --by columns.
  const references = groupingFlags(repeated).reference;
  const reference = groupBy === undefined ? undefined : references[groupBy];
  if (flags.value('missing') === 'both') throw new UsageError(`--engine ${engine} computes --missing none or zero, not both side by side; run it twice`);
  flags.choice('bootstrap', BOOTSTRAP_METHODS);
  let source: EngineSource;
  const inputs: string[] = [];
  if (engine === 'duckdb') {
    const cohort = flags.get('cohort');
    if (cohort === undefined) throw new UsageError('--engine duckdb needs --cohort DIR (a Parquet or CSV cohort: ewskit synth --format parquet)');
    if (flags.has('database') || flags.has('tables')) throw new UsageError('--database and --tables go with --engine postgres');
    if (!existsSync(cohort)) {
      io.stderr(`ewskit validate: cohort directory "${cohort}" does not exist.\n`);
      return 1;
    }
    inputs.push(cohort);
    const memoryLimit = flags.get('memory-limit');
    source = { engine, cohort, ...(memoryLimit === undefined ? {} : { memoryLimit }) };
  } else {
    const database = flags.get('database');
    if (database === undefined)
      throw new UsageError('--engine postgres needs --database URL (postgres://user@host:port/db; the password from PGPASSWORD or ~/.pgpass)');
    if (flags.has('cohort')) throw new UsageError('--engine postgres reads tables in the database (--tables), not --cohort');
    if (flags.has('memory-limit')) throw new UsageError('--memory-limit goes with --engine duckdb');
    const tables = tablesFlag(flags.get('tables'));
    source = { engine, database, ...(tables === undefined ? {} : { tables }) };
  }
  const out = flags.get('out');
  const md = flags.get('md');
  const html = flags.get('html');
  const checks = out === undefined ? undefined : `${out.replace(/\.json$/i, '')}.checks.json`;
  checkOutputs(
    'validate',
    [
      out === undefined ? null : { path: out, flag: 'out' },
      md === undefined ? null : { path: md, flag: 'md' },
      html === undefined ? null : { path: html, flag: 'html' },
      checks === undefined ? null : { path: checks, flag: 'out (its checks file)' },
    ],
    inputs,
    flags.has('force'),
  );
  const scores = scoreFlags(repeated as Map<string, string[]>);
  const outcome = outcomeFlags(flags, repeated);
  const missing = flags.value('missing') === 'zero' ? ('zero' as const) : ('none' as const);
  const B = flags.int('B', 0, MAX_BOOTSTRAP);
  const seed = flags.int('seed', 0);
  const study: EngineStudyOptions = {
    scores,
    ...(groupBy === undefined ? {} : { groupBy }),
    ...(reference === undefined ? {} : { reference }),
    outcome,
    missing,
    B,
    seed,
    disclosure: { policy: flags.choice('disclosure', DISCLOSURE_POLICIES), minCount: flags.int('min-count', 1) },
  };
  const started = performance.now();
  if (!flags.has('quiet')) io.stderr(`ewskit validate: counting in ${engine} (${scores.map((d) => d.id).join(', ')}; B = ${B})…\n`);
  const counts = await engineCounts({ source, scores, outcome, missing, B, seed, ...(groupBy === undefined ? {} : { groupBy }) });
  // The disclosure audit's solver (WebAssembly), so the summary can say whether the report is releasable.
  await loadDisclosureAudit();
  const report = engineReport(counts, study);
  const markdown = engineMarkdown(report);
  const files: [string, string][] = [];
  if (out !== undefined) files.push([out, `${JSON.stringify(report, null, 2)}\n`]);
  if (md !== undefined) files.push([md, markdown]);
  if (html !== undefined) files.push([html, engineHtml(report)]);
  if (checks !== undefined) files.push([checks, `${JSON.stringify({ schema: 'ewskit.checks/1', report: out, ...report.disclosure }, null, 2)}\n`]);
  writeTextsAtomic(files);
  io.stdout(`${markdown}\n`);
  io.stderr(
    `ewskit validate: ${((performance.now() - started) / 1000).toFixed(1)} s in ${engine}; wrote ${[out, md, html, checks].filter((f) => f !== undefined).join(', ') || 'nothing (no --out, --md or --html)'}.${report.disclosure.policy === 'none' ? ' NOT FOR RELEASE: disclosure control off (--disclosure none).' : ''}\n`,
  );
  return 0;
}
