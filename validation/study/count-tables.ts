/**
 * The count-table core, first table: `score_counts` — per score, score value (or probability bucket), group and
 * bootstrap replicate, the positive and negative observation sets (and Σ of the raw score, for the model metrics).
 * Every discrimination, threshold and observed-risk statistic of a score is a function of these counts, and the
 * replicates are Poisson-bootstrap replicates weighted by a hash of the patient's key — so two tables computed on
 * disjoint sets of patients (two partitions, two sites sharing a pseudonymised key) add up, cell by cell, to the
 * table of all of them. That is what lets the study run where the data lives (docs/design.md, "Count tables").
 *
 * Keys and values, exactly:
 *   score      the score's id
 *   value      a points score's value; a probability's bucket ⌊p · resolution⌋ / resolution (default 10,000 buckets)
 *   group      the grouping's level ("" without a grouping; "(none)" for a set with no level)
 *   replicate  −1 for the data itself (every patient once), 0…B−1 for the Poisson replicates
 *   positive, negative   Σ over the sets in the cell of the patient's weight (whole numbers)
 *   sum        Σ of the raw score value over those sets, weighted (a float: additive up to rounding)
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { replicateWeights } from '../bootstrap/replicate-weights.js';
import type { Settings, ValidateOptions } from './options.js';
import { resolveSettings } from './options.js';
import type { AnalysisSet } from './analysis-set.js';
import { analysisSet } from './analysis-set.js';
import { groupLabels } from './subgroups.js';

/** The definition a table carries: two tables add only when these agree. */
export interface CountTableDefinition {
  readonly table: 'score_counts';
  readonly version: 1;
  readonly scores: readonly string[];
  readonly groupBy: string | null;
  readonly horizonHours: number;
  readonly B: number;
  readonly seed: number;
  readonly resolution: number;
}

/** One cell of `score_counts`. */
export interface ScoreCountRow {
  readonly score: string;
  readonly value: number;
  readonly group: string;
  readonly replicate: number;
  readonly positive: number;
  readonly negative: number;
  readonly sum: number;
}

/** A `score_counts` table: its definition and its non-empty cells, sorted by (score, group, replicate, value). */
export interface ScoreCountTable {
  readonly definition: CountTableDefinition;
  readonly rows: readonly ScoreCountRow[];
}

/** The rows a table needs, already scored and labelled: per score its values, the outcome, the patient and group. */
export interface CountInput {
  readonly scores: readonly { readonly id: string; readonly probabilistic: boolean }[];
  /** Per score, its value on each row (NaN: the score has none there). */
  readonly values: readonly Float64Array[];
  readonly labels: Uint8Array;
  /** Per row, the patient's number (0…P−1), with `patientKeys[p]` its key. */
  readonly patient: Int32Array;
  readonly patientKeys: readonly string[];
  /** Per row, its group's label ("" without a grouping). */
  readonly group: readonly string[];
}

/**
 * The id, in a count table, of a score's red-score flag: a 0/1 pseudo-score counted on the score's own analysable sets
 * (1 when any single parameter reaches the chart's red score), so the rule "alert on a red score" is read from the
 * table as value ≥ 1.
 */
export const redScoreId = (id: string): string => `${id}:red`;

/**
 * The id, in a count table, of score `a` on the sets score `b` can also score: one half of the paired comparison of
 * a and b (the same sets, the same replicates for both halves).
 */
export const pairScoreId = (a: string, b: string): string => `${a}|${b}`;

/**
 * The id of score `a` on the sets score `b` cannot score: what the engines count for a pair (usually few sets), from
 * which {@link withPairScores} derives `a|b` = a − `a!b`, cell by cell and replicate by replicate (counts add, so
 * they subtract too).
 */
export const pairComplementId = (a: string, b: string): string => `${a}!${b}`;

/**
 * A table whose pairs are counted as complements (`a!b`) turned into the pairs' scores (`a|b`): each cell of `a` less
 * the same cell of `a!b` (zero cells left out), for every pair of `scores` that has a complement in the table; the
 * complements themselves dropped. Exact for the counts (whole numbers); Σ of a model's probabilities to rounding.
 * Runs in O(table rows).
 */
