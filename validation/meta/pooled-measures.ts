/**
 * Measures read from a `score_counts` table's dense counts, before any disclosure step: a points score's observed risk
 * per pooled range of values, and the paired comparison of two scores on the sets both can score (from the pair's
 * pseudo-scores `a|b` and `b|a`). Shared by the engine report (which releases them through the ledger) and one-stage
 * pooling across sites (whose result an output checker sees before release). Each estimate has its percentile interval
 * over the table's Poisson replicates, clustered by patient.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { aucStatistic, observedExpectedStatistic, proportionStatistic, riskInRangeStatistic } from '../bootstrap/count-statistics.js';
import { fitLogisticCounts } from '../stats/logistic-counts.js';
import { logit } from '../metrics/calibration.js';
import type { DenseCounts } from '../bootstrap/group-bootstrap.js';
import { pairedDifference, percentileInterval } from '../bootstrap/group-bootstrap.js';
import { bootstrapP } from '../study/cells.js';
import { pairScoreId } from '../study/count-tables.js';
import { poolCountRanges } from '../study/intervals.js';
import { DEFAULT_POOLING } from '../study/options.js';

/** A score's counts on the data and in every replicate (see `denseFromGrids`). */
export interface ReplicatedCounts {
  readonly data: DenseCounts;
  readonly replicates: readonly DenseCounts[];
}

/** An estimate and its percentile interval (null without replicates). */
export interface PooledEstimate {
  readonly estimate: number;
  readonly ci: readonly [number, number] | null;
}

/** One metric of two rules on the same sets: a's, b's and b − a, paired. */
export interface PairedMetric {
  readonly a: PooledEstimate | null;
  readonly b: PooledEstimate | null;
  readonly difference: PooledEstimate | null;
}

/** The estimate on the data, with its percentile interval over the replicates; null when undefined on the data. */
function estimateOf(estimate: number, replicates: Float64Array, level: number, B: number): PooledEstimate | null {
  if (!Number.isFinite(estimate)) return null;
  const p = B === 0 ? null : percentileInterval(replicates, level);
  return { estimate, ci: p === null ? null : p.ci };
}

/**
 * A points score's observed risk in each range of its values, pooled from the top down until a range holds the
 * default minimum events and non-events (as `validate` pools them): the range, its sets and events, and the risk.
 * Runs in O(B · values · ranges).
 */
export function pooledObservedRisk(
  counts: ReplicatedCounts,
  level: number,
  B: number,
): { readonly range: [number, number]; readonly events: number; readonly sets: number; readonly risk: PooledEstimate | null }[] {
  const { data, replicates } = counts;
  return poolCountRanges(data.values, data.pos, data.neg, DEFAULT_POOLING.minEvents, DEFAULT_POOLING.minNonEvents).map((range) => {
    let events = 0;
    let sets = 0;
    data.values.forEach((v, k) => {
      if (v < range[0] || v > range[1]) return;
      events += data.pos[k] ?? 0;
      sets += (data.pos[k] ?? 0) + (data.neg[k] ?? 0);
    });
    const stat = riskInRangeStatistic([range]);
    return {
      range,
      events,
      sets,
      risk: estimateOf(
        stat(data, 0),
        Float64Array.from(replicates, (c) => stat(c, 0)),
        level,
        B,
      ),
    };
  });
}

/** Two scores compared on the sets both can score, before any disclosure step. */
export interface PairedComparison {
  readonly a: string;
  readonly b: string;
  /** The sets both scores can score, and the positive ones among them. */
  readonly sets: number;
  readonly positives: number;
  /** AUROC(a) − AUROC(b), its percentile interval and bootstrap p (null without replicates). */
  readonly auroc: (PooledEstimate & { readonly p: number | null }) | null;
  /** Each at its first clinical cut-off, and b − a; with the true positives each rule finds (for disclosure). */
  readonly rules: {
    readonly ruleA: string;
    readonly ruleB: string;
    readonly sensitivity: PairedMetric;
    readonly specificity: PairedMetric;
    readonly alertRate: PairedMetric;
    readonly truePositives: readonly [number, number];
  } | null;
  /**
   * At equal workload (as `validate`'s matched-alert-rate comparison): a at its first clinical cut-off, b at the
   * smallest value where it alerts on no more of the common sets than a does (chosen once, on the data), each one's
   * sensitivity and b − a, paired over the replicates (a replicate that draws no positive set is left out, as in
   * `validate`); with the true positives each finds (for disclosure). Null when a has no cut-off or the common sets
   * have one outcome class.
   */
  readonly matchedAlertRate: MatchedAlertRate | null;
}

