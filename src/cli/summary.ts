/**
 * Readable summaries of a scored table for the terminal: counts per risk band, incomplete and flagged sets, and a
 * few example rows. Aggregates only; example rows never show a patient or encounter identifier.
 */
import type { Data, Table } from 'apache-arrow';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';

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
  return ((bm[j >> 3] ?? NaN) >> (j & 7)) & 1 ? true : false;
}

/** The risk labels of a score: bands for a points score, zones for a model. */
export function riskLabels(score: ScoreDefinition): readonly string[] {
  return kindOf(score).riskLabels(score);
}

/** Two summaries of the same score over disjoint rows, added (a file scored batch by batch). */
export function mergeSummaries(a: ScoreSummary, b: ScoreSummary): ScoreSummary {
  return {
    rows: a.rows + b.rows,
    byRisk: a.byRisk.map((r, k) => ({ risk: r.risk, count: r.count + (b.byRisk[k]?.count ?? 0) })),
    noTotal: a.noTotal + b.noTotal,
    flagged: a.flagged + b.flagged,
    redFlag: a.redFlag + b.redFlag,
  };
}

/** Count rows per risk band, rows without a result, flagged rows and red flags. Runs in O(rows). */
export function summariseScores(score: ScoreDefinition, scored: Table): ScoreSummary {
  const riskName = `${score.id}_risk`;
  const redName = `${score.id}_red_flag`;
  const labels = riskLabels(score);
  const counts = new Array<number>(labels.length).fill(0);
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
      const k = keys[i];
      if (k !== undefined && isValid(risk, i)) counts[k] = (counts[k] ?? 0) + 1;
      else noTotal++;
      if (isValid(flags, i)) flagged++;
      if (red?.get(i) === true) redFlag++;
    }
  }
  return {
    rows: scored.numRows,
    byRisk: labels.map((risk, k) => ({ risk, count: counts[k] ?? NaN })),
    noTotal,
    flagged,
    redFlag,
  };
}

const fmt = (n: number): string => n.toLocaleString('en-GB');
const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);

/** Render a summary as a Markdown table. */
export function formatSummary(score: ScoreDefinition, s: ScoreSummary): string {
  const kind = kindOf(score);
  const rows = [
    ...s.byRisk.map((r) => [r.risk, fmt(r.count), pct(r.count, s.rows)]),
    [kind.riskLabels(score).length === 0 ? 'no published risk bands' : kind.noValue, fmt(s.noTotal), pct(s.noTotal, s.rows)],
  ];
  const redRule = kind.redFlag(score);
  const red = redRule !== null ? `Red score (a single parameter scoring ${redRule.minPoints}): ${fmt(s.redFlag)} sets. ` : '';
  const lines = [
    `| ${score.name} ${kind.riskName} | observation sets | share |`,
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `${red}Flagged values (implausible, non-finite or unknown codes): ${fmt(s.flagged)} sets — kept, with a reason in ${score.id}_flags.`,
  ];
  return lines.join('\n');
}

/** Render a few scored rows (no identifiers) as a Markdown table. */
export function formatExamples(score: ScoreDefinition, scored: Table, rowIndexes: readonly number[]): string {
  const shown = ['observed_at', 'respiratory_rate', 'spo2', 'on_oxygen', 'systolic_bp', 'heart_rate', 'consciousness', 'temperature'];
  const result = kindOf(score).valueColumn(score);
  const added = [result, `${score.id}_risk`, `${score.id}_flags`, `${score.id}_missing`];
  const header = [...shown, ...added];
  const cell = (name: string, i: number): string => {
    const v: unknown = scored.getChild(name)?.get(i);
    if (v === null || v === undefined) return '·';
    if (name === 'observed_at') return new Date(Number(v)).toISOString().slice(0, 16).replace('T', ' ');
    if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(4)));
    return String(v);
  };
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rowIndexes.map((i) => `| ${header.map((h) => cell(h, i)).join(' | ')} |`),
  ].join('\n');
}
