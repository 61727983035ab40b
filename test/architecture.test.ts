/**
 * The floors of the house (docs/design.md): `scores/` imports nothing of ours outside itself; `validation/` imports
 * only `scores/` and itself; nothing in the library imports `src/`. Checked on every import of every source file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Each relative import of a file, as the floor (top folder) it lands in. */
function floorsImported(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1] as string);
  return specs.map((s) => relative(root, resolve(dirname(file), s)).split(/[\\/]/)[0] as string);
}

const ALLOWED: Record<string, readonly string[]> = {
  scores: ['scores'],
  validation: ['scores', 'validation'],
  src: ['scores', 'validation', 'src'],
};

describe('floors and their never-rules', () => {
  for (const [floor, allowed] of Object.entries(ALLOWED)) {
    it(`${floor}/ imports only ${allowed.join(', ')}`, () => {
      const files = sources(join(root, floor));
      expect(files.length).toBeGreaterThan(3);
      const offenders = files.flatMap((f) =>
        floorsImported(f)
          .filter((t) => !allowed.includes(t))
          .map((t) => `${relative(root, f)} → ${t}/`),
      );
      expect(offenders).toEqual([]);
    });
  }
  it('the stage folders exist (the tree shows the path from definition to report)', () => {
    for (const dir of [
      'scores/catalogue',
      'scores/definition',
      'scores/plan',
      'scores/kernel',
      'scores/evaluate',
      'scores/sql',
      'validation/stats',
      'validation/metrics',
      'validation/bootstrap',
      'validation/cohort',
      'validation/fit',
      'validation/study',
      'validation/report',
    ]) {
      expect(statSync(join(root, dir)).isDirectory(), dir).toBe(true);
    }
  });
});
