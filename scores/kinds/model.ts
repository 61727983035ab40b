/**
 * The model kind: a logistic model's probability from per-term contributions (linear pieces, bands, categories),
 * with per-term imputation and colour zones. The Apollo-style score is model-based.
 */
import type { ModelScore } from '../definition/model.js';
import { scoreModelObservation } from '../evaluate/score-model-observation.js';
import { modelColumns, modelOutputColumns } from '../kernel/model-columns.js';
import { modelKernel } from '../kernel/model-kernel.js';
import type { ModelPlan } from '../plan/model-plan.js';
import { modelPlanOf } from '../plan/model-plan.js';
import { modelSql } from '../sql/model-sql.js';
import type { ScoreKind } from './kind.js';

export const modelKind: ScoreKind<ModelScore, ModelPlan> = {
  name: 'model',
  plan: modelPlanOf,
  kernel: modelKernel,
  outputColumns: modelOutputColumns,
  arrowColumns: (def, _policy, dictionaries, id) => modelColumns(def, dictionaries, id),
  metadata: (def) => ({
    score: def.id,
    name: def.name,
    version: def.version,
    kind: 'model',
    outcome: def.outcome,
    horizonHours: def.horizonHours,
    illustrative: def.illustrative === true,
  }),
  sql: (g, def, map, columns) => modelSql(g, modelPlanOf(def), map, columns),
  evaluate: (def, observation) => scoreModelObservation(def, observation as Record<string, unknown>),
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
