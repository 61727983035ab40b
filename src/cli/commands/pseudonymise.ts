/**
 * `ewskit pseudonymise`: replace patient and encounter keys by keyed pseudonyms (HMAC-SHA-256 with a secret every site
 * holds and none shares), in a cohort directory or in one CSV, Arrow or Parquet file; `--make-key` makes the secret.
 * Prints what it replaced per file and column, and the key's fingerprint (to compare between sites).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { writeAtomicSync } from '../../io/temporaries.js';
import type { PseudonymisedFile } from '../../io/pseudonymise-files.js';
import { pseudonymiseCohort, pseudonymiseFile } from '../../io/pseudonymise-files.js';
import { newKeyText, pseudonymiser, readKeyFile } from '../../io/pseudonymise.js';
import type { CliIO } from '../args.js';
import { parseFlags, UsageError } from '../args.js';
import { checkOutputs } from '../outputs.js';

function report(files: readonly PseudonymisedFile[]): string {
  return files
    .map(
      (f) =>
        `  ${f.file}: ${f.rows.toLocaleString('en-GB')} rows; ${
          Object.entries(f.columns)
            .map(
              ([c, n]) => `${c} ${n.replaced.toLocaleString('en-GB')} replaced${n.empty > 0 ? `, ${n.empty.toLocaleString('en-GB')} empty (left empty)` : ''}`,
            )
            .join('; ') || 'no key column'
        }`,
    )
    .join('\n');
}

export async function pseudonymise(args: readonly string[], io: CliIO): Promise<number> {
  const flags = parseFlags(args, 'pseudonymise');
  const makeKey = flags.get('make-key');
  if (makeKey !== undefined) {
    if (flags.size > 1) throw new UsageError('--make-key FILE goes alone: make the key, then pseudonymise with --key FILE');
    if (existsSync(makeKey)) throw new UsageError(`pseudonymise: --make-key "${makeKey}" exists; a key is never replaced (remove it yourself if you mean to)`);
    checkOutputs('pseudonymise', [{ path: makeKey, flag: 'make-key' }], [], false);
    // Readable by its owner only: the secret must not leave the sites.
    writeAtomicSync(makeKey, (tmp) => writeFileSync(tmp, newKeyText(), { mode: 0o600 }));
    const p = pseudonymiser(readKeyFile(makeKey));
    io.stderr(
      `ewskit pseudonymise: wrote a new 256-bit key to ${makeKey} (fingerprint ${p.fingerprint}). Copy it to every site by a secure route; never release it.\n`,
    );
    return 0;
  }
  const keyFile = flags.get('key');
  if (keyFile === undefined) throw new UsageError('pseudonymise needs --key FILE (the secret every site holds) or --make-key FILE');
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('pseudonymise needs --out (a directory for --cohort, a file for --in)');
  const cohort = flags.get('cohort');
  const input = flags.get('in');
  if ((cohort === undefined) === (input === undefined)) throw new UsageError('pseudonymise takes --cohort DIR or --in FILE (one of them)');
  if (cohort !== undefined && flags.has('columns')) throw new UsageError('--columns goes with --in: a cohort’s key columns are patient_id and encounter_id');
  const source = (cohort ?? input) as string;
  if (!existsSync(source)) {
    io.stderr(`ewskit pseudonymise: the input "${source}" does not exist.\n`);
    return 1;
  }
  checkOutputs('pseudonymise', [{ path: out, flag: 'out', directory: cohort !== undefined }], [source, keyFile], flags.has('force'));
  const p = pseudonymiser(readKeyFile(keyFile));
  const columns = (flags.value('columns') as string)
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (columns.length === 0) throw new UsageError('--columns expects at least one column name');
  const files = cohort !== undefined ? await pseudonymiseCohort(cohort, out, p) : [await pseudonymiseFile(source, out, p, columns, true)];
  io.stderr(`ewskit pseudonymise: key fingerprint ${p.fingerprint}; wrote ${out}:\n${report(files)}\n`);
  return 0;
}
