/**
 * Stage 5 of `validate`: other units of analysis — the same analysis rows thinned to the first set per encounter, or
 * to each score's highest set per encounter per 24 h (from the encounter's first set) — reported beside every set,
 * with Obuchowski's interval clustered by patient. And the same as a count table (`unitCounts`: per unit and score, the
 * values with their outcomes and the within-patient pairs of units), from which the AUROC and Obuchowski's interval
 * are rebuilt (`unitAurocFromCounts`) — what a site summary shares so that one stage can pool the units.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { ObuchowskiResult } from '../bootstrap/cluster.js';
import { obuchowskiAuroc, obuchowskiFromSums } from '../bootstrap/cluster.js';
import { delongComponents } from '../metrics/auroc.js';
import { classReason } from '../stats/result.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { UnitName, UnitSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { columnValues } from './analysis-set.js';
import { estimateCell, undefinedCell } from './cells.js';
import type { Disclosure } from '../disclosure/disclosure.js';

const DAY_MS = 86_400_000;

/** Positions (into the analysis rows) of the rows one unit keeps for score `s`, ascending. */
function chosenRows(unit: UnitName, set: AnalysisSet, s: number, encounterOf: readonly unknown[], timeOf: readonly unknown[]): number[] {
  const values = set.values[s] ?? new Float64Array(0);
  if (unit === 'common') {
    // The sensitivity analysis: every score on the sets all of them can score.
    const out: number[] = [];
    set.rows.forEach((_, k) => {
      if (set.values.every((v) => Number.isFinite(v[k] ?? NaN))) out.push(k);
    });
    return out;
  }
  const start = new Map<string, number>();
  for (const [k, i] of set.rows.entries()) {
    if (!Number.isFinite(values[k] ?? NaN)) continue; // a set the score cannot score
    const e = String(encounterOf[i]);
    const t = Number(timeOf[i]);
    const first = start.get(e);
    if (first === undefined || t < first) start.set(e, t);
  }
  const best = new Map<string, number>(); // key → row position k
  set.rows.forEach((i, k) => {
    if (!Number.isFinite(values[k] ?? NaN)) return;
    const e = String(encounterOf[i]);
    const t = Number(timeOf[i]);
    const key = unit === 'first' ? e : `${e}#${Math.floor((t - (start.get(e) ?? t)) / DAY_MS)}`;
    const current = best.get(key);
    if (current === undefined) best.set(key, k);
    else if (unit === 'first' ? t < Number(timeOf[set.rows[current] ?? -1]) : (values[k] ?? 0) > (values[current] ?? 0)) best.set(key, k);
  });
  return [...best.values()].sort((a, b) => a - b);
}

/**
 * Score `s`'s AUROC on the analysis rows at positions `ks`, from `values` (one per analysis row), with Obuchowski's
 * interval clustered by patient; released under the same rules as every statistic.
 */
export function unitCell(set: AnalysisSet, ks: readonly number[], values: ArrayLike<number>, sdc: Disclosure, level: number, table = 'units') {
  const y = ks.map((k) => set.labels[k] ?? 0);
  const a = obuchowskiAuroc(
    ks.map((k) => values[k] ?? Number.NaN),
    y,
    ks.map((k) => set.cluster[k] ?? -1),
    { level },
  );
  const events = y.reduce((t, v) => t + v, 0);
  const eventPatients = new Set(ks.filter((k) => set.labels[k] === 1).map((k) => set.patient[k])).size;
  const counts = { sets: sdc.inner(ks.length, { table }), positiveSets: sdc.inner(events, { table }) };
  const cell = { ...counts, auroc: a.defined ? estimateCell({ defined: true, estimate: a.estimate, ci: a.ci }) : undefinedCell(a) };
  return sdc.release(cell, { events, patients: eventPatients }, { table, dependsOn: [counts.sets, counts.positiveSets] });
}

/** Positions of the analysis rows where `values` has a value. */
export function scoredRows(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k] ?? NaN)) out.push(k);
  return out;
}

