/**
 * The validation report as Markdown: the report's document (sections.ts) written as headings, paragraphs and pipe
 * tables. The text of every section is decided in sections.ts; here is only how Markdown writes it.
 */
import type { Block, ReportDocument } from './document.js';
import { reportDocument } from './sections.js';
import type { ValidationReport } from './types.js';

/** A table cell as Markdown: a `|` inside it is escaped so it does not split the cell. */
function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A pipe table: the first column left-aligned, the others right-aligned (numbers). */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** One block as Markdown lines, each block followed by a blank line. */
function markdownBlock(b: Block): string[] {
  return [b.kind === 'paragraph' ? b.text : markdownTable(b.header, b.rows), ''];
}

/** A report document as Markdown. Runs in O(size of the document). */
export function documentToMarkdown(doc: ReportDocument): string {
  return [
    `# ${doc.title}`,
    '',
    ...doc.preamble.flatMap(markdownBlock),
    ...doc.sections.flatMap((s) => [`## ${s.title}`, '', ...s.blocks.flatMap(markdownBlock)]),
  ].join('\n');
}

/**
 * Render a validation report as Markdown. Runs in O(size of the report).
 *
 * @example renderMarkdown(validate({ cohort, scores: [news2] })); // => '# Validation report …'
 */
export function renderMarkdown(report: ValidationReport): string {
  return documentToMarkdown(reportDocument(report));
}
