/**
 * The installed command: `npm ci` builds dist/ (the `prepare` script), so `npx ewskit` works right after it — the
 * first-run path a new user takes. Runs the real bin script in a child process.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/ewskit.js', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; scripts: Record<string, string> };

describe('bin/ewskit.js', () => {
  it('is built by npm ci (a prepare script) and answers --version and --help', () => {
    expect(pkg.scripts.prepare).toMatch(/tsup/);
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(`ewskit ${pkg.version}`);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/ewskit validate --cohort DIR/);
  });

  it('the examples run as documented, compiled by the same build: node dist/examples/bedside.js', () => {
    const example = new URL('../../dist/examples/bedside.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [example], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^NEWS2 7 — high risk/);
  });
});
