/**
 * The README's "Public API" section lists exactly what `ewskit` and `ewskit/node` export: every value export (read
 * from the modules themselves) and every type export (read from the entry files with the TypeScript compiler).
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as core from 'ewskit';
import * as node from 'ewskit/node';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

/** The README text between "## Public API" and the next "## " heading, split at the ewskit/node part. */
function section(entry: 'core' | 'node'): string {
  const start = readme.indexOf('\n## Public API\n');
  const end = readme.indexOf('\n## ', start + 5);
  const text = readme.slice(start, end);
  const split = text.indexOf('**`ewskit/node`**');
  return entry === 'core' ? text.slice(0, split) : text.slice(split);
}

/** Names in backticks in a text. */
const named = (text: string): Set<string> => new Set([...text.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1] as string));

/** Type-only exports of an entry file. */
function typeExports(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(new URL(file, root), 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  sf.forEachChild((n) => {
    if (ts.isExportDeclaration(n) && n.isTypeOnly && n.exportClause !== undefined && ts.isNamedExports(n.exportClause)) {
      for (const e of n.exportClause.elements) out.push(e.name.text);
    }
  });
  return out;
}

describe('the public API in the README', () => {
  for (const [entry, module, file] of [
    ['core', core, 'src/index.ts'],
    ['node', node, 'src/node.ts'],
  ] as const) {
    it(`lists every export of ${entry === 'core' ? 'ewskit' : 'ewskit/node'}, and nothing it does not export`, () => {
      const listed = named(section(entry));
      const values = Object.keys(module);
      const types = typeExports(file);
      expect(
        values.filter((v) => !listed.has(v)),
        'value exports missing from the README',
      ).toEqual([]);
      expect(
        types.filter((t) => !listed.has(t)),
        'type exports missing from the README',
      ).toEqual([]);
      const exported = new Set([...values, ...types, 'ewskit', 'node', 'docs']);
      const phantom = [...listed].filter((n) => !exported.has(n) && /^[A-Za-z]+$/.test(n) && n !== 'ewskit');
      expect(phantom, 'names in the README that are not exported').toEqual([]);
    });
  }
});
