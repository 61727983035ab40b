/**
 * NEWS2 against the RCP chart (RCP 2017, Chart 1), transcribed here independently of scores/news2.ts:
 * every band edge of every parameter, both SpO2 scales on air and on oxygen, every consciousness level,
 * the recording-precision and missing-value policies. Each case runs through both the single-observation
 * evaluator and the batch kernel.
 */
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import type { Observation } from '../../../scores/evaluate/score-observation.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { rowOf, tableOf } from '../../helpers/tables.js';

/** All parameters in their 0-point bands: total 0. */
const NORMAL: Observation = {
  respiratoryRate: 16,
  spo2: 98,
  onOxygen: false,
  systolicBP: 120,
  heartRate: 70,
  consciousness: 'A',
  temperature: 37.0,
};

type Case = [value: number | string | boolean, points: number];

// Chart 1, edge by edge: the last value of one band and the first of the next, plus the range ends.
const EDGES: Record<string, { field: keyof Observation; column: string; cases: Case[] }> = {
  'respiration rate (≤8 3 | 9–11 1 | 12–20 0 | 21–24 2 | ≥25 3)': {
    field: 'respiratoryRate',
    column: 'news2_respiratory_rate',
    cases: [
      [0, 3],
      [8, 3],
      [9, 1],
      [11, 1],
      [12, 0],
      [20, 0],
      [21, 2],
      [24, 2],
      [25, 3],
      [80, 3],
    ],
  },
  'SpO2 Scale 1 (≤91 3 | 92–93 2 | 94–95 1 | ≥96 0)': {
    field: 'spo2',
    column: 'news2_spo2',
    cases: [
      [50, 3],
      [91, 3],
      [92, 2],
      [93, 2],
      [94, 1],
      [95, 1],
      [96, 0],
      [100, 0],
    ],
  },
  'systolic BP (≤90 3 | 91–100 2 | 101–110 1 | 111–219 0 | ≥220 3)': {
    field: 'systolicBP',
    column: 'news2_systolic_bp',
    cases: [
      [60, 3],
      [90, 3],
      [91, 2],
      [100, 2],
      [101, 1],
      [110, 1],
      [111, 0],
      [219, 0],
      [220, 3],
      [260, 3],
    ],
  },
  'pulse (≤40 3 | 41–50 1 | 51–90 0 | 91–110 1 | 111–130 2 | ≥131 3)': {
    field: 'heartRate',
    column: 'news2_heart_rate',
    cases: [
      [30, 3],
      [40, 3],
      [41, 1],
      [50, 1],
      [51, 0],
      [90, 0],
      [91, 1],
      [110, 1],
      [111, 2],
      [130, 2],
      [131, 3],
      [180, 3],
    ],
  },
  'temperature (≤35.0 3 | 35.1–36.0 1 | 36.1–38.0 0 | 38.1–39.0 1 | ≥39.1 2)': {
    field: 'temperature',
    column: 'news2_temperature',
    cases: [
      [33.0, 3],
      [35.0, 3],
      [35.1, 1],
      [36.0, 1],
      [36.1, 0],
      [38.0, 0],
      [38.1, 1],
      [39.0, 1],
      [39.1, 2],
      [41.5, 2],
    ],
  },
  'consciousness (Alert 0 | new Confusion, Voice, Pain, Unresponsive 3)': {
    field: 'consciousness',
    column: 'news2_consciousness',
    cases: [
      ['A', 0],
      ['C', 3],
      ['V', 3],
      ['P', 3],
      ['U', 3],
      ['a', 0],
      ['c', 3],
      ['v', 3],
      ['p', 3],
      ['u', 3],
      ['Alert', 0],
      ['New confusion', 3],
      ['acute confusion', 3],
      ['voice', 3],
      ['PAIN', 3],
      ['Unresponsive', 3],
    ],
  },
  'air or oxygen (air 0 | oxygen 2)': {
    field: 'onOxygen',
    column: 'news2_on_oxygen',
    cases: [
      [false, 0],
      [true, 2],
    ],
  },
};

