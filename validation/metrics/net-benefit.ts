/**
 * Net benefit and decision curves (Vickers & Elkin, Med Decis Making 2006;26:565–74): at a threshold probability
 * pₜ, treating those with predicted risk ≥ pₜ has net benefit TP/n − FP/n · pₜ/(1 − pₜ). References: treat all
 * (prevalence − (1 − prevalence)·pₜ/(1 − pₜ)) and treat none (0).
 */
import type { Outcomes, Scores } from '../stats/input.js';
import { readPairs } from '../stats/input.js';
import type { Undefined } from '../stats/result.js';
import { checkOptions, undefinedResult } from '../stats/result.js';

export interface NetBenefitPoint {
  readonly threshold: number;
  readonly netBenefit: number;
  readonly treatAll: number;
  readonly treatNone: 0;
}

/** Net benefit at one threshold: `estimate` is the model's net benefit. */
export type NetBenefitResult =
  | { readonly defined: true; readonly estimate: number; readonly threshold: number; readonly treatAll: number; readonly treatNone: 0; readonly n: number }
  | Undefined<'empty'>;

/** A decision curve, or why it is undefined (no complete pairs). */
export type DecisionCurveResult = { readonly defined: true; readonly points: readonly NetBenefitPoint[]; readonly n: number } | Undefined<'empty'>;

/** The default grid of threshold probabilities: 0.01, 0.02, …, 0.50. */
export const DEFAULT_THRESHOLDS: readonly number[] = Array.from({ length: 50 }, (_, i) => (i + 1) / 100);

function check(caller: string, pt: unknown): void {
  if (!(typeof pt === 'number' && pt > 0 && pt < 1))
    throw new RangeError(`${caller}: threshold probability expected a number in (0, 1); received ${String(pt)}.`);
}

function curveOf(caller: string, probability: Scores, outcome: Outcomes, thresholds: readonly number[]): DecisionCurveResult {
  thresholds.forEach((t) => check(caller, t));
  const { scores, labels } = readPairs(caller, probability, outcome);
  const n = scores.length;
  if (n === 0) return undefinedResult(caller, 'empty', 'no complete (probability, outcome) pairs');
  let events = 0;
  for (let i = 0; i < n; i++) events += labels[i] ?? NaN;
  const prevalence = events / n;
  const points = thresholds.map((pt): NetBenefitPoint => {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < n; i++) {
      if ((scores[i] ?? NaN) < pt) continue;
      if (labels[i] === 1) tp++;
      else fp++;
    }
    const odds = pt / (1 - pt);
    return { threshold: pt, netBenefit: tp / n - (fp / n) * odds, treatAll: prevalence - (1 - prevalence) * odds, treatNone: 0 };
  });
  return { defined: true, points, n };
}

/**
 * The decision curve over a grid of threshold probabilities. Runs in O(n · grid).
 *
 * @param probability predicted probabilities (0–1)
 * @param outcome true/1 for an event
 * @param options `thresholds`: threshold probabilities in (0, 1) (default {@link DEFAULT_THRESHOLDS})
 * @returns `{ defined: true, points }`, or `{ defined: false, reason: 'empty', message }`
 * @example decisionCurve(p, y, { thresholds: [0.1] }).points[0].netBenefit; // TP/n − FP/n · 0.1/0.9
 */
export function decisionCurve(probability: Scores, outcome: Outcomes, options?: { thresholds?: readonly number[] }): DecisionCurveResult {
  const caller = 'decisionCurve';
  return curveOf(caller, probability, outcome, checkOptions(caller, options).thresholds ?? DEFAULT_THRESHOLDS);
}

/**
 * Net benefit at one threshold probability. Runs in O(n).
 *
 * @returns `{ defined: true, estimate, threshold, treatAll, treatNone, n }`, or `{ defined: false, reason: 'empty', message }`
 * @example netBenefit([0.2, 0.6], [0, 1], 0.5).estimate; // => 0.5 (one true positive in two, no false positive)
 */
export function netBenefit(probability: Scores, outcome: Outcomes, threshold: number): NetBenefitResult {
  const caller = 'netBenefit';
  check(caller, threshold);
  const curve = curveOf(caller, probability, outcome, [threshold]);
  if (!curve.defined) return curve;
  const p = curve.points[0] as NetBenefitPoint;
  return { defined: true, estimate: p.netBenefit, threshold, treatAll: p.treatAll, treatNone: 0, n: curve.n };
}
