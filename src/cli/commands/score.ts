/**
 * `ewskit score`: score an Arrow IPC file of observations with one or several scores, in one pass.
 */
import { existsSync } from 'node:fs';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { readArrowFile, writeArrowFile } from '../../io/arrow-file.js';
import type { CliIO } from '../args.js';
import { missingFlag, parseFlags, progressOf, scoreFlags, UsageError } from '../args.js';
import { formatSummary, summariseScores } from '../summary.js';
import { checkOutputs } from '../outputs.js';

/** The options of `ewskit score` (the help text and the README list each; a test checks). */
export const SCORE_OPTIONS: readonly string[] = ['score', 'in', 'out', 'missing', 'force', 'quiet'];
export function score(args: readonly string[], io: CliIO): number {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, SCORE_OPTIONS, repeated);
  const defs = scoreFlags(repeated);
  const missing = missingFlag(flags);
  const input = flags.get('in');
  const output = flags.get('out');
  if (input === undefined) throw new UsageError('score needs --in FILE (an Arrow IPC file of observations)');
  if (output === undefined) throw new UsageError('score needs --out FILE (where to write the scored Arrow IPC file)');
  checkOutputs('score', [{ path: output, flag: 'out' }], [input], flags.has('force'));
  if (!existsSync(input)) {
    io.stderr(`ewskit score: input file "${input}" does not exist.\n`);
    return 1;
  }
  const progress = progressOf(io, flags.has('quiet'));
  progress?.(`reading ${input}`);
  const table = readArrowFile(input);
  progress?.(`scoring ${table.numRows.toLocaleString('en-GB')} observation sets`);
  const scored = scoreTable(defs, table, { missing });
  progress?.(`writing ${output}`);
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