/** The units' table in the ledger. */
function declareUnits(sdc: Disclosure): void {
  sdc.declareTable({
    name: 'units',
    dimensions: ['unit of analysis (first set per encounter, highest per 24 h, common sets)', 'score', 'count (sets, positive sets)', 'statistic (AUROC)'],
    margins: 'none declared: each unit is its own selection of sets',
  });
}

/** One section per unit asked for. Runs in O(n · scores · units). */
export function units(asked: readonly UnitName[], scores: readonly ScoreDefinition[], set: AnalysisSet, sdc: Disclosure, level: number): UnitSection[] {
  declareUnits(sdc);
  const encounterOf = columnValues(set.scored, 'encounter_id') ?? [];
  const timeOf = columnValues(set.scored, 'observed_at') ?? [];
  return asked.map((unit) => ({
    unit: unitLabel(unit),
    scores: Object.fromEntries(
      scores.map((d, s) => [d.id, unitCell(set, chosenRows(unit, set, s, encounterOf, timeOf), set.values[s] ?? new Float64Array(0), sdc, level)] as const),
    ),
  }));
}

/** The label of a unit of analysis in the report. */
export function unitLabel(unit: UnitName): string {
  return unit === 'first' ? 'first set per encounter' : unit === 'common' ? 'sets every score can score' : 'highest set per encounter per 24 h (per score)';
}

/**
 * One unit's counts for one score: what its AUROC and Obuchowski's patient-clustered variance are functions of, in a
 * form that adds over disjoint sets of patients. Obuchowski's S10 = Σ_patients (V10_i − m_i·AUC)², with V10_i the sum
 * of patient i's positive units' placements, is Σ_{a,b} PP(a, b)·(v10(a) − AUC)·(v10(b) − AUC) over pairs of values,
 * where PP(a, b) = Σ_i (i's positive units at a)·(i's positive units at b); likewise S01 from NN and S11 from PN.
 * The placements v10, v01 depend on the pooled counts only, so a table of values and these within-patient pair counts
 * gives the statistic of any union of patients.
 */
export interface UnitScoreCounts {
  readonly score: string;
  /** The distinct values (ascending; a model's probability in buckets of 1/resolution) and their positive and negative units. */
  readonly values: readonly number[];
  readonly pos: readonly number[];
  readonly neg: readonly number[];
  /**
   * Within-patient pairs of units, as flat triplets [a, b, count, …]: positive–positive (a ≤ b; a pair of distinct
   * values counted once, each unit with itself included), negative–negative (likewise), positive–negative (a the
   * positive's value, b the negative's).
   */
  readonly pp: readonly number[];
  readonly nn: readonly number[];
  readonly pn: readonly number[];
  /** Patients with a unit, with a positive unit, with a negative unit. */
  readonly clusters: number;
  readonly withPositive: number;
  readonly withNegative: number;
}

/** The units' count table: per unit asked for, each score's counts. */
export interface UnitCountTable {
  /** A model's buckets per unit of probability (its values are ⌊p · resolution⌋ / resolution). */
  readonly resolution: number;
  readonly units: readonly { readonly unit: UnitName; readonly scores: readonly UnitScoreCounts[] }[];
}

/**
 * A score's unit counts from its units: value (`x`, NaN: not scored, left out), outcome (`y`, 1 an event) and patient
 * (`cluster`). Runs in O(n + Σ_patients distinct values²).
 */
