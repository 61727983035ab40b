/**
 * validate's options are checked once, at the boundary, and every message names the function the user called and
 * the option; the policies that were hard-coded have documented defaults and reach the report's settings.
 */
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { Disclosure } from '../../../validation/disclosure/disclosure.js';
import { DEFAULT_SKIN_TONE_BANDS, REPORT_NET_BENEFIT_THRESHOLDS } from '../../../validation/study/options.js';
import { validate } from '../../../validation/study/validate.js';

const cohort = generateCohort({ profile: 'uk-leicester', encounters: 300, seed: 8 });
const base = { cohort, scores: [news2], bootstrap: false } as const;

describe('validate(options): checked at the boundary', () => {
  it.each([
    [{ level: 2 }, /^validate: option "level" expected a number in \(0, 1\); received 2/],
    [{ level: 0 }, /^validate: option "level" expected a number in \(0, 1\)/],
    [{ recalibrationFolds: 1 }, /^validate: option "recalibrationFolds" expected a whole number ≥ 2; received 1/],
    [{ netBenefitThresholds: [0.1, 1.5] }, /^validate: option "netBenefitThresholds\[1\]" expected a probability in \(0, 1\); received 1.5/],
    [{ disclosure: { minCount: -1 } }, /^validate: option "disclosure.minCount" expected a whole number ≥ 0; received -1/],
    [{ bootstrap: { B: 0 } }, /^validate: option "bootstrap.B" expected a whole number ≥ 1; received 0/],
    [{ units: ['last'] }, /^validate: option "units\[0\]" expected 'first', 'highest-24h' or 'common'; received string "last"/],
    [{ skinToneBands: [{ label: 'x', min: 5, max: 1 }] }, /^validate: option "skinToneBands\[0\]" expected \{ label: string, min ≤ max \}/],
    [{ scores: [news2, news2] }, /^validate: option "scores" names "news2" twice/],
  ])('%o is refused with a message naming validate and the option', (bad, message) => {
    expect(() => validate({ ...base, ...(bad as object) })).toThrow(message);
  });
  it('new Disclosure names itself, not validate', () => {
    expect(() => new Disclosure({ minCount: -1 })).toThrow(/^Disclosure: option "minCount" expected a whole number ≥ 0; received -1/);
  });
});

describe('validate(options): policies with documented defaults', () => {
  it('reports the defaults it used', () => {
    const report = validate(base);
    expect(report.settings.recalibration).toEqual({ method: 'logistic', folds: 5, seed: 1 });
    expect(report.settings.netBenefitThresholds).toEqual([0.01, 0.02, 0.05, 0.1, 0.2]);
    expect(REPORT_NET_BENEFIT_THRESHOLDS).toEqual([0.01, 0.02, 0.05, 0.1, 0.2]);
    expect(report.settings.skinToneBands.map((b) => b.label)).toEqual(['Monk 1–3', 'Monk 4–7', 'Monk 8–10']);
    expect(DEFAULT_SKIN_TONE_BANDS).toHaveLength(3);
  });
  it('uses the thresholds, folds and bands it is given', () => {
    const bands = [
      { label: 'Monk 1–5', min: 1, max: 5 },
      { label: 'Monk 6–10', min: 6, max: 10 },
    ];
    const report = validate({
      ...base,
      netBenefitThresholds: [0.03],
      recalibrationFolds: 3,
      skinToneBands: bands,
      groupBy: ['skin_tone_band'],
      disclosure: false,
    });
    // One threshold probability × NEWS2's three alerting rules (≥ 5, ≥ 7, red score).
    expect(report.scores[0]?.netBenefit.map((r) => [r.cut, r.threshold])).toEqual([
      [5, 0.03],
      [7, 0.03],
      [1, 0.03],
    ]);
    expect(report.scores[0]?.calibration).toMatchObject({ method: 'model updating: cross-fitted logistic recalibration (3 patient folds)' });
    expect(report.subgroups[0]?.groups.map((g) => g.group)).toEqual(['Monk 1–5', 'Monk 6–10']);
  });
});
