/**
 * Table 1 as a count table (`characteristics` in docs/design.md): for each unit (the analysed encounters, the analysed
 * sets) and variable, the units per (value, outcome, group) — a continuous variable's values kept as recorded (vitals
 * are charted at a fixed precision, ages in whole years, so the distinct values are few and the medians and quartiles
 * read from the counts are exact), a categorical one's levels as text — with each column's units and, for a continuous
 * variable, its patients with a value (the quartiles' disclosure basis). Computed here from a cohort in memory, by the
 * engines in SQL (`validation/engine/study-sql.ts`); tables of disjoint sets of patients add (`addCharacteristicCounts`).
 *
 * An encounter is described at its first analysed set (the earliest; in time ties, the first row here — the engines
 * break such ties by the values, see docs/engines.md) and is an event encounter when any of its analysed sets is
 * positive.
 */
import { FIELDS } from '../../scores/definition/schema.js';
import type { FieldName } from '../../scores/definition/schema.js';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { observationKeys } from '../outcomes/label-outcomes.js';
import type { AnalysisSet } from './analysis-set.js';
import { attributeAt, numbersAt, valuesAt } from './attributes.js';
import type { Settings } from './options.js';
import { groupLabels } from './subgroups.js';

/** The units a characteristic describes. */
export type CharacteristicUnit = 'encounters' | 'sets';

/** A variable of Table 1: its unit, column and type. */
export interface CharacteristicVariable {
  readonly unit: CharacteristicUnit;
  readonly variable: string;
  readonly type: 'continuous' | 'categorical';
}

/** Encounter characteristics, when the cohort has them: the column and whether it is continuous. */
export const ENCOUNTER_VARIABLES: readonly (readonly [string, 'continuous' | 'categorical'])[] = [
  ['age', 'continuous'],
  ['sex', 'categorical'],
  ['ethnicity', 'categorical'],
  ['admission_type', 'categorical'],
  ['comorbidity_count', 'continuous'],
];

/** The per-set variables of a study: each score input, numeric inputs continuous, the rest categorical (in first use order). */
export function setVariables(scores: readonly ScoreDefinition[]): CharacteristicVariable[] {
  return [...new Set(scores.flatMap((d) => kindOf(d).fields(d)))]
    .map((f) => FIELDS[f as FieldName])
    .filter((f) => f !== undefined)
    .map((f) => ({ unit: 'sets' as const, variable: f.column, type: f.kind === 'numeric' ? ('continuous' as const) : ('categorical' as const) }));
}

/** Units with one value of one variable, in one outcome and one group of each grouping. */
export interface CharacteristicCountRow {
  readonly unit: CharacteristicUnit;
  readonly variable: string;
  /** A continuous variable's value, a categorical one's level as text; null when not recorded. */
  readonly value: number | string | null;
  /** 1 for an event set (an encounter with an event set), else 0. */
  readonly outcome: 0 | 1;
  /** The unit's group in each grouping of `definition.groupBy`, null when it has none. */
  readonly groups: readonly (string | null)[];
  readonly units: number;
}

/** Units per outcome and group combination: the columns' totals. */
export interface CharacteristicTotalRow {
  readonly unit: CharacteristicUnit;
  readonly outcome: 0 | 1;
  readonly groups: readonly (string | null)[];
  readonly units: number;
}

/** Distinct patients among a column's units with a value of a continuous variable. */
export interface CharacteristicPatientsRow {
  readonly unit: CharacteristicUnit;
  readonly variable: string;
  /** "Overall", "Event", "No event" or "<grouping>: <group>" (the section's column names). */
  readonly column: string;
  readonly patients: number;
}

/** The `characteristics` count table. */
export interface CharacteristicCountTable {
  readonly definition: {
    readonly table: 'characteristics';
    readonly version: 1;
    readonly groupBy: readonly string[];
    /** The variables described, in the report's order (the encounters', then the sets'); absent columns left out. */
    readonly variables: readonly CharacteristicVariable[];
  };
  readonly rows: readonly CharacteristicCountRow[];
  readonly totals: readonly CharacteristicTotalRow[];
  readonly patients: readonly CharacteristicPatientsRow[];
}

/** The fixed columns of Table 1 before the groups'. */
export const FIXED_COLUMNS = ['Overall', 'Event', 'No event'] as const;

/** The column name of a group. */
export const groupColumn = (by: string, group: string): string => `${by}: ${group}`;

/** A unit's column memberships: Overall, its outcome's column, and its group in each grouping. */
function columnsOf(groupBy: readonly string[], outcome: 0 | 1, groups: readonly (string | null)[]): string[] {
  return [
    'Overall',
    outcome === 1 ? 'Event' : 'No event',
    ...groupBy.flatMap((by, k) => (groups[k] === null || groups[k] === undefined ? [] : [groupColumn(by, groups[k])])),
  ];
}

