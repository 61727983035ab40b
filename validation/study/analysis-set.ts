/**
 * Stage 1 of `validate`: score the cohort, label outcomes, and gather the analysis rows — labelled observation sets
 * of a known patient — as typed arrays, with patients numbered for the clustered statistics. Each score is judged on
 * its own analysable sets (the rows where it has a value: `scoreView`), so nothing one score lacks changes another
 * score's results; comparisons use the sets both scores can score. Points scores get cross-fitted probabilities here.
 */
import type { Table } from 'apache-arrow';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { recalibrate } from '../metrics/recalibrate.js';
import type { CellBasis } from '../disclosure/disclosure.js';
import type { LabelOptions, SetLabels } from '../outcomes/label-outcomes.js';
import { labelSets } from '../outcomes/label-outcomes.js';
import type { Settings } from './options.js';

/** The analysis rows of a study, and what every later stage reads. */
export interface AnalysisSet {
  /** The scored observations (every row of the input). */
  readonly scored: Table;
  readonly labelled: SetLabels;
  /** Patient id of every scored row (null where absent). */
  readonly patientIds: readonly unknown[];
  /** Scored-row index of each analysis row. */
  readonly rows: readonly number[];
  /** Cluster number (0…clusters−1) of each analysis row: the patient, or the encounter (option `cluster`). */
  readonly cluster: Int32Array;
  readonly clusters: number;
  /** Per cluster number, its key (the patient or encounter id as text): what the Poisson bootstrap weights hash. */
  readonly clusterKeys: readonly string[];
  /** Patient number (0…patients−1) of each analysis row. */
  readonly patient: Int32Array;
  readonly patients: number;
  /** Per patient number, the patient id as text. */
  readonly patientKeys: readonly string[];
  /** Outcome (1/0) of each analysis row. */
  readonly labels: Uint8Array;
  /** Per score, its value (total or probability) on each analysis row; NaN where the score has none. */
  readonly values: readonly Float64Array[];
  /** Per score, a probability on each analysis row: the model's own, or cross-fitted recalibration of a points score. */
  readonly probabilities: readonly Float64Array[];
  /** Per score, its red-score flag on each analysis row (1/0), or null when the score has no red-score rule. */
  readonly redFlags: readonly (Float64Array | null)[];
  readonly positives: number;
  readonly eventPatients: number;
  /** The disclosure basis of statistics over every analysis row. */
  readonly basis: CellBasis;
  /** Rows of one table that match nothing in another. */
  readonly joins: Joins;
}

/** Join integrity: rows that match nothing. */
export interface Joins {
  /** Event rows whose encounter_id matches no observation set. */
  readonly unmatchedEvents: number;
  /** Observation sets whose patient_id is not in the patients table (null without a patients table). */
  readonly setsWithoutPatient: number | null;
}

/**
 * Count rows that match nothing, and stop when more events are unmatched than allowed: an event that joins nothing
 * silently becomes a negative outcome elsewhere.
 *
 * @throws {RangeError} naming the table, the key and the count
 */
function checkJoins(settings: Settings, scored: Table, patientIds: readonly unknown[]): Joins {
  const encounters = new Set((columnValues(scored, 'encounter_id') ?? []).map(String));
  const eventEncounters = columnValues(settings.cohort.events, 'encounter_id') ?? [];
  const unmatchedEvents = eventEncounters.filter((e) => !encounters.has(String(e))).length;
  if (unmatchedEvents > settings.maxUnmatchedEvents) {
    throw new RangeError(
      `validate: ${unmatchedEvents} of ${eventEncounters.length} rows of the events table have an encounter_id that matches no observation set; expected at most ${settings.maxUnmatchedEvents} (option "maxUnmatchedEvents"). Check that both tables come from the same extract and use the same identifiers.`,
    );
  }
  const patients = settings.cohort.patients;
  const known = patients === undefined ? null : new Set((columnValues(patients, 'patient_id') ?? []).map(String));
  return {
    unmatchedEvents,
    setsWithoutPatient: known === null ? null : patientIds.filter((id) => !known.has(String(id))).length,
  };
}

/** Every value of a column, or null when the table has no such column. */
export function columnValues(table: Table, name: string): unknown[] | null {
  const v = table.getChild(name);
  if (v === null) return null;
  const out = new Array<unknown>(table.numRows);
  for (let i = 0; i < table.numRows; i++) out[i] = v.get(i);
  return out;
}

function numbers(table: Table, name: string): readonly (number | null)[] {
  const values = columnValues(table, name);
  if (values === null) throw new TypeError(`validate: the scored table has no column "${name}".`);
  return values.map((v) => (typeof v === 'number' ? v : null));
}

/** The labeller's options: the study's, with follow-up ending at discharge when the cohort has an encounters table. */
export function labelOptionsOf(settings: Settings): LabelOptions {
  const { cohort, outcome } = settings;
  return outcome.encounters === undefined && cohort.encounters !== undefined ? { ...outcome, encounters: cohort.encounters } : outcome;
}

/**
 * Score, label and gather the analysis rows. Runs in O(n · scores) plus the recalibration's logistic fits.
 *
 * @throws {TypeError} when the observations have no `patient_id` (needed to cluster by patient)
 */
