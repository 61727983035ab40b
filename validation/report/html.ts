/**
 * The validation report as one self-contained HTML file: the text and tables of the Markdown report (the same
 * renderer, so the two never disagree), with the figures drawn as inline SVG beside the tables they illustrate. No
 * script, no font, no image fetched: a Content-Security-Policy of `default-src 'none'` makes the browser refuse any
 * network request, so the file reads the same on a laptop, offline, and printed to PDF. Same report → same bytes.
 */
import { EWSKIT_VERSION } from './provenance.js';
import type { Block, Inline, ReportDocument } from './document.js';
import { figurePlace } from './figures.js';
import type { RenderedFigure } from './render-figures.js';
import { escapeXml, renderFigures } from './render-figures.js';
import { reportDocument } from './sections.js';
import type { ValidationReport } from './types.js';

/** Inline Markdown of ewskit's own reports: `**strong**` and `` `code` ``, the rest escaped. */
function inline(text: string): string {
  return escapeXml(text)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** An id for a heading. */
function anchor(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'section'
  );
}

/** A table: the first column a label, the others numbers (class "num", right-aligned). */
function tableHtml(header: readonly Inline[], rows: readonly (readonly Inline[])[]): string {
  const align = (k: number) => (k === 0 ? '' : ' class="num"');
  const head = header.map((h, k) => `<th${align(k)} scope="col">${inline(h.trim())}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, k) => `<td${align(k)}>${inline(c.trim())}</td>`).join('')}</tr>`).join('');
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** One block of the document as HTML. */
function blockHtml(b: Block): string {
  return b.kind === 'paragraph' ? `<p>${inline(b.text.replace(/\n/g, ' '))}</p>` : tableHtml(b.header, b.rows);
}

/** A heading with its id (from its text: the page's anchors read as the headings do). */
function headingHtml(level: 1 | 2, text: Inline): string {
  return `<h${level} id="${anchor(text)}">${inline(text)}</h${level}>`;
}

/** One figure: its SVG, or the reason it is withheld in its place, with a numbered caption. */
function figureHtml(f: RenderedFigure, n: number): string {
  const body =
    f.svg === null
      ? `<div class="withheld" role="note">Figure withheld: ${escapeXml(f.withheld ?? 'nothing to plot')}.</div>`
      : `<div class="svg">${f.svg}</div>`;
  const note = f.svg !== null && f.withheld !== null ? ` <em>${escapeXml(f.withheld)}.</em>` : '';
  return `<figure id="fig-${f.id}" data-figure="${f.id}"${f.svg === null ? ' data-withheld="true"' : ''}>${body}<figcaption><strong>Figure ${n}. ${escapeXml(f.title)}.</strong> ${escapeXml(f.description)}${note}</figcaption></figure>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #d8d8d8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .75rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-top: .6rem; border-top: 2px solid var(--rule); }
p { margin: .5rem 0; max-width: 75ch; }
code { font-size: .8em; word-break: break-all; }
nav { font-size: .9rem; background: #f6f7f9; border: 1px solid var(--rule); border-radius: 6px; padding: .6rem 1rem; margin: 1rem 0; }
nav ol { margin: .2rem 0; padding-left: 1.3rem; columns: 2; }
nav a { color: var(--accent); }
.table { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { padding: .25rem .55rem; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
th { background: #f6f7f9; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; margin: 1rem 0; }
figure { margin: 0; max-width: 100%; flex: 0 1 auto; }
td.num { white-space: nowrap; }
figure .svg { overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .8rem; color: var(--muted); max-width: 430px; margin-top: .3rem; }
.withheld { width: 340px; min-height: 120px; display: flex; align-items: center; justify-content: center; text-align: center; padding: 1rem;
  border: 2px dashed #999; color: var(--muted); background: #fafafa; font-size: .9rem; }
footer { margin-top: 2.5rem; font-size: .8rem; color: var(--muted); }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  .table, figure .svg { overflow: visible; }
}
`.trim();

/** Options of `renderHtml`. */
export interface HtmlOptions {
  /** Figures already drawn with `renderFigures(report)` (drawn here when absent). */
  readonly figures?: readonly RenderedFigure[];
  /** The report's document, when the caller has built it already (`reportDocument(report)`). */
  readonly document?: ReportDocument;
}

/**
 * Render a validation report as one self-contained HTML page: the Markdown report's sections as HTML, each
 * followed by its figures (ROC and precision–recall curves and calibration after discrimination, observed risk by
 * score, decision curves after net benefit, a forest plot per grouping). Every plotted value is a released cell of
 * the report; a figure whose data were suppressed shows why in its place. Deterministic.
 *
 * @example writeFileSync('report.html', await renderHtml(validate({ cohort, scores: [news2] })));
 */
export async function renderHtml(report: ValidationReport, options: HtmlOptions = {}): Promise<string> {
  const figures = options.figures ?? (await renderFigures(report));
  const doc = options.document ?? reportDocument(report);
  const names = report.settings.scores.map((s) => s.name).join(', ');
  return documentHtml(doc, figures, {
    title: `Validation report — ${names}`,
    footer: `ewskit ${EWSKIT_VERSION} · report schema ${report.schema} · disclosure policy ${report.disclosure.policy}${report.disclosure.releasable ? '' : ' · NOT FOR RELEASE'} · every figure is drawn from the released report, never from patient data.`,
  });
}

/**
 * A document as one self-contained HTML page (no script, no fetch): its sections, each followed by the figures whose
 * place (`figurePlace`) is the section's id; figures without a section go last. Deterministic.
 *
 * @param page the page's title and footer (plain text, escaped here)
 */
export function documentHtml(doc: ReportDocument, figures: readonly RenderedFigure[], page: { readonly title: string; readonly footer: string }): string {
  let n = 0;
  const sections = doc.sections.map((s) => {
    const html = [headingHtml(2, s.title), ...s.blocks.map(blockHtml)].join('\n');
    const own = figures.filter((f) => figurePlace(f) === s.id);
    return own.length === 0 ? html : `${html}\n<div class="figures">${own.map((f) => figureHtml(f, ++n)).join('\n')}</div>`;
  });
  const ids = new Set(doc.sections.map((s) => s.id));
  const rest = figures.filter((f) => !ids.has(figurePlace(f)));
  if (rest.length > 0) sections.push(`<h2 id="other-figures">Other figures</h2>\n<div class="figures">${rest.map((f) => figureHtml(f, ++n)).join('\n')}</div>`);
  const contents = doc.sections.map((s) => `<li><a href="#${anchor(s.title)}">${inline(s.title)}</a></li>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<meta name="generator" content="ewskit ${EWSKIT_VERSION}">`,
    `<title>${escapeXml(page.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    [headingHtml(1, doc.title), ...doc.preamble.map(blockHtml)].join('\n'),
    `<nav aria-label="Contents"><strong>Contents</strong><ol>${contents}</ol></nav>`,
    ...sections,
    `<footer>${escapeXml(page.footer)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
