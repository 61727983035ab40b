/**
 * Stage 3 of `validate`: every pair of scores compared on the same analysis rows — the difference in AUROC with
 * paired DeLong (observation level) and the paired patient-clustered bootstrap (the same resamples for both scores).
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { Replicates } from '../bootstrap/group-bootstrap.js';
import { pairedDifference } from '../bootstrap/group-bootstrap.js';
import { compareAuroc } from '../metrics/compare-auroc.js';
import type { ComparisonSection } from '../report/types.js';
import { bootstrapCell, undefinedCell } from './cells.js';
import type { AnalysisSet } from './analysis-set.js';
import type { CellBasis, Disclosure } from './disclosure.js';

/** The comparison of each pair (a, b) with a before b in the study's order. Runs in O(pairs · n log n). */
export function comparisons(
  scores: readonly ScoreDefinition[],
  set: AnalysisSet,
  bootstrap: Replicates<'auroc'> | null,
  sdc: Disclosure,
  level: number,
  basis: CellBasis,
): ComparisonSection[] {
  const out: ComparisonSection[] = [];
  scores.forEach((da, a) => {
    scores.forEach((db, b) => {
      if (b <= a) return;
      const x = set.values[a] ?? new Float64Array(0);
      const y = set.values[b] ?? new Float64Array(0);
      const c = compareAuroc(x, y, set.labels, { level });
      const reps = bootstrap === null ? null : pairedDifference(bootstrap.of('auroc', 0, a), bootstrap.of('auroc', 0, b));
      out.push({
        a: da.id,
        b: db.id,
        cell: sdc.release(
          c.defined
            ? { defined: true, estimate: c.estimate, delong: { se: c.se, ci: c.ci, z: c.z, p: c.p }, bootstrap: bootstrapCell(reps, c.estimate, level) }
            : undefinedCell(c),
          basis,
        ),
      });
    });
  });
  return out;
}
