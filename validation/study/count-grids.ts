/**
 * `score_counts` as grids: per (score, group), the values with a cell in any replicate and, over them, the positive and
 * negative counts of the data (replicate −1) and of each replicate 0…B−1 — typed arrays instead of one object per cell,
 * so a table of millions of cells (a model's probability buckets × B replicates × sites) is added, collapsed over
 * groups and read as each replicate's dense counts without millions of objects. Σ: a points score's is value × sets (not
 * stored); a model's Σp per value is kept for the data only (replicates' NaN), the one any statistic reads. The packed
 * form a site shares (`packed-counts.ts`) is these grids encoded.
 */
import type { DenseCounts } from '../bootstrap/group-bootstrap.js';
import type { CountInput, CountTableDefinition, ReplicateCells, ScoreCountRow, ScoreCountTable } from './count-tables.js';
import { compareScoreCountRows, countCells } from './count-tables.js';

/** A block's grid: its values, its counts (positives over replicate × value, then negatives), a model's Σ per value in the data. */
export interface CountGrid {
  readonly score: string;
  readonly group: string;
  readonly probabilistic: boolean;
  readonly values: Float64Array;
  readonly counts: Float64Array;
  readonly sums: Float64Array;
}

export const keyOf = (score: string, group: string): string => `${score}\u0000${group}`;

/**
 * A table's blocks as grids, in the table's order. Runs in O(cells + B · values) per block.
 *
 * @throws {RangeError} naming the cell (as `fn`) when a count is not a whole number ≥ 0 or a replicate is out of range, or a
 *   points score's Σ is not its value × sets
 */
export function gridsOfRows(table: ScoreCountTable, probabilistic: readonly string[], fn: string): Map<string, CountGrid> {
  const model = new Set(probabilistic);
  const byBlock = new Map<string, ScoreCountRow[]>();
  for (const r of table.rows) {
    const key = keyOf(r.score, r.group);
    const list = byBlock.get(key);
    if (list === undefined) byBlock.set(key, [r]);
    else list.push(r);
  }
  const B = table.definition.B;
  const whole = (r: ScoreCountRow, n: number, field: string): number => {
    if (!(Number.isInteger(n) && n >= 0 && n < 2 ** 48))
      throw new RangeError(
        `${fn}: cell (score ${JSON.stringify(r.score)}, group ${JSON.stringify(r.group)}, replicate ${r.replicate}, value ${r.value}) field "${field}" expected a whole number ≥ 0; received ${String(n)}.`,
      );
    return n;
  };
  const grids = new Map<string, CountGrid>();
  for (const [key, rows] of byBlock) {
    const { score, group } = rows[0] as ScoreCountRow;
    const isModel = model.has(score);
    const values = [...new Set(rows.map((r) => r.value))].sort((a, b) => a - b);
    const index = new Map(values.map((v, i) => [v, i]));
    const V = values.length;
    const counts = new Float64Array((B + 1) * V * 2);
    const sums = new Float64Array(V);
    for (const r of rows) {
      if (!(Number.isInteger(r.replicate) && r.replicate >= -1 && r.replicate < B))
        throw new RangeError(`${fn}: cell (score ${JSON.stringify(score)}) field "replicate" expected −1…${B - 1}; received ${String(r.replicate)}.`);
      const at = (r.replicate + 1) * V + (index.get(r.value) as number);
      counts[at] = whole(r, r.positive, 'positive');
      counts[(B + 1) * V + at] = whole(r, r.negative, 'negative');
      if (isModel) {
        if (r.replicate === -1) sums[index.get(r.value) as number] = r.sum;
      } else if (r.sum !== r.value * (r.positive + r.negative))
        throw new RangeError(
          `${fn}: cell (score ${JSON.stringify(score)}, replicate ${r.replicate}, value ${r.value}) field "sum" expected value × sets (${r.value * (r.positive + r.negative)}) for a points score; received ${r.sum}. Name the score in "probabilistic" if its values are buckets.`,
        );
    }
    grids.set(key, { score, group, probabilistic: isModel, values: Float64Array.from(values), counts, sums });
  }
  return grids;
}

