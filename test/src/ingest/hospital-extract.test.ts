/**
 * A hospital extract as a new user brings one: a long CSV of charted vitals with local codes and column names, dd/mm
 * times, NHS ethnic category codes, 30 patients and 32 spells (two readmissions) — with faults planted at known lines.
 * Every planted fault must be rejected by name in `--rejects` (or flagged), nothing silently changed; the RCP chart's
 * "New confusion" is read as C and scores 3; `--strict` stops at the first fault; read = kept + rejected per file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { runCli } from '../../../src/cli/run.js';
import { readExtract } from '../../../src/io/read-extract.js';
import type { ExtractFiles } from '../../../src/io/read-extract.js';
import { cohortFiles } from '../../../src/io/cohort-files.js';
import { readArrowFile } from '../../../src/io/arrow-file.js';
import { rejectsCsv } from '../../../src/cli/commands/validate.js';
import { Table as ArrowTable, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';

/** A small seeded generator (LCG), so the extract is the same bytes every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** dd/mm/yyyy hh:mm, as the ward system writes it (UTC by the mapping). */
const dmy = (t: number): string => {
  const d = new Date(t);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

const HOUR = 3_600_000;
const ETHNIC = ['A', 'A', 'A', 'H', 'J', 'M', 'N', 'B', 'C', 'Z'];

interface Planted {
  /** The line in its file (1 = the header). */
  readonly line: number;
  readonly file: 'vitals.csv' | 'events.csv' | 'patients.csv';
  /** What the rejection must say. */
  readonly reason: RegExp;
}

/** Build the extract; returns the files' text and the planted faults with their lines. */
function hospitalExtract(): {
  vitals: string;
  events: string;
  patients: string;
  spells: string;
  planted: Planted[];
  newConfusion: { spell: string; at: string };
} {
  const rand = lcg(2024);
  const patients = ['PatientNo,EthnicCode,Sex'];
  const spells = ['SpellID,PatientNo,AgeAtAdmission,AdmittedAt,DischargedAt'];
  const vitals = ['PatientNo,SpellID,ChartedAt,ObsCode,Result,Units'];
  const events = ['SpellID,EventType,EventAt'];
  const planted: Planted[] = [];
  let spellNo = 0;
  for (let p = 1; p <= 30; p++) {
    const patient = `P${String(p).padStart(4, '0')}`;
    patients.push(`${patient},${ETHNIC[p % ETHNIC.length] as string},${p % 2 === 0 ? 'F' : 'M'}`);
    // Patients 1 and 2 come back: 32 spells.
    const admissions = p <= 2 ? 2 : 1;
    for (let a = 0; a < admissions; a++) {
      spellNo++;
      const spell = `S${String(spellNo).padStart(5, '0')}`;
      const admitted = Date.UTC(2024, 0, 3) + spellNo * 5 * 24 * HOUR + a * 40 * 24 * HOUR;
      const sets = 18 + Math.floor(rand() * 8);
      const discharged = admitted + (sets + 1) * 4 * HOUR;
      spells.push(`${spell},${patient},${60 + ((p * 7) % 30)},${dmy(admitted)},${dmy(discharged)}`);
      const deteriorates = spellNo % 4 === 0;
      for (let k = 0; k < sets; k++) {
        const t = admitted + (k + 1) * 4 * HOUR;
        const late = deteriorates && k >= sets - 3;
        const values: [string, string, string][] = [
          ['RESP', String(late ? 26 : 14 + Math.floor(rand() * 6)), 'breaths/min'],
          ['SATS', String(late ? 91 : 95 + Math.floor(rand() * 4)), '%'],
          ['O2DEV', late ? 'Nasal cannula' : 'Room air', ''],
          ['SBP', String(late ? 95 : 110 + Math.floor(rand() * 30)), 'mmHg'],
          ['HR', String(late ? 118 : 65 + Math.floor(rand() * 25)), 'bpm'],
          ['ACVPU', late && k === sets - 1 ? 'New confusion' : 'Alert', ''],
          ['TEMP', (late ? 38.6 : 36.5 + Math.floor(rand() * 10) / 10).toFixed(1), 'Cel'],
        ];
        values.forEach(([code, value, unit], j) => vitals.push(`${patient},${spell},${dmy(t + j * 30_000)},${code},${value},${unit}`));
      }
      if (deteriorates) events.push(`${spell},deterioration,${dmy(admitted + sets * 4 * HOUR + 2 * HOUR)}`);
    }
  }
  // The faults, each at a line we know (lines count from 1, the header).
  const at = (lines: string[], row: string, file: Planted['file'], reason: RegExp): void => {
    lines.push(row);
    planted.push({ line: lines.length, file, reason });
  };
  at(vitals, 'P0003,S00003,31/02/2024 10:00,HR,80,bpm', 'vitals.csv', /31\/02\/2024 10:00/); // no 31 February
  at(vitals, 'P0003,S09999,10/02/2024 10:00,HR,80,bpm', 'vitals.csv', /S09999/); // a spell not in the spells table
  at(vitals, 'P0003,S00003,10/02/2024 10:00,TEMP,101.2,F', 'vitals.csv', /unknown unit "F"/); // °F written as F
  at(vitals, 'P0003,S00003,10/02/2024 10:00,HR,eighty,bpm', 'vitals.csv', /eighty/); // not a number
  at(vitals, 'P0003,S00003,10/02/2024 10:00,PAIN,3,', 'vitals.csv', /PAIN/); // a code the mapping does not know
  at(events, 'S00003,deterioration,30/02/2024 10:00', 'events.csv', /30\/02\/2024 10:00/); // no 30 February
  at(events, 'S09999,deterioration,10/02/2024 10:00', 'events.csv', /S09999/); // a spell not in the spells table
  // The first set of the last deteriorating spell that charted "New confusion".
  const confused = vitals.find((l) => l.includes(',ACVPU,New confusion')) as string;
  const [, spell, charted] = confused.split(',') as [string, string, string];
  return {
    vitals: `${vitals.join('\n')}\n`,
    events: `${events.join('\n')}\n`,
    patients: `${patients.join('\n')}\n`,
    spells: `${spells.join('\n')}\n`,
    planted,
    newConfusion: { spell, at: charted },
  };
}

const MAPPING = {
  schema: 'ewskit.mapping/1',
  codes: [
    { code: 'RESP', field: 'respiratory_rate' },
    { code: 'SATS', field: 'spo2' },
    { code: 'O2DEV', field: 'on_oxygen', values: { 'Room air': false, 'Nasal cannula': true } },
    { code: 'SBP', field: 'systolic_bp' },
    { code: 'HR', field: 'heart_rate' },
    // No values: the chart's own spellings (Alert, New confusion, …) are known without a mapping.
    { code: 'ACVPU', field: 'consciousness' },
    { code: 'TEMP', field: 'temperature' },
  ],
  columns: {
    observations: { patient_id: 'PatientNo', encounter_id: 'SpellID', observed_at: 'ChartedAt', code: 'ObsCode', value: 'Result', unit: 'Units' },
    events: { encounter_id: 'SpellID', event_type: 'EventType', event_at: 'EventAt' },
    patients: { patient_id: 'PatientNo', ethnic_category: 'EthnicCode', sex: 'Sex' },
    encounters: { encounter_id: 'SpellID', patient_id: 'PatientNo', age: 'AgeAtAdmission', admitted_at: 'AdmittedAt', discharged_at: 'DischargedAt' },
  },
  time: { format: 'dmy', naive: 'utc' },
};

function writeExtract(): { dir: string; files: Required<ExtractFiles>; x: ReturnType<typeof hospitalExtract> } {
  const dir = mkdtempSync(join(tmpdir(), 'ewskit-hospital-'));
  const x = hospitalExtract();
  const files = {
    observations: join(dir, 'vitals.csv'),
    events: join(dir, 'events.csv'),
    patients: join(dir, 'patients.csv'),
    encounters: join(dir, 'spells.csv'),
    map: join(dir, 'mapping.json'),
  };
  writeFileSync(files.observations, x.vitals);
  writeFileSync(files.events, x.events);
  writeFileSync(files.patients, x.patients);
  writeFileSync(files.encounters, x.spells);
  writeFileSync(files.map, JSON.stringify(MAPPING));
  return { dir, files, x };
}

/** The rows of a CSV written by `--rejects` (no quoted commas in our reasons but the values; parsed simply). */
function rejectsRows(text: string): { table: string; place: string; reason: string }[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [table, place, ...rest] = l.split(',');
      return { table: table as string, place: place as string, reason: rest.join(',').replace(/^"|"$/g, '').replace(/""/g, '"') };
    });
}

