/**
 * Points scores have no probabilities. `recalibrate` maps a score to a probability with a logistic regression
 * on the score, cross-fitted across patient folds: each patient's probability comes from a model fitted on the
 * other folds, so no patient's own outcome informs their probability. `eventRateByScore` gives the observed event
 * rate at each score value with Wilson intervals.
 */
import { countsFor } from '../stats/counts.js';
import type { Clusters, Outcomes, Scores } from '../stats/input.js';
import { outcomeValue } from '../stats/input.js';
import { fitLogistic } from '../stats/logistic.js';
import { createRandom } from '../stats/random.js';
import { upperBound } from '../stats/sorted.js';
import type { Undefined } from '../stats/result.js';
import { checkOptions, levelOf, undefinedResult } from '../stats/result.js';
import type { Proportion } from '../stats/wilson.js';
import { wilsonFor } from '../stats/wilson.js';
import { keyword } from '../../scores/definition/errors.js';

/** One fold's recalibration model (fitted on the other folds), or why none was fitted. */
export type FoldModel =
  | { readonly defined: true; readonly intercept: number; readonly slope: number }
  | { readonly defined: true; readonly isotonic: { readonly values: readonly number[]; readonly risks: readonly number[] } }
  | Undefined<'one-class-fold'>;

/** How a score is mapped to a probability: a logistic curve, or the observed risk per value made monotone (isotonic). */
/** The recalibration methods, spelled once (the study's option and the command line take them from here). */
export const RECALIBRATION_METHODS = ['logistic', 'isotonic'] as const;

export type RecalibrationMethod = (typeof RECALIBRATION_METHODS)[number];

/**
 * Isotonic regression of event rates on score values (pool adjacent violators, weighted by sets; Barlow et al. 1972):
 * the non-decreasing step function closest to the observed risk per value. Runs in O(distinct values).
 *
 * @param values ascending distinct values; `events` and `sets` at each
 */
export function isotonicRisk(values: readonly number[], events: readonly number[], sets: readonly number[]): number[] {
  const blocks: { events: number; sets: number; count: number }[] = [];
  values.forEach((_, i) => {
    blocks.push({ events: events[i] ?? 0, sets: sets[i] ?? 0, count: 1 });
    // Merge while the last block's risk is below the one before it.
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const prev = blocks[blocks.length - 2];
      if (last === undefined || prev === undefined || prev.events / prev.sets <= last.events / last.sets) break;
      blocks.splice(blocks.length - 2, 2, { events: prev.events + last.events, sets: prev.sets + last.sets, count: prev.count + last.count });
    }
  });
  return blocks.flatMap((b) => new Array<number>(b.count).fill(b.events / b.sets));
}

/** The isotonic risk at a score value: the step at the largest training value ≤ v (the smallest one when v is below all). */
function isotonicAt(values: readonly number[], risks: readonly number[], v: number): number {
  return risks[Math.max(0, upperBound(values, v) - 1)] ?? NaN;
}

export interface RecalibrationResult {
  /** One probability per input row; null where the score or outcome was missing. */
  readonly probability: (number | null)[];
  readonly folds: number;
  /** Intercept and slope of each fold's model (fitted on the other folds). */
  readonly models: readonly FoldModel[];
  readonly warnings: readonly string[];
}

/**
 * Cross-fitted recalibration of a score — model updating, not validation: a logistic curve on the score, or
 * (`method: 'isotonic'`) the observed risk per score value made non-decreasing. Runs in O(folds · (n + iterations · values)).
 *
 * @param score the points score (or any numeric score)
 * @param outcome true/1 for an event
 * @param options `groups`: the patient of each row (folds are formed of whole patients; default: each row its own);
 *   `folds` (default 5); `seed` (default 1) for the assignment of patients to folds
 * @returns a probability per row, and the fold models
 * @example recalibrate(news2Totals, event24h, { groups: patientId, folds: 5, seed: 1 }).probability;
 */
