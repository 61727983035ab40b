/**
 * docs/safety.md is a hazard log in which every hazard names the test that proves its control: this test reads the log
 * and fails when a hazard lacks a field, names no test, or names a test that does not exist (a file without a test of
 * that exact title). CI runs every test, so each one named here also passes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const log = readFileSync(new URL('docs/safety.md', root), 'utf8');

/** The hazards: "### H<n> — title" and the text up to the next heading. */
function hazards(): { id: string; title: string; body: string }[] {
  return [...log.matchAll(/^### (H\d+) — (.+)$/gm)].map((m) => {
    const start = (m.index ?? 0) + m[0].length;
    const next = log.slice(start).search(/^#{2,3} /m);
    return { id: m[1] as string, title: m[2] as string, body: log.slice(start, next < 0 ? undefined : start + next) };
  });
}

/** The tests an evidence entry names: one per line, `file` — "title". */
function evidence(body: string): { file: string; title: string }[] {
  const at = body.indexOf('**Evidence**:');
  if (at < 0) return [];
  const end = body.indexOf('\n- **', at + 1);
  const text = body.slice(at + '**Evidence**:'.length, end < 0 ? undefined : end);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^`([^`]+)` — "(.*)"[;.]$/.exec(l);
      if (m === null) throw new Error(`docs/safety.md: cannot read the evidence line ${JSON.stringify(l)}`);
      return { file: m[1] as string, title: m[2] as string };
    });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when the file declares a test or suite (`it`, `it.each(…)`, `describe`) with exactly this title, in any quotes. */
function declares(source: string, title: string): boolean {
  const literals = [`'${title.replace(/'/g, "\\'")}'`, `"${title.replace(/"/g, '\\"')}"`, `\`${title}\``];
  return literals.some((literal) => new RegExp(`\\b(?:it|describe)(?:\\.each\\([^)]*\\))?\\(\\s*${escapeRegExp(literal)}`).test(source));
}

describe('docs/safety.md', () => {
  const all = hazards();
  it('lists the hazards the issue named, at least', () => {
    expect(all.length).toBeGreaterThanOrEqual(18);
    expect(all.map((h) => h.id)).toEqual(all.map((_, i) => `H${i + 1}`));
  });
  for (const h of all) {
    it(`${h.id} (${h.title}) has cause, effect, severity, likelihood, control and evidence`, () => {
      for (const field of ['**Cause**', '**Effect**', '**Severity**', '**Likelihood**', '**Control**', '**Evidence**', '**Residual**'])
        expect(h.body, `${h.id} lacks ${field}`).toContain(field);
    });
    it(`${h.id} names tests that exist`, () => {
      const tests = evidence(h.body);
      expect(tests.length, `${h.id} names no test`).toBeGreaterThan(0);
      for (const t of tests) {
        expect(existsSync(new URL(t.file, root)), `${h.id}: ${t.file} does not exist`).toBe(true);
        const source = readFileSync(new URL(t.file, root), 'utf8');
        expect(declares(source, t.title), `${h.id}: ${t.file} has no test titled ${JSON.stringify(t.title)}`).toBe(true);
      }
    });
  }
  it('the checker can fail: a made-up title is not found', () => {
    const source = readFileSync(new URL('test/scores/fhir/to-fhir.test.ts', root), 'utf8');
    expect(declares(source, 'requires a subject and an effective time, and checks both')).toBe(true);
    expect(declares(source, 'writes whatever it is given')).toBe(false);
  });
});