export function withPairScores(rows: readonly ScoreCountRow[], scores: readonly string[]): ScoreCountRow[] {
  const complements = new Map<string, readonly [string, string]>();
  for (const [i, j] of scorePairs(scores.length)) {
    const [a, b] = [scores[i] as string, scores[j] as string];
    complements.set(pairComplementId(a, b), [a, b]);
    complements.set(pairComplementId(b, a), [b, a]);
  }
  const cell = (r: ScoreCountRow) => `${r.group}\u0000${r.replicate}\u0000${r.value}`;
  const minus = new Map<string, Map<string, ScoreCountRow>>();
  const kept: ScoreCountRow[] = [];
  for (const r of rows) {
    if (!complements.has(r.score)) {
      kept.push(r);
      continue;
    }
    let m = minus.get(r.score);
    if (m === undefined) minus.set(r.score, (m = new Map()));
    m.set(cell(r), r);
  }
  const derived: ScoreCountRow[] = [];
  for (const [id, [a, b]] of complements) {
    const m = minus.get(id) ?? new Map<string, ScoreCountRow>();
    for (const r of kept) {
      if (r.score !== a) continue;
      const c = m.get(cell(r));
      const positive = r.positive - (c?.positive ?? 0);
      const negative = r.negative - (c?.negative ?? 0);
      if (positive === 0 && negative === 0) continue;
      derived.push({ ...r, score: pairScoreId(a, b), positive, negative, sum: r.sum - (c?.sum ?? 0) });
    }
  }
  return [...kept, ...derived].sort(compareScoreCountRows);
}

/** Every pair (a, b) of scores with a before b, by index. */
export function scorePairs(count: number): [number, number][] {
  return Array.from({ length: count }, (_, a) => Array.from({ length: count - a - 1 }, (_, j): [number, number] => [a, a + 1 + j])).flat();
}

/**
 * The scores the engines' count tables hold, in order: each score's id; the red-score flag of each score that has one;
 * then for each pair (a, b), a before b, `a|b` and `b|a` (see {@link pairScoreId}).
 */
export function countedScores(scores: readonly ScoreDefinition[]): string[] {
  const ids = scores.map((d) => d.id);
  return [
    ...ids,
    ...scores.filter((d) => kindOf(d).redFlag(d) !== null).map((d) => redScoreId(d.id)),
    ...scorePairs(ids.length).flatMap(([a, b]) => [pairScoreId(ids[a] as string, ids[b] as string), pairScoreId(ids[b] as string, ids[a] as string)]),
  ];
}

/** The order of a table's rows: score, group, replicate, value. */
export const compareScoreCountRows = (a: ScoreCountRow, b: ScoreCountRow): number =>
  a.score < b.score ? -1 : a.score > b.score ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : a.replicate - b.replicate || a.value - b.value;

/**
 * `score_counts` from scored, labelled rows. Runs in O(rows + B · patient cells).
 *
 * @example scoreCounts(input, definition).rows.filter((r) => r.replicate === -1); // the data's own counts
 */
export function scoreCounts(input: CountInput, definition: CountTableDefinition): ScoreCountTable {
  const rows: ScoreCountRow[] = [];
  countCells(input, definition, (cells) => {
    const { values, groups, pos, neg, sum } = cells;
    const G = groups.length;
    for (let key = 0; key < values.length * G; key++) {
      if ((pos[key] as number) === 0 && (neg[key] as number) === 0) continue;
      rows.push({
        score: cells.score,
        value: values[Math.floor(key / G)] as number,
        group: groups[key % G] as string,
        replicate: cells.replicate,
        positive: pos[key] as number,
        negative: neg[key] as number,
        sum: sum[key] as number,
      });
    }
  });
  return { definition, rows: rows.sort(compareScoreCountRows) };
}

/** One score's counts in one replicate (−1: the data): per (value index · groups + group index), sets and Σ raw. */
export interface ReplicateCells {
  readonly score: string;
  readonly probabilistic: boolean;
  /** The score's values (buckets), ascending, and the table's groups, sorted. */
  readonly values: readonly number[];
  readonly groups: readonly string[];
  readonly replicate: number;
  readonly pos: Float64Array;
  readonly neg: Float64Array;
  readonly sum: Float64Array;
}

/**
 * The counting behind `score_counts`: for each score, the data's and then each replicate's cells, handed to `emit` one
 * replicate at a time (the arrays are reused: copy what you keep). Runs in O(rows + B · patient cells).
 */