describe('NEWS2 chart edges (RCP 2017, Chart 1)', () => {
  for (const [title, { field, column, cases }] of Object.entries(EDGES)) {
    it(`scores ${title} — evaluator and kernel`, () => {
      const rows = cases.map(([value]) => ({ ...NORMAL, [field]: value }) as Observation);
      const scored = scoreTable(news2, tableOf(rows));
      cases.forEach(([value, points], i) => {
        const obs = scoreObservation(news2, rows[i] as Observation);
        expect(obs.subscores[field], `${field} = ${String(value)}`).toBe(points);
        expect(obs.total, `${field} = ${String(value)}`).toBe(points);
        const row = rowOf(scored, i);
        expect(row[column], `kernel ${field} = ${String(value)}`).toBe(points);
        expect(row.news2_total, `kernel ${field} = ${String(value)}`).toBe(points);
      });
    });
  }
});

describe('NEWS2 SpO2 Scale 2 (hypercapnic respiratory failure)', () => {
  // On air: ≤83 3 | 84–85 2 | 86–87 1 | 88–92 0 | ≥93 0 (on air).
  const onAir: Case[] = [
    [70, 3],
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
    [93, 0],
    [96, 0],
    [97, 0],
    [100, 0],
  ];
  // On oxygen: the same low bands; 93–94 1 | 95–96 2 | ≥97 3. Oxygen itself adds its own 2 points.
  const onOxygen: Case[] = [
    [70, 3],
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
    [93, 1],
    [94, 1],
    [95, 2],
    [96, 2],
    [97, 3],
    [100, 3],
  ];

  it('uses the low bands and 0 for ≥93 on air', () => {
    const rows = onAir.map(([v]) => ({ ...NORMAL, spo2Scale: 2, onOxygen: false, spo2: v as number }));
    const scored = scoreTable(news2, tableOf(rows));
    onAir.forEach(([v, points], i) => {
      expect(scoreObservation(news2, rows[i] as Observation).subscores.spo2, `SpO2 ${String(v)} on air`).toBe(points);
      expect(rowOf(scored, i).news2_spo2, `kernel SpO2 ${String(v)} on air`).toBe(points);
    });
  });

  it('scores 93–94 1, 95–96 2, ≥97 3 on oxygen, and oxygen adds 2 to the total', () => {
    const rows = onOxygen.map(([v]) => ({ ...NORMAL, spo2Scale: 2, onOxygen: true, spo2: v as number }));
    const scored = scoreTable(news2, tableOf(rows));
    onOxygen.forEach(([v, points], i) => {
      const obs = scoreObservation(news2, rows[i] as Observation);
      expect(obs.subscores.spo2, `SpO2 ${String(v)} on oxygen`).toBe(points);
      expect(obs.total).toBe(points + 2);
      expect(rowOf(scored, i).news2_spo2, `kernel SpO2 ${String(v)} on oxygen`).toBe(points);
      expect(rowOf(scored, i).news2_total).toBe(points + 2);
    });
  });

  it('never defaults on: a null or absent scale is Scale 1', () => {
    // 88% scores 3 on Scale 1 and 0 on Scale 2.
    expect(scoreObservation(news2, { ...NORMAL, spo2: 88 }).subscores.spo2).toBe(3);
    expect(scoreObservation(news2, { ...NORMAL, spo2: 88, spo2Scale: null }).subscores.spo2).toBe(3);
    expect(scoreObservation(news2, { ...NORMAL, spo2: 88, spo2Scale: 1 }).subscores.spo2).toBe(3);
    expect(scoreObservation(news2, { ...NORMAL, spo2: 88, spo2Scale: 2 }).subscores.spo2).toBe(0);
    const scored = scoreTable(
      news2,
      tableOf([
        { ...NORMAL, spo2: 88 },
        { ...NORMAL, spo2: 88, spo2Scale: 2 },
      ]),
    );
    expect(rowOf(scored, 0).news2_spo2).toBe(3);
    expect(rowOf(scored, 1).news2_spo2).toBe(0);
  });

  it('Scale 1 on oxygen keeps the Scale 1 bands (oxygen scored on its own row)', () => {
    const r = scoreObservation(news2, { ...NORMAL, spo2: 97, onOxygen: true });
    expect(r.subscores.spo2).toBe(0);
    expect(r.total).toBe(2);
  });

  it('flags a scale other than 1 or 2: no total, and an SpO2 subscore only where both scales agree', () => {
    // SpO2 90: Scale 1 → 3, Scale 2 → 0: undeterminable. SpO2 98 on air: 0 on either scale.
    const r = scoreObservation(news2, { ...NORMAL, spo2Scale: 3, spo2: 90 });
    expect(r.flags).toEqual(['unknown_code:spo2Scale']);
    expect(r.subscores.spo2).toBeNull();
    expect(r.total).toBeNull();
    expect(scoreObservation(news2, { ...NORMAL, spo2Scale: 3, spo2: 98 }).subscores.spo2).toBe(0);
    const scored = scoreTable(
      news2,
      tableOf([
        { ...NORMAL, spo2Scale: 3, spo2: 90 },
        { ...NORMAL, spo2Scale: 3, spo2: 98 },
      ]),
    );
    expect(rowOf(scored, 0).news2_flags).toBe('unknown_code:spo2_scale');
    expect(rowOf(scored, 0).news2_spo2).toBeNull();
    expect(rowOf(scored, 0).news2_total).toBeNull();
    expect(rowOf(scored, 1).news2_spo2).toBe(0);
  });

  it('on Scale 2 with oxygen unknown, gives the SpO2 subscore only where air and oxygen agree', () => {
    expect(scoreObservation(news2, { ...NORMAL, spo2Scale: 2, onOxygen: null, spo2: 85 }).subscores.spo2).toBe(2);
    expect(scoreObservation(news2, { ...NORMAL, spo2Scale: 2, onOxygen: null, spo2: 95 }).subscores.spo2).toBeNull();
    const scored = scoreTable(
      news2,
      tableOf([
        { ...NORMAL, spo2Scale: 2, onOxygen: null, spo2: 85 },
        { ...NORMAL, spo2Scale: 2, onOxygen: null, spo2: 95 },
      ]),
    );
    expect(rowOf(scored, 0).news2_spo2).toBe(2);
    expect(rowOf(scored, 1).news2_spo2).toBeNull();
  });
});

