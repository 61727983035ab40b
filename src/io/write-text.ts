/**
 * Writing a text file without ever leaving half of one: the text goes to a temporary file beside the target, which
 * is then renamed over it (atomic on one file system). A crash mid-write leaves the old file, or none.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

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
  const temporaries = files.map(([path]) => `${path}.${process.pid}.tmp`);
  try {
    files.forEach(([, text], i) => writeFileSync(temporaries[i] as string, text));
  } catch (e) {
    for (const t of temporaries) rmSync(t, { force: true });
    throw e;
  }
  files.forEach(([path], i) => renameSync(temporaries[i] as string, path));
}
