/**
 * The floors of the house (docs/design.md): `scores/` imports nothing of ours outside itself; `validation/` imports
 * only `scores/` and itself; nothing in the library imports `src/`. Checked on every import of every source file.
 * Inside the floors, the rooms (subfolders such as `scores/kernel`, `validation/study`) and the files form no cycle:
 * the strongly connected components of both import graphs are single nodes.
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

/** Each relative import of a file (type-only imports too), as a path from the root with the `.ts` it names. */
function imported(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1] as string);
  return specs.map((s) => relative(root, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** Each relative import of a file, as the floor (top folder) it lands in. */
function floorsImported(file: string): string[] {
  return imported(file).map((p) => p.split(/[\\/]/)[0] as string);
}

/** A file's room: its subfolder below the floor (`scores/kernel`), or the floor for a file at its top. */
const roomOf = (path: string): string => path.split(/[\\/]/).slice(0, 2).join('/').replace(/\.ts$/, '');

/** The strongly connected components with more than one node (Tarjan), each sorted; [] when the graph has no cycle. */
function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) out.push(component.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** The import graph of every library file, with nodes mapped by `node` (a file, or its room); self-loops dropped. */
function importGraph(node: (path: string) => string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const floor of Object.keys(ALLOWED)) {
    for (const file of sources(join(root, floor))) {
      const from = node(relative(root, file));
      const targets = edges.get(from) ?? new Set<string>();
      edges.set(from, targets);
      for (const to of imported(file).map(node)) if (to !== from) targets.add(to);
    }
  }
  return edges;
}

const ALLOWED: Record<string, readonly string[]> = {
  scores: ['scores'],
  validation: ['scores', 'validation'],
  src: ['scores', 'validation', 'src'],
};

describe('rooms and files form no cycle', () => {
  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set<string>()],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', new Set(['b'])]]))).toEqual([]);
  });
  it('no two subfolders import each other, directly or around a loop', () => {
    const graph = importGraph(roomOf);
    expect(graph.has('scores/kernel') && graph.has('validation/study')).toBe(true);
    expect(cycles(graph)).toEqual([]);
  });
  it('no two files import each other, directly or around a loop', () => {
    const graph = importGraph((p) => p);
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });
});

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