export function recalibrate(
  score: Scores,
  outcome: Outcomes,
  options?: { groups?: Clusters; folds?: number; seed?: number; method?: RecalibrationMethod },
): RecalibrationResult {
  const caller = 'recalibrate';
  options = checkOptions(caller, options);
  const method = keyword(caller, 'method', RECALIBRATION_METHODS, options.method, 'logistic');
  const n = score.length;
  if (outcome.length !== n) throw new TypeError(`${caller}: "score" has ${n} values but "outcome" has ${outcome.length}.`);
  const groups = options.groups;
  if (groups !== undefined && groups.length !== n) throw new TypeError(`${caller}: "groups" has ${groups.length} values; expected ${n}.`);
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`${caller}: option "folds" expected a whole number ≥ 2; received ${String(folds)}.`);
  const rng = createRandom(options.seed ?? 1);
  // Patients in order of first appearance, shuffled (seeded), dealt round-robin to folds.
  const ids = new Map<string | number, number>();
  const groupOf = new Int32Array(n).fill(-1);
  const y = new Int8Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const s = score[i];
    const o = outcomeValue(caller, outcome[i], i);
    if (s === null || s === undefined || Number.isNaN(s) || o < 0) continue;
    const key = groups === undefined ? i : groups[i];
    if (key === null || key === undefined) continue;
    let g = ids.get(key);
    if (g === undefined) {
      g = ids.size;
      ids.set(key, g);
    }
    groupOf[i] = g;
    y[i] = o;
  }
  const order = Array.from({ length: ids.size }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] ?? NaN, order[i] ?? NaN];
  }
  const foldOfGroup = new Int32Array(ids.size);
  order.forEach((g, k) => {
    foldOfGroup[g] = k % folds;
  });
  const probability: (number | null)[] = new Array<number | null>(n).fill(null);
  const models: FoldModel[] = [];
  const warnings = new Set<string>();
  for (let f = 0; f < folds; f++) {
    // The training rows, reduced to (score value, outcome) with a count: the same likelihood, far fewer rows for a
    // points score (NEWS2 has 21 values), so the fit costs O(distinct values) per iteration instead of O(rows).
    const tally = new Map<number, [number, number]>();
    for (let i = 0; i < n; i++) {
      if ((groupOf[i] ?? NaN) < 0 || foldOfGroup[groupOf[i] ?? NaN] === f) continue;
      const v = score[i] ?? NaN;
      const t = tally.get(v) ?? [0, 0];
      t[y[i] === 1 ? 1 : 0] += 1;
      tally.set(v, t);
    }
    const xs: number[] = [];
    const ys: number[] = [];
    const ws: number[] = [];
    for (const [v, [negatives, positives]] of tally) {
      if (negatives > 0) (xs.push(v), ys.push(0), ws.push(negatives));
      if (positives > 0) (xs.push(v), ys.push(1), ws.push(positives));
    }
    if (ys.length === 0 || ys.every((v) => v === ys[0])) {
      warnings.add(`fold ${f}: training folds have one outcome class; no model`);
      models.push(undefinedResult(caller, 'one-class-fold', `fold ${f}: the training folds have one outcome class, so no model was fitted`));
      continue;
    }
    if (method === 'isotonic') {
      const values = [...tally.keys()].sort((p, q) => p - q);
      const risks = isotonicRisk(
        values,
        values.map((v) => tally.get(v)?.[1] ?? 0),
        values.map((v) => (tally.get(v)?.[0] ?? 0) + (tally.get(v)?.[1] ?? 0)),
      );
      models.push({ defined: true, isotonic: { values, risks } });
      for (let i = 0; i < n; i++) {
        if ((groupOf[i] ?? NaN) < 0 || foldOfGroup[groupOf[i] ?? NaN] !== f) continue;
        probability[i] = isotonicAt(values, risks, score[i] ?? NaN);
      }
      continue;
    }
    const fit = fitLogistic([xs], ys, { weights: ws });
    fit.warnings.forEach((w) => warnings.add(`fold ${f}: ${w}`));
    const [a, b] = fit.coefficients as [number, number];
    models.push({ defined: true, intercept: a, slope: b });
    for (let i = 0; i < n; i++) {
      if ((groupOf[i] ?? NaN) < 0 || foldOfGroup[groupOf[i] ?? NaN] !== f) continue;
      probability[i] = 1 / (1 + Math.exp(-(a + b * (score[i] ?? NaN))));
    }
  }
  return { probability, folds, models, warnings: [...warnings] };
}

export interface ScoreEventRate {
  readonly score: number;
  readonly n: number;
  readonly events: number;
  readonly rate: Proportion;
}

/** The event rate at each score value, or why there is none (no complete pairs). */
export type EventRateResult =
  { readonly defined: true; readonly rows: readonly ScoreEventRate[]; readonly nMissing: number } | (Undefined<'empty'> & { readonly nMissing: number });

/**
 * The observed event rate at each score value, with Wilson intervals: the calibration of a points score, which has
 * no probabilities of its own (Van Calster et al. 2016). Runs in O(n) for integer scores.
 *
 * @returns `{ defined: true, rows: [{ score, n, events, rate }] }`, or `{ defined: false, reason: 'empty', message }`
 * @example eventRateByScore([0, 0, 1, 1, 1], [0, 0, 0, 1, 1]).rows; // score 0: 0/2; score 1: 2/3
 */
export function eventRateByScore(score: Scores, outcome: Outcomes, options?: { level?: number }): EventRateResult {
  const caller = 'eventRateByScore';
  const level = levelOf(caller, checkOptions(caller, options));
  const { counts, nMissing } = countsFor(caller, score, outcome, 'higher');
  if (counts.values.length === 0) return { ...undefinedResult(caller, 'empty', 'no complete (score, outcome) pairs'), nMissing };
  const rows = Array.from(counts.values, (v, k) => {
    const events = counts.pos[k] ?? NaN;
    const total = events + (counts.neg[k] ?? NaN);
    return { score: v, n: total, events, rate: wilsonFor(caller, events, total, level, 'observations') };
  });
  return { defined: true, rows, nMissing };
}
