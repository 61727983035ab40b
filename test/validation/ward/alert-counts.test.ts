/**
 * The alert measures' count tables: a hand-worked ward's sums and lead times (worked in the comments); a lead-time
 * quantile from counts is the type-7 quantile of the values repeated; and — what lets sites pool the alert measures —
 * the counts of two disjoint sets of patients, added, are the counts of all of them, replicate by replicate, under the
 * Poisson bootstrap (each patient's weight a hash of its key).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WardSets } from '../../../validation/ward/alert-measures.js';
import {
  addComplianceCounts,
  addRuleCounts,
  complianceCounts,
  countedQuantile7,
  RULE_COUNT_FIELDS,
  ruleCounts,
} from '../../../validation/ward/alert-measures.js';
import { isNightTime } from '../../../validation/ward/monitoring.js';
import { quantile7 } from '../../../validation/stats/sorted.js';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.UTC(2025, 0, 1);

describe('ruleCounts: a hand-worked ward', () => {
  // Patient "a", encounter 0: ward 48 h; sets at 0, 4, 8, 12 h, alerting at 4 and 8; an event at 20 h.
  // Patient "b", encounter 1: ward 24 h; sets at 0, 6, 12 h, alerting at 0 and 12; no event.
  // Patient "b", encounter 2: ward time unknown; sets at 0 and 1 h, no alert; an event at 30 h.
  const w: WardSets = {
    encounter: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2]),
    time: Float64Array.from([0, 4, 8, 12, 0, 6, 12, 0, 1], (h) => T0 + h * H),
    encounterPatient: Int32Array.from([0, 1, 1]),
    patients: 2,
    patientKeys: ['a', 'b'],
    wardMs: Float64Array.from([48 * H, 24 * H, Number.NaN]),
    eventAt: Float64Array.from([T0 + 20 * H, Number.NaN, T0 + 30 * H]),
    horizonHours: 24,
  };
  const fires = Uint8Array.from([0, 1, 1, 0, 1, 0, 1, 0, 0]);

  it('the data row holds the sums by hand, the lead time its count', () => {
    const [c] = ruleCounts(w, [fires], { B: 0, seed: 1, method: 'poisson' });
    // alerts 4; sets 9; alerts in encounters with a ward time 4 (encounter 2 has none and no alert); ward time
    // 48 + 24 = 72 h in ms; repeats 1 (the 8 h alert follows the 4 h one; encounter 1's alerts are not adjacent);
    // encounters with an alert 2; first alert followed by the event within 24 h: encounter 0's (4 h → 20 h) only, 1;
    // episodes 2 (encounters 0 and 2); detected 1 (encounter 0: the first alert in the 24 h before the event is at 4 h).
    expect(Array.from(c?.sums ?? [])).toEqual([4, 9, 4, 72 * H, 1, 2, 1, 2, 1]);
    expect(RULE_COUNT_FIELDS).toHaveLength(9);
    // One detected episode, lead time 20 − 4 = 16 h.
    expect(Array.from(c?.leads ?? [])).toEqual([16]);
    expect(Array.from(c?.leadCounts ?? [])).toEqual([1]);
    // Patients with an alert: a and b; with an episode: a and b; with a detected episode: a.
    expect([c?.patientsWithAlert, c?.patientsWithEpisode, c?.patientsDetected]).toEqual([2, 2, 1]);
  });
  it('a replicate row is the patients’ tallies (by hand) weighed by whole weights, and the lead time’s count is a’s weight', () => {
    // With B = 1 the replicate row is w_a · tally(a) + w_b · tally(b); checked against the data rows of a and b apart.
    const [c] = ruleCounts(w, [fires], { B: 30, seed: 5, method: 'poisson' });
    // Tallies of a and of b (hand): a: alerts 2, sets 4, alertsWard 2, 48 h, repeats 1, withAlert 1, first+ 1,
    // episodes 1, detected 1; b: alerts 2, sets 5, alertsWard 2, 24 h, repeats 0, withAlert 1, first+ 0, episodes 1,
    // detected 0.
    const a = [2, 4, 2, 48 * H, 1, 1, 1, 1, 1];
    const b = [2, 5, 2, 24 * H, 0, 1, 0, 1, 0];
    const sums = c?.sums ?? new Float64Array(0);
    let seen = 0;
    for (let r = 1; r <= 30; r++) {
      const row = Array.from(sums.subarray(r * 9, r * 9 + 9));
      // The weights (wa, wb) from two fields: sets S = 4 wa + 5 wb and ward time in days D = 2 wa + wb, so
      // S − 2 D = 3 wb and wa = (D − wb) / 2; every other field must then follow.
      const S = row[1] as number;
      const D = (row[3] as number) / (24 * H);
      const wb = (S - 2 * D) / 3;
      const wa = (D - wb) / 2;
      expect(Number.isInteger(wa) && Number.isInteger(wb)).toBe(true);
      expect(row).toEqual(a.map((x, i) => wa * x + wb * (b[i] as number)));
      expect(c?.leadCounts[r]).toBe(wa); // a's one lead time, weighed by a's weight
      if (wa !== 1 || wb !== 1) seen++;
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('countedQuantile7', () => {
  it('is the type-7 quantile of the values repeated their counts’ times', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 12, maxLength: 12 }),
        fc.constantFrom(0.25, 0.5, 0.75, 0.1),
        (raw, counts, p) => {
          const values = [...raw].sort((x, y) => x - y).map((v) => v / 60);
          const expanded = values.flatMap((v, i) => Array.from({ length: counts[i] ?? 0 }, () => v));
          const got = countedQuantile7(values, counts, 0, p);
          if (expanded.length === 0) expect(got).toBeNaN();
          else expect(got).toBe(quantile7(expanded, p));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A random ward: patients with encounters, sets at whole minutes, alerts, events, ward times, bands and next sets. */
