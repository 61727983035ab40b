/**
 * Many sites, one answer: four synthetic sites with built-in differences (baseline risk, case mix, observation
 * practice, oximeter mix), each summarised where its data lives (aggregates only, under disclosure control), then
 * combined by random-effects meta-analysis — the pooled AUROC with its interval and the prediction interval for a new
 * site (Student's t with k − 2 df, the default), and how far the sites differ (τ, I²).
 * Usage (with any TypeScript runner): `tsx examples/many-sites.ts`.
 */
import { combineSummaries, drawSites, generateCohort, news2, siteCohortOptions, summariseSite } from 'ewskit';

const summaries = drawSites(4, 2026).map((site) =>
  summariseSite({
    cohort: generateCohort({ ...siteCohortOptions({ profile: 'india-apollo' }, site), encounters: 800 }),
    scores: [news2],
    bootstrap: { B: 100, seed: 1 },
    site: site.site,
  }),
);
const combined = combineSummaries(summaries);
const f = (x: number) => x.toFixed(3);
for (const m of combined.measures.filter((x) => x.measure === 'auroc' || (x.measure === 'sensitivity' && x.rule === 'NEWS2 ≥ 5 (medium)'))) {
  const s = m.summary;
  if (s === null) continue;
  console.log(`${m.measure}${m.rule === null ? '' : ` at ${m.rule}`}: sites ${m.sites.map((r) => f(r.estimate)).join(', ')}`);
  console.log(
    `  pooled ${f(s.estimate)} (95 % CI ${f(s.ci[0])}–${f(s.ci[1])}); a new site: ${s.pi === null ? 'n/a' : `${f(s.pi[0])}–${f(s.pi[1])}`}; τ ${f(s.pooled.tau ?? 0)}, I² ${(s.pooled.i2 ?? 0).toFixed(0)} %`,
  );
}

// Output:
// auroc: sites 0.894, 0.841, 0.744, 0.879
//   pooled 0.845 (95 % CI 0.727–0.918); a new site: 0.477–0.970; τ 0.349, I² 66 %
// sensitivity at NEWS2 ≥ 5 (medium): sites 0.783, 0.658, 0.552, 0.800
//   pooled 0.704 (95 % CI 0.501–0.849); a new site: 0.235–0.948; τ 0.391, I² 54 %
