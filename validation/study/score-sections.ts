/**
 * Stage 2 of `validate`: one section per score — identity, the headline metrics of the registry, the observed event
 * rate by score value (points scores), threshold metrics at the clinical cut-offs and the red score, and net benefit.
 */
import { kindOf } from '../../scores/kinds/kind-of.js';
import { decisionCurve } from '../metrics/net-benefit.js';
import { eventRateByScore } from '../metrics/recalibrate.js';
import { atThreshold } from '../metrics/threshold.js';
import type { Derivation, EstimateCell, ScoreSection, ThresholdRow, UndefinedCell } from '../report/types.js';
import type { Proportion } from '../stats/wilson.js';
import { estimateCell, proportionCell } from './cells.js';
import type { Disclosure } from './disclosure.js';
import type { ScoreContext } from './score-metrics.js';
import { headlines } from './score-metrics.js';

/** A proportion released only when its numerator and complement reach the minimum. */
function released(sdc: Disclosure, p: Proportion) {
  return sdc.release(proportionCell(p), { counts: [p.numerator, p.denominator - p.numerator] });
}

function thresholdRow(ctx: ScoreContext, sdc: Disclosure, label: string, cut: number, alerts: Float64Array): ThresholdRow {
  const t = atThreshold(alerts, ctx.labels, cut, { level: ctx.level });
  if (!t.defined) {
    const none: UndefinedCell = { defined: false, reason: t.reason, message: t.message };
    return {
      label,
      cut,
      counts: { tp: 0, fp: 0, tn: 0, fn: 0 },
      sensitivity: none,
      specificity: none,
      ppv: none,
      npv: none,
      alertRate: none,
      numberNeededToEvaluate: none,
    };
  }
  const nne: EstimateCell | UndefinedCell = estimateCell(t.numberNeededToEvaluate);
  return {
    label,
    cut,
    counts: { tp: sdc.count(t.tp), fp: sdc.count(t.fp), tn: sdc.count(t.tn), fn: sdc.count(t.fn) },
    sensitivity: released(sdc, t.sensitivity),
    specificity: released(sdc, t.specificity),
    ppv: released(sdc, t.ppv),
    npv: released(sdc, t.npv),
    alertRate: released(sdc, t.alertRate),
    numberNeededToEvaluate: sdc.release(nne, { counts: [t.tp, t.fp] }),
  };
}

/** Threshold rows: each clinical cut-off of the score, then the red score when the score has one. */
function thresholdRows(ctx: ScoreContext, sdc: Disclosure, redFlags: Float64Array | null): ThresholdRow[] {
  const kind = kindOf(ctx.def);
  const rows = kind.clinicalCuts(ctx.def).map(({ label, cut }) => thresholdRow(ctx, sdc, label, cut, ctx.values));
  const red = kind.redFlag(ctx.def);
  if (red !== null && redFlags !== null) rows.push(thresholdRow(ctx, sdc, `red score (${red.description})`, 1, redFlags));
  return rows;
}

/**
 * The section of one score. Runs in O(n log n) for the metrics plus the calibration smooth.
 */
export function scoreSection(ctx: ScoreContext, sdc: Disclosure, redFlags: Float64Array | null, netBenefitThresholds: readonly number[]): ScoreSection {
  const { def } = ctx;
  const kind = kindOf(def);
  const provenance = kind.provenance(def);
  const identity = {
    id: def.id,
    name: def.name,
    kind: def.kind,
    ...(provenance.illustrative ? { illustrative: true as const } : {}),
    ...(provenance.derivation !== null ? { derivation: provenance.derivation as Derivation } : {}),
  };
  const rates = kind.probabilistic ? null : eventRateByScore(ctx.values, ctx.labels, { level: ctx.level });
  const curve = decisionCurve(ctx.probabilities, ctx.labels, { thresholds: netBenefitThresholds });
  return {
    ...identity,
    ...headlines(ctx, sdc),
    eventRateByScore:
      rates === null || !rates.defined
        ? null
        : rates.rows.map((r) => ({
            score: r.score,
            cell: sdc.release({ n: r.n, events: r.events, rate: proportionCell(r.rate) }, { counts: [r.events, r.n - r.events] }),
          })),
    thresholds: thresholdRows(ctx, sdc, redFlags),
    netBenefit: curve.defined ? curve.points.map((nb) => sdc.release(nb, ctx.basis)) : [],
  };
}
