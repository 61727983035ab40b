/**
 * NEWS (2012), MEWS, qSOFA and CART against their published charts (transcribed in docs/scores.md,
 * written out here independently of the definition files): every band edge, through the evaluator and the kernel.
 */
import { describe, expect, it } from 'vitest';
import { cart } from '../../../scores/catalogue/cart.js';
import { getScore, listScores } from '../../../scores/catalogue/catalogue.js';
import type { BandedScore } from '../../../scores/definition/definition.js';
import { mews } from '../../../scores/catalogue/mews.js';
import { news } from '../../../scores/catalogue/news.js';
import { qsofa } from '../../../scores/catalogue/qsofa.js';
import type { Observation } from '../../../scores/evaluate/score-observation.js';
import { scoreObservation } from '../../../scores/evaluate/score-observation.js';
import { scoreTable } from '../../../scores/kernel/score-table.js';
import { rowOf, tableOf } from '../../helpers/tables.js';

type Edges = Partial<Record<keyof Observation, [number | string | boolean, number][]>>;

const COLUMN: Record<string, string> = {
  respiratoryRate: 'respiratory_rate',
  spo2: 'spo2',
  onOxygen: 'on_oxygen',
  systolicBP: 'systolic_bp',
  diastolicBP: 'diastolic_bp',
  heartRate: 'heart_rate',
  consciousness: 'consciousness',
  temperature: 'temperature',
  gcs: 'gcs',
  age: 'age',
};

/** Vary one field at a time from an all-zero baseline; each case's points are its total and its subscore. */
function checkEdges(score: BandedScore, normal: Observation, edges: Edges): void {
  for (const [field, cases] of Object.entries(edges) as [keyof Observation, [number | string | boolean, number][]][]) {
    const rows = cases.map(([v]) => ({ ...normal, [field]: v }) as Observation);
    const scored = scoreTable(score, tableOf(rows));
    cases.forEach(([v, points], i) => {
      const r = scoreObservation(score, rows[i] as Observation);
      expect(r.subscores[field], `${score.id} ${field} = ${String(v)}`).toBe(points);
      expect(r.total, `${score.id} ${field} = ${String(v)} total`).toBe(points);
      const row = rowOf(scored, i);
      expect(row[`${score.id}_${COLUMN[field]}`], `${score.id} kernel ${field} = ${String(v)}`).toBe(points);
      expect(row[`${score.id}_total`], `${score.id} kernel ${field} = ${String(v)} total`).toBe(points);
    });
  }
}

describe('NEWS (RCP 2012)', () => {
  const normal: Observation = { respiratoryRate: 16, spo2: 98, onOxygen: false, systolicBP: 120, heartRate: 70, consciousness: 'A', temperature: 37 };
  it('scores every band edge of the chart', () => {
    checkEdges(news, normal, {
      respiratoryRate: [
        [8, 3],
        [9, 1],
        [11, 1],
        [12, 0],
        [20, 0],
        [21, 2],
        [24, 2],
        [25, 3],
      ],
      spo2: [
        [91, 3],
        [92, 2],
        [93, 2],
        [94, 1],
        [95, 1],
        [96, 0],
      ],
      onOxygen: [
        [false, 0],
        [true, 2],
      ],
      systolicBP: [
        [90, 3],
        [91, 2],
        [100, 2],
        [101, 1],
        [110, 1],
        [111, 0],
        [219, 0],
        [220, 3],
      ],
      heartRate: [
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
      ],
      consciousness: [
        ['A', 0],
        ['V', 3],
        ['P', 3],
        ['U', 3],
      ],
      temperature: [
        [35.0, 3],
        [35.1, 1],
        [36.0, 1],
        [36.1, 0],
        [38.0, 0],
        [38.1, 1],
        [39.0, 1],
        [39.1, 2],
      ],
    });
  });
  it('has no Scale 2: spo2Scale is ignored', () => {
    expect(scoreObservation(news, { ...normal, spo2: 88, spo2Scale: 2 }).subscores.spo2).toBe(3);
  });
  it('flags "new confusion", which is not on the 2012 chart', () => {
    const r = scoreObservation(news, { ...normal, consciousness: 'C' });
    expect(r.flags).toEqual(['unknown_code:consciousness']);
    expect(r.total).toBeNull();
    const row = rowOf(scoreTable(news, tableOf([{ ...normal, consciousness: 'New confusion' }])), 0);
    expect(row.news_flags).toBe('unknown_code:consciousness');
    expect(row.news_total).toBeNull();
  });
  it('a single 3 is medium risk (hourly); 5–6 medium; ≥7 high', () => {
    expect(scoreObservation(news, { ...normal, respiratoryRate: 7 }).risk).toBe('medium');
    expect(scoreObservation(news, { ...normal, heartRate: 120, onOxygen: true, temperature: 38.5 }).risk).toBe('medium');
    expect(scoreObservation(news, { ...normal, heartRate: 120, onOxygen: true }).risk).toBe('low');
    expect(scoreObservation(news, { ...normal, respiratoryRate: 25, onOxygen: true, heartRate: 95, temperature: 38.5 }).risk).toBe('high');
  });
});

