/**
 * `ewskit score`: score a file of observations (Arrow IPC, CSV, Parquet, or FHIR / long measurements assembled into
 * sets) with one or several scores, batch by batch: memory is bounded by the batch, not the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { resolveMapping } from '../../ingest/mapping.js';
import { rejectionLines } from '../../ingest/measurements.js';
import { scoreFile } from '../../io/score-stream.js';
import type { CliIO } from '../args.js';
import { missingFlag, parseFlags, progressOf, scoreFlags, UsageError } from '../args.js';
import type { ScoreSummary } from '../summary.js';
import { formatSummary, mergeSummaries, summariseScores } from '../summary.js';
import { checkOutputs } from '../outputs.js';

export async function score(args: readonly string[], io: CliIO): Promise<number> {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, 'score', repeated);
  const defs = scoreFlags(repeated);
  const missing = missingFlag(flags);
  const input = flags.get('in');
  const output = flags.get('out');
  if (input === undefined) throw new UsageError('score needs --in FILE (observations: Arrow IPC, CSV, Parquet or FHIR NDJSON)');
  if (output === undefined) throw new UsageError('score needs --out FILE (.arrow, .arrows or .parquet)');
  if (!['.arrow', '.arrows', '.parquet'].includes(extname(output).toLowerCase()))
    throw new UsageError(`--out "${output}": expected a .arrow (Arrow IPC file), .arrows (Arrow IPC stream) or .parquet file`);
  const map = flags.get('map');
  checkOutputs('score', [{ path: output, flag: 'out' }], [input, ...(map === undefined ? [] : [map])], flags.has('force'));
  if (!existsSync(input)) {
    io.stderr(`ewskit score: input file "${input}" does not exist.\n`);
    return 1;
  }
  const columns = flags
    .get('columns')
    ?.split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const batchRows = flags.int('batch', 1);
  const mapping = map === undefined ? undefined : resolveMapping(JSON.parse(readFileSync(map, 'utf8')) as unknown);
  const progress = progressOf(io, flags.has('quiet'));
  progress?.(`scoring ${input} batch by batch`);
  let summaries: ScoreSummary[] | null = null;
  let next = 1_000_000;
  const result = await scoreFile({
    input,
    output,
    scores: defs,
    missing,
    batchRows,
    ...(columns === undefined ? {} : { columns }),
    ...(mapping === undefined ? {} : { mapping }),
    onBatch(scored, rows) {
      const now = defs.map((d) => summariseScores(d, scored));
      summaries = summaries === null ? now : summaries.map((s, k) => mergeSummaries(s, now[k] as ScoreSummary));
      if (rows >= next) {
        progress?.(`${rows.toLocaleString('en-GB')} rows`);
        while (next <= rows) next += 1_000_000;
      }
    },
  });
  const r = result.ingest;
  io.stdout(
    [
      `Scored ${result.rows.toLocaleString('en-GB')} observation sets from ${input} with ${defs.map((d) => d.name).join(', ')}${missing === 'zero' ? ' (research option: missing parameters scored as 0)' : ''}; wrote ${output} (${result.columns.length} columns, ${result.batches.toLocaleString('en-GB')} batches).`,
      ...(r.rejected > 0
        ? [`Rejected ${r.rejected.toLocaleString('en-GB')} of ${r.read.toLocaleString('en-GB')} records read:`, ...rejectionLines(r).map((l) => `  ${l}`)]
        : []),
      '',
      ...defs.flatMap((d, k) => {
        const s = (summaries as ScoreSummary[] | null)?.[k];
        return s === undefined ? [] : [formatSummary(d, s), ''];
      }),
    ].join('\n'),
  );
  return 0;
}
