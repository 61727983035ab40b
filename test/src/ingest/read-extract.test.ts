/**
 * Real files in: a long CSV charted the way wards chart (jittered times, a value entered twice, a correction, °F, a
 * malformed line, an unknown unit), a decimal-comma CSV, Parquet, and a FHIR Bulk Data export. The round trip — a
 * generated cohort exported to FHIR NDJSON and read back — gives the same NEWS2 for every set and the same report;
 * and each format goes from file to validation report with one command.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Table as ArrowTable, TimestampMillisecond, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { runCli } from '../../../src/cli/run.js';
import { observationsToFhir, SPO2_SCALE_MAPPING } from '../../../src/ingest/export-fhir.js';
import { resolveMapping } from '../../../src/ingest/mapping.js';
import { readExtract, readObservations } from '../../../src/io/read-extract.js';
import { rejectionLines } from '../../../src/ingest/measurements.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { validate } from '../../../validation/study/validate.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ewskit-ingest-'));

/** A table as CSV: times as ISO 8601 UTC, nulls empty. */
function csvOf(t: Table): string {
  const names = t.schema.fields.map((f) => f.name);
  const cell = (name: string, v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (/_at$/.test(name)) return new Date(Number(v)).toISOString();
    return String(v);
  };
  const lines = [names.join(',')];
  for (let i = 0; i < t.numRows; i++) lines.push(names.map((n) => cell(n, t.getChild(n)?.get(i))).join(','));
  return `${lines.join('\n')}\n`;
}

/** NEWS2 per set, keyed by encounter and time. */
function news2BySet(t: Table): Map<string, number | null> {
  const scored = scoreTable([news2], t);
  const out = new Map<string, number | null>();
  for (let i = 0; i < t.numRows; i++)
    out.set(
      `${String(t.getChild('encounter_id')?.get(i))}@${Number(t.getChild('observed_at')?.get(i))}`,
      (scored.getChild('news2_total')?.get(i) as number | null) ?? null,
    );
  return out;
}

