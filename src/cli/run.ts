/**
 * The `ewskit` command line: parses arguments and calls the library, one file per command in `commands/`.
 * Exit codes: 0 success, 1 a failure while running (a missing file, a wrong column), 2 a usage error (unknown
 * command, score or option).
 */
import type { CliIO } from './args.js';
import { UsageError } from './args.js';
import { bench } from './commands/bench.js';
import { combine } from './commands/combine.js';
import { demo } from './commands/demo.js';
import { fit } from './commands/fit.js';
import { pseudonymise } from './commands/pseudonymise.js';
import { score } from './commands/score.js';
import { summarise } from './commands/summarise.js';
import { scores } from './commands/scores.js';
import { synth } from './commands/synth.js';
import { validateCommand } from './commands/validate.js';
import { EWSKIT_VERSION } from '../../validation/report/provenance.js';
import { commandHelp, commandSpec, COMMANDS, EXIT_CODES, usageLine, wrap } from './options.js';

export type { CliIO } from './args.js';

/** `ewskit help`: every command's usage line and purpose, written from the option table. */
function overview(): string {
  const commands = COMMANDS.map((c) => `  ${usageLine(c)}\n      ${wrap(c.summary, 112, '      ')}`);
  return [
    'ewskit — clinical early-warning scores: exact scoring, fast Arrow kernels, honest validation.',
    '',
    'Usage:',
    ...commands,
    '  ewskit help [COMMAND] | ewskit COMMAND --help\n      every option of a command: its meaning, default and allowed values.',
    '  ewskit --version (or -V)\n      the version of ewskit.',
    '',
    'Outputs: demo --html, synth, score, validate, summarise, combine, pseudonymise and fit refuse to replace an existing output unless given --force, and never',
    'replace an input. Progress goes to stderr (timestamped lines off a terminal) unless given --quiet.',
    '',
    'Input columns (canonical schema): respiratory_rate, spo2, spo2_scale (optional; null = Scale 1), on_oxygen,',
    'systolic_bp, heart_rate, consciousness (A/C/V/P/U, or alert / new confusion / voice / pain / unresponsive),',
    'temperature (°C); others are passed through.',
    '',
    `Exit codes: ${EXIT_CODES}`,
  ].join('\n');
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
  // `ewskit COMMAND --help` and `ewskit help COMMAND`: that command's options, from the option table.
  const asked = command === 'help' ? rest[0] : rest.includes('--help') || rest.includes('-h') ? command : undefined;
  const spec = asked === undefined ? undefined : commandSpec(asked);
  if (spec !== undefined) {
    io.stdout(`${commandHelp(spec)}\n`);
    return 0;
  }
  if (command === 'help' && asked !== undefined) {
    io.stderr(`ewskit: no command "${asked}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}).\nRun "ewskit help" for usage.\n`);
    return 2;
  }
  try {
    switch (command) {
      case 'demo':
        return await demo(rest, io);
      case 'synth':
        return await synth(rest, io);
      case 'fit':
        return await fit(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'summarise':
        return await summarise(rest, io);
      case 'combine':
        return await combine(rest, io);
      case 'pseudonymise':
        return await pseudonymise(rest, io);
      case 'score':
        return await score(rest, io);
      case 'scores':
        return scores(rest, io);
      case 'bench':
        return await bench(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${overview()}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(
          `unknown command "${command}" (expected demo, synth, score, validate, summarise, combine, pseudonymise, fit, scores, bench or help)`,
        );
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
