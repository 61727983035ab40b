/**
 * The temporary files and directories a write has made and not yet renamed into place, so that an interrupted command
 * (SIGINT, SIGTERM) removes them before it exits: a stopped run leaves the old outputs, and nothing half-written.
 * Node-only. A SIGKILL cannot be caught; its leftovers end in `.<pid>.tmp` and never look like an output.
 */
import { rmSync } from 'node:fs';

const pending = new Set<string>();

/** Remember a temporary path (file or directory) until `release`. */
export function holdTemporary(path: string): void {
  pending.add(path);
}

/** Forget a temporary path: it was renamed into place or removed. */
export function releaseTemporary(path: string): void {
  pending.delete(path);
}

/** Remove every temporary path still held. Runs in O(held paths). */
export function removeTemporaries(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
}

/**
 * On SIGINT or SIGTERM, remove the temporaries and exit with the conventional code (128 + signal number: 130, 143).
 * Installed once by the command line.
 */
export function removeTemporariesOnSignal(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => {
      removeTemporaries();
      process.exit(code);
    });
}