describe('a long CSV as wards chart it', () => {
  const csv = [
    'patient_id,encounter_id,observed_at,code,value,unit',
    'p1,e1,2025-03-01T08:00:00Z,9279-1,22,/min', // line 2
    'p1,e1,2025-03-01T08:01:10Z,8867-4,112,/min',
    'p1,e1,2025-03-01T08:01:40Z,8867-4,112,/min', // the same value entered twice
    'p1,e1,2025-03-01T08:02:00Z,8310-5,101.3,[degF]', // 38.5 °C
    'p1,e1,2025-03-01T08:02:30Z,59408-5,93,%',
    'p1,e1,2025-03-01T08:03:00Z,8480-6,98,mm[Hg]',
    'p1,e1,2025-03-01T08:03:30Z,8480-6,104,mm[Hg]', // a correction, charted later: kept
    'p1,e1,2025-03-01T08:04:00Z,1104441000000107,A,',
    'p1,e1,2025-03-01T08:04:20Z,722742002,,',
    'p1,e1,2025-03-01T12:00:00Z,8867-4,96,/min,extra', // line 11: malformed (a field too many)
    'p1,e1,2025-03-01T12:00:00Z,8310-5,37.1,F', // line 12: unknown unit
    'p1,e1,2025-03-01T12:00:30Z,9279-1,18,/min',
    'p2,e2,2025-03-01T09:00:00Z,9279-1,x,/min', // line 14: not a number
  ].join('\n');

  it('assembles the sets, converts °F, keeps the correction, and names each rejected line', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'long.csv'), csv);
    const { table, ingest, assembly } = await readObservations(join(dir, 'long.csv'));
    expect(ingest).toMatchObject({ read: 13, kept: 10, rejected: 3 });
    expect(ingest.examples).toEqual([
      { source: 'long.csv line 11', reason: expect.stringMatching(/^malformed CSV: Invalid Record Length/) },
      { source: 'long.csv line 12', reason: 'temperature: unknown unit "F" (expected Cel, °C, degC, [degF], °F, degF)' },
      { source: 'long.csv line 14', reason: 'respiratory_rate: "x" is not a number' },
    ]);
    expect(assembly).toMatchObject({ sets: 2, duplicates: 1, conflicts: 1 });
    const rows = table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    expect(rows[0]).toMatchObject({ respiratory_rate: 22, heart_rate: 112, spo2: 93, systolic_bp: 104, consciousness: 'A', on_oxygen: false, measurements: 9 });
    expect(rows[0]?.temperature as number).toBeCloseTo(38.5, 12); // (101.3 − 32) × 5/9
    expect(rows[0]?.set_flags).toBe('conflict: systolic_bp (98 → 104)');
    expect(rows[1]).toMatchObject({ respiratory_rate: 18, heart_rate: null, temperature: null, measurements: 1 });
    // NEWS2 of the first set, by the chart: RR 22 → 2, SpO2 93 (Scale 1) → 2, air → 0, SBP 104 → 1, HR 112 → 2, A → 0, 38.5 → 1: 8.
    expect(scoreTable([news2], table).getChild('news2_total')?.get(0)).toBe(8);
  });

  it('a decimal comma with ";" and naive local times are read only when the mapping says so', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'eu.csv'), ['encounter_id;observed_at;code;value;unit', 'e1;01/03/2025 08:00;8310-5;37,5;Cel'].join('\n'));
    // The delimiter alone: "37,5" is not guessed to be 37.5, and the day-first time is not guessed either.
    const semicolon = await readObservations(join(dir, 'eu.csv'), { mapping: resolveMapping({ csv: { delimiter: ';' } }) });
    expect(semicolon.ingest.examples.map((e) => e.reason)).toEqual(['time: "01/03/2025 08:00" is not an ISO 8601 time']);
    const dayFirst = await readObservations(join(dir, 'eu.csv'), {
      mapping: resolveMapping({ csv: { delimiter: ';' }, time: { format: 'dmy', naive: 'utc' } }),
    });
    expect(dayFirst.ingest.examples.map((e) => e.reason)).toEqual([
      'temperature: "37,5" is not a number (a decimal comma? say "csv": { "decimal": "," } in the mapping)',
    ]);
    const eu = resolveMapping({ csv: { delimiter: ';', decimal: ',' }, time: { format: 'dmy', naive: 'utc' } });
    const { table } = await readObservations(join(dir, 'eu.csv'), { mapping: eu });
    expect(table.getChild('temperature')?.get(0)).toBe(37.5);
    expect(table.getChild('observed_at')?.get(0)).toBe(Date.parse('2025-03-01T08:00:00Z'));
  });

  it('a file without a required column stops at once, naming it, the columns found and the fix', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.csv'), 'encounter,observed_at,code,value\ne1,2025-03-01T08:00:00Z,8867-4,80');
    await expect(readObservations(join(dir, 'bad.csv'))).rejects.toThrow(
      `read: "${join(dir, 'bad.csv')}" (observations) has no column "encounter_id"; its columns are "encounter", "observed_at", "code", "value". If yours has another name, say so in the mapping: "columns": { "observations": { "encounter_id": "your column" } }`,
    );
  });
});

