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
import type { CategoryCell, CharacteristicRow, CharacteristicsSection, ContinuousCell, Cell, FlowCounts, FlowSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { attributeAt, numbersAt, valuesAt } from './attributes.js';
import type { Disclosure } from '../disclosure/disclosure.js';
import type { Settings } from './options.js';
import { missingInputsOf } from './flow.js';
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
  /** Per column, its number of units: a count cell of the report. */
  readonly totals: readonly Cell<number>[];
}

/** Per variable, its count of units without a value in each column (the cells). */
type MissingCells = Map<string, readonly unknown[]>;

/**
 * The relations between the columns of one row of counts: Overall = Event + No event, and Overall = the sum of
 * each grouping's groups (with the units of no group, not shown, when there are any).
 */
type ColumnRelations = (cells: readonly unknown[]) => void;

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

/** Distinct patients among the units of a column that pass `keep`: a stamp per patient, no set. */
function patientsOf(units: Units, members: readonly number[], keep: (u: number) => boolean, stamp: Int32Array, mark: number): number {
  let n = 0;
  for (const u of members) {
    if (!keep(u)) continue;
    const p = units.patient[u] ?? 0;
    if (stamp[p] !== mark) {
      stamp[p] = mark;
      n++;
    }
  }
  return n;
}

let nextMark = 0;

/** `x` holds one value per unit (NaN where missing). */
function continuousRow(
  variable: string,
  x: Float64Array,
  units: Units,
  sdc: Disclosure,
  stamp: Int32Array,
  relate: ColumnRelations,
  missingOf: MissingCells,
): CharacteristicRow {
  // Code each value by its rank among the distinct values: one map lookup per unit, then a sort of the few distinct.
  const firstSeen = new Map<number, number>();
  const code = new Int32Array(x.length).fill(-1);
  x.forEach((v, u) => {
    if (Number.isNaN(v)) return;
    let c = firstSeen.get(v);
    if (c === undefined) firstSeen.set(v, (c = firstSeen.size));
    code[u] = c;
  });
  const distinct = Float64Array.from(firstSeen.keys()).sort();
  const rank = new Int32Array(distinct.length);
  distinct.forEach((v, j) => {
    rank[firstSeen.get(v) ?? 0] = j;
  });
  for (let u = 0; u < code.length; u++) if ((code[u] ?? -1) >= 0) code[u] = rank[code[u] ?? 0] ?? 0;
  const table = { table: 'characteristics' };
  const missingCells: number[] = [];
  const cells = units.members.map((members, col): ContinuousCell => {
    const counts = new Float64Array(distinct.length);
    let recorded = 0;
    for (const u of members) {
      const j = code[u] ?? -1;
      if (j < 0) continue;
      counts[j] = (counts[j] ?? 0) + 1;
      recorded++;
    }
    // The units without a value are a count of the table, shown as their share of the column (the share released
    // only with the count). The units with a value are not shown: their count would tie the two to the column's total,
    // and a small missing count would take the median with it.
    const m = sdc.inner(members.length - recorded, table);
    missingCells.push(m);
    sdc.atLeastSum(units.totals[col], [m]);
    const missing = sdc.release(
      members.length === 0 ? 0 : (members.length - recorded) / members.length,
      { counts: [members.length - recorded] },
      {
        ...table,
        dependsOn: [m, units.totals[col]],
      },
    );
    if (recorded === 0) return { quartiles: null, missing };
    const patients = patientsOf(units, members, (u) => (code[u] ?? -1) >= 0, stamp, ++nextMark);
    const q = (p: number) => quantileFromCounts(distinct, counts, p);
    // A quantile of few patients' values points at those patients: released only from enough of them (the missing
    // share beside it is decided on its own).
    return { quartiles: sdc.release({ median: q(0.5), q1: q(0.25), q3: q(0.75) }, { patients, counts: [recorded] }, table), missing };
  });
  relate(missingCells);
  missingOf.set(variable, missingCells);
  return { variable, level: null, cells };
}

