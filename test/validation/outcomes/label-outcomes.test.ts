import { tableFromArrays, vectorFromArray, TimestampMillisecond, Utf8 } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { labelOutcomes } from '../../../validation/outcomes/label-outcomes.js';

const H = 3_600_000;
const obs = tableFromArrays({
  encounter_id: vectorFromArray(['e1', 'e1', 'e1', 'e1', 'e2', 'e2', null], new Utf8()),
  observed_at: vectorFromArray([0, 10 * H, 30 * H, 50 * H, 0, 5 * H, 0], new TimestampMillisecond()),
} as never) as unknown as Table;
const events = tableFromArrays({
  encounter_id: vectorFromArray(['e1', 'e2'], new Utf8()),
  event_at: vectorFromArray([34 * H, 100 * H], new TimestampMillisecond()),
  event_type: vectorFromArray(['death', 'unplanned_icu'], new Utf8()),
} as never) as unknown as Table;

describe('labelOutcomes(observations, events, { horizonHours })', () => {
  it('labels (t, t + 24 h], excludes sets at or after the first event, and keeps every row', () => {
    // e1 event at 34 h: set at 0 h → 34 > 24 → 0; 10 h → 24 ≤ 34 ≤ 34 → 1; 30 h → 1; 50 h → after the event.
    // e2 event at 100 h: 0 h → 0; 5 h → 0. The last row has no encounter.
    const r = labelOutcomes(obs, events, { horizonHours: 24 });
    expect(Array.from(r.labels)).toEqual([0, 1, 1, -1, 0, 0, -1]);
    expect([r.positives, r.negatives, r.excludedAfterEvent, r.excludedMissing]).toEqual([2, 3, 1, 1]);
    expect(r.table.numRows).toBe(7);
    expect(r.table.getChild('event_within_24h')?.get(3)).toBeNull();
    expect(r.table.getChild('after_event')?.get(3)).toBe(true);
  });
  it('counts only the chosen event types', () => {
    // e2's ICU admission at 100 h is within 200 h of its sets → 1, 1. e1 has no ICU event; with no encounters table its
    // discharge is unknown, so it is open until the extract's end — inferred as the latest time in the extract, 100 h —
    // and every e1 window (to 200 h and beyond) passes that end: censored.
    const r = labelOutcomes(obs, events, { horizonHours: 200, eventTypes: ['unplanned_icu'] });
    expect(Array.from(r.labels)).toEqual([-1, -1, -1, -1, 1, 1, -1]);
    expect([r.censoredAtExtractEnd, r.extractEnd, r.extractEndInferred, r.openEncounters]).toEqual([4, 100 * H, true, 2]);
    // Given an extract end past every window, nothing is censored: e1's sets are negative.
    expect(Array.from(labelOutcomes(obs, events, { horizonHours: 200, eventTypes: ['unplanned_icu'], extractEnd: 1000 * H }).labels)).toEqual([
      0, 0, 0, 0, 1, 1, -1,
    ]);
  });
  it('a competing event (another type first) leaves a set negative and is counted apart (hand-worked)', () => {
    // Outcome: ICU only. e1 dies at 34 h (a competing event): its sets at 10 h (window to 34 h) and 30 h (to 54 h) have
    // it within 24 h → negative, counted competing; 0 h (to 24 h) and 50 h (to 74 h) do not. e2's ICU admission at
    // 100 h is beyond 24 h of its sets. The extract's end, inferred, is 100 h: every window ends before it.
    const r = labelOutcomes(obs, events, { horizonHours: 24, eventTypes: ['unplanned_icu'] });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 0, 0, 0, -1]);
    expect(r.competingNegatives).toBe(2);
    // Every type counted: nothing competes.
    expect(labelOutcomes(obs, events, { horizonHours: 24 }).competingNegatives).toBe(0);
  });
  it('names a missing column and rejects a non-positive horizon', () => {
    expect(() => labelOutcomes(obs.select(['encounter_id']), events)).toThrow(/observations table has no column "observed_at"/);
    expect(() => labelOutcomes(obs, events, { horizonHours: 0 })).toThrow(/option "horizonHours" expected a positive number/);
  });
});

