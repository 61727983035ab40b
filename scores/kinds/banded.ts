/**
 * The banded kind: points per parameter from the chart's bands, summed; risk bands with monitoring and response.
 * NEWS2, NEWS, MEWS, qSOFA and CART are banded.
 */
import type { BandedScore } from '../definition/definition.js';
import { scoreBandedObservation } from '../evaluate/banded-observation.js';
import { bandedColumns, bandedOutputColumns } from '../kernel/banded-columns.js';
import { bandedKernel } from '../kernel/banded-kernel.js';
import type { ScorePlan } from '../plan/compile.js';
import { planOf } from '../plan/compile.js';
import { bandedSql } from '../sql/banded-sql.js';
import type { ScoreKind } from './kind.js';

export const bandedKind: ScoreKind<BandedScore, ScorePlan> = {
  name: 'banded',
  plan: planOf,
  kernel: bandedKernel,
  outputColumns: bandedOutputColumns,
  arrowColumns: bandedColumns,
  metadata: (def, policy) => ({ score: def.id, name: def.name, version: def.version, missingPolicy: policy }),
  sql: (g, def, map, columns, policy) => bandedSql(g, planOf(def), map, columns, policy),
  evaluate: scoreBandedObservation,
  valueColumn: (def) => `${def.id}_total`,
  fields: (def) => def.parameters.map((p) => p.field),
  requiredFields: (def) => def.parameters.filter((p) => !('fallback' in p && p.fallback !== undefined)).map((p) => p.field),
  riskLabels: (def) => def.risks,
  riskName: 'risk band',
  clinicalCuts(def) {
    const firstRisk = def.risks[0];
    const cuts = new Map<number, string>();
    for (const r of def.rules) {
      if (r.risk === firstRisk || r.redFlag === true || r.totalMin === undefined) continue;
      if (!cuts.has(r.totalMin)) cuts.set(r.totalMin, `${def.name} ≥ ${r.totalMin} (${r.risk})`);
    }
    return [...cuts.entries()].sort((a, b) => a[0] - b[0]).map(([cut, label]) => ({ label, cut }));
  },
  probabilistic: false,
  redFlag: (def) => def.redFlag ?? null,
  provenance: () => ({ illustrative: false, derivation: null }),
  noValue: 'no total (incomplete or flagged)',
};
