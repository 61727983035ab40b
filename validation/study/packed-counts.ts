/**
 * `score_counts` packed for travel: the table a site shares (`summarise --count-tables`) in a compact, lossless form, so
 * a model's probability buckets can leave the site with their bootstrap replicates (as JSON rows, the Apollo-style
 * model on 2,000 encounters with B = 1,000 took 840,000 rows, about 100 MB).
 *
 * Per (score, group) block: the values that have a cell in any replicate (sorted, as 64-bit floats); the grid of
 * positive counts — the data (replicate −1), then each replicate 0…B−1, each over those values — then the grid of
 * negative counts, as one stream of tokens, unsigned LEB128 varints: a token t ≥ 1 is the count t − 1, and a token 0
 * is followed by the length of a run of zero counts (so a single zero is one byte, and a long run two or three); and,
 * for a probability, Σ of the raw scores per value in the data. Each base64. A pair's block `a|b` (a on the sets b
 * can also score) whose cells are within a's is stored as its complement — a's counts less its own, over a's values,
 * usually nearly all zero — and names a's block in `minus`.
 *
 * What comes back (`unpackScoreCounts`) is the table itself, cell for cell, with one stated exception: `sum`. A points
 * score's raw value is its cell's value, so its Σ is value × sets in every replicate (checked when packing); a model's
 * Σ of probabilities is carried for the data (replicate −1, the only one any statistic reads: the buckets' mean
 * probabilities) and is NaN in the replicates.
 */
import type { CountTableDefinition, ScoreCountTable } from './count-tables.js';
import { checkSameDefinition } from './count-tables.js';
import type { CountGrid } from './count-grids.js';
import { addGrids, gridsOfRows, keyOf, probabilisticIds, rowsOfGrids } from './count-grids.js';

/** The packed format's name and version. */
export const PACKED_COUNTS_FORMAT = 'ewskit.packed-score-counts/1';

/** One (score, group) block of a packed `score_counts` table. */
export interface PackedBlock {
  readonly score: string;
  readonly group: string;
  /** True when the score is a probability (its values are buckets, its Σ not the value × sets). */
  readonly probabilistic: boolean;
  /** Base64 of the block's values, ascending, as little-endian 64-bit floats ("" when `minus` is given: that block's). */
  readonly values: string;
  /**
   * Base64 of the token stream (see the module's comment): the positive counts for replicate −1, 0, …, B − 1 in turn,
   * each over the values, then the negative counts likewise; with `minus`, that block's counts less this block's.
   */
  readonly counts: string;
  /** For a probability: base64 of Σ of the raw probabilities per value in the data (little-endian 64-bit floats); else "". */
  readonly sums: string;
  /** The score of the block, in the same group, whose counts these are subtracted from (a pair's complement). */
  readonly minus?: string;
}

/** A `score_counts` table packed for travel (see the module's comment). */
export interface PackedScoreCounts {
  readonly format: typeof PACKED_COUNTS_FORMAT;
  readonly definition: CountTableDefinition;
  readonly blocks: readonly PackedBlock[];
}

const FN = 'packScoreCounts';

/** Bytes to base64 (browser-safe: no Buffer). */
function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string, fn: string, field: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new TypeError(`${fn}: field "${field}" expected base64 text; received ${JSON.stringify(text.slice(0, 40))}.`);
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function floatsToBase64(values: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return toBase64(new Uint8Array(view.buffer));
}

