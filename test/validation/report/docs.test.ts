/**
 * docs/report.md documents every field of every report type, and nothing else: the types are read with the
 * TypeScript compiler from validation/report/types.ts and validation/disclosure/audit-types.ts (the output-checking
 * summary, defined below both the study and the report), and each exported interface must have a "### Name" section
 * whose table lists exactly its properties.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const sources = ['validation/report/types.ts', 'validation/disclosure/audit-types.ts'].map((f) => readFileSync(new URL(f, root), 'utf8'));
const doc = readFileSync(new URL('docs/report.md', root), 'utf8');

/** Exported interfaces and their property names, from the source. */
function interfaces(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const source of sources) read(ts.createSourceFile('types.ts', source, ts.ScriptTarget.ES2022, true), out);
  return out;
}

function read(file: ts.SourceFile, out: Map<string, string[]>): void {
  file.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
    out.set(
      node.name.text,
      node.members.filter(ts.isPropertySignature).map((m) => m.name.getText(file)),
    );
  });
}

/** The fields listed in the table under "### name" in the doc, or null without such a section. */
function documented(name: string): string[] | null {
  const at = doc.indexOf(`\n### ${name}\n`);
  if (at < 0) return null;
  const next = doc.indexOf('\n### ', at + 5);
  const section = doc.slice(at, next < 0 ? undefined : next);
  return [...section.matchAll(/^\| `([A-Za-z0-9]+)` \|/gm)].map((m) => m[1] as string);
}

describe('docs/report.md against the report types', () => {
  const types = interfaces();
  it('reads the types', () => expect(types.size).toBeGreaterThan(15));
  for (const [name, fields] of types) {
    it(`documents ${name} field by field`, () => {
      expect(documented(name), `docs/report.md has no "### ${name}" section`).not.toBeNull();
      expect([...(documented(name) ?? [])].sort()).toEqual([...fields].sort());
    });
  }
  it('names the schema the code writes', () => {
    expect(sources[0]).toMatch(/REPORT_SCHEMA = 'ewskit\.report\/11'/);
    expect(doc).toMatch(/^# The validation report — schema `ewskit\.report\/11`/);
  });
});
