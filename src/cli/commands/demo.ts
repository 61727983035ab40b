/**
 * `ewskit demo`: the study on a built-in seeded cohort — score summaries, example rows and the validation report,
 * printed, and written as an HTML page with its figures (its path printed last).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { writeTextAtomic } from '../../io/write-text.js';
import { checkOutputs } from '../outputs.js';
import { getScore } from '../../../scores/catalogue/catalogue.js';
import type { ScoreDefinition } from '../../../scores/definition/definition.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { kindOf } from '../../../scores/kinds/kind-of.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { renderHtml } from '../../../validation/report/html.js';
import { documentToMarkdown } from '../../../validation/report/markdown.js';
import { reportDocument } from '../../../validation/report/sections.js';
import { validate } from '../../../validation/study/validate.js';
import type { CliIO } from '../args.js';
import { MAX_BOOTSTRAP, parseFlags, progressOf, scoreFlags } from '../args.js';
import { formatExamples, formatSummary, summariseScores } from '../summary.js';
import { loadDisclosureAudit } from '../../../validation/disclosure/lp-audit.js';

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

/** Where the demo writes its HTML report unless told (a folder of its own under the system's temporary directory). */
export function defaultDemoHtml(): string {
  return join(tmpdir(), 'ewskit-demo', 'report.html');
}

export async function demo(args: readonly string[], io: CliIO): Promise<number> {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, 'demo', repeated);
  const encounters = flags.int('encounters', 1);
  const seed = flags.int('seed', 0);
  const B = flags.int('B', 0, MAX_BOOTSTRAP);
  // The HTML report: a path the user names is checked like every output; the default is the demo's own file.
  const asked = flags.get('html');
  if (asked !== undefined) checkOutputs('demo', [{ path: asked, flag: 'html' }], [], flags.has('force'));
  const html = asked ?? defaultDemoHtml();
  if (asked === undefined) mkdirSync(dirname(html), { recursive: true });
  const scores = repeated.has('score') ? scoreFlags(repeated) : [getScore('news2') as ScoreDefinition, getScore('apollo_style') as ScoreDefinition];
  const cohort = generateCohort({ profile: 'uk-leicester', encounters, seed });
  const scored = scoreTable(scores, cohort.observations);
  const first = scores[0] as ScoreDefinition;
  // The disclosure audit's solver (WebAssembly) is loaded before the study, which is synchronous.
  await loadDisclosureAudit();
  const report = validate({ cohort, scores, groupBy: ['ethnicity'], bootstrap: B === 0 ? false : { B, seed }, onProgress: progressOf(io, flags.has('quiet')) });
  const document = reportDocument(report);
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
      documentToMarkdown(document),
      ...scores.map((s) => `Source (${s.name}): ${s.source}`),
      '',
    ].join('\n'),
  );
  writeTextAtomic(html, await renderHtml(report, { document }));
  io.stdout(`The report as a web page, with its figures: ${html}\n`);
  return 0;
}