describe('NEWS2 worked example (issue #2)', () => {
  it('scoreObservation gives total 7, high risk, with the subscores of the chart', () => {
    // RR 22 → 2; SpO2 94 → 1; air → 0; SBP 105 → 1; pulse 112 → 2; Alert → 0; 38.4 °C → 1. Sum 7 → high.
    const r = scoreObservation(news2, {
      respiratoryRate: 22,
      spo2: 94,
      onOxygen: false,
      systolicBP: 105,
      heartRate: 112,
      consciousness: 'A',
      temperature: 38.4,
    });
    expect(r).toMatchObject({
      total: 7,
      complete: true,
      risk: 'high',
      redFlag: false,
      missing: [],
      flags: [],
      subscores: { respiratoryRate: 2, spo2: 1, onOxygen: 0, systolicBP: 1, heartRate: 2, consciousness: 0, temperature: 1 },
    });
    expect(r.response?.monitoring).toMatch(/continuous/i);
    expect(r.response?.action).toMatch(/critical-care/i);
    expect(Object.keys(r).sort()).toEqual(['complete', 'flags', 'missing', 'redFlag', 'response', 'risk', 'spo2Scale', 'subscores', 'total']);
  });
});

describe('NEWS2 responses keep every element of RCP Chart 4', () => {
  // Chart 4 (RCP 2017), row by row: each element the chart lists must appear in our wording.
  const rows: [string, Observation, RegExp[]][] = [
    ['total 0', NORMAL, [/12-hourly/, /routine/i]],
    ['total 1–4', { ...NORMAL, temperature: 38.5 }, [/registered nurse/i, /must assess/i, /more frequent|frequency/i, /escalat/i]],
    ['single red parameter', { ...NORMAL, respiratoryRate: 7 }, [/1-hourly/, /registered nurse informs the medical team/i, /review/i, /escalat/i]],
    [
      'total 5–6',
      { ...NORMAL, respiratoryRate: 22, heartRate: 115, temperature: 38.5 },
      [/1-hourly/, /immediately/i, /medical team/i, /urgent assessment/i, /acutely ill/i, /monitoring facilities/i],
    ],
    [
      'total ≥ 7',
      { ...NORMAL, respiratoryRate: 25, onOxygen: true, heartRate: 95, temperature: 38.5 },
      [/ontinuous/, /immediately/i, /specialist registrar/i, /critical-care/i, /airway/i, /level 2 or 3/i, /monitoring facilities/i],
    ],
  ];
  it.each(rows)('%s', (_t, obs, elements) => {
    const r = scoreObservation(news2, obs);
    const text = `${r.response?.monitoring} ${r.response?.action}`;
    for (const e of elements) expect(text).toMatch(e);
  });
});

