/**
 * Scoring files larger than memory: read a batch, score it, write it, forget it. Memory is bounded by the batch, not
 * the file. Inputs: Arrow IPC (file or stream), wide CSV and Parquet, read batch by batch; long inputs and FHIR must
 * be assembled into sets first (an encounter's measurements belong together), so they are read whole, then scored
 * and written batch by batch. Outputs: an Arrow IPC file (`.arrow`), an Arrow IPC stream (`.arrows`) or Parquet
 * (`.parquet`), written to a temporary file and renamed into place when complete. `columns` writes only what is asked
 * for (`total`, `risk` — each score's column with that suffix — or any column by its full name).
 */
import { closeSync, openSync } from 'node:fs';
import { writeError } from './write-text.js';
import { writeAtomic } from './temporaries.js';
import { extname } from 'node:path';
import type { Data, RecordBatch } from 'apache-arrow';
import { DataType, makeData, Table, Utf8, Vector, vectorFromArray } from 'apache-arrow';
import { arrowSink, parquetSink } from './sinks.js';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { emptyTable, typedTable } from '../ingest/canonical-tables.js';
import type { Mapping } from '../ingest/mapping.js';
import { mappingFor, resolveMapping } from '../ingest/mapping.js';
import type { IngestReport } from '../ingest/measurements.js';
import { ingestReport } from '../ingest/measurements.js';
import { readObservations, tabularRows } from './read-extract.js';
import { openArrow } from './readers/arrow.js';
import { readerFor } from './readers/registry.js';

/** Options of `scoreFile`. */
export interface ScoreFileOptions {
  readonly input: string;
  readonly output: string;
  readonly scores: readonly ScoreDefinition[];
  readonly missing?: 'none' | 'zero';
  /** Only these columns: a suffix of each score's columns (`total`, `risk`) or a full column name. Default: every input and score column. */
  readonly columns?: readonly string[];
  /** Rows per batch for CSV and Parquet (Arrow keeps its own batches). Default 65,536. */
  readonly batchRows?: number;
  readonly mapping?: Mapping;
  /** Called after each batch with the scored batch (every column) and the rows written so far. */
  readonly onBatch?: (scored: Table, rows: number) => void;
}

/** What `scoreFile` did. */
export interface ScoreFileResult {
  readonly rows: number;
  readonly batches: number;
  readonly columns: readonly string[];
  readonly ingest: IngestReport;
}

/** Input batches as tables of the canonical schema. */
async function* inputTables(o: ScoreFileOptions, mapping: Mapping, report: IngestReport): AsyncGenerator<Table> {
  const reader = readerFor(o.input);
  const size = o.batchRows ?? 65_536;
  if (reader.format === 'arrow') {
    // Arrow streams as it is: its record batches are scored as they come.
    for await (const batch of openArrow(o.input, 'scoreFile')) {
      report.read += batch.numRows;
      report.kept += batch.numRows;
      yield new Table(batch);
    }
    return;
  }
  if (reader.holds === 'rows') {
    // A wide table streams; a long one (a `code` column) is assembled whole, below.
    const batches = tabularRows(o.input, reader, 'observations', mapping, report, false, size);
    const first = await batches.next();
    if (first.done === true) return;
    if (!Object.keys(first.value.rows[0] ?? {}).includes('code')) {
      yield typedTable('observations', first.value.rows, first.value.sources, mapping, report);
      for await (const b of batches) yield typedTable('observations', b.rows, b.sources, mapping, report);
      return;
    }
    await batches.return(undefined);
    Object.assign(report, ingestReport());
  }
  // FHIR, or a long table: measurements become sets only together.
  const { table, ingest } = await readObservations(o.input, { mapping });
  Object.assign(report, { read: ingest.read, kept: ingest.kept, rejected: ingest.rejected });
  Object.assign(report.byReason, ingest.byReason);
  Object.assign(report.firstOf, ingest.firstOf);
  report.examples.push(...ingest.examples);
  for (let start = 0; start < table.numRows; start += size) yield table.slice(start, start + size);
}

