/**
 * Outcome labelling: an observation set is positive when an event of the chosen types follows within (t, t + H].
 * Observation sets at or after their encounter's first such event are excluded (label null) and counted: once the
 * patient has died or left the ward, a later set predicts nothing. Output rows = input rows.
 *
 * Follow-up, for in-hospital outcomes (the default): a patient discharged alive within the horizon had no in-hospital
 * event — the set is a **negative**, never censored (excluding it would condition on staying in hospital, unknown when
 * the set is scored). Only the extract's end censors: a set of an encounter still open at the end (no discharge time,
 * or a discharge after it) whose horizon passes the end, with no event, has an unknown outcome. With `followUp:
 * 'linked'` (outcomes recorded after discharge too, e.g. a linked death register), discharge also censors.
 */
import type { Table } from 'apache-arrow';
import { bitmapBytes } from '../../scores/kernel/output-columns.js';
import { Bool, Field, Schema, Table as ArrowTable, makeData, RecordBatch, Struct } from 'apache-arrow';
import type { CensoredHandling, FollowUp } from '../report/types.js';
import { CENSORED_HANDLING, FOLLOW_UPS } from '../report/vocabulary.js';
import { keyword } from '../../scores/definition/errors.js';

export interface LabelOptions {
  /** Prediction horizon in hours (default 24). */
  horizonHours?: number;
  /** Event types that count (default: every type in the events table). */
  eventTypes?: readonly string[];
  /** Encounters with `encounter_id` and `discharged_at` (and `admitted_at`): when each encounter ended. */
  encounters?: Table;
  /**
   * The extract's end (ms since the epoch): follow-up ends there for every encounter still in hospital. Default: the
   * latest time in the extract (sets, events, admissions and discharges), stated in the result as inferred.
   */
  extractEnd?: number;
  /**
   * What discharge means for the outcome: `'in-hospital'` (default; in-hospital events — death, unplanned ICU, cardiac
   * arrest: discharge alive within the horizon is no event, a negative) or `'linked'` (events recorded after discharge
   * too: discharge censors the set, like the extract's end).
   */
  followUp?: FollowUp;
  /**
   * A set whose outcome is unknown — its horizon passes the end of follow-up, with no event — is censored:
   * `'exclude'` (default) leaves it out and counts it; `'negative'` counts it as a negative (a labelled sensitivity
   * analysis).
   */
  censored?: CensoredHandling;
  /**
   * Leave out sets taken within this many minutes before the event (a sensitivity analysis: a set taken as the
   * team responds to a deterioration already recognised predicts little). Default 0 (none).
   */
  excludeBeforeEventMinutes?: number;
}

/** Why a set has no label: the codes of `LabelResult.exclusion`, in the order the labeller applies them. */
export const LABEL_EXCLUSIONS = [
  'labelled',
  'no encounter or time',
  'at or after the event',
  'shortly before the event',
  'censored at discharge',
  'censored at the extract end',
] as const;

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
  /** Of `censored`: at discharge (`followUp: 'linked'` only). */
  readonly censoredAtDischarge: number;
  /** Of `censored`: at the extract's end (the encounter still open). */
  readonly censoredAtExtractEnd: number;
  /** Negatives whose horizon passes a discharge alive (`followUp: 'in-hospital'`): no in-hospital event, known. */
  readonly dischargedNegatives: number;
  /**
   * Negatives with a competing event within the horizon — an event of a type not chosen (death, when the outcome is an
   * ICU admission) before any chosen one: no event of the outcome followed, so they are negatives (the cumulative
   * incidence of the outcome, not 1 − Kaplan–Meier), counted apart. 0 when every event type counts.
   */
  readonly competingNegatives: number;
  /** Sets within `excludeBeforeEventMinutes` before their event, left out. */
  readonly excludedBeforeEvent: number;
  /** The extract's end used (ms), or null when the extract holds no time at all. */
  readonly extractEnd: number | null;
  /** Whether `extractEnd` was inferred (the latest time in the extract) rather than given. */
  readonly extractEndInferred: boolean;
  /** Encounters of the observations with no discharge time (all of them when no encounters table is given). */
  readonly openEncounters: number;
}