describe('NEWS2 risk bands and response (RCP 2017, Charts 2–4)', () => {
  const cases: [string, Observation, number, string, boolean, RegExp][] = [
    ['total 0 → low, 12-hourly', NORMAL, 0, 'low', false, /12-hourly/],
    ['total 1 → low, 4–6-hourly', { ...NORMAL, temperature: 38.5 }, 1, 'low', false, /4–6-hourly/],
    ['total 4 → low', { ...NORMAL, heartRate: 120, systolicBP: 95 }, 4, 'low', false, /4–6-hourly/],
    ['single 3, total 3 → low-medium (red score), hourly', { ...NORMAL, respiratoryRate: 7 }, 3, 'low-medium', true, /1-hourly/],
    ['single 3, total 4 → low-medium', { ...NORMAL, respiratoryRate: 7, heartRate: 95 }, 4, 'low-medium', true, /1-hourly/],
    ['total 5 → medium', { ...NORMAL, respiratoryRate: 22, heartRate: 115, temperature: 38.5 }, 5, 'medium', false, /1-hourly/],
    ['single 3, total 5 → medium (the total band applies)', { ...NORMAL, respiratoryRate: 7, onOxygen: true }, 5, 'medium', true, /1-hourly/],
    ['total 6 → medium', { ...NORMAL, respiratoryRate: 22, heartRate: 115, onOxygen: true }, 6, 'medium', false, /1-hourly/],
    ['total 7 → high, continuous', { ...NORMAL, respiratoryRate: 25, onOxygen: true, heartRate: 95, temperature: 38.5 }, 7, 'high', true, /ontinuous/],
    [
      'total 20 (the maximum: hypothermia scores 3) → high',
      { respiratoryRate: 30, spo2: 85, onOxygen: true, systolicBP: 80, heartRate: 140, consciousness: 'U', temperature: 34.0 },
      20,
      'high',
      true,
      /ontinuous/,
    ],
  ];
  for (const [title, obs, total, risk, red, monitoring] of cases) {
    it(title, () => {
      const r = scoreObservation(news2, obs);
      expect(r.total).toBe(total);
      expect(r.risk).toBe(risk);
      expect(r.redFlag).toBe(red);
      expect(r.response?.monitoring).toMatch(monitoring);
      const row = rowOf(scoreTable(news2, tableOf([obs])), 0);
      expect(row.news2_total).toBe(total);
      expect(row.news2_risk).toBe(risk);
      expect(row.news2_red_flag).toBe(red);
    });
  }
});