describe('a hospital extract with planted faults', () => {
  it('has the shape of the issue’s: 30 patients, 32 spells, thousands of long rows', () => {
    const x = hospitalExtract();
    expect(x.patients.trim().split('\n')).toHaveLength(31);
    expect(x.spells.trim().split('\n')).toHaveLength(33);
    expect(x.vitals.trim().split('\n').length).toBeGreaterThan(4000);
  });

  it('rejects every planted fault by name in --rejects, and nothing else; read = kept + rejected per file', async () => {
    const { dir, files, x } = writeExtract();
    const rejects = join(dir, 'rejects.csv');
    let err = '';
    const code = await runCli(
      [
        'validate',
        '--observations',
        files.observations,
        '--events',
        files.events,
        '--patients',
        files.patients,
        '--encounters',
        files.encounters,
        '--map',
        files.map,
        '--by',
        'nhs_ethnic_group',
        '--B',
        '0',
        '--rejects',
        rejects,
        '--quiet',
      ],
      { stdout: () => undefined, stderr: (t) => (err += t) },
    );
    expect(code, err).toBe(0);
    const rows = rejectsRows(readFileSync(rejects, 'utf8'));
    // Exactly one rejection per planted fault, at its file and line, with its reason.
    expect(rows).toHaveLength(x.planted.length);
    for (const p of x.planted) {
      const row = rows.find((r) => r.place === `${p.file} line ${p.line}`);
      expect(row, `${p.file} line ${p.line}`).toBeDefined();
      expect(row?.reason).toMatch(p.reason);
    }
    // The reading summary: read = kept + rejected, per file, in the numbers we built (5 planted in vitals, 2 in events).
    const vitalsRows = x.vitals.trim().split('\n').length - 1;
    expect(err).toContain(`observations: read ${vitalsRows.toLocaleString('en-GB')}, kept ${(vitalsRows - 5).toLocaleString('en-GB')}, rejected 5:`);
    const eventRows = x.events.trim().split('\n').length - 1;
    expect(err).toContain(`events: read ${eventRows}, kept ${eventRows - 2}, rejected 2:`);
    expect(err).toContain('patients: read 30, kept 30, rejected 0');
    expect(err).toContain('encounters: read 32, kept 32, rejected 0');
  });

  it('reads "New confusion" as C, which scores 3 on NEWS2 (RCP 2017, Chart 1: new confusion is C of ACVPU, 3 points)', async () => {
    const { files, x } = writeExtract();
    const read = await readExtract(files);
    const obs = read.observations;
    const at = Date.UTC(
      Number(x.newConfusion.at.slice(6, 10)),
      Number(x.newConfusion.at.slice(3, 5)) - 1,
      Number(x.newConfusion.at.slice(0, 2)),
      Number(x.newConfusion.at.slice(11, 13)),
      Number(x.newConfusion.at.slice(14, 16)),
    );
    const scored = scoreTable([news2], obs);
    let found = 0;
    for (let i = 0; i < obs.numRows; i++) {
      if (String(obs.getChild('encounter_id')?.get(i)) !== x.newConfusion.spell) continue;
      const t = Number(obs.getChild('observed_at')?.get(i));
      // The set that opened at the confused set's first value (RESP, 5 rows = 2.5 minutes before ACVPU).
      if (Math.abs(t - at) > 5 * 60_000) continue;
      found++;
      expect(obs.getChild('consciousness')?.get(i)).toBe('C');
      expect(scored.getChild('news2_consciousness')?.get(i)).toBe(3);
    }
    expect(found).toBe(1);
    // Nothing else among the consciousness values is changed: every set is A or C, as charted.
    expect(new Set(Array.from(obs.getChild('consciousness') ?? []))).toEqual(new Set(['A', 'C']));
  });

  it('--strict stops at the first planted fault, naming its line', async () => {
    const { files, x } = writeExtract();
    const first = x.planted[0] as Planted;
    await expect(readExtract(files, { strict: true })).rejects.toThrow(
      new RegExp(`--strict stops at the first rejected record: vitals\\.csv line ${first.line} `),
    );
  });
});

