/**
 * Score an Arrow table: every input column is kept, and each score adds its total, risk band, red flag,
 * completeness, missing inputs, flags and one subscore column per parameter. Output rows = input rows; batches
 * are kept as they are. Bad rows are flagged with a reason, never dropped, never thrown.
 */
import type { Data, Vector } from 'apache-arrow';
import { Bool, Dictionary, Field, Int8, Int16, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { BandedScore } from './definition.js';
import { argumentError, optionError } from './errors.js';
import type { ScorePlan } from './compile.js';
import { flagBit, missingBit, planOf } from './compile.js';
import type { ColumnBinding } from './columns.js';
import { bindColumns, kernelInput, rawValue } from './columns.js';
import type { KernelOutput } from './kernel.js';
import { batchKernel } from './kernel.js';
import { indexTypeFor, nullableIntData, sparseDictionaryData } from './output-columns.js';
import type { MissingPolicy } from './score-observation.js';
import { flagReason } from './schema.js';

const FN = 'scoreTable';

/** The risk column: dictionary keys straight from the kernel, null where there is no total. */
function nullableRiskData(type: Dictionary, dictionary: Vector, keys: Int8Array, rows: Int32Array, count: number): Data {
  const d = nullableIntData(new Int8(), keys, rows, count);
  return makeData({ type, length: keys.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, data: keys, dictionary } as never);
}

export interface ScoreTableOptions {
  /** `'none'` (default, the RCP's rule) or `'zero'` (research option; recorded in the schema metadata). */
  missing?: MissingPolicy;
}

/** The names of the columns a score adds, in order. */
export function outputColumns(score: BandedScore): string[] {
  const plan = planOf(score);
  const id = score.id;
  return [
    `${id}_total`,
    `${id}_risk`,
    `${id}_red_flag`,
    `${id}_complete`,
    ...plan.parameters.map((p) => `${id}_${(plan.inputs[p.input] as { field: { column: string } }).field.column}`),
    `${id}_missing`,
    `${id}_flags`,
  ];
}

/** A dictionary of strings grown across batches, so every batch shares one dictionary. */
class StringDictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  key(s: string): number {
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.values.length;
      this.values.push(s);
      this.index.set(s, k);
    }
    return k;
  }
}

interface BatchResult {
  n: number;
  out: KernelOutput;
  /** Exception rows (missing or flagged inputs) written by the kernel. */
  exceptions: number;
  /** Per exception row: dictionary keys of its missing and flags strings (−1 = none). */
  missingKeys: Int32Array;
  flagKeys: Int32Array;
}

/** Name the missing inputs and flag reasons of each exception row — the only rows that have any. */
function describeExceptions(
  plan: ScorePlan,
  bindings: readonly ColumnBinding[],
  batchData: readonly (Data | undefined)[],
  out: KernelOutput,
  count: number,
  missingDict: StringDictionary,
  flagDict: StringDictionary,
): { missingKeys: Int32Array; flagKeys: Int32Array } {
  const missingKeys = new Int32Array(count).fill(-1);
  const flagKeys = new Int32Array(count).fill(-1);
  const byMask = new Int32Array(1 << plan.inputs.length).fill(-1); // missing-input mask → dictionary key
  const missMask = plan.inputs.reduce((m, _, k) => m | missingBit(k), 0);
  for (let e = 0; e < count; e++) {
    const st = out.exceptionStatus[e] as number;
    const miss = st & missMask;
    if (miss !== 0) {
      let key = byMask[miss] as number;
      if (key < 0) {
        const names = plan.inputs.filter((_, k) => (miss & missingBit(k)) !== 0).map((x) => x.field.column);
        key = missingDict.key(names.join(';'));
        byMask[miss] = key;
      }
      missingKeys[e] = key;
    }
    if ((st & ~missMask) !== 0) {
      const row = out.exceptionRows[e] as number;
      const reasons: string[] = [];
      plan.inputs.forEach((input, k) => {
        if ((st & flagBit(k)) === 0) return;
        const value = rawValue(batchData[k], (bindings[k] as ColumnBinding).kind, row);
        reasons.push(`${flagReason(input.field, value)}:${input.field.column}`);
      });
      flagKeys[e] = flagDict.key(reasons.join(';'));
    }
  }
  return { missingKeys, flagKeys };
}

/**
 * Score every row of an Arrow table with a banded early-warning score, in one pass per batch through a kernel
 * compiled from the definition. Output rows = input rows; every input column is kept (a column the score would
 * add is replaced); batches are kept. Adds, for score id `s`: `s_total` (null when incomplete or flagged),
 * `s_risk`, `s_red_flag`, `s_complete`, one subscore per parameter (`s_respiratory_rate` …), `s_missing`
 * (the missing input columns, `;`-separated, null when none) and `s_flags` (reason codes
 * `out_of_range:spo2;unknown_code:consciousness`, null when clean). Runs in O(rows × parameters).
 *
 * @param score a score definition, e.g. `news2`
 * @param table an apache-arrow Table with the canonical observation columns the score needs
 * @param options `{ missing: 'zero' }` for the labelled research option
 * @returns a new Table with the score's columns appended
 * @throws {TypeError} when a required column is absent or of a type the schema does not accept
 * @example scoreTable(news2, table).getChild('news2_total'); // => Int8 vector, null where incomplete
 */
