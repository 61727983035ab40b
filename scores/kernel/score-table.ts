/**
 * Score an Arrow table: every input column is kept, and each score adds its total, risk band, red flag,
 * completeness, missing inputs, flags and one subscore column per parameter. Output rows = input rows; batches
 * are kept as they are. Bad rows are flagged with a reason, never dropped, never thrown.
 */
import type { Data, Vector } from 'apache-arrow';
import { Bool, Dictionary, Field, Float64, Int8, Int16, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { BandedScore, ScoreDefinition } from '../definition/definition.js';
import { argumentError, optionError } from '../definition/errors.js';
import type { PlanInput, ScorePlan } from '../plan/compile.js';
import { flagBit, missingBit, planOf } from '../plan/compile.js';
import type { ColumnBinding } from './columns.js';
import { bindColumns, kernelInput } from './columns.js';
import type { AnyPlan, KernelInput, KernelOutput, ModelKernelOutput, PlanGroup } from './kernel.js';
import { batchKernel, generateKernelSource, groupPlans, isModelPlan } from './kernel.js';
import type { ModelScore } from '../definition/model.js';
import type { ModelPlan } from '../plan/model-plan.js';
import { modelPlanOf } from '../plan/model-plan.js';
import { bitmapBytes, indexTypeFor, nullableIntData, sparseDictionaryData } from './output-columns.js';
import type { MissingPolicy } from '../evaluate/score-observation.js';
import { flagReason, schemaOrder } from '../definition/schema.js';

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
export function outputColumns(score: ScoreDefinition): string[] {
  const id = score.id;
  if (score.kind === 'model') {
    const plan = modelPlanOf(score);
    return [
      `${id}_probability`,
      `${id}_linear_predictor`,
      `${id}_risk`,
      `${id}_complete`,
      ...plan.terms.map((t) => `${id}_${(plan.inputs[t.input] as PlanInput).field.column}`),
      `${id}_missing`,
      `${id}_imputed`,
      `${id}_flags`,
    ];
  }
  const plan = planOf(score);
  return [
    `${id}_total`,
    `${id}_risk`,
    `${id}_red_flag`,
    `${id}_complete`,
    ...plan.parameters.map((p) => `${id}_${(plan.inputs[p.input] as PlanInput).field.column}`),
    `${id}_missing`,
    `${id}_flags`,
  ];
}

/** The compiled plan of any definition, cached per definition object. */
function planFor(def: ScoreDefinition): AnyPlan {
  return def.kind === 'model' ? modelPlanOf(def) : planOf(def);
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

/** What one score produced for one batch. */
interface ScoreBatch {
  out: KernelOutput | ModelKernelOutput;
  /** Per exception row: dictionary keys of its missing, imputed and flags strings (−1 = none). */
  missingKeys: Int32Array;
  imputedKeys: Int32Array;
  flagKeys: Int32Array;
}

interface ScoreDictionaries {
  missing: StringDictionary;
  imputed: StringDictionary;
  flags: StringDictionary;
}

/** Name the missing inputs and flag reasons of each exception row — the only rows that have any. */
function describeExceptions(
  group: PlanGroup,
  bindings: readonly ColumnBinding[],
  inputs: readonly KernelInput[],
  out: KernelOutput | ModelKernelOutput,
  dicts: ScoreDictionaries,
  imputedMask: number,
): { missingKeys: Int32Array; imputedKeys: Int32Array; flagKeys: Int32Array } {
  const count = out.exceptions;
  const missingKeys = new Int32Array(count).fill(-1);
  const imputedKeys = new Int32Array(count).fill(-1);
  const flagKeys = new Int32Array(count).fill(-1);
  const byMask = new Map<number, number>(); // missing-input mask → dictionary key
  const byImputed = new Map<number, number>();
  const names = (mask: number): string =>
    ordered
      .filter(({ k }) => (mask & missingBit(k)) !== 0)
      .map(({ input }) => input.field.column)
      .join(';');
  const missMask = group.inputs.reduce((m, _, k) => m | missingBit(k), 0);
  // Name inputs in canonical schema order, whichever scores were grouped together.
  const order = group.inputs
    .map((_, k) => k)
    .sort((a, b) => schemaOrder((group.inputs[a] as PlanInput).field.field) - schemaOrder((group.inputs[b] as PlanInput).field.field));
  const ordered = order.map((k) => ({ k, input: group.inputs[k] as PlanInput }));
  // A flagged number is either non-finite or out of range; a flagged code is unknown (or a non-finite number).
  const numbers = group.inputs.map((_, k) => {
    const kind = (bindings[k] as ColumnBinding).kind;
    return kind === 'numeric' || kind === 'numcode' ? (inputs[k]?.values ?? null) : null;
  });
  const byFlags = new Map<number, number>(); // status word and non-finite mask → dictionary key
  for (let e = 0; e < count; e++) {
    const st = out.exceptionStatus[e] as number;
    const miss = st & missMask;
    if (miss !== 0) {
      let key = byMask.get(miss);
      if (key === undefined) {
        key = dicts.missing.key(names(miss));
        byMask.set(miss, key);
      }
      missingKeys[e] = key;
      const imputed = miss & imputedMask;
      if (imputed !== 0) {
        let ikey = byImputed.get(imputed);
        if (ikey === undefined) {
          ikey = dicts.imputed.key(names(imputed));
          byImputed.set(imputed, ikey);
        }
        imputedKeys[e] = ikey;
      }
    }
    if ((st & ~missMask) !== 0) {
      const row = out.exceptionRows[e] as number;
      let nonFinite = 0;
      for (const { k } of ordered) {
        const values = numbers[k];
        if ((st & flagBit(k)) !== 0 && values !== null && values !== undefined && !Number.isFinite(values[row] as number)) nonFinite |= 1 << k;
      }
      const cacheKey = (st >>> 16) * 65536 + nonFinite;
      let key = byFlags.get(cacheKey);
      if (key === undefined) {
        const reasons = ordered
          .filter(({ k }) => (st & flagBit(k)) !== 0)
          .map(
            ({ k, input }) => `${flagReason(input.field, (nonFinite >> k) & 1 ? Number.NaN : input.field.kind === 'numeric' ? 0 : '')}:${input.field.column}`,
          );
        key = dicts.flags.key(reasons.join(';'));
        byFlags.set(cacheKey, key);
      }
      flagKeys[e] = key;
    }
  }
  return { missingKeys, imputedKeys, flagKeys };
}

function emptyBatch(table: Table): RecordBatch {
  const children = table.schema.fields.map((f) => makeData({ type: f.type, length: 0, nullCount: 0 } as never));
  return new RecordBatch(table.schema, makeData({ type: new Struct(table.schema.fields), length: 0, nullCount: 0, children }));
}

function newOutput(plan: AnyPlan, n: number): KernelOutput | ModelKernelOutput {
  const bytes = ((n + 63) & ~63) >> 3;
  if (isModelPlan(plan)) {
    return {
      contributions: plan.terms.map(() => new Float64Array(n)),
      linearPredictor: new Float64Array(n),
      probability: new Float64Array(n),
      risk: new Int8Array(n),
      complete: new Uint8Array(bytes),
      exceptionRows: new Int32Array(n),
      exceptionStatus: new Uint32Array(n),
      exceptions: 0,
    };
  }
  return {
    subscores: plan.parameters.map(() => new Int8Array(n)),
    total: plan.maxTotal > 127 ? new Int16Array(n) : new Int8Array(n),
    risk: new Int8Array(n),
    red: new Uint8Array(bytes),
    complete: new Uint8Array(bytes),
    exceptionRows: new Int32Array(n),
    exceptionStatus: new Uint32Array(n),
    exceptions: 0,
  };
}

/** Run one group's kernel over every batch; results per score, per batch. */
function runGroup(group: PlanGroup, table: Table, batches: readonly RecordBatch[], zeroMissing: boolean, dicts: readonly ScoreDictionaries[]): ScoreBatch[][] {
  const neededBy = (k: number): string =>
    group.scores
      .filter((s) => s.map.includes(k) && s.plan.inputs[s.map.indexOf(k)]?.required)
      .map((s) => s.plan.definition.id)
      .join('", "') ||
    group.scores
      .filter((s) => s.map.includes(k))
      .map((s) => s.plan.definition.id)
      .join('", "');
  const bindings = bindColumns(FN, neededBy, table.schema, group.inputs);
  const perScore: ScoreBatch[][] = group.scores.map(() => []);
  for (const batch of batches) {
    const n = batch.numRows;
    const batchData = bindings.map((b) => (b.position < 0 ? undefined : (batch.data.children[b.position] as Data)));
    const inputs = bindings.map((b, k) => kernelInput(b, batchData[k]));
    const layouts = bindings.map((b, k) => ({ kind: b.kind, nullable: inputs[k]?.validity !== null }));
    const outs = group.scores.map((s) => newOutput(s.plan, n));
    batchKernel(group, layouts, zeroMissing)(n, inputs, outs);
    outs.forEach((out, g) => {
      const { plan, map } = group.scores[g] as PlanGroup['scores'][number];
      const imputedMask = isModelPlan(plan) ? plan.terms.reduce((m, t) => (t.imputeSlot >= 0 ? m | missingBit(map[t.input] as number) : m), 0) : 0;
      (perScore[g] as ScoreBatch[]).push({ out, ...describeExceptions(group, bindings, inputs, out, dicts[g] as ScoreDictionaries, imputedMask) });
    });
  }
  return perScore;
}

/**
 * Dictionary ids for the columns a call adds: the next free ids after the input's, in order — so the same input
 * gives the same schema, byte for byte.
 */
function idAllocator(schema: Schema): () => number {
  let next = 0;
  for (const f of schema.fields) if (f.type instanceof Dictionary) next = Math.max(next, Number(f.type.id) + 1);
  return () => next++;
}

/** Dictionary-encoded string columns (missing, imputed, flags) of one score. */
function stringColumn(name: string, dict: StringDictionary, id: () => number) {
  const type = new Dictionary(new Utf8(), indexTypeFor(dict.values.length), id());
  const vector = vectorFromArray(dict.values, new Utf8());
  return {
    field: new Field(name, type, true),
    build: (n: number, rows: Int32Array, keys: Int32Array, count: number) => sparseDictionaryData(type, vector, n, rows, keys, count),
  };
}

/** A Float64 column whose nulls are its NaNs on the exception rows. */
function floatData(values: Float64Array, rows: Int32Array, count: number): Data {
  const n = values.length;
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  for (let e = 0; e < count; e++) {
    const i = rows[e] as number;
    if (!Number.isNaN(values[i] as number)) continue;
    if (bitmap === undefined) bitmap = new Uint8Array(bitmapBytes(n)).fill(255);
    bitmap[i >> 3] = (bitmap[i >> 3] as number) & ~(1 << (i & 7));
    nulls++;
  }
  return makeData({ type: new Float64(), length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : undefined, data: values });
}

/** The Arrow fields a model-based score adds, and a function building its columns for one batch. */
function modelColumns(def: ModelScore, plan: ModelPlan, dicts: ScoreDictionaries, id: () => number) {
  const names = outputColumns(def);
  const at = (k: number): string => names[k] as string;
  const riskType = new Dictionary(new Utf8(), new Int8(), id());
  const riskVector = vectorFromArray(
    def.zones.map((z) => z.label),
    new Utf8(),
  );
  const missing = stringColumn(at(names.length - 3), dicts.missing, id);
  const imputed = stringColumn(at(names.length - 2), dicts.imputed, id);
  const flags = stringColumn(at(names.length - 1), dicts.flags, id);
  const fields = [
    new Field(
      at(0),
      new Float64(),
      true,
      new Map([
        ['ewskit.outcome', def.outcome],
        ['ewskit.horizon_hours', String(def.horizonHours)],
      ]),
    ),
    new Field(at(1), new Float64(), true),
    new Field(at(2), riskType, true),
    new Field(at(3), new Bool(), false),
    ...plan.terms.map((_, j) => new Field(at(4 + j), new Float64(), true)),
    missing.field,
    imputed.field,
    flags.field,
  ];
  const build = (r: ScoreBatch, n: number): Data[] => {
    const out = r.out as ModelKernelOutput;
    const rows = out.exceptionRows;
    const count = out.exceptions;
    return [
      floatData(out.probability, rows, count),
      floatData(out.linearPredictor, rows, count),
      nullableRiskData(riskType, riskVector, out.risk, rows, count),
      makeData({ type: new Bool(), length: n, nullCount: 0, data: out.complete }),
      ...out.contributions.map((c) => floatData(c, rows, count)),
      missing.build(n, rows, r.missingKeys, count),
      imputed.build(n, rows, r.imputedKeys, count),
      flags.build(n, rows, r.flagKeys, count),
    ];
  };
  return { names, fields, build };
}

/** The Arrow fields a banded score adds, and a function building its columns for one batch. */
function bandedColumns(def: BandedScore, plan: ScorePlan, policy: MissingPolicy, dicts: ScoreDictionaries, id: () => number) {
  const names = outputColumns(def);
  const totalType = plan.maxTotal > 127 ? new Int16() : new Int8();
  const riskType = new Dictionary(new Utf8(), new Int8(), id());
  const missingType = new Dictionary(new Utf8(), indexTypeFor(dicts.missing.values.length), id());
  const flagType = new Dictionary(new Utf8(), indexTypeFor(dicts.flags.values.length), id());
  const riskVector = vectorFromArray([...def.risks], new Utf8());
  const missingVector = vectorFromArray(dicts.missing.values, new Utf8());
  const flagVector = vectorFromArray(dicts.flags.values, new Utf8());
  const at = (k: number): string => names[k] as string;
  const fields = [
    new Field(at(0), totalType, true, new Map([['ewskit.missing_policy', policy]])),
    new Field(at(1), riskType, true),
    new Field(at(2), new Bool(), false),
    new Field(at(3), new Bool(), false),
    ...plan.parameters.map((_, j) => new Field(at(4 + j), new Int8(), true)),
    new Field(at(names.length - 2), missingType, true),
    new Field(at(names.length - 1), flagType, true),
  ];
  const build = (r: ScoreBatch, n: number): Data[] => {
    const out = r.out as KernelOutput;
    const rows = out.exceptionRows;
    const count = out.exceptions;
    return [
      nullableIntData(totalType, out.total, rows, count),
      def.rules.length === 0
        ? makeData({ type: riskType, length: n, nullCount: n, nullBitmap: new Uint8Array(bitmapBytes(n)), data: out.risk, dictionary: riskVector } as never)
        : nullableRiskData(riskType, riskVector, out.risk, rows, count),
      makeData({ type: new Bool(), length: n, nullCount: 0, data: out.red }),
      makeData({ type: new Bool(), length: n, nullCount: 0, data: out.complete }),
      ...out.subscores.map((sub) => nullableIntData(new Int8(), sub, rows, count)),
      sparseDictionaryData(missingType, missingVector, n, rows, r.missingKeys, count),
      sparseDictionaryData(flagType, flagVector, n, rows, r.flagKeys, count),
    ];
  };
  return { names, fields, build };
}

/**
 * Score every row of an Arrow table with one or several banded early-warning scores, in one pass per batch
 * through a kernel compiled from the definitions: each input column is read once for all of them. Output rows =
 * input rows; every input column is kept (a column a score would add is replaced); batches are kept. Adds, for
 * each score id `s`: `s_total` (null when incomplete or flagged), `s_risk`, `s_red_flag`, `s_complete`, one
 * subscore per parameter (`s_respiratory_rate` …), `s_missing` (the missing input columns, `;`-separated, null
 * when none) and `s_flags` (reason codes `out_of_range:spo2;unknown_code:consciousness`, null when clean).
 * Runs in O(rows × parameters).
 *
 * @param scores a score definition, e.g. `news2`, or several: `[news2, mews, qsofa]`
 * @param table an apache-arrow Table with the canonical observation columns the scores need
 * @param options `{ missing: 'zero' }` for the labelled research option
 * @returns a new Table with each score's columns appended, in the order given
 * @throws {TypeError} when a required column is absent or of a type the schema does not accept
 * @throws {RangeError} when no score is given, or two share an id
 * @example scoreTable(news2, table).getChild('news2_total'); // => Int8 vector, null where incomplete
 */
export function scoreTable(scores: ScoreDefinition | readonly ScoreDefinition[], table: Table, options: ScoreTableOptions = {}): Table {
  if (!(table instanceof Table)) throw argumentError(FN, 'table', 'an apache-arrow Table', table);
  const policy = options.missing ?? 'none';
  if (policy !== 'none' && policy !== 'zero') throw optionError(FN, 'missing', "'none' or 'zero'", policy);
  const defs: readonly ScoreDefinition[] = Array.isArray(scores) ? scores : [scores as ScoreDefinition];
  if (defs.length === 0) throw optionError(FN, 'scores', 'at least one score definition', defs);
  const ids = defs.map((d) => d?.id);
  if (new Set(ids).size !== ids.length) throw optionError(FN, 'scores', 'scores with distinct ids', ids.join(', '));
  const plans = defs.map((d) => planFor(d));
  const batches = table.batches.length > 0 ? table.batches : [emptyBatch(table)];
  const dicts: ScoreDictionaries[] = plans.map(() => ({ missing: new StringDictionary(), imputed: new StringDictionary(), flags: new StringDictionary() }));

  // One group reads every column once; past 16 distinct inputs, each score gets its own pass.
  const together = groupPlans(plans);
  const groups = together !== undefined ? [{ group: together, first: 0 }] : plans.map((p, i) => ({ group: groupPlans([p]) as PlanGroup, first: i }));
  const results: ScoreBatch[][] = [];
  for (const { group, first } of groups) {
    runGroup(group, table, batches, policy === 'zero', dicts.slice(first, first + group.scores.length)).forEach((r, g) => {
      results[first + g] = r;
    });
  }

  const id = idAllocator(table.schema);
  const columns: { names: string[]; fields: Field[]; build: (r: ScoreBatch, n: number) => Data[] }[] = defs.map((d, s) =>
    d.kind === 'model'
      ? modelColumns(d, plans[s] as ModelPlan, dicts[s] as ScoreDictionaries, id)
      : bandedColumns(d, plans[s] as ScorePlan, policy, dicts[s] as ScoreDictionaries, id),
  );
  const added = new Set(columns.flatMap((c) => c.names));
  const kept = table.schema.fields.map((f, i) => ({ f, i })).filter(({ f }) => !added.has(f.name));
  const metadata = new Map(table.schema.metadata);
  for (const d of defs) {
    const meta =
      d.kind === 'model'
        ? {
            score: d.id,
            name: d.name,
            version: d.version,
            kind: 'model',
            outcome: d.outcome,
            horizonHours: d.horizonHours,
            illustrative: d.illustrative === true,
          }
        : { score: d.id, name: d.name, version: d.version, missingPolicy: policy };
    metadata.set(`ewskit.${d.id}`, JSON.stringify(meta));
  }
  const schema = new Schema([...kept.map(({ f }) => f), ...columns.flatMap((c) => c.fields)], metadata);
  const outBatches = batches.map((batch, b) => {
    const n = batch.numRows;
    const children: Data[] = [
      ...kept.map(({ i }) => batch.data.children[i] as Data),
      ...columns.flatMap((c, s) => c.build((results[s] as ScoreBatch[])[b] as ScoreBatch, n)),
    ];
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
  });
  return new Table(schema, outBatches);
}

/**
 * The JavaScript source of the batch kernel that `scoreTable` runs for these scores on this table (its column types
 * and null layout, read from the first batch): straight-line code over typed arrays, generated from the compiled
 * plans. For the curious and for code review; it is never needed to score. Runs in O(parameters).
 *
 * @param scores a score definition or several (at most 16 distinct inputs together)
 * @param table the observations, as for `scoreTable`
 * @param options `{ missing: 'zero' }` for the research option's kernel
 * @returns the body of the generated function
 * @throws {TypeError} as `scoreTable` does for missing or mistyped columns; {RangeError} when the scores read more than 16 inputs together
 * @example kernelSource(news2, table).includes('for (let i = 0; i < n; i++)'); // => true
 */
export function kernelSource(scores: ScoreDefinition | readonly ScoreDefinition[], table: Table, options: ScoreTableOptions = {}): string {
  const fn = 'kernelSource';
  if (!(table instanceof Table)) throw argumentError(fn, 'table', 'an apache-arrow Table', table);
  const policy = options.missing ?? 'none';
  if (policy !== 'none' && policy !== 'zero') throw optionError(fn, 'missing', "'none' or 'zero'", policy);
  const defs: readonly ScoreDefinition[] = Array.isArray(scores) ? scores : [scores as ScoreDefinition];
  if (defs.length === 0) throw optionError(fn, 'scores', 'at least one score definition', defs);
  const group = groupPlans(defs.map((d) => planFor(d)));
  if (group === undefined) throw optionError(fn, 'scores', 'scores reading at most 16 distinct inputs together', defs.map((d) => d.id).join(', '));
  const bindings = bindColumns(
    fn,
    (k) =>
      group.scores
        .filter((s) => s.map.includes(k))
        .map((s) => s.plan.definition.id)
        .join('", "'),
    table.schema,
    group.inputs,
  );
  const batch = table.batches[0] ?? emptyBatch(table);
  const layouts = bindings.map((b) => {
    const data = b.position < 0 ? undefined : batch.data.children[b.position];
    return { kind: b.kind, nullable: kernelInput(b, data).validity !== null };
  });
  return generateKernelSource(group, layouts, policy === 'zero');
}
