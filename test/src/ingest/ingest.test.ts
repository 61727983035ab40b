/**
 * EPR ingest, piece by piece against hand-worked expectations: unit conversions (closed forms), FHIR Observations by
 * the codes of the guides, the mapping file's errors by path, and the assembly rules of long → sets (window, charted
 * twice, carried forward, never across encounters), with a property: every kept measurement lands in exactly one set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACVPU_CODES, convertUnit, LOINC, SNOMED } from '../../../src/ingest/codes.js';
import { assembleSets } from '../../../src/ingest/assemble.js';
import { checkMapping, parseNumber, parseTime, resolveMapping } from '../../../src/ingest/mapping.js';
import type { Measurement } from '../../../src/ingest/measurements.js';
import { fromFhirObservation, fromLongRow, ingestReport } from '../../../src/ingest/measurements.js';

const mapping = resolveMapping();
const T0 = Date.parse('2025-03-01T08:00:00Z');
const MIN = 60_000;

describe('units (UCUM), converted by stated rules, unknown ones flagged', () => {
  it('°F → °C, kPa → mmHg, a fraction → %; canonical units pass through', () => {
    expect(convertUnit('temperature', 98.6, '[degF]')).toEqual({ value: ((98.6 - 32) * 5) / 9 }); // 37.0 °C
    expect((convertUnit('temperature', 98.6, '[degF]') as { value: number }).value).toBeCloseTo(37, 12);
    expect((convertUnit('systolic_bp', 16, 'kPa') as { value: number }).value).toBeCloseTo(120.009872, 5); // 16 × 7.500617
    expect(convertUnit('spo2', 0.95, '1')).toEqual({ value: 95 });
    expect(convertUnit('temperature', 37.2, 'Cel')).toEqual({ value: 37.2 });
    expect(convertUnit('respiratory_rate', 18, '/min')).toEqual({ value: 18 });
  });
  it('an unknown unit or none is a problem naming the field, the unit and what was expected — never assumed', () => {
    expect(convertUnit('temperature', 37, 'F')).toEqual({ problem: 'temperature: unknown unit "F" (expected Cel, °C, degC, [degF], °F, degF)' });
    expect(convertUnit('heart_rate', 80, null)).toEqual({ problem: 'heart_rate: no unit (expected /min)' });
  });
  it('times are read by the stated format; a time without a zone is rejected unless the mapping says UTC', () => {
    const iso = { format: 'iso', naive: 'reject' } as const;
    expect(parseTime('2025-03-01T08:00:00Z', iso)).toBe(T0);
    expect(parseTime('2025-03-01T09:00:00+01:00', iso)).toBe(T0);
    expect(parseTime('2025-03-01 08:00', iso)).toEqual({ problem: expect.stringMatching(/no time zone/) });
    expect(parseTime('2025-03-01 08:00', { format: 'iso', naive: 'utc' })).toBe(T0);
    expect(parseTime('01/03/2025 08:00', { format: 'dmy', naive: 'utc' })).toBe(T0);
    expect(parseTime('03/01/2025 08:00', { format: 'mdy', naive: 'utc' })).toBe(T0);
    expect(parseTime('1/3/2025', { format: 'iso', naive: 'utc' })).toEqual({ problem: '"1/3/2025" is not an ISO 8601 time' });
  });
  it('calendar-invalid dates are rejected, never rolled over (31/02 is not 2 March)', () => {
    const dmy = { format: 'dmy', naive: 'utc' } as const;
    expect(parseTime('31/02/2024 10:00', dmy)).toEqual({ problem: '"31/02/2024 10:00" is not a date on the calendar (2024-02 has no day 31)' });
    expect(parseTime('29/02/2024 10:00', dmy)).toBe(Date.UTC(2024, 1, 29, 10)); // a leap year
    expect(parseTime('29/02/2023 10:00', dmy)).toEqual({ problem: expect.stringMatching(/not a date on the calendar/) });
    expect(parseTime('2024-02-30T10:00:00Z', { format: 'iso', naive: 'reject' })).toEqual({ problem: expect.stringMatching(/2024-02 has no day 30/) });
    expect(parseTime('02/31/2024', { format: 'mdy', naive: 'utc' })).toEqual({ problem: expect.stringMatching(/not a date on the calendar/) });
    expect(parseTime('01/03/2025 24:30', dmy)).toEqual({ problem: '"01/03/2025 24:30" is not a time of day' });
    expect(parseTime('13/13/2025', dmy)).toEqual({ problem: expect.stringMatching(/not a date on the calendar/) });
  });
  it('a decimal comma is read only when stated', () => {
    expect(parseNumber('37,5', ',')).toBe(37.5);
    expect(parseNumber('37,5', '.')).toEqual({ problem: expect.stringMatching(/not a number \(a decimal comma\?/) });
    expect(parseNumber('abc', '.')).toEqual({ problem: '"abc" is not a number' });
  });
});

/** A FHIR Observation of one patient and encounter at T0 (+ minutes). */
const obs = (extra: Record<string, unknown>, minutes = 0) => ({
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  subject: { reference: 'Patient/p1' },
  encounter: { reference: 'Encounter/e1' },
  effectiveDateTime: new Date(T0 + minutes * MIN).toISOString(),
  ...extra,
});
const coding = (system: string, code: string) => ({ coding: [{ system, code }] });
const qty = (value: number, code: string) => ({ value, code, system: 'http://unitsofmeasure.org' });

