/**
 * Stage 3 of `validate`: every pair of scores compared on the sets both can score — the difference in AUROC with the
 * paired patient-clustered bootstrap (the same resamples for both scores; the headline interval and p-value) and
 * paired DeLong beside it (which assumes independent observation sets) — at equal workload (`matchedAlerts`), and
 * each at its own first clinical cut-off on the same sets (`pairedRules`: like for like).
 */
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { pairedDifference, percentileInterval } from '../bootstrap/group-bootstrap.js';
import { compareAuroc } from '../metrics/compare-auroc.js';
import type { ComparisonSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { bootstrapP, undefinedCell } from './cells.js';
import type { CellBasis, Disclosure } from '../disclosure/disclosure.js';
import type { StudyIntervals } from './intervals.js';
import { matchedAlerts } from './matched-alerts.js';
import { declareComparisons, pairedRules } from './paired-rules.js';

/** Replicate-wise AUROC(a) − AUROC(b) on the sets both scores can score. */
function pairedReplicates(intervals: StudyIntervals, a: number, b: number): Float64Array {
  const [ca, cb] = intervals.pairColumns(a, b);
  return pairedDifference(intervals.replicates.of('auroc', intervals.overall, ca), intervals.replicates.of('auroc', intervals.overall, cb));
}

/** The comparison of each pair (a, b) with a before b in the study's order. Runs in O(pairs · n log n). */
export function comparisons(
  scores: readonly ScoreDefinition[],
  set: AnalysisSet,
  intervals: StudyIntervals | null,
  sdc: Disclosure,
  level: number,
  basis: CellBasis,
  options: { B: number; seed: number; method: BootstrapMethod; netBenefitThresholds: readonly number[] },
): ComparisonSection[] {
  const out: ComparisonSection[] = [];
  declareComparisons(sdc);
  scores.forEach((da, a) => {
    scores.forEach((db, b) => {
      if (b <= a) return;
      // On the sets both scores can score (compareAuroc leaves out a set either score lacks).
      const va = set.values[a] ?? new Float64Array(0);
      const vb = set.values[b] ?? new Float64Array(0);
      let common = 0;
      va.forEach((v, k) => {
        if (Number.isFinite(v) && Number.isFinite(vb[k] ?? NaN)) common++;
      });
      const c = compareAuroc(va, vb, set.labels, { level });
      const reps = intervals === null ? null : pairedReplicates(intervals, a, b);
      const interval = reps === null ? null : percentileInterval(reps, level);
      out.push({
        a: da.id,
        b: db.id,
        sets: sdc.count(common, { table: 'comparisons' }),
        cell: sdc.release(
          c.defined
            ? {
                defined: true,
                estimate: c.estimate,
                ci: interval?.ci ?? null,
                p: reps === null ? null : bootstrapP(reps),
                naive: { se: c.se, ci: c.ci, z: c.z, p: c.p },
              }
            : undefinedCell(c),
          basis,
          { table: 'comparisons' },
        ),
        matchedAlertRate: matchedAlerts(da, a, b, set, { level, B: options.B, seed: options.seed, method: options.method }, sdc),
        rules: pairedRules(
          da,
          db,
          a,
          b,
          set,
          { level, B: options.B, seed: options.seed, method: options.method, netBenefitThresholds: options.netBenefitThresholds },
          sdc,
        ),
      });
    });
  });
  return out;
}