export function scoreTable(score: BandedScore, table: Table, options: ScoreTableOptions = {}): Table {
  if (!(table instanceof Table)) throw argumentError(FN, 'table', 'an apache-arrow Table', table);
  const policy = options.missing ?? 'none';
  if (policy !== 'none' && policy !== 'zero') throw optionError(FN, 'missing', "'none' or 'zero'", policy);
  const plan = planOf(score);
  const bindings = bindColumns(FN, score.id, table.schema, plan.inputs);
  const missingDict = new StringDictionary();
  const flagDict = new StringDictionary();
  const batches = table.batches.length > 0 ? table.batches : [new RecordBatch(table.schema, makeData({ type: new Struct(table.schema.fields), length: 0, nullCount: 0, children: table.schema.fields.map((f) => makeData({ type: f.type, length: 0, nullCount: 0 } as never)) }))];
  const results: BatchResult[] = batches.map((batch) => {
    const n = batch.numRows;
    const batchData = bindings.map((b) => (b.position < 0 ? undefined : (batch.data.children[b.position] as Data)));
    const inputs = bindings.map((b, k) => kernelInput(b, batchData[k]));
    const layouts = bindings.map((b, k) => ({ kind: b.kind, nullable: inputs[k]?.validity !== null }));
    const kernel = batchKernel(plan, layouts, policy === 'zero');
    const bytes = ((n + 63) & ~63) >> 3;
    const out: KernelOutput = {
      subscores: plan.parameters.map(() => new Int8Array(n)),
      total: plan.maxTotal > 127 ? new Int16Array(n) : new Int8Array(n),
      risk: new Int8Array(n),
      red: new Uint8Array(bytes),
      complete: new Uint8Array(bytes),
      exceptionRows: new Int32Array(n),
      exceptionStatus: new Uint32Array(n),
    };
    const exceptions = kernel(n, inputs, out);
    return { n, out, exceptions, ...describeExceptions(plan, bindings, batchData, out, exceptions, missingDict, flagDict) };
  });

  const id = score.id;
  const names = outputColumns(score);
  const totalType = plan.maxTotal > 127 ? new Int16() : new Int8();
  const riskType = new Dictionary(new Utf8(), new Int8());
  const missingType = new Dictionary(new Utf8(), indexTypeFor(missingDict.values.length));
  const flagType = new Dictionary(new Utf8(), indexTypeFor(flagDict.values.length));
  const riskDict = vectorFromArray([...score.risks], new Utf8());
  const missingVector = vectorFromArray(missingDict.values, new Utf8());
  const flagVector = vectorFromArray(flagDict.values, new Utf8());
  const policyMeta = new Map([['ewskit.missing_policy', policy]]);
  const newFields = [
    new Field(names[0] as string, totalType, true, policyMeta),
    new Field(names[1] as string, riskType, true),
    new Field(names[2] as string, new Bool(), false),
    new Field(names[3] as string, new Bool(), false),
    ...plan.parameters.map((_, j) => new Field(names[4 + j] as string, new Int8(), true)),
    new Field(`${id}_missing`, missingType, true),
    new Field(`${id}_flags`, flagType, true),
  ];
  const kept = table.schema.fields.map((f, i) => ({ f, i })).filter(({ f }) => !names.includes(f.name));
  const metadata = new Map(table.schema.metadata);
  metadata.set(`ewskit.${id}`, JSON.stringify({ score: score.id, name: score.name, version: score.version, missingPolicy: policy }));
  const schema = new Schema([...kept.map(({ f }) => f), ...newFields], metadata);

  const outBatches = results.map((r, b) => {
    const batch = batches[b] as RecordBatch;
    const { n, out } = r;
    const rows = out.exceptionRows;
    const count = r.exceptions;
    const children: Data[] = [
      ...kept.map(({ i }) => batch.data.children[i] as Data),
      nullableIntData(totalType, out.total, rows, count),
      nullableRiskData(riskType, riskDict, out.risk, rows, count),
      makeData({ type: new Bool(), length: n, nullCount: 0, data: out.red }),
      makeData({ type: new Bool(), length: n, nullCount: 0, data: out.complete }),
      ...out.subscores.map((sub) => nullableIntData(new Int8(), sub, rows, count)),
      sparseDictionaryData(missingType, missingVector, n, rows, r.missingKeys, count),
      sparseDictionaryData(flagType, flagVector, n, rows, r.flagKeys, count),
    ];
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
  });
  return new Table(schema, outBatches);
}
