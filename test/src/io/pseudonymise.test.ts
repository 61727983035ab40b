/**
 * Pseudonyms: HMAC-SHA-256 as RFC 4231 gives it, domain-separated and truncated as documented; the same secret gives
 * the same pseudonym at every site and another secret another; files keep every row and every other value; an input
 * is never an output; a short key, a missing column and an unknown format are refused by name.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readArrowFile, writeArrowFile } from '../../../src/io/arrow-file.js';
import { hmacSha256Hex, MIN_KEY_BYTES, pseudonymiser, readKeyFile } from '../../../src/io/pseudonymise.js';
import { pseudonymiseCohort, pseudonymiseFile } from '../../../src/io/pseudonymise-files.js';
import { writeCohort } from '../../../src/io/cohort-files.js';
import { readCohort } from '../../../src/io/cohort-files.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ewskit-pseudo-'));
const secret = new Uint8Array(32).fill(0x2a);

describe('hmacSha256Hex and pseudonymiser', () => {
  it('hmacSha256Hex matches RFC 4231 test cases 6 and 7 (keys longer than a block)', () => {
    const key = new Uint8Array(131).fill(0xaa);
    expect(hmacSha256Hex(key, 'Test Using Larger Than Block-Size Key - Hash Key First')).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
    expect(
      hmacSha256Hex(
        key,
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      ),
    ).toBe('9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2');
  });

  it('a pseudonym is the first 128 bits of HMAC(secret, domain ‖ 0x00 ‖ key)', () => {
    const p = pseudonymiser(secret);
    expect(p.pseudonym('patient', 'RX1-123')).toBe(hmacSha256Hex(secret, 'patient\u0000RX1-123').slice(0, 32));
    // Domains apart: an encounter and a patient with the same key get different pseudonyms.
    expect(p.pseudonym('encounter', 'RX1-123')).not.toBe(p.pseudonym('patient', 'RX1-123'));
  });

  it('the same secret at two sites gives the same pseudonym; another secret another', () => {
    expect(pseudonymiser(Uint8Array.from(secret)).pseudonym('patient', '42')).toBe(pseudonymiser(secret).pseudonym('patient', '42'));
    expect(pseudonymiser(new Uint8Array(32).fill(1)).pseudonym('patient', '42')).not.toBe(pseudonymiser(secret).pseudonym('patient', '42'));
    expect(pseudonymiser(secret).fingerprint).toBe(hmacSha256Hex(secret, 'ewskit key fingerprint').slice(0, 16));
  });

  it('refuses a secret shorter than 32 bytes; a key file’s one trailing line end is not part of it', () => {
    expect(() => pseudonymiser(new Uint8Array(31))).toThrow(/pseudonymiser: the secret holds 31 bytes; expected at least 32/);
    const dir = tmp();
    writeFileSync(join(dir, 'short.key'), 'abc\n');
    expect(() => readKeyFile(join(dir, 'short.key'))).toThrow(/holds 3 bytes; expected at least 32/);
    writeFileSync(join(dir, 'k.key'), `${'a'.repeat(MIN_KEY_BYTES)}\r\n`);
    expect(readKeyFile(join(dir, 'k.key')).length).toBe(MIN_KEY_BYTES);
    expect(() => readKeyFile(join(dir, 'none.key'))).toThrow(/the key file ".*none\.key" does not exist/);
  });
});

describe('pseudonymiseFile(input, output, p, columns)', () => {
  const p = pseudonymiser(secret);

  it('CSV: replaces the key columns, keeps every row and every other value (quoted fields, commas, empty keys)', async () => {
    const dir = tmp();
    const input = join(dir, 'obs.csv');
    writeFileSync(input, 'patient_id,note,encounter_id,value\nA1,"a, b",E1,1.5\n,"say ""hi""",E2,\nA1,plain,,7\n');
    const r = await pseudonymiseFile(input, join(dir, 'out.csv'), p);
    expect(r.rows).toBe(3);
    expect(r.columns).toEqual({ patient_id: { replaced: 2, empty: 1 }, encounter_id: { replaced: 2, empty: 1 } });
    const pa = p.pseudonym('patient', 'A1');
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(
      `patient_id,note,encounter_id,value\n${pa},"a, b",${p.pseudonym('encounter', 'E1')},1.5\n,"say ""hi""",${p.pseudonym('encounter', 'E2')},\n${pa},plain,,7\n`,
    );
  });

  it('Arrow: the same rows, the key columns as text, the others as they were', async () => {
    const dir = tmp();
    const input = join(dir, 'obs.arrow');
    writeArrowFile(input, tableFromArrays({ patient_id: ['A', 'B', 'A'], hr: Float64Array.of(80, 90, 100) }));
    await pseudonymiseFile(input, join(dir, 'out.arrow'), p, ['patient_id']);
    const out = readArrowFile(join(dir, 'out.arrow'));
    expect(out.numRows).toBe(3);
    expect(Array.from(out.getChild('patient_id') ?? [])).toEqual(['A', 'B', 'A'].map((k) => p.pseudonym('patient', k)));
    expect(Array.from(out.getChild('hr') ?? [])).toEqual([80, 90, 100]);
  });

  it('refuses an output that is the input, a column the file lacks, another extension and an unknown format', async () => {
    const dir = tmp();
    const input = join(dir, 'x.csv');
    writeFileSync(input, 'patient_id\nA\n');
    await expect(pseudonymiseFile(input, input, p)).rejects.toThrow(/is the input; an input is never replaced/);
    await expect(pseudonymiseFile(input, join(dir, 'y.csv'), p, ['patient_id', 'encounter_id'])).rejects.toThrow(
      /has no column "encounter_id" \(its columns: patient_id\)/,
    );
    await expect(pseudonymiseFile(input, join(dir, 'y.arrow'), p)).rejects.toThrow(/must have the input's extension \(\.csv\)/);
    writeFileSync(join(dir, 'x.json'), '{}');
    await expect(pseudonymiseFile(join(dir, 'x.json'), join(dir, 'y.json'), p)).rejects.toThrow(/is not CSV, Arrow or Parquet/);
  });
});

describe('pseudonymiseCohort(input, output, p)', () => {
  it.each(['arrow', 'parquet', 'csv'] as const)(
    '%s: every table keeps its rows, keys are replaced consistently across tables, the manifest says so',
    async (format) => {
      const dir = tmp();
      await writeCohort(join(dir, 'c'), { encounters: 40, seed: 3 }, undefined, format);
      const files = await pseudonymiseCohort(join(dir, 'c'), join(dir, 'p'), pseudonymiser(secret));
      const manifest = JSON.parse(readFileSync(join(dir, 'p', 'cohort.json'), 'utf8')) as {
        pseudonymised: { keyFingerprint: string };
        rows: Record<string, number>;
      };
      for (const f of files) expect(f.rows).toBe(manifest.rows[/(\w+)\.\w+$/.exec(f.file)?.[1] ?? '']);
      expect(manifest.pseudonymised.keyFingerprint).toBe(pseudonymiser(secret).fingerprint);
      if (format === 'arrow') {
        const before = readCohort(join(dir, 'c'));
        const after = readCohort(join(dir, 'p'));
        const ids = (t: typeof after.observations, c: string) => Array.from(t.getChild(c) ?? [], String);
        // Every observation's patient is a patient of the patients table, as before.
        const patients = new Set(ids(after.patients, 'patient_id'));
        expect(ids(after.observations, 'patient_id').every((id) => patients.has(id))).toBe(true);
        expect(ids(after.observations, 'patient_id')).toEqual(ids(before.observations, 'patient_id').map((k) => pseudonymiser(secret).pseudonym('patient', k)));
      }
    },
  );
});