function measure(resource: unknown) {
  const report = ingestReport();
  const m = fromFhirObservation(resource, 'test', mapping, report);
  return { m: m.map((x) => [x.field, x.value]), report };
}

describe('FHIR R4 Observations (vital-signs profile; NHS FHIR-NEWS2)', () => {
  it('flattens a blood-pressure panel (85354-9) into systolic (8480-6) and diastolic (8462-4)', () => {
    const bp = obs({
      code: coding(LOINC, '85354-9'),
      component: [
        { code: coding(LOINC, '8480-6'), valueQuantity: qty(118, 'mm[Hg]') },
        { code: coding(LOINC, '8462-4'), valueQuantity: qty(76, 'mm[Hg]') },
      ],
    });
    expect(measure(bp).m).toEqual([
      ['systolic_bp', 118],
      ['diastolic_bp', 76],
    ]);
  });
  it('reads SpO2 when coded 59408-5, or 2708-6 with 59408-5 or the vital-signs category; 2708-6 alone is an arterial SaO2', () => {
    const VITAL = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
    const LAB = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
    const both = {
      coding: [
        { system: LOINC, code: '2708-6' },
        { system: LOINC, code: '59408-5' },
      ],
    };
    expect(measure(obs({ code: coding(LOINC, '59408-5'), valueQuantity: qty(93, '%') })).m).toEqual([['spo2', 93]]);
    expect(measure(obs({ code: both, valueQuantity: qty(93, '%') })).m).toEqual([['spo2', 93]]);
    expect(measure(obs({ code: coding(LOINC, '2708-6'), category: VITAL, valueQuantity: qty(93, '%') })).m).toEqual([['spo2', 93]]);
    // An arterial blood gas: coded 2708-6 only, category laboratory — never mixed into spo2.
    expect(measure(obs({ code: coding(LOINC, '2708-6'), category: LAB, valueQuantity: qty(85, '%') })).m).toEqual([['sao2', 85]]);
    expect(measure(obs({ code: coding(LOINC, '2708-6'), valueQuantity: qty(85, '%') })).m).toEqual([['sao2', 85]]);
    const withFlow = obs({
      code: coding(LOINC, '59408-5'),
      valueQuantity: qty(95, '%'),
      component: [{ code: coding(LOINC, '3151-8'), valueQuantity: qty(2, 'L/min') }],
    });
    expect(measure(withFlow).m).toEqual([
      ['spo2', 95],
      ['on_oxygen', true],
    ]);
  });
  it('oxygen: by code (371825009 on oxygen, 722742002 room air), by FiO2 > 21 % (3150-0) or by flow > 0 (3151-8)', () => {
    expect(measure(obs({ code: coding(SNOMED, '371825009') })).m).toEqual([['on_oxygen', true]]);
    expect(measure(obs({ code: coding(SNOMED, '722742002') })).m).toEqual([['on_oxygen', false]]);
    expect(measure(obs({ code: coding(LOINC, '3150-0'), valueQuantity: qty(28, '%') })).m).toEqual([['on_oxygen', true]]);
    expect(measure(obs({ code: coding(LOINC, '3150-0'), valueQuantity: qty(21, '%') })).m).toEqual([['on_oxygen', false]]);
    expect(measure(obs({ code: coding(LOINC, '3150-0'), valueQuantity: qty(0.4, '1') })).m).toEqual([['on_oxygen', true]]);
    expect(measure(obs({ code: coding(LOINC, '3151-8'), valueQuantity: qty(0, 'L/min') })).m).toEqual([['on_oxygen', false]]);
  });
  it('ACVPU (1104441000000107) by its five SNOMED value codes, each level', () => {
    const expected: Record<string, string> = { '248234008': 'A', '130987000': 'C', '300202002': 'V', '450847001': 'P', '422768004': 'U' };
    expect(ACVPU_CODES).toEqual(expected);
    for (const [code, letter] of Object.entries(expected))
      expect(measure(obs({ code: coding(SNOMED, '1104441000000107'), valueCodeableConcept: coding(SNOMED, code) })).m).toEqual([['consciousness', letter]]);
  });
  it('an ABG SaO2 of 85 % charted 3 minutes after a pulse-oximeter SpO2 of 96 % leaves the set’s SpO2 at 96 %', () => {
    const LAB = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
    const report = ingestReport();
    const ms = [
      ...fromFhirObservation(obs({ id: 'ox', code: coding(LOINC, '59408-5'), valueQuantity: qty(96, '%') }), 'a', mapping, report),
      ...fromFhirObservation(obs({ id: 'abg', code: coding(LOINC, '2708-6'), category: LAB, valueQuantity: qty(85, '%') }, 3), 'b', mapping, report),
    ];
    const sets = assembleSets(ms).table;
    expect(sets.numRows).toBe(1);
    expect(sets.getChild('spo2')?.get(0)).toBe(96);
    expect(sets.getChild('sao2')?.get(0)).toBe(85);
  });
  it('a value with a comparator is rejected with its reason, never read as the bare number (FHIR and long rows)', () => {
    const lactate = measure(obs({ code: coding(LOINC, '8867-4'), valueQuantity: { ...qty(40, '/min'), comparator: '>' } }));
    expect(lactate.m).toEqual([]);
    expect(lactate.report.examples[0]?.reason).toBe('value with a comparator (">40"): a bound, not a measurement — not read as the bare number');
    const report = ingestReport();
    expect(
      fromLongRow({ patient: 'p', encounter: 'e', time: '2025-03-01T08:00:00Z', code: '59408-5', value: '<70', unit: '%' }, 'f.csv:2', mapping, report),
    ).toBeNull();
    expect(report.examples[0]).toEqual({
      source: 'f.csv:2',
      reason: 'value with a comparator ("<70"): a bound, not a measurement — not read as the bare number',
    });
  });
  it('consciousness in words: "new confusion" is C; a bare "confused" is rejected as ambiguous:consciousness, not scored as C', () => {
    const acvpu = (t: string) => measure(obs({ code: coding(SNOMED, '1104441000000107'), valueString: t }));
    expect(acvpu('New confusion').m).toEqual([['consciousness', 'C']]);
    expect(acvpu('new  confusion').m).toEqual([['consciousness', 'C']]);
    const bare = acvpu('Confused');
    expect(bare.m).toEqual([]);
    expect(bare.report.examples[0]?.reason).toMatch(/^ambiguous:consciousness: "Confused" does not say the confusion is new/);
  });
  it('°F temperatures become °C', () => {
    const [[, v]] = measure(obs({ code: coding(LOINC, '8310-5'), valueQuantity: qty(100.4, '[degF]') })).m as [[string, number]];
    expect(v).toBeCloseTo(38, 12); // (100.4 − 32) × 5/9
  });
  it('rejects, with the reason: another resource, entered-in-error, an unknown code, an unknown unit, no zone', () => {
    expect(measure({ resourceType: 'Patient', id: 'p1' }).report.examples[0]?.reason).toBe('not an Observation (Patient)');
    expect(measure(obs({ status: 'entered-in-error', code: coding(LOINC, '8867-4'), valueQuantity: qty(80, '/min') })).report.examples[0]?.reason).toBe(
      'status entered-in-error',
    );
    expect(measure(obs({ code: coding(LOINC, '1234-5'), valueQuantity: qty(1, '1') })).report.examples[0]?.reason).toBe(
      'no code the mapping knows (http://loinc.org|1234-5)',
    );
    expect(measure(obs({ code: coding(LOINC, '8310-5'), valueQuantity: { value: 99, unit: 'F' } })).report.examples[0]?.reason).toMatch(
      /temperature: unknown unit "F"/,
    );
    expect(
      measure(obs({ code: coding(LOINC, '8867-4'), valueQuantity: qty(80, '/min'), effectiveDateTime: '2025-03-01T08:00:00' })).report.examples[0]?.reason,
    ).toMatch(/no time zone/);
  });
});

