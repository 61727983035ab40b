/**
 * Outcome labelling: an observation set is positive when an event of the chosen types follows within (t, t + H].
 * Observation sets at or after their encounter's first such event are excluded (label null) and counted: once the
 * patient has died or left the ward, a later set predicts nothing. Output rows = input rows.
 */
import type { Table } from 'apache-arrow';
import { bitmapBytes } from '../../scores/kernel/output-columns.js';
import { Bool, Field, Schema, Table as ArrowTable, makeData, RecordBatch, Struct } from 'apache-arrow';

export interface LabelOptions {
  /** Prediction horizon in hours (default 24). */
  horizonHours?: number;
  /** Event types that count (default: every type in the events table). */
  eventTypes?: readonly string[];
  /** Encounters with `encounter_id` and `discharged_at`: each encounter's follow-up ends at discharge. */
  encounters?: Table;
  /** The extract's end (ms since the epoch): follow-up ends there for every encounter still in hospital. */
  extractEnd?: number;
  /**
   * A set followed for less than the horizon (follow-up ends first) with no event is censored: `'exclude'` (default)
   * leaves it out and counts it; `'negative'` counts it as a negative (a labelled sensitivity analysis).
   */
  censored?: 'exclude' | 'negative';
  /**
   * Leave out sets taken within this many minutes before the event (a sensitivity analysis: a set taken as the
   * team responds to a deterioration already recognised predicts little). Default 0 (none).
   */
  excludeBeforeEventMinutes?: number;
}

/** Why a set has no label: the codes of `LabelResult.exclusion`, in the order the labeller applies them. */
export const LABEL_EXCLUSIONS = ['labelled', 'no encounter or time', 'at or after the event', 'shortly before the event', 'censored'] as const;

export type LabelExclusion = (typeof LABEL_EXCLUSIONS)[number];

/** The labels and counts, without the labelled table. */
export type SetLabels = Omit<LabelResult, 'table'>;

export interface LabelResult {
  /** The observations with `event_within_<H>h` (null when excluded) and `after_event` added. */
  readonly table: Table;
  /** One label per observation row: 1, 0, or −1 when excluded or without a time/encounter. */
  readonly labels: Int8Array;
  /** Per observation row, why it has no label: an index into `LABEL_EXCLUSIONS` (0 = labelled). */
  readonly exclusion: Uint8Array;
  readonly positives: number;
  readonly negatives: number;
  /** Sets at or after their encounter's first event. */
  readonly excludedAfterEvent: number;
  /** Sets without an encounter or a time. */
  readonly excludedMissing: number;
  /** Sets with less than the horizon of follow-up and no event: excluded, or (option) counted negative. */
  readonly censored: number;
  /** Sets within `excludeBeforeEventMinutes` before their event, left out. */
  readonly excludedBeforeEvent: number;
}

function column(fn: string, table: Table, name: string, what: string) {
  const c = table.getChild(name);
  if (c === null) throw new TypeError(`${fn}: the ${what} table has no column "${name}".`);
  return c;
}

const time = (v: unknown): number => (v === null || v === undefined ? Number.NaN : typeof v === 'bigint' ? Number(v) : (v as number));

/**
 * Label each observation set with whether an event follows within the horizon. Runs in O(n + events · log events).
 *
 * @param observations a table with `encounter_id` and `observed_at`
 * @param events a table with `encounter_id`, `event_at` and `event_type`
 * @returns the labelled table, labels as an Int8Array, and the counts (positives, negatives, excluded)
 * @throws {TypeError} when a required column is missing; {RangeError} for a non-positive horizon
 * @example labelOutcomes(cohort.observations, cohort.events, { horizonHours: 24 }).positives;
 */
export function labelOutcomes(observations: Table, events: Table, options: LabelOptions = {}): LabelResult {
  const labelled = labelSets(observations, events, options);
  return { table: labelledTable(observations, labelled, options.horizonHours ?? 24), ...labelled };
}

/** Each set's encounter and time (ms, NaN when absent), read once per observations table: validate labels the same table several times and dates its data from the same times. */
const keyCache = new WeakMap<Table, { encounters: unknown[]; times: Float64Array }>();

export function observationKeys(fn: string, observations: Table): { encounters: unknown[]; times: Float64Array } {
  const cached = keyCache.get(observations);
  if (cached !== undefined) return cached;
  const enc = column(fn, observations, 'encounter_id', 'observations');
  const at = column(fn, observations, 'observed_at', 'observations');
  const keys = { encounters: enc.toArray() as unknown[], times: new Float64Array(observations.numRows) };
  for (let i = 0; i < observations.numRows; i++) keys.times[i] = time(at.get(i));
  keyCache.set(observations, keys);
  return keys;
}

