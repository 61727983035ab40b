/**
 * `score_counts` packed for travel: the table a site shares (`summarise --count-tables`) in a compact, lossless form, so
 * a model's probability buckets can leave the site with their bootstrap replicates (as JSON objects, a model scored on
 * 2,000 encounters with B = 1,000 took 840,000 rows and 100 MB; packed, about 2 MB).
 *
 * Per (score, group) block: the values that have a cell in any replicate (sorted, as 64-bit floats); for the data
 * (replicate −1) and each replicate 0…B−1 in turn, for each of those values, its positive and negative counts as
 * unsigned LEB128 varints (zero cells are one byte each); and Σ of the raw scores per value in the data. Each base64.
 *
 * What comes back (`unpackScoreCounts`) is the table itself, cell for cell, with one stated exception: `sum`. A points
 * score's raw value is its cell's value, so its Σ is value × sets in every replicate (checked when packing); a model's
 * Σ of probabilities is carried for the data (replicate −1, the only one any statistic reads: the buckets' mean
 * probabilities) and is NaN in the replicates.
 */
import type { CountTableDefinition, ScoreCountRow, ScoreCountTable } from './count-tables.js';
import { compareScoreCountRows } from './count-tables.js';

/** The packed format's name and version. */
export const PACKED_COUNTS_FORMAT = 'ewskit.packed-score-counts/1';