/** `values` holds one value per unit. */
function categoricalRows(
  variable: string,
  values: readonly unknown[],
  units: Units,
  sdc: Disclosure,
  relate: ColumnRelations,
  missingOf: MissingCells,
): CharacteristicRow[] {
  const codeOf = new Map<unknown, number>();
  const code = Int32Array.from(values, (v) => {
    const key = v === null || v === undefined ? null : v;
    let c = codeOf.get(key);
    if (c === undefined) codeOf.set(key, (c = codeOf.size));
    return c;
  });
  const levelOf = (v: unknown): string => (v === null ? MISSING_LEVEL : String(v));
  const levels = [...codeOf].sort(([a], [b]) => {
    const la = levelOf(a);
    const lb = levelOf(b);
    return la === MISSING_LEVEL ? 1 : lb === MISSING_LEVEL ? -1 : la < lb ? -1 : la > lb ? 1 : 0;
  });
  // One pass per column: units per level.
  const perColumn = units.members.map((members) => {
    const n = new Float64Array(codeOf.size);
    for (const u of members) {
      const c = code[u] ?? 0;
      n[c] = (n[c] ?? 0) + 1;
    }
    return { n, total: members.length };
  });
  const table = { table: 'characteristics' };
  const countCells = levels.map(([, c]) => perColumn.map(({ n }) => sdc.inner(n[c] ?? 0, table)));
  // Each column's levels add up to its units; each level's columns relate as the columns do.
  units.totals.forEach((total, col) =>
    sdc.relation(
      total,
      countCells.map((row) => row[col]),
    ),
  );
  countCells.forEach(relate);
  levels.forEach(([value], l) => {
    if (value === null) missingOf.set(variable, countCells[l] ?? []);
  });
  return levels.map(([value, c], l) => ({
    variable,
    level: levelOf(value),
    cells: perColumn.map(({ n: counts, total }, col): Cell<CategoryCell> => {
      const n = counts[c] ?? 0;
      const cell = countCells[l]?.[col] ?? n;
      return sdc.release({ n: cell, share: total === 0 ? 0 : n / total }, { counts: [n] }, { ...table, dependsOn: [cell, units.totals[col]] });
    }),
  }));
}

/** Table 1 of the study. Runs in O(n · (variables + columns)). */
export function characteristics(settings: Settings, set: AnalysisSet, flow: FlowSection): CharacteristicsSection {
  const sdc = settings.disclosure;
  const table = { table: 'characteristics' };
  sdc.declareTable({
    name: 'characteristics',
    dimensions: [
      'unit (encounters, observation sets)',
      'variable and level (a count per level; for a continuous variable, sets with a value and without)',
      'column (overall, event, no event, each group)',
    ],
    margins:
      "each column's levels add up to its units; event + no event = overall, and each grouping's groups add up to the overall (with units of no group, not shown); a continuous variable's sets with a value and without add up to the column's",
  });
  sdc.link('characteristics', 'flow', "the sets' column totals are the flow's labelled sets, by outcome and group (the same cells)");
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

  /** Units of no group, per grouping (not in any group column). */
  const ungrouped = (rows: readonly number[]) => groupings.map(({ labels }) => rows.some((i) => labels[i] === null || labels[i] === undefined));
  const relateFor =
    (hasUngrouped: readonly boolean[]): ColumnRelations =>
    (cells) => {
      sdc.relation(cells[0], [cells[1], cells[2]]);
      let next = 3;
      groupings.forEach(({ names }, k) => {
        const parts = cells.slice(next, next + names.length);
        next += names.length;
        if (hasUngrouped[k] === true) sdc.remainder(cells[0], parts);
        else sdc.relation(cells[0], parts);
      });
    };

  // Sets: the study's analysis rows; their column totals are the flow's labelled sets (the same cells).
  const setMembers = membersOf(set.rows, (u) => set.labels[u] === 1);
  const sets: Units = {
    rows: set.rows,
    patient: set.patient,
    members: setMembers,
    totals: [
      flow.labelled.sets,
      flow.labelled.positive ?? sdc.count(setMembers[1]?.length ?? 0, table),
      flow.labelled.negative ?? sdc.count(setMembers[2]?.length ?? 0, table),
      ...groupings.flatMap(({ by, names }) => names.map((g, j) => flow.labelled.byGroup[by]?.[g] ?? sdc.count(setMembers[3 + j]?.length ?? 0, table))),
    ],
  };
  const setRelations = relateFor(ungrouped(set.rows));
  // Encounters: each analysed encounter once, at its first analysed set; "event" when any of its sets is positive.
  const encounterIds = valuesAt(set.scored, 'encounter_id', set.rows) ?? [];
  const first = new Map<string, number>();
  const withEvent = new Set<string>();
  set.rows.forEach((_, k) => {
    const e = String(encounterIds[k]);
    if (!first.has(e)) first.set(e, k);
    if (set.labels[k] === 1) withEvent.add(e);
  });
  const firstRows = [...first.values()];
  const encounterRows = firstRows.map((k) => set.rows[k] ?? -1);
  const encounterMembers = membersOf(encounterRows, (u) => withEvent.has(String(encounterIds[firstRows[u] ?? -1])));
  const encounters: Units = {
    rows: encounterRows,
    patient: firstRows.map((k) => set.patient[k] ?? -1),
    members: encounterMembers,
    totals: encounterMembers.map((m) => sdc.count(m.length, table)),
  };
  const encounterRelations = relateFor(ungrouped(encounterRows));
  encounterRelations(encounters.totals);

  const stamp = new Int32Array(set.patients);
  const setMissing: MissingCells = new Map();
  const encounterMissing: MissingCells = new Map();
  const describe = (variable: string, type: 'continuous' | 'categorical', units: Units): CharacteristicRow[] => {
    const relate = units === sets ? setRelations : encounterRelations;
    const missingOf = units === sets ? setMissing : encounterMissing;
    if (type === 'continuous') {
      const own = numbersAt(set.scored, variable, units.rows);
      const values = own ?? attributeAt(variable, set.scored, units.rows, settings.cohort);
      if (values === null) return [];
      const x = values instanceof Float64Array ? values : Float64Array.from(values, (v) => (typeof v === 'number' ? v : Number.NaN));
      return [continuousRow(variable, x, units, sdc, stamp, relate, missingOf)];
    }
    const values = attributeAt(variable, set.scored, units.rows, settings.cohort);
    return values === null ? [] : categoricalRows(variable, values, units, sdc, relate, missingOf);
  };
  const inputs = [...new Set(settings.scores.flatMap((d) => kindOf(d).fields(d)))].map((f) => FIELDS[f as FieldName]).filter((f) => f !== undefined);
  const setRows = inputs.flatMap((f) => describe(f.column, f.kind === 'numeric' ? 'continuous' : 'categorical', sets));
  relateToFlow(settings, flow, groupings, setMissing);
  return {
    columns,
    totals: { encounters: encounters.totals, sets: sets.totals },
    encounters: ENCOUNTER_VARIABLES.flatMap(([v, type]) => describe(v, type, encounters)),
    sets: setRows,
  };
}

