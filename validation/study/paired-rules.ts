/**
 * Like for like: two scores' alerting rules on the same sets — those both can score — so a difference in
 * sensitivity, specificity, alert rate or net benefit is not a difference in who was scored. Each score's first clinical cut-off
 * (NEWS2 ≥ 5; a model's first zone) is applied to the common sets, and the differences (b − a) get a paired
 * patient-clustered bootstrap interval: patients are resampled with all their sets, once for both scores.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { PairedRulesCell, UndefinedCell } from '../report/types.js';
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import { replicateWeights } from '../bootstrap/replicate-weights.js';
import { percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { AnalysisSet } from './analysis-set.js';
import type { Disclosure, Released } from '../disclosure/disclosure.js';

/** Per patient: positive sets, negative sets, and each score's alerts among them. */
type Tally = [positives: number, negatives: number, alertsAPos: number, alertsANeg: number, alertsBPos: number, alertsBNeg: number];

/**
 * Sensitivity, specificity and alert rate of a and of b from summed tallies, then the net benefit of each rule at
 * each threshold probability pₜ: TP/n − FP/n · pₜ/(1 − pₜ) (Vickers & Elkin 2006) — the rule is the same, the weight
 * of a false alert is what pₜ says. NaN where undefined.
 */
function metricsOf(t: Tally, thresholds: readonly number[]): { a: number[]; b: number[] } {
  const [pos, neg, ap, an, bp, bn] = t;
  const n = pos + neg;
  const nb = (tp: number, fp: number): number[] => thresholds.map((pt) => tp / n - (fp / n) * (pt / (1 - pt)));
  return {
    a: [ap / pos, 1 - an / neg, (ap + an) / n, ...nb(ap, an)],
    b: [bp / pos, 1 - bn / neg, (bp + bn) / n, ...nb(bp, bn)],
  };
}

/** The comparisons table (every pair of scores), declared by each function that writes to it. */
export function declareComparisons(sdc: Disclosure): void {
  sdc.declareTable({
    name: 'comparisons',
    dimensions: ['pair of scores', 'count (sets both can score)', 'statistic (paired AUROC difference, matched alert rates, like-for-like rules)'],
    margins: 'none declared: the common sets stand alone; the paired statistics are released from enough patients and events',
  });
}

/**
 * Scores a and b, each at its first clinical cut-off, on the sets both can score. Runs in O(n + B · patients).
 *
 * @returns a released cell, or undefined (with a reason) when either score has no cut-off or the sets have one class
 */
export function pairedRules(
  da: ScoreDefinition,
  db: ScoreDefinition,
  a: number,
  b: number,
  set: AnalysisSet,
  options: { level: number; B: number; seed: number; method: BootstrapMethod; netBenefitThresholds: readonly number[] },
  sdc: Disclosure,
): Released<PairedRulesCell | UndefinedCell> {
  declareComparisons(sdc);
  const thresholds = options.netBenefitThresholds;
  const metrics = 3 + thresholds.length;
  const cutA = kindOf(da).clinicalCuts(da)[0];
  const cutB = kindOf(db).clinicalCuts(db)[0];
  if (cutA === undefined || cutB === undefined)
    return { defined: false, reason: 'no-cut', message: `validate: ${(cutA === undefined ? da : db).name} has no clinical cut-off` };
  const va = set.values[a] ?? new Float64Array(0);
  const vb = set.values[b] ?? new Float64Array(0);
  const perPatient = new Map<number, Tally>();
  for (let k = 0; k < va.length; k++) {
    const x = va[k] ?? NaN;
    const y = vb[k] ?? NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const p = set.patient[k] ?? -1;
    const t = perPatient.get(p) ?? [0, 0, 0, 0, 0, 0];
    const positive = set.labels[k] === 1;
    t[positive ? 0 : 1]++;
    if (x >= cutA.cut) t[positive ? 2 : 3]++;
    if (y >= cutB.cut) t[positive ? 4 : 5]++;
    perPatient.set(p, t);
  }
  const tallies = [...perPatient.values()];
  const tallyKeys = [...perPatient.keys()].map((p) => set.patientKeys[p] as string);
  const total: Tally = [0, 0, 0, 0, 0, 0];
  for (const t of tallies) for (let j = 0; j < 6; j++) total[j] = (total[j] ?? 0) + (t[j] ?? 0);
  if (total[0] === 0 || total[1] === 0)
    return { defined: false, reason: 'one-class', message: 'validate: the sets both scores can score have one outcome class' };
  const point = metricsOf(total, thresholds);
  // The paired bootstrap: patients resampled, the same replicate for both scores.
  const weightsOf = replicateWeights(options.method, tallies.length, options.seed, tallyKeys);
  const weight = new Int32Array(tallies.length);
  const reps = Array.from({ length: metrics }, () => ({ a: [] as number[], b: [] as number[], d: [] as number[] }));
  let undefinedReplicates = 0;
  for (let r = 0; r < options.B; r++) {
    const sum: Tally = [0, 0, 0, 0, 0, 0];
    weightsOf(r, weight);
    for (let j = 0; j < tallies.length; j++) {
      const w = weight[j] as number;
      if (w === 0) continue;
      const t = tallies[j] as Tally;
      for (let q = 0; q < 6; q++) sum[q] = (sum[q] as number) + w * (t[q] as number);
    }
    if (sum[0] === 0 || sum[1] === 0) {
      undefinedReplicates++;
      continue;
    }
    const m = metricsOf(sum, thresholds);
    reps.forEach((_, i) => {
      const rep = reps[i] as { a: number[]; b: number[]; d: number[] };
      rep.a.push(m.a[i] ?? NaN);
      rep.b.push(m.b[i] ?? NaN);
      rep.d.push((m.b[i] ?? NaN) - (m.a[i] ?? NaN));
    });
  }
  const ci = (xs: number[]): readonly [number, number] | null => percentileInterval(Float64Array.from(xs), options.level)?.ci ?? null;
  const row = (i: number) => ({
    a: { defined: true as const, estimate: point.a[i] ?? NaN, ci: ci(reps[i]?.a ?? []) },
    b: { defined: true as const, estimate: point.b[i] ?? NaN, ci: ci(reps[i]?.b ?? []) },
    difference: { defined: true as const, estimate: (point.b[i] ?? NaN) - (point.a[i] ?? NaN), ci: ci(reps[i]?.d ?? []) },
  });
  const [pos, neg, ap, an, bp, bn] = total;
  const cell: PairedRulesCell = {
    defined: true,
    ruleA: cutA.label,
    ruleB: cutB.label,
    sensitivity: row(0),
    specificity: row(1),
    alertRate: row(2),
    netBenefit: thresholds.map((threshold, j) => ({ threshold, ...row(3 + j) })),
    undefinedReplicates,
  };
  const eventPatients = tallies.filter((t) => t[0] > 0).length;
  // Its true and false positives and negatives are given away by the rates × the sets: each must pass the policy.
  return sdc.release(
    cell,
    { patients: eventPatients, events: pos, counts: [ap, pos - ap, an, neg - an, bp, pos - bp, bn, neg - bn] },
    { table: 'comparisons' },
  );
}