/** The type-correct value of a cell: a number for a continuous variable, text for a categorical one. */
const levelValue = (type: CharacteristicVariable['type'], v: unknown): number | string | null => {
  if (v === null || v === undefined) return null;
  if (type === 'continuous') {
    const x = typeof v === 'bigint' ? Number(v) : v;
    return typeof x === 'number' && !Number.isNaN(x) ? x : null;
  }
  return String(v);
};

/**
 * The study's `characteristics` table from a cohort in memory: every grouping of `settings.groupBy` (derived and
 * intersectional groupings included), the encounter variables the cohort has and every score input. Runs in
 * O(n · variables + cells).
 */
export function characteristicCounts(settings: Settings, set: AnalysisSet): CharacteristicCountTable {
  const groupBy = settings.groupBy.map(String);
  const labels = settings.groupBy.map((by) => groupLabels(by, set, settings.cohort, settings.skinToneBands));
  // Encounters: each at its first analysed set (earliest; ties in row order); an event when any of its sets is.
  const encounterIds = valuesAt(set.scored, 'encounter_id', set.rows) ?? [];
  const times = observationKeys('validate', set.scored).times;
  const first = new Map<string, number>();
  const withEvent = new Set<string>();
  set.rows.forEach((row, k) => {
    const e = String(encounterIds[k]);
    const f = first.get(e);
    if (f === undefined || (times[row] as number) < (times[set.rows[f] as number] as number)) first.set(e, k);
    if (set.labels[k] === 1) withEvent.add(e);
  });
  const firstRows = [...first.values()].sort((a, b) => a - b);
  const units = {
    sets: { rows: set.rows, positions: set.rows.map((_, k) => k), outcome: (u: number) => (set.labels[u] === 1 ? 1 : 0) as 0 | 1 },
    encounters: {
      rows: firstRows.map((k) => set.rows[k] as number),
      positions: firstRows,
      outcome: (u: number) => (withEvent.has(String(encounterIds[firstRows[u] as number])) ? 1 : 0) as 0 | 1,
    },
  };
  const rows: CharacteristicCountRow[] = [];
  const totals: CharacteristicTotalRow[] = [];
  const patients: CharacteristicPatientsRow[] = [];
  const variables: CharacteristicVariable[] = [];
  let marks = 0;
  for (const unit of ['encounters', 'sets'] as const) {
    const { rows: at, positions, outcome } = units[unit];
    // Each unit's combination of outcome and groups, coded once: each grouping's labels coded, then mixed radix.
    const coded = labels.map((l) => {
      const codeOf = new Map<string | null, number>();
      const names: (string | null)[] = [];
      const code = Int32Array.from(at, (row) => {
        const g = l[row] ?? null;
        let c = codeOf.get(g);
        if (c === undefined) {
          codeOf.set(g, (c = names.length));
          names.push(g);
        }
        return c;
      });
      return { code, names };
    });
    const comboOf = new Map<number, number>();
    const combos: { outcome: 0 | 1; groups: (string | null)[] }[] = [];
    const combo = Int32Array.from(at, (_, u) => {
      const o = outcome(u);
      let mixed = o;
      for (const { code, names } of coded) mixed = mixed * names.length + (code[u] as number);
      let c = comboOf.get(mixed);
      if (c === undefined) {
        comboOf.set(mixed, (c = combos.length));
        combos.push({ outcome: o, groups: coded.map(({ code, names }) => names[code[u] as number] ?? null) });
      }
      return c;
    });
    const perCombo = new Float64Array(combos.length);
    for (const c of combo) perCombo[c] = (perCombo[c] as number) + 1;
    combos.forEach((c, j) => totals.push({ unit, ...c, units: perCombo[j] as number }));
    // Each combination's columns (Overall, its outcome's, its groups'), as indices into `columns`.
    const columns: string[] = [];
    const columnIndex = new Map<string, number>();
    const comboColumns = combos.map((c) =>
      Int32Array.from(columnsOf(groupBy, c.outcome, c.groups), (name) => {
        let j = columnIndex.get(name);
        if (j === undefined) {
          columnIndex.set(name, (j = columns.length));
          columns.push(name);
        }
        return j;
      }),
    );
    const stamps = columns.map(() => new Int32Array(set.patients));
    const candidates: CharacteristicVariable[] =
      unit === 'encounters' ? ENCOUNTER_VARIABLES.map(([variable, type]) => ({ unit, variable, type })) : setVariables(settings.scores);
    for (const v of candidates) {
      const raw: ArrayLike<unknown> | null =
        v.type === 'continuous'
          ? (numbersAt(set.scored, v.variable, at) ?? attributeAt(v.variable, set.scored, at, settings.cohort))
          : attributeAt(v.variable, set.scored, at, settings.cohort);
      if (raw === null) continue;
      variables.push(v);
      // Each unit's value coded (one map lookup), then cells (value code × combination) counted in a typed array.
      const codeOf = new Map<number | string | null, number>();
      const values: (number | string | null)[] = [];
      const code = new Int32Array(at.length);
      for (let u = 0; u < at.length; u++) {
        const value = levelValue(v.type, raw[u]);
        let c = codeOf.get(value);
        if (c === undefined) {
          codeOf.set(value, (c = values.length));
          values.push(value);
        }
        code[u] = c;
      }
      const cells = new Float64Array(values.length * combos.length);
      for (let u = 0; u < at.length; u++) {
        const cell = (code[u] as number) * combos.length + (combo[u] as number);
        cells[cell] = (cells[cell] as number) + 1;
      }
      cells.forEach((n, cell) => {
        if (n === 0) return;
        const c = combos[cell % combos.length] as { outcome: 0 | 1; groups: (string | null)[] };
        rows.push({ unit, variable: v.variable, value: values[Math.floor(cell / combos.length)] ?? null, outcome: c.outcome, groups: c.groups, units: n });
      });
      if (v.type !== 'continuous') continue;
      // Patients with a value per column: a stamp per patient and column.
      const missingCode = codeOf.get(null) ?? -1;
      const recorded = columns.map(() => 0);
      const mark = ++marks;
      for (let u = 0; u < at.length; u++) {
        if (code[u] === missingCode) continue;
        const patient = set.patient[positions[u] as number] as number;
        for (const col of comboColumns[combo[u] as number] as Int32Array) {
          const stamp = stamps[col] as Int32Array;
          if (stamp[patient] !== mark) {
            stamp[patient] = mark;
            recorded[col] = (recorded[col] as number) + 1;
          }
        }
      }
      columns.forEach((column, col) => {
        if ((recorded[col] as number) > 0) patients.push({ unit, variable: v.variable, column, patients: recorded[col] as number });
      });
    }
  }
  return sortCharacteristicCounts({ definition: { table: 'characteristics', version: 1, groupBy, variables }, rows, totals, patients });
}

