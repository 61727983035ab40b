/**
 * Scoring a file batch by batch gives what scoring it whole gives — every row, in order, whatever the batch size and
 * the input or output format — and `columns` writes only what is asked for. (Memory is measured in bench/, not here.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatchStreamWriter, tableFromIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { mews } from '../../../scores/catalogue/mews.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { observationsToFhir } from '../../../src/ingest/export-fhir.js';
import { scoreFile } from '../../../src/io/score-stream.js';
import { generateCohort } from '../../../validation/cohort/generate.js';

const dir = mkdtempSync(join(tmpdir(), 'ewskit-stream-'));
const cohort = generateCohort({ profile: 'uk-leicester', encounters: 300, seed: 8 });
const whole = scoreTable([news2, mews], cohort.observations);
/** A column's values, nulls as null (iterating respects validity; toArray() does not). */
const totals = (t: { getChild(n: string): Iterable<unknown> | null }, name: string) => [...(t.getChild(name) ?? [])];

/** The observations as an Arrow IPC stream of small batches. */
function streamFile(rowsPerBatch: number): string {
  const path = join(dir, `obs-${rowsPerBatch}.arrows`);
  const writer = new RecordBatchStreamWriter();
  for (let start = 0; start < cohort.observations.numRows; start += rowsPerBatch)
    for (const b of cohort.observations.slice(start, start + rowsPerBatch).batches) writer.write(b);
  writer.finish();
  writeFileSync(path, writer.toUint8Array(true));
  return path;
}

describe('scoreFile: batch by batch, the same as whole', () => {
  it('an Arrow IPC stream in batches of 1,000 → an Arrow file: every row, every column, in order', async () => {
    const out = join(dir, 'scored.arrow');
    const r = await scoreFile({ input: streamFile(1000), output: out, scores: [news2, mews] });
    expect(r.rows).toBe(cohort.observations.numRows);
    expect(r.batches).toBe(Math.ceil(cohort.observations.numRows / 1000));
    const back = tableFromIPC(readFileSync(out));
    expect(back.numRows).toBe(whole.numRows);
    for (const name of ['news2_total', 'news2_respiratory_rate', 'mews_total', 'news2_red_flag']) expect(totals(back, name), name).toEqual(totals(whole, name));
    // The risk keeps its dictionary, value for value.
    expect([...(back.getChild('news2_risk') ?? [])]).toEqual([...(whole.getChild('news2_risk') ?? [])]);
  });

  it('columns: "total,risk" writes each score’s total and risk and nothing else', async () => {
    const out = join(dir, 'lean.arrows');
    const r = await scoreFile({ input: streamFile(5000), output: out, scores: [news2, mews], columns: ['total', 'risk'] });
    expect(r.columns).toEqual(['news2_total', 'news2_risk', 'mews_total', 'mews_risk']);
    const back = tableFromIPC(readFileSync(out));
    expect(back.schema.fields.map((f) => f.name)).toEqual(['news2_total', 'news2_risk', 'mews_total', 'mews_risk']);
    expect(totals(back, 'mews_total')).toEqual(totals(whole, 'mews_total'));
    await expect(scoreFile({ input: streamFile(5000), output: join(dir, 'x.arrow'), scores: [news2], columns: ['totl'] })).rejects.toThrow(
      /columns names "totl", which is neither a column nor a suffix of a score's columns \(news2_total, /,
    );
  });

  it('Parquet out, readable back; a wide CSV and a FHIR export in', async () => {
    const parquet = join(dir, 'scored.parquet');
    await scoreFile({ input: streamFile(2000), output: parquet, scores: [news2], columns: ['encounter_id', 'total'] });
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(parquet) })) as { encounter_id: string; news2_total: number | null }[];
    expect(rows.map((x) => x.news2_total)).toEqual(totals(whole, 'news2_total'));

    const names = [
      'patient_id',
      'encounter_id',
      'observed_at',
      'respiratory_rate',
      'spo2',
      'spo2_scale',
      'on_oxygen',
      'systolic_bp',
      'heart_rate',
      'consciousness',
      'temperature',
    ];
    const lines = [names.join(',')];
    const o = cohort.observations;
    for (let i = 0; i < o.numRows; i++)
      lines.push(
        names
          .map((n) => {
            const v = o.getChild(n)?.get(i);
            return v === null || v === undefined ? '' : n === 'observed_at' ? new Date(Number(v)).toISOString() : String(v);
          })
          .join(','),
      );
    writeFileSync(join(dir, 'wide.csv'), lines.join('\n'));
    const fromCsv = join(dir, 'csv.arrow');
    const r = await scoreFile({ input: join(dir, 'wide.csv'), output: fromCsv, scores: [news2], columns: ['total'], batchRows: 777 });
    expect(r.batches).toBe(Math.ceil(o.numRows / 777));
    expect(totals(tableFromIPC(readFileSync(fromCsv)), 'news2_total')).toEqual(totals(whole, 'news2_total'));
    // The same rows tab-separated (a .tsv file is read with tabs, whatever the mapping's delimiter).
    writeFileSync(join(dir, 'wide.tsv'), lines.map((l) => l.replace(/,/g, '\t')).join('\n'));
    await scoreFile({ input: join(dir, 'wide.tsv'), output: join(dir, 'tsv.arrow'), scores: [news2], columns: ['total'] });
    expect(totals(tableFromIPC(readFileSync(join(dir, 'tsv.arrow'))), 'news2_total')).toEqual(totals(whole, 'news2_total'));

    writeFileSync(join(dir, 'obs.ndjson'), [...observationsToFhir(o)].map((x) => JSON.stringify(x)).join('\n'));
    const fromFhir = join(dir, 'fhir.arrow');
    const f = await scoreFile({ input: join(dir, 'obs.ndjson'), output: fromFhir, scores: [news2], columns: ['total'] });
    expect(f.rows).toBe(o.numRows);
  });
});

describe('scoreFile: an input without rows gives a valid file, never 0 bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ewskit-empty-'));
  const header = join(dir, 'header.csv');
  writeFileSync(header, 'patient_id,encounter_id,observed_at,respiratory_rate,spo2,on_oxygen,systolic_bp,heart_rate,consciousness,temperature\n');
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '');
  for (const [input, name] of [
    [header, 'header-only'],
    [empty, 'empty'],
  ] as const) {
    it(`${name} CSV → Arrow file and stream with the score columns and no rows`, async () => {
      for (const ext of ['arrow', 'arrows']) {
        const output = join(dir, `${name}.${ext}`);
        const r = await scoreFile({ input, output, scores: [news2] });
        expect(r.rows).toBe(0);
        const t = tableFromIPC(readFileSync(output));
        expect(t.numRows).toBe(0);
        expect(t.schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['respiratory_rate', 'news2_total', 'news2_risk', 'news2_flags']));
      }
    });
    it(`${name} CSV → Parquet with the score columns and no rows`, async () => {
      const output = join(dir, `${name}.parquet`);
      await scoreFile({ input, output, scores: [news2] });
      const file = await asyncBufferFromFile(output);
      expect(file.byteLength).toBeGreaterThan(0);
      expect(await parquetReadObjects({ file })).toEqual([]);
      const meta = await parquetMetadataAsync(file);
      expect(meta.schema.map((s) => s.name)).toEqual(expect.arrayContaining(['news2_total', 'news2_risk']));
    });
  }
});
