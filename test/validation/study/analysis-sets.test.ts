/**
 * Each score is judged on its own analysable sets: nothing one score lacks changes another score's results. MEWS
 * cannot score a "C" (new confusion) consciousness entry, which NEWS2 scores; asking for MEWS beside NEWS2 must not
 * move a single NEWS2 figure. A paired comparison uses the sets both scores can score, and says how many.
 */
import type { Table } from 'apache-arrow';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { mews } from '../../../scores/catalogue/mews.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { validate } from '../../../validation/study/validate.js';

describe('validate: each score on its own analysable sets', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 1500, seed: 41 });
  const options = { cohort, bootstrap: { B: 100, seed: 3 }, disclosure: false as const, groupBy: ['ethnicity'], units: ['first' as const] };
  const alone = validate({ ...options, scores: [news2] });
  const withMews = validate({ ...options, scores: [news2, mews] });

  it('MEWS cannot score some sets NEWS2 scores (so the test can fail)', () => {
    const n2 = withMews.scores[0]?.sets;
    const mw = withMews.scores[1]?.sets;
    if (n2 === undefined || mw === undefined || isSuppressed(n2.analysed) || isSuppressed(mw.analysed)) throw new Error('expected counts');
    expect(mw.analysed).toBeLessThan(n2.analysed);
  });
  it("NEWS2's section is identical with and without MEWS in the run", () => {
    expect(withMews.scores[0]).toEqual(alone.scores[0]);
  });
  it("NEWS2's subgroup and unit figures are identical too (only the Holm adjustment grows with MEWS's contrasts)", () => {
    const pick = (r: typeof alone) => r.subgroups[0]?.groups.map((g) => ({ group: g.group, news2: g.scores.news2 }));
    const adjusted: number[][] = [[], []];
    /** The figures without the multiplicity adjustment, collecting adjusted p-values into `into`. */
    const strip = (v: unknown, into: number[]): unknown =>
      JSON.parse(JSON.stringify(v), (k, x) => {
        if (k === 'simultaneousCi') return undefined; // its level, 1 − α / m, grows with the family too
        if (k !== 'adjustedP') return x;
        into.push(x as number);
        return undefined;
      });
    expect(strip(pick(withMews), adjusted[1] ?? [])).toEqual(strip(pick(alone), adjusted[0] ?? []));
    adjusted[0]?.forEach((p, i) => expect(adjusted[1]?.[i]).toBeGreaterThanOrEqual(p));
    expect(withMews.settings.multiplicity.contrasts).toBeGreaterThan(alone.settings.multiplicity.contrasts);
    expect(withMews.units[0]?.scores.news2).toEqual(alone.units[0]?.scores.news2);
  });
  it('the comparison is on the sets both scores can score, and reports how many', () => {
    const sets = withMews.comparisons[0]?.sets;
    const mw = withMews.scores[1]?.sets.analysed;
    expect(sets).toBe(mw); // every set MEWS can score, NEWS2 can too
  });
});

describe('validate: join integrity', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 400, seed: 42 });
  /** The events table with every encounter_id replaced by one that matches nothing. */
  const unmatched = (): Table => {
    const n = cohort.events.numRows;
    const columns: Record<string, unknown[]> = {};
    for (const f of cohort.events.schema.fields) columns[f.name] = Array.from({ length: n }, (_, i) => cohort.events.getChild(f.name)?.get(i));
    columns.encounter_id = Array.from({ length: n }, (_, i) => `X${i}`);
    return tableFromArrays({
      encounter_id: columns.encounter_id as string[],
      event_at: Float64Array.from(columns.event_at as number[], Number),
      event_type: columns.event_type as string[],
    });
  };
  it('stops, naming the table, the key and the count, when events match no encounter', () => {
    const events = unmatched();
    expect(() => validate({ cohort: { ...cohort, events }, scores: [news2], bootstrap: false })).toThrow(
      new RegExp(`^validate: ${events.numRows} of ${events.numRows} rows of the events table have an encounter_id that matches no observation set`),
    );
  });
  it('reports unmatched rows when allowed, and zero for a consistent cohort', () => {
    const events = unmatched();
    const report = validate({ cohort: { ...cohort, events }, scores: [news2], bootstrap: false, disclosure: false, maxUnmatchedEvents: events.numRows });
    expect(report.cohort.joins.unmatchedEvents).toBe(events.numRows);
    const clean = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false });
    expect(clean.cohort.joins).toEqual({ unmatchedEvents: 0, setsWithoutPatient: 0 });
  });
});

