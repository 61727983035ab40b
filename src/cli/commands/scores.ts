/**
 * `ewskit scores`: list the built-in scores.
 */
import { listScores } from '../../../scores/catalogue/catalogue.js';
import type { CliIO } from '../args.js';

export function scores(io: CliIO): number {
  const list = listScores();
  const width = Math.max(...list.map((s) => s.id.length));
  const lines = list.map((s) => `${s.id.padEnd(width)}  ${s.name} (${s.version}) — ${s.source}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