/** The matched-alert-rate comparison of two scores (see `PairedComparison.matchedAlertRate`). */
export interface MatchedAlertRate {
  readonly ruleA: string;
  readonly cutA: number;
  /** The share of the common sets a alerts on. */
  readonly alertRate: number;
  /** b's cut-off, or null when b alerts on more sets than a at every value. */
  readonly cutB: number | null;
  readonly alertRateB: number;
  readonly sensitivityA: PooledEstimate;
  readonly sensitivityB: PooledEstimate;
  readonly difference: PooledEstimate;
  readonly truePositives: readonly [number, number];
}

/** The positive sets at or above `cut` in counts `c`, and every set at or above it. */
function tailAt(c: DenseCounts, cut: number): { positive: number; sets: number } {
  let i = 0;
  while (i < c.values.length && (c.values[i] as number) < cut) i++;
  return { positive: c.tailPos[i] ?? 0, sets: (c.tailPos[i] ?? 0) + (c.tailNeg[i] ?? 0) };
}

/**
 * The matched-alert-rate comparison from the pair's counts on the common sets (a's `A`, b's `Bc`), as `validate`'s
 * `matchedAlerts` computes it from the sets: the same integer counts, so the same numbers. Runs in O(B · values).
 */
function matchedAlertRate(cutA: { label: string; cut: number }, A: ReplicatedCounts, Bc: ReplicatedCounts, level: number): MatchedAlertRate | null {
  const positives = A.data.tailPos[0] ?? 0;
  const sets = positives + (A.data.tailNeg[0] ?? 0);
  if (positives === 0 || positives === sets) return null;
  const alertRate = tailAt(A.data, cutA.cut).sets / sets;
  // b's cut-off: the smallest of its values at which it alerts on no more of the sets than a does.
  let cutB = Number.POSITIVE_INFINITY;
  for (let k = 0; k < Bc.data.values.length; k++) {
    const share = ((Bc.data.tailPos[k] ?? 0) + (Bc.data.tailNeg[k] ?? 0)) / sets;
    if (share <= alertRate + 1e-12) {
      cutB = Bc.data.values[k] as number;
      break;
    }
  }
  const alertRateB = Number.isFinite(cutB) ? tailAt(Bc.data, cutB).sets / sets : 0;
  const tpA = tailAt(A.data, cutA.cut).positive;
  const tpB = Number.isFinite(cutB) ? tailAt(Bc.data, cutB).positive : 0;
  const one: number[] = [];
  const two: number[] = [];
  const diffs: number[] = [];
  A.replicates.forEach((a, r) => {
    const n = a.tailPos[0] ?? 0;
    if (n === 0) return;
    const b = Bc.replicates[r] as DenseCounts;
    const x = tailAt(a, cutA.cut).positive;
    const y = Number.isFinite(cutB) ? tailAt(b, cutB).positive : 0;
    one.push(x / n);
    two.push(y / n);
    diffs.push((y - x) / n);
  });
  const ci = (xs: number[]): readonly [number, number] | null => percentileInterval(Float64Array.from(xs), level)?.ci ?? null;
  return {
    ruleA: cutA.label,
    cutA: cutA.cut,
    alertRate,
    cutB: Number.isFinite(cutB) ? cutB : null,
    alertRateB,
    sensitivityA: { estimate: tpA / positives, ci: ci(one) },
    sensitivityB: { estimate: tpB / positives, ci: ci(two) },
    difference: { estimate: tpB / positives - tpA / positives, ci: ci(diffs) },
    truePositives: [tpA, tpB],
  };
}

/** A score as a comparison needs it: its id and its first clinical cut-off (none: no rules compared). */
export interface ComparedScore {
  readonly id: string;
  readonly firstCut?: { readonly label: string; readonly cut: number } | undefined;
}

/** A score definition as a {@link ComparedScore}. */
export const comparedScore = (d: ScoreDefinition): ComparedScore => ({ id: d.id, firstCut: kindOf(d).clinicalCuts(d)[0] });

/**
 * Scores a and b compared on the sets both can score, from their pseudo-scores in the table (`a|b`, `b|a`), paired
 * replicate by replicate. Runs in O(B · values).
 */
