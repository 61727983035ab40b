/**
 * The report's figures drawn as static SVG: each Vega-Lite spec of `figureSpecs(report)` compiled with Vega-Lite and
 * rendered by Vega headless (no browser, no canvas, no network). The same report gives the same bytes. Node entry
 * only (`ewskit/node`): the browser-safe core never loads the charting libraries.
 */
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { logger as vegaLogger, None, parse, View } from 'vega';
import type { FigureSpec } from './figures.js';
import { figureSpecs } from './figures.js';
import type { ValidationReport } from './types.js';

/** A figure with its SVG (null when withheld; `withheld` says why). */
export interface RenderedFigure extends FigureSpec {
  readonly svg: string | null;
  /** What Vega-Lite or Vega warned of while drawing it (none for ewskit's own figures; a test checks). */
  readonly warnings: readonly string[];
}

/** A logger that keeps warnings and errors instead of printing them. */
function collecting(into: string[]) {
  const log = vegaLogger(None);
  const keep = (...args: readonly unknown[]) => {
    into.push(args.map(String).join(' '));
    return log;
  };
  return Object.assign(log, { warn: keep, error: keep });
}

/** Escape text for XML. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One spec as SVG, with a `<title>` and `<desc>` for screen readers and `role="img"`. */
async function svgOf(f: FigureSpec, warnings: string[]): Promise<string | null> {
  if (f.spec === null) return null;
  const logger = collecting(warnings);
  const vega = compile(f.spec as unknown as TopLevelSpec, { logger }).spec;
  const view = new View(parse(vega), { renderer: 'none', logger });
  const svg = await view.toSVG();
  view.finalize();
  const id = `fig-${f.id}`;
  // Vega numbers clip paths with a counter shared by the process: renumber them per figure, prefixed with its id, so
  // the same report gives the same bytes and figures on one page never share an id.
  const clips = new Map<string, string>();
  const renamed = svg.replace(/\bclip\d+\b/g, (c) => {
    const known = clips.get(c);
    if (known !== undefined) return known;
    const next = `${id}-clip${clips.size + 1}`;
    clips.set(c, next);
    return next;
  });
  return renamed.replace(
    /^<svg([^>]*)>/,
    (_, attrs: string) =>
      `<svg${attrs} role="img" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${escapeXml(f.title)}</title><desc id="${id}-desc">${escapeXml(f.description)}</desc>`,
  );
}

/**
 * Every figure of the report, drawn. Figures are drawn one after another (Vega views are not shared).
 *
 * @example (await renderFigures(report)).filter((f) => f.svg !== null).length;
 */
export async function renderFigures(report: ValidationReport): Promise<RenderedFigure[]> {
  return renderSpecs(figureSpecs(report));
}

/** Figures drawn from their specs, one after another (a spec of null is a figure withheld). */
export async function renderSpecs(specs: readonly FigureSpec[]): Promise<RenderedFigure[]> {
  const out: RenderedFigure[] = [];
  for (const f of specs) {
    const warnings: string[] = [];
    const svg = await svgOf(f, warnings);
    out.push({ ...f, svg, warnings });
  }
  return out;
}
