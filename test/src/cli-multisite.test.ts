/**
 * The multi-site path as a new user runs it: synth --sites, pseudonymise a site with a shared key, summarise each site,
 * combine — and the refusals a user meets when the sites did not run the same study.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { readCohort } from '../../src/io/cohort-files.js';
import { resolveProfile } from '../../validation/cohort/profiles.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('synth --sites, pseudonymise, summarise, combine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ewskit-sites-'));
  const at = (p: string) => join(dir, p);
  const synth = await run(['synth', '--out', at('study'), '--sites', '3', '--profile', 'india-apollo', '--encounters', '400', '--seed', '8', '--quiet']);

  it('synth --sites writes one cohort per site and sites.json, each site shifted by its draws and its ids prefixed', () => {
    expect(synth.code, synth.stderr).toBe(0);
    const sites = JSON.parse(readFileSync(at('study/sites.json'), 'utf8')) as {
      schema: string;
      sites: { site: string; riskShift: number; ageShift: number }[];
    };
    expect(sites.schema).toBe('ewskit.sites/1');
    expect(sites.sites.map((s) => s.site)).toEqual(['site-1', 'site-2', 'site-3']);
    const base = resolveProfile('india-apollo');
    for (const s of sites.sites) {
      const manifest = JSON.parse(readFileSync(at(`study/${s.site}/cohort.json`), 'utf8')) as {
        profile: { deteriorationShift: number; age: { mean: number }; site: string };
      };
      expect(manifest.profile.deteriorationShift).toBeCloseTo(base.deteriorationShift + s.riskShift, 12);
      expect(manifest.profile.age.mean).toBeCloseTo(base.age.mean + s.ageShift, 12);
      expect(manifest.profile.site).toBe(s.site);
      const ids = Array.from(readCohort(at(`study/${s.site}`)).observations.getChild('patient_id') ?? [], String);
      expect(ids.every((id) => id.startsWith(`${s.site}:P`))).toBe(true);
    }
    expect(synth.stdout).toMatch(/Wrote 3 sites of a india-apollo study/);
  });

  it('pseudonymise --make-key, then --cohort: the site validates on pseudonyms', async () => {
    expect((await run(['pseudonymise', '--make-key', at('sites.key')])).code).toBe(0);
    expect(readFileSync(at('sites.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    // A key is never replaced.
    const again = await run(['pseudonymise', '--make-key', at('sites.key')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; a key is never replaced/);
    const r = await run(['pseudonymise', '--key', at('sites.key'), '--cohort', at('study/site-1'), '--out', at('site-1-pseudo')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/observations\.arrow: [\d,]+ rows; patient_id [\d,]+ replaced; encounter_id [\d,]+ replaced/);
    // The input is never the output.
    const over = await run(['pseudonymise', '--key', at('sites.key'), '--cohort', at('study/site-2'), '--out', at('study/site-2'), '--force']);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/would overwrite the input/);
  });

  it('summarise each site and combine them: JSON, Markdown and HTML', async () => {
    const cohorts = [at('site-1-pseudo'), at('study/site-2'), at('study/site-3')];
    for (const [i, cohort] of cohorts.entries()) {
      const r = await run([
        'summarise',
        '--cohort',
        cohort,
        '--site',
        `site-${i + 1}`,
        '--out',
        at(`s${i + 1}.json`),
        '--score',
        'news2',
        '--score',
        'apollo-style',
        '--B',
        '60',
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(at(`s${i + 1}.checks.json`))).toBe(true);
    }
    const c = await run([
      'combine',
      at('s1.json'),
      at('s2.json'),
      at('s3.json'),
      '--out',
      at('combined.json'),
      '--md',
      at('combined.md'),
      '--html',
      at('combined.html'),
    ]);
    expect(c.code, c.stderr).toBe(0);
    const combined = JSON.parse(readFileSync(at('combined.json'), 'utf8')) as {
      schema: string;
      sites: { site: string }[];
      measures: { measure: string; summary: { k: number } | null }[];
    };
    expect(combined.schema).toBe('ewskit.combined/1');
    expect(combined.sites.map((s) => s.site)).toEqual(['site-1', 'site-2', 'site-3']);
    expect(combined.measures.find((m) => m.measure === 'auroc')?.summary?.k).toBe(3);
    expect(readFileSync(at('combined.md'), 'utf8')).toMatch(/## NEWS2 across sites/);
    expect(readFileSync(at('combined.html'), 'utf8')).toMatch(/<svg/);
    // No pseudonym or key of any patient in what leaves the sites.
    const pseudonyms = [...new Set(Array.from(readCohort(at('site-1-pseudo')).observations.getChild('patient_id') ?? [], String))];
    for (const f of ['s1.json', 's2.json', 'combined.json']) {
      const text = readFileSync(at(f), 'utf8');
      expect(text).not.toMatch(/site-\d:[PE]\d{7}/);
      for (const p of pseudonyms) expect(text.includes(p)).toBe(false);
    }
  });

  it('summarise --count-tables at every site: combine adds a one-stage section, not released', async () => {
    const cohorts = [at('site-1-pseudo'), at('study/site-2'), at('study/site-3')];
    for (const [i, cohort] of cohorts.entries()) {
      const r = await run([
        'summarise',
        '--cohort',
        cohort,
        '--site',
        `site-${i + 1}`,
        '--out',
        at(`c${i + 1}.json`),
        '--count-tables',
        '--score',
        'news2',
        '--score',
        'apollo-style',
        '--by',
        'sex',
        '--by',
        'admission_type',
        '--unit',
        'first',
        '--B',
        '40',
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/WITH COUNT TABLES/);
      const checks = JSON.parse(readFileSync(at(`c${i + 1}.checks.json`), 'utf8')) as { countTables: boolean; statement: string };
      expect(checks.countTables).toBe(true);
      expect(checks.statement).toMatch(/governance agreement/);
    }
    const c = await run(['combine', at('c1.json'), at('c2.json'), at('c3.json'), '--out', at('c.json')]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/## One stage: all sites’ patients as one cohort/);
    expect(c.stderr).toMatch(/NOT FOR RELEASE/);
    const j = JSON.parse(readFileSync(at('c.json'), 'utf8')) as {
      oneStage: {
        scores: { score: string; exact: boolean; auroc: { estimate: number }; calibration: { slope: { estimate: number } } | null }[];
        leftOut: string[];
      } | null;
    };
    expect(j.oneStage?.scores[0]?.score).toBe('news2');
    // The model pooled too (its probability buckets shared packed): bucketed AUROC, calibration on all sites' sets.
    const model = j.oneStage?.scores.find((x) => x.score === 'apollo_style');
    expect(model?.exact).toBe(false);
    expect(model?.calibration?.slope.estimate).toBeGreaterThan(0);
    expect(j.oneStage?.leftOut).toEqual([]);
    expect(c.stdout).toMatch(/calibration slope \(1 is ideal\)/);
    // The whole one-stage engine report, from the same summaries (read back from JSON): flow, Table 1, scores.
    const p = await run([
      'combine',
      at('c1.json'),
      at('c2.json'),
      at('c3.json'),
      '--pooled-out',
      at('p.json'),
      '--pooled-md',
      at('p.md'),
      '--pooled-html',
      at('p.html'),
    ]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/one-stage report is NOT FOR RELEASE/);
    const pooled = JSON.parse(readFileSync(at('p.json'), 'utf8')) as {
      schema: string;
      scores: { score: string; auroc: { estimate: number } }[];
      disclosure: { policy: string };
    };
    expect(pooled.schema).toBe('ewskit.engine-report/2');
    // Both groupings of the sites' study, each a section (one Holm family).
    const sections = pooled as unknown as { groups: { by: string }; moreGroups: { by: string }[] };
    expect([sections.groups.by, ...sections.moreGroups.map((g) => g.by)]).toEqual(['sex', 'admission_type']);
    expect(readFileSync(at('p.md'), 'utf8')).toMatch(/## By admission_type/);
    expect(pooled.disclosure.policy).toBe('none');
    // Its AUROCs are the one-stage section's: the same tables added.
    expect(pooled.scores[0]?.auroc.estimate).toBe(j.oneStage?.scores[0]?.auroc.estimate);
    expect(pooled.scores.find((x) => x.score === 'apollo_style')?.auroc.estimate).toBe(model?.auroc.estimate);
    expect(readFileSync(at('p.md'), 'utf8')).toMatch(/## Characteristics of the analysed encounters/);
    // The first set per encounter of all sites (each site's unit table added), Obuchowski's interval from its pairs.
    expect(readFileSync(at('p.md'), 'utf8')).toMatch(/## Other units of analysis[\s\S]*first set per encounter/);
    // The alert measures of all sites' sets (each site's alert count table, packed in its summary, added).
    expect(readFileSync(at('p.md'), 'utf8')).toMatch(/## Alerts on the ward[\s\S]*NEWS2 ≥ 5 \(medium\)[\s\S]*monitoring compliance/);
    expect((pooled as unknown as { alerts: { scores: { id: string }[] } }).alerts.scores.map((x) => x.id)).toEqual(['news2', 'apollo_style']);
    expect(readFileSync(at('p.html'), 'utf8').startsWith('<!doctype html>')).toBe(true);
  });

  it('refuses sites that ran another study, a site given twice, and a file that is not a summary', async () => {
    const r = await run([
      'summarise',
      '--cohort',
      at('study/site-3'),
      '--site',
      'site-4',
      '--out',
      at('s4.json'),
      '--horizon',
      '12',
      '--score',
      'news2',
      '--score',
      'apollo-style',
      '--B',
      '20',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // Another set of scores is another study.
    const fewer = await run(['summarise', '--cohort', at('study/site-3'), '--site', 'site-5', '--out', at('s5.json'), '--B', '20', '--quiet']);
    expect(fewer.code, fewer.stderr).toBe(0);
    const scores = await run(['combine', at('s2.json'), at('s5.json')]);
    expect(scores.code).toBe(1);
    expect(scores.stderr).toMatch(/the sites differ in "definitions \(score id, version and SHA-256\)"/);
    const horizon = await run(['combine', at('s2.json'), at('s4.json')]);
    expect(horizon.code).toBe(1);
    expect(horizon.stderr).toMatch(/the sites differ in "settings\.outcome\.horizonHours" and cannot be combined: site "site-2" has 24, site "site-4" has 12/);
    const twice = await run(['combine', at('s2.json'), at('s2.json')]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/the site "site-2" is given twice/);
    writeFileSync(at('not.json'), '{"a": 1}');
    const not = await run(['combine', at('s2.json'), at('not.json')]);
    expect(not.code).toBe(1);
    expect(not.stderr).toMatch(/is not a site summary: it has no "schema"/);
  });

  it('fit --iecv: fits on all sites but one for each site and meta-analyses the held-out sites', async () => {
    const r = await run(['fit', '--model', 'apollo-style', '--iecv', at('study'), '--out', at('iecv.json'), '--md', at('iecv.md'), '--B', '20', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(at('iecv.json'), 'utf8')) as { iecv: { heldOut: string; fittedOn: string[] }[]; method: { definitions: string } };
    expect(j.iecv.map((f) => f.heldOut)).toEqual(['site-1', 'site-2', 'site-3']);
    expect(j.iecv[0]?.fittedOn).toEqual(['site-2', 'site-3']);
    expect(j.method.definitions).toBe('id-and-version');
    expect(readFileSync(at('iecv.md'), 'utf8')).toMatch(/internal–external cross-validation/);
    const stray = await run(['fit', '--out', at('m.json'), '--md', at('m.md')]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--md goes with --iecv DIR/);
  });

  it('usage errors: combine without a summary, summarise without --site', async () => {
    const none = await run(['combine', '--out', at('x.json')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/combine needs at least 1 SUMMARY\.json argument/);
    const noSite = await run(['summarise', '--cohort', at('study/site-2'), '--out', at('y.json')]);
    expect(noSite.code).toBe(2);
    expect(noSite.stderr).toMatch(/summarise needs --site NAME/);
  });
});
