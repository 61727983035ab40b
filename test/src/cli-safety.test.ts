/**
 * The command line never destroys a user's data, and explains itself. Each case was seen to lose data or confuse
 * before: a refused or failed command leaves every existing file's bytes as they were, with exit 2 and a message
 * naming the option and the path.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { writeError } from '../../src/io/write-text.js';
import { EWSKIT_VERSION } from '../../validation/report/provenance.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Every file of a directory with its bytes. */
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

describe('outputs by real path, clear write errors, bounded work', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ewskit-safety-'));
  const cohort = join(root, 'cohort');
  expect((await run(['synth', '--encounters', '30', '--seed', '3', '--out', cohort, '--quiet'])).code).toBe(0);

  it('an output that is a symbolic link to the input is refused, even with --force; the input keeps its bytes', async () => {
    const target = join(root, 'target.arrow');
    copyFileSync(join(cohort, 'observations.arrow'), target);
    const link = join(root, 'link.arrow');
    symlinkSync(target, link);
    const bytes = readFileSync(target).toString('base64');
    const r = await run(['score', '--in', link, '--out', target, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out ".*target\.arrow" would overwrite the input ".*link\.arrow"/);
    expect(readFileSync(target).toString('base64')).toBe(bytes);
  });

  it('a file is never replaced by a directory: synth --out FILE --force is refused before any work', async () => {
    const file = join(root, 'file.arrow');
    writeFileSync(file, 'keep me');
    const r = await run(['synth', '--encounters', '10', '--out', file, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out ".*file\.arrow" is a file; expected a directory \(a file is never replaced by a directory\)/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('a destination that cannot be written is a clear error naming the path, not a stack trace, and leaves no temporary file', async () => {
    // /sys refuses new files (permission denied, or a read-only file system), even to root.
    const r = await run(['score', '--in', join(cohort, 'observations.arrow'), '--out', '/sys/ewskit-test.arrow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write "\/sys\/ewskit-test\.arrow": (permission denied \(EACCES\)|the file system is read-only \(EROFS\))/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(writeError('x.json', Object.assign(new Error('nope'), { code: 'ENOSPC' })).message).toBe('cannot write "x.json": the disk is full (ENOSPC)');
  });

  it('--B has a stated ceiling (memory per replicate); -V prints the version', async () => {
    const r = await run(['validate', '--cohort', cohort, '--B', '1000000000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--B expects at most 100,000 \(each replicate keeps its statistics in memory/);
    expect((await run(['-V'])).stdout).toBe(`ewskit ${EWSKIT_VERSION}\n`);
  });
});

describe('the CLI never destroys data', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ewskit-safety-'));
  const cohort = join(root, 'cohort');
  expect((await run(['synth', '--encounters', '40', '--seed', '2', '--out', cohort])).code).toBe(0);
  const before = snapshot(cohort);

  it('a synth with a bad profile, or into an existing cohort without --force, touches nothing', async () => {
    const bad = await run(['synth', '--profile', 'mars', '--out', cohort]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/profile.*"mars"/);
    const again = await run(['synth', '--encounters', '10', '--out', cohort]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out ".*cohort" is a directory that exists; add --force to replace it/);
    expect(snapshot(cohort)).toEqual(before);
  });

  it('with --force, a new cohort replaces the old one whole (no temporary directory left behind)', async () => {
    const copy = join(root, 'copy');
    expect((await run(['synth', '--encounters', '40', '--seed', '2', '--out', copy])).code).toBe(0);
    expect((await run(['synth', '--encounters', '20', '--seed', '3', '--out', copy, '--force'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(copy, 'cohort.json'), 'utf8')).encounters).toBe(20);
    expect(readdirSync(root).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('validate refuses an output that is one of its inputs, or two outputs with one path', async () => {
    const into = await run(['validate', '--cohort', cohort, '--score', 'news2', '--B', '0', '--out', join(cohort, 'observations.arrow')]);
    expect(into.code).toBe(2);
    expect(into.stderr).toMatch(/--out ".*observations.arrow" would overwrite the input/);
    const same = await run(['validate', '--cohort', cohort, '--score', 'news2', '--B', '0', '--out', join(root, 'r.json'), '--md', join(root, 'r.json')]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/--md and --out are the same file/);
    expect(snapshot(cohort)).toEqual(before);
  });

  it('validate refuses to replace an existing report without --force, and checks the directory before any work', async () => {
    const report = join(root, 'report.json');
    writeFileSync(report, 'precious');
    const r = await run(['validate', '--cohort', cohort, '--score', 'news2', '--B', '0', '--out', report]);
    expect(r.code).toBe(2);
    expect(readFileSync(report, 'utf8')).toBe('precious');
    const asDirectory = await run(['validate', '--cohort', cohort, '--score', 'news2', '--B', '0', '--out', join(root, 'a.json'), '--md', cohort, '--force']);
    expect([asDirectory.code, asDirectory.stderr]).toEqual([2, expect.stringMatching(/--md ".*cohort" (is a directory|would overwrite the input)/)]);
    expect(readdirSync(root)).not.toContain('a.json');
    const missing = await run(['validate', '--cohort', cohort, '--score', 'news2', '--B', '0', '--out', join(root, 'no', 'such', 'r.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the directory ".*no\/such" does not exist/);
  });

  it('score refuses --out equal to --in (the input stays as it was)', async () => {
    const input = join(cohort, 'observations.arrow');
    const r = await run(['score', '--score', 'news2', '--in', input, '--out', input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/would overwrite the input/);
    expect(snapshot(cohort)).toEqual(before);
  });

  it('an empty option value is an error, not 0', async () => {
    const r = await run(['validate', '--cohort', cohort, '--score', 'news2', '--B=']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/option --B needs a value/);
  });
});

describe('the CLI explains itself', () => {
  it('--version prints the version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`ewskit ${EWSKIT_VERSION}`);
  });

  it('COMMAND --help prints that command’s options, exit 0', async () => {
    for (const command of ['synth', 'score', 'validate', 'fit', 'demo']) {
      const r = await run([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage:\\n  ewskit ${command}`));
    }
    expect((await run(['validate', '--help'])).stdout).toMatch(/--disclosure POLICY[\s\S]*One of: ewskit, opensafely, midpoint6, none\./);
  });
});

describe('the CLI’s odd edges, each a clear error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ewskit-edges-'));
  const cohort = join(root, 'cohort');
  await run(['synth', '--encounters', '40', '--seed', '2', '--out', cohort, '--quiet']);

  it('a score given twice, a repeated --by, and --reference for a column not in --by are usage errors (exit 2)', async () => {
    const twice = await run(['validate', '--cohort', cohort, '--score', 'news2', '--score', 'news2']);
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringMatching(/--score names "news2" twice/)]);
    const by = await run(['validate', '--cohort', cohort, '--by', 'sex', '--by', 'sex']);
    expect([by.code, by.stderr]).toEqual([2, expect.stringMatching(/--by names "sex" twice/)]);
    const ref = await run(['validate', '--cohort', cohort, '--by', 'sex', '--reference', 'ethnicity=White']);
    expect([ref.code, ref.stderr]).toEqual([2, expect.stringMatching(/--reference names the column "ethnicity", which is not a --by column \(sex\)/)]);
    const refs = await run(['validate', '--cohort', cohort, '--by', 'sex', '--reference', 'sex=F', '--reference', 'sex=M']);
    expect([refs.code, refs.stderr]).toEqual([2, expect.stringMatching(/two reference groups/)]);
  });

  it('a custom definition that takes a built-in id is refused', async () => {
    const file = join(root, 'mine.json');
    const example = JSON.parse(readFileSync(new URL('../fixtures/example-model.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...example, id: 'news2' }));
    const r = await run(['score', '--score', file, '--in', join(cohort, 'observations.arrow'), '--out', join(root, 'scored.arrow')]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/has the id "news2", which is a built-in score's/)]);
  });

  it('an empty or truncated input is called what it is', async () => {
    const empty = join(root, 'empty.arrow');
    writeFileSync(empty, '');
    const e = await run(['score', '--in', empty, '--out', join(root, 'e-out.arrow')]);
    expect([e.code, e.stderr]).toEqual([1, expect.stringMatching(/"[^"]*empty.arrow" is empty \(0 bytes\)/)]);
    const whole = readFileSync(join(cohort, 'observations.arrow'));
    const cut = join(root, 'cut.arrow');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const t = await run(['score', '--in', cut, '--out', join(root, 't-out.arrow')]);
    expect([t.code, t.stderr]).toEqual([1, expect.stringMatching(/"[^"]*cut.arrow" is a truncated Arrow IPC file/)]);
  });

  it('the scores table lines up however long an id is', async () => {
    const lines = (await run(['scores'])).stdout.trim().split('\n');
    const starts = lines.map((l) => l.search(/ {2}\S/));
    expect(new Set(starts).size).toBe(1);
    const second = lines.map((l) => l.slice((starts[0] as number) + 2).search(/ {2}\S/));
    expect(new Set(second).size).toBe(1);
  });
});
