/**
 * The alert measures against hand-worked examples (every number below is worked in the comments), and their
 * invariants as properties: the order of the sets does not matter, a rule that fires on more sets has at least as
 * many alerts and at least the episode sensitivity, and the bootstrap is seeded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WardSets } from '../../../validation/ward/alert-measures.js';
import { monitoringCompliance, ruleMeasures } from '../../../validation/ward/alert-measures.js';
import { MONITORING_BANDS, MONITORING_HOURS, monitoringBand, triggers } from '../../../validation/ward/monitoring.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 1); // midnight UTC

/**
 * Patient 0, encounter 0: ward 48 h; sets at 0, 4, 8, 12 h, the rule firing at 4 and 8; an event at 20 h.
 * Patient 1, encounter 1: ward 24 h; sets at 0, 6, 12 h, firing at 0 and 12; no event.
 * Patient 1, encounter 2: ward time unknown; sets at 0 and 1 h, no alert; an event at 30 h.
 */
const sets = [
  { e: 0, h: 0, fire: 0 },
  { e: 0, h: 4, fire: 1 },
  { e: 0, h: 8, fire: 1 },
  { e: 0, h: 12, fire: 0 },
  { e: 1, h: 0, fire: 1 },
  { e: 1, h: 6, fire: 0 },
  { e: 1, h: 12, fire: 1 },
  { e: 2, h: 0, fire: 0 },
  { e: 2, h: 1, fire: 0 },
];
function ward(order: readonly number[] = sets.map((_, i) => i)): { w: WardSets; fires: Uint8Array } {
  const picked = order.map((i) => sets[i] as (typeof sets)[number]);
  return {
    w: {
      encounter: Int32Array.from(picked, (s) => s.e),
      time: Float64Array.from(picked, (s) => T0 + s.h * H),
      encounterPatient: Int32Array.from([0, 1, 1]),
      patients: 2,
      wardMs: Float64Array.from([48 * H, 24 * H, Number.NaN]),
      eventAt: Float64Array.from([T0 + 20 * H, Number.NaN, T0 + 30 * H]),
      horizonHours: 24,
    },
    fires: Uint8Array.from(picked, (s) => s.fire),
  };
}
const estimate = (r: { defined: boolean; estimate?: number }): number => (r.defined ? (r.estimate as number) : Number.NaN);