const key = (...parts: readonly unknown[]): string => JSON.stringify(parts);

/**
 * Two `characteristics` tables of disjoint sets of patients added: units per cell, column totals and patients with a
 * value add (no patient is in both). Runs in O(cells).
 *
 * @throws {TypeError} when the tables' groupings or variables differ, naming the field
 */
export function addCharacteristicCounts(a: CharacteristicCountTable, b: CharacteristicCountTable): CharacteristicCountTable {
  const fn = 'addCharacteristicCounts';
  if (key(a.definition.groupBy) !== key(b.definition.groupBy))
    throw new TypeError(`${fn}: the tables differ in "groupBy" (${key(a.definition.groupBy)} and ${key(b.definition.groupBy)}).`);
  const vars = (t: CharacteristicCountTable) => key(t.definition.variables.map((v) => [v.unit, v.variable, v.type]));
  if (vars(a) !== vars(b)) throw new TypeError(`${fn}: the tables differ in "variables" (${vars(a)} and ${vars(b)}).`);
  const add = <T extends { units?: number; patients?: number }>(xs: readonly T[], ys: readonly T[], id: (x: T) => string, field: 'units' | 'patients'): T[] => {
    const out = new Map<string, T>();
    for (const x of [...xs, ...ys]) {
      const k = id(x);
      const d = out.get(k);
      out.set(k, d === undefined ? x : { ...d, [field]: (d[field] as number) + (x[field] as number) });
    }
    return [...out.values()];
  };
  return sortCharacteristicCounts({
    definition: a.definition,
    rows: add(a.rows, b.rows, (r) => key(r.unit, r.variable, r.value, r.outcome, r.groups), 'units'),
    totals: add(a.totals, b.totals, (r) => key(r.unit, r.outcome, r.groups), 'units'),
    patients: add(a.patients, b.patients, (r) => key(r.unit, r.variable, r.column), 'patients'),
  });
}

/** One variable's counts per column of Table 1, read from the table: the distinct values (sorted), counts per column, patients with a value. */
export interface VariableColumns {
  readonly variable: string;
  readonly type: 'continuous' | 'categorical';
  /** Continuous: the distinct recorded values, ascending. Categorical: the levels (null, not recorded, last), sorted by name. */
  readonly values: readonly (number | string | null)[];
  /** Per column, units per value (the order of `values`). */
  readonly counts: readonly Float64Array[];
  /** Per column, its patients with a value (continuous only; 0 for a categorical variable). */
  readonly patients: readonly number[];
}

