/**
 * The `ewskit` command line: parses arguments and calls the library, one file per command in `commands/`.
 * Exit codes: 0 success, 1 a failure while running (a missing file, a wrong column), 2 a usage error (unknown
 * command, score or option).
 */
import type { CliIO } from './args.js';
import { UsageError } from './args.js';
import { demo } from './commands/demo.js';
import { fit } from './commands/fit.js';
import { score } from './commands/score.js';
import { scores } from './commands/scores.js';
import { synth } from './commands/synth.js';
import { validateCommand } from './commands/validate.js';
import { EWSKIT_VERSION } from '../../validation/report/provenance.js';

export type { CliIO } from './args.js';

const HELP = `ewskit — clinical early-warning scores: exact scoring, fast Arrow kernels, honest validation.

Usage:
  ewskit demo [--encounters 2000] [--seed 1] [--B 200] [--score ID ...] [--html FILE] [--force] [--quiet]
                                                  run the study on a built-in synthetic cohort (NEWS2 vs Apollo-style);
                                                  writes the HTML report (default: ewskit-demo/report.html in the
                                                  system's temporary directory) and prints its path
  ewskit synth --out DIR [--profile uk-leicester] [--encounters 1000] [--seed 1] [--oximeter-bias literature|none]
               [--batch 5000] [--force] [--quiet]
                                                  write a synthetic EPR cohort (five Arrow files + cohort.json);
                                                  the profile is uk-leicester, india-apollo or a .json profile
  ewskit score --in FILE --out FILE [--score news2 ...] [--missing none|zero] [--columns total,risk] [--map FILE]
              [--batch 65536] [--force] [--quiet]
                                                  score a file of observations (Arrow IPC, CSV, Parquet, FHIR) batch by
                                                  batch, memory bounded by the batch; write .arrow, .arrows or .parquet
                                                  (several scores in one pass; ID is built-in or a .json file; zero:
                                                  research option; --columns: only these outputs)
  ewskit validate (--cohort DIR | --observations FILE --events FILE [--patients FILE] [--encounters FILE] [--map FILE]
               [--strict] [--rejects FILE.csv]) [--score news2 ...] [--by COLUMN ...] [--out report.json] [--md report.md]
               [--html report.html] [--figures DIR] [--B 1000] [--seed 1] [--horizon 24] [--event TYPE ...] [--min-count 10] [--reference COLUMN=GROUP ...]
               [--unit first|highest-24h|common ...] [--cluster patient|encounter] [--recalibration logistic|isotonic]
               [--pool-min-events 10] [--missing none|zero|both] [--censored exclude|negative] [--extract-end DATE]
               [--exclude-before-event 0] [--disclosure ewskit|opensafely|midpoint6|none] [--force] [--quiet]
                                                  the study: discrimination, calibration, thresholds, comparisons and
                                                  subgroups, with patient-clustered intervals and disclosure control;
                                                  --html: one self-contained page with figures; --figures: one SVG each;
                                                  an extract: FHIR NDJSON/Bundle, CSV, Parquet or Arrow, long or wide,
                                                  codes, units and columns by the mapping file
  ewskit fit --out FILE [--model apollo-style|news2-age-comorbidity] [--profile india-apollo] [--encounters 20000]
             [--seed 2024] [--ridge 1] [--force] [--quiet]
                                                  fit the Apollo-style template (or the NEWS2 + age + comorbidity
                                                  reference comparator) on a synthetic derivation cohort
  ewskit scores                                   list the built-in scores
  ewskit help | --help                            this text; ewskit COMMAND --help for one command
  ewskit --version (or -V)                        the version of ewskit
  (demo --html, synth, score, validate and fit refuse to replace an existing output unless given --force; every command reports
   its progress on stderr — timestamped lines off a terminal — unless given --quiet)

Input columns (canonical schema): respiratory_rate, spo2, spo2_scale (optional; null = Scale 1), on_oxygen,
systolic_bp, heart_rate, consciousness (A/C/V/P/U or words), temperature (°C); others are passed through.`;

/** The lines of the help text for one command, or null for an unknown one. */
function commandHelp(command: string): string | null {
  const lines = HELP.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ewskit ${command} `) || l === `  ewskit ${command}`);
  if (start < 0) return null;
  const block = [lines[start] as string];
  for (const l of lines.slice(start + 1)) {
    if (l.startsWith('  ewskit ') || l.trim() === '') break;
    block.push(l);
  }
  return block.join('\n');
}

/**
 * Run the CLI with arguments (without `node` and the script) and report through `io`.
 *
 * @returns a promise of the exit code: 0 success, 1 failure while running, 2 usage error
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout(`ewskit ${EWSKIT_VERSION}\n`);
    return 0;
  }
  if (command !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    const usage = commandHelp(command);
    if (usage !== null) {
      io.stdout(`Usage:\n${usage}\n`);
      return 0;
    }
  }
  try {
    switch (command) {
      case 'demo':
        return await demo(rest, io);
      case 'synth':
        return await synth(rest, io);
      case 'fit':
        return fit(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'score':
        return await score(rest, io);
      case 'scores':
        return scores(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (expected demo, synth, score, validate, fit, scores or help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ewskit: ${e.message}.\nRun "ewskit help" for usage.\n`);
      return 2;
    }
    io.stderr(`ewskit ${command}: ${(e as Error).message}\n`);
    return 1;
  }
}