describe('FHIR, Parquet and Arrow: the round trip and one command each', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 1000, seed: 12 });
  const dir = tmp();
  // A Bulk Data export split over two files, temperatures in °F, oxygen as FiO2; and a bad line.
  const lines = [...observationsToFhir(cohort.observations, { fahrenheit: true, fio2: true })].map((r) => JSON.stringify(r));
  const half = Math.floor(lines.length / 2);
  mkdirSync(join(dir, 'export'));
  writeFileSync(join(dir, 'export', 'Observation.000.ndjson'), `${lines.slice(0, half).join('\n')}\n{"resourceType":"Observation",\n`);
  writeFileSync(join(dir, 'export', 'Observation.001.ndjson'), `${lines.slice(half).join('\n')}\n`);
  writeFileSync(join(dir, 'map.json'), JSON.stringify({ schema: 'ewskit.mapping/1', codes: [SPO2_SCALE_MAPPING] }));
  writeFileSync(join(dir, 'events.csv'), csvOf(cohort.events));
  writeFileSync(join(dir, 'encounters.csv'), csvOf(cohort.encounters));
  writeFileSync(join(dir, 'patients.csv'), csvOf(cohort.patients));

  it('round trip: a generated cohort exported to FHIR NDJSON and read back gives the same NEWS2 for every set', async () => {
    const read = await readExtract({
      observations: join(dir, 'export'),
      events: join(dir, 'events.csv'),
      encounters: join(dir, 'encounters.csv'),
      map: join(dir, 'map.json'),
    });
    expect(read.reading.observations).toMatchObject({
      rejected: 1,
      examples: [{ source: 'Observation.000.ndjson line ' + String(half + 1), reason: expect.stringMatching(/^not JSON/) }],
    });
    expect(read.observations.numRows).toBe(cohort.observations.numRows);
    const original = news2BySet(cohort.observations);
    const back = news2BySet(read.observations);
    expect(back.size).toBe(original.size);
    let scale2 = 0;
    for (const [key, v] of original) expect(back.get(key), key).toBe(v);
    for (let i = 0; i < read.observations.numRows; i++) if (read.observations.getChild('spo2_scale')?.get(i) === 2) scale2++;
    expect(scale2).toBeGreaterThan(0); // Scale 2 came back through the coded target-range order
    // The same study on the same sets: the same headline (disclosure control off: numbers compared, not released).
    const a = validate({ cohort: read, scores: [news2], bootstrap: false, disclosure: false });
    const b = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false });
    const auc = (r: typeof a) => {
      const x = r.scores[0]?.auroc;
      return x === undefined || isSuppressed(x) || !x.defined ? null : x.estimate;
    };
    expect(auc(a)).not.toBeNull();
    expect(auc(a)).toBe(auc(b));
  });

  it('Parquet (wide) reads back the same sets', async () => {
    const obs = cohort.observations;
    const columnData = [
      { name: 'patient_id', type: 'STRING', data: [...(obs.getChild('patient_id') ?? [])] },
      { name: 'encounter_id', type: 'STRING', data: [...(obs.getChild('encounter_id') ?? [])] },
      { name: 'observed_at', type: 'TIMESTAMP', data: [...(obs.getChild('observed_at') ?? [])].map((v) => new Date(Number(v))) },
      ...['respiratory_rate', 'spo2', 'systolic_bp', 'heart_rate', 'temperature'].map((name) => ({
        name,
        type: 'DOUBLE',
        data: [...(obs.getChild(name) ?? [])],
      })),
      { name: 'spo2_scale', type: 'INT32', data: [...(obs.getChild('spo2_scale') ?? [])] },
      { name: 'on_oxygen', type: 'BOOLEAN', data: [...(obs.getChild('on_oxygen') ?? [])] },
      { name: 'consciousness', type: 'STRING', data: [...(obs.getChild('consciousness') ?? [])] },
    ];
    parquetWriteFile({ filename: join(dir, 'obs.parquet'), columnData: columnData as never });
    const { table, ingest, assembly } = await readObservations(join(dir, 'obs.parquet'));
    expect(assembly).toBeNull();
    expect(ingest).toMatchObject({ read: obs.numRows, kept: obs.numRows, rejected: 0 });
    const original = news2BySet(obs);
    for (const [key, v] of news2BySet(table)) expect(v, key).toBe(original.get(key));
    // A warehouse writing gzip pages rather than snappy: read the same.
    parquetWriteFile({
      filename: join(dir, 'obs-gzip.parquet'),
      columnData: columnData as never,
      codec: 'GZIP',
      compressors: { GZIP: (b: Uint8Array) => gzipSync(b) },
    } as never);
    const gzip = await readObservations(join(dir, 'obs-gzip.parquet'));
    for (const [key, v] of news2BySet(gzip.table)) expect(v, key).toBe(original.get(key));
  });

  it('one command from a FHIR export, a long CSV and a Parquet file to a validation report', async () => {
    // A long CSV of the same cohort's measurements.
    const long = ['patient_id,encounter_id,observed_at,code,value,unit'];
    for (const r of observationsToFhir(cohort.observations)) {
      const o = r as {
        subject: { reference: string };
        encounter: { reference: string };
        effectiveDateTime: string;
        code: { coding: { code: string }[] };
        valueQuantity?: { value: number; code: string };
      };
      if (o.valueQuantity !== undefined)
        long.push(
          [
            o.subject.reference.slice(8),
            o.encounter.reference.slice(10),
            o.effectiveDateTime,
            o.code.coding[0]?.code,
            o.valueQuantity.value,
            o.valueQuantity.code,
          ].join(','),
        );
    }
    writeFileSync(join(dir, 'long.csv'), long.join('\n'));
    for (const observations of [join(dir, 'export'), join(dir, 'long.csv'), join(dir, 'obs.parquet')]) {
      let out = '';
      let err = '';
      const report = join(tmp(), 'report.json');
      const code = await runCli(
        [
          'validate',
          '--observations',
          observations,
          '--events',
          join(dir, 'events.csv'),
          '--encounters',
          join(dir, 'encounters.csv'),
          '--patients',
          join(dir, 'patients.csv'),
          '--map',
          join(dir, 'map.json'),
          '--by',
          'ethnicity',
          '--B',
          '0',
          '--out',
          report,
          '--quiet',
        ],
        { stdout: (t) => (out += t), stderr: (t) => (err += t) },
      );
      expect(code, err).toBe(0);
      expect(err).toMatch(/reading the extract\n {2}observations: read [\d,]+, kept [\d,]+, rejected/);
      expect(out).toMatch(/## Subgroups by ethnicity/);
      expect(JSON.parse(readFileSync(report, 'utf8')).cohort.observationSets).toBe(cohort.observations.numRows);
    }
  }, 120_000);
});

