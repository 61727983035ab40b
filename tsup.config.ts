import { defineConfig } from 'tsup';

// Two public entries (browser-safe `ewskit`, Node-only `ewskit/node`) plus the CLI.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    outDir: 'dist',
  },
  {
    // The examples, runnable as they are documented (`node dist/examples/bedside.js`): they import the package by
    // its name, which Node resolves to this package's own build.
    entry: {
      'examples/bedside': 'examples/bedside.ts',
      'examples/score-arrow': 'examples/score-arrow.ts',
      'examples/compare-scores': 'examples/compare-scores.ts',
    },
    format: ['esm'],
    dts: false,
    target: 'node20',
    outDir: 'dist',
    external: ['ewskit', 'ewskit/node'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    target: 'node20',
    outDir: 'dist',
  },
]);
