/**
 * The Poisson bootstrap in the study: a patient's weight in a replicate is a function of its id, the replicate and the
 * seed alone, so the report's intervals do not depend on the order of the rows — the property that lets a database or
 * several partitions compute the same replicates. The multinomial bootstrap draws patients by position and does
 * depend on it (shown too, so the test can fail).
 */
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { validate } from '../../../validation/study/validate.js';
import type { BootstrapMethod } from '../../../validation/bootstrap/replicate-weights.js';

/** The rows of a table with its second half first: patients numbered in another order, nothing else changed. */
function swapHalves(t: Table): Table {
  const k = Math.floor(t.numRows / 2);
  return t.slice(k).concat(t.slice(0, k));
}

/** Every interval of the report's score, comparison, subgroup and alert sections, rounded to 9 significant digits. */
function intervals(report: ReturnType<typeof validate>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      if (v.length === 2 && v.every((x) => typeof x === 'number') && /ci$/i.test(path))
        out.push(`${path}=${v.map((x) => (x as number).toPrecision(9)).join(',')}`);
      else v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk({ scores: report.scores, comparisons: report.comparisons, subgroups: report.subgroups, alerts: report.alerts }, '$');
  return out;
}

describe('validate with bootstrap.method', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 800, seed: 12 });
  const swapped = { ...cohort, observations: swapHalves(cohort.observations) };
  const run = (c: typeof cohort, method: BootstrapMethod) =>
    validate({ cohort: c, scores: [news2, apolloStyle], groupBy: ['sex'], bootstrap: { B: 60, seed: 4, method }, disclosure: false });

  it('poisson: every interval is the same whatever the order of the rows', () => {
    const a = run(cohort, 'poisson');
    const b = run(swapped, 'poisson');
    expect(a.settings.bootstrap).toMatchObject({ method: 'poisson', B: 60, seed: 4 });
    expect((a.settings.bootstrap as { resampling: string }).resampling).toMatch(/Poisson\(1\)/);
    const ia = intervals(a);
    expect(ia.length).toBeGreaterThan(20);
    expect(intervals(b)).toEqual(ia);
  });

  it('multinomial: the same rows in another order give other resamples (what the Poisson scheme removes)', () => {
    const a = intervals(run(cohort, 'multinomial'));
    const b = intervals(run(swapped, 'multinomial'));
    expect(a.length).toBe(b.length);
    expect(b).not.toEqual(a);
  });

  it('names the option when the method is unknown', () => {
    expect(() => validate({ cohort, scores: [news2], bootstrap: { B: 10, method: 'jackknife' as BootstrapMethod } })).toThrow(
      /validate: option "bootstrap.method" expected 'poisson' or 'multinomial'; received string "jackknife"/,
    );
  });
});