describe('validate: censoring on a cohort whose events are cut at an extract date', () => {
  const full = generateCohort({ profile: 'uk-leicester', encounters: 500, seed: 43 });
  const times = Array.from({ length: full.observations.numRows }, (_, i) => Number(full.observations.getChild('observed_at')?.get(i)));
  const extractEnd = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
  /** The rows of a table whose time column is at or before the extract's end. */
  const cut = (t: Table, column: string): Table => {
    const keep = Array.from({ length: t.numRows }, (_, i) => i).filter((i) => Number(t.getChild(column)?.get(i)) <= extractEnd);
    const columns: Record<string, unknown[]> = {};
    for (const f of t.schema.fields) columns[f.name] = keep.map((i) => t.getChild(f.name)?.get(i));
    const arrays: Record<string, Float64Array | string[]> = {};
    for (const [k, v] of Object.entries(columns))
      arrays[k] = typeof v[0] === 'number' || typeof v[0] === 'bigint' ? Float64Array.from(v, Number) : v.map(String);
    return tableFromArrays(arrays) as unknown as Table;
  };
  it('in hospital (default), only the extract end censors; linked, discharge censors too — each counted against an independent count', () => {
    // Events after the extract's end are unknown to it; an encounter still open at the end is followed only to it.
    const observations = full.observations;
    const events = cut(full.events, 'event_at');
    const cohort = { observations, events, encounters: full.encounters };
    const options = { scores: [news2], bootstrap: false as const, disclosure: false as const };
    const report = validate({ ...options, cohort, outcome: { extractEnd } });
    const linked = validate({ ...options, cohort, outcome: { extractEnd, followUp: 'linked' } });
    const h = 24 * 3_600_000;
    const discharge = new Map<string, number>();
    for (let i = 0; i < full.encounters.numRows; i++)
      discharge.set(String(full.encounters.getChild('encounter_id')?.get(i)), Number(full.encounters.getChild('discharged_at')?.get(i)));
    const firstEvent = new Map<string, number>();
    for (let i = 0; i < events.numRows; i++) {
      const e = String(events.getChild('encounter_id')?.get(i));
      const t = Number(events.getChild('event_at')?.get(i));
      firstEvent.set(e, Math.min(firstEvent.get(e) ?? Infinity, t));
    }
    // Independently, per set with no event within 24 h (sets after the event are excluded, not censored):
    // in hospital — censored when the encounter is still open at the extract's end (discharged after it) and the end
    // comes within the horizon; linked — censored when min(discharge, extract end) comes within the horizon.
    let inHospital = 0;
    let linkedCensored = 0;
    let dischargedAlive = 0;
    for (let i = 0; i < observations.numRows; i++) {
      const e = String(observations.getChild('encounter_id')?.get(i));
      const t = Number(observations.getChild('observed_at')?.get(i));
      const ev = firstEvent.get(e) ?? Infinity;
      if (t >= ev || ev <= t + h) continue;
      const d = discharge.get(e) ?? Infinity;
      if (d > extractEnd && extractEnd < t + h) inHospital++;
      else if (d <= extractEnd && d < t + h) dischargedAlive++;
      if (Math.min(d, extractEnd) < t + h) linkedCensored++;
    }
    expect(inHospital).toBeGreaterThan(100);
    expect(dischargedAlive).toBeGreaterThan(100);
    expect(report.cohort.censored).toBe(inHospital);
    expect(report.cohort.dischargedNegatives).toBe(dischargedAlive);
    expect(linked.cohort.censored).toBe(linkedCensored);
    expect(linkedCensored).toBe(inHospital + dischargedAlive);
    expect(report.settings.outcome.censoring).toMatchObject({ censored: 'exclude', inferred: false, extractEnd: new Date(extractEnd).toISOString() });
    expect(report.settings.outcome.censoring.followUpEnds).toMatch(/discharge alive within the horizon is no event, a negative\), or at the extract's end/);
    expect(linked.settings.outcome.censoring.followUpEnds).toMatch(/at discharge \(censored/);
  });

  it("NEWS2's AUROC is an independent Mann–Whitney count: positive when an event follows within 24 h, negative otherwise (discharge alive included), sets after the first event left out", () => {
    // The whole cohort: every encounter is discharged, so the in-hospital outcome of every set before its first event is known.
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 400, seed: 45 });
    const report = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false });
    const firstEvent = new Map<string, number>();
    for (let i = 0; i < cohort.events.numRows; i++) {
      const e = String(cohort.events.getChild('encounter_id')?.get(i));
      firstEvent.set(e, Math.min(firstEvent.get(e) ?? Infinity, Number(cohort.events.getChild('event_at')?.get(i))));
    }
    const scored = scoreTable(news2, cohort.observations);
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < scored.numRows; i++) {
      const total = scored.getChild('news2_total')?.get(i) as number | null;
      const e = String(scored.getChild('encounter_id')?.get(i));
      const t = Number(scored.getChild('observed_at')?.get(i));
      const ev = firstEvent.get(e) ?? Infinity;
      if (total === null || t >= ev) continue;
      (ev <= t + 24 * 3_600_000 ? pos : neg).push(total);
    }
    // AUROC = P(score of a positive > score of a negative) + ½ P(tie), counted pair by pair by value.
    const count = (xs: number[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<number, number>());
    const p = count(pos);
    const q = count(neg);
    let wins = 0;
    for (const [a, na] of p) for (const [b, nb] of q) wins += na * nb * (a > b ? 1 : a === b ? 0.5 : 0);
    const auroc = wins / (pos.length * neg.length);
    expect(report.scores[0]?.sets.analysed).toBe(pos.length + neg.length);
    expect((report.scores[0]?.auroc as { estimate: number }).estimate).toBeCloseTo(auroc, 12);
  });
});