/** The columns of Table 1 (Overall, Event, No event, each group of each grouping: names sorted) and each column's units per unit. */
export function tableColumns(table: CharacteristicCountTable): {
  readonly columns: readonly string[];
  readonly groupNames: readonly (readonly string[])[];
  readonly totals: Readonly<Record<CharacteristicUnit, readonly number[]>>;
  /** Per unit and grouping, whether some unit has no group in it (the groups then add up to less than Overall). */
  readonly ungrouped: Readonly<Record<CharacteristicUnit, readonly boolean[]>>;
} {
  const by = table.definition.groupBy;
  const sets = table.totals.filter((t) => t.unit === 'sets' && t.units > 0);
  const groupNames = by.map((_, k) => [...new Set(sets.map((t) => t.groups[k]).filter((g): g is string => g !== null && g !== undefined))].sort());
  const columns = [...FIXED_COLUMNS, ...by.flatMap((b, k) => (groupNames[k] ?? []).map((g) => groupColumn(b, g)))];
  const index = new Map(columns.map((c, j) => [c, j]));
  const totalsOf = (unit: CharacteristicUnit): number[] => {
    const out: number[] = columns.map(() => 0);
    for (const t of table.totals)
      if (t.unit === unit) for (const c of columnsOf(by, t.outcome, t.groups)) out[index.get(c) ?? -1] = (out[index.get(c) ?? -1] ?? 0) + t.units;
    return out;
  };
  const ungroupedOf = (unit: CharacteristicUnit): boolean[] =>
    by.map((_, k) => table.totals.some((t) => t.unit === unit && t.units > 0 && t.groups[k] === null));
  return {
    columns,
    groupNames,
    totals: { encounters: totalsOf('encounters'), sets: totalsOf('sets') },
    ungrouped: { encounters: ungroupedOf('encounters'), sets: ungroupedOf('sets') },
  };
}

const MISSING_LEVEL = '(missing)';
const levelName = (v: number | string | null): string => (v === null ? MISSING_LEVEL : String(v));

/** A variable's counts per column of `columns`. Runs in O(the variable's cells · groupings). */
export function variableColumns(table: CharacteristicCountTable, variable: CharacteristicVariable, columns: readonly string[]): VariableColumns {
  const by = table.definition.groupBy;
  const own = table.rows.filter((r) => r.unit === variable.unit && r.variable === variable.variable);
  const distinct = [...new Set(own.map((r) => r.value))];
  const values =
    variable.type === 'continuous'
      ? [...Float64Array.from(distinct.filter((v): v is number => typeof v === 'number')).sort()]
      : distinct.sort((a, b) => {
          const la = levelName(a);
          const lb = levelName(b);
          return la === MISSING_LEVEL ? 1 : lb === MISSING_LEVEL ? -1 : la < lb ? -1 : la > lb ? 1 : 0;
        });
  const position = new Map<number | string | null, number>(values.map((v, j) => [v, j]));
  const index = new Map(columns.map((c, j) => [c, j]));
  const counts = columns.map(() => new Float64Array(values.length));
  for (const r of own) {
    const j = position.get(r.value);
    if (j === undefined) continue;
    for (const c of columnsOf(by, r.outcome, r.groups)) {
      const col = counts[index.get(c) ?? -1];
      if (col !== undefined) col[j] = (col[j] as number) + r.units;
    }
  }
  const patients = columns.map(
    (c) => table.patients.find((p) => p.unit === variable.unit && p.variable === variable.variable && p.column === c)?.patients ?? 0,
  );
  return { variable: variable.variable, type: variable.type, values, counts, patients };
}

/** Compare two cells' values: numbers ascending, then text, then not recorded (null) last. */
function compareValues(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}

/**
 * A table in its canonical order — rows by unit, variable (the definition's order), value, outcome and groups; totals
 * and patients likewise — so tables counted in different places compare equal. Runs in O(cells · log cells).
 */
export function sortCharacteristicCounts(table: CharacteristicCountTable): CharacteristicCountTable {
  const order = new Map(table.definition.variables.map((v, j) => [`${v.unit}\u0000${v.variable}`, j]));
  const rank = (unit: string, variable: string): number => order.get(`${unit}\u0000${variable}`) ?? -1;
  const groups = (a: readonly (string | null)[], b: readonly (string | null)[]): number => {
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      const c = compareValues(a[k] ?? null, b[k] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  };
  return {
    definition: table.definition,
    rows: [...table.rows].sort(
      (a, b) => rank(a.unit, a.variable) - rank(b.unit, b.variable) || compareValues(a.value, b.value) || a.outcome - b.outcome || groups(a.groups, b.groups),
    ),
    totals: [...table.totals].sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0) || a.outcome - b.outcome || groups(a.groups, b.groups)),
    patients: [...table.patients].sort(
      (a, b) => rank(a.unit, a.variable) - rank(b.unit, b.variable) || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0),
    ),
  };
}
