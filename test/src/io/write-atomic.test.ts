/**
 * The one atomic write: a write that fails leaves the old file as it was and no temporary beside it; one that
 * finishes replaces the file whole. The Arrow writer goes through it (so an interrupted command removes its
 * temporary too).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readArrowFile, writeArrowFile } from '../../../src/io/arrow-file.js';
import { temporaryFor, writeAtomic, writeAtomicSync } from '../../../src/io/temporaries.js';

describe('writeAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ewskit-atomic-'));
  const file = join(dir, 'out.txt');

  it('replaces the file whole once the write finishes, through <path>.<pid>.tmp', async () => {
    writeFileSync(file, 'old');
    let seen = '';
    await writeAtomic(file, async (temporary) => {
      seen = temporary;
      writeFileSync(temporary, 'new');
      expect(readFileSync(file, 'utf8')).toBe('old'); // not yet renamed
    });
    expect(seen).toBe(`${file}.${process.pid}.tmp`);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('a write that fails leaves the old file as it was and no temporary', async () => {
    writeFileSync(file, 'old');
    await expect(
      writeAtomic(file, async (temporary) => {
        writeFileSync(temporary, 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(() =>
      writeAtomicSync(file, (temporary) => {
        writeFileSync(temporary, 'half');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(existsSync(temporaryFor(file))).toBe(false);
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('writeArrowFile writes through it: the table reads back, and nothing else is left beside it', () => {
    const path = join(dir, 't.arrow');
    writeArrowFile(path, tableFromArrays({ x: Int32Array.from([1, 2, 3]) }));
    expect(readArrowFile(path).getChild('x')?.toArray()).toEqual(Int32Array.from([1, 2, 3]));
    expect(readdirSync(dir).sort()).toEqual(['out.txt', 't.arrow']);
  });
});