describe('nothing guessed: encounters that do not exist, duplicate keys, every reason with its own first place', () => {
  const dir = tmp();
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const observations = file(
    'obs.csv',
    [
      'patient_id,encounter_id,observed_at,code,value,unit',
      'p1,e1,2025-03-01T08:00:00Z,9279-1,22,/min', // line 2: kept
      'p1,e9,2025-03-01T08:00:00Z,9279-1,18,/min', // line 3: e9 is not in encounters.csv
      'p1,e1,2025-03-01T08:05:00Z,8867-4,81,bpm', // line 4: kept
      'p1,e1,2025-03-01T08:06:00Z,8310-5,37.5,F', // line 5: unknown unit "F"
      'p1,e1,2025-03-01T08:07:00Z,8310-5,37.5,K', // line 6: unknown unit "K" — the same kind of reason
    ].join('\n'),
  );
  const events = file(
    'events.csv',
    ['patient_id,encounter_id,event_type,event_at', 'p1,e1,death,2025-03-01T20:00:00Z', 'p1,e9,death,2025-03-01T21:00:00Z'].join('\n'),
  );
  const encounters = (rows: string[]) => file(`enc-${rows.length}.csv`, ['patient_id,encounter_id,admitted_at,discharged_at,age', ...rows].join('\n'));

  it('rejects a measurement and an event of an encounter the encounters table does not have, by name; the counts add up', async () => {
    const read = await readExtract({ observations, events, encounters: encounters(['p1,e1,2025-03-01T07:00:00Z,2025-03-02T07:00:00Z,70']) });
    const obs = read.reading.observations as NonNullable<(typeof read.reading)['observations']>;
    expect(obs.examples).toContainEqual({ source: 'obs.csv line 3', reason: 'encounter "e9" is not in the encounters table' });
    expect(obs.read).toBe(obs.kept + obs.rejected);
    expect(obs.read).toBe(5);
    const ev = read.reading.events as NonNullable<(typeof read.reading)['events']>;
    expect(ev.examples).toEqual([{ source: 'events.csv line 3', reason: 'encounter "e9" is not in the encounters table' }]);
    expect(read.events.numRows).toBe(1);
    expect(new Set(Array.from(read.observations.getChild('encounter_id') ?? [], String))).toEqual(new Set(['e1']));
    // Every kind of reason with its count and its own first place, values as written.
    expect(rejectionLines(obs)).toEqual([
      '2 × temperature: unknown unit "F" (expected Cel, °C, degC, [degF], °F, degF) (and like it) — first at obs.csv line 5',
      '1 × encounter "e9" is not in the encounters table — first at obs.csv line 3',
    ]);
  });

  it('a duplicate encounter with the same values is counted once; with different values it stops, naming the key and both rows', async () => {
    const same = await readExtract({
      observations,
      events,
      encounters: encounters(['p1,e1,2025-03-01T07:00:00Z,2025-03-02T07:00:00Z,70', 'p1,e1,2025-03-01T07:00:00Z,2025-03-02T07:00:00Z,70']),
    });
    expect(same.encounters?.numRows).toBe(1);
    expect(same.reading.encounters?.examples[0]).toEqual({
      source: 'enc-2.csv line 3',
      reason: 'duplicate of enc-2.csv line 2 (the same values), counted once',
    });
    const conflicting = encounters([
      'p1,e1,2025-03-01T07:00:00Z,2025-03-02T07:00:00Z,70',
      'p2,e2,2025-03-01T07:00:00Z,2025-03-02T07:00:00Z,50',
      'p1,e1,2025-03-01T07:00:00Z,2025-03-02T07:00:00Z,71',
    ]);
    await expect(readExtract({ observations, events, encounters: conflicting })).rejects.toThrow(
      /\(encounters\) has encounter_id "e1" twice with different values — enc-3\.csv line 2 and enc-3\.csv line 4 differ in age \("70" vs "71"\)/,
    );
  });

  it('--strict stops at the first rejected record of any kind, with its place; without it the same extract reads on', async () => {
    await expect(readExtract({ observations, events }, { strict: true })).rejects.toThrow(
      /--strict stops at the first rejected record: obs\.csv line 5 \(observations, ".*obs\.csv"\): temperature: unknown unit "F"/,
    );
    await expect(
      readExtract({ observations, events, encounters: encounters(['p1,e1,2025-03-01T07:00:00Z,2025-03-02T07:00:00Z,70']) }, { strict: true }),
    ).rejects.toThrow(/obs\.csv line 3 .*: encounter "e9" is not in the encounters table/);
    expect((await readExtract({ observations, events })).observations.numRows).toBeGreaterThan(0);
  });

  it('a duplicate patient with a different ethnic code stops the run: the later row never moves a patient between groups', async () => {
    const patients = file('patients.csv', ['patient_id,sex,ethnicity', 'p1,F,White', 'p1,F,Asian'].join('\n'));
    await expect(readExtract({ observations, events, patients })).rejects.toThrow(
      /has patient_id "p1" twice with different values .* differ in ethnicity \("White" vs "Asian"\)/,
    );
  });
});

