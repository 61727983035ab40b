/**
 * The banded kind: points per parameter from the chart's bands, summed; risk bands with monitoring and response.
 * NEWS2, NEWS, MEWS, qSOFA and CART are banded.
 */
import type { BandedScore } from '../definition/definition.js';
import type { PlanInput, ScorePlan } from '../plan/compile.js';
import { planOf } from '../plan/compile.js';
import type { ScoreKind } from './kind.js';

/** The names of the columns a banded score adds, in order. */
export function bandedOutputColumns(def: BandedScore): string[] {
  const id = def.id;
  const plan = planOf(def);
  return [
    `${id}_total`,
    `${id}_risk`,
    `${id}_red_flag`,
    `${id}_complete`,
    ...plan.parameters.map((p) => `${id}_${(plan.inputs[p.input] as PlanInput).field.column}`),
    `${id}_missing`,
    `${id}_flags`,
  ];
}

export const bandedKind: ScoreKind<BandedScore, ScorePlan> = {
  name: 'banded',
  plan: planOf,
  outputColumns: bandedOutputColumns,
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
