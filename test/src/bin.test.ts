/**
 * The installed command: `npm ci` builds dist/ (the `prepare` script), so `npx ewskit` works right after it — the
 * first-run path a new user takes. Runs the real bin script in a child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(help.stdout).toMatch(/ewskit validate \(--cohort DIR \| --observations FILE --events FILE/);
  });

  it('runs as the README writes it inside the clone, npx --no-install ewskit, without asking the registry for anything', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const npx = spawnSync('npx', ['--no-install', 'ewskit', '--version'], { cwd: root, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true' } });
    expect(npx.status).toBe(0);
    expect(npx.stdout.trim()).toBe(`ewskit ${pkg.version}`);
  });

  it('the examples run as documented, compiled by the same build: node dist/examples/bedside.js', () => {
    const example = new URL('../../dist/examples/bedside.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [example], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^NEWS2 7 — high risk/);
  });

  it('a synth interrupted part-way (SIGINT, SIGTERM) removes its temporary directory and exits 130 / 143', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const root = mkdtempSync(join(tmpdir(), 'ewskit-interrupt-'));
      const out = join(root, 'cohort');
      const child = spawn(process.execPath, [bin, 'synth', '--encounters', '500000', '--batch', '2000', '--out', out, '--quiet']);
      // Wait until the temporary directory exists (the run is under way), then interrupt.
      for (let t = 0; t < 100 && readdirSync(root).length === 0; t++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readdirSync(root).some((f) => f.endsWith('.tmp'))).toBe(true);
      child.kill(signal);
      const exit = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(exit).toBe(code);
      expect(readdirSync(root)).toEqual([]);
    }
  });

  it('a synth killed part-way leaves no cohort that looks valid (only its temporary directory)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ewskit-kill-'));
    const out = join(root, 'cohort');
    const child = spawn(process.execPath, [bin, 'synth', '--encounters', '500000', '--batch', '2000', '--out', out, '--quiet']);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).every((f) => f.endsWith('.tmp'))).toBe(true);
  });
});
