/**
 * A consumer whose project has its own copy of apache-arrow (a linked install, or two versions in one tree): tables
 * built with that copy are scored by the built package, written, and read back by the consumer's copy. The copy
 * is a second module instance (copied, not linked: Node would load a link as the same module), as it is in such a tree.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('a second copy of apache-arrow in the consumer’s tree', () => {
  it('scoreTable scores its tables (dictionary columns too); the result is written and read back by the consumer’s copy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-two-arrows-'));
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    cpSync(join(root, 'node_modules', 'apache-arrow'), join(modules, 'apache-arrow'), { recursive: true, dereference: true });
    for (const dep of ['flatbuffers', 'tslib', 'json-with-bigint']) symlinkSync(join(root, 'node_modules', dep), join(modules, dep), 'dir');
    // The consumer's script: its own arrow, the built ewskit.
    writeFileSync(
      join(dir, 'consumer.mjs'),
      `
import * as arrow from 'apache-arrow';
import * as ours from ${JSON.stringify(join(root, 'node_modules', 'apache-arrow', 'Arrow.node.mjs'))};
import { getScore, scoreTable } from ${JSON.stringify(join(root, 'dist', 'index.js'))};
import { writeArrowFile } from ${JSON.stringify(join(root, 'dist', 'node.js'))};
import { readFileSync } from 'node:fs';
if (arrow.Table === ours.Table) throw new Error('the test needs two copies of apache-arrow');
const n = (values) => arrow.vectorFromArray(values, new arrow.Float64());
const table = new arrow.Table({
  // A dictionary column whose id (0) is the first of the consumer's copy — the id ewskit's first column would take.
  ward: arrow.vectorFromArray(['W1', 'W2'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
  respiratory_rate: n([14, 25]),
  spo2: n([97, 91]),
  on_oxygen: arrow.vectorFromArray([false, true], new arrow.Bool()),
  systolic_bp: n([120, 90]),
  heart_rate: n([70, 131]),
  consciousness: arrow.vectorFromArray(['A', 'C'], new arrow.Utf8()),
  temperature: n([37, 39.1]),
});
const scored = scoreTable([getScore('news2')], table);
// Written by ewskit, read back by the consumer's copy: the bytes are Arrow, whichever copy wrote them.
writeArrowFile('scored.arrow', scored);
const back = arrow.tableFromIPC(readFileSync('scored.arrow'));
console.log(JSON.stringify({
  totals: Array.from(back.getChild('news2_total')),
  risks: Array.from(back.getChild('news2_risk'), String),
  wards: Array.from(back.getChild('ward'), String),
}));
`,
    );
    const r = spawnSync(process.execPath, [join(dir, 'consumer.mjs')], { encoding: 'utf8', cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // By hand (RCP 2017, Chart 1): set 1 — RR 14: 0, SpO2 97: 0, air: 0, SBP 120: 0, HR 70: 0, A: 0, 37.0: 0 = 0.
    // Set 2 — RR 25: 3, SpO2 91: 3, oxygen: 2, SBP 90: 3, HR 131: 3, C: 3, 39.1: 2 = 19 (high).
    expect(JSON.parse(r.stdout)).toEqual({ totals: [0, 19], risks: ['low', 'high'], wards: ['W1', 'W2'] });
  });
});