export function pairedComparison(
  da: ComparedScore,
  db: ComparedScore,
  perScore: (score: string) => ReplicatedCounts,
  level: number,
  B: number,
): PairedComparison {
  const A = perScore(pairScoreId(da.id, db.id));
  const Bc = perScore(pairScoreId(db.id, da.id));
  const positives = A.data.tailPos[0] ?? 0;
  const sets = positives + (A.data.tailNeg[0] ?? 0);
  const one = (f: (c: DenseCounts) => number, side: ReplicatedCounts) => ({ estimate: f(side.data), reps: Float64Array.from(side.replicates, f) });
  const auc = (c: DenseCounts) => aucStatistic(c, 0);
  const ax = one(auc, A);
  const bx = one(auc, Bc);
  const reps = pairedDifference(ax.reps, bx.reps);
  const d = estimateOf(ax.estimate - bx.estimate, reps, level, B);
  const cutA = da.firstCut;
  const cutB = db.firstCut;
  let rules: PairedComparison['rules'] = null;
  if (cutA !== undefined && cutB !== undefined) {
    const metric = (m: 'sensitivity' | 'specificity' | 'alertRate'): PairedMetric => {
      const a = one((c) => proportionStatistic(m, [cutA.cut])(c, 0), A);
      const b = one((c) => proportionStatistic(m, [cutB.cut])(c, 0), Bc);
      return {
        a: estimateOf(a.estimate, a.reps, level, B),
        b: estimateOf(b.estimate, b.reps, level, B),
        difference: estimateOf(b.estimate - a.estimate, pairedDifference(b.reps, a.reps), level, B),
      };
    };
    const tp = (side: ReplicatedCounts, cut: number) => side.data.values.reduce((t, v, k) => t + (v >= cut ? (side.data.pos[k] ?? 0) : 0), 0);
    rules = {
      ruleA: cutA.label,
      ruleB: cutB.label,
      sensitivity: metric('sensitivity'),
      specificity: metric('specificity'),
      alertRate: metric('alertRate'),
      truePositives: [tp(A, cutA.cut), tp(Bc, cutB.cut)],
    };
  }
  return {
    a: da.id,
    b: db.id,
    sets,
    positives,
    auroc: d === null ? null : { ...d, p: B === 0 ? null : bootstrapP(reps) },
    rules,
    matchedAlertRate: cutA === undefined ? null : matchedAlertRate(cutA, A, Bc, level),
  };
}

/**
 * A model's calibration from its counts (one group: the data and every replicate) and its buckets' mean probabilities
 * in the data (`meanP`: Σp / sets per bucket): O/E, CITL
 * and slope on the data, each with its percentile interval over the replicates. Each bucket enters the fits — and a
 * replicate's expected events — at the mean probability of the data's sets in it, the same for every replicate (so
 * only the data's Σp is read); the data's O/E is its events over its sets' Σp. Runs in O(B · buckets · iterations).
 */
export function bucketCalibration(meanP: ReadonlyMap<number, number>, counts: ReplicatedCounts, level: number, B: number) {
  const { data, replicates } = counts;
  const lpOf = (c: DenseCounts): Float64Array => Float64Array.from(c.values, (v) => logit(meanP.get(v) ?? v));
  const fitted = (which: 'intercept' | 'slope') => (c: DenseCounts) => {
    const fit = fitLogisticCounts(lpOf(c), c.pos, c.neg, { offsetOnly: which === 'intercept' });
    return fit === null ? Number.NaN : which === 'intercept' ? fit.intercept : fit.slope;
  };
  const measure = (f: (c: DenseCounts) => number): PooledEstimate | null => estimateOf(f(data), Float64Array.from(replicates, f), level, B);
  // O/E on the data: events over Σp of its sets (validate's). In a replicate, each bucket's sets at their mean
  // probability in the data, as the fits take them — so a replicate needs only its counts, not its own Σp.
  const oe = observedExpectedStatistic([true]);
  const replicateOe = (c: DenseCounts): number => {
    let observed = 0;
    let expected = 0;
    c.values.forEach((v, k) => {
      observed += c.pos[k] as number;
      expected += ((c.pos[k] as number) + (c.neg[k] as number)) * (meanP.get(v) ?? v);
    });
    return expected === 0 ? Number.NaN : observed / expected;
  };
  return {
    observedExpected: estimateOf(oe(data, 0), Float64Array.from(replicates, replicateOe), level, B),
    calibrationInTheLarge: measure(fitted('intercept')),
    slope: measure(fitted('slope')),
  };
}