describe('labelOutcomes: follow-up and censoring', () => {
  // One encounter E1, admitted at 0 h, discharged at 30 h; sets at 0 h, 10 h and 20 h; horizon 24 h.
  const hours = (h: number) => h * 3_600_000;
  const observations = tableFromArrays({ encounter_id: ['E1', 'E1', 'E1'], observed_at: Float64Array.of(hours(0), hours(10), hours(20)) });
  const encounters = tableFromArrays({ encounter_id: ['E1'], discharged_at: Float64Array.of(hours(30)) });
  const noEvents = tableFromArrays({ encounter_id: ['E2'], event_at: Float64Array.of(hours(1)), event_type: ['death'] });
  it('in hospital (the default), discharge alive within the horizon is no event: a negative, never censored (hand-worked)', () => {
    // 0 h: window to 24 h, discharge at 30 h → negative. 10 h and 20 h: windows end at 34 h and 44 h; the patient left
    // alive at 30 h with no event, so no in-hospital event followed → negative, counted as discharged within the horizon.
    const r = labelOutcomes(observations, noEvents, { encounters });
    expect(Array.from(r.labels)).toEqual([0, 0, 0]);
    expect([r.negatives, r.dischargedNegatives, r.censored, r.openEncounters]).toEqual([3, 2, 0, 0]);
  });
  it('with linked follow-up, discharge censors: those sets are excluded, or counted negative as a labelled option (hand-worked)', () => {
    const r = labelOutcomes(observations, noEvents, { encounters, followUp: 'linked' });
    expect(Array.from(r.labels)).toEqual([0, -1, -1]);
    expect(Array.from(r.exclusion)).toEqual([0, 4, 4]); // 4 = 'censored at discharge'
    expect([r.censored, r.censoredAtDischarge, r.negatives]).toEqual([2, 2, 1]);
    expect(Array.from(labelOutcomes(observations, noEvents, { encounters, followUp: 'linked', censored: 'negative' }).labels)).toEqual([0, 0, 0]);
  });
  it("only the extract's end censors an in-hospital outcome: an encounter still open there (hand-worked)", () => {
    // Extract ends at 15 h, before the discharge at 30 h: E1 is open at the end, and every window (to 24, 34, 44 h)
    // passes it with no event → censored at the extract end (code 5).
    const cut = labelOutcomes(observations, noEvents, { encounters, extractEnd: hours(15) });
    expect(Array.from(cut.labels)).toEqual([-1, -1, -1]);
    expect(Array.from(cut.exclusion)).toEqual([5, 5, 5]);
    expect([cut.censoredAtExtractEnd, cut.openEncounters, cut.extractEndInferred]).toEqual([3, 1, false]);
    // No discharge time at all and no extract end given: the end is the latest time in the extract — here the set at
    // 20 h (the other table's event at 1 h is earlier) — and stated as inferred. 0 h: window to 24 h > 20 h → censored.
    const open = tableFromArrays({ encounter_id: ['E1'], discharged_at: vectorFromArray([null], new TimestampMillisecond()) } as never) as unknown as Table;
    const inferred = labelOutcomes(observations, noEvents, { encounters: open });
    expect([inferred.extractEnd, inferred.extractEndInferred, inferred.openEncounters, inferred.censoredAtExtractEnd]).toEqual([hours(20), true, 1, 3]);
  });
  it('an event inside the window is positive whatever the follow-up', () => {
    // An event at 25 h: 0 h → not within 24 h and followed to 24 h < 30 h → negative; 10 h and 20 h → positive.
    const events = tableFromArrays({ encounter_id: ['E1'], event_at: Float64Array.of(hours(25)), event_type: ['death'] });
    expect(Array.from(labelOutcomes(observations, events, { encounters }).labels)).toEqual([0, 1, 1]);
  });
});

describe('labelOutcomes: sets just before the event (sensitivity analysis)', () => {
  it('leaves out positive sets within N minutes before their event, and counts them (hand-worked)', () => {
    const minutes = (m: number) => m * 60_000;
    // Sets at 0, 30 and 50 min; an event at 60 min. With 15 min excluded: only the 50 min set (10 min before) goes.
    const observations = tableFromArrays({ encounter_id: ['E1', 'E1', 'E1'], observed_at: Float64Array.of(minutes(0), minutes(30), minutes(50)) });
    const events = tableFromArrays({ encounter_id: ['E1'], event_at: Float64Array.of(minutes(60)), event_type: ['death'] });
    const r = labelOutcomes(observations, events, { excludeBeforeEventMinutes: 15 });
    expect(Array.from(r.labels)).toEqual([1, 1, -1]);
    expect(r.excludedBeforeEvent).toBe(1);
    expect(Array.from(labelOutcomes(observations, events).labels)).toEqual([1, 1, 1]);
    expect(() => labelOutcomes(observations, events, { excludeBeforeEventMinutes: -5 })).toThrow(
      /^labelOutcomes: option "excludeBeforeEventMinutes" expected a number ≥ 0/,
    );
  });
});
