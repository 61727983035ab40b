/**
 * The report's figures: built from the released report only (their data are its cells, point for point), never a
 * suppressed value; drawn without a warning, the same bytes every time; the HTML page escapes what it shows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { figureSpecs } from '../../../validation/report/figures.js';
import type { FigureSpec } from '../../../validation/report/figures.js';
import { renderHtml } from '../../../validation/report/html.js';
import type { ReportDocument } from '../../../validation/report/document.js';
import { figurePlace } from '../../../validation/report/figures.js';
import { documentToMarkdown } from '../../../validation/report/markdown.js';
import type { RenderedFigure } from '../../../validation/report/render-figures.js';
import { reportDocument } from '../../../validation/report/sections.js';
import { renderFigures } from '../../../validation/report/render-figures.js';
import type { ValidationReport } from '../../../validation/report/types.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { validate } from '../../../validation/study/validate.js';

/** The data rows of every layer of a figure's spec. */
function rows(f: FigureSpec): Record<string, unknown>[] {
  const s = f.spec as { data?: { values?: Record<string, unknown>[] }; layer?: { data?: { values?: Record<string, unknown>[] } }[] } | null;
  if (s === null) return [];
  return [...(s.data?.values ?? []), ...(s.layer ?? []).flatMap((l) => l.data?.values ?? [])];
}

const byId = (figures: readonly FigureSpec[], id: string): FigureSpec => {
  const f = figures.find((x) => x.id === id);
  if (f === undefined) throw new Error(`no figure ${id}`);
  return f;
};