/** The output columns: all, or those asked for (a score-column suffix, or a full name), in the table's order. */
function selectColumns(table: Table, scores: readonly ScoreDefinition[], asked: readonly string[] | undefined): string[] {
  const names = table.schema.fields.map((f) => f.name);
  if (asked === undefined || asked.length === 0) return names;
  const picked = new Set<string>();
  for (const a of asked) {
    const bySuffix = scores.map((s) => `${s.id}_${a}`).filter((n) => names.includes(n));
    const matches = names.includes(a) ? [a] : bySuffix;
    if (matches.length === 0)
      throw new Error(
        `scoreFile: columns names "${a}", which is neither a column nor a suffix of a score's columns (${names.filter((n) => scores.some((s) => n.startsWith(`${s.id}_`))).join(', ')})`,
      );
    for (const m of matches) picked.add(m);
  }
  return names.filter((n) => picked.has(n));
}

/**
 * The output batches: a score's risk column keeps its dictionary (fixed by the definition: the first batch's
 * dictionary is reused, so the file carries it once); other dictionary columns (flags, whose dictionaries grow batch
 * by batch) are written as plain text, so every batch of the output stands alone. Other columns are as they are.
 */
function outputBatches(scored: Table, columns: readonly string[], scores: readonly ScoreDefinition[], fixed: Map<string, Data>): RecordBatch[] {
  const risks = new Map(scores.map((s) => [`${s.id}_risk`, kindOf(s).riskLabels(s)]));
  return scored.batches.map((batch) => {
    const out: Record<string, Vector> = {};
    for (const name of columns) {
      const v = batch.getChild(name) as Vector;
      if (!DataType.isDictionary(v.type)) {
        out[name] = v;
        continue;
      }
      const data = v.data[0] as Data;
      const labels = risks.get(name);
      const values = data.dictionary === undefined ? [] : [...data.dictionary];
      if (labels !== undefined && values.length === labels.length && values.every((x, k) => x === labels[k])) {
        const first = fixed.get(name) ?? data;
        fixed.set(name, first);
        out[name] = new Vector([
          makeData({
            type: first.type,
            offset: data.offset,
            length: data.length,
            nullCount: data.nullCount,
            nullBitmap: data.nullBitmap,
            data: data.values,
            dictionary: first.dictionary,
          } as never),
        ] as never);
      } else out[name] = vectorFromArray([...v] as (string | null)[], new Utf8());
    }
    return new Table(out).batches[0] as RecordBatch;
  });
}

/**
 * Score a file batch by batch and write the result, never holding more than a batch (wide inputs).
 *
 * @example await scoreFile({ input: 'obs.arrows', output: 'scored.arrow', scores: [news2], columns: ['total', 'risk'] });
 */
export async function scoreFile(o: ScoreFileOptions): Promise<ScoreFileResult> {
  const mapping = mappingFor(o.mapping ?? resolveMapping(), 'observations');
  const ext = extname(o.output).toLowerCase();
  const report = ingestReport();
  let rows = 0;
  let batches = 0;
  let columns: string[] = [];
  const fixed = new Map<string, Data>();
  await writeAtomic(o.output, async (temporary) => {
    // Open the temporary file now, so a read-only or full destination is a clear error before any work (not an
    // unhandled stream error later).
    try {
      closeSync(openSync(temporary, 'w'));
    } catch (e) {
      throw writeError(o.output, e);
    }
    const sink = ext === '.parquet' ? parquetSink(temporary) : arrowSink(temporary, ext === '.arrows' ? 'stream' : 'file');
    for await (const table of inputTables(o, mapping, report)) {
      const scored = scoreTable(o.scores, table, { missing: o.missing ?? 'none' });
      if (batches === 0) columns = selectColumns(scored, o.scores, o.columns);
      for (const b of outputBatches(scored, columns, o.scores, fixed)) await sink.write(b);
      rows += table.numRows;
      batches++;
      o.onBatch?.(scored, rows);
    }
    if (batches === 0) {
      // No rows (an empty or header-only file, or every record rejected): still a valid file with the canonical
      // columns and the score columns, which ewskit and any Arrow or Parquet reader can open — never 0 bytes.
      const scored = scoreTable(o.scores, emptyTable('observations'), { missing: o.missing ?? 'none' });
      columns = selectColumns(scored, o.scores, o.columns);
      for (const b of outputBatches(scored, columns, o.scores, fixed)) await sink.write(b);
    }
    await sink.close();
  });
  return { rows, batches, columns, ingest: report };
}
