/**
 * loadScore(json): user definitions are validated fully before use, and every problem is reported with its
 * JSON path — not just the first.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BandedScore } from '../../../scores/definition/definition.js';
import { DefinitionError } from '../../../scores/definition/errors.js';
import { loadScore } from '../../../scores/load/load-score.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { rowOf, tableOf } from '../../helpers/tables.js';

function problemsOf(json: unknown): string[] {
  try {
    loadScore(typeof json === 'string' ? json : JSON.stringify(json));
  } catch (e) {
    expect(e).toBeInstanceOf(DefinitionError);
    return [...(e as DefinitionError).problems];
  }
  throw new Error('expected loadScore to reject the definition');
}

const banded = {
  kind: 'banded',
  id: 'local_ews',
  name: 'Local EWS',
  version: '1',
  source: 'A hospital policy',
  parameters: [
    {
      field: 'respiratoryRate',
      bands: [
        { max: 11, points: 2 },
        { min: 12, max: 20, points: 0 },
        { min: 21, points: 2 },
      ],
    },
    { field: 'consciousness', points: { A: 0, C: 2, V: 2, P: 3, U: 3 } },
  ],
  risks: ['low', 'high'],
  rules: [
    { risk: 'high', totalMin: 3, monitoring: 'hourly', action: 'call the doctor' },
    { risk: 'low', totalMax: 2, monitoring: '4-hourly', action: 'continue' },
  ],
};

describe('loadScore(json) accepts a well-formed definition', () => {
  it('scores a loaded banded definition through the same evaluator and kernel as a built-in one', () => {
    const def = loadScore(JSON.stringify(banded)) as BandedScore;
    expect(scoreObservation(def, { respiratoryRate: 22, consciousness: 'P' }).total).toBe(5);
    expect(rowOf(scoreTable(def, tableOf([{ respiratoryRate: 22, consciousness: 'P' }])), 0).local_ews_total).toBe(5);
  });
  it('round-trips a built-in definition through JSON', () => {
    const copy = loadScore(JSON.stringify({ ...news2, id: 'news2_copy' })) as BandedScore;
    const obs = { respiratoryRate: 22, spo2: 94, onOxygen: false, systolicBP: 105, heartRate: 112, consciousness: 'A', temperature: 38.4 };
    expect(scoreObservation(copy, obs).total).toBe(7);
  });
  it('loads the example model from a file', () => {
    const text = readFileSync(new URL('../../fixtures/example-model.json', import.meta.url), 'utf8');
    expect(loadScore(text).kind).toBe('model');
  });
});

describe('loadScore(json) reports every problem with its JSON path', () => {
  it('not JSON, not an object, no kind', () => {
    expect(problemsOf('{ nope')[0]).toMatch(/^\$: not valid JSON/);
    expect(problemsOf('[1,2]')).toEqual(['$: expected an object; received [1,2]']);
    expect(problemsOf({ id: 'x' })).toEqual(['$.kind: expected "banded" or "model"; received nothing']);
  });

  it('lists all the missing and mistyped fields at once', () => {
    const problems = problemsOf({
      kind: 'banded',
      id: 'x',
      parameters: [{ field: 'heartRate', bands: [{ max: 'ten', points: 1 }] }],
      risks: [],
      rules: 'none',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.name: expected a non-empty string; received nothing',
        '$.version: expected a non-empty string; received nothing',
        '$.source: expected a non-empty string; received nothing',
        '$.parameters[0].bands[0].max: expected a finite number; received "ten"',
        '$.rules: expected an array; received "none"',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });

  it('an overlap is one problem naming its range and its bands, not one line per value', () => {
    const problems = problemsOf({
      ...banded,
      parameters: [
        {
          field: 'heartRate',
          bands: [
            { max: 50, points: 1 },
            { min: 51, points: 0 },
            { min: 91, max: 250, points: 2 },
          ],
        },
      ],
    });
    expect(problems.filter((p) => p.startsWith('$.parameters[0].bands'))).toEqual([
      '$.parameters[0].bands: heartRate 91–250 /min: covered by bands 1 and 2 (possible range 0–350 /min)',
    ]);
  });

  it('bands that overlap or leave gaps inside the plausible range, unknown fields and codes', () => {
    const problems = problemsOf({
      ...banded,
      parameters: [
        {
          field: 'respiratoryRate',
          bands: [
            { max: 12, points: 2 },
            { min: 12, max: 20, points: 0 },
            { min: 22, points: 2 },
          ],
        },
        { field: 'pulse', bands: [{ points: 0 }] },
        { field: 'consciousness', points: { A: 0, C: 2, V: 2, P: 3, U: 3, Z: 1 } },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.parameters[0].bands: respiratoryRate 12 /min: covered by bands 0 and 1 (possible range 0–120 /min)',
        '$.parameters[0].bands: respiratoryRate 21 /min: covered by no band (possible range 0–120 /min)',
        expect.stringMatching(/^\$\.parameters\[1\]\.field: expected one of respiratoryRate, .*; received "pulse"$/),
        expect.stringMatching(/^\$\.parameters\[2\]\.points\.Z: not a code of consciousness/),
      ]),
    );
  });

  it('risk rules that leave a total without a band', () => {
    const problems = problemsOf({ ...banded, rules: [{ risk: 'high', totalMin: 3, monitoring: 'hourly', action: 'call' }] });
    expect(problems).toEqual([
      '$.rules: no rule gives a risk band for total 0',
      '$.rules: no rule gives a risk band for total 1',
      '$.rules: no rule gives a risk band for total 2',
    ]);
  });

  it('model definitions: non-finite weights, bad knots, zones that do not cover [0, 1], unknown columns', () => {
    const model = JSON.parse(readFileSync(new URL('../../fixtures/example-model.json', import.meta.url), 'utf8'));
    model.intercept = 'NaN';
    model.terms[0].slopes = [0.1];
    model.terms[1].knots = [96, 70, 100];
    model.terms[2].bands[1].weight = null;
    model.terms.push({ field: 'ferritin', type: 'linear', knots: [0, 1], slopes: [1], missing: 'null' });
    model.zones[1].min = 0.03;
    model.zones[3].max = 0.9;
    const problems = problemsOf(model);
    expect(problems).toEqual(
      expect.arrayContaining(['$.intercept: expected a finite number; received "NaN"', '$.terms[2].bands[1].weight: expected a finite number; received null']),
    );
    // Shape problems stop before the meaning is checked; fix them and the meaning problems all appear together.
    model.intercept = -1;
    model.terms[2].bands[1].weight = 0;
    const meaning = problemsOf(model);
    expect(meaning).toEqual(
      expect.arrayContaining([
        '$.terms[0].slopes: expected 3 slopes (one per interval between knots); received 1',
        '$.terms[1].knots[1]: knots must increase strictly',
        expect.stringMatching(/^\$\.terms\[11\]\.field: expected one of .*; received "ferritin"$/),
        '$.zones[1].min: leaves a gap after zones[0] (max 0.02)',
        '$.zones[3].max: the zones must end at probability 1; received 0.9',
      ]),
    );
  });
});
