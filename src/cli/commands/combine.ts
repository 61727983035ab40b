/**
 * `ewskit combine`: site summaries (`ewskit.summary/1`) in, one multi-site report out — a random-effects summary of
 * every measure with its prediction interval for a new site, and every site's row — as JSON, Markdown and HTML.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeTextsAtomic } from '../../io/write-text.js';
import { combineSummaries } from '../../../validation/meta/combine.js';
import { META_TESTS, PREDICTION_RULES, TAU2_METHODS } from '../../../validation/meta/random-effects.js';
import { combinedMarkdown } from '../../../validation/meta/render-combined.js';
import { combinedHtml } from '../../../validation/meta/combined-html.js';
import type { SiteSummary } from '../../../validation/meta/site-summary.js';
import { pooledReport } from '../../../validation/engine/pooled-report.js';
import { engineHtml, engineMarkdown } from '../../../validation/engine/engine-markdown.js';
import type { CliIO } from '../args.js';
import { parseFlags } from '../args.js';
import { checkOutputs } from '../outputs.js';

/** A summary file, read: JSON with a schema (what combineSummaries checks). */
function readSummary(path: string): SiteSummary {
  if (!existsSync(path)) throw new Error(`site summary "${path}" does not exist.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`site summary "${path}" is not JSON (${(e as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('schema' in parsed))
    throw new Error(`"${path}" is not a site summary: it has no "schema" (expected "ewskit.summary/1", written by ewskit summarise).`);
  return parsed as SiteSummary;
}

export async function combine(args: readonly string[], io: CliIO): Promise<number> {
  const flags = parseFlags(args, 'combine');
  const files = flags.positional;
  const out = flags.get('out');
  const md = flags.get('md');
  const html = flags.get('html');
  const pooled = { out: flags.get('pooled-out'), md: flags.get('pooled-md'), html: flags.get('pooled-html') };
  checkOutputs(
    'combine',
    [
      out === undefined ? null : { path: out, flag: 'out' },
      md === undefined ? null : { path: md, flag: 'md' },
      html === undefined ? null : { path: html, flag: 'html' },
      pooled.out === undefined ? null : { path: pooled.out, flag: 'pooled-out' },
      pooled.md === undefined ? null : { path: pooled.md, flag: 'pooled-md' },
      pooled.html === undefined ? null : { path: pooled.html, flag: 'pooled-html' },
    ],
    files,
    flags.has('force'),
  );
  const summaries = files.map(readSummary);
  const report = combineSummaries(summaries, {
    method: flags.choice('method', TAU2_METHODS),
    test: flags.choice('test', META_TESTS),
    prediction: flags.choice('prediction', PREDICTION_RULES),
  });
  const markdown = combinedMarkdown(report);
  const outputs: [string, string][] = [];
  if (out !== undefined) outputs.push([out, `${JSON.stringify(report, null, 2)}\n`]);
  if (md !== undefined) outputs.push([md, markdown]);
  if (html !== undefined) outputs.push([html, await combinedHtml(report)]);
  // The one-stage engine report: every site's count tables added (refused, naming the site, when one shared none).
  if (pooled.out !== undefined || pooled.md !== undefined || pooled.html !== undefined) {
    const one = pooledReport(summaries);
    if (pooled.out !== undefined) outputs.push([pooled.out, `${JSON.stringify(one, null, 2)}\n`]);
    if (pooled.md !== undefined) outputs.push([pooled.md, engineMarkdown(one)]);
    if (pooled.html !== undefined) outputs.push([pooled.html, engineHtml(one)]);
  }
  writeTextsAtomic(outputs);
  io.stdout(`${markdown}\n`);
  io.stderr(
    `ewskit combine: ${summaries.length} site${summaries.length === 1 ? '' : 's'} (${summaries.map((s) => s.site).join(', ')}); wrote ${outputs.map(([p]) => p).join(', ') || 'nothing (no --out, --md or --html)'}.${report.releasable ? '' : ' NOT FOR RELEASE: a site summary was not releasable.'}${(pooled.out ?? pooled.md ?? pooled.html) ? ' The one-stage report is NOT FOR RELEASE until checked (computed from count tables outside disclosure control).' : ''}\n`,
  );
  return 0;
}