/** The table's rows from its grids: every non-empty cell, sorted as the count tables sort them. Runs in O(B · values) per grid. */
export function rowsOfGrids(grids: Iterable<CountGrid>, definition: CountTableDefinition): ScoreCountTable {
  const B = definition.B;
  const rows: ScoreCountRow[] = [];
  for (const g of grids) {
    const V = g.values.length;
    for (let b = 0; b <= B; b++)
      for (let i = 0; i < V; i++) {
        const positive = g.counts[b * V + i] as number;
        const negative = g.counts[(B + 1) * V + b * V + i] as number;
        if (positive === 0 && negative === 0) continue;
        const value = g.values[i] as number;
        const replicate = b - 1;
        const sum = !g.probabilistic ? value * (positive + negative) : replicate === -1 ? (g.sums[i] as number) : Number.NaN;
        rows.push({ score: g.score, value, group: g.group, replicate, positive, negative, sum });
      }
  }
  return { definition, rows: rows.sort(compareScoreCountRows) };
}

/** Two grids of one block added, over the union of their values (Σ in the order a, b). Runs in O(B · values). */
export function addGrids(a: CountGrid, b: CountGrid, B: number): CountGrid {
  const values = Float64Array.from(new Set([...a.values, ...b.values])).sort();
  const index = new Map(Array.from(values, (v, i) => [v, i]));
  const V = values.length;
  const counts = new Float64Array((B + 1) * V * 2);
  const sums = new Float64Array(V);
  for (const g of [a, b]) {
    const W = g.values.length;
    g.values.forEach((v, j) => {
      const i = index.get(v) as number;
      sums[i] = (sums[i] as number) + (g.sums[j] as number);
      for (let half = 0; half < 2; half++)
        for (let r = 0; r <= B; r++) {
          const at = half * (B + 1) * V + r * V + i;
          counts[at] = (counts[at] as number) + (g.counts[half * (B + 1) * W + r * W + j] as number);
        }
    });
  }
  return { ...a, values, counts, sums };
}

/**
 * Each score's grid over the groups `keep` selects, added in the table's order (group ""): one group kept is its grid
 * itself, not a copy. Runs in O(B · values · groups kept).
 */
export function collapseGrids(grids: Iterable<CountGrid>, keep: (group: string) => boolean, B: number): Map<string, CountGrid> {
  const out = new Map<string, CountGrid>();
  for (const g of grids) {
    if (!keep(g.group)) continue;
    const acc = out.get(g.score);
    out.set(g.score, acc === undefined ? { ...g, group: '' } : addGrids(acc, { ...g, group: '' }, B));
  }
  return out;
}

/** One replicate's dense counts of a grid (−1: the data): its non-empty values, ascending, with their tails. */
function denseRow(g: CountGrid, replicate: number, B: number): DenseCounts {
  const V = g.values.length;
  const pAt = (replicate + 1) * V;
  const nAt = (B + 1) * V + pAt;
  let k = 0;
  for (let i = 0; i < V; i++) if ((g.counts[pAt + i] as number) !== 0 || (g.counts[nAt + i] as number) !== 0) k++;
  const values = new Float64Array(k);
  const pos = new Float64Array(k);
  const neg = new Float64Array(k);
  let sum = 0;
  let j = 0;
  for (let i = 0; i < V; i++) {
    const p = g.counts[pAt + i] as number;
    const n = g.counts[nAt + i] as number;
    if (p === 0 && n === 0) continue;
    const v = g.values[i] as number;
    values[j] = v;
    pos[j] = p;
    neg[j] = n;
    sum += !g.probabilistic ? v * (p + n) : replicate === -1 ? (g.sums[i] as number) : Number.NaN;
    j++;
  }
  const tailPos = new Float64Array(k + 1);
  const tailNeg = new Float64Array(k + 1);
  for (let i = k - 1; i >= 0; i--) {
    tailPos[i] = (tailPos[i + 1] as number) + (pos[i] as number);
    tailNeg[i] = (tailNeg[i + 1] as number) + (neg[i] as number);
  }
  return { values, pos, neg, tailPos, tailNeg, sum, all: { pos, neg } };
}

/**
 * Each score's dense counts from its grid (one group): the data's and each replicate's, made when asked. Runs in O(B ·
 * values) per call.
 */
export function denseFromGrids(byScore: ReadonlyMap<string, CountGrid>, B: number): (score: string) => { data: DenseCounts; replicates: DenseCounts[] } {
  const empty = (): DenseCounts => {
    const none = new Float64Array(0);
    const zero = new Float64Array(1);
    return { values: none, pos: none, neg: none, tailPos: zero, tailNeg: zero, sum: 0, all: { pos: none, neg: none } };
  };
  return (score) => {
    const g = byScore.get(score);
    const at = (b: number) => (g === undefined ? empty() : denseRow(g, b, B));
    return { data: at(-1), replicates: Array.from({ length: B }, (_, b) => at(b)) };
  };
}

