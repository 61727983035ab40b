/** The combined multi-site report as one self-contained HTML page (Node: the figures are drawn with Vega, headless). */
import { documentHtml } from '../report/html.js';
import { EWSKIT_VERSION } from '../report/provenance.js';
import { renderSpecs } from '../report/render-figures.js';
import type { CombinedReport } from './combine.js';
import { combinedDocument, combinedFigures } from './render-combined.js';

/**
 * The combined report as one self-contained HTML page with a forest plot per score. Deterministic.
 *
 * @example writeFileSync('combined.html', await combinedHtml(combineSummaries(summaries)));
 */
export async function combinedHtml(report: CombinedReport): Promise<string> {
  const figures = await renderSpecs(combinedFigures(report));
  return documentHtml(combinedDocument(report), figures, {
    title: `Multi-site validation — ${report.common.definitions.map((d) => d.name).join(', ')}`,
    footer: `ewskit ${EWSKIT_VERSION} · ${report.schema} · ${report.sites.length} sites · made from the sites' released summaries only${report.releasable ? '' : ' · NOT FOR RELEASE'}`,
  });
}
