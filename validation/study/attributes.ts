/**
 * Attributes of each observation set, wherever the cohort keeps them: a column of the observations, else of the
 * patients table (joined by `patient_id`), else of the encounters table (joined by `encounter_id`). Groupings,
 * Table 1 and the flow read them through here.
 */
import type { Table } from 'apache-arrow';
import { columnValues } from './analysis-set.js';
import { arqueroTable } from './columns.js';
import type { CohortTables } from './options.js';

/** `column` joined from `table` onto every scored row by `key`, or null when either table lacks a column. */
function joined(scored: Table, table: Table | undefined, key: string, column: string): unknown[] | null {
  if (table === undefined || table.getChild(key) === null || table.getChild(column) === null || scored.getChild(key) === null) return null;
  return arqueroTable(scored, [key])
    .lookup(arqueroTable(table, [key, column]), key, column)
    .array(column) as unknown[];
}

/**
 * The value of `column` for every scored row, or null when no table of the cohort has it. Runs in O(n).
 *
 * @example rowAttribute('admission_type', scored, cohort); // from the encounters table
 */
export function rowAttribute(column: string, scored: Table, cohort: Pick<CohortTables, 'patients' | 'encounters'>): unknown[] | null {
  return columnValues(scored, column) ?? joined(scored, cohort.patients, 'patient_id', column) ?? joined(scored, cohort.encounters, 'encounter_id', column);
}