describe('an unreadable file is a clear error naming it', () => {
  const dir = tmp();
  it('empty or truncated Parquet and Arrow, and an empty FHIR Bundle, each say what they are', async () => {
    writeFileSync(join(dir, 'empty.parquet'), '');
    await expect(readObservations(join(dir, 'empty.parquet'))).rejects.toThrow(
      /read: ".*empty\.parquet" is not a readable Parquet file \(it is empty, 0 bytes/,
    );
    writeFileSync(join(dir, 'empty.arrow'), '');
    await expect(readObservations(join(dir, 'empty.arrow'))).rejects.toThrow(/read: ".*empty\.arrow" is empty \(0 bytes\): not a readable Arrow IPC file/);
    const cohort = generateCohort({ profile: 'india-apollo', encounters: 20, seed: 1 });
    const bytes = tableToIPC(cohort.observations, 'file');
    writeFileSync(join(dir, 'cut.arrow'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readObservations(join(dir, 'cut.arrow'))).rejects.toThrow(
      /read: ".*cut\.arrow" is a truncated Arrow IPC file \([\d,]+ bytes; it starts as one/,
    );
    writeFileSync(join(dir, 'empty.json'), '');
    await expect(readObservations(join(dir, 'empty.json'))).rejects.toThrow(/read: ".*empty\.json" is not JSON \(it is empty, 0 bytes\)/);
  });
});

describe('per-file formats: each table its own time format and CSV delimiter; Arrow times read by their type', () => {
  const dir = tmp();
  const observations = join(dir, 'obs.csv');
  writeFileSync(observations, ['patient_id,encounter_id,observed_at,code,value,unit', 'p1,e1,2025-03-01T08:00:00Z,9279-1,22,/min'].join('\n'));
  const events = join(dir, 'events.csv');
  writeFileSync(events, ['patient_id;encounter_id;event_type;event_at', 'p1;e1;death;01/03/2025 20:00'].join('\n'));
  const map = join(dir, 'map.json');

  it('ISO observations beside dd/mm, ;-separated events: both read when the mapping says so per table', async () => {
    writeFileSync(map, JSON.stringify({ schema: 'ewskit.mapping/1', tables: { events: { time: { format: 'dmy', naive: 'utc' }, csv: { delimiter: ';' } } } }));
    const read = await readExtract({ observations, events, map });
    expect(read.reading.observations?.rejected).toBe(0);
    expect(read.reading.events?.rejected).toBe(0);
    expect(Number(read.events.getChild('event_at')?.get(0))).toBe(Date.UTC(2025, 2, 1, 20));
    // Without the per-table lines the global ISO format and comma apply to events too, and they are rejected by name.
    writeFileSync(map, JSON.stringify({ schema: 'ewskit.mapping/1' }));
    await expect(readExtract({ observations, events, map })).rejects.toThrow(/has no column "encounter_id"/);
  });

  it('an Arrow events file with a timestamp column needs no time format', async () => {
    const arrow = join(dir, 'events.arrow');
    const t = new ArrowTable({
      patient_id: vectorFromArray(['p1']),
      encounter_id: vectorFromArray(['e1']),
      event_type: vectorFromArray(['death']),
      event_at: vectorFromArray([Date.UTC(2025, 2, 1, 20)], new TimestampMillisecond()),
    });
    writeFileSync(arrow, tableToIPC(t, 'file'));
    const read = await readExtract({ observations, events: arrow });
    expect(read.reading.events?.rejected).toBe(0);
    expect(Number(read.events.getChild('event_at')?.get(0))).toBe(Date.UTC(2025, 2, 1, 20));
  });

  it('the mapping file names a bad per-table format by its path', () => {
    expect(() => resolveMapping({ tables: { vitals: {}, events: { time: { format: 'ddmmyy' }, csv: { decimal: ',' }, zone: 'x' } } })).toThrow(
      /\$\.tables\.vitals: unknown table[\s\S]*\$\.tables\.events\.zone: unknown key \(expected time, csv\)[\s\S]*\$\.tables\.events\.time\.format: expected iso, dmy, mdy, epoch-ms or epoch-s; received "ddmmyy"[\s\S]*\$\.tables\.events\.csv: a decimal comma needs another delimiter/,
    );
  });
});
