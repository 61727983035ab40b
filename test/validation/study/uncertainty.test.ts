/**
 * The report's uncertainty, piece by piece: Holm's adjustment and the bootstrap p-value (closed forms), the pooling
 * rule of the observed risk per score value (hand-worked), and the report itself — clustered headline intervals
 * with the naive ones beside them, the points score's calibration as observed risk, group O/E with contrasts, and
 * the warnings and refusals for bad settings.
 */
import { describe, expect, it } from 'vitest';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { mews } from '../../../scores/catalogue/mews.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { bootstrapP, holm } from '../../../validation/study/cells.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { CURVE_PROBABILITY_GRID, poolRanges } from '../../../validation/study/intervals.js';
import { validate } from '../../../validation/study/validate.js';

describe('holm(p) and bootstrapP(replicates)', () => {
  it("holm: the k-th smallest of m times (m − k + 1), made monotone (Holm 1979; R's p.adjust(method = 'holm'))", () => {
    // p.adjust(c(0.01, 0.04, 0.03), "holm") = 0.03 0.06 0.06
    const adjusted = holm([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 15);
    expect(adjusted[1]).toBeCloseTo(0.06, 15);
    expect(adjusted[2]).toBeCloseTo(0.06, 15);
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
  it('bootstrapP: 2 (k + 1) / (B + 1), k the replicates on the smaller side of 0 (Davison & Hinkley 1997)', () => {
    expect(bootstrapP(Float64Array.of(1, 2, 3, -1))).toBe(0.8); // k = 1 of B = 4: 2 · 2 / 5
    expect(bootstrapP(Float64Array.of(1, 2, 3, 4))).toBe(0.4); // k = 0: 2 · 1 / 5, never 0
    expect(bootstrapP(Float64Array.of(1, -1, 2, -2, 0))).toBe(1); // 2 · (3 + 1) / 6, capped
    expect(bootstrapP(Float64Array.of(Number.NaN))).toBeNull();
  });
});

describe('poolRanges(values, labels, minEvents, minNonEvents)', () => {
  it('pools from the top down until each range holds enough events and non-events (hand-worked)', () => {
    // value: events/non-events — 0: 0/50, 1: 2/30, 2: 1/3, 3: 1/1, 4: 1/0
    const v: number[] = [];
    const y: number[] = [];
    const add = (value: number, events: number, non: number) => {
      for (let i = 0; i < events; i++) (v.push(value), y.push(1));
      for (let i = 0; i < non; i++) (v.push(value), y.push(0));
    };
    add(0, 0, 50);
    add(1, 2, 30);
    add(2, 1, 3);
    add(3, 1, 1);
    add(4, 1, 0);
    // minEvents 2, minNonEvents 2: from 4 down — {4, 3} has 2 events, 1 non-event; {4, 3, 2} 3 and 4 → range 2–4;
    // {1}: 2 and 30 → 1–1; {0}: 0 events, never enough → joins the range above: 0–1.
    expect(poolRanges(Float64Array.from(v), Uint8Array.from(y), 2, 2)).toEqual([
      [0, 1],
      [2, 4],
    ]);
  });
});

describe('validate: clustered headline intervals', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 1500, seed: 31 });
  const report = validate({ cohort, scores: [news2, apolloStyle], groupBy: ['sex'], bootstrap: { B: 200, seed: 4 }, disclosure: false });
  const [n2, apollo] = report.scores;
  it('AUROC: the clustered interval is the headline, wider than DeLong (repeated sets per patient), with Obuchowski beside', () => {
    const a = n2?.auroc;
    if (a === undefined || isSuppressed(a) || !a.defined || a.ci === null || a.naive.ci === null || !a.obuchowski.defined || a.obuchowski.ci === null)
      throw new Error('expected intervals');
    expect(a.ci[1] - a.ci[0]).toBeGreaterThan(1.3 * (a.naive.ci[1] - a.naive.ci[0]));
    expect(a.obuchowski.ci[1] - a.obuchowski.ci[0]).toBeGreaterThan(1.3 * (a.naive.ci[1] - a.naive.ci[0]));
    expect(report.settings.intervals.method).toBe('patient-clustered bootstrap (percentile)');
  });
  it('threshold metrics: clustered interval first, Wilson beside it as naive', () => {
    const s = n2?.thresholds[0]?.sensitivity;
    if (s === undefined || isSuppressed(s) || !s.defined || s.ci === null || s.naiveCi === null) throw new Error('expected intervals');
    expect(s.ci[0]).toBeLessThanOrEqual(s.estimate);
    expect(s.ci[1]).toBeGreaterThanOrEqual(s.estimate);
    expect(s.ci[1] - s.ci[0]).toBeGreaterThan(s.naiveCi[1] - s.naiveCi[0]);
  });
  it('a points score: calibration is observed risk per score value with clustered intervals; recalibration is model updating', () => {
    const rows = n2?.observedRisk ?? [];
    expect(rows.length).toBeGreaterThan(5);
    expect(rows[0]?.scores).toEqual([0, 0]);
    for (const r of rows) {
      if (isSuppressed(r.cell) || !r.cell.risk.defined) continue;
      expect(r.cell.events).toBeGreaterThanOrEqual(10); // the pooling rule
      expect(r.cell.risk.estimate).toBeCloseTo(r.cell.events / r.cell.sets, 15);
      expect(r.cell.risk.ci).not.toBeNull();
    }
    expect(n2?.calibration).toMatchObject({ modelUpdating: true, method: expect.stringMatching(/^model updating/) });
    expect(apollo?.calibration).toMatchObject({ modelUpdating: false, method: 'model probability' });
    expect(apollo?.observedRisk).toBeNull();
  });
  it('a model’s calibration bins: observed risk with a clustered interval (wider than Wilson’s) over disjoint ranges', () => {
    const cal = apollo?.calibration;
    if (cal === undefined || isSuppressed(cal) || !cal.defined) throw new Error('expected calibration');
    let wider = 0;
    let released = 0;
    let previousMean = -Infinity;
    for (const b of cal.bins) {
      if (isSuppressed(b) || !b.observed.defined) continue;
      released++;
      const o = b.observed;
      if (o.ci === null || o.naiveCi === null) throw new Error('expected both intervals');
      expect(o.ci[0]).toBeLessThanOrEqual(o.estimate + 1e-12);
      expect(o.ci[1]).toBeGreaterThanOrEqual(o.estimate - 1e-12);
      if (o.ci[1] - o.ci[0] > o.naiveCi[1] - o.naiveCi[0]) wider++;
      expect(b.meanPredicted).toBeGreaterThan(previousMean);
      previousMean = b.meanPredicted;
    }
    expect(released).toBeGreaterThanOrEqual(5);
    expect(wider).toBeGreaterThan(released / 2); // repeated sets per patient widen most bins' intervals
  });
  it('ROC and precision–recall curves: at the pooled score values, through the clinical cut-offs, with clustered pointwise intervals', () => {
    const points = n2?.curve ?? [];
    const ranges = n2?.observedRisk ?? [];
    // A points score's curve cuts at the lowest value of each pooled range but the first.
    expect(points.map((p) => p.cut)).toEqual(ranges.slice(1).map((r) => r.scores[0]));
    // Sensitivity at a cut = events in the ranges at or above it / all events (read off the observed-risk table).
    const events = ranges.map((r) => (isSuppressed(r.cell) ? Number.NaN : r.cell.events));
    const total = events.reduce((a, b) => a + b, 0);
    points.forEach((p, k) => {
      if (isSuppressed(p.cell) || !p.cell.sensitivity.defined) throw new Error('expected a released point');
      const above = events.slice(k + 1).reduce((a, b) => a + b, 0);
      expect(p.cell.sensitivity.estimate).toBeCloseTo(above / total, 12);
      for (const m of [p.cell.sensitivity, p.cell.specificity, p.cell.ppv]) {
        if (!m.defined || m.ci === null) throw new Error('expected a clustered interval');
        expect(m.ci[0]).toBeLessThanOrEqual(m.estimate + 1e-12);
        expect(m.ci[1]).toBeGreaterThanOrEqual(m.estimate - 1e-12);
      }
    });
    // Where the curve cuts at a clinical cut-off, it agrees with the threshold table (computed apart, by atThreshold).
    for (const t of n2?.thresholds ?? []) {
      const p = points.find((q) => q.cut === t.cut);
      if (p === undefined || t.label.startsWith('red') || isSuppressed(p.cell) || isSuppressed(t.sensitivity) || !t.sensitivity.defined) continue;
      expect(p.cell.sensitivity).toEqual(t.sensitivity);
    }
    // A model cuts at the fixed probability grid only: ascending, sensitivity falling and specificity rising.
    const model = apollo?.curve ?? [];
    expect(model.length).toBeGreaterThan(3);
    model.forEach((p, k) => {
      expect(CURVE_PROBABILITY_GRID).toContain(p.cut);
      const prev = model[k - 1];
      if (prev === undefined || isSuppressed(p.cell) || isSuppressed(prev.cell) || !p.cell.sensitivity.defined || !prev.cell.sensitivity.defined) return;
      expect(p.cut).toBeGreaterThan(prev.cut);
      expect(p.cell.sensitivity.estimate).toBeLessThanOrEqual(prev.cell.sensitivity.estimate);
      if (p.cell.specificity.defined && prev.cell.specificity.defined)
        expect(p.cell.specificity.estimate).toBeGreaterThanOrEqual(prev.cell.specificity.estimate);
    });
  });
  it('net benefit of each clinical rule with a clustered interval; the comparison p from the paired bootstrap', () => {
    const rules = new Set(n2?.netBenefit.map((r) => r.rule));
    expect(rules).toEqual(new Set(['NEWS2 ≥ 5 (medium)', 'NEWS2 ≥ 7 (high)', 'red score (Any single parameter scoring 3 ("red score"))']));
    const c = report.comparisons[0]?.cell;
    if (c === undefined || isSuppressed(c) || !c.defined) throw new Error('expected a comparison');
    expect(c.p).not.toBeNull();
    expect(c.ci).not.toBeNull();
  });
  it('subgroups: calibration intercept and slope per group with clustered intervals, and contrasts with Holm-adjusted p ≥ raw p', () => {
    expect(report.settings.multiplicity.method).toBe('Holm');
    // One non-reference sex group × 2 scores × 4 contrasts (AUROC, sensitivity, calibration intercept and slope);
    // disclosure is off, so every defined contrast is released.
    expect(report.settings.multiplicity.candidates).toBe(2 * 4);
    expect(report.settings.multiplicity.contrasts).toBe(2 * 4);
    for (const g of report.subgroups[0]?.groups ?? []) {
      const cell = g.scores.news2;
      if (cell === undefined || isSuppressed(cell)) continue;
      expect(cell.calibrationInTheLarge).toMatchObject({ defined: true });
      expect(cell.slope).toMatchObject({ defined: true });
      const ci = cell.calibrationInTheLarge.defined ? cell.calibrationInTheLarge.ci : null;
      expect(ci).not.toBeNull();
      for (const d of [cell.differenceFromReference.calibrationInTheLarge, cell.differenceFromReference.slope]) {
        if (d === null || !d.defined) continue;
        expect(d.adjustedP).toBeGreaterThanOrEqual(d.p);
        // The simultaneous interval (max-T over the family of 8) holds the pointwise one (level 0.95).
        expect(d.simultaneousCi[0]).toBeLessThanOrEqual(d.ci[0]);
        expect(d.simultaneousCi[1]).toBeGreaterThanOrEqual(d.ci[1]);
      }
    }
  });
});