export function unitScoreCounts(score: string, x: ArrayLike<number>, y: ArrayLike<number>, cluster: ArrayLike<number>): UnitScoreCounts {
  const byPatient = new Map<number, { pos: Map<number, number>; neg: Map<number, number> }>();
  const total = new Map<number, [number, number]>();
  for (let k = 0; k < x.length; k++) {
    const v = x[k] ?? Number.NaN;
    if (!Number.isFinite(v)) continue;
    const positive = y[k] === 1;
    const g = cluster[k] ?? -1;
    let p = byPatient.get(g);
    if (p === undefined) byPatient.set(g, (p = { pos: new Map(), neg: new Map() }));
    const side = positive ? p.pos : p.neg;
    side.set(v, (side.get(v) ?? 0) + 1);
    const t = total.get(v) ?? [0, 0];
    t[positive ? 0 : 1]++;
    total.set(v, t);
  }
  const pairs = (into: Map<string, number>, a: Map<number, number>, b: Map<number, number>, symmetric: boolean) => {
    for (const [x, cx] of a)
      for (const [z, cz] of b) {
        if (symmetric && z < x) continue;
        const key = `${x} ${z}`;
        into.set(key, (into.get(key) ?? 0) + cx * cz);
      }
  };
  const pp = new Map<string, number>();
  const nn = new Map<string, number>();
  const pn = new Map<string, number>();
  let withPositive = 0;
  let withNegative = 0;
  for (const p of byPatient.values()) {
    if (p.pos.size > 0) withPositive++;
    if (p.neg.size > 0) withNegative++;
    pairs(pp, p.pos, p.pos, true);
    pairs(nn, p.neg, p.neg, true);
    pairs(pn, p.pos, p.neg, false);
  }
  const flat = (m: Map<string, number>): number[] =>
    [...m]
      .map(([key, n]) => [...key.split(' ').map(Number), n] as [number, number, number])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1])
      .flat();
  const order = [...total.keys()].sort((a, b) => a - b);
  return {
    score,
    values: order,
    pos: order.map((v) => total.get(v)?.[0] ?? 0),
    neg: order.map((v) => total.get(v)?.[1] ?? 0),
    pp: flat(pp),
    nn: flat(nn),
    pn: flat(pn),
    clusters: byPatient.size,
    withPositive,
    withNegative,
  };
}

/**
 * The units' count table of a study: for each unit asked for and each score, the values of its units with their
 * outcomes and the within-patient pairs (a model's probabilities in buckets of 1/`resolution`). Runs in O(n log n +
 * Σ_patients distinct values²) per unit and score.
 */
export function unitCounts(asked: readonly UnitName[], scores: readonly ScoreDefinition[], set: AnalysisSet, resolution = 10_000): UnitCountTable {
  const encounterOf = columnValues(set.scored, 'encounter_id') ?? [];
  const timeOf = columnValues(set.scored, 'observed_at') ?? [];
  return {
    resolution,
    units: asked.map((unit) => ({
      unit,
      scores: scores.map((d, s) => {
        const bucket = kindOf(d).probabilistic ? (v: number) => Math.floor(v * resolution) / resolution : (v: number) => v;
        const values = set.values[s] ?? new Float64Array(0);
        const ks = chosenRows(unit, set, s, encounterOf, timeOf);
        return unitScoreCounts(
          d.id,
          ks.map((k) => bucket(values[k] ?? Number.NaN)),
          ks.map((k) => set.labels[k] ?? 0),
          ks.map((k) => set.cluster[k] ?? -1),
        );
      }),
    })),
  };
}

/**
 * Two units' count tables of disjoint sets of patients added: the table of all of them (a patient in both parts would
 * be two clusters, its pairs across the parts missing).
 *
 * @throws {TypeError} naming the field where the tables differ (units, scores, resolution)
 */
export function addUnitCounts(a: UnitCountTable, b: UnitCountTable): UnitCountTable {
  const fn = 'addUnitCounts';
  const shape = (t: UnitCountTable) => t.units.map((u) => `${u.unit}: ${u.scores.map((s) => s.score).join(', ')}`).join('; ');
  if (a.resolution !== b.resolution) throw new TypeError(`${fn}: field "resolution" differs (${a.resolution} and ${b.resolution}).`);
  if (shape(a) !== shape(b)) throw new TypeError(`${fn}: field "units" differs (${shape(a)} and ${shape(b)}); add tables of the same units and scores.`);
  const addTriplets = (x: readonly number[], y: readonly number[]): number[] => {
    const m = new Map<string, [number, number, number]>();
    for (const t of [x, y])
      for (let i = 0; i < t.length; i += 3) {
        const key = `${t[i]} ${t[i + 1]}`;
        const c = m.get(key);
        if (c === undefined) m.set(key, [t[i] as number, t[i + 1] as number, t[i + 2] as number]);
        else c[2] += t[i + 2] as number;
      }
    return [...m.values()].sort((p, q) => p[0] - q[0] || p[1] - q[1]).flat();
  };
  return {
    resolution: a.resolution,
    units: a.units.map((u, i) => ({
      unit: u.unit,
      scores: u.scores.map((s, j) => {
        const o = b.units[i]?.scores[j] as UnitScoreCounts;
        const values = [...new Set([...s.values, ...o.values])].sort((p, q) => p - q);
        const indexOf = (t: UnitScoreCounts) => new Map(t.values.map((v, k) => [v, k] as const));
        const where = new Map([
          [s, indexOf(s)],
          [o, indexOf(o)],
        ]);
        const at = (t: UnitScoreCounts, side: 'pos' | 'neg', v: number): number => {
          const k = where.get(t)?.get(v);
          return k === undefined ? 0 : (t[side][k] ?? 0);
        };
        return {
          score: s.score,
          values,
          pos: values.map((v) => at(s, 'pos', v) + at(o, 'pos', v)),
          neg: values.map((v) => at(s, 'neg', v) + at(o, 'neg', v)),
          pp: addTriplets(s.pp, o.pp),
          nn: addTriplets(s.nn, o.nn),
          pn: addTriplets(s.pn, o.pn),
          clusters: s.clusters + o.clusters,
          withPositive: s.withPositive + o.withPositive,
          withNegative: s.withNegative + o.withNegative,
        };
      }),
    })),
  };
}

