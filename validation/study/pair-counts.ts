/**
 * The count-table core's `pair_counts`: for each pair of scores (a before b, as `scorePairs` orders them), the sets
 * both can score per (a's value, b's value) — a probability in its bucket ⌊p · resolution⌋ / resolution — with their
 * positive and negative sets: the joint counts the paired DeLong test reads (`compareAurocFromJointCounts`). The data's
 * own counts only (DeLong's variance is analytic, no replicates); tables of disjoint sets of patients add.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { scorePairs } from './count-tables.js';

/** One cell of a pair's joint counts. */
export interface PairCountRow {
  readonly a: string;
  readonly b: string;
  readonly valueA: number;
  readonly valueB: number;
  readonly positive: number;
  readonly negative: number;
}

/** The `pair_counts` table. */
export interface PairCountTable {
  readonly definition: { readonly table: 'pair_counts'; readonly version: 1; readonly resolution: number };
  readonly rows: readonly PairCountRow[];
}

/** Rows in their canonical order (pair, a's value, b's value), so tables counted in different places compare equal. */
export function sortPairCounts(table: PairCountTable): PairCountTable {
  return {
    definition: table.definition,
    rows: [...table.rows].sort(
      (x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : 0) || (x.b < y.b ? -1 : x.b > y.b ? 1 : 0) || x.valueA - y.valueA || x.valueB - y.valueB,
    ),
  };
}

/**
 * The joint counts of every pair of `scores` over the analysis rows (`values[s]` per score, NaN where it cannot
 * score; `labels` 1/0). Runs in O(n · pairs).
 */
export function pairCounts(
  scores: readonly ScoreDefinition[],
  values: readonly Float64Array[],
  labels: ArrayLike<number>,
  resolution = 10_000,
): PairCountTable {
  const rows: PairCountRow[] = [];
  const bucket = (d: ScoreDefinition, v: number): number => (kindOf(d).probabilistic ? Math.floor(v * resolution) / resolution : v);
  for (const [ia, ib] of scorePairs(scores.length)) {
    const da = scores[ia] as ScoreDefinition;
    const db = scores[ib] as ScoreDefinition;
    const va = values[ia] as Float64Array;
    const vb = values[ib] as Float64Array;
    const cells = new Map<string, { valueA: number; valueB: number; positive: number; negative: number }>();
    for (let k = 0; k < labels.length; k++) {
      const x = va[k] as number;
      const y = vb[k] as number;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const valueA = bucket(da, x);
      const valueB = bucket(db, y);
      const key = `${valueA}|${valueB}`;
      let c = cells.get(key);
      if (c === undefined) cells.set(key, (c = { valueA, valueB, positive: 0, negative: 0 }));
      if (labels[k] === 1) c.positive++;
      else c.negative++;
    }
    for (const c of cells.values()) rows.push({ a: da.id, b: db.id, ...c });
  }
  return sortPairCounts({ definition: { table: 'pair_counts', version: 1, resolution }, rows });
}

/**
 * Two `pair_counts` tables of disjoint sets of patients added, cell by cell. Runs in O(cells).
 *
 * @throws {TypeError} when their resolutions differ
 */
export function addPairCounts(a: PairCountTable, b: PairCountTable): PairCountTable {
  if (a.definition.resolution !== b.definition.resolution)
    throw new TypeError(`addPairCounts: the tables differ in "resolution" (${a.definition.resolution} and ${b.definition.resolution}).`);
  const cells = new Map<string, PairCountRow>();
  for (const r of [...a.rows, ...b.rows]) {
    const key = `${r.a}\u0000${r.b}\u0000${r.valueA}\u0000${r.valueB}`;
    const c = cells.get(key);
    cells.set(key, c === undefined ? r : { ...c, positive: c.positive + r.positive, negative: c.negative + r.negative });
  }
  return sortPairCounts({ definition: a.definition, rows: [...cells.values()] });
}
