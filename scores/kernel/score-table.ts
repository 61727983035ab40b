/**
 * Score an Arrow table: every input column is kept, and each score adds its total, risk band, red flag,
 * completeness, missing inputs, flags and one subscore column per parameter. Output rows = input rows; batches
 * are kept as they are. Bad rows are flagged with a reason, never dropped, never thrown.
 */
import type { Data } from 'apache-arrow';
import { DataType, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import type { Field } from 'apache-arrow';
import type { ScoreDefinition } from '../definition/definition.js';
import { argumentError, optionError, scoreList } from '../definition/errors.js';
import type { PlanInput } from '../plan/compile.js';
import { flagBit, missingBit } from '../plan/compile.js';
import type { ScoreOptions } from '../definition/observation.js';
import { missingPolicyOf } from '../definition/observation.js';
import { flagReason, schemaOrder, VERIFY } from '../definition/schema.js';
import { kindOf } from '../kinds/kind-of.js';
import { batchKindOf, kernelPartOf } from './batch-kinds.js';
import type { ColumnBinding } from './bind-columns.js';
import { bindColumns, kernelInput } from './bind-columns.js';
import type { PlanGroup } from './kernel.js';
import type { KernelInput, KernelOutput, ModelKernelOutput } from './kernel-part.js';
import { batchKernel, generateKernelSource, groupPlans } from './kernel.js';
import type { ScoreBatch, ScoreDictionaries } from './output-columns.js';
import { StringDictionary } from './output-columns.js';
import { adoptTable } from './adopt-table.js';

const FN = 'scoreTable';

/**
 * The names of the columns a score adds, in order.
 *
 * @example outputColumns(news2).slice(0, 4); // => ['news2_total', 'news2_risk', 'news2_red_flag', 'news2_complete']
 */
export function outputColumns(score: ScoreDefinition): string[] {
  return kindOf(score).outputColumns(score);
}

/** Options of `scoreTable` and `kernelSource`: the same as `scoreObservation`'s (`missing`, recorded in the schema metadata). */
export type ScoreTableOptions = ScoreOptions;

/** Name the missing inputs and flag reasons of each exception row — the only rows that have any. */
function describeExceptions(
  group: PlanGroup,
  bindings: readonly ColumnBinding[],
  inputs: readonly KernelInput[],
  out: KernelOutput | ModelKernelOutput,
  dicts: ScoreDictionaries,
  imputedMask: number,
): { missingKeys: Int32Array; imputedKeys: Int32Array; flagKeys: Int32Array; escalatedKeys: Int32Array } {
  const count = out.exceptions;
  const escalated = 'exceptionEscalated' in out ? out.exceptionEscalated : null;
  const missingKeys = new Int32Array(count).fill(-1);
  // Banded scores neither impute nor escalate: their (never read) key arrays are left empty.
  const imputedKeys = new Int32Array(imputedMask === 0 ? 0 : count).fill(-1);
  const escalatedKeys = new Int32Array(escalated === null ? 0 : count).fill(-1);
  const byEscalated = new Map<number, number>();
  const flagKeys = new Int32Array(count).fill(-1);
  // Missing-input mask → dictionary key, looked up in an array (2^inputs entries): exception rows are up to a third of
  // a batch with 5 % missing values, and a Map look-up per row took this loop from ~10 to ~18 ms per 1M rows.
  const byMask = new Int32Array(1 << group.inputs.length).fill(-1);
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
    const st = out.exceptionStatus[e] ?? NaN;
    const esc = escalated?.[e] ?? 0;
    if (esc !== 0) {
      let key = byEscalated.get(esc);
      if (key === undefined) {
        key = dicts.escalated.key(names(esc)); // bit k = group input k, as missing bits are
        byEscalated.set(esc, key);
      }
      escalatedKeys[e] = key;
    }
    const miss = st & missMask;
    if (miss !== 0) {
      let key = byMask[miss] as number;
      if (key < 0) {
        key = dicts.missing.key(names(miss));
        byMask[miss] = key;
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
    const verify = out.exceptionVerify[e] ?? 0;
    if ((st & ~missMask) !== 0 || verify !== 0) {
      const row = out.exceptionRows[e] ?? NaN;
      let nonFinite = 0;
      for (const { k } of ordered) {
        const values = numbers[k];
        if ((st & flagBit(k)) !== 0 && values !== null && values !== undefined && !Number.isFinite(values[row] ?? NaN)) nonFinite |= 1 << k;
      }
      const cacheKey = ((st >>> 16) * 65536 + nonFinite) * 65536 + verify;
      let key = byFlags.get(cacheKey);
      if (key === undefined) {
        const reasons = ordered
          .filter(({ k }) => (st & flagBit(k)) !== 0 || ((verify >> k) & 1) === 1)
          .map(({ k, input }) =>
            ((verify >> k) & 1) === 1
              ? `${VERIFY}:${input.field.column}`
              : `${flagReason(input.field, (nonFinite >> k) & 1 ? Number.NaN : input.field.kind === 'numeric' ? 0 : '')}:${input.field.column}`,
          );
        key = dicts.flags.key(reasons.join(';'));
        byFlags.set(cacheKey, key);
      }
      flagKeys[e] = key;
    }
  }
  return { missingKeys, imputedKeys, flagKeys, escalatedKeys };
}

function emptyBatch(table: Table): RecordBatch {
  const children = table.schema.fields.map((f) => makeData({ type: f.type, length: 0, nullCount: 0 } as never));
  return new RecordBatch(table.schema, makeData({ type: new Struct(table.schema.fields), length: 0, nullCount: 0, children }));
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
    const outs = group.scores.map((s) => kernelPartOf(s.plan).newOutput(s.plan, n));
    batchKernel(group, layouts, zeroMissing)(n, inputs, outs);
    outs.forEach((out, g) => {
      const { plan, map } = group.scores[g] as PlanGroup['scores'][number];
      const imputedMask = kernelPartOf(plan).imputedMask(plan, map);
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
  // By type id, not instanceof: a table built with another copy of apache-arrow (a consumer's own) has types of that
  // copy's classes, and nested columns may hold dictionaries too.
  const visit = (fields: readonly Field[]): void => {
    for (const f of fields) {
      if (DataType.isDictionary(f.type)) next = Math.max(next, Number(f.type.id) + 1);
      visit((f.type.children ?? []) as Field[]);
    }
  };
  visit(schema.fields);
  return () => next++;
}

/**
 * Score every row of an Arrow table with one or several banded early-warning scores, in one pass per batch
 * through a kernel compiled from the definitions: each input column is read once for all of them. Output rows =
 * input rows; every input column is kept (a column a score would add is replaced); batches are kept. Adds, for
 * each score id `s`: `s_total` (null when incomplete or flagged), `s_risk`, `s_red_flag`, `s_complete`, one
 * subscore per parameter (`s_respiratory_rate` …), `s_missing` (the missing input columns, `;`-separated, null
 * when none) and `s_flags` (reason codes `out_of_range:spo2;unknown_code:consciousness`, null when clean; a value
 * outside the plausible but inside the possible range is scored and listed as `verify:spo2`).
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
  // A table built with another copy of apache-arrow (the consumer's own) is re-typed with ours, over the same buffers.
  return scoreOwnTable(scores, adoptTable(table), options);
}

/** `scoreTable` on a table of this copy of apache-arrow. */
function scoreOwnTable(scores: ScoreDefinition | readonly ScoreDefinition[], table: Table, options: ScoreTableOptions): Table {
  const policy = missingPolicyOf(FN, options);
  const defs = scoreList(FN, scores);
  const plans = defs.map((d) => kindOf(d).plan(d));
  const batches = table.batches.length > 0 ? table.batches : [emptyBatch(table)];
  const dicts: ScoreDictionaries[] = plans.map(() => ({
    missing: new StringDictionary(),
    imputed: new StringDictionary(),
    flags: new StringDictionary(),
    escalated: new StringDictionary(),
  }));

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
  const columns = defs.map((d, s) => batchKindOf(d).arrowColumns(d, policy, dicts[s] as ScoreDictionaries, id));
  const added = new Set(columns.flatMap((c) => c.names));
  const kept = table.schema.fields.map((f, i) => ({ f, i })).filter(({ f }) => !added.has(f.name));
  const metadata = new Map(table.schema.metadata);
  for (const d of defs) {
    const meta = batchKindOf(d).metadata(d, policy);
    metadata.set(`ewskit.${d.id}`, JSON.stringify(meta));
  }
  const schema = new Schema([...kept.map(({ f }) => f), ...columns.flatMap((c) => [...c.fields])], metadata);
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
  const caller = 'kernelSource';
  if (!(table instanceof Table)) throw argumentError(caller, 'table', 'an apache-arrow Table', table);
  const policy = missingPolicyOf(caller, options);
  const defs = scoreList(caller, scores);
  const group = groupPlans(defs.map((d) => kindOf(d).plan(d)));
  if (group === undefined) throw optionError(caller, 'scores', 'scores reading at most 16 distinct inputs together', defs.map((d) => d.id).join(', '));
  const bindings = bindColumns(
    caller,
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
