/**
 * Table 1 proper: who was analysed — age, sex, ethnicity, admission type and comorbidities per encounter, and each
 * score input per observation set — overall, by outcome and by group. Continuous variables get the median and
 * quartiles (type 7, as R's default) of the recorded values and the share missing; categorical ones a count and
 * share per level. Quantiles are read from counts per distinct value (vitals are recorded at chart precision, so
 * there are few), one pass per variable whatever the number of columns.
 */
import { FIELDS } from '../../scores/definition/schema.js';
import type { FieldName } from '../../scores/definition/schema.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { CategoryCell, CharacteristicRow, CharacteristicsSection, ContinuousCell, Cell } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { rowAttribute } from './attributes.js';
import type { Disclosure } from './disclosure.js';
import type { Settings } from './options.js';
import { groupLabels } from './subgroups.js';

/** Encounter characteristics, when the cohort has them: the column and whether it is continuous. */
const ENCOUNTER_VARIABLES: readonly (readonly [string, 'continuous' | 'categorical'])[] = [
  ['age', 'continuous'],
  ['sex', 'categorical'],
  ['ethnicity', 'categorical'],
  ['admission_type', 'categorical'],
  ['comorbidity_count', 'continuous'],
];

const MISSING_LEVEL = '(missing)';

/** The units a table describes (encounters or sets), as scored-row indices, and the columns' members among them. */
interface Units {
  /** Scored-row index of each unit (for an encounter, its first analysed set). */
  readonly rows: readonly number[];
  /** Patient number of each unit. */
  readonly patient: ArrayLike<number>;
  /** Per column, the units in it. */
  readonly members: readonly (readonly number[])[];
}

/**
 * The type-7 quantile of values given as counts per sorted distinct value, or NaN when there are none.
 *
 * @example quantileFromCounts([1, 2, 4], [2, 1, 1], 0.5); // the values 1 1 2 4 → 1.5
 */
export function quantileFromCounts(sortedValues: ArrayLike<number>, counts: ArrayLike<number>, prob: number): number {
  let n = 0;
  for (let j = 0; j < counts.length; j++) n += counts[j] ?? 0;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * prob;
  const lo = Math.floor(h);
  const at = (rank: number): number => {
    let seen = 0;
    for (let j = 0; j < counts.length; j++) {
      seen += counts[j] ?? 0;
      if (rank < seen) return sortedValues[j] ?? Number.NaN;
    }
    return sortedValues[sortedValues.length - 1] ?? Number.NaN;
  };
  const a = at(lo);
  return h === lo ? a : a + (h - lo) * (at(lo + 1) - a);
}

function continuousRow(variable: string, values: readonly unknown[], units: Units, sdc: Disclosure): CharacteristicRow {
  const x = units.rows.map((i) => {
    const v = values[i];
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number.NaN;
  });
  const distinct = Float64Array.from(new Set(x.filter((v) => Number.isFinite(v)))).sort();
  const id = new Map<number, number>();
  distinct.forEach((v, j) => id.set(v, j));
  const code = Int32Array.from(x, (v) => id.get(v) ?? -1);
  const cells = units.members.map((members): Cell<ContinuousCell> => {
    const counts = new Float64Array(distinct.length);
    let recorded = 0;
    const patients = new Set<number>();
    for (const u of members) {
      const j = code[u] ?? -1;
      if (j < 0) continue;
      counts[j] = (counts[j] ?? 0) + 1;
      recorded++;
      patients.add(units.patient[u] ?? -1);
    }
    const missing = members.length === 0 ? 0 : (members.length - recorded) / members.length;
    if (recorded === 0) return { n: 0, median: null, q1: null, q3: null, missing };
    const q = (p: number) => quantileFromCounts(distinct, counts, p);
    // A quantile of few patients' values points at those patients: released only from enough of them.
    return sdc.release({ n: recorded, median: q(0.5), q1: q(0.25), q3: q(0.75), missing }, { patients: patients.size, counts: [recorded] });
  });
  return { variable, level: null, cells };
}

function categoricalRows(variable: string, values: readonly unknown[], units: Units, sdc: Disclosure): CharacteristicRow[] {
  const labels = units.rows.map((i) => {
    const v = values[i];
    return v === null || v === undefined ? MISSING_LEVEL : String(v);
  });
  const levels = [...new Set(labels)].sort((a, b) => (a === MISSING_LEVEL ? 1 : b === MISSING_LEVEL ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return levels.map((level) => ({
    variable,
    level,
    cells: units.members.map((members): Cell<CategoryCell> => {
      let n = 0;
      for (const u of members) if (labels[u] === level) n++;
      return sdc.release({ n, share: members.length === 0 ? 0 : n / members.length }, { counts: [n] });
    }),
  }));
}

/** Table 1 of the study. Runs in O(n · (variables + columns)). */
export function characteristics(settings: Settings, set: AnalysisSet): CharacteristicsSection {
  const sdc = settings.disclosure;
  const groupings = settings.groupBy.map((by) => {
    const labels = groupLabels(by, set, settings.cohort, settings.skinToneBands);
    return { by, labels, names: [...new Set(set.rows.map((i) => labels[i]).filter((g): g is string => g !== null && g !== undefined))].sort() };
  });
  const columns = ['Overall', 'Event', 'No event', ...groupings.flatMap(({ by, names }) => names.map((g) => `${by}: ${g}`))];
  const membersOf = (rows: readonly number[], outcome: (u: number) => boolean): number[][] => {
    const all = rows.map((_, u) => u);
    return [
      all,
      all.filter((u) => outcome(u)),
      all.filter((u) => !outcome(u)),
      ...groupings.flatMap(({ labels, names }) => names.map((g) => all.filter((u) => labels[rows[u] ?? -1] === g))),
    ];
  };

  // Sets: the study's analysis rows.
  const sets: Units = { rows: set.rows, patient: set.patient, members: membersOf(set.rows, (u) => set.labels[u] === 1) };
  // Encounters: each analysed encounter once, at its first analysed set; "event" when any of its sets is positive.
  const encounterIds = rowAttribute('encounter_id', set.scored, {}) ?? [];
  const first = new Map<string, number>();
  const withEvent = new Set<string>();
  set.rows.forEach((i, k) => {
    const e = String(encounterIds[i]);
    if (!first.has(e)) first.set(e, k);
    if (set.labels[k] === 1) withEvent.add(e);
  });
  const firstRows = [...first.values()];
  const encounterRows = firstRows.map((k) => set.rows[k] ?? -1);
  const encounters: Units = {
    rows: encounterRows,
    patient: firstRows.map((k) => set.patient[k] ?? -1),
    members: membersOf(encounterRows, (u) => withEvent.has(String(encounterIds[encounterRows[u] ?? -1]))),
  };

  const describe = (variable: string, type: 'continuous' | 'categorical', units: Units): CharacteristicRow[] => {
    const values = rowAttribute(variable, set.scored, settings.cohort);
    if (values === null) return [];
    return type === 'continuous' ? [continuousRow(variable, values, units, sdc)] : categoricalRows(variable, values, units, sdc);
  };
  const inputs = [...new Set(settings.scores.flatMap((d) => kindOf(d).fields(d)))].map((f) => FIELDS[f as FieldName]).filter((f) => f !== undefined);
  return {
    columns,
    encounters: ENCOUNTER_VARIABLES.flatMap(([v, type]) => describe(v, type, encounters)),
    sets: inputs.flatMap((f) => describe(f.column, f.kind === 'numeric' ? 'continuous' : 'categorical', sets)),
  };
}