describe('ruleMeasures: a hand-worked ward', () => {
  const { w, fires } = ward();
  const [m] = ruleMeasures(w, [fires], { B: 0, seed: 1, level: 0.95 });
  if (m === undefined) throw new Error('expected one rule');
  it('counts alerts, sets, repeats, first alerts and episodes', () => {
    expect(m.sums).toMatchObject({
      alerts: 4, // 2 in encounter 0, 2 in encounter 1
      sets: 9,
      alertsWithWardTime: 4, // encounter 2 (no ward time) has none
      wardDays: 3, // 48 h + 24 h
      repeats: 1, // the alert at 8 h follows the one at 4 h; at 12 h (enc. 1) follows a silent set
      encountersWithAlert: 2,
      firstAlertPositive: 1, // enc. 0's first alert (4 h) precedes its event (20 h) by 16 h ≤ 24; enc. 1 has no event
      episodes: 2, // enc. 0 and enc. 2
      detected: 1, // enc. 2 never alerts
      patientsWithAlert: 2,
      patientsWithEpisode: 2,
      patientsDetected: 1,
    });
  });
  it('gives the ratios: 4/3 per patient-day, 400/9 per 100 sets, 1/4 repeats, PPV 1/2, sensitivity 1/2; lead time 16 h', () => {
    expect(estimate(m.perPatientDay)).toBeCloseTo(4 / 3, 12);
    expect(estimate(m.per100Sets)).toBeCloseTo(400 / 9, 12);
    expect(estimate(m.repeatAlertRate)).toBe(0.25);
    expect(estimate(m.firstAlertPpv)).toBe(0.5);
    expect(estimate(m.episodeSensitivity)).toBe(0.5);
    // The first alert within 24 h before the event at 20 h is the one at 4 h: 16 h.
    expect(m.leadTimeHours).toEqual({ defined: true, median: 16, q1: 16, q3: 16, ci: null });
    expect(m.perPatientDay).toMatchObject({ ci: null }); // no bootstrap, no interval
  });
  it('an alert more than the horizon before the event does not detect it', () => {
    const late = { ...w, eventAt: Float64Array.from([T0 + 40 * H, Number.NaN, T0 + 30 * H]) }; // 4 h and 8 h are > 24 h before 40 h? 40−8 = 32 > 24
    const [r] = ruleMeasures(late, [fires], { B: 0, seed: 1, level: 0.95 });
    expect(r?.sums.detected).toBe(0);
    expect(r?.sums.firstAlertPositive).toBe(0);
    expect(r?.leadTimeHours).toMatchObject({ defined: false, reason: 'no-detected-episodes' });
  });
  it('defined answers for a rule that never fires and for a ward without times or events', () => {
    const [none] = ruleMeasures(w, [new Uint8Array(fires.length)], { B: 50, seed: 1, level: 0.95 });
    expect(estimate(none?.per100Sets ?? { defined: false })).toBe(0);
    expect(none?.repeatAlertRate).toMatchObject({ defined: false, reason: 'no-alerts' });
    expect(none?.firstAlertPpv).toMatchObject({ defined: false, reason: 'no-alerts' });
    expect(estimate(none?.episodeSensitivity ?? { defined: false })).toBe(0);
    const bare = { ...w, wardMs: Float64Array.from([NaN, NaN, NaN]), eventAt: Float64Array.from([NaN, NaN, NaN]) };
    const [b] = ruleMeasures(bare, [fires], { B: 0, seed: 1, level: 0.95 });
    expect(b?.perPatientDay).toMatchObject({ defined: false, reason: 'no-ward-time' });
    expect(b?.episodeSensitivity).toMatchObject({ defined: false, reason: 'no-episodes' });
    expect(
      ruleMeasures({ ...w, encounter: new Int32Array(0), time: new Float64Array(0) }, [new Uint8Array(0)], { B: 10, seed: 1, level: 0.95 })[0]?.per100Sets,
    ).toMatchObject({
      defined: false,
      reason: 'empty',
    });
  });
  it('the patient-clustered bootstrap is seeded, and one patient resampled is that patient: a degenerate interval', () => {
    const a = ruleMeasures(w, [fires], { B: 200, seed: 7, level: 0.95 });
    const b = ruleMeasures(w, [fires], { B: 200, seed: 7, level: 0.95 });
    expect(a).toEqual(b);
    const solo = { ...w, encounterPatient: Int32Array.from([0, 0, 0]), patients: 1 };
    const [s] = ruleMeasures(solo, [fires], { B: 50, seed: 1, level: 0.95 });
    expect(s?.per100Sets).toEqual({ defined: true, estimate: 400 / 9, ci: [400 / 9, 400 / 9] });
  });
});

describe('ruleMeasures: properties', () => {
  it('the order the sets come in does not matter', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          sets.map((_, i) => i),
          { minLength: sets.length, maxLength: sets.length },
        ),
        (order) => {
          const { w, fires } = ward(order);
          const base = ward();
          expect(ruleMeasures(w, [fires], { B: 0, seed: 1, level: 0.95 })).toEqual(ruleMeasures(base.w, [base.fires], { B: 0, seed: 1, level: 0.95 }));
        },
      ),
    );
  });
  it('a rule firing on more sets has at least the alerts and the episode sensitivity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: sets.length, maxLength: sets.length }),
        fc.array(fc.boolean(), { minLength: sets.length, maxLength: sets.length }),
        (a, extra) => {
          const { w } = ward();
          const narrow = Uint8Array.from(a, (x) => (x ? 1 : 0));
          const wide = Uint8Array.from(a, (x, i) => (x || extra[i] ? 1 : 0));
          const [n, m] = ruleMeasures(w, [narrow, wide], { B: 0, seed: 1, level: 0.95 });
          expect(m?.sums.alerts).toBeGreaterThanOrEqual(n?.sums.alerts ?? Infinity);
          expect(m?.sums.detected).toBeGreaterThanOrEqual(n?.sums.detected ?? Infinity);
          expect(m?.sums.encountersWithAlert).toBeGreaterThanOrEqual(n?.sums.encountersWithAlert ?? Infinity);
        },
      ),
    );
  });
});