describe('the mapping file', () => {
  it('names every problem by its path', () => {
    expect(
      checkMapping({
        schema: 'ewskit.mapping/2',
        codes: [{ code: 'T', field: 'temp' }, { field: 'spo2' }],
        columns: { vitals: {} },
        csv: { decimal: ',' },
        assemble: { windowMinutes: -1, maxAgeMinutes: { pulse: 5 } },
        extra: 1,
      }),
    ).toEqual([
      '$.extra: unknown key (expected schema, codes, columns, time, csv, assemble, tables)',
      '$.schema: expected "ewskit.mapping/1"; received "ewskit.mapping/2"',
      '$.codes[0].field: expected one of respiratory_rate, spo2, sao2, spo2_scale, on_oxygen, systolic_bp, diastolic_bp, heart_rate, consciousness, temperature, gcs; received "temp"',
      '$.codes[1].code: expected a non-empty string; received undefined',
      '$.columns.vitals: unknown table (expected observations, events, patients, encounters)',
      '$.csv: a decimal comma needs another delimiter (e.g. ";")',
      '$.assemble.windowMinutes: expected a number of minutes ≥ 0; received -1',
      '$.assemble.maxAgeMinutes.pulse: expected a field (respiratory_rate, spo2, sao2, spo2_scale, on_oxygen, systolic_bp, diastolic_bp, heart_rate, consciousness, temperature, gcs); received "pulse"',
    ]);
    expect(() => resolveMapping({ codes: 3 })).toThrow(/mapping: 1 problem\(s\):\n {2}\$\.codes: expected an array; received 3/);
  });
  it('adds local codes (with a default unit, or coded values such as a target-range order → SpO2 scale)', () => {
    const m = resolveMapping({
      codes: [
        { code: 'TEMP', field: 'temperature', unit: 'Cel' },
        { system: 'local', code: 'O2T', field: 'spo2_scale', values: { '88-92': 2 } },
      ],
    });
    const report = ingestReport();
    expect(fromLongRow({ encounter: 'e1', time: '2025-03-01T08:00Z', code: 'TEMP', value: '37.4' }, 'row 1', m, report)?.value).toBe(37.4);
    expect(fromLongRow({ encounter: 'e1', time: '2025-03-01T08:00Z', system: 'local', code: 'O2T', value: '88-92' }, 'row 2', m, report)?.value).toBe(2);
    expect(report).toMatchObject({ read: 2, kept: 2, rejected: 0 });
  });
});

