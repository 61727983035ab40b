/**
 * Stage 5 of `validate`: other units of analysis — the same analysis rows thinned to the first set per encounter, or
 * to each score's highest set per encounter per 24 h (from the encounter's first set) — reported beside every set,
 * with Obuchowski's interval clustered by patient.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { obuchowskiAuroc } from '../bootstrap/cluster.js';
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

/** One section per unit asked for. Runs in O(n · scores · units). */
export function units(asked: readonly UnitName[], scores: readonly ScoreDefinition[], set: AnalysisSet, sdc: Disclosure, level: number): UnitSection[] {
  sdc.declareTable({
    name: 'units',
    dimensions: ['unit of analysis (first set per encounter, highest per 24 h, common sets)', 'score', 'count (sets, positive sets)', 'statistic (AUROC)'],
    margins: 'none declared: each unit is its own selection of sets',
  });
  const encounterOf = columnValues(set.scored, 'encounter_id') ?? [];
  const timeOf = columnValues(set.scored, 'observed_at') ?? [];
  return asked.map((unit) => ({
    unit: unit === 'first' ? 'first set per encounter' : unit === 'common' ? 'sets every score can score' : 'highest set per encounter per 24 h (per score)',
    scores: Object.fromEntries(
      scores.map((d, s) => [d.id, unitCell(set, chosenRows(unit, set, s, encounterOf, timeOf), set.values[s] ?? new Float64Array(0), sdc, level)] as const),
    ),
  }));
}
