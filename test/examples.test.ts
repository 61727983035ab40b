/**
 * Every example runs as it is, and prints exactly what its `// Output:` comment says — so none can rot.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const dir = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = readdirSync(dir).filter((f) => f.endsWith('.ts'));

function expectedOutput(source: string): string[] {
  const at = source.lastIndexOf('// Output:');
  if (at < 0) return [];
  return source
    .slice(at)
    .split('\n')
    .slice(1)
    .filter((l) => l.startsWith('//'))
    .map((l) => l.replace(/^\/\/ ?/, ''));
}

describe('examples', () => {
  afterEach(() => vi.restoreAllMocks());
  it('there are examples to run', () => expect(examples.length).toBeGreaterThanOrEqual(2));
  for (const file of examples) {
    it(`examples/${file} runs and prints its documented output`, async () => {
      const lines: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
      const argv = process.argv;
      process.argv = [argv[0] as string, file];
      try {
        await import(/* @vite-ignore */ pathToFileURL(`${dir}${file}`).href);
      } finally {
        process.argv = argv;
      }
      const expected = expectedOutput(readFileSync(`${dir}${file}`, 'utf8'));
      expect(expected.length, 'the example documents its output').toBeGreaterThan(0);
      expect(lines).toEqual(expected);
    });
  }
});