/** A measurement of encounter `e` at T0 + minutes. */
const at = (e: string | null, minutes: number, field: Measurement['field'], value: Measurement['value']): Measurement => ({
  patient: 'p1',
  encounter: e,
  time: T0 + minutes * MIN,
  field,
  value,
  source: `${e ?? '-'}@${minutes}`,
});

const rowsOf = (t: ReturnType<typeof assembleSets>['table']) => t.toArray().map((r) => r.toJSON() as Record<string, unknown>);

describe('assembleSets: long → observation sets', () => {
  it('one set per charting moment: jittered values within the window belong together; a fixed window never chains', () => {
    const m = [
      at('e1', 0, 'heart_rate', 80),
      at('e1', 1.5, 'respiratory_rate', 18),
      at('e1', 4, 'spo2', 96),
      at('e1', 8, 'heart_rate', 90),
      at('e1', 30, 'heart_rate', 100),
    ];
    // Window 5 from the set's first value: {0, 1.5, 4}, {8}, {30} — 8 is within 5 of 4 but not of 0.
    const { table, report } = assembleSets(m, { windowMinutes: 5 });
    const rows = rowsOf(table);
    expect(rows.map((r) => [r.observed_at, r.measurements])).toEqual([
      [T0, 3],
      [T0 + 8 * MIN, 1],
      [T0 + 30 * MIN, 1],
    ]);
    expect(rows[0]).toMatchObject({ heart_rate: 80, respiratory_rate: 18, spo2: 96, temperature: null, carried_forward: null, set_flags: null });
    expect(report.sets).toBe(3);
    // Stamped with the last measurement's time when asked.
    expect(rowsOf(assembleSets(m, { windowMinutes: 5, anchor: 'last' }).table)[0]?.observed_at).toBe(T0 + 4 * MIN);
  });
  it('charted twice: the same value counts once; different values keep the later one and flag the set', () => {
    const m = [at('e1', 0, 'heart_rate', 80), at('e1', 1, 'heart_rate', 80), at('e1', 0, 'temperature', 36.2), at('e1', 2, 'temperature', 38.1)];
    const { table, report } = assembleSets(m);
    expect(rowsOf(table)).toMatchObject([{ heart_rate: 80, temperature: 38.1, set_flags: 'conflict: temperature (36.2 → 38.1)' }]);
    expect(report).toMatchObject({ duplicates: 1, conflicts: 1 });
  });
  it('carries a missing value forward only when asked, within maxAge, flagged with its age, never across encounters', () => {
    const m = [
      at('e1', 0, 'consciousness', 'A'),
      at('e1', 0, 'heart_rate', 80),
      at('e1', 30, 'heart_rate', 85),
      at('e1', 120, 'heart_rate', 90),
      at('e2', 40, 'heart_rate', 70), // another encounter of the same patient
    ];
    expect(rowsOf(assembleSets(m).table).map((r) => r.consciousness)).toEqual(['A', null, null, null]); // default: none
    const { table, report } = assembleSets(m, { maxAgeMinutes: { consciousness: 60 } });
    const rows = rowsOf(table);
    expect(rows.map((r) => [r.encounter_id, r.consciousness, r.consciousness_age_minutes, r.carried_forward])).toEqual([
      ['e1', 'A', null, null],
      ['e1', 'A', 30, 'consciousness 30 min'], // 30 min after the value it carries
      ['e1', null, null, null], // 120 min after the last *measured* value: too old
      ['e2', null, null, null], // never from another encounter
    ]);
    expect(report.carried).toEqual({ consciousness: 1 });
  });
  it('rejects measurements without an encounter, naming them, and checks its options', () => {
    const { report } = assembleSets([at(null, 0, 'heart_rate', 80), at('e1', 0, 'heart_rate', 81)]);
    expect(report.rejected).toMatchObject({
      read: 2,
      kept: 1,
      rejected: 1,
      examples: [{ source: '-@0', reason: 'no encounter: sets are never built across encounters' }],
    });
    expect(() => assembleSets([], { windowMinutes: -1 })).toThrow('assembleSets: windowMinutes must be a number of minutes ≥ 0; received -1');
    expect(() => assembleSets([], { maxAgeMinutes: { pulse: 5 } as never })).toThrow(/maxAgeMinutes names "pulse", which is not a measured field/);
    expect(assembleSets([]).table.numRows).toBe(0);
  });
  it('property: every kept measurement lands in exactly one set (the sets’ counts add up to the input)', () => {
    const measurement = fc.record({
      e: fc.constantFrom('e1', 'e2', 'e3'),
      minutes: fc.integer({ min: 0, max: 600 }),
      field: fc.constantFrom('heart_rate' as const, 'respiratory_rate' as const, 'spo2' as const),
      value: fc.integer({ min: 40, max: 140 }),
    });
    fc.assert(
      fc.property(fc.array(measurement, { maxLength: 60 }), fc.integer({ min: 0, max: 30 }), (list, window) => {
        const { table } = assembleSets(
          list.map((x) => at(x.e, x.minutes, x.field, x.value)),
          { windowMinutes: window },
        );
        const counts = rowsOf(table).map((r) => Number(r.measurements));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(list.length);
        // Sets of one encounter are at least a window apart from the set before's first value.
        const rows = rowsOf(table);
        rows.forEach((r, i) => {
          const prev = rows[i - 1];
          if (prev !== undefined && prev.encounter_id === r.encounter_id)
            expect(Number(r.observed_at) - Number(prev.observed_at)).toBeGreaterThan(window * MIN);
        });
      }),
      { numRuns: 200, seed: 15 },
    );
  });
});
