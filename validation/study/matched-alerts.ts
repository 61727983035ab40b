/**
 * A comparison at equal workload: score b's sensitivity at the cut-off where it alerts on the common sets no more
 * often than score a does at its first clinical cut-off (NEWS2 ≥ 5), beside a's own — with the difference's
 * patient-clustered bootstrap interval (patients resampled with all their sets; b's cut-off chosen once, on all the
 * data, and held). AUROC compares whole rankings; a ward acts at one threshold, so this is the comparison that
 * matches what a team would see.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { MatchedAlertCell, UndefinedCell } from '../report/types.js';
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import { replicateWeights } from '../bootstrap/replicate-weights.js';
import { lowerBound } from '../stats/sorted.js';
import { percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { AnalysisSet } from './analysis-set.js';
import type { Disclosure, Released } from '../disclosure/disclosure.js';
import { declareComparisons } from './paired-rules.js';

/**
 * The matched-alert-rate comparison of scores a and b on the sets both can score. Runs in O(n log n + B · patients).
 *
 * @returns a released cell, or undefined (with a reason) when a has no clinical cut-off or the sets have one class
 */
export function matchedAlerts(
  da: ScoreDefinition,
  a: number,
  b: number,
  set: AnalysisSet,
  options: { level: number; B: number; seed: number; method: BootstrapMethod },
  sdc: Disclosure,
): Released<MatchedAlertCell | UndefinedCell> {
  const table = { table: 'comparisons' };
  declareComparisons(sdc);
  const cut = kindOf(da).clinicalCuts(da)[0];
  const va = set.values[a] ?? new Float64Array(0);
  const vb = set.values[b] ?? new Float64Array(0);
  const rows: number[] = [];
  va.forEach((v, k) => {
    if (Number.isFinite(v) && Number.isFinite(vb[k] ?? NaN)) rows.push(k);
  });
  const positives = rows.filter((k) => set.labels[k] === 1);
  const undefinedCell = (reason: string, message: string): UndefinedCell => ({ defined: false, reason, message });
  if (cut === undefined) return undefinedCell('no-cut', `validate: ${da.name} has no clinical cut-off to match an alert rate to`);
  if (positives.length === 0 || positives.length === rows.length)
    return undefinedCell('one-class', 'validate: the sets both scores can score have one outcome class');
  const alertRate = rows.filter((k) => (va[k] ?? NaN) >= cut.cut).length / rows.length;
  // b's cut-off: the smallest value at which b alerts on no more of the sets than a does.
  const sortedB = Float64Array.from(rows, (k) => vb[k] ?? NaN).sort();
  const distinct = [...new Set(sortedB)];
  const shareAtOrAbove = (c: number) => (sortedB.length - lowerBound(sortedB, c)) / sortedB.length;
  const cutB = distinct.find((c) => shareAtOrAbove(c) <= alertRate + 1e-12) ?? Number.POSITIVE_INFINITY;
  const alertRateB = Number.isFinite(cutB) ? shareAtOrAbove(cutB) : 0;
  // Per patient: positive sets, and those each score alerts on.
  const perPatient = new Map<number, [number, number, number]>();
  for (const k of positives) {
    const p = set.patient[k] ?? -1;
    const row = perPatient.get(p) ?? [0, 0, 0];
    row[0]++;
    if ((va[k] ?? NaN) >= cut.cut) row[1]++;
    if ((vb[k] ?? NaN) >= cutB) row[2]++;
    perPatient.set(p, row);
  }
  // Patients without a positive set still count in the resampling (they change how many positive patients are drawn).
  const patients = [...new Set(rows.map((k) => set.patient[k] ?? -1))];
  const tallies: [number, number, number][] = patients.map((p) => perPatient.get(p) ?? [0, 0, 0]);
  let pos = 0;
  let tpA = 0;
  let tpB = 0;
  for (const [n, x, y] of tallies) {
    pos += n;
    tpA += x;
    tpB += y;
  }
  const sensA = tpA / pos;
  const sensB = tpB / pos;
  const weightsOf = replicateWeights(
    options.method,
    tallies.length,
    options.seed,
    patients.map((p) => set.patientKeys[p] as string),
  );
  const weight = new Int32Array(tallies.length);
  const diffs: number[] = [];
  const one: number[] = [];
  const two: number[] = [];
  for (let r = 0; r < options.B; r++) {
    let n = 0;
    let x = 0;
    let y = 0;
    weightsOf(r, weight);
    for (let j = 0; j < tallies.length; j++) {
      const w = weight[j] as number;
      if (w === 0) continue;
      const t = tallies[j] as [number, number, number];
      n += w * t[0];
      x += w * t[1];
      y += w * t[2];
    }
    if (n === 0) continue;
    one.push(x / n);
    two.push(y / n);
    diffs.push((y - x) / n);
  }
  const ci = (xs: number[]): readonly [number, number] | null => percentileInterval(Float64Array.from(xs), options.level)?.ci ?? null;
  const patientsWithEvent = [...perPatient.keys()].length;
  const cell: MatchedAlertCell = {
    defined: true,
    ruleA: cut.label,
    cutA: cut.cut,
    alertRate,
    cutB: Number.isFinite(cutB) ? cutB : null,
    alertRateB,
    sensitivityA: { defined: true, estimate: sensA, ci: ci(one) },
    sensitivityB: { defined: true, estimate: sensB, ci: ci(two) },
    difference: { defined: true, estimate: sensB - sensA, ci: ci(diffs) },
  };
  return sdc.release(cell, { patients: patientsWithEvent, events: pos, counts: [tpA, pos - tpA, tpB, pos - tpB] }, table);
}