/**
 * One unit's AUROC with Obuchowski's interval from its counts: the placements from the values' counts, the three sums
 * from the within-patient pairs. Equal to `obuchowskiAuroc` on the units (to rounding: the sums in another order).
 */
export function unitAurocFromCounts(c: UnitScoreCounts, level: number): ObuchowskiResult {
  const caller = 'obuchowskiAuroc'; // its reasons and messages, as validate's cells carry them
  const counts = { values: Float64Array.from(c.values), pos: Float64Array.from(c.pos), neg: Float64Array.from(c.neg) };
  const M = c.pos.reduce((t, x) => t + x, 0);
  const N = c.neg.reduce((t, x) => t + x, 0);
  const why = classReason(caller, M, N);
  if (why !== null) return { ...why, nMissing: 0 };
  const d = delongComponents(counts);
  const index = new Map(c.values.map((v, i) => [v, i] as const));
  const sum = (t: readonly number[], f: Float64Array, g: Float64Array, symmetric: boolean): number => {
    let s = 0;
    for (let i = 0; i < t.length; i += 3) {
      const a = (f[index.get(t[i] as number) ?? -1] ?? NaN) - d.auc;
      const b = (g[index.get(t[i + 1] as number) ?? -1] ?? NaN) - d.auc;
      s += (symmetric && t[i] !== t[i + 1] ? 2 : 1) * (t[i + 2] as number) * a * b;
    }
    return s;
  };
  return obuchowskiFromSums(
    {
      auc: d.auc,
      M,
      N,
      s10: sum(c.pp, d.v10, d.v10, true),
      s01: sum(c.nn, d.v01, d.v01, true),
      s11: sum(c.pn, d.v10, d.v01, false),
      i10: c.withPositive,
      i01: c.withNegative,
      clusters: c.clusters,
      level,
      nMissing: 0,
    },
    caller,
  );
}

/** The units' sections from their count table, released as `validate` releases them. Runs in O(table size). */
export function unitSections(table: UnitCountTable, sdc: Disclosure, level: number): UnitSection[] {
  if (table.units.length > 0) declareUnits(sdc);
  return table.units.map(({ unit, scores }) => ({
    unit: unitLabel(unit),
    scores: Object.fromEntries(
      scores.map((c) => {
        const a = unitAurocFromCounts(c, level);
        const M = c.pos.reduce((t, x) => t + x, 0);
        const n = M + c.neg.reduce((t, x) => t + x, 0);
        const counts = { sets: sdc.inner(n, { table: 'units' }), positiveSets: sdc.inner(M, { table: 'units' }) };
        const cell = { ...counts, auroc: a.defined ? estimateCell({ defined: true, estimate: a.estimate, ci: a.ci }) : undefinedCell(a) };
        return [
          c.score,
          sdc.release(cell, { events: M, patients: c.withPositive }, { table: 'units', dependsOn: [counts.sets, counts.positiveSets] }),
        ] as const;
      }),
    ),
  }));
}
