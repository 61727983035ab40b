/**
 * ewskit/node — the Node-only entry: file IO (Arrow IPC) and the CLI runner.
 */
export { readArrowFile, writeArrowFile } from './io/arrow-file.js';
export { readCohort, writeCohort } from './io/cohort-files.js';
export type { CohortOnDisk } from './io/cohort-files.js';
export { runCli } from './cli/run.js';
export type { CliIO } from './cli/run.js';
