/**
 * ewskit/node — the Node-only entry: file IO (Arrow IPC), the report drawn (HTML and SVG figures, with Vega-Lite) and
 * the CLI runner.
 */
export { renderHtml } from '../validation/report/html.js';
export type { HtmlOptions } from '../validation/report/html.js';
export { renderFigures } from '../validation/report/render-figures.js';
export type { RenderedFigure } from '../validation/report/render-figures.js';
export { readArrowFile, writeArrowFile } from './io/arrow-file.js';
export { readCohort, writeCohort, cohortFiles, cohortFormat, cohortManifest, COHORT_FORMATS } from './io/cohort-files.js';
export type { CohortOnDisk, CohortFormat, CohortManifestFile } from './io/cohort-files.js';
export { readExtract, readObservations, readExtractTable, formatOf } from './io/read-extract.js';
export type { ExtractFiles, ExtractCohort, ObservationsRead, ReadOptions, ExtractFormat } from './io/read-extract.js';
export { scoreFile } from './io/score-stream.js';
export type { ScoreFileOptions, ScoreFileResult } from './io/score-stream.js';
export { runCli } from './cli/run.js';
export type { CliIO } from './cli/run.js';
export { BENCH_SCHEMA, compareThroughput, measureThroughput, throughputTable } from './perf/throughput.js';
export type { ThroughputComparison, ThroughputOptions, ThroughputReport, ThroughputResult } from './perf/throughput.js';
export { combinedHtml } from '../validation/meta/combined-html.js';
export { writeSiteCohorts, readSiteCohorts, SITES_SCHEMA } from './io/site-cohorts.js';
export type { SitesManifest } from './io/site-cohorts.js';
export { engineCounts } from './engine/engine-counts.js';
export type { EngineCountOptions, EngineSource, EngineTables } from './engine/engine-counts.js';
export { pseudonymiser, hmacSha256Hex, readKeyFile, newKeyText, domainOf, MIN_KEY_BYTES } from './io/pseudonymise.js';
export type { Pseudonymiser } from './io/pseudonymise.js';
export { pseudonymiseFile, pseudonymiseCohort } from './io/pseudonymise-files.js';
export type { PseudonymisedFile, PseudonymisedManifest } from './io/pseudonymise-files.js';