describe('NEWS2 recording precision (round half-up at chart precision)', () => {
  const cases: [string, Observation, keyof Observation, number][] = [
    ['36.04 °C → 36.0 → 1', { ...NORMAL, temperature: 36.04 }, 'temperature', 1],
    ['36.05 °C → 36.1 → 0 (36.05 is stored as 36.0499…)', { ...NORMAL, temperature: 36.05 }, 'temperature', 0],
    ['35.05 °C → 35.1 → 1', { ...NORMAL, temperature: 35.05 }, 'temperature', 1],
    ['35.04 °C → 35.0 → 3', { ...NORMAL, temperature: 35.04 }, 'temperature', 3],
    ['38.05 °C → 38.1 → 1', { ...NORMAL, temperature: 38.05 }, 'temperature', 1],
    ['39.05 °C → 39.1 → 2', { ...NORMAL, temperature: 39.05 }, 'temperature', 2],
    ['RR 20.4 → 20 → 0', { ...NORMAL, respiratoryRate: 20.4 }, 'respiratoryRate', 0],
    ['RR 20.5 → 21 → 2', { ...NORMAL, respiratoryRate: 20.5 }, 'respiratoryRate', 2],
    ['RR 8.5 → 9 → 1', { ...NORMAL, respiratoryRate: 8.5 }, 'respiratoryRate', 1],
    ['SpO2 95.5 → 96 → 0', { ...NORMAL, spo2: 95.5 }, 'spo2', 0],
    ['SpO2 95.49 → 95 → 1', { ...NORMAL, spo2: 95.49 }, 'spo2', 1],
    ['SBP 110.5 → 111 → 0', { ...NORMAL, systolicBP: 110.5 }, 'systolicBP', 0],
    ['pulse 90.5 → 91 → 1', { ...NORMAL, heartRate: 90.5 }, 'heartRate', 1],
    ['pulse 40.49 → 40 → 3', { ...NORMAL, heartRate: 40.49 }, 'heartRate', 3],
  ];
  it.each(cases)('%s', (_title, obs, field, points) => {
    expect(scoreObservation(news2, obs).subscores[field]).toBe(points);
    const column = {
      temperature: 'news2_temperature',
      respiratoryRate: 'news2_respiratory_rate',
      spo2: 'news2_spo2',
      systolicBP: 'news2_systolic_bp',
      heartRate: 'news2_heart_rate',
    }[field as string] as string;
    expect(rowOf(scoreTable(news2, tableOf([obs])), 0)[column]).toBe(points);
  });
});