describe('figures of a demo-sized report', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 1500, seed: 11 });
  const report = validate({ cohort, scores: [news2, apolloStyle], groupBy: ['ethnicity'], bootstrap: { B: 100, seed: 2 } });
  const figures = figureSpecs(report);

  it('one ROC and one precision–recall curve per score, a calibration plot per model, observed risk per points score, a decision curve per score, a forest plot per grouping, alert burden and lead time per score', () => {
    expect(figures.map((f) => f.id)).toEqual([
      'roc-news2',
      'pr-news2',
      'roc-apollo-style',
      'pr-apollo-style',
      'calibration-apollo-style',
      'risk-news2',
      'decision-news2',
      'decision-apollo-style',
      'forest-ethnicity',
      'alert-burden-news2',
      'lead-time-news2',
      'alert-burden-apollo-style',
      'lead-time-apollo-style',
    ]);
  });

  it('the alert figures plot the released alerts per patient-day and lead times, one row per rule', () => {
    const a = report.alerts.scores[0];
    if (a === undefined) throw new Error('no alert section');
    const burden = rows(byId(figures, 'alert-burden-news2'));
    const released = a.rules.flatMap((r) => (isSuppressed(r.perPatientDay) || !r.perPatientDay.defined ? [] : [r.perPatientDay.estimate]));
    expect(burden.map((r) => r.rate)).toEqual(released);
    const lead = rows(byId(figures, 'lead-time-news2'));
    const medians = a.rules.flatMap((r) => (isSuppressed(r.leadTimeHours) || !r.leadTimeHours.defined ? [] : [r.leadTimeHours.median]));
    expect(lead.map((r) => r.median)).toEqual(medians);
  });

  it('the ROC figure plots the report’s curve cells, point for point, between the ends (0, 0) and (1, 1)', () => {
    const s = report.scores[0];
    if (s === undefined) throw new Error('no score');
    const roc = byId(figures, 'roc-news2');
    const line = rows(roc).filter((r) => 'order' in r);
    const half = line.slice(0, line.length / 2); // the band and the line share the same rows
    expect(half[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(half.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    const released = s.curve.flatMap((p) =>
      isSuppressed(p.cell) || !p.cell.sensitivity.defined || !p.cell.specificity.defined
        ? []
        : [{ cut: p.cut, sens: p.cell.sensitivity, spec: p.cell.specificity }],
    );
    expect(half.length - 2).toBe(released.length);
    for (const p of released) {
      const r = half.find((x) => x.cut === p.cut);
      expect(r?.tpr).toBe(p.sens.estimate);
      expect(r?.fpr).toBe(1 - p.spec.estimate);
      expect([r?.lo, r?.hi]).toEqual(p.sens.ci);
    }
    // The clinical cut-offs are marked where the threshold table puts them.
    const t = s.thresholds[0];
    if (t === undefined || isSuppressed(t.sensitivity) || !t.sensitivity.defined || isSuppressed(t.specificity) || !t.specificity.defined)
      throw new Error('expected NEWS2 ≥ 5');
    expect(rows(roc)).toContainEqual({ label: 'NEWS2 ≥ 5 (medium)', fpr: 1 - t.specificity.estimate, tpr: t.sensitivity.estimate });
  });

  it('the observed-risk figure plots each released range with its clustered interval; the decision curve each rule', () => {
    const s = report.scores[0];
    const risk = rows(byId(figures, 'risk-news2'));
    const released = (s?.observedRisk ?? []).filter((r) => !isSuppressed(r.cell));
    expect(risk).toHaveLength(released.length);
    released.forEach((r, k) => {
      if (isSuppressed(r.cell) || !r.cell.risk.defined) throw new Error('expected a risk');
      expect(risk[k]).toMatchObject({ risk: r.cell.risk.estimate, lo: r.cell.risk.ci?.[0], hi: r.cell.risk.ci?.[1], sets: r.cell.sets, events: r.cell.events });
    });
    const dc = [...new Set(rows(byId(figures, 'decision-news2')).filter((r) => 'rule' in r))]; // the same rows feed the line and the bars
    expect(dc).toHaveLength((s?.netBenefit ?? []).filter((r) => !isSuppressed(r.cell)).length);
  });

  it('draws every figure without a Vega warning, as the same bytes each time; the page too', async () => {
    const a = await renderFigures(report);
    const b = await renderFigures(report);
    for (const f of a) expect(f.warnings, f.id).toEqual([]);
    expect(a.map((f) => f.svg)).toEqual(b.map((f) => f.svg));
    expect(a.filter((f) => f.svg !== null).length).toBeGreaterThanOrEqual(8);
    const page = await renderHtml(report, { figures: a });
    expect(await renderHtml(report, { figures: b })).toBe(page);
    expect(page).toContain(`Content-Security-Policy" content="default-src 'none'`);
    expect(page).not.toMatch(/<script/i);
  });
});

describe('disclosure control reaches the figures', () => {
  // A tiny cohort: most cells are suppressed.
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 150, seed: 5 });
  const options = { cohort, scores: [news2, apolloStyle], groupBy: ['ethnicity'], bootstrap: { B: 50, seed: 3 } } as const;
  const released = validate(options);
  const open = validate({ ...options, disclosure: false });

  /** Every number of a suppressed cell of the released report, read from the same cell of the uncontrolled one. */
  function hiddenNumbers(a: unknown, b: unknown, out: number[] = []): number[] {
    if (isSuppressed(a)) {
      const collect = (v: unknown): void => {
        if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) out.push(v);
        else if (Array.isArray(v)) v.forEach(collect);
        else if (typeof v === 'object' && v !== null) Object.values(v).forEach(collect);
      };
      collect(b);
    } else if (Array.isArray(a) && Array.isArray(b)) a.forEach((x, i) => hiddenNumbers(x, b[i], out));
    else if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null)
      for (const k of Object.keys(a)) hiddenNumbers((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], out);
    return out;
  }

  it('no value of a suppressed cell appears in any figure, and a figure with nothing released says why in its place', async () => {
    // A number the report releases elsewhere (the same sensitivity in the thresholds table and a suppressed paired
    // comparison; a share of 0.5 and a cut of 0.5) is not hidden by a suppressed cell.
    const shown = new Set<number>();
    const collectShown = (v: unknown): void => {
      if (isSuppressed(v)) return;
      if (typeof v === 'number') shown.add(v);
      else if (Array.isArray(v)) v.forEach(collectShown);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(collectShown);
    };
    collectShown(released);
    const hidden = new Set(hiddenNumbers(released, open as unknown as ValidationReport).filter((v) => !shown.has(v)));
    expect(hidden.size).toBeGreaterThan(10); // the cohort is small enough for suppression to bite
    const figures = figureSpecs(released);
    const plotted = figures.flatMap((f) => rows(f).flatMap((r) => Object.values(r).filter((v): v is number => typeof v === 'number')));
    expect(plotted.filter((v) => hidden.has(v))).toEqual([]);
    // The uncontrolled report would have drawn more.
    const all = figureSpecs(open);
    expect(all.flatMap(rows).length).toBeGreaterThan(figures.flatMap(rows).length);
    const withheld = figures.filter((f) => f.withheld !== null);
    expect(withheld.length).toBeGreaterThan(0);
    const page = await renderHtml(released);
    for (const f of withheld.filter((x) => x.spec === null)) expect(page).toContain(`Figure withheld: ${f.withheld ?? ''}`);
  });
});

