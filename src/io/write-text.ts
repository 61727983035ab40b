/**
 * Writing a text file without ever leaving half of one: the text goes to a temporary file beside the target, which
 * is then renamed over it (atomic on one file system). A crash mid-write leaves the old file, or none.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { holdTemporary, releaseTemporary, temporaryFor } from './temporaries.js';

/**
 * Write `text` to `path` through a temporary file and a rename.
 *
 * @example writeTextAtomic('report.json', JSON.stringify(report));
 */
export function writeTextAtomic(path: string, text: string): void {
  writeTextsAtomic([[path, text]]);
}

/**
 * Write several files as one: every text goes to its temporary file first, and only when all are written are they
 * renamed into place — a failure on any leaves none of them (no report without its summary).
 *
 * @example writeTextsAtomic([['report.json', json], ['report.md', markdown]]);
 */
export function writeTextsAtomic(files: readonly (readonly [string, string])[]): void {
  const temporaries = files.map(([path]) => temporaryFor(path));
  temporaries.forEach(holdTemporary);
  try {
    files.forEach(([path, text], i) => {
      try {
        writeFileSync(temporaries[i] as string, text);
      } catch (e) {
        throw writeError(path, e);
      }
    });
  } catch (e) {
    for (const t of temporaries) rmSync(t, { force: true });
    temporaries.forEach(releaseTemporary);
    throw e;
  }
  files.forEach(([path], i) => renameSync(temporaries[i] as string, path));
  temporaries.forEach(releaseTemporary);
}

const WRITE_PROBLEMS: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'its directory does not exist',
  EISDIR: 'it is a directory',
};

/**
 * A clear error for a failed write: the path and what went wrong in words (read-only file system, permission denied,
 * disk full …), with the system's code — instead of a stack trace.
 *
 * @example writeError('out/report.json', Object.assign(new Error(), { code: 'EROFS' })).message; // => 'cannot write "out/report.json": the file system is read-only (EROFS)'
 */
export function writeError(path: string, e: unknown): Error {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string') return e instanceof Error ? e : new Error(String(e));
  return new Error(`cannot write "${path}": ${WRITE_PROBLEMS[code] ?? (e as Error).message} (${code})`);
}
