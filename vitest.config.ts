import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests write only under a temporary directory of their own: os.tmpdir() in every test is this run's fresh directory,
// so a default path (the demo's report) never replaces a file the user made.
const TEST_TMPDIR = mkdtempSync(join(tmpdir(), 'ewskit-tests-'));

export default defineConfig({
  resolve: {
    alias: {
      'ewskit/node': fileURLToPath(new URL('./src/node.ts', import.meta.url)),
      ewskit: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    env: { TZ: 'UTC', TMPDIR: TEST_TMPDIR, TMP: TEST_TMPDIR, TEMP: TEST_TMPDIR },
    testTimeout: 300_000,
    setupFiles: ['test/helpers/audit-setup.ts'],
    // dt-sql-parser (the Spark SQL syntax check) ships ES modules with directory imports Node cannot resolve: Vite's
    // resolver loads it instead.
    server: { deps: { inline: ['dt-sql-parser'] } },
  },
});
