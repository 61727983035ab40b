/**
 * The Arrow columns a model-based score adds: probability, linear predictor, risk zone, completeness, one
 * contribution per term, and the missing, imputed, flags and escalated-by lists.
 */
import type { Data } from 'apache-arrow';
import { Bool, Dictionary, Field, Float64, Int8, makeData, Utf8, vectorFromArray } from 'apache-arrow';
import type { ModelScore } from '../definition/model.js';
import { modelPlanOf } from '../plan/model-plan.js';
import type { ModelKernelOutput } from './kernel-part.js';
import type { ScoreBatch, ScoreColumns, ScoreDictionaries } from './output-columns.js';
import { floatData, nullableRiskData, stringColumn } from './output-columns.js';
import { modelOutputColumns } from '../kinds/model.js';

/** The Arrow fields a model-based score adds, and a function building its columns for one batch. */
export function modelColumns(def: ModelScore, dicts: ScoreDictionaries, id: () => number): ScoreColumns {
  const plan = modelPlanOf(def);
  const names = modelOutputColumns(def);
  const at = (k: number): string => names[k] as string;
  const riskType = new Dictionary(new Utf8(), new Int8(), id());
  const riskVector = vectorFromArray(
    def.zones.map((z) => z.label),
    new Utf8(),
  );
  const missing = stringColumn(at(names.length - 4), dicts.missing, id);
  const imputed = stringColumn(at(names.length - 3), dicts.imputed, id);
  const flags = stringColumn(at(names.length - 2), dicts.flags, id);
  const escalated = stringColumn(at(names.length - 1), dicts.escalated, id);
  const fields = [
    new Field(
      at(0),
      new Float64(),
      true,
      new Map([
        ['ewskit.outcome', def.outcome],
        ['ewskit.horizon_hours', String(def.horizonHours)],
      ]),
    ),
    new Field(at(1), new Float64(), true),
    new Field(at(2), riskType, true),
    new Field(at(3), new Bool(), false),
    ...plan.terms.map((_, j) => new Field(at(4 + j), new Float64(), true)),
    missing.field,
    imputed.field,
    flags.field,
    escalated.field,
  ];
  const build = (r: ScoreBatch, n: number): Data[] => {
    const out = r.out as ModelKernelOutput;
    const rows = out.exceptionRows;
    const count = out.exceptions;
    return [
      floatData(out.probability, rows, count),
      floatData(out.linearPredictor, rows, count),
      nullableRiskData(riskType, riskVector, out.risk, rows, count),
      makeData({ type: new Bool(), length: n, nullCount: 0, data: out.complete }),
      ...out.contributions.map((c) => floatData(c, rows, count)),
      missing.build(n, rows, r.missingKeys, count),
      imputed.build(n, rows, r.imputedKeys, count),
      flags.build(n, rows, r.flagKeys, count),
      escalated.build(n, rows, r.escalatedKeys, count),
    ];
  };
  return { names, fields, build };
}
