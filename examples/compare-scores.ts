/**
 * The study through the library API: generate a cohort, score it with NEWS2 and the Apollo-style score, validate
 * both (with a patient-clustered bootstrap and disclosure control), and print the headline comparison.
 * Usage (with any TypeScript runner): `tsx examples/compare-scores.ts`.
 */
import { apolloStyle, generateCohort, isSuppressed, news2, renderMarkdown, validate } from 'ewskit';

const cohort = generateCohort({ profile: 'india-apollo', encounters: 1500, seed: 21 });
const report = validate({ cohort, scores: [news2, apolloStyle], groupBy: ['sex'], bootstrap: { B: 100, seed: 1 } });

// Every cell is either released or suppressed, and every metric either defined or undefined with a reason.
const auc = (i: number): string => {
  const a = report.scores[i]?.auroc;
  if (a === undefined || isSuppressed(a)) return 'suppressed';
  return a.defined ? a.estimate.toFixed(3) : a.message;
};
const cmp = report.comparisons[0]?.cell;
// The headline interval is the paired patient-clustered bootstrap (DeLong's, which ignores repeated sets, is cmp.naive).
const difference =
  cmp === undefined || isSuppressed(cmp) || !cmp.defined || cmp.ci === null
    ? 'not available'
    : `${cmp.estimate.toFixed(3)} (clustered 95% CI ${cmp.ci.map((x) => x.toFixed(3)).join(' to ')})`;
console.log(`Validation cohort: ${String(report.cohort.source)}`);
console.log(`AUROC: NEWS2 ${auc(0)}, Apollo-style ${auc(1)}`);
console.log(`NEWS2 − Apollo-style: ${difference}`);
console.log(`Markdown report: ${renderMarkdown(report).split('\n').length} lines`);

// Output:
// Validation cohort: synthetic india-apollo cohort, seed 21, generator 4.0.0
// AUROC: NEWS2 0.800, Apollo-style 0.846
// NEWS2 − Apollo-style: -0.046 (clustered 95% CI -0.077 to -0.016)
// Markdown report: 318 lines