describe('NEWS2 missing values (no partial score)', () => {
  it('gives no total when any parameter is missing, names it, and keeps the other subscores', () => {
    const r = scoreObservation(news2, { ...NORMAL, temperature: null, respiratoryRate: 7 });
    expect(r.total).toBeNull();
    expect(r.complete).toBe(false);
    expect(r.risk).toBeNull();
    expect(r.missing).toEqual(['temperature']);
    expect(r.flags).toEqual([]);
    expect(r.subscores.temperature).toBeNull();
    expect(r.subscores.respiratoryRate).toBe(3);
    expect(r.redFlag).toBe(true); // a present parameter scoring 3 still raises the red flag
    expect(r).not.toHaveProperty('missingPolicy');
  });

  it('a red parameter on an incomplete set still calls for the red score’s urgent response (RCP Chart 4), basis red-score', () => {
    // RR 7 scores 3 (Chart 1: ≤ 8); temperature missing → no total. The RCP asks for an urgent ward-based response to
    // any single parameter scoring 3, and the missing temperature could only add points.
    const r = scoreObservation(news2, { ...NORMAL, temperature: null, respiratoryRate: 7 });
    expect(r.total).toBeNull();
    expect(r.complete).toBe(false);
    expect(r.response?.basis).toBe('red-score');
    expect(r.response?.monitoring).toMatch(/1-hourly/);
    expect(r.response?.action).toMatch(/medical team/i);
    // Without a red parameter an incomplete set has no response at all.
    expect(scoreObservation(news2, { ...NORMAL, temperature: null }).response).toBeNull();
    expect(scoreObservation(news2, NORMAL).response?.basis).toBe('total');
  });

  it('treats an absent field like a null one, and names every missing parameter in canonical schema order', () => {
    const { heartRate: _h, consciousness: _c, ...partial } = NORMAL;
    const r = scoreObservation(news2, partial);
    expect(r.missing).toEqual(['heartRate', 'consciousness']);
    expect(r.total).toBeNull();
  });

  it('an empty observation has every parameter missing and no red flag', () => {
    const r = scoreObservation(news2, {});
    expect(r.missing).toEqual(['respiratoryRate', 'spo2', 'onOxygen', 'systolicBP', 'heartRate', 'consciousness', 'temperature']);
    expect(r.redFlag).toBe(false);
    expect(r.total).toBeNull();
  });

  it('the kernel names missing columns and leaves the total null', () => {
    const row = rowOf(scoreTable(news2, tableOf([{ ...NORMAL, temperature: null, heartRate: null }])), 0);
    expect(row.news2_total).toBeNull();
    expect(row.news2_complete).toBe(false);
    expect(row.news2_missing).toBe('heart_rate;temperature');
    expect(row.news2_flags).toBeNull();
    expect(row.news2_respiratory_rate).toBe(0);
  });

  it("scores missing as 0 only under the labelled research option missing: 'zero'", () => {
    const obs = { ...NORMAL, temperature: null, respiratoryRate: 22 };
    const r = scoreObservation(news2, obs, { missing: 'zero' });
    expect(r.total).toBe(2);
    expect(r.complete).toBe(false);
    expect(r.missing).toEqual(['temperature']);
    expect(r.missingPolicy).toBe('zero');
    expect(r.risk).toBe('low');
    const scored = scoreTable(news2, tableOf([obs]), { missing: 'zero' });
    expect(rowOf(scored, 0).news2_total).toBe(2);
    expect(rowOf(scored, 0).news2_missing).toBe('temperature');
    expect(scored.schema.fields.find((f) => f.name === 'news2_total')?.metadata.get('ewskit.missing_policy')).toBe('zero');
    expect(JSON.parse(scored.schema.metadata.get('ewskit.news2') as string).missingPolicy).toBe('zero');
  });

  it('the research option still gives no total for a flagged value', () => {
    expect(scoreObservation(news2, { ...NORMAL, temperature: 98.6 }, { missing: 'zero' }).total).toBeNull();
  });
});

describe('NEWS2 states the population it is for', () => {
  it('names adults aged 16 and over, and not children or pregnancy, in the definition’s notes', () => {
    const population = (news2.notes ?? []).find((n) => n.startsWith('Population:'));
    expect(population).toMatch(/aged 16 and over/);
    expect(population).toMatch(/children or in pregnancy/);
  });
});

describe('NEWS2 consciousness: only *new* confusion is C', () => {
  it.each(['confused', 'Confusion'])('a bare %j is not scored as C (3 points) but flagged unknown_code — evaluator, kernel and SQL alike', (word) => {
    const r = scoreObservation(news2, { ...NORMAL, consciousness: word });
    expect(r.subscores.consciousness).toBeNull();
    expect(r.total).toBeNull();
    expect(r.flags).toEqual(['unknown_code:consciousness']);
    const row = rowOf(scoreTable(news2, tableOf([{ ...NORMAL, consciousness: word }])), 0);
    expect(row.news2_consciousness).toBeNull();
    expect(row.news2_flags).toBe('unknown_code:consciousness');
  });
});

