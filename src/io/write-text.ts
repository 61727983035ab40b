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
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}
