import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, vectorFromArray, Float64 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readArrowFile, writeArrowFile } from '../../src/io/arrow-file.js';
import { runCli } from '../../src/cli/run.js';
import { demoObservations } from '../../src/demo.js';

function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'ewskit-cli-'));

describe('ewskit demo', () => {
  it('scores the seeded demo table and prints counts per risk band that add up to the rows', () => {
    const r = run(['demo']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const rows = Number(/([\d,]+) observation sets, seed 1/.exec(r.stdout)?.[1]?.replace(/,/g, ''));
    expect(rows).toBe(demoObservations().numRows);
    const counts = [...r.stdout.matchAll(/^\| (low|low-medium|medium|high|no total[^|]*) \| ([\d,]+) \|/gm)].map((m) => Number(m[2]?.replace(/,/g, '')));
    expect(counts).toHaveLength(5);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(rows);
  });

  it('is deterministic for a seed, and shows no patient or encounter identifier', () => {
    const a = run(['demo', '--seed', '3', '--patients', '40']);
    const b = run(['demo', '--seed', '3', '--patients', '40']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toMatch(/P0\d{4}/);
    expect(a.stdout).not.toMatch(/-E1/);
  });
});

describe('ewskit score', () => {
  it('scores an Arrow file into another, keeping every row', () => {
    const dir = tmp();
    const input = join(dir, 'obs.arrow');
    const output = join(dir, 'scored.arrow');
    writeArrowFile(input, demoObservations({ patients: 30 }));
    const r = run(['score', '--score', 'news2', '--in', input, '--out', output]);
    expect(r.code).toBe(0);
    expect(existsSync(output)).toBe(true);
    const scored = readArrowFile(output);
    expect(scored.numRows).toBe(readArrowFile(input).numRows);
    expect(scored.schema.fields.map((f) => f.name)).toContain('news2_total');
    expect(r.stdout).toMatch(/Scored [\d,]+ observation sets/);
  });

  it('labels the research option in its output', () => {
    const dir = tmp();
    const input = join(dir, 'obs.arrow');
    writeArrowFile(input, demoObservations({ patients: 5 }));
    const r = run(['score', '--in', input, '--out', join(dir, 'o.arrow'), '--missing', 'zero']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/research option: missing parameters scored as 0/);
  });

  it('exits 1 naming a missing input file', () => {
    const r = run(['score', '--in', '/nonexistent/obs.arrow', '--out', '/tmp/x.arrow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"\/nonexistent\/obs\.arrow" does not exist/);
  });

  it('exits 1 naming a missing column and the score that needs it', () => {
    const dir = tmp();
    const input = join(dir, 'bad.arrow');
    writeArrowFile(input, tableFromArrays({ spo2: vectorFromArray([97], new Float64()) } as never) as never);
    const r = run(['score', '--in', input, '--out', join(dir, 'o.arrow')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/column "respiratory_rate" is required by score "news2"/);
  });

  it('exits 1 for a file that is not Arrow', () => {
    const r = run(['score', '--in', new URL('../../package.json', import.meta.url).pathname, '--out', '/tmp/x.arrow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not an Arrow IPC file/);
  });
});

describe('ewskit usage errors', () => {
  it('exits 2 for an unknown score, command or option, saying what is accepted', () => {
    const a = run(['score', '--score', 'news9', '--in', 'a', '--out', 'b']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown score "news9" \(built-in scores: news2/);
    const b = run(['frobnicate']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown command "frobnicate"/);
    const c = run(['demo', '--colour', 'red']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/unknown option --colour/);
    const d = run(['demo', '--seed', 'abc']);
    expect(d.code).toBe(2);
  });

  it('help exits 0 and lists the commands; no command exits 2 with the help', () => {
    expect(run(['help']).code).toBe(0);
    expect(run(['help']).stdout).toMatch(/ewskit score --score ID --in FILE --out FILE/);
    expect(run([]).code).toBe(2);
  });

  it('scores lists the catalogue', () => {
    expect(run(['scores']).stdout).toMatch(/^news2\s+NEWS2 \(2017\)/);
  });
});

describe('ewskit score with several scores and a definition file', () => {
  it('scores NEWS2, MEWS and a JSON model in one pass', () => {
    const dir = tmp();
    const input = join(dir, 'obs.arrow');
    const output = join(dir, 'scored.arrow');
    const model = new URL('../fixtures/example-model.json', import.meta.url).pathname;
    writeArrowFile(input, demoObservations({ patients: 20 }));
    const r = run(['score', '--score', 'news2', '--score', 'mews', '--score', model, '--in', input, '--out', output]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = readArrowFile(output).schema.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['news2_total', 'mews_total', 'example_model_probability']));
    expect(r.stdout).toMatch(/NEWS2, MEWS, Example severity model/);
  });

  it('exits 1 with every problem of a malformed definition file', () => {
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'banded', id: 'Bad Id' }));
    const r = run(['score', '--score', bad, '--in', bad, '--out', join(dir, 'o.arrow')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\$\.name: expected a non-empty string/);
    expect(r.stderr).toMatch(/\$\.parameters: expected an array/);
  });
});
