/**
 * Model-based severity scores: a hand-worked example, imputation, flags, zones, and kernel = evaluator.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScore } from '../../../scores/load/load-score.js';
import type { ModelScore } from '../../../scores/definition/model.js';
import type { Observation } from '../../../scores/evaluate/score-observation.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';
import { outputColumns, scoreTable } from '../../../scores/kernel/score-table.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import type { FieldName } from '../../../scores/definition/schema.js';
import { FIELDS } from '../../../scores/definition/schema.js';
import { vital } from '../../helpers/arbitraries.js';
import { rowOf, tableOf } from '../../helpers/tables.js';

const model = loadScore(readFileSync(new URL('../../fixtures/example-model.json', import.meta.url), 'utf8')) as ModelScore;

const OBS: Observation = {
  respiratoryRate: 22,
  spo2: 94,
  heartRate: 112,
  systolicBP: 105,
  consciousness: 'A',
  temperature: 38.4,
  age: 70,
  lactate: 3.1,
  creatinine: 120,
  whiteCellCount: 12.5,
  onOxygen: false,
};

describe('scoreObservation(model, observation)', () => {
  it('matches a hand calculation of the linear predictor and probability', () => {
    // intercept 1.0
    // RR 22: −0.15·(12−8) + 0·(20−12) + 0.12·(22−20) = −0.6 + 0.24 = −0.36
    // SpO2 94: −0.11·(94−70) = −2.64
    // HR 112: band 101–130 → 0.5
    // SBP 105: −0.025·(105−60) = −1.125
    // Alert: 0
    // 38.4 °C: −0.3·(36.1−34) + 0·(38−36.1) + 0.25·(38.4−38) = −0.63 + 0.1 = −0.53
    // age 70: 0.01·(50−18) + 0.035·(70−50) = 0.32 + 0.7 = 1.02
    // lactate 3.1: 0·1.5 + 0.3·(3.1−2) = 0.33
    // creatinine 120: 0 + 0.002·(120−110) = 0.02
    // WCC 12.5: band ≥11.1 → 0.35
    // air: 0
    const lp = 1.0 - 0.36 - 2.64 + 0.5 - 1.125 + 0 - 0.53 + 1.02 + 0.33 + 0.02 + 0.35 + 0; // −1.435
    const r = scoreObservation(model, OBS);
    expect(r.linearPredictor).toBeCloseTo(-1.435, 10);
    expect(r.linearPredictor).toBeCloseTo(lp, 10);
    expect(r.probability).toBeCloseTo(1 / (1 + Math.exp(1.435)), 12); // 0.1924…
    expect(r.risk).toBe('red'); // 0.1 ≤ p < 0.3
    expect(r.colour).toBe('#c62828');
    expect(r.complete).toBe(true);
    expect(r.escalatedBy).toEqual([]); // no value in an extreme band
    expect(r.contributions.spo2).toBeCloseTo(-2.64, 12);
    expect(r.outcome).toBe('death or unplanned ICU admission');
    expect(r.horizonHours).toBe(24);
  });

  it('imputes a stated normal value and labels it; a missing input without imputation gives no probability', () => {
    const imputed = scoreObservation(model, { ...OBS, lactate: null, temperature: undefined });
    expect(imputed.imputed).toEqual(['temperature', 'lactate']);
    expect(imputed.missing).toEqual(['temperature', 'lactate']);
    expect(imputed.complete).toBe(false);
    expect(imputed.contributions.lactate).toBe(0); // imputed 1.2 mmol/L, below the 2.0 knot
    expect(imputed.probability).not.toBeNull();
    const none = scoreObservation(model, { ...OBS, spo2: null });
    expect(none.probability).toBeNull();
    expect(none.risk).toBeNull();
    expect(none.missing).toEqual(['spo2']);
    // A missing consciousness level is never imputed as Alert: no probability.
    const noAcvpu = scoreObservation(model, { ...OBS, consciousness: null });
    expect(noAcvpu.probability).toBeNull();
    expect(noAcvpu.imputed).toEqual([]);
    expect(noAcvpu.missing).toEqual(['consciousness']);
  });

  it('flags a creatinine in mg/dL (below 15 µmol/L) and gives no probability', () => {
    const r = scoreObservation(model, { ...OBS, creatinine: 1.1 });
    expect(r.flags).toEqual(['out_of_range:creatinine']);
    expect(r.probability).toBeNull();
  });
});

describe('scoreTable(model, table)', () => {
  it('adds probability, linear predictor, zone, contributions, missing, imputed and flags', () => {
    const scored = scoreTable(model, tableOf([OBS, { ...OBS, lactate: null }, { ...OBS, creatinine: 1.1 }]));
    expect(scored.schema.fields.slice(-outputColumns(model).length).map((f) => f.name)).toEqual(outputColumns(model));
    const [a, b, c] = [0, 1, 2].map((i) => rowOf(scored, i));
    expect(a?.example_model_probability as number).toBeCloseTo(1 / (1 + Math.exp(1.435)), 12);
    expect(a?.example_model_escalated_by).toBeNull();
    expect(a?.example_model_risk).toBe('red');
    expect(a?.example_model_imputed).toBeNull();
    expect(b?.example_model_imputed).toBe('lactate');
    expect(b?.example_model_missing).toBe('lactate');
    expect(b?.example_model_complete).toBe(false);
    expect(c?.example_model_probability).toBeNull();
    expect(c?.example_model_flags).toBe('out_of_range:creatinine');
    expect(JSON.parse(scored.schema.metadata.get('ewskit.example_model') as string)).toMatchObject({ kind: 'model', illustrative: true, horizonHours: 24 });
  });

  const observation: fc.Arbitrary<Observation> = fc.record({
    respiratoryRate: vital(0, 130),
    spo2: vital(0, 101),
    heartRate: vital(0, 360),
    systolicBP: vital(0, 410),
    consciousness: fc.constantFrom('A', 'C', 'V', 'P', 'U', 'X', null),
    temperature: vital(8, 52),
    age: vital(10, 110),
    lactate: vital(0, 45),
    creatinine: vital(1, 4100),
    whiteCellCount: vital(0, 1100),
    onOxygen: fc.constantFrom<boolean | null>(true, false, null),
  });

  it('equals the evaluator row by row, scored alone or with NEWS2', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 25 }), fc.boolean(), (rows, withNews2) => {
        const scored = scoreTable(withNews2 ? [news2, model] : model, tableOf(rows, { batchSize: 7 }));
        rows.forEach((obs, i) => {
          const r = scoreObservation(model, obs);
          const row = rowOf(scored, i);
          const p = row.example_model_probability as number | null;
          if (r.probability === null) expect(p).toBeNull();
          else expect(p as number).toBeCloseTo(r.probability, 12);
          expect(row.example_model_risk).toBe(r.risk);
          expect(row.example_model_complete).toBe(r.complete);
          const names = (v: unknown) => (v === null ? [] : String(v).split(';'));
          const col = (f: string) => FIELDS[f as FieldName].column;
          const flag = (f: string) => `${f.split(':')[0]}:${col(f.split(':')[1] as string)}`;
          expect(names(row.example_model_missing)).toEqual(r.missing.map(col));
          expect(names(row.example_model_imputed)).toEqual(r.imputed.map(col));
          expect(names(row.example_model_flags)).toEqual(r.flags.map(flag));
          expect(names(row.example_model_escalated_by)).toEqual(r.escalatedBy.map(col));
        });
      }),
      { numRuns: 100 },
    );
  });
});
