import { defineConfig } from 'tsup';

// Builds the benchmark suites to plain JS so they run on bare Node with no TypeScript loader.
export default defineConfig({
  entry: {
    news2: 'bench/news2.bench.ts',
    catalogue: 'bench/catalogue.bench.ts',
    metrics: 'bench/metrics.bench.ts',
    cohort: 'bench/cohort.bench.ts',
    tables: 'bench/tables.bench.ts',
    coverage: 'bench/coverage.bench.ts',
    'coverage-citl': 'bench/coverage-citl.bench.ts',
    stream: 'bench/stream.bench.ts',
    realism: 'bench/realism.bench.ts',
    disclosure: 'bench/disclosure.bench.ts',
    'site-coverage': 'bench/site-coverage.bench.ts',
    engine: 'bench/engine.bench.ts',
  },
  format: ['esm'],
  outDir: 'bench/.build',
  target: 'node20',
  clean: true,
  dts: false,
  sourcemap: false,
  splitting: false,
});
