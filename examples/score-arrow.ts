/**
 * Score an Arrow IPC file of observations and write the scored file beside it.
 * Usage (with any TypeScript runner): `tsx examples/score-arrow.ts [observations.arrow]`.
 * Without an argument it writes a small synthetic cohort's observations to a temporary file first.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCohort, news2, scoreTable } from 'ewskit';
import { readArrowFile, writeArrowFile } from 'ewskit/node';

let input = process.argv[2];
if (input === undefined || !input.endsWith('.arrow')) {
  input = join(mkdtempSync(join(tmpdir(), 'ewskit-')), 'observations.arrow');
  writeArrowFile(input, generateCohort({ profile: 'uk-leicester', encounters: 50, seed: 7 }).observations);
}
const observations = readArrowFile(input);
const scored = scoreTable(news2, observations);
const output = input.replace(/\.arrow$/, '.scored.arrow');
writeArrowFile(output, scored);

const totals = scored.getChild('news2_total');
const risks = scored.getChild('news2_risk');
const counts = new Map<string, number>();
for (let i = 0; i < scored.numRows; i++) {
  const band = totals?.get(i) === null ? 'no total' : String(risks?.get(i));
  counts.set(band, (counts.get(band) ?? 0) + 1);
}
console.log(`${scored.numRows} rows in, ${scored.numRows} rows out; ${scored.schema.fields.length - observations.schema.fields.length} columns added`);
for (const band of ['low', 'low-medium', 'medium', 'high', 'no total']) console.log(`${band}: ${counts.get(band) ?? 0}`);

// Output:
// 819 rows in, 819 rows out; 13 columns added
// low: 622
// low-medium: 14
// medium: 53
// high: 44
// no total: 86
