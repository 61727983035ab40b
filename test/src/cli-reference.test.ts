/**
 * The command reference cannot drift: every option each command accepts appears in `ewskit COMMAND --help` and in the
 * README's command-line section, and neither names an option the command does not accept.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_OPTIONS } from '../../src/cli/commands/demo.js';
import { FIT_OPTIONS } from '../../src/cli/commands/fit.js';
import { SCORE_OPTIONS } from '../../src/cli/commands/score.js';
import { SYNTH_OPTIONS } from '../../src/cli/commands/synth.js';
import { VALIDATE_OPTIONS } from '../../src/cli/commands/validate.js';
import { runCli } from '../../src/cli/run.js';

const COMMANDS: Record<string, readonly string[]> = {
  demo: DEMO_OPTIONS,
  synth: SYNTH_OPTIONS,
  score: SCORE_OPTIONS,
  validate: VALIDATE_OPTIONS,
  fit: FIT_OPTIONS,
};

async function help(command: string): Promise<string> {
  let out = '';
  await runCli([command, '--help'], { stdout: (t) => (out += t), stderr: () => undefined });
  return out;
}

/** The README's lines for one command: its `npx --no-install ewskit COMMAND` line and the indented lines after it. */
function readmeLines(command: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Command line'));
  const lines = section.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`npx --no-install ewskit ${command} `) || l === `npx --no-install ewskit ${command}`);
  if (start < 0) return '';
  const block = [(lines[start] as string).replace('npx --no-install ', '')];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith(' ')) break;
    block.push(l);
  }
  return block.join('\n');
}

const named = (text: string): Set<string> => new Set([...text.matchAll(/--([a-zA-Z][\w-]*)/g)].map((m) => m[1] as string));

describe('the command reference', () => {
  for (const [command, options] of Object.entries(COMMANDS)) {
    it(`ewskit ${command}: --help and the README list exactly its options`, async () => {
      const inHelp = named(await help(command));
      const inReadme = named(readmeLines(command));
      const accepted = new Set([...options, 'help']);
      expect(
        [...options].filter((o) => !inHelp.has(o)),
        'missing from --help',
      ).toEqual([]);
      expect(
        [...options].filter((o) => !inReadme.has(o)),
        'missing from the README',
      ).toEqual([]);
      expect(
        [...inHelp].filter((o) => !accepted.has(o)),
        'in --help but not accepted',
      ).toEqual([]);
      expect(
        [...inReadme].filter((o) => !accepted.has(o)),
        'in the README but not accepted',
      ).toEqual([]);
    });
  }
});
