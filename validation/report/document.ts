/**
 * The report as a document: an ordered list of sections, each with a stable id, a title and its blocks (paragraphs
 * and tables of typed rows). `reportDocument` (sections.ts) builds it once from a `ValidationReport`; the renderers
 * — Markdown (markdown.ts), HTML (html.ts) — each walk it, and none reads another's output. A figure finds its place
 * by its section's id (`figurePlace` in figures.ts), never by a heading's wording.
 *
 * Text is plain, with two inline marks that every renderer knows: `**strong**` and `` `code` ``. Table cells are text
 * as shown; a renderer escapes what its format needs (a `|` inside a Markdown table cell).
 */

/** Text with two inline marks, `**strong**` and `` `code` ``; nothing else in it is markup. */
export type Inline = string;

/** A paragraph. */
export interface ParagraphBlock {
  readonly kind: 'paragraph';
  readonly text: Inline;
}

/** A table: a header row and rows of cells; the first column is a label, the others are numbers (right-aligned). */
export interface TableBlock {
  readonly kind: 'table';
  readonly header: readonly Inline[];
  readonly rows: readonly (readonly Inline[])[];
}

/** One block of a section. */
export type Block = ParagraphBlock | TableBlock;

/** One section of the report. */
export interface DocumentSection {
  /** Stable and independent of the wording: `flow`, `discrimination`, `subgroups:ethnicity`, … */
  readonly id: string;
  readonly title: Inline;
  readonly blocks: readonly Block[];
}

/** The whole report as a document. */
export interface ReportDocument {
  readonly title: Inline;
  /** What comes before the first section: the release warning, the outcome and intervals, warnings. */
  readonly preamble: readonly Block[];
  readonly sections: readonly DocumentSection[];
}

/** Builds a document in reading order: blocks go to the section opened last (the preamble before any). */
export class DocumentBuilder {
  private readonly preamble: Block[] = [];
  private readonly sections: { id: string; title: Inline; blocks: Block[] }[] = [];
  private readonly ids = new Set<string>();

  constructor(private readonly title: Inline) {}

  /** Open a section; its id must be unique in the document. */
  section(id: string, title: Inline): this {
    if (this.ids.has(id)) throw new Error(`reportDocument: section id "${id}" is used twice; expected each id once.`);
    this.ids.add(id);
    this.sections.push({ id, title, blocks: [] });
    return this;
  }

  /** A paragraph in the current section. */
  paragraph(text: Inline): this {
    this.current().push({ kind: 'paragraph', text });
    return this;
  }

  /** A table in the current section. */
  table(header: readonly Inline[], rows: readonly (readonly Inline[])[]): this {
    this.current().push({ kind: 'table', header, rows });
    return this;
  }

  build(): ReportDocument {
    return { title: this.title, preamble: this.preamble, sections: this.sections };
  }

  private current(): Block[] {
    return this.sections[this.sections.length - 1]?.blocks ?? this.preamble;
  }
}