describe('NEWS2 impossible values are flagged, not scored', () => {
  const cases: [string, Observation, string][] = [
    ['SpO2 above 100', { ...NORMAL, spo2: 101 }, 'out_of_range:spo2'],
    ['a Fahrenheit temperature', { ...NORMAL, temperature: 98.6 }, 'out_of_range:temperature'],
    ['a temperature below 10 °C', { ...NORMAL, temperature: 9.9 }, 'out_of_range:temperature'],
    ['a temperature above 50 °C', { ...NORMAL, temperature: 50.1 }, 'out_of_range:temperature'],
    ['a negative respiration rate', { ...NORMAL, respiratoryRate: -4 }, 'out_of_range:respiratoryRate'],
    ['a negative pulse', { ...NORMAL, heartRate: -60 }, 'out_of_range:heartRate'],
    ['NaN', { ...NORMAL, systolicBP: Number.NaN }, 'not_finite:systolicBP'],
    ['Infinity', { ...NORMAL, heartRate: Number.POSITIVE_INFINITY }, 'not_finite:heartRate'],
    ['an unknown consciousness code', { ...NORMAL, consciousness: 'drowsy' }, 'unknown_code:consciousness'],
    ['an oxygen flag other than 0/1', { ...NORMAL, onOxygen: 2 }, 'unknown_code:onOxygen'],
  ];
  it.each(cases)('%s', (_t, obs, flag) => {
    const r = scoreObservation(news2, obs);
    expect(r.flags).toEqual([flag]);
    expect(r.total).toBeNull();
    expect(r.complete).toBe(false);
    expect(r.missing).toEqual([]);
    const field = flag.split(':')[1] as string;
    expect(r.subscores[field]).toBeNull();
  });

  it('the kernel flags the same rows with column names, keeps them and scores the rest', () => {
    const rows = cases.map(([, obs]) => obs);
    const scored = scoreTable(news2, tableOf(rows, { oxygenAs: 'float' }));
    expect(scored.numRows).toBe(rows.length);
    const toColumn: Record<string, string> = { respiratoryRate: 'respiratory_rate', heartRate: 'heart_rate', systolicBP: 'systolic_bp', onOxygen: 'on_oxygen' };
    cases.forEach(([, , flag], i) => {
      const [reason, field] = flag.split(':') as [string, string];
      const row = rowOf(scored, i);
      expect(row.news2_flags).toBe(`${reason}:${toColumn[field] ?? field}`);
      expect(row.news2_total).toBeNull();
      expect(row.row).toBe(i);
    });
  });

  it('a value at a plausible-range end is scored without a flag', () => {
    expect(scoreObservation(news2, { ...NORMAL, spo2: 100 })).toMatchObject({ total: 0, flags: [] });
    expect(scoreObservation(news2, { ...NORMAL, spo2: 50 })).toMatchObject({ total: 3, flags: [] });
    expect(scoreObservation(news2, { ...NORMAL, temperature: 45 })).toMatchObject({ total: 2, flags: [] });
    expect(scoreObservation(news2, { ...NORMAL, temperature: 25 })).toMatchObject({ total: 3, flags: [] });
  });
});

