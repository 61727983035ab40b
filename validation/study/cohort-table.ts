/**
 * Stage 6 of `validate`: Table 1 — patients, encounters, sets, events, exclusions, follow-up, where the data came
 * from, and the share of missing values per input column.
 */
import { sum } from 'simple-statistics';
import type { Cell, CohortSection, FlowSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { columnValues } from './analysis-set.js';
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

/**
 * Table 1 of the study. Its counts are the flow's own cells where they are the same number (the same cell in both
 * tables, so both are released or suppressed together), and the outcomes' composite event count. Runs in O(n).
 */
export function cohortTable(settings: Settings, set: AnalysisSet, flow: FlowSection, events: Cell<number>): CohortSection {
  const { cohort, disclosure: sdc } = settings;
  const { scored, labelled } = set;
  const table = { table: 'cohort' };
  sdc.declareTable({
    name: 'cohort',
    dimensions: ['characteristic of the cohort (one count each)'],
    margins: 'the censored sets are the sum of the flow’s two censoring steps; its patients, encounters, sets and exclusions are the flow’s own cells',
  });
  sdc.link(
    'cohort',
    'flow',
    'Table 1’s counts are the flow’s cells where they are the same number; its censored sets are the sum of the flow’s censoring steps',
  );
  const step = (reason: string): Cell<number> => flow.excluded.find((x) => x.reason === reason)?.sets ?? sdc.count(0, table);
  // Censored sets left out: the flow's two steps (at discharge, at the extract's end), their sum declared.
  const censoredSteps = (): Cell<number> => {
    const parts = ['censored at discharge', 'censored at the extract end'].flatMap((r) => flow.excluded.find((x) => x.reason === r)?.sets ?? []);
    const total = sdc.count(labelled.censored, table);
    if (parts.length > 0) sdc.relation(total, parts);
    return total;
  };
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
  // Reading counts of an extract, each table of them declared with its relations (read = kept + rejected; rejected =
  // the sum of its reasons), so no suppressed count can be recovered by subtraction.
  const reading = Object.entries(cohort.reading ?? {}).map(([name, r]) => {
    const t = { table: `reading: ${name}` };
    sdc.declareTable({
      name: t.table,
      dimensions: ['records (read, kept, rejected)', 'reason of rejection'],
      margins: 'read = kept + rejected; rejected = the sum of its reasons',
    });
    const row = {
      table: name,
      read: sdc.count(r.read, t),
      kept: sdc.count(r.kept, t),
      rejected: sdc.count(r.rejected, t),
      byReason: Object.fromEntries(Object.entries(r.byReason).map(([why, n]) => [why, sdc.count(n, t)])),
    };
    sdc.relation(row.read, [row.kept, row.rejected]);
    if (Object.keys(row.byReason).length > 0) sdc.relation(row.rejected, Object.values(row.byReason));
    return row;
  });
  return {
    patients: flow.extract.patients,
    encounters: flow.extract.encounters,
    observationSets: flow.extract.sets,
    analysedSets: flow.labelled.sets,
    events,
    positiveSets: flow.labelled.positive ?? sdc.count(set.positives, table),
    excludedAfterEvent: step('at or after the event'),
    // Counted negative (option censored: 'negative'), censored sets are not a step of the flow.
    censored: settings.outcome.censored === 'negative' ? sdc.count(labelled.censored, table) : censoredSteps(),
    dischargedNegatives: sdc.count(labelled.dischargedNegatives, table),
    competingNegatives: sdc.count(labelled.competingNegatives, table),
    openEncounters: sdc.count(labelled.openEncounters, table),
    excludedBeforeEvent: step('shortly before the event'),
    excludedIncomplete: sdc.count(set.rows.filter((_, k) => set.values.some((v) => !Number.isFinite(v[k] ?? NaN))).length, table),
    followUpDays: followUpDays === null ? null : Math.round(followUpDays * 10) / 10,
    source: m === undefined || m === null ? null : `synthetic ${m.profile?.name ?? ''} cohort, seed ${m.seed}, generator ${m.generatorVersion}`,
    missingness,
    joins: {
      unmatchedEvents: sdc.count(set.joins.unmatchedEvents, table),
      setsWithoutPatient: set.joins.setsWithoutPatient === null ? null : sdc.count(set.joins.setsWithoutPatient, table),
    },
    reading,
  };
}
