#!/usr/bin/env node
// The CLI is built into dist/ (by `npm ci` or `npm install`, which run the build, or by `npm run build`).
import('../dist/cli.js').catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist')) {
    process.stderr.write('ewskit: the command line is not built yet. Run "npm run build" (npm ci and npm install build it too).\n');
    process.exit(1);
  }
  throw e;
});
