/**
 * Table 1 proper: who was analysed — age, sex, ethnicity, admission type and comorbidities per encounter, and each
 * score input per observation set — overall, by outcome and by group. Continuous variables get the median and
 * quartiles (type 7, as R's default) of the recorded values and the share missing; categorical ones a count and
 * share per level. Everything is read from the `characteristics` count table (`characteristic-counts.ts`): counts per
 * distinct value (vitals are recorded at chart precision, so there are few), so the engines' tables, counted where
 * the data lives, give the same Table 1.
 */
import { FIELDS } from '../../scores/definition/schema.js';
import type { FieldName } from '../../scores/definition/schema.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { CategoryCell, CharacteristicRow, CharacteristicsSection, ContinuousCell, Cell, FlowCounts, FlowSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import type { Disclosure } from '../disclosure/disclosure.js';
import type { Settings } from './options.js';
import { missingInputsOf } from './flow.js';
import type { CharacteristicCountTable, CharacteristicUnit, VariableColumns } from './characteristic-counts.js';
import { characteristicCounts, tableColumns, variableColumns } from './characteristic-counts.js';

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

/** A unit's column totals: the numbers, and their cells in the ledger. */
interface ColumnTotals {
  readonly n: readonly number[];
  readonly cells: readonly Cell<number>[];
}

/** A continuous variable's row: per column, the median and quartiles of the recorded values and the share missing. */
function continuousRow(vc: VariableColumns, totals: ColumnTotals, sdc: Disclosure, relate: ColumnRelations, missingOf: MissingCells): CharacteristicRow {
  const distinct = Float64Array.from(vc.values as readonly number[]);
  const table = { table: 'characteristics' };
  const missingCells: number[] = [];
  const cells = vc.counts.map((counts, col): ContinuousCell => {
    const total = totals.n[col] ?? 0;
    let recorded = 0;
    for (const n of counts) recorded += n;
    // The units without a value are a count of the table, shown as their share of the column (the share released
    // only with the count). The units with a value are not shown: their count would tie the two to the column's total,
    // and a small missing count would take the median with it.
    const m = sdc.inner(total - recorded, table);
    missingCells.push(m);
    sdc.atLeastSum(totals.cells[col], [m]);
    const missing = sdc.release(
      total === 0 ? 0 : (total - recorded) / total,
      { counts: [total - recorded] },
      {
        ...table,
        dependsOn: [m, totals.cells[col]],
      },
    );
    if (recorded === 0) return { quartiles: null, missing };
    const q = (p: number) => quantileFromCounts(distinct, counts, p);
    // A quantile of few patients' values points at those patients: released only from enough of them (the missing
    // share beside it is decided on its own).
    return { quartiles: sdc.release({ median: q(0.5), q1: q(0.25), q3: q(0.75) }, { patients: vc.patients[col] ?? 0, counts: [recorded] }, table), missing };
  });
  relate(missingCells);
  missingOf.set(vc.variable, missingCells);
  return { variable: vc.variable, level: null, cells };
}

/** A categorical variable's rows: per level (not recorded last) and column, a count and its share of the column. */
function categoricalRows(vc: VariableColumns, totals: ColumnTotals, sdc: Disclosure, relate: ColumnRelations, missingOf: MissingCells): CharacteristicRow[] {
  const table = { table: 'characteristics' };
  const countCells = vc.values.map((_, l) => vc.counts.map((counts) => sdc.inner(counts[l] ?? 0, table)));
  // Each column's levels add up to its units; each level's columns relate as the columns do.
  totals.cells.forEach((total, col) =>
    sdc.relation(
      total,
      countCells.map((row) => row[col]),
    ),
  );
  countCells.forEach(relate);
  vc.values.forEach((value, l) => {
    if (value === null) missingOf.set(vc.variable, countCells[l] ?? []);
  });
  return vc.values.map((value, l) => ({
    variable: vc.variable,
    level: value === null ? MISSING_LEVEL : String(value),
    cells: vc.counts.map((counts, col): Cell<CategoryCell> => {
      const n = counts[l] ?? 0;
      const total = totals.n[col] ?? 0;
      const cell = countCells[l]?.[col] ?? n;
      return sdc.release({ n: cell, share: total === 0 ? 0 : n / total }, { counts: [n] }, { ...table, dependsOn: [cell, totals.cells[col]] });
    }),
  }));
}

