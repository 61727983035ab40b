/**
 * Like for like: two scores' first clinical cut-offs on the sets both can score, counted by hand on a small table,
 * and the paired bootstrap's properties (a score against itself differs by exactly 0; the report carries the cell).
 */
import { describe, expect, it } from 'vitest';
import { mews } from '../../../scores/catalogue/mews.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { renderMarkdown } from '../../../validation/report/markdown.js';
import type { PairedRulesCell } from '../../../validation/report/types.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { validate } from '../../../validation/study/validate.js';

describe('pairedRules through validate', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 800, seed: 31 });
  const report = validate({ cohort, scores: [news2, mews], bootstrap: { B: 200, seed: 2 }, disclosure: false });
  const cell = report.comparisons[0]?.rules;
  if (cell === undefined || isSuppressed(cell) || !cell.defined) throw new Error('expected a released, defined cell');
  const r: PairedRulesCell = cell;

  it('each rule on the sets both scores can score: rates are counts over them; differences are second − first', () => {
    expect(r.ruleA).toMatch(/^NEWS2 ≥ 5/);
    expect(r.ruleB).toMatch(/^MEWS ≥ 5/);
    const sets = report.comparisons[0]?.sets as number;
    // Alert rate × sets and sensitivity × positives are whole numbers: the rates are counts over the common sets.
    for (const x of [r.alertRate.a.estimate, r.alertRate.b.estimate]) expect(Math.abs(x * sets - Math.round(x * sets))).toBeLessThan(1e-6);
    expect(r.sensitivity.difference.estimate).toBeCloseTo(r.sensitivity.b.estimate - r.sensitivity.a.estimate, 12);
    expect(r.specificity.difference.estimate).toBeCloseTo(r.specificity.b.estimate - r.specificity.a.estimate, 12);
  });

  it('has paired clustered intervals around each estimate, and is in the Markdown', () => {
    expect(r.netBenefit.map((x) => x.threshold)).toEqual(report.settings.netBenefitThresholds);
    for (const m of [r.sensitivity, r.specificity, r.alertRate, ...r.netBenefit]) {
      const ci = m.difference.ci as readonly [number, number];
      expect(ci[0]).toBeLessThanOrEqual(m.difference.estimate);
      expect(ci[1]).toBeGreaterThanOrEqual(m.difference.estimate);
    }
    expect(renderMarkdown(report)).toContain('## Like for like: each score at its first clinical cut-off on the same sets');
  });
});

describe('pairedRules by hand', () => {
  // Six sets of three patients, both scores complete: NEWS2 totals and MEWS totals chosen to give known alerts.
  // P1: positive set, NEWS2 7 (alert), MEWS 3 (no);  P1: negative, NEWS2 0, MEWS 6 (alert)
  // P2: positive, NEWS2 5 (alert), MEWS 5 (alert);   P2: negative, NEWS2 1, MEWS 0
  // P3: negative, NEWS2 6 (alert), MEWS 0;           P3: negative, NEWS2 0, MEWS 0
  // NEWS2 ≥ 5: sensitivity 2/2 = 1, specificity 3/4, alert rate 3/6. MEWS ≥ 5: sensitivity 1/2, specificity 3/4, alert rate 2/6.
  it('gives the rates of the hand count', async () => {
    const { pairedRules } = await import('../../../validation/study/paired-rules.js');
    const { Disclosure } = await import('../../../validation/disclosure/disclosure.js');
    const set = {
      values: [Float64Array.of(7, 0, 5, 1, 6, 0), Float64Array.of(3, 6, 5, 0, 0, 0)],
      labels: Uint8Array.of(1, 0, 1, 0, 0, 0),
      patient: Int32Array.of(0, 0, 1, 1, 2, 2),
      patientKeys: ['P1', 'P2', 'P3'],
    };
    const sdc = new Disclosure({ policy: 'none' });
    const cell = sdc.resolve({
      c: pairedRules(news2, mews, 0, 1, set as never, { level: 0.95, B: 0, seed: 1, method: 'multinomial' as const, netBenefitThresholds: [0.1, 0.5] }, sdc),
    }).c as unknown as PairedRulesCell;
    expect([cell.sensitivity.a.estimate, cell.sensitivity.b.estimate]).toEqual([1, 0.5]);
    expect([cell.specificity.a.estimate, cell.specificity.b.estimate]).toEqual([0.75, 0.75]);
    expect([cell.alertRate.a.estimate, cell.alertRate.b.estimate]).toEqual([3 / 6, 2 / 6]);
    expect(cell.sensitivity.difference.estimate).toBe(-0.5);
    expect(cell.sensitivity.a.ci).toBeNull(); // no bootstrap
    // Net benefit TP/n − FP/n · pₜ/(1 − pₜ) on the 6 common sets. NEWS2 ≥ 5: TP 2, FP 1 (P3's negative at 6);
    // MEWS ≥ 5: TP 1, FP 1 (P1's negative at 6). At pₜ = 0.1: 2/6 − 1/6 · 1/9 = 17/54 and 1/6 − 1/54 = 8/54;
    // at pₜ = 0.5: 2/6 − 1/6 = 1/6 and 0. The difference (MEWS − NEWS2) is −1/6 at both.
    expect(cell.netBenefit.map((r) => r.threshold)).toEqual([0.1, 0.5]);
    expect(cell.netBenefit[0]?.a.estimate).toBeCloseTo(17 / 54, 12);
    expect(cell.netBenefit[0]?.b.estimate).toBeCloseTo(8 / 54, 12);
    expect(cell.netBenefit[1]?.a.estimate).toBeCloseTo(1 / 6, 12);
    expect(cell.netBenefit[1]?.b.estimate).toBeCloseTo(0, 12);
    for (const r of cell.netBenefit) expect(r.difference.estimate).toBeCloseTo(-1 / 6, 12);
  });
});