function column(caller: string, table: Table, name: string, what: string) {
  const c = table.getChild(name);
  if (c === null) throw new TypeError(`${caller}: the ${what} table has no column "${name}".`);
  return c;
}

/** A time cell (ms since the epoch, as a number or a bigint) as a number; NaN when missing. */
export const timeValue = (v: unknown): number => (v === null || v === undefined ? Number.NaN : typeof v === 'bigint' ? Number(v) : (v as number));
const time = timeValue;

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

export function observationKeys(caller: string, observations: Table): { encounters: unknown[]; times: Float64Array } {
  const cached = keyCache.get(observations);
  if (cached !== undefined) return cached;
  const enc = column(caller, observations, 'encounter_id', 'observations');
  const at = column(caller, observations, 'observed_at', 'observations');
  const keys = { encounters: enc.toArray() as unknown[], times: new Float64Array(observations.numRows) };
  for (let i = 0; i < observations.numRows; i++) keys.times[i] = time(at.get(i));
  keyCache.set(observations, keys);
  return keys;
}

/** The chosen events' times per encounter, sorted; the other types' as competing events. */
function eventTimes(
  caller: string,
  events: Table,
  wanted: ReadonlySet<string> | null,
): { byEncounter: Map<string, number[]>; competing: Map<string, number[]> } {
  const evEnc = column(caller, events, 'encounter_id', 'events');
  const evAt = column(caller, events, 'event_at', 'events');
  const evType = column(caller, events, 'event_type', 'events');
  const byEncounter = new Map<string, number[]>();
  // Events of the types not chosen: competing events for the chosen outcome.
  const competing = new Map<string, number[]>();
  for (let i = 0; i < events.numRows; i++) {
    const type = evType.get(i) as string | null;
    const e = evEnc.get(i) as string | null;
    const t = time(evAt.get(i));
    if (e === null || Number.isNaN(t)) continue;
    const into = wanted !== null && (type === null || !wanted.has(type)) ? competing : byEncounter;
    let list = into.get(String(e));
    if (list === undefined) into.set(String(e), (list = []));
    list.push(t);
  }
  for (const list of byEncounter.values()) list.sort((a, b) => a - b);
  return { byEncounter, competing };
}

/**
 * Where follow-up ends: each encounter's discharge (when an encounters table is given), the extract's end (given, or
 * the latest time in it), and the encounters still open at that end (no discharge time, or a discharge after it).
 */
function followUpEnds(
  caller: string,
  enc: readonly unknown[],
  at: Float64Array,
  events: Table,
  encounters: Table | undefined,
  given: number | undefined,
): { dischargeOf: Map<string, number>; extractEnd: number | null; open: Set<string> } {
  const evAt = column(caller, events, 'event_at', 'events');
  // Discharge per encounter (when an encounters table is given); the latest time of the extract, for its end.
  const dischargeOf = new Map<string, number>();
  let latest = Number.NEGATIVE_INFINITY;
  const seen = (t: number): void => {
    if (t > latest) latest = t;
  };
  for (const t of at) if (!Number.isNaN(t)) seen(t);
  for (let i = 0; i < events.numRows; i++) seen(time(evAt.get(i)));
  if (encounters !== undefined) {
    const ids = column(caller, encounters, 'encounter_id', 'encounters');
    const discharged = column(caller, encounters, 'discharged_at', 'encounters');
    const admitted = encounters.getChild('admitted_at');
    for (let i = 0; i < encounters.numRows; i++) {
      const d = time(discharged.get(i));
      if (!Number.isNaN(d)) dischargeOf.set(String(ids.get(i)), d);
      seen(d);
      if (admitted !== null) seen(time(admitted.get(i)));
    }
  }
  const extractEnd = given ?? (latest > Number.NEGATIVE_INFINITY ? latest : null);
  const end = extractEnd ?? Number.POSITIVE_INFINITY;
  // Encounters still open at the extract's end: no discharge time, or a discharge after the end.
  const open = new Set<string>();
  for (const e of enc) if (e !== null && e !== undefined && !((dischargeOf.get(String(e)) ?? Number.POSITIVE_INFINITY) <= end)) open.add(String(e));
  return { dischargeOf, extractEnd, open };
}