describe('monitoringCompliance: a hand-worked chart (RCP 2017 Chart 4 intervals, + 30 min)', () => {
  // Encounter 0 (patient 0): 00:00 NEWS2 0 → next 11:00 (11 h ≤ 12.5: on time; due 12:00, day);
  //   11:00 NEWS2 3 → next 18:00 (7 h > 6.5: late; due 17:00, day); 18:00 NEWS2 5 → next 18:50 (on time; due 19:00,
  //   day); 18:50 has no next set. Encounter 1 (patient 1): 14:00 NEWS2 0 → next 06:00 (16 h: late; due 02:00, night).
  const rows = [
    { e: 0, at: T0, total: 0 },
    { e: 0, at: T0 + 11 * H, total: 3 },
    { e: 0, at: T0 + 18 * H, total: 5 },
    { e: 0, at: T0 + 18 * H + 50 * 60_000, total: 8 },
    { e: 1, at: T0 + 14 * H, total: 0 },
  ];
  const next = [T0 + 11 * H, T0 + 18 * H, T0 + 18 * H + 50 * 60_000, NaN, T0 + 30 * H];
  const night = (ms: number): boolean => {
    const h = new Date(ms).getUTCHours();
    return h >= 22 || h < 6;
  };
  const result = monitoringCompliance(
    { encounter: Int32Array.from(rows, (r) => r.e), time: Float64Array.from(rows, (r) => r.at), encounterPatient: Int32Array.from([0, 1]), patients: 2 },
    Int8Array.from(rows, (r) => MONITORING_BANDS.indexOf(monitoringBand(r.total, false))),
    Float64Array.from(next),
    MONITORING_BANDS.map((b) => MONITORING_HOURS[b]),
    30,
    night,
    { B: 0, seed: 1, level: 0.95 },
  );
  const share = (b: number, p: number): number => {
    const c = result[b]?.[p]?.compliance;
    return c?.defined === true ? c.estimate : Number.NaN;
  };
  it('band 0: 1 of 2 on time (day 1 of 1, night 0 of 1); 1–4: 0 of 1; 5–6: 1 of 1; ≥ 7: no set with a next set', () => {
    expect([result[0]?.[0]?.sets, share(0, 0), share(0, 1), share(0, 2)]).toEqual([2, 0.5, 1, 0]);
    expect([result[1]?.[0]?.sets, share(1, 0)]).toEqual([1, 0]);
    expect([result[2]?.[0]?.sets, share(2, 0)]).toEqual([1, 1]);
    expect(result[3]?.[0]?.compliance).toMatchObject({ defined: false, reason: 'empty' });
  });
});

describe('the ward rules (RCP 2017 Charts 4 and 5)', () => {
  it('monitoring bands at every edge: 0; 1–4; 5–6 or a red score; ≥ 7', () => {
    expect([0, 1, 4, 5, 6, 7, 20].map((t) => monitoringBand(t, false))).toEqual(['0', '1–4', '1–4', '5–6 or red', '5–6 or red', '≥ 7', '≥ 7']);
    expect(monitoringBand(3, true)).toBe('5–6 or red');
    expect(monitoringBand(7, true)).toBe('≥ 7');
    expect(MONITORING_HOURS).toEqual({ '0': 12, '1–4': 6, '5–6 or red': 1, '≥ 7': 1 });
  });
  it('triggers: urgent at ≥ 5 or red, emergency at ≥ 7, red on a red score alone', () => {
    expect([4, 5].map((t) => triggers('urgent', t, false))).toEqual([false, true]);
    expect(triggers('urgent', 3, true)).toBe(true);
    expect([6, 7].map((t) => triggers('emergency', t, true))).toEqual([false, true]);
    expect([triggers('red', 9, false), triggers('red', 1, true)]).toEqual([false, true]);
  });
});
