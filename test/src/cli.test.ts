import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, vectorFromArray, Float64 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readArrowFile, writeArrowFile } from '../../src/io/arrow-file.js';
import { runCli } from '../../src/cli/run.js';
import { checkReport } from '../../validation/report/schema.js';
import { generateCohort } from '../../validation/cohort/generate.js';
const demoObservations = (o: { patients?: number } = {}) => generateCohort({ encounters: o.patients ?? 300, seed: 1 }).observations;

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'ewskit-cli-'));

/** An io that keeps everything written, across several runs. */
function captureIo() {
  return {
    out: '',
    err: '',
    stdout(t: string) {
      this.out += t;
    },
    stderr(t: string) {
      this.err += t;
    },
  };
}

describe('ewskit demo', async () => {
  it('runs the study on a seeded cohort and prints NEWS2 counts per risk band that add up to the rows', async () => {
    const r = await run(['demo', '--encounters', '300', '--B', '20', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const rows = Number(/([\d,]+) observation sets, seed 1/.exec(r.stdout)?.[1]?.replace(/,/g, ''));
    expect(rows).toBe(demoObservations({ patients: 300 }).numRows);
    expect(r.stdout).toMatch(/# Validation report/);
    expect(r.stdout).toMatch(/news2 − apollo_style/);
    const counts = [...r.stdout.matchAll(/^\| (low|low-medium|medium|high|no total[^|]*) \| ([\d,]+) \|/gm)].map((m) => Number(m[2]?.replace(/,/g, '')));
    expect(counts).toHaveLength(5);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(rows);
  });

  it('is deterministic for a seed, and shows no patient or encounter identifier', async () => {
    const a = await run(['demo', '--seed', '3', '--encounters', '40']);
    const b = await run(['demo', '--seed', '3', '--encounters', '40']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toMatch(/P0\d{4}/);
    expect(a.stdout).not.toMatch(/-E1/);
  });

  it('writes the HTML report (to --html, or its own file in the temporary directory) and prints its path last', async () => {
    const dir = tmp();
    const html = join(dir, 'demo.html');
    const r = await run(['demo', '--encounters', '300', '--B', '0', '--quiet', '--html', html]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`The report as a web page, with its figures: ${html}`);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
    // A named file that exists is not replaced without --force.
    const again = await run(['demo', '--encounters', '300', '--B', '0', '--quiet', '--html', html]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--html .* is a file that exists; add --force/);
    const byDefault = await run(['demo', '--encounters', '40', '--B', '0', '--quiet']);
    const path = /with its figures: (.*)$/m.exec(byDefault.stdout)?.[1] ?? '';
    expect(path).toBe(join(tmpdir(), 'ewskit-demo', 'report.html'));
    expect(existsSync(path)).toBe(true);
    // The test run's own temporary directory, never the user's: a demo report the user made is not replaced.
    expect(tmpdir()).toMatch(/ewskit-tests-/);
  });
});

describe('ewskit score', async () => {
  it('scores an Arrow file into another, keeping every row', async () => {
    const dir = tmp();
    const input = join(dir, 'obs.arrow');
    const output = join(dir, 'scored.arrow');
    writeArrowFile(input, demoObservations({ patients: 30 }));
    const r = await run(['score', '--score', 'news2', '--in', input, '--out', output]);
    expect(r.code).toBe(0);
    expect(existsSync(output)).toBe(true);
    const scored = readArrowFile(output);
    expect(scored.numRows).toBe(readArrowFile(input).numRows);
    expect(scored.schema.fields.map((f) => f.name)).toContain('news2_total');
    expect(r.stdout).toMatch(/Scored [\d,]+ observation sets/);
  });

  it('labels the research option in its output', async () => {
    const dir = tmp();
    const input = join(dir, 'obs.arrow');
    writeArrowFile(input, demoObservations({ patients: 5 }));
    const r = await run(['score', '--in', input, '--out', join(dir, 'o.arrow'), '--missing', 'zero']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/research option: missing parameters scored as 0/);
  });

  it('exits 1 naming a missing input file', async () => {
    const r = await run(['score', '--in', '/nonexistent/obs.arrow', '--out', '/tmp/x.arrow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"\/nonexistent\/obs\.arrow" does not exist/);
  });

  it('exits 1 naming a missing column and the score that needs it', async () => {
    const dir = tmp();
    const input = join(dir, 'bad.arrow');
    writeArrowFile(input, tableFromArrays({ spo2: vectorFromArray([97], new Float64()) } as never) as never);
    const r = await run(['score', '--in', input, '--out', join(dir, 'o.arrow')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/column "respiratory_rate" is required by score "news2"/);
  });

  it('exits 1 for a file that is not Arrow', async () => {
    const notArrow = join(tmp(), 'package.arrow');
    writeFileSync(notArrow, readFileSync(new URL('../../package.json', import.meta.url)));
    const r = await run(['score', '--in', notArrow, '--out', join(tmp(), 'x.arrow')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not an Arrow IPC file/);
  });
});

describe('ewskit usage errors', async () => {
  it('exits 2 for an unknown score, command or option, saying what is accepted', async () => {
    const a = await run(['score', '--score', 'news9', '--in', 'a', '--out', 'b']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown score "news9" \(built-in scores: news2/);
    const b = await run(['frobnicate']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown command "frobnicate"/);
    const c = await run(['demo', '--colour', 'red']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/unknown option --colour/);
    const d = await run(['demo', '--seed', 'abc']);
    expect(d.code).toBe(2);
  });

  it('help exits 0 and lists the commands; no command exits 2 with the help', async () => {
    expect((await run(['help'])).code).toBe(0);
    expect((await run(['help'])).stdout).toMatch(/ewskit score --in FILE --out FILE \[--score ID \.\.\.\]/);
    expect((await run([])).code).toBe(2);
  });

  it('scores lists the catalogue, each id as it is typed with its columns’ prefix', async () => {
    const out = (await run(['scores'])).stdout;
    expect(out).toMatch(/^news2\s+news2_\*\s+NEWS2 \(2017\)/m);
    // The README and `fit --model` write apollo-style; its columns are apollo_style_total, …
    expect(out).toMatch(/^apollo-style\s+apollo_style_\*\s+Apollo-style/m);
    expect((await run(['scores', '--all'])).code).toBe(2);
  });
});

describe('ewskit score with several scores and a definition file', async () => {
  it('scores NEWS2, MEWS and a JSON model in one pass', async () => {
    const dir = tmp();
    const input = join(dir, 'obs.arrow');
    const output = join(dir, 'scored.arrow');
    const model = new URL('../fixtures/example-model.json', import.meta.url).pathname;
    writeArrowFile(input, demoObservations({ patients: 20 }));
    const r = await run(['score', '--score', 'news2', '--score', 'mews', '--score', model, '--in', input, '--out', output, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = readArrowFile(output).schema.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['news2_total', 'mews_total', 'example_model_probability']));
    expect(r.stdout).toMatch(/NEWS2, MEWS, Example severity model/);
  });

  it('exits 1 with every problem of a malformed definition file', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'banded', id: 'Bad Id' }));
    const r = await run(['score', '--score', bad, '--in', bad, '--out', join(dir, 'o.arrow')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\$\.name: expected a non-empty string/);
    expect(r.stderr).toMatch(/\$\.parameters: expected an array/);
  });
});

describe('ewskit synth', () => {
  it('writes the five tables and a manifest; the same seed gives the same bytes', async () => {
    const a = tmp();
    const b = tmp();
    const args = ['synth', '--profile', 'india-apollo', '--encounters', '120', '--seed', '4', '--oximeter-bias', 'none', '--batch', '50'];
    const r = await run([...args, '--out', a, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await run([...args, '--out', b]);
    for (const f of ['patients', 'encounters', 'observations', 'events', 'truth']) {
      expect(readFileSync(join(a, `${f}.arrow`))).toEqual(readFileSync(join(b, `${f}.arrow`)));
    }
    const manifest = JSON.parse(readFileSync(join(a, 'cohort.json'), 'utf8'));
    expect(manifest).toMatchObject({ seed: 4, encounters: 120, generator: 'ewskit', profile: { name: 'india-apollo' } });
    expect(manifest.rows.encounters).toBe(120);
    expect(readArrowFile(join(a, 'observations.arrow')).numRows).toBe(manifest.rows.observations);
    expect(r.stdout).toMatch(/Wrote a india-apollo cohort/);
  });
  it('--out with a trailing slash writes the cohort there (as the README writes it); a regular file is never replaced by a directory', async () => {
    const parent = tmp();
    const r = await run(['synth', '--encounters', '30', '--seed', '2', '--out', `${join(parent, 'cohort')}/`, '--quiet']);
    expect(r.code).toBe(0);
    expect(existsSync(join(parent, 'cohort', 'cohort.json'))).toBe(true);
    const again = await run(['synth', '--encounters', '30', '--seed', '2', '--out', `${join(parent, 'cohort')}/`, '--force', '--quiet']);
    expect(again.code).toBe(0);
    const file = join(parent, 'file.arrow');
    writeFileSync(file, 'not a cohort');
    const refused = await run(['synth', '--encounters', '30', '--out', file, '--force', '--quiet']);
    expect(refused.code).toBe(2); // refused before any work, by the output check
    expect(refused.stderr).toMatch(/--out ".*file\.arrow" is a file; expected a directory \(a file is never replaced by a directory\)/);
    expect(readFileSync(file, 'utf8')).toBe('not a cohort');
  });
  it('shows progress on a terminal, timestamped lines off one (a CI log), and nothing with --quiet', async () => {
    let err = '';
    await runCli(['synth', '--encounters', '30', '--out', tmp()], { stdout: () => undefined, stderr: (t) => (err += t), tty: true });
    expect(err).toMatch(/Generating 30 encounters: 100%/);
    const log = await run(['synth', '--encounters', '30', '--out', tmp()]);
    expect(log.stderr).toMatch(/^\[\d\d:\d\d:\d\d\] generated 30 of 30 encounters$/m);
    expect((await run(['synth', '--encounters', '30', '--out', tmp(), '--quiet'])).stderr).toBe('');
    const dir = tmp();
    // 200 encounters hold events (a study without any stops before scoring).
    await run(['synth', '--encounters', '200', '--out', dir, '--quiet']);
    const validateLog = await run(['validate', '--cohort', dir, '--score', 'news2', '--B', '0']);
    expect(validateLog.stderr).toMatch(/^\[\d\d:\d\d:\d\d\] scoring$/m);
    const scoreLog = await run(['score', '--in', join(dir, 'observations.arrow'), '--out', join(dir, 'scored.arrow')]);
    expect(scoreLog.stderr).toMatch(/^\[\d\d:\d\d:\d\d\] scoring .*observations\.arrow batch by batch$/m);
  });
  it('needs --out, and names a bad bias or profile', async () => {
    expect((await run(['synth'])).code).toBe(2);
    expect((await run(['synth', '--out', tmp(), '--oximeter-bias', 'maybe'])).stderr).toMatch(/--oximeter-bias expects literature or none/);
    expect((await run(['synth', '--out', tmp(), '--profile', 'mars'])).stderr).toMatch(
      /option "profile" expected one of uk-leicester, uk-leicester-city, india-apollo/,
    );
    expect((await run(['synth', '--out', tmp(), '--escalation-effect', '2'])).stderr).toMatch(/--escalation-effect expects a share from 0 to 1; received "2"/);
    expect((await run(['synth', '--out', tmp(), '--escalation-trigger', 'loud'])).code).toBe(2);
  });
  it('the benchtop from the command line: an escalation effect in cohort.json, a study by condition with the rising rule', async () => {
    const dir = tmp();
    const w = await run([
      'synth',
      '--encounters',
      '500',
      '--seed',
      '6',
      '--escalation-effect',
      '0.4',
      '--escalation-trigger',
      'emergency',
      '--out',
      dir,
      '--quiet',
    ]);
    expect(w.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'cohort.json'), 'utf8'))).toMatchObject({ escalation: { effect: 0.4, trigger: 'emergency' } });
    const out = join(dir, 'report.json');
    const r = await run([
      'validate',
      '--cohort',
      dir,
      '--score',
      'news2',
      '--score',
      'qsofa',
      '--by',
      'condition',
      '--rising-by',
      '2',
      '--B',
      '50',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/## Subgroups by condition \(reference: Other\)/);
    expect(r.stdout).toMatch(/## Alerts on the ward/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.settings.groupBy).toEqual(['condition']);
    expect(report.alerts.risingBy).toBe(2);
    expect(report.alerts.scores[0].rules.map((x: { rule: string }) => x.rule)).toContain('NEWS2 rising by ≥ 2 from the previous set');
  });
});

describe('ewskit validate', () => {
  it('validates a cohort written by synth: JSON report, Markdown summary, exit 0', async () => {
    const dir = tmp();
    await run(['synth', '--profile', 'india-apollo', '--encounters', '400', '--seed', '8', '--out', dir]);
    const out = join(dir, 'report.json');
    const md = join(dir, 'report.md');
    const r = await run(['validate', '--cohort', dir, '--score', 'news2', '--score', 'apollo-style', '--by', 'sex', '--B', '50', '--out', out, '--md', md]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/## Table 1 — cohort/);
    expect(r.stdout).toMatch(/## Subgroups by sex/);
    expect(checkReport(JSON.parse(readFileSync(out, 'utf8')))).toEqual([]);
    expect(readFileSync(md, 'utf8')).toBe(r.stdout.slice(0, -1));
  });
  it('--html writes one self-contained page and --figures one SVG per drawn figure', async () => {
    const dir = tmp();
    await run(['synth', '--profile', 'uk-leicester', '--encounters', '600', '--seed', '4', '--out', dir]);
    const out = tmp();
    const html = join(out, 'report.html');
    const figures = join(out, 'figures');
    const r = await run(['validate', '--cohort', dir, '--score', 'news2', '--by', 'ethnicity', '--B', '50', '--html', html, '--figures', figures, '--quiet']);
    expect(r.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|https?:\/\/(?!vega\.github\.io|www\.w3\.org)/); // no script, no address but the SVG namespaces
    expect(readFileSync(join(figures, 'roc-news2.svg'), 'utf8')).toMatch(/^<svg[^>]* role="img"/);
    expect(existsSync(join(figures, 'pr-news2.svg'))).toBe(true);
    expect(r.stderr).toMatch(/wrote .*report\.html, .*figures\/ \(figures\)/);
    // The checks file sits beside the first report output.
    expect(existsSync(join(out, 'report.checks.json'))).toBe(true);
    // The figures directory, now full, is not replaced without --force.
    const again = await run(['validate', '--cohort', dir, '--score', 'news2', '--B', '0', '--figures', figures]);
    expect(again.code).toBe(2);
    // With --force, only what ewskit wrote there is replaced: no old figure stays among the new ones.
    const before = readdirSync(figures).sort();
    expect(before).toContain('ewskit-figures.json');
    writeFileSync(join(figures, 'roc-old-score.svg'), '<svg/>'); // not in the manifest: a file ewskit did not write
    const foreign = await run(['validate', '--cohort', dir, '--score', 'news2', '--B', '0', '--figures', figures, '--force']);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/--figures ".*figures" holds files ewskit did not write there \(roc-old-score\.svg\)/);
    rmSync(join(figures, 'roc-old-score.svg'));
    // A run that draws fewer figures (no subgroups) removes the ones it no longer draws.
    const fewer = await run(['validate', '--cohort', dir, '--score', 'news2', '--B', '50', '--figures', figures, '--force', '--quiet']);
    expect(fewer.code).toBe(0);
    const after = readdirSync(figures).sort();
    const manifest = JSON.parse(readFileSync(join(figures, 'ewskit-figures.json'), 'utf8')) as { files: string[] };
    expect(after).toEqual([...manifest.files, 'ewskit-figures.json'].sort());
    expect(after.length).toBeLessThan(before.length);
    // A directory with the user's own files is refused even with --force.
    const mine = tmp();
    writeFileSync(join(mine, 'notes.txt'), 'mine');
    const refused = await run(['validate', '--cohort', dir, '--score', 'news2', '--B', '0', '--figures', mine, '--force']);
    expect(refused.code).toBe(2);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('mine');
  });
  it('names a missing cohort directory and exits 1', async () => {
    const r = await run(['validate', '--cohort', '/nonexistent/cohort', '--score', 'news2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cohort directory "\/nonexistent\/cohort" does not exist/);
  });
});

describe('ewskit validate: the study options on the command line', () => {
  it('passes --cluster, --recalibration and --pool-min-events through, and refuses bad values with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-cli-'));
    const io = captureIo();
    expect(await runCli(['synth', '--encounters', '300', '--seed', '4', '--out', dir], io)).toBe(0);
    const out = join(dir, 'report.json');
    const args = [
      'validate',
      '--cohort',
      dir,
      '--score',
      'news2',
      '--B',
      '0',
      '--cluster',
      'encounter',
      '--recalibration',
      'isotonic',
      '--pool-min-events',
      '5',
      '--out',
      out,
    ];
    expect(await runCli(args, io)).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.settings.intervals.cluster).toBe('encounter');
    expect(report.settings.recalibration.method).toBe('isotonic');
    expect(report.settings.pooling).toEqual({ minEvents: 5, minNonEvents: 5 });
    expect(await runCli(['validate', '--cohort', dir, '--recalibration', 'spline'], io)).toBe(2);
    expect(io.err).toMatch(/--recalibration expects logistic or isotonic; received "spline"/);
  });

  it('an --event type the events table does not have is a usage error listing its types; a study without events writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-cli-'));
    expect(await runCli(['synth', '--encounters', '120', '--seed', '5', '--out', dir], captureIo())).toBe(0);
    const io = captureIo();
    const out = join(dir, 'typo.json');
    expect(await runCli(['validate', '--cohort', dir, '--score', 'news2', '--B', '0', '--event', 'heart_attack', '--out', out], io)).toBe(2);
    // The types listed are those of this cohort's events table (120 encounters: not every type occurs).
    const types = [...new Set(Array.from(readArrowFile(join(dir, 'events.arrow')).getChild('event_type') ?? [], String))].sort();
    expect(io.err).toContain(`--event "heart_attack" is not an event type of the events table (its types: ${types.join(', ')})`);
    expect(existsSync(out)).toBe(false);
    // An extract whose event rows are all rejected (times without a zone): exit 1, the reading summary, no report.
    const obs = join(dir, 'obs.csv');
    writeFileSync(obs, ['patient_id,encounter_id,observed_at,code,value,unit', 'p1,e1,2025-03-01T08:00:00Z,9279-1,22,/min'].join('\n'));
    const events = join(dir, 'events.csv');
    writeFileSync(events, ['patient_id,encounter_id,event_type,event_at', 'p1,e1,death,01/03/2025 20:00'].join('\n'));
    const none = captureIo();
    const md = join(dir, 'none.md');
    expect(await runCli(['validate', '--observations', obs, '--events', events, '--score', 'news2', '--B', '0', '--md', md], none)).toBe(1);
    expect(none.err).toMatch(
      /events: read 1, kept 0, rejected 1:\n\s+1 × no event_at \(event_at: "01\/03\/2025 20:00" is not an ISO 8601 time\) — first at events\.csv line 2/,
    );
    expect(none.err).toMatch(/the events table has no event after reading .* no report was written/);
    expect(existsSync(md)).toBe(false);
  });

  it('--rejects writes every rejected record with its table, place and reason, values as written; the counts add up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-cli-'));
    // A hand-built long extract with planted faults, dd/mm times as the mapping says.
    const obs = join(dir, 'obs.csv');
    const lines = ['patient_id,encounter_id,observed_at,code,value,unit'];
    for (let k = 0; k < 40; k++) {
      const p = `p${k % 20}`;
      const e = `e${k % 20}`;
      const t = `0${1 + (k % 9)}/03/2025 ${String(8 + (k % 10)).padStart(2, '0')}:00`;
      lines.push(`${p},${e},${t},9279-1,${14 + (k % 12)},/min`, `${p},${e},${t},8867-4,${70 + k},/min`, `${p},${e},${t},59408-5,${93 + (k % 6)},%`);
      lines.push(`${p},${e},${t},8480-6,${100 + k},mm[Hg]`, `${p},${e},${t},8310-5,37.${k % 10},Cel`, `${p},${e},${t},1104441000000107,New confusion,`);
      lines.push(`${p},${e},${t},371825009,,`);
    }
    lines.push('p1,e1,31/02/2025 10:00,9279-1,20,/min'); // not on the calendar
    lines.push('p1,e1,01/03/2025 10:00,59408-5,<70,%'); // a bound
    lines.push('p1,e1,01/03/2025 10:00,1104441000000107,Confused,'); // ambiguous
    lines.push('p1,e99,01/03/2025 10:00,9279-1,20,/min'); // an encounter not in encounters.csv
    writeFileSync(obs, `${lines.join('\n')}\n`);
    const encounters = join(dir, 'encounters.csv');
    writeFileSync(
      encounters,
      [
        'patient_id,encounter_id,admitted_at,discharged_at,age',
        ...Array.from({ length: 20 }, (_, k) => `p${k},e${k},01/03/2025 00:00,20/03/2025 00:00,${50 + k}`),
      ].join('\n'),
    );
    const events = join(dir, 'events.csv');
    writeFileSync(events, ['patient_id,encounter_id,event_type,event_at', 'p3,e3,death,05/03/2025 12:00', 'p5,e5,unplanned_icu,06/03/2025 12:00'].join('\n'));
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ schema: 'ewskit.mapping/1', time: { format: 'dmy', naive: 'utc' } }));
    const rejects = join(dir, 'rejects.csv');
    const out = join(dir, 'report.json');
    const io = captureIo();
    const code = await runCli(
      [
        'validate',
        '--observations',
        obs,
        '--events',
        events,
        '--encounters',
        encounters,
        '--map',
        map,
        '--score',
        'news2',
        '--B',
        '0',
        '--rejects',
        rejects,
        '--out',
        out,
        '--quiet',
      ],
      io,
    );
    expect(code).toBe(0);
    // The report carries the reading counts through disclosure control: 4 rejections (fewer than 10) are suppressed,
    // and so is one of read/kept — else read − kept would give them back.
    type Reading = { table: string; read: unknown; kept: unknown; rejected: unknown; byReason: Record<string, unknown> };
    const reading = (JSON.parse(readFileSync(out, 'utf8')) as { cohort: { reading: Reading[] } }).cohort.reading;
    const observations = reading.find((r) => r.table === 'observations');
    expect(observations?.rejected).toMatchObject({ suppressed: true });
    expect(typeof observations?.read === 'number' && typeof observations?.kept === 'number').toBe(false);
    expect(Object.keys(observations?.byReason ?? {})).toContain('encounter "…" is not in the encounters table');
    expect(JSON.stringify(reading)).not.toMatch(/e99|31\/02|Confused/); // kinds of reason only: no value of a record
    const rows = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('table,place,reason');
    expect(rows.slice(1)).toEqual([
      'observations,obs.csv line 282,"time: ""31/02/2025 10:00"" is not a date on the calendar (2025-02 has no day 31)"',
      'observations,obs.csv line 283,"value with a comparator (""<70""): a bound, not a measurement — not read as the bare number"',
      'observations,obs.csv line 284,"ambiguous:consciousness: ""Confused"" does not say the confusion is new (the RCP\'s C); map it in the mapping file if it does"',
      'observations,obs.csv line 285,"encounter ""e99"" is not in the encounters table"',
    ]);
    expect(io.err).toMatch(/observations: read 284, kept 280, rejected 4:/);
    // "New confusion" was read as C: every set has all seven NEWS2 parameters.
    expect(io.out).not.toMatch(/missing consciousness/);
  });

  it('passes the study design through: --event, --missing, --follow-up, --censored, --extract-end, --exclude-before-event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-cli-'));
    const io = captureIo();
    expect(await runCli(['synth', '--encounters', '300', '--seed', '5', '--out', dir], io)).toBe(0);
    const out = join(dir, 'design.json');
    const args = ['validate', '--cohort', dir, '--score', 'news2', '--B', '0', '--out', out];
    const design = [
      '--event',
      'death',
      '--event',
      'unplanned_icu',
      '--missing',
      'both',
      '--censored',
      'negative',
      '--follow-up',
      'linked',
      '--extract-end',
      '2025-07-01',
      '--exclude-before-event',
      '30',
    ];
    expect(await runCli([...args, ...design], io)).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.settings.outcome.eventTypes).toEqual(['death', 'unplanned_icu']);
    expect(report.settings.outcome.followUp).toBe('linked');
    expect(report.settings.outcome.censoring).toEqual({
      followUpEnds:
        "at discharge (censored: outcomes after discharge are linked, not in the extract), or at the extract's end (2025-07-01T00:00:00.000Z) for an encounter still open",
      censored: 'negative',
      extractEnd: '2025-07-01T00:00:00.000Z',
      inferred: false,
    });
    expect(report.settings.outcome.excludeBeforeEventMinutes).toBe(30);
    expect(report.missingData.sideBySide).not.toBeNull();
    expect(io.out).toContain('## Flow of observation sets');
    // The output-checking summary is written beside the report.
    const checks = JSON.parse(readFileSync(join(dir, 'design.checks.json'), 'utf8'));
    expect(checks).toMatchObject({ schema: 'ewskit.checks/1', report: out, policy: 'ewskit', releasable: true });
    expect(checks.tables.map((t: { table: string }) => t.table)).toContain('flow');
    const open = join(dir, 'open.json');
    expect(await runCli([...args.slice(0, -1), open, '--disclosure', 'none'], io)).toBe(0);
    expect(io.err).toMatch(/NOT FOR RELEASE/);
    expect(JSON.parse(readFileSync(join(dir, 'open.checks.json'), 'utf8')).releasable).toBe(false);
    for (const [flag, value, message] of [
      ['--disclosure', 'strict', /--disclosure expects ewskit, opensafely, midpoint6 or none; received "strict"/],
      ['--missing', 'mean', /--missing expects none, zero or both; received "mean"/],
      ['--censored', 'drop', /--censored expects exclude or negative; received "drop"/],
      ['--extract-end', 'soon', /--extract-end expects a date or time .*; received "soon"/],
    ] as const) {
      expect(await runCli([...args, flag, value], io)).toBe(2);
      expect(io.err).toMatch(message);
    }
  });
});

