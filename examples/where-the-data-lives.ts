/**
 * The study where the data lives: a cohort written as Parquet, scored, labelled and counted by DuckDB reading the
 * files itself — only count tables come back — and the engine report made from them: the same AUROC and cut-off
 * measures, with the same patient-clustered intervals, as the in-process study on the same cohort.
 * Needs the optional package @duckdb/node-api (npm install @duckdb/node-api).
 * Usage (with any TypeScript runner): `tsx examples/where-the-data-lives.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineReport, generateCohort, jsEngineCounts, news2 } from 'ewskit';
import { engineCounts, writeCohort } from 'ewskit/node';

const dir = mkdtempSync(join(tmpdir(), 'ewskit-example-'));
const options = { encounters: 1500, seed: 11 };
await writeCohort(join(dir, 'cohort'), options, undefined, 'parquet');

const study = { scores: [news2], B: 200, seed: 1 };
const inDuckDB = engineReport(await engineCounts({ source: { engine: 'duckdb', cohort: join(dir, 'cohort') }, ...study }), study);
const inProcess = engineReport(jsEngineCounts({ cohort: generateCohort(options), ...study }), study);
rmSync(dir, { recursive: true, force: true });

const show = (e: unknown): string => {
  const x = e as { estimate: number; ci: [number, number] };
  return `${x.estimate.toFixed(3)} (${x.ci[0].toFixed(3)}–${x.ci[1].toFixed(3)})`;
};
for (const [name, report] of [
  ['DuckDB', inDuckDB],
  ['in process', inProcess],
] as const) {
  const s = report.scores[0];
  const rule = s?.thresholds[0];
  console.log(`${name}: ${String(report.flow.analysisSets)} sets; AUROC ${show(s?.auroc)}; sensitivity at ${rule?.rule} ${show(rule?.sensitivity)}`);
}

// Output:
// DuckDB: 26880 sets; AUROC 0.791 (0.744–0.830); sensitivity at NEWS2 ≥ 5 (medium) 0.562 (0.464–0.644)
// in process: 26880 sets; AUROC 0.791 (0.744–0.830); sensitivity at NEWS2 ≥ 5 (medium) 0.562 (0.464–0.644)
