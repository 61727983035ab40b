/**
 * Every shipped model score, swept as a clinician would: from an all-normal patient, move one input at a time over
 * every value it can take at chart precision (vital signs and laboratory values, both directions). The risk never falls
 * below the all-normal baseline, and never falls as the value moves further from normal; every single extreme value
 * (NEWS2's 3-point bands, C/V/P/U, the stated laboratory extremes) leaves the lowest zone and is named in
 * `escalatedBy`. The patients the issue found in green are checked by name, through the evaluator and the kernel.
 */
import { describe, expect, it } from 'vitest';
import { getScore, listScores } from '../../../scores/catalogue/catalogue.js';
import { CLINICAL_RANGES, isExtreme } from '../../../scores/definition/clinical-ranges.js';
import type { ModelScore } from '../../../scores/definition/model.js';
import type { FieldName, NumericField } from '../../../scores/definition/schema.js';
import { FIELDS } from '../../../scores/definition/schema.js';
import { scoreModelObservation } from '../../../scores/evaluate/score-model-observation.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { NORMAL_PATIENT } from '../../helpers/normal-patient.js';
import { rowOf, tableOf } from '../../helpers/tables.js';

const models = listScores()
  .filter((s) => s.kind === 'model')
  .map((s) => getScore(s.id) as ModelScore);

const NORMAL: Record<string, unknown> = { ...NORMAL_PATIENT };

const probability = (def: ModelScore, o: Record<string, unknown>): number => {
  const p = scoreModelObservation(def, o).probability;
  if (p === null) throw new Error(`expected a probability for ${JSON.stringify(o)}`);
  return p;
};

/** Every value of a numeric field at chart precision over its possible range. */
function values(field: NumericField): number[] {
  const scale = 10 ** field.precision;
  const out: number[] = [];
  for (let q = Math.round(field.possible[0] * scale); q <= Math.round(field.possible[1] * scale); q++) out.push(q / scale);
  return out;
}

it('there are shipped model scores to sweep', () => expect(models.map((m) => m.id).sort()).toEqual(['apollo_style', 'news2_age_comorbidity']));

for (const def of models) {
  describe(`${def.id}: the sweep`, () => {
    const baseline = probability(def, NORMAL);
    const fields = def.terms.map((t) => t.field).filter((f) => CLINICAL_RANGES[f] !== undefined);

    it('the all-normal patient is in the lowest zone and escalated by nothing', () => {
      const r = scoreModelObservation(def, NORMAL);
      expect(r.risk).toBe(def.zones[0]?.label);
      expect(r.escalatedBy).toEqual([]);
    });

    for (const field of fields) {
      const f = FIELDS[field];
      it(`${field}: never below the normal baseline; never falling away from normal; every extreme value leaves the lowest zone`, () => {
        const rule = CLINICAL_RANGES[field];
        if (f.kind === 'numeric' && rule?.kind === 'range') {
          const xs = values(f);
          const ps = xs.map((x) => probability(def, { ...NORMAL, [field]: x }));
          xs.forEach((x, i) => {
            expect(ps[i], `${field} ${x}`).toBeGreaterThanOrEqual(baseline - 1e-15);
            // Moving away from normal: upwards above the range, downwards below it.
            if (x > rule.high && i > 0) expect(ps[i], `${field} ${x} vs ${xs[i - 1]}`).toBeGreaterThanOrEqual((ps[i - 1] as number) - 1e-15);
            if (x < rule.low && i + 1 < xs.length) expect(ps[i], `${field} ${x} vs ${xs[i + 1]}`).toBeGreaterThanOrEqual((ps[i + 1] as number) - 1e-15);
            if (x >= rule.low && x <= rule.high) expect(ps[i], `${field} ${x} is normal`).toBeCloseTo(baseline, 14);
            const r = scoreModelObservation(def, { ...NORMAL, [field]: x });
            expect(r.escalatedBy.includes(field), `${field} ${x}`).toBe(isExtreme(field, x));
            if (isExtreme(field, x)) expect(r.risk, `${field} ${x}`).not.toBe(def.zones[0]?.label);
          });
        } else if (rule?.kind === 'order') {
          rule.codes.forEach((code) => {
            const r = scoreModelObservation(def, { ...NORMAL, [field]: field === 'onOxygen' ? code === 'oxygen' : code });
            expect(r.probability as number, `${field} ${code}`).toBeGreaterThanOrEqual(baseline - 1e-15);
            if (rule.extreme.includes(code)) {
              expect(r.escalatedBy).toEqual([field]);
              expect(r.risk, `${field} ${code}`).not.toBe(def.zones[0]?.label);
            }
          });
        }
      });
    }
  });
}

describe('the patients the issue found in green are no longer green (evaluator and kernel)', () => {
  const apollo = models.find((m) => m.id === 'apollo_style') as ModelScore;
  const cases: [string, Record<string, unknown>, FieldName[]][] = [
    ['unresponsive (U)', { consciousness: 'U' }, ['consciousness']],
    ['SBP 60', { systolicBP: 60 }, ['systolicBP']],
    ['SpO2 80', { spo2: 80 }, ['spo2']],
    ['RR 6', { respiratoryRate: 6 }, ['respiratoryRate']],
    ['HR 160', { heartRate: 160 }, ['heartRate']],
    ['T 33 °C', { temperature: 33 }, ['temperature']],
    // NEWS2 10 (T 3 + HR 2 + SBP 3 + RR 2): each of T 34.5 and SBP 88 is a 3-point band; WCC 2 is a laboratory extreme.
    [
      'hypothermic sepsis (T 34.5, HR 115, SBP 88, RR 24, WCC 2)',
      { temperature: 34.5, heartRate: 115, systolicBP: 88, respiratoryRate: 24, whiteCellCount: 2 },
      ['systolicBP', 'temperature', 'whiteCellCount'],
    ],
  ];
  const rows = cases.map(([, change]) => ({ ...NORMAL, ...change }));
  const scored = scoreTable(apollo, tableOf(rows));
  cases.forEach(([title, , by], i) => {
    it(title, () => {
      const r = scoreModelObservation(apollo, rows[i] as Record<string, unknown>);
      expect(r.risk).not.toBe('green');
      expect(r.escalatedBy).toEqual(by);
      const row = rowOf(scored, i);
      expect(row.apollo_style_risk).toBe(r.risk);
      expect(row.apollo_style_escalated_by).toBe(by.map((f) => FIELDS[f].column).join(';'));
    });
  });

  it('a missing consciousness level gives no probability (never imputed as Alert), but an extreme value still escalates', () => {
    const r = scoreModelObservation(apollo, { ...NORMAL, consciousness: null });
    expect(r.probability).toBeNull();
    expect(r.risk).toBeNull();
    const extreme = scoreModelObservation(apollo, { ...NORMAL, consciousness: null, respiratoryRate: 30 });
    expect(extreme.probability).toBeNull();
    expect(extreme.risk).toBe('orange'); // at least the escalation zone, as NEWS2's red score on an incomplete set
    expect(extreme.response?.action).toMatch(/Enhanced care/);
  });
});
