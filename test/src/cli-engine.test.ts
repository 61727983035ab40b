/**
 * `ewskit validate --engine duckdb` as a new user runs it: synth a Parquet cohort, validate it in DuckDB, and get the
 * same AUROC and cut-off measures, with the same intervals, as `--engine js` writes in the full report; the options the
 * engines do not compute yet are refused by name, never ignored.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('validate --engine duckdb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ewskit-engine-cli-'));
  const at = (p: string) => join(dir, p);
  const synth = await run(['synth', '--out', at('cohort'), '--encounters', '500', '--seed', '4', '--format', 'parquet', '--quiet']);
  const common = ['--cohort', at('cohort'), '--B', '60', '--seed', '2', '--disclosure', 'none', '--quiet'];

  it('writes the engine report whose AUROC and cut-off measures equal the full report’s (engine js)', async () => {
    expect(synth.code, synth.stderr).toBe(0);
    const duck = await run(['validate', '--engine', 'duckdb', ...common, '--by', 'ethnicity', '--out', at('duck.json'), '--md', at('duck.md')]);
    expect(duck.code, duck.stderr).toBe(0);
    expect(duck.stdout).toMatch(/^# ewskit engine report \(duckdb\)/);
    expect(duck.stdout).toMatch(/## By ethnicity/);
    expect(existsSync(at('duck.checks.json'))).toBe(true);
    const js = await run(['validate', ...common, '--out', at('js.json')]);
    expect(js.code, js.stderr).toBe(0);
    const engine = JSON.parse(readFileSync(at('duck.json'), 'utf8')) as {
      schema: string;
      scores: { auroc: unknown; thresholds: { rule: string; sensitivity: unknown; specificity: unknown }[] }[];
    };
    const full = JSON.parse(readFileSync(at('js.json'), 'utf8')) as {
      scores: { auroc: { estimate: number; ci: number[] }; thresholds: { label: string; sensitivity: { estimate: number; ci: number[] } }[] }[];
    };
    expect(engine.schema).toBe('ewskit.engine-report/2');
    const a = full.scores[0]?.auroc;
    expect(engine.scores[0]?.auroc).toEqual({ estimate: a?.estimate, ci: a?.ci });
    const rule = full.scores[0]?.thresholds[0];
    const mine = engine.scores[0]?.thresholds.find((t) => t.rule === rule?.label);
    expect(mine?.sensitivity).toEqual({ estimate: rule?.sensitivity.estimate, ci: rule?.sensitivity.ci });
  });

  it('takes --reference COLUMN=GROUP for its --by column, and names the groups when the group is not one', async () => {
    const named = await run(['validate', '--engine', 'duckdb', ...common, '--by', 'sex', '--reference', 'sex=F', '--out', at('ref.json')]);
    expect(named.code, named.stderr).toBe(0);
    const report = JSON.parse(readFileSync(at('ref.json'), 'utf8')) as {
      groups: { reference: string; levels: { group: string; scores: { differenceFromReference: { auroc: unknown } }[] }[] };
    };
    expect(report.groups.reference).toBe('F');
    // The reference has no difference from itself; the other group has one.
    expect(report.groups.levels.find((l) => l.group === 'F')?.scores[0]?.differenceFromReference.auroc).toBeNull();
    expect(report.groups.levels.find((l) => l.group === 'M')?.scores[0]?.differenceFromReference.auroc).not.toBeNull();
    const bad = await run(['validate', '--engine', 'duckdb', ...common, '--by', 'sex', '--reference', 'sex=Q']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/option "reference" names "Q", which is not a group of sex \(F, M\)/);
    const loose = await run(['validate', '--engine', 'duckdb', ...common, '--reference', 'sex=F']);
    expect(loose.code).toBe(2);
    expect(loose.stderr).toMatch(/--reference names the column "sex", which is not a --by column/);
  });

  it.each([
    ['skin_tone_band', 'Monk 1–3'],
    ['ethnicity,sex', 'White × F'],
  ])('groups by %s (derived or intersectional, as the full report does)', async (by, group) => {
    const r = await run(['validate', '--engine', 'duckdb', ...common, '--by', by, '--out', at(`by-${by.replace(',', '-')}.json`)]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(at(`by-${by.replace(',', '-')}.json`), 'utf8')) as { groups: { by: string; levels: { group: string }[] } };
    expect(report.groups.by).toBe(by);
    expect(report.groups.levels.map((l) => l.group)).toContain(group);
  });

  it('writes the engine report as a self-contained HTML page with Table 1, from the same document as its Markdown', async () => {
    const r = await run(['validate', '--engine', 'duckdb', ...common, '--by', 'sex', '--md', at('page.md'), '--html', at('page.html')]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(at('page.html'), 'utf8');
    const md = readFileSync(at('page.md'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|https?:\/\/[^"]*\.(js|css)/);
    // Every section of the Markdown is a heading of the page.
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1] as string);
    expect(headings).toEqual(expect.arrayContaining(['Flow', 'Characteristics of the analysed encounters', 'Score inputs over the analysed sets', 'By sex']));
    for (const h of headings) expect(html).toContain(`>${h.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</h2>`);
    expect(html).toContain('sex: F');
  });

  it.each([
    [['--by', 'sex', '--by', 'ethnicity'], /--engine duckdb groups by one column/],
    [['--figures', 'figs'], /--figures is not computed by --engine duckdb yet/],
    [['--missing', 'both'], /--engine duckdb computes --missing none or zero/],
    [['--cluster', 'encounter'], /--engine duckdb computes --cluster patient only/],
    [['--database', 'postgres://x'], /--database and --tables go with --engine postgres/],
  ])('refuses %s, saying why', async (extra, message) => {
    const r = await run(['validate', '--engine', 'duckdb', ...common, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--engine postgres needs --database; --database needs --engine postgres', async () => {
    const a = await run(['validate', '--engine', 'postgres', '--quiet']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--engine postgres needs --database URL/);
    const b = await run(['validate', ...common, '--database', 'postgres://x']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--database goes with --engine postgres/);
  });

  it('an Arrow cohort is refused by the duckdb engine with the way out', async () => {
    await run(['synth', '--out', at('arrow'), '--encounters', '30', '--quiet']);
    const r = await run(['validate', '--engine', 'duckdb', '--cohort', at('arrow'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/synth --format parquet/);
  });
});
