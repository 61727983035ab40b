/**
 * Readable summaries of a scored table for the terminal: counts per risk band, incomplete and flagged sets, and a
 * few example rows. Aggregates only; example rows never show a patient or encounter identifier.
 */
import type { Data, Table } from 'apache-arrow';
import type { BandedScore } from '../../scores/definition.js';
import { outputColumns } from '../../scores/score-table.js';

export interface ScoreSummary {
  rows: number;
  byRisk: { risk: string; count: number }[];
  noTotal: number;
  flagged: number;
  redFlag: number;
}

function isValid(data: Data, i: number): boolean {
  const bm = data.nullBitmap;
  if (data.nullCount === 0 || bm === undefined || bm.length === 0) return true;
  const j = data.offset + i;
  return ((bm[j >> 3] as number) >> (j & 7)) & 1 ? true : false;
}

/** Count rows per risk band, rows without a total, flagged rows and red flags. Runs in O(rows). */
export function summariseScores(score: BandedScore, scored: Table): ScoreSummary {
  const [, riskName, redName] = outputColumns(score) as [string, string, string];
  const counts = new Array<number>(score.risks.length).fill(0);
  let noTotal = 0;
  let flagged = 0;
  let redFlag = 0;
  const flagsName = `${score.id}_flags`;
  for (const batch of scored.batches) {
    const risk = batch.getChild(riskName)?.data[0] as Data;
    const red = batch.getChild(redName);
    const flags = batch.getChild(flagsName)?.data[0] as Data;
    const keys = risk.values as Int8Array;
    for (let i = 0; i < batch.numRows; i++) {
      if (isValid(risk, i)) counts[keys[i] as number]++;
      else noTotal++;
      if (isValid(flags, i)) flagged++;
      if (red?.get(i) === true) redFlag++;
    }
  }
  return {
    rows: scored.numRows,
    byRisk: score.risks.map((risk, k) => ({ risk, count: counts[k] as number })),
    noTotal,
    flagged,
    redFlag,
  };
}

const fmt = (n: number): string => n.toLocaleString('en-GB');
const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);

/** Render a summary as a Markdown table. */
export function formatSummary(score: BandedScore, s: ScoreSummary): string {
  const rows = [
    ...s.byRisk.map((r) => [r.risk, fmt(r.count), pct(r.count, s.rows)]),
    ['no total (incomplete or flagged)', fmt(s.noTotal), pct(s.noTotal, s.rows)],
  ];
  const lines = [
    `| ${score.name} risk band | observation sets | share |`,
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `Red score (a single parameter scoring ${score.redFlag?.minPoints ?? '—'}): ${fmt(s.redFlag)} sets. ` +
      `Flagged values (implausible, non-finite or unknown codes): ${fmt(s.flagged)} sets — kept, with a reason in ${score.id}_flags.`,
  ];
  return lines.join('\n');
}

/** Render a few scored rows (no identifiers) as a Markdown table. */
export function formatExamples(score: BandedScore, scored: Table, rowIndexes: readonly number[]): string {
  const shown = ['observed_at', 'respiratory_rate', 'spo2', 'on_oxygen', 'systolic_bp', 'heart_rate', 'consciousness', 'temperature'];
  const added = [`${score.id}_total`, `${score.id}_risk`, `${score.id}_flags`, `${score.id}_missing`];
  const header = [...shown, ...added];
  const cell = (name: string, i: number): string => {
    const v: unknown = scored.getChild(name)?.get(i);
    if (v === null || v === undefined) return '·';
    if (name === 'observed_at') return new Date(Number(v)).toISOString().slice(0, 16).replace('T', ' ');
    return String(v);
  };
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rowIndexes.map((i) => `| ${header.map((h) => cell(h, i)).join(' | ')} |`),
  ].join('\n');
}