describe('validate: undefined bootstrap replicates are counted, never dropped silently', () => {
  it('a small cohort: resamples without an event leave AUROC undefined; settings count them and a warning says so', () => {
    // 60 encounters hold a handful of event patients: with B = 400, some resamples draw none of them.
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 60, seed: 2 });
    const report = validate({ cohort, scores: [news2], bootstrap: { B: 400, seed: 1 }, disclosure: false });
    const eventPatients = new Set<string>();
    const firstEvent = new Set(Array.from(cohort.events.getChild('encounter_id') ?? [], String));
    for (let i = 0; i < cohort.encounters.numRows; i++)
      if (firstEvent.has(String(cohort.encounters.getChild('encounter_id')?.get(i))))
        eventPatients.add(String(cohort.encounters.getChild('patient_id')?.get(i)));
    const undefinedAuroc = report.settings.intervals.undefinedReplicates.auroc ?? 0;
    // A resample misses all k event patients of n with probability (1 − k/n)^n ≈ e^(−k): with few k, some of 400 do.
    expect(eventPatients.size).toBeLessThan(6);
    expect(undefinedAuroc).toBeGreaterThan(0);
    expect(undefinedAuroc).toBeLessThan(400);
    expect(report.settings.warnings.join(' ')).toMatch(new RegExp(`${undefinedAuroc} of 400 bootstrap replicates left auroc undefined`));
  });
});