describe('the reader’s accounting at its edges', () => {
  it('--rejects lists every rejection, beyond the first 1,000 the summary keeps (assembly’s too)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-many-'));
    const lines = ['patient_id,encounter_id,observed_at,code,value,unit'];
    // 1,200 values charted without an encounter: each is rejected at assembly (sets never cross encounters).
    for (let i = 0; i < 1200; i++) lines.push(`p1,,2025-03-01T08:${pad(i % 60)}:00Z,8867-4,80,/min`);
    lines.push('p1,e1,2025-03-01T08:00:00Z,8867-4,80,/min');
    writeFileSync(join(dir, 'obs.csv'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'events.csv'), 'encounter_id,event_at,event_type\ne1,2025-03-01T10:00:00Z,death\n');
    const files = { observations: join(dir, 'obs.csv'), events: join(dir, 'events.csv') };
    const kept = await readExtract(files, { keepRejections: true });
    expect(kept.assembly?.rejected.rejected).toBe(1200);
    expect(rejectsCsv(kept).trim().split('\n')).toHaveLength(1 + 1200);
    // Without --rejects, the summary keeps the count and the first 1,000 places only.
    const plain = await readExtract(files);
    expect(plain.assembly?.rejected.rejected).toBe(1200);
    expect(plain.assembly?.rejected.examples).toHaveLength(1000);
  });

  it('an Arrow table with no rows still has its columns: a cohort without events is read, not "no column"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-noevents-'));
    const cohort = join(dir, 'cohort');
    // 20 encounters of this profile and seed have no event (the zero-row events.arrow keeps its schema).
    expect(await runCli(['synth', '--out', cohort, '--encounters', '20', '--seed', '1', '--quiet'], { stdout: () => undefined, stderr: () => undefined })).toBe(
      0,
    );
    const read = await readExtract(cohortFiles(cohort));
    expect(read.events.numRows).toBe(0);
    expect(read.reading.events).toMatchObject({ read: 0, kept: 0, rejected: 0 });
  });

  it('validate --cohort --strict checks the cohort’s tables like an extract’s, and stops at the first fault', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-strict-cohort-'));
    const cohort = join(dir, 'cohort');
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    expect(await runCli(['synth', '--out', cohort, '--encounters', '300', '--seed', '1', '--quiet'], quiet)).toBe(0);
    let err = '';
    const io = { stdout: () => undefined, stderr: (t: string) => (err += t) };
    // As written by synth, every value reads: --strict passes and the study runs.
    expect(await runCli(['validate', '--cohort', cohort, '--strict', '--B', '0', '--quiet'], io)).toBe(0);
    expect(err).toMatch(/events: read \d+, kept \d+, rejected 0/);
    // An event of an encounter the cohort does not have: rejected by name; under --strict the run stops there.
    const events = readArrowFile(join(cohort, 'events.arrow'));
    const n = events.numRows;
    const column = (name: string): unknown[] =>
      Array.from(events.getChild(name) ?? [], (v) => (v === null ? null : name === 'event_at' ? Number(v) : String(v)));
    const planted = new ArrowTable({
      encounter_id: vectorFromArray([...column('encounter_id'), 'E-not-here'], new Utf8()),
      event_at: vectorFromArray([...column('event_at'), Date.UTC(2025, 0, 2)], new TimestampMillisecond()),
      event_type: vectorFromArray([...column('event_type'), 'death'], new Utf8()),
    });
    writeFileSync(join(cohort, 'events.arrow'), tableToIPC(planted, 'file'));
    err = '';
    expect(await runCli(['validate', '--cohort', cohort, '--strict', '--B', '0', '--quiet'], io)).toBe(1);
    expect(err).toMatch(
      new RegExp(
        `--strict stops at the first rejected record: events\\.arrow row ${n + 1} \\(events, .*\\): encounter "E-not-here" is not in the encounters table`,
      ),
    );
    // Without --strict, --rejects on a cohort lists it.
    err = '';
    const rejects = join(dir, 'rejects.csv');
    expect(await runCli(['validate', '--cohort', cohort, '--rejects', rejects, '--B', '0', '--quiet'], io)).toBe(0);
    expect(readFileSync(rejects, 'utf8')).toContain(`events,events.arrow row ${n + 1},"encounter ""E-not-here"" is not in the encounters table"`);
  });
});
