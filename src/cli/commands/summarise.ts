/**
 * `ewskit summarise`: the study on one site's cohort or extract, kept as a site summary (`ewskit.summary/1`) — the
 * site's released estimates with their clustered standard errors on the pooling scale, its case mix and settings —
 * with the output-checking summary beside it. What `ewskit combine` reads.
 */
import { writeTextsAtomic } from '../../io/write-text.js';
import { countTablesOf, summaryOf } from '../../../validation/meta/site-summary.js';
import { runStudy } from '../../../validation/study/validate.js';
import type { CliIO } from '../args.js';
import { UsageError } from '../args.js';
import { checkOutputs } from '../outputs.js';
import { releaseNote, studyOptions, studyRequest } from './validate.js';

export async function summarise(args: readonly string[], io: CliIO): Promise<number> {
  const request = studyRequest('summarise', args, io);
  if (request === null) return 1;
  const { flags } = request;
  const site = flags.get('site') ?? '';
  if (site.trim() === '') throw new UsageError('summarise needs --site NAME (the name the combined report shows for this site)');
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('summarise needs --out FILE (the site summary, .json)');
  const checks = `${out.replace(/\.json$/i, '')}.checks.json`;
  checkOutputs(
    'summarise',
    [
      { path: out, flag: 'out' },
      { path: checks, flag: 'out (its checks file)' },
    ],
    request.inputs,
    flags.has('force'),
  );
  const started = performance.now();
  const options = await studyOptions(request, io);
  if (options === null) return 1;
  const run = runStudy(options);
  const summary = summaryOf(run, site, flags.has('count-tables') ? countTablesOf(run) : undefined);
  // The output-checking summary beside it, as for a report: what a TRE's output checker reads first.
  writeTextsAtomic([
    [out, `${JSON.stringify(summary, null, 2)}\n`],
    [
      checks,
      `${JSON.stringify({ schema: 'ewskit.checks/1', report: out, countTables: summary.header.countTables, statement: summary.header.statement, ...summary.disclosure }, null, 2)}\n`,
    ],
  ]);
  const defined = summary.measures.filter((m) => m.value.defined).length;
  io.stderr(
    `ewskit summarise: ${((performance.now() - started) / 1000).toFixed(1)} s; site "${site}": ${defined} of ${summary.measures.length} measures defined${summary.header.countTables ? '; WITH COUNT TABLES (share only where a governance agreement allows them)' : ''}; wrote ${out}, ${checks}.${releaseNote(summary.disclosure)}\n`,
  );
  return 0;
}
