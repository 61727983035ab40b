/**
 * Writing without ever leaving half a file: `writeAtomic` (and `writeAtomicSync`), the one atomic write every writer
 * of a single file uses (scored files, Arrow files); `writeTextsAtomic` (several files as one) and `writeCohort` (a
 * directory swapped in whole) use its temporary names. And the temporary files and directories a write has made and
 * not yet renamed into place, so that an interrupted command (SIGINT, SIGTERM) removes them before it exits: a stopped
 * run leaves the old outputs, and nothing half-written. Node-only. A SIGKILL cannot be caught; its leftovers end in
 * `.<pid>.tmp` and never look like an output.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';

const pending = new Set<string>();

/** The temporary path beside `path` that a write fills before its rename: `<path>.<pid>.tmp`. */
export function temporaryFor(path: string): string {
  return `${path}.${process.pid}.tmp`;
}

/**
 * The one atomic write every writer of ewskit goes through: `write` fills a temporary path beside `path` (held, so an
 * interrupted command removes it), which is renamed over `path` only once `write` has finished; on any failure the
 * temporary is removed and the old file is left as it was.
 *
 * @param path the file to write
 * @param write fills the temporary path it is given
 * @example await writeAtomic('scored.arrow', async (tmp) => writeFileSync(tmp, bytes));
 */
export async function writeAtomic(path: string, write: (temporary: string) => void | Promise<void>): Promise<void> {
  const temporary = begin(path);
  try {
    await write(temporary);
  } catch (e) {
    abandon(temporary);
    throw e;
  }
  commit(temporary, path);
}

/** {@link writeAtomic} for a `write` that finishes before it returns (a synchronous API). */
export function writeAtomicSync(path: string, write: (temporary: string) => void): void {
  const temporary = begin(path);
  try {
    write(temporary);
  } catch (e) {
    abandon(temporary);
    throw e;
  }
  commit(temporary, path);
}

/** The temporary of a write to `path`, held until it is committed or abandoned. */
function begin(path: string): string {
  const temporary = temporaryFor(path);
  holdTemporary(temporary);
  return temporary;
}

/** Rename a finished temporary over its file (removing it when the rename fails). */
function commit(temporary: string, path: string): void {
  try {
    renameSync(temporary, path);
  } catch (e) {
    abandon(temporary);
    throw e;
  }
  releaseTemporary(temporary);
}

/**
 * A directory written whole or not at all: `fill` fills a temporary directory beside `target` (held, so an
 * interrupted command removes it), which then replaces `target` (an old one is moved aside and removed only after the
 * rename). On any failure the temporary is removed and the old directory is left as it was.
 *
 * @throws {Error} when `target` is a file: a file is never replaced by a directory
 * @example await writeDirectoryAtomic('cohort', async (dir) => writeTables(dir));
 */
export async function writeDirectoryAtomic<T>(target: string, fill: (temporary: string) => Promise<T>, caller: string): Promise<T> {
  if (existsSync(target) && !statSync(target).isDirectory()) throw new Error(`${caller}: "${target}" is a file; a file is never replaced by a directory`);
  const dir = temporaryFor(target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  holdTemporary(dir);
  try {
    const result = await fill(dir);
    const old = `${target}.${process.pid}.old`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(dir, target);
    rmSync(old, { recursive: true, force: true });
    return result;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    releaseTemporary(dir);
  }
}

/** Remove a temporary that will not be renamed into place. */
function abandon(temporary: string): void {
  rmSync(temporary, { recursive: true, force: true });
  releaseTemporary(temporary);
}

/** Remember a temporary path (file or directory) until `release`. */
export function holdTemporary(path: string): void {
  pending.add(path);
}

/** Forget a temporary path: it was renamed into place or removed. */
export function releaseTemporary(path: string): void {
  pending.delete(path);
}

/** Remove every temporary path still held. Runs in O(held paths). */
export function removeTemporaries(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
}

/**
 * On SIGINT or SIGTERM, remove the temporaries and exit with the conventional code (128 + signal number: 130, 143).
 * Installed once by the command line.
 */
export function removeTemporariesOnSignal(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => {
      removeTemporaries();
      process.exit(code);
    });
}
