import { tableFromArrays, vectorFromArray, TimestampMillisecond, Utf8 } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { labelOutcomes } from '../../../validation/study/label-outcomes.js';

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
    const r = labelOutcomes(obs, events, { horizonHours: 200, eventTypes: ['unplanned_icu'] });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 0, 1, 1, -1]);
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
  it('a set whose follow-up ends before the horizon, with no event, is censored and excluded (hand-worked)', () => {
    // 0 h: window to 24 h, discharge at 30 h → negative; 10 h and 20 h: windows end at 34 h and 44 h, after discharge → censored.
    const r = labelOutcomes(observations, noEvents, { encounters });
    expect(Array.from(r.labels)).toEqual([0, -1, -1]);
    expect(r.censored).toBe(2);
    expect(r.negatives).toBe(1);
  });
  it("or counted negative, as a labelled option; the extract's end censors too", () => {
    expect(Array.from(labelOutcomes(observations, noEvents, { encounters, censored: 'negative' }).labels)).toEqual([0, 0, 0]);
    // Extract ends at 15 h: the 0 h set's window (to 24 h) now ends after follow-up → censored as well.
    const cut = labelOutcomes(observations, noEvents, { extractEnd: hours(15) });
    expect(Array.from(cut.labels)).toEqual([-1, -1, -1]);
    expect(cut.censored).toBe(3);
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
