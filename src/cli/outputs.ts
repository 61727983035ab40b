/**
 * Outputs checked before any work starts, so no command destroys a user's data: an output may not be one of the
 * command's inputs (or inside an input directory), two outputs may not share a path, an existing output is replaced
 * only with `--force`, and an output's directory must exist. Every refusal is a usage error (exit 2), made before a
 * byte is read or written.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
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

/**
 * The standalone SVG files of `--figures DIR` (the directory is made when absent): `<id>.svg` per drawn figure, and
 * `withheld.txt` listing the figures disclosure control or an undefined metric left out, with why.
 */
export function figureFiles(dir: string, figures: readonly RenderedFigure[]): [string, string][] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = figures.flatMap((f): [string, string][] => (f.svg === null ? [] : [[join(dir, `${f.id}.svg`), `${f.svg}\n`]]));
  const withheld = figures.filter((f) => f.svg === null);
  if (withheld.length > 0) files.push([join(dir, 'withheld.txt'), withheld.map((f) => `${f.id}: ${f.withheld ?? 'nothing to plot'}\n`).join('')]);
  return files;
}
