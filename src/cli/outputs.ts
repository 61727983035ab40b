/**
 * Outputs checked before any work starts, so no command destroys a user's data: an output may not be one of the
 * command's inputs (or inside an input directory), two outputs may not share a path, an existing output is replaced
 * only with `--force`, and an output's directory must exist. Every refusal is a usage error (exit 2), made before a
 * byte is read or written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { RenderedFigure } from '../../validation/report/render-figures.js';
import { UsageError } from './args.js';

/** One output: its path, and whether it is a directory the command writes whole (a cohort). */
export interface Output {
  readonly path: string;
  readonly flag: string;
  readonly directory?: boolean;
}

/**
 * The real path of a file that may not exist yet: symbolic links resolved (`fs.realpath`) for the path, or for its
 * nearest existing ancestor — so an output that is a link to an input, or lies under a linked directory, is seen for
 * what it is.
 */
export function realPath(path: string): string {
  const at = resolve(path);
  if (existsSync(at)) return realpathSync(at);
  const parent = dirname(at);
  return parent === at ? at : join(realPath(parent), basename(at));
}

const inside = (child: string, parent: string): boolean => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !r.startsWith('/'));
};

/**
 * Refuse outputs that would destroy data or cannot be written.
 *
 * @throws {UsageError} naming the option, the path and what is wrong
 */
export function checkOutputs(command: string, outputs: readonly (Output | null)[], inputs: readonly string[], force: boolean): void {
  const given = outputs.filter((o): o is Output => o !== null);
  const seen = new Map<string, string>();
  for (const o of given) {
    const at = realPath(o.path);
    const other = seen.get(at);
    if (other !== undefined) throw new UsageError(`${command}: --${o.flag} and --${other} are the same file "${o.path}"; give each output its own path`);
    seen.set(at, o.flag);
    for (const input of inputs) {
      const i = realPath(input);
      // The input itself, a file inside an input directory (new files beside it are fine), or a directory holding the input.
      const overwrites = at === i || (inside(at, i) && existsSync(at)) || inside(i, at);
      if (overwrites) throw new UsageError(`${command}: --${o.flag} "${o.path}" would overwrite the input "${input}"; write the output somewhere else`);
    }
    const parent = dirname(at);
    if (!o.directory && !(existsSync(parent) && statSync(parent).isDirectory()))
      throw new UsageError(`${command}: --${o.flag} "${o.path}": the directory "${dirname(o.path)}" does not exist`);
    if (!o.directory && existsSync(at) && statSync(at).isDirectory())
      throw new UsageError(`${command}: --${o.flag} "${o.path}" is a directory; expected a file path`);
    if (o.directory === true && existsSync(at) && !statSync(at).isDirectory())
      throw new UsageError(`${command}: --${o.flag} "${o.path}" is a file; expected a directory (a file is never replaced by a directory)`);
    // An empty directory holds nothing to lose.
    const empty = o.directory === true && existsSync(at) && statSync(at).isDirectory() && readdirSync(at).length === 0;
    if (existsSync(at) && !empty && !force) {
      const what = o.directory ? 'a directory that exists' : 'a file that exists';
      throw new UsageError(`${command}: --${o.flag} "${o.path}" is ${what}; add --force to replace it`);
    }
  }
}

/** The manifest `--figures DIR` writes beside the figures: the names of the files ewskit wrote there. */
export const FIGURES_MANIFEST = 'ewskit-figures.json';

/** The files an earlier `--figures` run wrote into `dir` (from its manifest), or null when the directory has no manifest. */
function writtenBefore(dir: string): string[] | null {
  const at = join(dir, FIGURES_MANIFEST);
  if (!existsSync(at)) return null;
  try {
    const names = (JSON.parse(readFileSync(at, 'utf8')) as { files?: unknown }).files;
    // Plain names inside the directory only: a manifest can never point elsewhere.
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string' && n === basename(n) && n !== '..' && n !== '.') : [];
  } catch {
    return [];
  }
}

/**
 * `--figures DIR` with `--force` replaces only what ewskit wrote there before (its manifest lists it); a directory with
 * other files, or no manifest, is refused — so an old figure never sits among the new ones, and no file of the user's
 * is removed.
 *
 * @throws {UsageError} for a non-empty directory without an ewskit manifest, or with files the manifest does not list
 */
export function checkFiguresDirectory(command: string, dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
  const present = readdirSync(dir);
  if (present.length === 0) return;
  const ours = writtenBefore(dir);
  const foreign = present.filter((f) => f !== FIGURES_MANIFEST && !(ours ?? []).includes(f));
  if (ours === null || foreign.length > 0)
    throw new UsageError(
      `${command}: --figures "${dir}" holds files ewskit did not write there (${(ours === null ? present : foreign).slice(0, 3).join(', ')}${(ours === null ? present : foreign).length > 3 ? ', …' : ''}); give an empty or new directory`,
    );
}

/** The files of an earlier `--figures` run that the new set does not replace (removed once the new set is in place). */
export function staleFigures(dir: string, files: readonly (readonly [string, string])[]): string[] {
  const written = new Set(files.map(([p]) => basename(p)));
  return (writtenBefore(dir) ?? []).filter((n) => !written.has(n)).map((n) => join(dir, n));
}

/**
 * The standalone SVG files of `--figures DIR` (the directory is made when absent): `<id>.svg` per drawn figure,
 * `withheld.txt` listing the figures disclosure control or an undefined metric left out, with why, and the manifest
 * naming them.
 */
export function figureFiles(dir: string, figures: readonly RenderedFigure[]): [string, string][] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = figures.flatMap((f): [string, string][] => (f.svg === null ? [] : [[join(dir, `${f.id}.svg`), `${f.svg}\n`]]));
  const withheld = figures.filter((f) => f.svg === null);
  if (withheld.length > 0) files.push([join(dir, 'withheld.txt'), withheld.map((f) => `${f.id}: ${f.withheld ?? 'nothing to plot'}\n`).join('')]);
  files.push([join(dir, FIGURES_MANIFEST), `${JSON.stringify({ schema: 'ewskit.figures/1', files: files.map(([p]) => basename(p)) }, null, 2)}\n`]);
  return files;
}
