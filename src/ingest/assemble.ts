/**
 * Long → observation sets: one set per charting moment, from per-measurement rows. This is where real studies go
 * wrong silently, so every rule is stated, and every set says what was done to it:
 *
 * - **Never across encounters.** A measurement without an encounter is rejected (counted, with its place).
 * - **One charting moment.** Within an encounter, in time order, a set opens at a measurement and takes every later
 *   one charted within `windowMinutes` (default 5) of that first — a fixed window, so a long run of measurements a
 *   minute apart never chains into one set. The set is stamped with its first measurement's time (`anchor: 'first'`,
 *   default) or its last's.
 * - **Charted twice.** The same value twice in a set counts once. Two different values of one field in a set: the
 *   later charted one is kept (an EPR correction is charted after the value it corrects; at the same time, the later
 *   record of the extract) and the set is flagged `conflict: field (first → kept)`.
 * - **Carried forward only when asked.** A field missing from a set may take the encounter's most recent *measured*
 *   value of that field no older than `maxAgeMinutes[field]` (default: no carrying for any field, so a missing value
 *   stays missing and the score says so); each carried value is listed in `carried_forward` with its age and its age
 *   is in `<field>_age_minutes`.
 *
 * Output: the canonical wide schema (`patient_id`, `encounter_id`, `observed_at`, the measured fields), plus
 * `measurements` (how many went into the set), `carried_forward` and `set_flags` (null when none). Sets are ordered by
 * encounter id, then time. Runs in O(n log n).
 */
