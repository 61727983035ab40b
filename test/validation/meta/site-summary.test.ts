/**
 * Site summaries: every measure is the released value of the report the same study writes, its SE on the pooling
 * scale agrees with the delta method on the report's own bootstrap SE (an independent route to the same number), a
 * suppressed or undefined value is kept out with its reason, and the file holds no patient or encounter key.
 */
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { summariseSite } from '../../../validation/meta/site-summary.js';
import type { DefinedSiteValue } from '../../../validation/meta/site-summary.js';
import { validate } from '../../../validation/study/validate.js';

const cohort = generateCohort({ profile: 'india-apollo', encounters: 1500, seed: 11 });
const options = { cohort, scores: [news2, apolloStyle], bootstrap: { B: 400, seed: 3 } };
const summary = summariseSite({ ...options, site: 'leicester' });
const report = validate(options);
const logit = (p: number) => Math.log(p / (1 - p));
const value = (score: string, measure: string, rule: string | null = null, threshold: number | null = null) => {
  const m = summary.measures.find((x) => x.score === score && x.measure === measure && x.rule === rule && x.threshold === threshold);
  if (m === undefined) throw new Error(`no ${score} ${measure}`);
  return m.value;
};

describe('summariseSite(options)', () => {
  it('gives each score its AUROC on the logit scale, the estimate the report released', () => {
    report.scores.forEach((s) => {
      const a = s.auroc;
      if (isSuppressed(a) || !a.defined) throw new Error('AUROC expected');
      const v = value(s.id, 'auroc') as DefinedSiteValue;
      expect(v.estimate).toBe(a.estimate);
      expect(v.y).toBeCloseTo(logit(a.estimate), 14);
      // Delta method: SE(logit A) ≈ SE(A) / (A (1 − A)), with the report's own bootstrap SE of A (same replicates).
      const delta = (a.se ?? NaN) / (a.estimate * (1 - a.estimate));
      expect(Math.abs(v.se / delta - 1)).toBeLessThan(0.15);
    });
  });

  it('gives a model O/E on the log scale, calibration intercept and slope with SEs from their sandwich intervals', () => {
    const cal = report.scores[1]?.calibration;
    if (cal === undefined || isSuppressed(cal) || !cal.defined || !cal.observedExpected.defined || !cal.slope.defined || cal.slope.ci === null)
      throw new Error('calibration expected');
    const oe = value('apollo_style', 'oe') as DefinedSiteValue;
    expect(oe.y).toBeCloseTo(Math.log(cal.observedExpected.estimate), 14);
    const slope = value('apollo_style', 'slope') as DefinedSiteValue;
    // A Wald interval is estimate ± 1.959964 SE: the SE is its half-width over 1.959964.
    expect(slope.se).toBeCloseTo((cal.slope.ci[1] - cal.slope.ci[0]) / (2 * 1.959963984540054), 12);
  });

  it('gives a points score no O/E, intercept or slope: its calibration is model updating, never a finding', () => {
    expect(summary.measures.filter((m) => m.score === 'news2' && ['oe', 'citl', 'slope'].includes(m.measure))).toEqual([]);
  });

  it('has sensitivity and specificity at every alerting rule, and net benefit at every threshold', () => {
    const rules = report.scores[0]?.thresholds.map((t) => t.label) ?? [];
    expect(rules.length).toBeGreaterThan(1);
    for (const rule of rules) {
      expect(value('news2', 'sensitivity', rule).defined).toBe(true);
      for (const pt of report.settings.netBenefitThresholds)
        expect(summary.measures.some((m) => m.measure === 'netBenefit' && m.rule === rule && m.threshold === pt)).toBe(true);
    }
  });

  it('keeps out what the report suppressed, saying which rule withheld it', () => {
    const small = summariseSite({
      cohort: generateCohort({ profile: 'india-apollo', encounters: 150, seed: 5 }),
      scores: [news2],
      bootstrap: { B: 50, seed: 1 },
      site: 's',
    });
    const kept = small.measures.filter((m) => !m.value.defined);
    expect(kept.length).toBeGreaterThan(0);
    for (const m of kept) expect(m.value.defined === false && m.value.message.length > 0).toBe(true);
    expect(kept.some((m) => !m.value.defined && m.value.reason === 'suppressed')).toBe(true);
  });

  it('without a bootstrap: AUROC by the delta method on Obuchowski’s clustered SE, the rest undefined (no-bootstrap)', () => {
    const s = summariseSite({ cohort, scores: [news2], bootstrap: false, site: 's' });
    const a = report.scores[0]?.auroc;
    if (a === undefined || isSuppressed(a) || !a.defined || !a.obuchowski.defined) throw new Error('AUROC expected');
    const v = s.measures[0]?.value as DefinedSiteValue;
    expect(v.se).toBeCloseTo(a.obuchowski.se / (a.estimate * (1 - a.estimate)), 12);
    expect(s.measures.filter((m) => m.measure === 'sensitivity').every((m) => !m.value.defined && m.value.reason === 'no-bootstrap')).toBe(true);
  });

  it('holds no patient or encounter key, and carries the report’s disclosure summary', () => {
    const text = JSON.stringify(summary);
    const ids = [...new Set(Array.from(cohort.observations.getChild('patient_id') ?? [], String))].slice(0, 200);
    for (const id of ids) expect(text.includes(`"${id}"`)).toBe(false);
    expect(text).not.toMatch(/"[PE]\d{7}"/);
    expect(summary.disclosure.policy).toBe('ewskit');
    expect(summary.header.countTables).toBe(false);
  });

  it('refuses an empty site name', () => {
    expect(() => summariseSite({ cohort, scores: [news2], site: ' ' })).toThrow(/summariseSite: option "site" expected a non-empty name/);
  });
});
