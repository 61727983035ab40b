/**
 * Comparisons at equal workload. A score compared with itself (the same definition under another id) must match at
 * the same cut-off with the same alert rate and a difference of exactly 0 in every resample; a score compared with
 * the reference comparator must alert no more often than NEWS2 ≥ 5.
 */
import { describe, expect, it } from 'vitest';
import { news2AgeComorbidity } from '../../../scores/catalogue/catalogue.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { renderMarkdown } from '../../../validation/report/markdown.js';
import type { MatchedAlertCell } from '../../../validation/report/types.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { validate } from '../../../validation/study/validate.js';

const cohort = generateCohort({ profile: 'india-apollo', encounters: 1500, seed: 31 });
const matched = (c: unknown): MatchedAlertCell => {
  if (isSuppressed(c) || (c as { defined: boolean }).defined !== true) throw new Error('expected a released, defined cell');
  return c as MatchedAlertCell;
};

describe('paired comparisons at equal workload', () => {
  it('NEWS2 against itself: the same cut-off and alert rate, a difference of exactly 0', () => {
    const twin = { ...news2, id: 'news2_twin', name: 'NEWS2 (twin)' };
    const report = validate({ cohort, scores: [news2, twin], bootstrap: { B: 200, seed: 2 } });
    const m = matched(report.comparisons[0]?.matchedAlertRate);
    expect(m.cutA).toBe(5);
    expect(m.cutB).toBe(5);
    expect(m.alertRateB).toBe(m.alertRate);
    expect(m.difference.estimate).toBe(0);
    expect(m.difference.ci).toEqual([0, 0]);
    expect(m.sensitivityA).toEqual(m.sensitivityB);
  });

  it('the reference comparator alerts no more often than NEWS2 ≥ 5, and the table is in the Markdown', () => {
    const report = validate({ cohort, scores: [news2, news2AgeComorbidity], bootstrap: { B: 200, seed: 2 } });
    const m = matched(report.comparisons[0]?.matchedAlertRate);
    expect(m.alertRateB).toBeLessThanOrEqual(m.alertRate);
    expect(m.alertRate - m.alertRateB).toBeLessThan(0.01);
    const ci = m.difference.ci;
    expect(ci !== null && ci[0] <= m.difference.estimate && m.difference.estimate <= ci[1]).toBe(true);
    expect(renderMarkdown(report)).toContain('## Paired comparisons at equal workload');
  });
});
