/**
 * The command reference cannot drift: every option each command accepts appears in `ewskit COMMAND --help` and in the
 * README's command-line section, and neither names an option the command does not accept.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, optionNames } from '../../src/cli/options.js';
import { runCli } from '../../src/cli/run.js';

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
  for (const command of COMMANDS.map((c) => c.name).filter((c) => c !== 'scores')) {
    const options = optionNames(command);
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

describe('the help teaches', () => {
  it('validate --help gives every option its meaning, default and allowed values, the exit codes, the mapping file and nhs_ethnic_group', async () => {
    const text = await help('validate');
    // The allowed values and defaults, as the parser and the library use them (checked by hand against validate.ts).
    expect(text).toMatch(/--cluster LEVEL +what the bootstrap resamples together[^\n]*\n?[^\n]*One of: patient, encounter\. Default: patient\./);
    expect(text).toMatch(/--disclosure POLICY[\s\S]*?One of: ewskit, opensafely, midpoint6, none\.[\s\S]*?Default: ewskit\./);
    expect(text).toMatch(/--B N[\s\S]*?Default: 1000, raised when the subgroup\s+contrasts need more/);
    expect(text).toMatch(/--horizon HOURS[\s\S]*?Default: 24\./);
    expect(text).toMatch(/Exit codes: 0 success; 1 .*; 2 a usage error/);
    expect(text).toMatch(/ewskit\.mapping\/1/);
    expect(text).toMatch(/nhs_ethnic_group_2021/);
    // Every option line has a meaning: no option name stands alone on its line.
    for (const line of text.split('\n').filter((l) => /^ {2}--/.test(l))) expect(line, line).toMatch(/^ {2}--\S+(?: \S+)? +\S/);
  });

  it('ewskit help COMMAND is COMMAND --help; an unknown command is a usage error', async () => {
    let out = '';
    let err = '';
    expect(await runCli(['help', 'score'], { stdout: (t) => (out += t), stderr: () => undefined })).toBe(0);
    expect(out).toBe(await help('score'));
    expect(await runCli(['help', 'scroe'], { stdout: () => undefined, stderr: (t) => (err += t) })).toBe(2);
    expect(err).toMatch(/no command "scroe"/);
  });

  it('a value outside an option’s allowed values names them all', async () => {
    let err = '';
    const code = await runCli(['synth', '--out', 'x', '--oximeter-bias', 'some'], { stdout: () => undefined, stderr: (t) => (err += t) });
    expect(code).toBe(2);
    expect(err).toMatch(/--oximeter-bias expects literature or none; received "some"/);
  });
});