function floatsFromBase64(text: string, fn: string, field: string): Float64Array {
  const bytes = fromBase64(text, fn, field);
  if (bytes.length % 8 !== 0) throw new TypeError(`${fn}: field "${field}" expected a whole number of 64-bit floats; received ${bytes.length} bytes.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Float64Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

/** A growing byte buffer of unsigned LEB128 varints. */
class Varints {
  private bytes = new Uint8Array(1024);
  length = 0;
  push(n: number): void {
    if (this.length + 8 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    let v = n;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }
  done(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** Whole numbers ≥ 0 as the token stream: count n as n + 1; a run of L ≥ 2 zeros as 0, L. */
function tokens(counts: Float64Array): Uint8Array {
  const out = new Varints();
  for (let i = 0; i < counts.length;) {
    const n = counts[i] as number;
    if (n !== 0) {
      out.push(n + 1);
      i++;
      continue;
    }
    let run = 1;
    while (i + run < counts.length && counts[i + run] === 0) run++;
    if (run === 1) out.push(1);
    else {
      out.push(0);
      out.push(run);
    }
    i += run;
  }
  return out.done();
}

/** The `length` counts a token stream holds; throws naming the field when it ends early or runs over. */
function untokens(bytes: Uint8Array, length: number, fn: string, field: string, shape = '(B + 1) × values × 2'): Float64Array {
  const counts = new Float64Array(length);
  let at = 0;
  const varint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new TypeError(`${fn}: field "${field}" expected ${length} counts (${shape}); it ends early.`);
      const byte = bytes[at++] as number;
      n += (byte & 0x7f) * scale;
      if (byte < 0x80) return n;
      scale *= 0x80;
    }
  };
  let i = 0;
  while (i < length) {
    const t = varint();
    if (t > 0) counts[i++] = t - 1;
    else {
      const run = varint();
      if (run < 1 || i + run > length)
        throw new TypeError(`${fn}: field "${field}" expected ${length} counts (${shape}); a run of ${run} zeros at count ${i} runs over.`);
      i += run;
    }
  }
  if (at !== bytes.length) throw new TypeError(`${fn}: field "${field}" expected ${length} counts (${shape}); ${bytes.length - at} bytes are left over.`);
  return counts;
}

/** A packed table's blocks as grids, in its order (a complement's block before it). */
function gridsOfPacked(packed: PackedScoreCounts, fn: string): Map<string, CountGrid> {
  if (packed?.format !== PACKED_COUNTS_FORMAT)
    throw new TypeError(`${fn}: field "format" expected "${PACKED_COUNTS_FORMAT}"; received ${JSON.stringify(packed?.format)}.`);
  const B = packed.definition.B;
  const grids = new Map<string, CountGrid>();
  packed.blocks.forEach((block, k) => {
    const field = `blocks[${k}]`;
    let values: Float64Array;
    let counts: Float64Array;
    if (block.minus === undefined) {
      values = floatsFromBase64(block.values, fn, `${field}.values`);
      counts = untokens(fromBase64(block.counts, fn, `${field}.counts`), (B + 1) * values.length * 2, fn, `${field}.counts`);
    } else {
      const base = grids.get(keyOf(block.minus, block.group));
      if (base === undefined)
        throw new TypeError(
          `${fn}: field "${field}.minus" expected a block before it of score ${JSON.stringify(block.minus)} in group ${JSON.stringify(block.group)}; there is none.`,
        );
      values = base.values;
      const complement = untokens(fromBase64(block.counts, fn, `${field}.counts`), base.counts.length, fn, `${field}.counts`);
      counts = Float64Array.from(base.counts, (n, i) => n - (complement[i] as number));
      const negative = counts.findIndex((n) => n < 0);
      if (negative >= 0)
        throw new TypeError(`${fn}: field "${field}.counts" expected counts within those of ${JSON.stringify(block.minus)}; count ${negative} exceeds them.`);
    }
    const sums = block.probabilistic ? floatsFromBase64(block.sums, fn, `${field}.sums`) : new Float64Array(values.length);
    if (sums.length !== values.length)
      throw new TypeError(`${fn}: field "${field}.sums" expected ${values.length} sums (one per value); received ${sums.length}.`);
    grids.set(keyOf(block.score, block.group), { score: block.score, group: block.group, probabilistic: block.probabilistic, values, counts, sums });
  });
  return grids;
}

/**
 * Pack a `score_counts` table (see the module's comment). Runs in O(B · values) per block.
 *
 * @param probabilistic the ids of the table's scores whose values are probability buckets
 * @throws {RangeError} naming the cell when a count is not a whole number ≥ 0 (below 2^48), or a points score's Σ is not
 *   its value × sets (a points score's raw value must be its cell's value)
 * @example unpackScoreCounts(packScoreCounts(table, [])).rows.length === table.rows.length; // => true
 */
export function packScoreCounts(table: ScoreCountTable, probabilistic: readonly string[]): PackedScoreCounts {
  return packGrids([...gridsOfRows(table, probabilistic, FN).values()], table.definition);
}

/** Pack a table given as its grids, in its order (see {@link packScoreCounts}). Runs in O(B · values) per grid. */
export function packGrids(list: readonly CountGrid[], definition: CountTableDefinition): PackedScoreCounts {
  const B = definition.B;
  const grids = new Map(list.map((g) => [keyOf(g.score, g.group), g]));
  const blocks = [...grids.values()].map((g): PackedBlock => {
    // A model's Σp per value: its own values' as they are; over a complement's base values, 0 where it has none.
    const own = new Map(Array.from(g.values, (v, i) => [v, g.sums[i] as number]));
    const sums = (values: Float64Array) => (g.probabilistic ? floatsToBase64(Array.from(values, (v) => own.get(v) ?? 0)) : '');
    // A pair a|b within a's cells travels as a's counts less its own (nearly all zero: runs of zeros cost bytes, not cells).
    const base = g.score.includes('|') ? grids.get(keyOf(g.score.slice(0, g.score.indexOf('|')), g.group)) : undefined;
    const complement = base === undefined ? null : complementOf(base, g, B);
    if (base !== undefined && complement !== null)
      return {
        score: g.score,
        group: g.group,
        probabilistic: g.probabilistic,
        values: '',
        counts: toBase64(tokens(complement)),
        sums: sums(base.values),
        minus: base.score,
      };
    return {
      score: g.score,
      group: g.group,
      probabilistic: g.probabilistic,
      values: floatsToBase64([...g.values]),
      counts: toBase64(tokens(g.counts)),
      sums: sums(g.values),
    };
  });
  // Complements after every block they may name, so a reader meets a's block first.
  blocks.sort((x, y) => (x.minus === undefined ? 0 : 1) - (y.minus === undefined ? 0 : 1));
  return { format: PACKED_COUNTS_FORMAT, definition, blocks };
}

/** `base`'s counts less `part`'s, over base's values; null unless part's values are base's and its cells within them. */
function complementOf(base: CountGrid, part: CountGrid, B: number): Float64Array | null {
  const V = base.values.length;
  const index = new Map(Array.from(base.values, (v, i) => [v, i]));
  const out = Float64Array.from(base.counts);
  const W = part.values.length;
  for (let j = 0; j < W; j++) {
    const i = index.get(part.values[j] as number);
    if (i === undefined) return null;
    for (let half = 0; half < 2; half++)
      for (let b = 0; b <= B; b++) {
        const at = half * (B + 1) * V + b * V + i;
        const d = (out[at] as number) - (part.counts[half * (B + 1) * W + b * W + j] as number);
        if (d < 0) return null;
        out[at] = d;
      }
  }
  return out;
}

/**
 * The table a {@link packScoreCounts} packed: every non-empty cell, sorted as the count tables sort them; Σ as the
 * module's comment says. Runs in O(B · values) per block.
 *
 * @throws {TypeError} naming the field when the packed form is not one this version wrote, its counts do not fill the
 *   block's grid, or a complement names no block before it or exceeds that block's counts
 */
export function unpackScoreCounts(packed: PackedScoreCounts): ScoreCountTable {
  return rowsOfGrids(gridsOfPacked(packed, 'unpackScoreCounts').values(), packed.definition);
}

/** A shared table as the count tables use it: unpacked when packed (summaries of ewskit 0.2 shared the rows themselves). */
export function scoreCountTable(table: ScoreCountTable | PackedScoreCounts): ScoreCountTable {
  return 'format' in table ? unpackScoreCounts(table) : table;
}

/**
 * Sites' shared tables added — packed or not — into the table of all their patients, without unpacking each into rows:
 * each block's grids are added over the union of their values, and the rows made once. Equal to unpacking each and
 * adding them with `addScoreCounts` (a model's Σ in the replicates NaN, as unpacking gives). Runs in O(sites · B ·
 * values) per block.
 *
 * @param probabilistic the model scores' ids, for a table that is not packed (its blocks do not say)
 * @param options `collapseGroups: true` adds every group's cells into one group "" (the table of all groups together)
 * @throws {TypeError} naming the first field where two tables' definitions differ, or as {@link unpackScoreCounts}
 */
export function sumScoreCounts(
  tables: readonly (ScoreCountTable | PackedScoreCounts)[],
  probabilistic: readonly string[],
  options: { readonly collapseGroups?: boolean } = {},
): ScoreCountTable {
  const { definition, grids } = sumGrids(tables, probabilistic, options, 'sumScoreCounts');
  return rowsOfGrids(grids, definition);
}

/**
 * The grids of sites' tables added (see {@link sumScoreCounts}), without making rows: the definition (groupBy null when
 * collapsed) and one grid per (score, group), in the first table's order.
 */
export function sumGrids(
  tables: readonly (ScoreCountTable | PackedScoreCounts)[],
  probabilistic: readonly string[],
  options: { readonly collapseGroups?: boolean },
  fn: string,
): { definition: CountTableDefinition; grids: CountGrid[] } {
  if (tables.length === 0) throw new RangeError(`${fn}: "tables" expected at least one table; received none.`);
  const first = (tables[0] as ScoreCountTable).definition;
  const collapse = options.collapseGroups === true;
  const sum = new Map<string, CountGrid>();
  for (const t of tables) {
    checkSameDefinition(first, t.definition, fn);
    const grids = 'format' in t ? gridsOfPacked(t, fn) : gridsOfRows(t, probabilisticIds(t.definition.scores, probabilistic), fn);
    for (const g of grids.values()) {
      // With collapseGroups, every group's grid is added into the score's one "" block.
      const block = collapse ? { ...g, group: '' } : g;
      const key = keyOf(block.score, block.group);
      const acc = sum.get(key);
      sum.set(key, acc === undefined ? block : addGrids(acc, block, first.B));
    }
  }
  return { definition: collapse ? { ...first, groupBy: null } : first, grids: [...sum.values()] };
}

/**
 * Whole numbers ≥ 0 packed as the table's token stream (a count n as n + 1, a run of zeros as 0 and its length;
 * LEB128 varints; base64): the form every packed count table of a summary uses. Internal to the packed formats.
 */
export function packWholeNumbers(values: Float64Array): string {
  return toBase64(tokens(values));
}

/** {@link packWholeNumbers} read back: `length` numbers; throws naming the field (and the `shape` expected) when malformed. */
export function unpackWholeNumbers(text: string, length: number, fn: string, field: string, shape: string): Float64Array {
  return untokens(fromBase64(text, fn, field), length, fn, field, shape);
}

/** 64-bit floats, little-endian, base64. */
export function packFloats(values: ArrayLike<number>): string {
  return floatsToBase64(Array.from(values));
}

/** {@link packFloats} read back; throws naming the field when the bytes are not whole floats. */
export function unpackFloats(text: string, fn: string, field: string): Float64Array {
  return floatsFromBase64(text, fn, field);
}
