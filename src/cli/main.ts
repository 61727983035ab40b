/** The `ewskit` executable: hands the arguments to {@link runCli} and exits with its code. */
import { runCli } from './run.js';
import { removeTemporariesOnSignal } from '../io/temporaries.js';

// An interrupted command leaves no temporary file or directory behind.
removeTemporariesOnSignal();

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
});