describe('one document, two renderers', () => {
  const doc: ReportDocument = {
    title: 'Report',
    preamble: [{ kind: 'paragraph', text: 'A paragraph\non two lines.' }],
    sections: [
      {
        id: 'groups',
        title: 'Groups',
        blocks: [
          {
            kind: 'table',
            header: ['Group', 'n'],
            rows: [
              ['<script>alert(1)</script> & co', '**12**'],
              ['a | b', '`3`'],
            ],
          },
        ],
      },
    ],
  };
  it('Markdown writes headings, paragraphs and pipe tables, escaping a | inside a cell', () => {
    expect(documentToMarkdown(doc)).toBe(
      [
        '# Report',
        '',
        'A paragraph\non two lines.',
        '',
        '## Groups',
        '',
        '| Group | n |',
        '|---|---:|',
        '| <script>alert(1)</script> & co | **12** |',
        '| a \\| b | `3` |',
        '',
      ].join('\n'),
    );
  });
  it('HTML escapes every text (a group named like markup stays text), keeps a | inside its one cell, and reads no Markdown', async () => {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 300, seed: 5 });
    const small = validate({ cohort, scores: [news2], bootstrap: false });
    const page = await renderHtml(small, { figures: [], document: doc });
    expect(page).toContain(
      [
        '<h1 id="report">Report</h1>',
        '<p>A paragraph on two lines.</p>',
        '<nav aria-label="Contents"><strong>Contents</strong><ol><li><a href="#groups">Groups</a></li></ol></nav>',
        '<h2 id="groups">Groups</h2>',
        '<div class="table"><table><thead><tr><th scope="col">Group</th><th class="num" scope="col">n</th></tr></thead><tbody><tr><td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</td><td class="num"><strong>12</strong></td></tr><tr><td>a | b</td><td class="num"><code>3</code></td></tr></tbody></table></div>',
      ].join('\n'),
    );
    const source = readFileSync(new URL('../../../validation/report/html.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/from '\.\/markdown\.js'/);
  });
});

describe('a figure is placed by its section id, not by a heading', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 1500, seed: 11 });
  const report = validate({ cohort, scores: [news2, apolloStyle], groupBy: ['ethnicity'], bootstrap: false });
  const drawn: RenderedFigure[] = figureSpecs(report).map((f) => ({ ...f, svg: `<svg id="${f.id}"></svg>`, warnings: [] }));
  const doc = reportDocument(report);
  it('the sections carry stable ids, each once', () => {
    const ids = doc.sections.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['cohort', 'flow', 'discrimination', 'observed-risk', 'net-benefit', 'subgroups:ethnicity', 'output-checking']));
  });
  it('rewording every heading moves no figure: each still follows the section with its id', async () => {
    const reworded: ReportDocument = { ...doc, sections: doc.sections.map((s, k) => ({ ...s, title: `Part ${k + 1}` })) };
    const page = await renderHtml(report, { figures: drawn, document: reworded });
    expect(page).not.toContain('Other figures');
    for (const f of drawn) {
      const k = doc.sections.findIndex((s) => s.id === figurePlace(f));
      expect(k, f.id).toBeGreaterThanOrEqual(0);
      const at = page.indexOf(`<svg id="${f.id}">`);
      // After its own section's heading, before the next section's.
      expect(at).toBeGreaterThan(page.indexOf(`<h2 id="part-${k + 1}">`));
      const next = page.indexOf(`<h2 id="part-${k + 2}">`);
      if (next >= 0) expect(at).toBeLessThan(next);
    }
  });
});