describe('NEWS2 at the extremes: possible but implausible values are scored, flagged verify, and raise the red score', () => {
  // Plausible vs possible ranges (schema.ts, docs/scores.md): SpO2 50–100 vs 0–100; temperature 25–45 vs 10–50 °C;
  // respiration 3–60 vs 0–120; SBP 40–280 vs 0–400; pulse 20–250 vs 0–350. Points from RCP Chart 1's open end bands.
  const cases: [string, Observation, keyof Observation, number][] = [
    ['SpO2 49 % → ≤ 91 → 3', { ...NORMAL, spo2: 49 }, 'spo2', 3],
    ['SpO2 0 % → 3', { ...NORMAL, spo2: 0 }, 'spo2', 3],
    ['SpO2 49 % on Scale 2 → ≤ 83 → 3', { ...NORMAL, spo2: 49, spo2Scale: 2 }, 'spo2', 3],
    ['temperature 24.9 °C → ≤ 35.0 → 3', { ...NORMAL, temperature: 24.9 }, 'temperature', 3],
    ['temperature 10.0 °C → 3', { ...NORMAL, temperature: 10 }, 'temperature', 3],
    ['respiration 2/min → ≤ 8 → 3', { ...NORMAL, respiratoryRate: 2 }, 'respiratoryRate', 3],
    ['respiration 0/min (apnoea) → 3', { ...NORMAL, respiratoryRate: 0 }, 'respiratoryRate', 3],
    ['SBP 30 mmHg → ≤ 90 → 3', { ...NORMAL, systolicBP: 30 }, 'systolicBP', 3],
    ['SBP 320 mmHg → ≥ 220 → 3', { ...NORMAL, systolicBP: 320 }, 'systolicBP', 3],
    ['pulse 260/min → ≥ 131 → 3', { ...NORMAL, heartRate: 260 }, 'heartRate', 3],
  ];
  it.each(cases)('%s', (_t, obs, field, points) => {
    const r = scoreObservation(news2, obs);
    expect(r.subscores[field]).toBe(points);
    expect(r.flags).toEqual([`verify:${field}`]);
    expect(r.total).toBe(points); // every other parameter is normal (0 points)
    expect(r.complete).toBe(true);
    expect(r.redFlag).toBe(true);
    expect(r.risk).toBe('low-medium');
    expect(r.response?.action).toMatch(/medical team/i);
  });
  it('the kernel gives the same points and lists verify:<column> in news2_flags', () => {
    const scored = scoreTable(news2, tableOf(cases.map(([, obs]) => obs)));
    const toColumn: Record<string, string> = { respiratoryRate: 'respiratory_rate', heartRate: 'heart_rate', systolicBP: 'systolic_bp' };
    cases.forEach(([, , field, points], i) => {
      const row = rowOf(scored, i);
      expect(row.news2_total).toBe(points);
      expect(row.news2_red_flag).toBe(true);
      expect(row.news2_complete).toBe(true);
      expect(row.news2_flags).toBe(`verify:${toColumn[field] ?? field}`);
    });
  });
});

describe('scoreObservation(news2, observation) boundary errors', () => {
  it('throws a TypeError naming the function, field, expectation and value for a wrong type', () => {
    expect(() => scoreObservation(news2, { ...NORMAL, spo2: '94' as unknown as number })).toThrow(
      /scoreObservation: field "spo2" expected a number, null or undefined; received string "94"/,
    );
    expect(() => scoreObservation(news2, { ...NORMAL, consciousness: 0 as unknown as string })).toThrow(
      /scoreObservation: field "consciousness" expected a string/,
    );
  });
  it('throws for a non-object observation and an unknown missing policy', () => {
    expect(() => scoreObservation(news2, null as unknown as Observation)).toThrow(TypeError);
    expect(() => scoreObservation(news2, NORMAL, { missing: 'mean' as never })).toThrow(/option "missing" expected 'none' or 'zero'/);
  });
});

describe('scoreObservation refuses what it cannot score, by name', () => {
  it('a misspelt field is a TypeError naming the nearest field (it would otherwise be silently missing)', () => {
    expect(() => scoreObservation(news2, { SpO2: 85 } as never, { missing: 'zero' })).toThrow(
      /scoreObservation: unknown field "SpO2" in the observation \(did you mean "spo2"\?\)/,
    );
    expect(() => scoreObservation(news2, { heart_rate: 85 } as never)).toThrow(/unknown field "heart_rate" .*did you mean "heartRate"/);
  });
  it('a score that is not a definition is a TypeError (a string id gets a hint)', () => {
    expect(() => scoreObservation('news2' as never, {})).toThrow(/scoreObservation: argument "score" expected a score definition .*getScore\("news2"\)/);
    expect(() => scoreObservation(null as never, {})).toThrow(/argument "score" expected a score definition/);
  });
});
