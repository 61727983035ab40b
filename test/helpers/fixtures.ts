/** Test helper: a numeric CSV fixture from test/fixtures, header dropped, one array of numbers per row. */
import { readFileSync } from 'node:fs';

export function csvRows(name: string): number[][] {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
}
