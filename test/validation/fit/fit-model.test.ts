/**
 * `fitSeverityModel`: a fit under the clinical-safety constraints, with zones matched to NEWS2's alert rates on the
 * derivation sets. The checks are independent of the fit: the static safety check, and the alert rates counted from
 * scoring the derivation cohort with both scores.
 */
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { monotonicityProblems } from '../../../scores/definition/monotonicity.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { APOLLO_TEMPLATE } from '../../../validation/fit/apollo-template.js';
import { fitSeverityModel } from '../../../validation/fit/fit-model.js';
import { labelOutcomes } from '../../../validation/outcomes/label-outcomes.js';

describe('fitSeverityModel', () => {
  const cohort = generateCohort({ profile: 'india-apollo', encounters: 2500, seed: 5 });
  const model = fitSeverityModel(cohort, APOLLO_TEMPLATE, { derivation: { cohort: 'synthetic', seed: 5 } });

  it('fits a definition whose risk never falls as a vital sign worsens', () => {
    expect(monotonicityProblems(model)).toEqual([]);
    expect(model.derivation?.method).toMatch(/constrained/);
  });

  it('matches orange and red to the alert rates of NEWS2 ≥ 5 and ≥ 7 on the derivation sets; blue at p = 0.5', () => {
    const scored = scoreTable([news2, model], cohort.observations);
    const { labels } = labelOutcomes(cohort.observations, cohort.events, { encounters: cohort.encounters });
    const rows = [...labels.keys()].filter((i) => (labels[i] ?? -1) >= 0);
    const total = rows.map((i) => scored.getChild('news2_total')?.get(i) as number | null).filter((t): t is number => t !== null);
    const p = rows.map((i) => scored.getChild(`${model.id}_probability`)?.get(i) as number | null).filter((x): x is number => x !== null);
    const share = (xs: readonly number[], cut: number) => xs.filter((x) => x >= cut).length / xs.length;
    const [orange, red, blue] = model.zones.slice(1).map((z) => z.min);
    // Within half a percentage point: the cut-off is rounded to three significant digits.
    expect(Math.abs(share(p, orange ?? NaN) - share(total, 5))).toBeLessThan(0.005);
    expect(Math.abs(share(p, red ?? NaN) - share(total, 7))).toBeLessThan(0.005);
    expect(blue).toBe(0.5);
    expect(model.notes?.join(' ')).toMatch(/as NEWS2 ≥ 5 does/);
  });
});