/** A model's buckets at the mean probability of the data's sets in each (Σp / sets), from its grid (one group). */
export function gridMeans(g: CountGrid, B: number): Map<number, number> {
  const V = g.values.length;
  const means = new Map<number, number>();
  g.values.forEach((v, i) => {
    const n = (g.counts[i] as number) + (g.counts[(B + 1) * V + i] as number);
    if (n > 0) means.set(v, (g.sums[i] as number) / n);
  });
  return means;
}

/**
 * The ids of a table's scores whose values are probability buckets: each model's own and its values on the sets
 * another score can also score (`a|b`, `a!b`).
 */
export function probabilisticIds(ids: readonly string[], models: readonly string[]): string[] {
  return ids.filter((id) => models.includes(id.split(/[|!]/)[0] as string));
}

/** A table as grids, in its order (see {@link gridsOfRows}); `models`' pair scores are probabilities too. */
export function gridTable(table: ScoreCountTable, models: readonly string[], fn: string): CountGrid[] {
  return [...gridsOfRows(table, probabilisticIds(table.definition.scores, models), fn).values()];
}

/**
 * `score_counts` counted straight into grids, one per (score, group) with a cell, in the table's order — what
 * `scoreCounts` gives as rows, without an object per cell (a model's Σp kept for the data only). Runs in O(rows + B ·
 * patient cells).
 */
export function scoreCountGrids(input: CountInput, definition: CountTableDefinition): CountGrid[] {
  const B = definition.B;
  const out: CountGrid[] = [];
  let open: { cells: ReplicateCells; counts: Float64Array[]; sums: Float64Array[] } | null = null;
  /** A score's grids, each group's trimmed to the values it has a cell at. */
  const close = (): void => {
    if (open === null) return;
    const { cells, counts, sums } = open;
    const K = cells.values.length;
    cells.groups.forEach((group, gi) => {
      const c = counts[gi] as Float64Array;
      const used: number[] = [];
      for (let i = 0; i < K; i++) {
        let any = false;
        for (let r = 0; r <= B && !any; r++) any = (c[r * K + i] as number) !== 0 || (c[(B + 1) * K + r * K + i] as number) !== 0;
        if (any) used.push(i);
      }
      if (used.length === 0) return;
      const V = used.length;
      const trimmed = V === K ? c : new Float64Array((B + 1) * V * 2);
      if (V < K)
        for (let half = 0; half < 2; half++)
          for (let r = 0; r <= B; r++) used.forEach((i, j) => (trimmed[half * (B + 1) * V + r * V + j] = c[half * (B + 1) * K + r * K + i] as number));
      out.push({
        score: cells.score,
        group,
        probabilistic: cells.probabilistic,
        values: Float64Array.from(used, (i) => cells.values[i] as number),
        counts: trimmed,
        sums: Float64Array.from(used, (i) => (sums[gi] as Float64Array)[i] as number),
      });
    });
    open = null;
  };
  countCells(input, definition, (cells) => {
    const K = cells.values.length;
    const G = cells.groups.length;
    if (cells.replicate === -1) {
      close();
      open = {
        cells: { ...cells, pos: new Float64Array(0), neg: new Float64Array(0), sum: new Float64Array(0) },
        counts: cells.groups.map(() => new Float64Array((B + 1) * K * 2)),
        sums: cells.groups.map(() => new Float64Array(K)),
      };
    }
    const target = open as unknown as { counts: Float64Array[]; sums: Float64Array[] };
    for (let key = 0; key < K * G; key++) {
      const i = Math.floor(key / G);
      const g = target.counts[key % G] as Float64Array;
      const at = (cells.replicate + 1) * K + i;
      g[at] = cells.pos[key] as number;
      g[(B + 1) * K + at] = cells.neg[key] as number;
      if (cells.replicate === -1 && cells.probabilistic) (target.sums[key % G] as Float64Array)[i] = cells.sum[key] as number;
    }
  });
  close();
  // The table's order: by score, then group.
  return out.sort((a, b) => (a.score < b.score ? -1 : a.score > b.score ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}