const MISSING_LEVEL = '(missing)';

/**
 * Table 1 from its count table, through the ledger: columns Overall, Event, No event and each group; the encounters'
 * characteristics and the sets' score inputs. `setTotal` gives a column's sets as an existing cell (validate's flow:
 * the same cells, related there), else a count of its own; `relateSetTotals` declares the sets' column totals'
 * relations here (when the flow has not); `afterSets` runs between the sets' rows and the encounters' (validate relates
 * the inputs' missing counts to its flow there). Runs in O(cells · columns).
 */
export function characteristicsFromCounts(
  table: CharacteristicCountTable,
  sdc: Disclosure,
  options: {
    readonly setTotal?: (column: string, k: number) => Cell<number> | undefined;
    readonly relateSetTotals?: boolean;
    readonly afterSets?: (missingOf: MissingCells, groupNames: readonly (readonly string[])[]) => void;
  } = {},
): CharacteristicsSection {
  const setTotal = options.setTotal ?? (() => undefined);
  const where = { table: 'characteristics' };
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
  const { columns, groupNames, totals, ungrouped } = tableColumns(table);
  const relateFor =
    (hasUngrouped: readonly boolean[]): ColumnRelations =>
    (cells) => {
      sdc.relation(cells[0], [cells[1], cells[2]]);
      let next = 3;
      groupNames.forEach((names, k) => {
        const parts = cells.slice(next, next + names.length);
        next += names.length;
        if (hasUngrouped[k] === true) sdc.remainder(cells[0], parts);
        else sdc.relation(cells[0], parts);
      });
    };
  // Sets: the study's analysis rows; their column totals may be the flow's cells.
  const sets: ColumnTotals = { n: totals.sets, cells: columns.map((c, k) => setTotal(c, k) ?? sdc.count(totals.sets[k] ?? 0, where)) };
  if (options.relateSetTotals === true) relateFor(ungrouped.sets)(sets.cells);
  const encounters: ColumnTotals = { n: totals.encounters, cells: totals.encounters.map((n) => sdc.count(n, where)) };
  const encounterRelations = relateFor(ungrouped.encounters);
  encounterRelations(encounters.cells);
  const setMissing: MissingCells = new Map();
  const encounterMissing: MissingCells = new Map();
  const describe = (unit: CharacteristicUnit): CharacteristicRow[] =>
    table.definition.variables
      .filter((v) => v.unit === unit)
      .flatMap((v) => {
        const vc = variableColumns(table, v, columns);
        const [t, relate, missingOf] = unit === 'sets' ? [sets, relateFor(ungrouped.sets), setMissing] : [encounters, encounterRelations, encounterMissing];
        return v.type === 'continuous' ? [continuousRow(vc, t, sdc, relate, missingOf)] : categoricalRows(vc, t, sdc, relate, missingOf);
      });
  const setRows = describe('sets');
  options.afterSets?.(setMissing, groupNames);
  return { columns, totals: { encounters: encounters.cells, sets: sets.cells }, encounters: describe('encounters'), sets: setRows };
}

/** Table 1 of the study, read from its count table (`characteristicCounts`). Runs in O(n · (variables + columns)). */
export function characteristics(settings: Settings, set: AnalysisSet, flow: FlowSection): CharacteristicsSection {
  const table = characteristicCounts(settings, set);
  const by = table.definition.groupBy;
  // The sets' column totals are the flow's labelled sets (the same cells), by outcome and group.
  const flowCell = (column: string, k: number): Cell<number> | undefined => {
    if (k === 0) return flow.labelled.sets;
    if (k === 1) return flow.labelled.positive ?? undefined;
    if (k === 2) return flow.labelled.negative ?? undefined;
    for (const b of by) if (column.startsWith(`${b}: `)) return flow.labelled.byGroup[b]?.[column.slice(b.length + 2)];
    return undefined;
  };
  return characteristicsFromCounts(table, settings.disclosure, {
    setTotal: flowCell,
    afterSets: (missingOf, groupNames) =>
      relateToFlow(
        settings,
        flow,
        by.map((b, k) => ({ by: b, names: groupNames[k] ?? [] })),
        missingOf,
      ),
  });
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
