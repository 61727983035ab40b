/**
 * Metrics at a threshold: an alert is raised when score ≥ cut (or ≤ cut with `direction: 'lower'`).
 * Sensitivity, specificity, PPV, NPV and the alert rate with Wilson intervals; the number needed to evaluate
 * (1/PPV, the alerts per event found).
 */
import type { Outcomes, Scores } from '../stats/input.js';
import { readPairs } from '../stats/input.js';
import type { Direction, Undefined } from '../stats/result.js';
import { checkOptions, directionOf, levelOf, undefinedResult } from '../stats/result.js';
import type { Proportion } from '../stats/wilson.js';
import { wilsonFor } from '../stats/wilson.js';

/** Alerts per event detected (1/PPV), or why it is undefined (no alert found an event). */
export type NumberNeeded = { readonly defined: true; readonly estimate: number } | Undefined<'no-true-positives'>;

export interface ThresholdMetrics {
  readonly defined: true;
  readonly cut: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
  readonly sensitivity: Proportion;
  readonly specificity: Proportion;
  readonly ppv: Proportion;
  readonly npv: Proportion;
  readonly alertRate: Proportion;
  /** Alerts per event detected (1/PPV). */
  readonly numberNeededToEvaluate: NumberNeeded;
  readonly nMissing: number;
}

/** Options of {@link atThreshold}. */
export interface ThresholdOptions {
  /** Alert when score ≥ cut ('higher', the default) or score ≤ cut ('lower'). */
  direction?: Direction;
  /** Confidence level of the Wilson intervals (default 0.95). */
  level?: number;
}

/** The four cells of the confusion table, for a public function `caller` with options checked. */
export function confusionAt(
  caller: string,
  tp: number,
  fp: number,
  tn: number,
  fnCount: number,
  cut: number,
  level: number,
  nMissing: number,
): ThresholdMetrics {
  return {
    defined: true,
    cut,
    tp,
    fp,
    tn,
    fn: fnCount,
    sensitivity: wilsonFor(caller, tp, tp + fnCount, level, 'events'),
    specificity: wilsonFor(caller, tn, tn + fp, level, 'non-events'),
    ppv: wilsonFor(caller, tp, tp + fp, level, 'alerts'),
    npv: wilsonFor(caller, tn, tn + fnCount, level, 'non-alerts'),
    alertRate: wilsonFor(caller, tp + fp, tp + fp + tn + fnCount, level, 'observations'),
    numberNeededToEvaluate:
      tp === 0 ? undefinedResult(caller, 'no-true-positives', 'no alert was followed by an event') : { defined: true, estimate: (tp + fp) / tp },
    nMissing,
  };
}

/**
 * Confusion counts and rates at a cut-off. Runs in O(n).
 *
 * @param cut alert when score ≥ cut (≤ with `direction: 'lower'`)
 * @returns the counts and Wilson intervals, or `{ defined: false, reason: 'empty', message }` with no complete pairs
 * @throws {RangeError} for a cut that is not a number, a bad level or direction
 * @example atThreshold([1, 5, 7], [0, 1, 1], 5).sensitivity.estimate; // => 1
 */
export function atThreshold(
  score: Scores,
  outcome: Outcomes,
  cut: number,
  options?: ThresholdOptions,
): ThresholdMetrics | (Undefined<'empty'> & { readonly nMissing: number }) {
  const caller = 'atThreshold';
  const o = checkOptions(caller, options);
  if (typeof cut !== 'number' || Number.isNaN(cut)) throw new RangeError(`${caller}: argument "cut" expected a number; received ${String(cut)}.`);
  const level = levelOf(caller, o);
  const lower = directionOf(caller, o) === 'lower';
  const { scores, labels, nMissing } = readPairs(caller, score, outcome);
  if (scores.length === 0) return { ...undefinedResult(caller, 'empty', 'no complete (score, outcome) pairs'), nMissing };
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const alert = lower ? (scores[i] ?? NaN) <= cut : (scores[i] ?? NaN) >= cut;
    if (labels[i] === 1) {
      if (alert) tp++;
      else fn++;
    } else if (alert) fp++;
    else tn++;
  }
  return confusionAt(caller, tp, fp, tn, fn, cut, level, nMissing);
}