export function analysisSet(settings: Settings): AnalysisSet {
  const { cohort, scores, progress } = settings;
  progress('scoring');
  const scored = scoreTable(scores as ScoreDefinition[], cohort.observations, { missing: settings.missing });
  progress('labelling outcomes');
  const labelled = labelSets(scored, cohort.events, labelOptionsOf(settings));
  const patientIds = columnValues(scored, 'patient_id');
  if (patientIds === null) throw new TypeError('validate: the observations table has no column "patient_id" (needed to cluster by patient).');
  const joins = checkJoins(settings, scored, patientIds);
  const raw = scores.map((d) => numbers(scored, kindOf(d).valueColumn(d)));

  const rows: number[] = [];
  for (let i = 0; i < scored.numRows; i++) {
    if ((labelled.labels[i] ?? -1) < 0 || patientIds[i] === null || patientIds[i] === undefined) continue;
    rows.push(i);
  }
  const patientIndex = new Map<string, number>();
  const patient = Int32Array.from(rows, (i) => {
    const id = String(patientIds[i]);
    let p = patientIndex.get(id);
    if (p === undefined) patientIndex.set(id, (p = patientIndex.size));
    return p;
  });
  // The cluster: the patient by default, or the encounter.
  const patientKeys = [...patientIndex.keys()];
  let cluster = patient;
  let clusters = patientIndex.size;
  let clusterKeys = patientKeys;
  if (settings.cluster === 'encounter') {
    const encounterIds = columnValues(scored, 'encounter_id');
    if (encounterIds === null) throw new TypeError('validate: option "cluster" is \'encounter\' but the observations table has no column "encounter_id".');
    const encounterIndex = new Map<string, number>();
    cluster = Int32Array.from(rows, (i) => {
      const id = String(encounterIds[i]);
      let e = encounterIndex.get(id);
      if (e === undefined) encounterIndex.set(id, (e = encounterIndex.size));
      return e;
    });
    clusters = encounterIndex.size;
    clusterKeys = [...encounterIndex.keys()];
  }
  const labels = Uint8Array.from(rows, (i) => labelled.labels[i] ?? 0);
  const values = raw.map((v) => Float64Array.from(rows, (i) => v[i] ?? Number.NaN));
  let positives = 0;
  const withEvent = new Set<number>();
  labels.forEach((y, k) => {
    positives += y;
    if (y === 1) withEvent.add(patient[k] ?? -1);
  });

  progress('recalibrating points scores');
  const probabilities = scores.map((d, s) => {
    const x = values[s] ?? new Float64Array(0);
    if (kindOf(d).probabilistic) return x;
    const fit = recalibrate(x, labels, {
      groups: cluster,
      folds: settings.recalibrationFolds,
      seed: settings.recalibrationSeed,
      method: settings.recalibrationMethod,
    });
    return Float64Array.from(fit.probability, (p) => p ?? Number.NaN);
  });
  const redFlags = scores.map((d, s) => {
    if (kindOf(d).redFlag(d) === null) return null;
    const flags = columnValues(scored, `${d.id}_red_flag`);
    const totals = raw[s];
    // Judged on the score's own analysable sets: NaN where the score has no value.
    return flags === null ? null : Float64Array.from(rows, (i) => (totals?.[i] === null || totals?.[i] === undefined ? Number.NaN : flags[i] === true ? 1 : 0));
  });
  return {
    scored,
    labelled,
    patientIds,
    rows,
    cluster,
    clusters,
    clusterKeys,
    patient,
    patients: patientIndex.size,
    patientKeys,
    labels,
    values,
    probabilities,
    redFlags,
    positives,
    eventPatients: withEvent.size,
    basis: { patients: withEvent.size, events: positives },
    joins,
  };
}

/** One score's analysable sets: the analysis rows where it has a value, with everything its metrics read. */
export interface ScoreView {
  /** Positions (into the analysis rows) of the score's analysable sets. */
  readonly keep: Int32Array;
  readonly values: Float64Array;
  readonly labels: Uint8Array;
  readonly cluster: Int32Array;
  readonly patient: Int32Array;
  readonly probabilities: Float64Array;
  readonly redFlag: Float64Array | null;
  readonly positives: number;
  /** Analysis rows where the score has no value (a missing or flagged input). */
  readonly incomplete: number;
  /** The disclosure basis of statistics over the score's sets. */
  readonly basis: CellBasis;
}

/**
 * The analysable sets of score `s`. Runs in O(n).
 *
 * @example scoreView(set, 0).values.length; // the sets NEWS2 can score
 */
export function scoreView(set: AnalysisSet, s: number): ScoreView {
  const all = set.values[s] ?? new Float64Array(0);
  const keep: number[] = [];
  all.forEach((v, k) => {
    if (Number.isFinite(v)) keep.push(k);
  });
  const pick = <T extends Float64Array | Uint8Array | Int32Array>(from: T, make: (n: number) => T): T => {
    const out = make(keep.length);
    keep.forEach((k, j) => {
      out[j] = from[k] ?? 0;
    });
    return out;
  };
  const labels = pick(set.labels, (n) => new Uint8Array(n));
  const patient = pick(set.patient, (n) => new Int32Array(n));
  let positives = 0;
  const withEvent = new Set<number>();
  labels.forEach((y, j) => {
    positives += y;
    if (y === 1) withEvent.add(patient[j] ?? -1);
  });
  const red = set.redFlags[s] ?? null;
  return {
    keep: Int32Array.from(keep),
    values: pick(all, (n) => new Float64Array(n)),
    labels,
    cluster: pick(set.cluster, (n) => new Int32Array(n)),
    patient,
    probabilities: pick(set.probabilities[s] ?? new Float64Array(all.length).fill(Number.NaN), (n) => new Float64Array(n)),
    redFlag: red === null ? null : pick(red, (n) => new Float64Array(n)),
    positives,
    incomplete: all.length - keep.length,
    basis: { patients: withEvent.size, events: positives },
  };
}