import { Float64, Int32, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import { ARROW_TYPE, KNOWN_COLUMNS } from './canonical-tables.js';
import type { Vector } from 'apache-arrow';
import type { MeasuredField } from './codes.js';
import { MEASURED_FIELDS } from './codes.js';
import type { AssembleOptions } from './mapping.js';
import type { IngestReport, Measurement } from './measurements.js';
import { ingestReport, reject } from './measurements.js';

/** The default charting window, in minutes. */
export const DEFAULT_WINDOW_MINUTES = 5;

/** What assembly did, in numbers. */
export interface AssembleReport {
  readonly sets: number;
  /** Measurements rejected before assembly (no encounter). */
  readonly rejected: IngestReport;
  /** Identical values charted twice in one set, counted once. */
  readonly duplicates: number;
  /** Fields charted twice in one set with different values (the later kept). */
  readonly conflicts: number;
  /** Values carried forward, per field. */
  readonly carried: Readonly<Partial<Record<MeasuredField, number>>>;
}

const MINUTE = 60_000;

/** Check the options once, naming the bad one. */
function checked(options: AssembleOptions): { window: number; maxAge: Partial<Record<MeasuredField, number>>; anchor: 'first' | 'last' } {
  const window = options.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
  if (!(window >= 0) || !Number.isFinite(window))
    throw new Error(`assembleSets: windowMinutes must be a number of minutes ≥ 0; received ${String(options.windowMinutes)}`);
  const anchor = options.anchor ?? 'first';
  if (anchor !== 'first' && anchor !== 'last') throw new Error(`assembleSets: anchor must be "first" or "last"; received ${JSON.stringify(anchor)}`);
  for (const [f, v] of Object.entries(options.maxAgeMinutes ?? {})) {
    if (!(MEASURED_FIELDS as readonly string[]).includes(f))
      throw new Error(`assembleSets: maxAgeMinutes names "${f}", which is not a measured field (${MEASURED_FIELDS.join(', ')})`);
    if (typeof v !== 'number' || !(v >= 0)) throw new Error(`assembleSets: maxAgeMinutes.${f} must be a number of minutes ≥ 0; received ${String(v)}`);
  }
  return { window: window * MINUTE, maxAge: options.maxAgeMinutes ?? {}, anchor };
}

/** One assembled set before it becomes a row. */
interface SetRow {
  patient: string | null;
  encounter: string;
  time: number;
  values: Partial<Record<MeasuredField, number | string | boolean>>;
  ages: Partial<Record<MeasuredField, number>>;
  count: number;
  carried: string[];
  flags: string[];
}

/**
 * Build observation sets from measurements.
 *
 * @param measurements per-measurement rows in canonical units (from `fromFhirObservation`, `fromLongRow`, or your own)
 * @param options the charting window, how old a carried value may be, and the set's anchor
 * @param keepRejections keep every rejected measurement in `report.rejected.all` (for a rejects file), not only the first 1000
 * @example assembleSets(measurements, { windowMinutes: 5, maxAgeMinutes: { consciousness: 240 } }).table.numRows;
 */
export function assembleSets(
  measurements: readonly Measurement[],
  options: AssembleOptions = {},
  keepRejections = false,
): { table: Table; report: AssembleReport } {
  const { window, maxAge, anchor } = checked(options);
  const rejected = ingestReport(keepRejections);
  const byEncounter = new Map<string, { m: Measurement; i: number }[]>();
  measurements.forEach((m, i) => {
    rejected.read++;
    if (m.encounter === null || m.encounter === '') return reject(rejected, m.source, 'no encounter: sets are never built across encounters');
    if (!Number.isFinite(m.time)) return reject(rejected, m.source, 'no time');
    rejected.kept++;
    const list = byEncounter.get(m.encounter) ?? [];
    list.push({ m, i });
    byEncounter.set(m.encounter, list);
    return undefined;
  });
  let duplicates = 0;
  let conflicts = 0;
  const carried: Partial<Record<MeasuredField, number>> = {};
  const rows: SetRow[] = [];
  for (const encounter of [...byEncounter.keys()].sort()) {
    const list = (byEncounter.get(encounter) ?? []).sort((a, b) => a.m.time - b.m.time || a.i - b.i);
    const patient = list.find((x) => x.m.patient !== null)?.m.patient ?? null;
    const last = new Map<MeasuredField, { value: number | string | boolean; time: number }>();
    let k = 0;
    while (k < list.length) {
      const start = (list[k] as { m: Measurement }).m.time;
      const members: Measurement[] = [];
      while (k < list.length && (list[k] as { m: Measurement }).m.time - start <= window) members.push((list[k++] as { m: Measurement }).m);
      const row: SetRow = {
        patient,
        encounter,
        time: anchor === 'first' ? start : (members[members.length - 1] as Measurement).time,
        values: {},
        ages: {},
        count: members.length,
        carried: [],
        flags: [],
      };
      const charted = new Map<MeasuredField, (number | string | boolean)[]>();
      for (const m of members) {
        const vs = charted.get(m.field) ?? [];
        vs.push(m.value);
        charted.set(m.field, vs);
        if (m.patient !== null && patient !== null && m.patient !== patient) row.flags.push(`patient ${m.patient} in an encounter of ${patient}`);
      }
      for (const [field, vs] of charted) {
        const kept = vs[vs.length - 1] as number | string | boolean;
        const distinct = [...new Set(vs)];
        duplicates += vs.length - distinct.length;
        if (distinct.length > 1) {
          conflicts++;
          row.flags.push(`conflict: ${field} (${String(vs[0])} → ${String(kept)})`);
        }
        row.values[field] = kept;
      }
      for (const field of MEASURED_FIELDS) {
        const limit = maxAge[field];
        const prior = last.get(field);
        if (limit === undefined || row.values[field] !== undefined || prior === undefined) continue;
        const age = (row.time - prior.time) / MINUTE;
        if (age > limit) continue;
        row.values[field] = prior.value;
        row.ages[field] = age;
        row.carried.push(`${field} ${Math.round(age)} min`);
        carried[field] = (carried[field] ?? 0) + 1;
      }
      // The encounter's last measured values (carried ones never carry again).
      for (const m of members) last.set(m.field, { value: row.values[m.field] ?? m.value, time: m.time });
      rows.push(row);
    }
  }
  return { table: setsTable(rows, Object.keys(maxAge) as MeasuredField[]), report: { sets: rows.length, rejected, duplicates, conflicts, carried } };
}

/** The sets as an Arrow table in the canonical wide schema. */
function setsTable(rows: readonly SetRow[], aged: readonly MeasuredField[]): Table {
  const columns: Record<string, Vector> = {
    patient_id: vectorFromArray(
      rows.map((r) => r.patient),
      new Utf8(),
    ),
    encounter_id: vectorFromArray(
      rows.map((r) => r.encounter),
      new Utf8(),
    ),
    observed_at: vectorFromArray(
      rows.map((r) => r.time),
      new TimestampMillisecond(),
    ),
  };
  // Each field in its stated type (the same as a wide extract's).
  for (const field of MEASURED_FIELDS)
    columns[field] = vectorFromArray(rows.map((r) => r.values[field] ?? null) as never[], ARROW_TYPE[KNOWN_COLUMNS.observations[field] ?? 'text']());
  for (const field of aged)
    columns[`${field}_age_minutes`] = vectorFromArray(
      rows.map((r) => r.ages[field] ?? null),
      new Float64(),
    );
  columns.measurements = vectorFromArray(
    rows.map((r) => r.count),
    new Int32(),
  );
  columns.carried_forward = vectorFromArray(
    rows.map((r) => (r.carried.length === 0 ? null : r.carried.join('; '))),
    new Utf8(),
  );
  columns.set_flags = vectorFromArray(
    rows.map((r) => (r.flags.length === 0 ? null : r.flags.join('; '))),
    new Utf8(),
  );
  return new Table(columns);
}
