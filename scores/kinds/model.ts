/**
 * The model kind: a logistic model's probability from per-term contributions (linear pieces, bands, categories),
 * with per-term imputation and colour zones. The Apollo-style score is model-based.
 */
import type { ModelScore } from '../definition/model.js';
import type { PlanInput } from '../plan/compile.js';
import type { ModelPlan } from '../plan/model-plan.js';
import { modelPlanOf } from '../plan/model-plan.js';
import type { ScoreKind } from './kind.js';

/** The names of the columns a model-based score adds, in order. */
export function modelOutputColumns(def: ModelScore): string[] {
  const id = def.id;
  const plan = modelPlanOf(def);
  return [
    `${id}_probability`,
    `${id}_linear_predictor`,
    `${id}_risk`,
    `${id}_complete`,
    ...plan.terms.map((t) => `${id}_${(plan.inputs[t.input] as PlanInput).field.column}`),
    `${id}_missing`,
    `${id}_imputed`,
    `${id}_flags`,
    `${id}_escalated_by`,
  ];
}

export const modelKind: ScoreKind<ModelScore, ModelPlan> = {
  name: 'model',
  plan: modelPlanOf,
  outputColumns: modelOutputColumns,
  valueColumn: (def) => `${def.id}_probability`,
  fields: (def) => def.terms.map((t) => t.field),
  requiredFields: (def) => def.terms.filter((t) => t.missing === 'null').map((t) => t.field),
  riskLabels: (def) => def.zones.map((z) => z.label),
  riskName: 'risk zone',
  clinicalCuts: (def) => def.zones.slice(1).map((z) => ({ label: `${z.label} zone (p ≥ ${z.min})`, cut: z.min })),
  probabilistic: true,
  redFlag: () => null,
  provenance: (def) => ({ illustrative: def.illustrative === true, derivation: def.derivation ?? null }),
  noValue: 'no probability (flagged, or missing without imputation)',
};
