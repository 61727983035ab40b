/**
 * The study through the library API: generate a cohort, score it with NEWS2 and the Apollo-style score, validate
 * both (with a patient-clustered bootstrap and disclosure control), and print the headline comparison.
 * Usage (with any TypeScript runner): `tsx examples/compare-scores.ts`.
 */
import { apolloStyle, generateCohort, news2, renderMarkdown, validate } from 'ewskit';

const cohort = generateCohort({ profile: 'india-apollo', encounters: 1500, seed: 21 });
const report = validate({ cohort, scores: [news2, apolloStyle], groupBy: ['sex'], bootstrap: { B: 100, seed: 1 } });

const auc = (i: number) => (report.scores[i]?.auroc as { auc: number }).auc.toFixed(3);
const cmp = report.comparisons[0]?.cell as { difference: number; delong: { ci: [number, number] } };
console.log(`Validation cohort: ${String(report.cohort.source)}`);
console.log(`AUROC: NEWS2 ${auc(0)}, Apollo-style ${auc(1)}`);
console.log(`NEWS2 − Apollo-style: ${cmp.difference.toFixed(3)} (DeLong 95% CI ${cmp.delong.ci.map((x) => x.toFixed(3)).join(' to ')})`);
console.log(`Markdown report: ${renderMarkdown(report).split('\n').length} lines`);

// Output:
// Validation cohort: synthetic india-apollo cohort, seed 21, generator 1.0.0
// AUROC: NEWS2 0.859, Apollo-style 0.891
// NEWS2 − Apollo-style: -0.031 (DeLong 95% CI -0.051 to -0.012)
// Markdown report: 53 lines
