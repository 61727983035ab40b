/**
 * Net benefit and decision curves (Vickers & Elkin, Med Decis Making 2006;26:565–74): at a threshold probability
 * pₜ, treating those with predicted risk ≥ pₜ has net benefit TP/n − FP/n · pₜ/(1 − pₜ). References: treat all
 * (prevalence − (1 − prevalence)·pₜ/(1 − pₜ)) and treat none (0).
 */
import type { Outcomes, Scores } from '../stats/input.js';
import { readPairs } from '../stats/input.js';

export interface NetBenefitPoint {
  readonly threshold: number;
  readonly netBenefit: number;
  readonly treatAll: number;
  readonly treatNone: 0;
}

function check(fn: string, pt: number): void {
  if (!(typeof pt === 'number' && pt > 0 && pt < 1)) throw new RangeError(`${fn}: threshold probability expected a number in (0, 1); received ${String(pt)}.`);
}

/**
 * The decision curve over a grid of threshold probabilities. Runs in O(n log n + grid).
 *
 * @param probability predicted probabilities (0–1)
 * @param outcome true/1 for an event
 * @param thresholds threshold probabilities in (0, 1) (default 0.01, 0.02, …, 0.5)
 * @returns one point per threshold, or `[]` for empty input
 * @example decisionCurve(p, y, [0.1])[0].netBenefit; // TP/n − FP/n · 0.1/0.9
 */
export function decisionCurve(probability: Scores, outcome: Outcomes, thresholds: readonly number[] = Array.from({ length: 50 }, (_, i) => (i + 1) / 100)): NetBenefitPoint[] {
  thresholds.forEach((t) => check('decisionCurve', t));
  const { scores, labels } = readPairs('decisionCurve', probability, outcome);
  const n = scores.length;
  if (n === 0) return [];
  let events = 0;
  for (let i = 0; i < n; i++) events += labels[i] as number;
  const prevalence = events / n;
  return thresholds.map((pt) => {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < n; i++) {
      if ((scores[i] as number) < pt) continue;
      if (labels[i] === 1) tp++;
      else fp++;
    }
    const odds = pt / (1 - pt);
    return { threshold: pt, netBenefit: tp / n - (fp / n) * odds, treatAll: prevalence - (1 - prevalence) * odds, treatNone: 0 };
  });
}

/** Net benefit at one threshold probability. */
export function netBenefit(probability: Scores, outcome: Outcomes, threshold: number): NetBenefitPoint | null {
  check('netBenefit', threshold);
  return decisionCurve(probability, outcome, [threshold])[0] ?? null;
}