/** One (score, group) block of a packed `score_counts` table. */
export interface PackedBlock {
  readonly score: string;
  readonly group: string;
  /** True when the score is a probability (its values are buckets, its Σ not the value × sets). */
  readonly probabilistic: boolean;
  /** Base64 of the block's values, ascending, as little-endian 64-bit floats. */
  readonly values: string;
  /** Base64 of varints: for replicate −1, 0, …, B − 1 in turn, per value, its positive then negative count. */
  readonly counts: string;
  /** For a probability: base64 of Σ of the raw probabilities per value in the data (little-endian 64-bit floats); else "". */
  readonly sums: string;
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

/**
 * Pack a `score_counts` table (see the module's comment). Runs in O(B · values) per block.
 *
 * @param probabilistic the ids of the table's scores whose values are probability buckets
 * @throws {RangeError} naming the cell when a count is not a whole number ≥ 0 (below 2^48), or a points score's Σ is not
 *   its value × sets (a points score's raw value must be its cell's value)
 * @example unpackScoreCounts(packScoreCounts(table, [])).rows.length === table.rows.length; // => true
 */
export function packScoreCounts(table: ScoreCountTable, probabilistic: readonly string[]): PackedScoreCounts {
  const model = new Set(probabilistic);
  const blocks = new Map<string, ScoreCountRow[]>();
  for (const r of table.rows) {
    const key = `${r.score}\u0000${r.group}`;
    const list = blocks.get(key);
    if (list === undefined) blocks.set(key, [r]);
    else list.push(r);
  }
  const B = table.definition.B;
  const whole = (r: ScoreCountRow, n: number, field: string): number => {
    if (!(Number.isInteger(n) && n >= 0 && n < 2 ** 48))
      throw new RangeError(
        `${FN}: cell (score ${JSON.stringify(r.score)}, group ${JSON.stringify(r.group)}, replicate ${r.replicate}, value ${r.value}) field "${field}" expected a whole number ≥ 0; received ${String(n)}.`,
      );
    return n;
  };
  const packed = [...blocks.values()].map((rows): PackedBlock => {
    const { score, group } = rows[0] as ScoreCountRow;
    const isModel = model.has(score);
    const values = [...new Set(rows.map((r) => r.value))].sort((a, b) => a - b);
    const index = new Map(values.map((v, i) => [v, i]));
    const grid = new Float64Array((B + 1) * values.length * 2);
    const sums = new Array<number>(values.length).fill(0);
    for (const r of rows) {
      if (!(Number.isInteger(r.replicate) && r.replicate >= -1 && r.replicate < B))
        throw new RangeError(`${FN}: cell (score ${JSON.stringify(score)}) field "replicate" expected −1…${B - 1}; received ${String(r.replicate)}.`);
      const at = ((r.replicate + 1) * values.length + (index.get(r.value) as number)) * 2;
      grid[at] = whole(r, r.positive, 'positive');
      grid[at + 1] = whole(r, r.negative, 'negative');
      if (isModel) {
        if (r.replicate === -1) sums[index.get(r.value) as number] = r.sum;
      } else if (r.sum !== r.value * (r.positive + r.negative))
        throw new RangeError(
          `${FN}: cell (score ${JSON.stringify(score)}, replicate ${r.replicate}, value ${r.value}) field "sum" expected value × sets (${r.value * (r.positive + r.negative)}) for a points score; received ${r.sum}. Name the score in "probabilistic" if its values are buckets.`,
        );
    }
    const counts = new Varints();
    for (const n of grid) counts.push(n);
    return { score, group, probabilistic: isModel, values: floatsToBase64(values), counts: toBase64(counts.done()), sums: isModel ? floatsToBase64(sums) : '' };
  });
  return { format: PACKED_COUNTS_FORMAT, definition: table.definition, blocks: packed };
}

/**
 * The table a {@link packScoreCounts} packed: every non-empty cell, sorted as the count tables sort them; Σ as the
 * module's comment says. Runs in O(B · values) per block.
 *
 * @throws {TypeError} naming the field when the packed form is not one this version wrote, or its counts do not fill
 *   the block's grid
 */
export function unpackScoreCounts(packed: PackedScoreCounts): ScoreCountTable {
  const fn = 'unpackScoreCounts';
  if (packed?.format !== PACKED_COUNTS_FORMAT)
    throw new TypeError(`${fn}: field "format" expected "${PACKED_COUNTS_FORMAT}"; received ${JSON.stringify(packed?.format)}.`);
  const B = packed.definition.B;
  const rows: ScoreCountRow[] = [];
  packed.blocks.forEach((block, k) => {
    const values = floatsFromBase64(block.values, fn, `blocks[${k}].values`);
    const sums = block.probabilistic ? floatsFromBase64(block.sums, fn, `blocks[${k}].sums`) : null;
    if (sums !== null && sums.length !== values.length)
      throw new TypeError(`${fn}: field "blocks[${k}].sums" expected ${values.length} sums (one per value); received ${sums.length}.`);
    const bytes = fromBase64(block.counts, fn, `blocks[${k}].counts`);
    const expected = (B + 1) * values.length * 2;
    let at = 0;
    const next = (): number => {
      let n = 0;
      let scale = 1;
      for (;;) {
        if (at >= bytes.length) throw new TypeError(`${fn}: field "blocks[${k}].counts" expected ${expected} counts ((B + 1) × values × 2); it ends early.`);
        const byte = bytes[at++] as number;
        n += (byte & 0x7f) * scale;
        if (byte < 0x80) return n;
        scale *= 0x80;
      }
    };
    for (let replicate = -1; replicate < B; replicate++)
      for (let i = 0; i < values.length; i++) {
        const positive = next();
        const negative = next();
        if (positive === 0 && negative === 0) continue;
        const value = values[i] as number;
        const sum = sums === null ? value * (positive + negative) : replicate === -1 ? (sums[i] as number) : Number.NaN;
        rows.push({ score: block.score, value, group: block.group, replicate, positive, negative, sum });
      }
    if (at !== bytes.length)
      throw new TypeError(`${fn}: field "blocks[${k}].counts" expected ${expected} counts ((B + 1) × values × 2); ${bytes.length - at} bytes are left over.`);
  });
  return { definition: packed.definition, rows: rows.sort(compareScoreCountRows) };
}

/** A shared table as the count tables use it: unpacked when packed (summaries of ewskit 0.2 shared the rows themselves). */
export function scoreCountTable(table: ScoreCountTable | PackedScoreCounts): ScoreCountTable {
  return 'format' in table ? unpackScoreCounts(table) : table;
}