describe('MEWS (Subbe 2001)', () => {
  const normal: Observation = { systolicBP: 120, heartRate: 70, respiratoryRate: 12, temperature: 37, consciousness: 'A' };
  it('scores every band edge of the chart (heart rate 40 → 2)', () => {
    checkEdges(mews, normal, {
      systolicBP: [
        [70, 3],
        [71, 2],
        [80, 2],
        [81, 1],
        [100, 1],
        [101, 0],
        [199, 0],
        [200, 2],
      ],
      heartRate: [
        [39, 2],
        [40, 2],
        [41, 1],
        [50, 1],
        [51, 0],
        [100, 0],
        [101, 1],
        [110, 1],
        [111, 2],
        [129, 2],
        [130, 3],
      ],
      respiratoryRate: [
        [8, 2],
        [9, 0],
        [14, 0],
        [15, 1],
        [20, 1],
        [21, 2],
        [29, 2],
        [30, 3],
      ],
      temperature: [
        [34.9, 2],
        [35.0, 0],
        [38.4, 0],
        [38.5, 2],
        [38.45, 2],
        [38.44, 0],
      ],
      consciousness: [
        ['A', 0],
        ['V', 1],
        ['P', 2],
        ['U', 3],
      ],
    });
  });
  it('triggers at 5', () => {
    expect(scoreObservation(mews, { ...normal, heartRate: 130, respiratoryRate: 21 }).risk).toBe('high');
    expect(scoreObservation(mews, { ...normal, heartRate: 130, respiratoryRate: 15 }).risk).toBe('low');
  });
});

describe('qSOFA (Seymour 2016)', () => {
  const normal: Observation = { respiratoryRate: 16, systolicBP: 120, gcs: 15, consciousness: 'A' };
  it('scores respiration ≥22, systolic ≤100 and GCS <15', () => {
    checkEdges(qsofa, normal, {
      respiratoryRate: [
        [21, 0],
        [22, 1],
        [40, 1],
      ],
      systolicBP: [
        [100, 1],
        [101, 0],
      ],
      gcs: [
        [14, 1],
        [15, 0],
        [3, 1],
      ],
    });
  });
  it('uses consciousness only when GCS is not recorded, and is missing only when both are', () => {
    const cases: [Observation, number | null, string[]][] = [
      [{ respiratoryRate: 16, systolicBP: 120, gcs: null, consciousness: 'V' }, 1, []],
      [{ respiratoryRate: 16, systolicBP: 120, gcs: null, consciousness: 'A' }, 0, []],
      [{ respiratoryRate: 16, systolicBP: 120, gcs: 15, consciousness: 'U' }, 0, []], // GCS wins when recorded
      [{ respiratoryRate: 16, systolicBP: 120, gcs: 13, consciousness: null }, 1, []],
      [{ respiratoryRate: 16, systolicBP: 120, gcs: null, consciousness: null }, null, ['consciousness', 'gcs']],
    ];
    const scored = scoreTable(qsofa, tableOf(cases.map(([o]) => o)));
    cases.forEach(([obs, mentation, missing], i) => {
      const r = scoreObservation(qsofa, obs);
      expect(r.subscores.gcs).toBe(mentation);
      expect(r.missing).toEqual(missing);
      const row = rowOf(scored, i);
      expect(row.qsofa_gcs).toBe(mentation);
      expect(row.qsofa_missing).toBe(missing.length === 0 ? null : 'consciousness;gcs');
    });
  });
  it('is positive at 2 or more', () => {
    expect(scoreObservation(qsofa, { ...normal, respiratoryRate: 24, systolicBP: 95 }).risk).toBe('positive');
    expect(scoreObservation(qsofa, { ...normal, respiratoryRate: 24 }).risk).toBe('negative');
  });
});

describe('CART (Churpek 2012)', () => {
  const normal: Observation = { respiratoryRate: 16, heartRate: 80, diastolicBP: 70, age: 40 };
  it('scores every band edge of the chart', () => {
    checkEdges(cart, normal, {
      respiratoryRate: [
        [20, 0],
        [21, 8],
        [23, 8],
        [24, 12],
        [25, 12],
        [26, 15],
        [29, 15],
        [30, 22],
      ],
      heartRate: [
        [109, 0],
        [110, 4],
        [139, 4],
        [140, 13],
      ],
      diastolicBP: [
        [50, 0],
        [49, 4],
        [40, 4],
        [39, 6],
        [35, 6],
        [34, 13],
      ],
      age: [
        [54, 0],
        [54.9, 0],
        [55, 4],
        [69, 4],
        [69.99, 4],
        [70, 9],
      ],
    });
  });
  it('reaches 57 at most and publishes no risk bands', () => {
    const r = scoreObservation(cart, { respiratoryRate: 34, heartRate: 150, diastolicBP: 30, age: 80 });
    expect(r.total).toBe(22 + 13 + 13 + 9);
    expect(r.risk).toBeNull();
    expect(r.response).toBeNull();
  });
  it('needs diastolic_bp and age, and says so by name', () => {
    expect(() => scoreTable(cart, tableOf([normal]).select(['respiratory_rate', 'heart_rate', 'age']))).toThrow(
      /column "diastolic_bp" is required by score "cart"/,
    );
  });
});

describe('listScores() and getScore(id)', () => {
  it('lists the catalogue with metadata', () => {
    expect(listScores().map((s) => s.id)).toEqual(['news2', 'news', 'mews', 'qsofa', 'cart', 'apollo_style', 'news2_age_comorbidity']);
    expect(listScores().every((s) => s.source.length > 20)).toBe(true);
    expect(getScore('mews')).toBe(mews);
    expect(getScore('nope')).toBeUndefined();
  });
});
