/**
 * A real PostgreSQL server for a test: Debian's `postgresql` package (installed by .ci/run when absent), a new
 * cluster in a temporary directory (`initdb`), started on a free local port (`pg_ctl`), stopped and removed after.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user the package
 * creates and the server runs as that user (`runuser`). When the binaries are missing the helper says why and the
 * test is skipped with that reason.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningPostgres {
  /** `postgres://ewskit@127.0.0.1:PORT/postgres` (trust authentication, local only). */
  readonly url: string;
  stop(): void;
}

/** The newest installed server's bin directory, or null. */
function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The psql client of the newest installed server (the recipe in docs/engines.md runs through it). */
export function psqlPath(): string {
  const bin = binDir();
  return bin !== null && existsSync(join(bin, 'psql')) ? join(bin, 'psql') : 'psql';
}

/** Why PostgreSQL cannot run here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (binDir() === null) return 'no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): install Debian’s postgresql package';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and no postgres system user to run the server as';
    }
  }
  return null;
}

/** Start a throwaway server. Runs initdb (a few seconds) and pg_ctl start. */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = binDir();
  if (bin === null) throw new Error(postgresUnavailable() ?? 'no PostgreSQL');
  const root = process.getuid?.() === 0;
  // As root, under /tmp itself: the test runner's own temporary directory may not be open to the postgres user.
  const dir = mkdtempSync(join(root && existsSync('/tmp') ? '/tmp' : tmpdir(), 'ewskit-pg-'));
  const data = join(dir, 'data');
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (program: string, args: string[]): void => {
    const [cmd, argv] = root ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
    execFileSync(cmd as string, argv as string[], { stdio: 'pipe' });
  };
  run('initdb', ['-D', data, '-U', 'ewskit', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://ewskit@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