describe('validate: leaving out sets just before the event', () => {
  it('reports the setting and the count, and analyses fewer positive sets', () => {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 600, seed: 44 });
    const all = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false });
    const sensitivity = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false, outcome: { excludeBeforeEventMinutes: 60 } });
    expect(sensitivity.settings.outcome.excludeBeforeEventMinutes).toBe(60);
    const left = sensitivity.cohort.excludedBeforeEvent;
    expect(typeof left === 'number' && left > 0).toBe(true);
    expect(Number(all.cohort.positiveSets) - Number(sensitivity.cohort.positiveSets)).toBe(left);
  });
});

describe("validate: units: ['common'], the sensitivity analysis on the sets every score can score", () => {
  it('analyses NEWS2 and MEWS on the same sets: as many as MEWS can score', () => {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 800, seed: 45 });
    const report = validate({ cohort, scores: [news2, mews], bootstrap: false, disclosure: false, units: ['common'] });
    const unit = report.units[0];
    expect(unit?.unit).toBe('sets every score can score');
    const n2 = unit?.scores.news2;
    const mw = unit?.scores.mews;
    if (n2 === undefined || mw === undefined || isSuppressed(n2) || isSuppressed(mw)) throw new Error('expected cells');
    expect(n2.sets).toBe(mw.sets);
    expect(n2.sets).toBe(report.scores[1]?.sets.analysed); // every set MEWS scores, NEWS2 scores too
    expect(n2.sets).toBeLessThan(Number(report.scores[0]?.sets.analysed));
  });
});