describe('validate: subgroup inference that can reach its level', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 600, seed: 13 });
  const groups = new Set(Array.from(cohort.patients.getChild('ethnicity') ?? [], String)).size;
  it('without B given, B is raised until the smallest Holm-adjusted p, 2 m / (B + 1), is below α / 2', () => {
    const report = validate({ cohort, scores: [news2, mews], groupBy: ['ethnicity'], disclosure: false });
    const m = report.settings.multiplicity;
    // m ≤ (groups − 1) × 2 scores × 4 contrasts (AUROC, sensitivity, calibration intercept, slope); B must be at least 4 m / α = 80 m (α = 0.05).
    expect(m.candidates).toBe((groups - 1) * 2 * 4);
    expect(m.minimumB).toBe(Math.ceil((4 * m.candidates) / 0.05));
    expect(m.raisedB).toBe(m.minimumB > 1000);
    const B = report.settings.bootstrap === false ? 0 : report.settings.bootstrap.B;
    expect(B).toBe(Math.max(1000, m.minimumB));
    expect(m.smallestAdjustedP).toBeCloseTo((2 * m.contrasts) / (B + 1), 12);
    expect(m.smallestAdjustedP ?? 1).toBeLessThan(0.025);
  });
  it('a B given is kept, with a warning when the family cannot reach the level', () => {
    const report = validate({ cohort, scores: [news2, mews], groupBy: ['ethnicity'], disclosure: false, bootstrap: { B: 200, seed: 1 } });
    expect(report.settings.bootstrap === false ? 0 : report.settings.bootstrap.B).toBe(200);
    expect(report.settings.multiplicity.raisedB).toBe(false);
    expect(report.settings.warnings.join(' ')).toMatch(/no subgroup difference can reach the level; give B ≥/);
  });
  it('with no released contrast the family is empty: the report still ends, every contrast at adjusted p 1', () => {
    // 150 encounters: no group has 10 patients with an event, so disclosure control releases no contrast.
    const small = generateCohort({ profile: 'uk-leicester', encounters: 150, seed: 13 });
    const report = validate({ cohort: small, scores: [news2], groupBy: ['sex'], bootstrap: { B: 100, seed: 1 } });
    expect(report.settings.multiplicity.contrasts).toBe(0);
    expect(report.settings.multiplicity.smallestAdjustedP).toBeNull();
  });
  it('Holm runs over the released contrasts only: a suppressed group takes no share of the level', () => {
    const guarded = validate({ cohort, scores: [news2], groupBy: ['ethnicity'], bootstrap: { B: 200, seed: 1 } });
    const open = validate({ cohort, scores: [news2], groupBy: ['ethnicity'], bootstrap: { B: 200, seed: 1 }, disclosure: false });
    // Small groups (Mixed, Other) have fewer than 10 event patients in 600 encounters: suppressed, out of the family.
    expect(guarded.settings.multiplicity.contrasts).toBeLessThan(open.settings.multiplicity.contrasts);
    expect(guarded.settings.multiplicity.candidates).toBe(open.settings.multiplicity.candidates);
  });
});

