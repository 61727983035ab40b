/**
 * Stage 6 of `validate`: Table 1 — patients, encounters, sets, events, exclusions, follow-up, where the data came
 * from, and the share of missing values per input column.
 */
import * as aq from 'arquero';
import { sum } from 'simple-statistics';
import type { CohortSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { columnValues } from './analysis-set.js';
import { arqueroTable } from './columns.js';
import type { Settings } from './options.js';

const DAY_MS = 86_400_000;

/** The vital-sign and laboratory columns whose missingness Table 1 reports (when present). */
const REPORTED_COLUMNS = [
  'respiratory_rate',
  'spo2',
  'on_oxygen',
  'systolic_bp',
  'heart_rate',
  'consciousness',
  'temperature',
  'lactate',
  'creatinine',
  'white_cell_count',
];

/** Table 1 of the study. Runs in O(n). */
export function cohortTable(settings: Settings, set: AnalysisSet): CohortSection {
  const { cohort, disclosure: sdc } = settings;
  const { scored, labelled } = set;
  const distinct = arqueroTable(scored, ['patient_id', 'encounter_id']).rollup({
    patients: aq.op.distinct('patient_id'),
    encounters: aq.op.distinct('encounter_id'),
  });
  const eventTypes = columnValues(cohort.events, 'event_type') ?? [];
  const wanted = settings.outcome.eventTypes;
  const events = eventTypes.filter((t) => wanted === undefined || wanted.includes(String(t))).length;
  const missingness: Record<string, number> = {};
  for (const column of REPORTED_COLUMNS) {
    const v = scored.getChild(column);
    if (v !== null) missingness[column] = v.nullCount / Math.max(1, scored.numRows);
  }
  let followUpDays: number | null = null;
  if (cohort.encounters !== undefined) {
    const a = columnValues(cohort.encounters, 'admitted_at');
    const d = columnValues(cohort.encounters, 'discharged_at');
    if (a !== null && d !== null) followUpDays = sum(a.map((t, i) => (Number(d[i]) - Number(t)) / DAY_MS)); // compensated summation
  }
  const m = cohort.manifest;
  return {
    patients: sdc.count(Number(distinct.get('patients', 0))),
    encounters: sdc.count(Number(distinct.get('encounters', 0))),
    observationSets: sdc.count(scored.numRows),
    analysedSets: sdc.count(set.rows.length),
    events: sdc.count(events),
    positiveSets: sdc.count(set.positives),
    excludedAfterEvent: sdc.count(labelled.excludedAfterEvent),
    censored: sdc.count(labelled.censored),
    excludedBeforeEvent: sdc.count(labelled.excludedBeforeEvent),
    excludedIncomplete: sdc.count(set.rows.filter((_, k) => set.values.some((v) => !Number.isFinite(v[k] ?? NaN))).length),
    followUpDays: followUpDays === null ? null : Math.round(followUpDays * 10) / 10,
    source: m === undefined || m === null ? null : `synthetic ${m.profile?.name ?? ''} cohort, seed ${m.seed}, generator ${m.generatorVersion}`,
    missingness,
    joins: {
      unmatchedEvents: sdc.count(set.joins.unmatchedEvents),
      setsWithoutPatient: set.joins.setsWithoutPatient === null ? null : sdc.count(set.joins.setsWithoutPatient),
    },
  };
}