export function countCells(input: CountInput, definition: CountTableDefinition, emit: (cells: ReplicateCells) => void): void {
  const P = input.patientKeys.length;
  const groups = [...new Set(input.group)].sort();
  const G = groups.length;
  const groupOf = Int32Array.from(input.group, (g) => groups.indexOf(g));
  const weightsOf = replicateWeights('poisson', P, definition.seed, input.patientKeys);
  const weights = new Int32Array(P);
  input.scores.forEach((score, s) => {
    const raw = input.values[s] ?? new Float64Array(0);
    const bucket = (v: number): number => (score.probabilistic ? Math.floor(v * definition.resolution) / definition.resolution : v);
    const values = [...new Set(Array.from(raw).filter(Number.isFinite).map(bucket))].sort((a, b) => a - b);
    const index = new Map(values.map((v, k) => [v, k]));
    const K = values.length;
    // Per patient, its cells: (value index, group) → positives, negatives, Σ raw — built once.
    const cellsOf = new Map<number, Map<number, [number, number, number]>>();
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i] as number;
      if (!Number.isFinite(v)) continue;
      const p = input.patient[i] as number;
      let cells = cellsOf.get(p);
      if (cells === undefined) cellsOf.set(p, (cells = new Map()));
      const key = (index.get(bucket(v)) as number) * G + (groupOf[i] as number);
      const c = cells.get(key) ?? [0, 0, 0];
      if (input.labels[i] === 1) c[0]++;
      else c[1]++;
      c[2] += v;
      cells.set(key, c);
    }
    const patients = [...cellsOf.keys()].sort((a, b) => a - b);
    const pos = new Float64Array(K * G);
    const neg = new Float64Array(K * G);
    const sum = new Float64Array(K * G);
    for (let b = -1; b < definition.B; b++) {
      if (b >= 0) weightsOf(b, weights);
      pos.fill(0);
      neg.fill(0);
      sum.fill(0);
      for (const p of patients) {
        const w = b < 0 ? 1 : (weights[p] as number);
        if (w === 0) continue;
        for (const [key, [y1, y0, total]] of cellsOf.get(p) as Map<number, [number, number, number]>) {
          pos[key] = (pos[key] as number) + w * y1;
          neg[key] = (neg[key] as number) + w * y0;
          sum[key] = (sum[key] as number) + w * total;
        }
      }
      emit({ score: score.id, probabilistic: score.probabilistic, values, groups, replicate: b, pos, neg, sum });
    }
  });
}

/** What a cohort's count table is made with: the study's options that decide it, and the table's own. */
export interface CohortCountOptions extends Pick<ValidateOptions, 'cohort' | 'scores' | 'outcome' | 'missing' | 'skinToneBands'> {
  /** One grouping column (as `validate`'s `groupBy`), or none. */
  readonly groupBy?: string;
  readonly B: number;
  readonly seed: number;
  /** Probability buckets per unit (default 10,000). */
  readonly resolution?: number;
  /** Also the red-score flags and the pairs' common-set scores (see `countedScores`), as the engines count them. */
  readonly derived?: boolean;
}

/**
 * The `score_counts` table of a cohort: scored and labelled as `validate` does, grouped by one column, with B Poisson
 * replicates keyed by patient id. Runs in O(n · scores + B · patient cells).
 *
 * @throws {RangeError} naming the option when B, the seed or the resolution is not a whole number in range
 */
export function cohortScoreCounts(options: CohortCountOptions): ScoreCountTable {
  const settings = resolveSettings({ ...options, groupBy: [], bootstrap: false, disclosure: false });
  return setScoreCounts(analysisSet(settings), settings, options, 'cohortScoreCounts').table;
}

/** A whole-number option, checked: the error names the function, the option, what it expected and what it received. */
export function wholeOption(fn: string, name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) throw new RangeError(`${fn}: option "${name}" expected a whole number ≥ ${min}; received ${String(value)}.`);
  return value;
}

/**
 * `score_counts` of a study's analysis set (scored and labelled as `validate` does), grouped by one column, with B
 * Poisson replicates keyed by patient id; and each analysis row's group ("" without a grouping, "(none)" for a row
 * with no level).
 *
 * @throws {RangeError} naming the option (as `fn`'s) when B, the seed or the resolution is not a whole number in range
 */
export function setScoreCounts(set: AnalysisSet, settings: Settings, options: SetCountOptions, fn: string): { table: ScoreCountTable; group: string[] } {
  const { input, definition, group } = setCountInput(set, settings, options, fn);
  return { table: scoreCounts(input, definition), group };
}

/** The options of a study's count table: its grouping, replicates, seed, resolution, and whether to add derived scores. */
export interface SetCountOptions {
  readonly groupBy?: string;
  readonly B: number;
  readonly seed: number;
  readonly resolution?: number;
  readonly derived?: boolean;
}

/**
 * What {@link setScoreCounts} counts: the analysis rows as a count input (the scores, with the derived ones), the
 * table's definition, and each analysis row's group.
 *
 * @throws {RangeError} as {@link setScoreCounts}
 */