describe('ewskit synth --format', () => {
  it('writes the cohort as Arrow, Parquet or CSV, and validate --cohort gives the same study from each', async () => {
    const dir = tmp();
    const reports: Record<string, Record<string, unknown>> = {};
    for (const format of ['arrow', 'parquet', 'csv']) {
      const out = join(dir, format);
      const s = await run(['synth', '--out', out, '--encounters', '250', '--seed', '6', '--format', format, '--quiet']);
      expect(s.code, s.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['cohort.json', ...['encounters', 'events', 'observations', 'patients', 'truth'].map((t) => `${t}.${format}`)]);
      expect(JSON.parse(readFileSync(join(out, 'cohort.json'), 'utf8')).format).toBe(format);
      const v = await run(['validate', '--cohort', out, '--B', '20', '--out', join(dir, `${format}.json`), '--quiet']);
      expect(v.code, v.stderr).toBe(0);
      reports[format] = JSON.parse(readFileSync(join(dir, `${format}.json`), 'utf8')) as Record<string, unknown>;
    }
    // Everything the study states is the same; a Parquet or CSV cohort is read through the readers, so its cohort
    // section also says what they read (and the output checking lists those counts).
    for (const format of ['parquet', 'csv']) {
      for (const section of ['flow', 'scores', 'characteristics', 'outcomes', 'alerts', 'missingData', 'comparisons', 'subgroups'])
        expect(reports[format]?.[section], `${format} ${section}`).toEqual(reports.arrow?.[section]);
      const { reading, ...rest } = reports[format]?.cohort as { reading: unknown[] };
      const { reading: arrowReading, ...arrowRest } = reports.arrow?.cohort as { reading: unknown[] };
      expect(rest).toEqual(arrowRest);
      expect(arrowReading).toEqual([]);
      expect(reading).toHaveLength(4);
    }
    const csv = readFileSync(join(dir, 'csv', 'observations.csv'), 'utf8').split('\n');
    expect(csv[0]).toMatch(/^patient_id,encounter_id,observed_at,respiratory_rate,/);
    expect(csv[1]).toMatch(/^P\d+,E\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,/);
  });
});