/** The labels and counts of `labelOutcomes`, without building the labelled table (what `validate` needs). */
export function labelSets(observations: Table, events: Table, options: LabelOptions = {}): SetLabels {
  const caller = 'labelOutcomes';
  const horizon = options.horizonHours ?? 24;
  if (!(horizon > 0)) throw new RangeError(`${caller}: option "horizonHours" expected a positive number; received ${String(horizon)}.`);
  const wanted = options.eventTypes === undefined ? null : new Set(options.eventTypes);
  const { encounters: enc, times: at } = observationKeys(caller, observations);
  const { byEncounter, competing } = eventTimes(caller, events, wanted);
  const censoring = keyword(caller, 'censored', CENSORED_HANDLING, options.censored, 'exclude');
  const followUp = keyword(caller, 'followUp', FOLLOW_UPS, options.followUp, 'in-hospital');
  const given = options.extractEnd;
  const before = options.excludeBeforeEventMinutes ?? 0;
  if (!(typeof before === 'number' && before >= 0))
    throw new RangeError(`${caller}: option "excludeBeforeEventMinutes" expected a number ≥ 0; received ${String(before)}.`);
  const gap = before * 60_000;
  if (given !== undefined && (typeof given !== 'number' || Number.isNaN(given)))
    throw new RangeError(`${caller}: option "extractEnd" expected a time in ms; received ${String(given)}.`);
  const { dischargeOf, extractEnd, open } = followUpEnds(caller, enc, at, events, options.encounters, given);
  const end = extractEnd ?? Number.POSITIVE_INFINITY;
  const n = observations.numRows;
  const labels = new Int8Array(n);
  const exclusion = new Uint8Array(n);
  const h = horizon * 3_600_000;
  let positives = 0;
  let negatives = 0;
  let excludedAfterEvent = 0;
  let excludedMissing = 0;
  let censoredAtDischarge = 0;
  let censoredAtExtractEnd = 0;
  let dischargedNegatives = 0;
  let competingNegatives = 0;
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
    if (!positive) {
      // Discharged alive within the horizon: an in-hospital outcome is known (none); a linked one is censored.
      const discharge = dischargeOf.get(String(e));
      const dischargedInHorizon = discharge !== undefined && discharge <= end && discharge < t + h;
      const stillOpen = open.has(String(e)) && end < t + h;
      const code = dischargedInHorizon && followUp === 'linked' ? 4 : stillOpen ? 5 : 0;
      if (code === 4) censoredAtDischarge++;
      if (code === 5) censoredAtExtractEnd++;
      if (code > 0 && censoring === 'exclude') {
        labels[i] = -1;
        exclusion[i] = code;
        continue;
      }
      if (code === 0 && dischargedInHorizon) dischargedNegatives++;
      if (code === 0 && (competing.get(String(e)) ?? []).some((c) => c > t && c <= t + h)) competingNegatives++;
    }
    labels[i] = positive ? 1 : 0;
    if (positive) positives++;
    else negatives++;
  }
  return {
    labels,
    exclusion,
    positives,
    negatives,
    excludedAfterEvent,
    excludedMissing,
    censored: censoredAtDischarge + censoredAtExtractEnd,
    censoredAtDischarge,
    censoredAtExtractEnd,
    dischargedNegatives,
    competingNegatives,
    excludedBeforeEvent,
    extractEnd,
    extractEndInferred: given === undefined && extractEnd !== null,
    openEncounters: open.size,
  };
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
