/**
 * Metrics at a threshold: an alert is raised when score ≥ cut (or ≤ cut with `direction: 'lower'`).
 * Sensitivity, specificity, PPV, NPV and the alert rate with Wilson intervals; the number needed to evaluate
 * (1/PPV, the alerts per event found).
 */
import type { Direction } from '../stats/counts.js';
import type { Outcomes, Scores } from '../stats/input.js';
import { readPairs } from '../stats/input.js';
import type { Proportion } from '../stats/wilson.js';
import { wilson } from '../stats/wilson.js';

export interface ThresholdMetrics {
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
  /** Alerts per event detected (1/PPV); null when no alert found an event. */
  readonly numberNeededToEvaluate: number | null;
  readonly nMissing: number;
}

/**
 * Confusion counts and rates at a cut-off. Runs in O(n).
 *
 * @example atThreshold(news2Totals, events, 5).sensitivity.value; // NEWS2 ≥ 5
 */
export function atThreshold(score: Scores, outcome: Outcomes, cut: number, options: { direction?: Direction; level?: number } = {}): ThresholdMetrics {
  if (typeof cut !== 'number' || Number.isNaN(cut)) throw new RangeError(`atThreshold: argument "cut" expected a number; received ${String(cut)}.`);
  const level = options.level ?? 0.95;
  const { scores, labels, nMissing } = readPairs('atThreshold', score, outcome);
  const lower = options.direction === 'lower';
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const alert = lower ? (scores[i] as number) <= cut : (scores[i] as number) >= cut;
    if (labels[i] === 1) {
      if (alert) tp++;
      else fn++;
    } else if (alert) fp++;
    else tn++;
  }
  return {
    cut,
    tp,
    fp,
    tn,
    fn,
    sensitivity: wilson(tp, tp + fn, level, 'events'),
    specificity: wilson(tn, tn + fp, level, 'non-events'),
    ppv: wilson(tp, tp + fp, level, 'alerts'),
    npv: wilson(tn, tn + fn, level, 'non-alerts'),
    alertRate: wilson(tp + fp, tp + fp + tn + fn, level, 'observations'),
    numberNeededToEvaluate: tp === 0 ? null : (tp + fp) / tp,
    nMissing,
  };
}
