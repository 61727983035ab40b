/**
 * `ewskit scores`: list the built-in scores.
 */
import { listScores } from '../../../scores/catalogue/catalogue.js';
import type { CliIO } from '../args.js';

export function scores(io: CliIO): number {
  const lines = listScores().map((s) => `${s.id.padEnd(10)} ${s.name} (${s.version}) — ${s.source}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
