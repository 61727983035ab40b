/**
 * The `ewskit` entry must run in a browser: nothing it imports, however deep, may import a Node built-in or use
 * `process`. Walks our own import graph from src/index.ts; then bundles the bedside import for the browser with
 * esbuild (the bundler tsup runs on), which follows the npm packages too.
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
}

function walk(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    const specs = importsOf(file);
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) queue.push(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  }
  return seen;
}

describe('the ewskit entry is browser-safe', () => {
  const graph = walk(resolve(root, 'src/index.ts'));
  it('walks a real graph', () => expect(graph.size).toBeGreaterThan(5));
  it('no module beneath src/index.ts imports a Node built-in or touches process', () => {
    const offenders: string[] = [];
    for (const [file, specs] of graph) {
      for (const s of specs) if (NODE.has(s)) offenders.push(`${file.slice(root.length)} imports ${s}`);
      if (/\bprocess\.(env|argv|exit|stdout|stderr)/.test(readFileSync(file, 'utf8'))) offenders.push(`${file.slice(root.length)} uses process`);
    }
    expect(offenders).toEqual([]);
  });
  it('the node entry is where file IO lives', () => {
    const nodeGraph = walk(resolve(root, 'src/node.ts'));
    expect([...nodeGraph.values()].flat()).toContain('node:fs');
  });
});

/** The bedside import, bundled for the browser and minified as an app would ship it. */
async function bundleBedside() {
  return build({
    stdin: { contents: "import { news2, scoreObservation } from 'ewskit'; console.log(scoreObservation(news2, {}));", resolveDir: root, loader: 'js' },
    alias: { ewskit: resolve(root, 'src/index.ts') },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    outfile: 'bedside.js',
    logLevel: 'silent',
  });
}

/** At most this many bytes, minified: the bedside is the definitions and the evaluator, nothing of the batch path. */
const BEDSIDE_BYTES = 30_000;

describe('the bedside import bundles for the browser, and carries only the bedside', () => {
  it('`import { news2, scoreObservation } from "ewskit"` bundles with no Node built-in (the LP solver is loaded by a name no bundler follows)', async () => {
    const result = await bundleBedside();
    expect(result.errors).toEqual([]);
    const text = new TextDecoder().decode(result.outputFiles[0]?.contents);
    expect(text).not.toMatch(/from\s*["']node:/);
    expect(text).not.toMatch(/["']highs["']\)/);
  });
  it(`weighs under ${BEDSIDE_BYTES.toLocaleString('en-GB')} bytes minified, with no apache-arrow, arquero, kernel, SQL or report code in it`, async () => {
    const result = await bundleBedside();
    const bytes = result.outputFiles[0]?.contents.length ?? Infinity;
    // The modules with code in the output (the metafile's inputs list every module visited, shaken or not).
    const inputs = Object.values(result.metafile.outputs).flatMap((o) =>
      Object.entries(o.inputs)
        .filter(([, i]) => i.bytesInOutput > 0)
        .map(([f]) => f),
    );
    const heavy = inputs.filter((f) => /node_modules\/(apache-arrow|arquero|flatbuffers|vega|highs)\/|scores\/(kernel|sql)\/|validation\//.test(f));
    expect(heavy).toEqual([]);
    // Proof the bundle is real: the evaluator and the NEWS2 definition are in it.
    expect(inputs).toEqual(expect.arrayContaining(['scores/evaluate/score-observation.ts', 'scores/catalogue/news2.ts']));
    expect(bytes).toBeLessThan(BEDSIDE_BYTES);
  });
});