/** The labels and counts of `labelOutcomes`, without building the labelled table (what `validate` needs). */
export function labelSets(observations: Table, events: Table, options: LabelOptions = {}): SetLabels {
  const fn = 'labelOutcomes';
  const horizon = options.horizonHours ?? 24;
  if (!(horizon > 0)) throw new RangeError(`${fn}: option "horizonHours" expected a positive number; received ${String(horizon)}.`);
  const wanted = options.eventTypes === undefined ? null : new Set(options.eventTypes);
  const { encounters: enc, times: at } = observationKeys(fn, observations);
  const evEnc = column(fn, events, 'encounter_id', 'events');
  const evAt = column(fn, events, 'event_at', 'events');
  const evType = column(fn, events, 'event_type', 'events');
  const byEncounter = new Map<string, number[]>();
  for (let i = 0; i < events.numRows; i++) {
    const type = evType.get(i) as string | null;
    if (wanted !== null && (type === null || !wanted.has(type))) continue;
    const e = evEnc.get(i) as string | null;
    const t = time(evAt.get(i));
    if (e === null || Number.isNaN(t)) continue;
    let list = byEncounter.get(String(e));
    if (list === undefined) byEncounter.set(String(e), (list = []));
    list.push(t);
  }
  for (const list of byEncounter.values()) list.sort((a, b) => a - b);
  const censoring = options.censored ?? 'exclude';
  if (censoring !== 'exclude' && censoring !== 'negative')
    throw new RangeError(`${fn}: option "censored" expected 'exclude' or 'negative'; received ${String(censoring)}.`);
  const extractEnd = options.extractEnd ?? Number.POSITIVE_INFINITY;
  const before = options.excludeBeforeEventMinutes ?? 0;
  if (!(typeof before === 'number' && before >= 0))
    throw new RangeError(`${fn}: option "excludeBeforeEventMinutes" expected a number ≥ 0; received ${String(before)}.`);
  const gap = before * 60_000;
  if (typeof extractEnd !== 'number' || Number.isNaN(extractEnd))
    throw new RangeError(`${fn}: option "extractEnd" expected a time in ms; received ${String(extractEnd)}.`);
  // End of follow-up per encounter: discharge (when an encounters table is given), and the extract's end.
  const endOf = new Map<string, number>();
  if (options.encounters !== undefined) {
    const ids = column(fn, options.encounters, 'encounter_id', 'encounters');
    const discharged = column(fn, options.encounters, 'discharged_at', 'encounters');
    for (let i = 0; i < options.encounters.numRows; i++) {
      const d = time(discharged.get(i));
      if (!Number.isNaN(d)) endOf.set(String(ids.get(i)), d);
    }
  }
  const n = observations.numRows;
  const labels = new Int8Array(n);
  const exclusion = new Uint8Array(n);
  const h = horizon * 3_600_000;
  let positives = 0;
  let negatives = 0;
  let excludedAfterEvent = 0;
  let excludedMissing = 0;
  let censored = 0;
  let excludedBeforeEvent = 0;
  for (let i = 0; i < n; i++) {
    const e = enc[i] as string | null;
    const t = at[i] ?? Number.NaN;
    if (e === null || Number.isNaN(t)) {
      labels[i] = -1;
      exclusion[i] = 1;
      excludedMissing++;
      continue;
    }
    const list = byEncounter.get(String(e));
    if (list !== undefined && t >= (list[0] ?? NaN)) {
      labels[i] = -1;
      exclusion[i] = 2;
      excludedAfterEvent++;
      continue;
    }
    // Events are sorted and all after t here, so the first is the nearest.
    const positive = list !== undefined && (list[0] ?? NaN) <= t + h;
    if (positive && gap > 0 && (list?.[0] ?? NaN) - t < gap) {
      labels[i] = -1;
      exclusion[i] = 3;
      excludedBeforeEvent++;
      continue;
    }
    const end = Math.min(endOf.get(String(e)) ?? Number.POSITIVE_INFINITY, extractEnd);
    if (!positive && end < t + h) {
      censored++;
      if (censoring === 'exclude') {
        labels[i] = -1;
        exclusion[i] = 4;
        continue;
      }
    }
    labels[i] = positive ? 1 : 0;
    if (positive) positives++;
    else negatives++;
  }
  return { labels, exclusion, positives, negatives, excludedAfterEvent, excludedMissing, censored, excludedBeforeEvent };
}

/** The observations with the label (null when excluded) and `after_event` added, batch by batch. */
function labelledTable(observations: Table, labelled: SetLabels, horizon: number): Table {
  const { labels, exclusion } = labelled;
  const labelName = `event_within_${horizon}h`;
  const keptIdx = observations.schema.fields.map((f, k) => ({ f, k })).filter(({ f }) => f.name !== labelName && f.name !== 'after_event');
  const schema = new Schema(
    [...keptIdx.map(({ f }) => f), new Field(labelName, new Bool(), true), new Field('after_event', new Bool(), false)],
    observations.schema.metadata,
  );
  let offset = 0;
  const batches = observations.batches.map((batch) => {
    const len = batch.numRows;
    const bytes = bitmapBytes(len);
    const valid = new Uint8Array(bytes);
    const value = new Uint8Array(bytes);
    const after = new Uint8Array(bytes);
    let nulls = 0;
    for (let r = 0; r < len; r++) {
      const l = labels[offset + r] ?? NaN;
      const bit = 1 << (r & 7);
      if (l === -1) nulls++;
      else valid[r >> 3] = (valid[r >> 3] ?? NaN) | bit;
      if (l === 1) value[r >> 3] = (value[r >> 3] ?? NaN) | bit;
      if (exclusion[offset + r] === 2) after[r >> 3] = (after[r >> 3] ?? NaN) | bit;
    }
    offset += len;
    const children = [
      ...keptIdx.map(({ k }) => batch.data.children[k] as never),
      makeData({ type: new Bool(), length: len, nullCount: nulls, nullBitmap: nulls > 0 ? valid : undefined, data: value }),
      makeData({ type: new Bool(), length: len, nullCount: 0, data: after }),
    ];
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: len, nullCount: 0, children }));
  });
  return new ArrowTable(schema, batches);
}