describe('validate: bad settings', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 300, seed: 2 });
  it('warns, in the report, when B is below 200', () => {
    const report = validate({ cohort, scores: [news2], bootstrap: { B: 50, seed: 1 } });
    expect(report.settings.warnings.join(' ')).toMatch(/B = 50 replicates: percentile intervals are unstable below 200/);
  });
  it('refuses a grouping column with one level among the analysed sets', () => {
    expect(() => validate({ cohort, scores: [news2], bootstrap: false, groupBy: ['population'] })).toThrow(
      /^validate: option "groupBy" names "population", which has one level \("UK"\)/,
    );
  });
});

describe('validate: intersectional groups', () => {
  it("groupBy: [['ethnicity', 'sex']] (or 'ethnicity,sex') compares each combination against a reference", () => {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 800, seed: 12 });
    const a = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false, groupBy: [['ethnicity', 'sex']] });
    const b = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false, groupBy: ['ethnicity,sex'] });
    const names = a.subgroups[0]?.groups.map((g) => g.group) ?? [];
    expect(a.subgroups[0]?.by).toBe('ethnicity,sex');
    expect(names).toContain('Asian × F');
    expect(names).toContain('White × M');
    expect(names.every((n) => / × [FM]$/.test(n))).toBe(true);
    expect(b.subgroups).toEqual(a.subgroups);
  });
});

describe('validate: the cluster', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 600, seed: 14 });
  it("cluster: 'encounter' resamples encounters; patients come back, so it differs from the patient clustering in the interval only", () => {
    const byPatient = validate({ cohort, scores: [news2], bootstrap: { B: 100, seed: 2 }, disclosure: false });
    const byEncounter = validate({ cohort, scores: [news2], bootstrap: { B: 100, seed: 2 }, disclosure: false, cluster: 'encounter' });
    expect(byEncounter.settings.intervals.cluster).toBe('encounter');
    expect(byPatient.settings.intervals.cluster).toBe('patient');
    const a = byPatient.scores[0]?.auroc as unknown as { estimate: number; ci: readonly [number, number] };
    const b = byEncounter.scores[0]?.auroc as unknown as { estimate: number; ci: readonly [number, number] };
    expect(b.estimate).toBe(a.estimate);
    expect(b.ci).not.toEqual(a.ci);
  });
  it('refuses another cluster, naming the option', () => {
    expect(() => validate({ cohort, scores: [news2], cluster: 'ward' as never })).toThrow(
      /^validate: option "cluster" expected 'patient' or 'encounter'; received string "ward"/,
    );
  });
});
