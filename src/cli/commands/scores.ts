/**
 * `ewskit scores`: list the built-in scores — the id as you type it, the prefix of its output columns, name, version
 * and source.
 */
import { listScores, typedId } from '../../../scores/catalogue/catalogue.js';
import type { CliIO } from '../args.js';
import { parseFlags } from '../args.js';

export function scores(args: readonly string[], io: CliIO): number {
  parseFlags(args, 'scores');
  const list = listScores();
  const rows = [['ID (--score)', 'COLUMNS', 'SCORE'], ...list.map((s) => [typedId(s.id), `${s.id}_*`, `${s.name} (${s.version}) — ${s.source}`])];
  const widths = [0, 1].map((k) => Math.max(...rows.map((r) => (r[k] as string).length)));
  const lines = rows.map((r) => `${(r[0] as string).padEnd(widths[0] as number)}  ${(r[1] as string).padEnd(widths[1] as number)}  ${r[2] as string}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
