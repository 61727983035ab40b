/**
 * Disclosure control measured on seeded reports: per policy, how many cells are suppressed (primary, secondary,
 * dependants), the information the secondary suppressions cost (how many counts, and the sum of their true values —
 * read from the same report under policy "none", path by path), how long the study and its audit take, and the
 * audit's outcome (counts audited, narrowest feasible interval, any unprotected). Groupings: ethnicity, skin tone and
 * ethnicity × sex, with NEWS2 and the Apollo-style score.
 *
 *   npm run bench:disclosure               # the default 5,000-encounter report
 *   npm run bench:disclosure -- 100000     # add a 100k-encounter report (about 2 GB of memory)
 *   P=ewskit,opensafely npm run bench:disclosure   # choose the policies (default ewskit, midpoint6 and opensafely)
 *
 * Writes bench/results/disclosure.json. Times are measured, never asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { apolloStyle } from '../scores/catalogue/catalogue.js';
import { news2 } from '../scores/catalogue/news2.js';
import { generateCohort } from '../validation/cohort/generate.js';
import type { DisclosurePolicyName } from '../validation/disclosure/disclosure.js';
import { isSuppressed } from '../validation/disclosure/disclosure.js';
import { loadDisclosureAudit } from '../validation/disclosure/lp-audit.js';
import { validate } from '../validation/study/validate.js';

await loadDisclosureAudit();

const sizes = [
  5_000,
  ...process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0),
];
const policies = (process.env.P ?? 'ewskit,midpoint6,opensafely').split(',') as DisclosurePolicyName[];
const groupBy = ['ethnicity', 'skin_tone_band', ['ethnicity', 'sex']] as const;

interface Tally {
  suppressed: number;
  primary: number;
  secondary: number;
  dependants: number;
  /** Counts suppressed secondarily, and the sum of their true values. */
  secondaryCounts: number;
  secondaryTotal: number;
}

/** Walk a report and the same report without disclosure control side by side. */
function tally(released: unknown, truth: unknown, t: Tally): void {
  if (isSuppressed(released)) {
    t.suppressed++;
    if (released.rule.startsWith('secondary')) {
      t.secondary++;
      if (typeof truth === 'number') {
        t.secondaryCounts++;
        t.secondaryTotal += truth;
      }
    } else if (released.rule === 'derived from a suppressed count' || released.rule === 'part of a suppressed cell') t.dependants++;
    else t.primary++;
    return;
  }
  if (Array.isArray(released) && Array.isArray(truth)) released.forEach((v, i) => tally(v, truth[i], t));
  else if (typeof released === 'object' && released !== null && typeof truth === 'object' && truth !== null)
    for (const [k, v] of Object.entries(released)) tally(v, (truth as Record<string, unknown>)[k], t);
}

const rows: unknown[] = [];
for (const encounters of sizes) {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters, seed: 1 });
  const options = { cohort, scores: [news2, apolloStyle], groupBy, bootstrap: false } as const;
  const truth = validate({ ...options, disclosure: false });
  for (const policy of policies) {
    const started = performance.now();
    const report = validate({ ...options, disclosure: { policy } });
    const seconds = (performance.now() - started) / 1000;
    const t: Tally = { suppressed: 0, primary: 0, secondary: 0, dependants: 0, secondaryCounts: 0, secondaryTotal: 0 };
    const { disclosure, ...body } = report;
    const { disclosure: _, ...truthBody } = truth;
    tally(body, truthBody, t);
    const audit = disclosure.audit;
    const row = {
      encounters,
      sets: truth.flow.extract.sets,
      policy,
      ...t,
      studySeconds: Math.round(seconds * 10) / 10,
      auditSeconds: audit?.seconds ?? null,
      audited: audit?.audited ?? null,
      addedByAudit: audit?.addedSuppressions ?? null,
      narrowest: audit?.narrowest ?? null,
      protectionWidth: audit?.protectionWidth ?? null,
      unprotected: audit?.unprotected ?? null,
      releasable: disclosure.releasable,
    };
    rows.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/disclosure.json',
  `${JSON.stringify({ measured: new Date().toISOString(), node: process.version, cpus: cpus().length, groupBy, rows }, null, 2)}\n`,
);