export function setCountInput(
  set: AnalysisSet,
  settings: Settings,
  options: SetCountOptions,
  fn: string,
): { input: CountInput; definition: CountTableDefinition; group: string[] } {
  const B = wholeOption(fn, 'B', options.B, 0);
  const seed = wholeOption(fn, 'seed', options.seed, 0);
  const resolution = wholeOption(fn, 'resolution', options.resolution ?? 10_000, 1);
  const byRow = options.groupBy === undefined ? null : groupLabels(options.groupBy, set, settings.cohort, settings.skinToneBands);
  const scores = settings.scores as readonly ScoreDefinition[];
  const group = set.rows.map((i) => (byRow === null ? '' : (byRow[i] ?? '(none)')));
  // With `derived` (the engines' tables), after the scores: each score's red-score flag as a 0/1 pseudo-score, and each
  // pair's scores on the sets both can score (countedScores gives the order).
  const none = (): Float64Array => new Float64Array(set.labels.length).fill(Number.NaN);
  const both = (x: Float64Array, y: Float64Array): Float64Array => Float64Array.from(x, (v, k) => (Number.isFinite(y[k] ?? NaN) ? v : Number.NaN));
  const derived: { id: string; probabilistic: boolean; values: Float64Array }[] =
    options.derived !== true
      ? []
      : [
          ...scores.flatMap((d, s) =>
            kindOf(d).redFlag(d) === null ? [] : [{ id: redScoreId(d.id), probabilistic: false, values: set.redFlags[s] ?? none() }],
          ),
          ...scorePairs(scores.length).flatMap(([a, b]) => {
            const da = scores[a] as ScoreDefinition;
            const db = scores[b] as ScoreDefinition;
            const va = set.values[a] ?? none();
            const vb = set.values[b] ?? none();
            return [
              { id: pairScoreId(da.id, db.id), probabilistic: kindOf(da).probabilistic, values: both(va, vb) },
              { id: pairScoreId(db.id, da.id), probabilistic: kindOf(db).probabilistic, values: both(vb, va) },
            ];
          }),
        ];
  return {
    input: {
      scores: [
        ...scores.map((d) => ({ id: d.id, probabilistic: kindOf(d).probabilistic })),
        ...derived.map(({ id, probabilistic }) => ({ id, probabilistic })),
      ],
      values: [...set.values, ...derived.map(({ values }) => values)],
      labels: set.labels,
      patient: set.patient,
      patientKeys: set.patientKeys,
      group,
    },
    definition: {
      table: 'score_counts',
      version: 1,
      scores: options.derived === true ? countedScores(scores) : scores.map((d) => d.id),
      groupBy: options.groupBy ?? null,
      horizonHours: settings.horizonHours,
      B,
      seed,
      resolution,
    },
    group,
  };
}

/**
 * Refuse two tables of different definitions, naming the first field where they differ (as `fn`).
 *
 * @throws {TypeError} "fn: the tables differ in "field" (a and b); only tables of one definition add."
 */
export function checkSameDefinition(a: CountTableDefinition, b: CountTableDefinition, fn: string): void {
  for (const k of Object.keys(a) as (keyof CountTableDefinition)[]) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k]))
      throw new TypeError(`${fn}: the tables differ in "${k}" (${JSON.stringify(a[k])} and ${JSON.stringify(b[k])}); only tables of one definition add.`);
  }
}

/**
 * Two tables of the same definition, added cell by cell: the table of the two sets of patients together. A patient in
 * both (a pseudonymised patient seen at two sites) keeps one Poisson weight per replicate — the weight is a hash of the
 * key — so their sets add up as one patient's would: the sum is the table of the union.
 *
 * @throws {TypeError} naming the first field where the definitions differ
 */
export function addScoreCounts(a: ScoreCountTable, b: ScoreCountTable): ScoreCountTable {
  checkSameDefinition(a.definition, b.definition, 'addScoreCounts');
  // A merge of the two tables in their sorted order (sorting an already sorted table is linear).
  const x = [...a.rows].sort(compareScoreCountRows);
  const y = [...b.rows].sort(compareScoreCountRows);
  const rows: ScoreCountRow[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    const r = x[i];
    const q = y[j];
    const order = r === undefined ? 1 : q === undefined ? -1 : compareScoreCountRows(r, q);
    if (order < 0) {
      rows.push(r as ScoreCountRow);
      i++;
    } else if (order > 0) {
      rows.push(q as ScoreCountRow);
      j++;
    } else {
      const c = r as ScoreCountRow;
      const d = q as ScoreCountRow;
      rows.push({ ...c, positive: c.positive + d.positive, negative: c.negative + d.negative, sum: c.sum + d.sum });
      i++;
      j++;
    }
  }
  return { definition: a.definition, rows };
}