/**
 * Table 1's sets without a value of a score's input, against the flow's sets that score cannot score, column by
 * column (overall, event, no event, each group): every set the flow excludes for a missing input (a reason that names
 * it) lacks it, so the input's missing sets are at least their sum; and under the complete-case policy every set
 * lacking an input the score requires (no fallback, no imputation) is excluded — for that input or, first, for a flagged value (or "not scored") — so
 * they are at most that sum with the flagged ones added.
 */
function relateToFlow(
  settings: Settings,
  flow: FlowSection,
  groupings: readonly { by: string | readonly string[]; names: readonly string[] }[],
  missingOf: MissingCells,
): void {
  const sdc = settings.disclosure;
  const columnOf = (c: FlowCounts): unknown[] => [
    c.sets,
    c.positive,
    c.negative,
    ...groupings.flatMap(({ by, names }) => names.map((g) => c.byGroup[String(by)]?.[g])),
  ];
  settings.scores.forEach((d, s) => {
    const excluded = flow.scores[s]?.excluded ?? [];
    const unexplained = excluded.filter((x) => missingInputsOf(x.reason).length === 0);
    const required = new Set(kindOf(d).requiredFields(d));
    for (const field of kindOf(d).fields(d)) {
      const column = FIELDS[field as FieldName]?.column;
      const cells = column === undefined ? undefined : missingOf.get(column);
      if (cells === undefined) continue;
      const naming = excluded.filter((x) => missingInputsOf(x.reason).includes(column as string));
      const analysed = flow.scores[s]?.analysed;
      cells.forEach((m, k) => {
        const parts = naming.map((x) => columnOf(x)[k]);
        sdc.atLeastSum(m, parts);
        if (settings.missing !== 'none' || !required.has(field) || analysed === undefined) return;
        // A group's column: the flow counts a score's exclusions by group only in total (labelled − analysed).
        if (k >= 3) sdc.atLeastSum(columnOf(flow.labelled)[k], [m, columnOf(analysed)[k]]);
        else sdc.atMostSum(m, [...parts, ...unexplained.map((x) => columnOf(x)[k])]);
      });
    }
  });
}
