/**
 * `toFhir`: a NEWS2 result as a FHIR R4 Observation, with the NHS FHIR-NEWS2 codes (SNOMED CT UK edition) as the
 * implementation guide gives them — the total 1104051000000101 in `{score}`, one component per subscore.
 */
import { describe, expect, it } from 'vitest';
import { mews } from '../../../scores/catalogue/mews.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';
import { toFhir } from '../../../scores/fhir/to-fhir.js';

// RR 22 (2), SpO2 94 on air (1), air (0), SBP 105 (1), HR 112 (2), A (0), 38.4 °C (1): total 7 (RCP 2017, Chart 1).
const set = { respiratoryRate: 22, spo2: 94, onOxygen: false, systolicBP: 105, heartRate: 112, consciousness: 'A', temperature: 38.4 };

describe('toFhir(news2, result)', () => {
  const fhir = toFhir(news2, scoreObservation(news2, set), {
    subject: 'Patient/p1',
    effectiveDateTime: '2026-11-29T10:00:00Z',
    derivedFrom: ['Observation/rr', 'Observation/spo2'],
  });

  it('the total under SNOMED 1104051000000101, valued in {score}', () => {
    expect(fhir).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '1104051000000101', display: 'Royal College of Physicians NEWS2 total score' }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2026-11-29T10:00:00Z',
      valueQuantity: { value: 7, system: 'http://unitsofmeasure.org', code: '{score}' },
      derivedFrom: [{ reference: 'Observation/rr' }, { reference: 'Observation/spo2' }],
    });
  });

  it('one component per subscore, each under its own code, adding up to the total', () => {
    const byCode = Object.fromEntries(fhir.component.map((c) => [c.code.coding[0]?.code, c.valueQuantity.value]));
    expect(byCode).toEqual({
      '1104301000000104': 2, // respiration rate
      '1104311000000102': 1, // SpO2 scale 1
      '1104331000000105': 0, // air or oxygen
      '1104341000000101': 1, // systolic BP
      '1104351000000103': 2, // pulse
      '1104361000000100': 0, // consciousness
      '1104371000000107': 1, // temperature
    });
    expect(fhir.component.reduce((t, c) => t + c.valueQuantity.value, 0)).toBe(7);
  });

  it('SpO2 on Scale 2 takes the Scale 2 code', () => {
    const r = toFhir(news2, scoreObservation(news2, { ...set, spo2Scale: 2, spo2: 90 }), { spo2Scale: 2 });
    expect(r.component.map((c) => c.code.coding[0]?.code)).toContain('1104321000000108');
  });

  it('refuses another score, and a set without a total (naming what is missing)', () => {
    expect(() => toFhir(mews as never, scoreObservation(mews, set))).toThrow(/toFhir: argument "def" expected the NEWS2 definition/);
    expect(() => toFhir(news2, scoreObservation(news2, { ...set, temperature: null }))).toThrow(/toFhir: the set has no NEWS2 total \(missing temperature\)/);
  });
});