const wardArb = fc
  .array(
    fc.record({
      encounters: fc.array(
        fc.record({
          sets: fc.array(
            fc.record({
              minute: fc.integer({ min: 0, max: 3000 }),
              fire: fc.boolean(),
              band: fc.integer({ min: -1, max: 3 }),
              next: fc.option(fc.integer({ min: 1, max: 900 })),
            }),
            {
              minLength: 1,
              maxLength: 8,
            },
          ),
          eventMinute: fc.option(fc.integer({ min: 0, max: 4000 })),
          wardMinutes: fc.option(fc.integer({ min: 60, max: 20_000 })),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      site: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((patients) => patients.map((p, i) => ({ ...p, key: `patient-${i}` })));
type WardPatients = (typeof wardArb extends fc.Arbitrary<infer T> ? T : never)[number][];

/** The ward of some patients: sets, encounters and patients numbered in order. */
function wardOf(patients: WardPatients): { w: WardSets; fires: Uint8Array; band: Int8Array; nextAt: Float64Array } {
  const encounter: number[] = [];
  const time: number[] = [];
  const fires: number[] = [];
  const band: number[] = [];
  const nextAt: number[] = [];
  const encounterPatient: number[] = [];
  const wardMs: number[] = [];
  const eventAt: number[] = [];
  patients.forEach((p, pi) =>
    p.encounters.forEach((e) => {
      const en = encounterPatient.length;
      encounterPatient.push(pi);
      wardMs.push(e.wardMinutes === null ? Number.NaN : e.wardMinutes * M);
      eventAt.push(e.eventMinute === null ? Number.NaN : T0 + e.eventMinute * M);
      for (const s of e.sets) {
        encounter.push(en);
        time.push(T0 + s.minute * M);
        fires.push(s.fire ? 1 : 0);
        band.push(s.band);
        nextAt.push(s.next === null ? Number.NaN : T0 + (s.minute + s.next) * M);
      }
    }),
  );
  return {
    w: {
      encounter: Int32Array.from(encounter),
      time: Float64Array.from(time),
      encounterPatient: Int32Array.from(encounterPatient),
      patients: patients.length,
      patientKeys: patients.map((p) => p.key),
      wardMs: Float64Array.from(wardMs),
      eventAt: Float64Array.from(eventAt),
      horizonHours: 24,
    },
    fires: Uint8Array.from(fires),
    band: Int8Array.from(band),
    nextAt: Float64Array.from(nextAt),
  };
}

describe('alert counts add over disjoint sets of patients (two sites)', () => {
  const boot = { B: 25, seed: 99, method: 'poisson' as const };
  it('ruleCounts of two sites added are the counts of all their patients, every replicate, lead times included', () => {
    fc.assert(
      fc.property(wardArb, (patients) => {
        const whole = wardOf(patients);
        const parts = [true, false].map((s) => wardOf(patients.filter((p) => p.site === s)));
        const [a, b] = parts.map((part) => ruleCounts(part.w, [part.fires], boot)[0]);
        const all = ruleCounts(whole.w, [whole.fires], boot)[0];
        if (a === undefined || b === undefined || all === undefined) throw new Error('expected counts');
        expect(addRuleCounts(a, b)).toEqual(all);
      }),
      { numRuns: 150 },
    );
  });
  it('complianceCounts of two sites added are the counts of all their patients', () => {
    const hours = [12, 4, 1, 0.5];
    fc.assert(
      fc.property(wardArb, (patients) => {
        const whole = wardOf(patients);
        const parts = [true, false].map((s) => wardOf(patients.filter((p) => p.site === s)));
        const [a, b] = parts.map((part) => complianceCounts(part.w, part.band, part.nextAt, hours, 30, isNightTime, boot));
        expect(addComplianceCounts(a!, b!)).toEqual(complianceCounts(whole.w, whole.band, whole.nextAt, hours, 30, isNightTime, boot));
      }),
      { numRuns: 150 },
    );
  });
  it('refuses to add counts of different replicates, naming them', () => {
    const { w, fires } = wardOf([
      { key: 'x', site: true, encounters: [{ sets: [{ minute: 0, fire: true, band: 0, next: null }], eventMinute: null, wardMinutes: 60 }] },
    ]);
    const [a] = ruleCounts(w, [fires], { ...boot, B: 2 });
    const [b] = ruleCounts(w, [fires], { ...boot, B: 3 });
    expect(() => addRuleCounts(a!, b!)).toThrow(/addRuleCounts: the counts have 2 and 3 replicates/);
  });
});
