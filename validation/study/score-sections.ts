/**
 * Stage 2 of `validate`: one section per score — identity, the headline metrics of the registry, the observed risk
 * per (pooled) score value for points scores, threshold metrics for each alerting rule (clinical cut-offs and the
 * red score), and the net benefit of each rule across threshold probabilities. Every interval shown first is
 * patient-clustered (from the study's one bootstrap); naive intervals sit beside them, named as such.
 */
import { kindOf } from '../../scores/kinds/kind-of.js';
import { netBenefit } from '../metrics/net-benefit.js';
import { atThreshold } from '../metrics/threshold.js';
import type {
  Cell,
  Ci,
  Derivation,
  FlowCounts,
  FlowExclusion,
  NetBenefitRow,
  ObservedRiskRow,
  ScoreSection,
  ThresholdRow,
  UndefinedCell,
} from '../report/types.js';
import { wilsonFor } from '../stats/wilson.js';
import type { Proportion } from '../stats/wilson.js';
import { estimateCell, proportionCell } from './cells.js';
import type { ScoreView } from './analysis-set.js';
import type { Disclosure } from './disclosure.js';
import type { AlertRule, ScoreIntervalsPlan } from './intervals.js';
import { statName } from './intervals.js';
import type { ScoreContext } from './score-metrics.js';
import { headlines } from './score-metrics.js';

/** What the section needs beyond the headline context. */
export interface SectionInputs {
  readonly plan: ScoreIntervalsPlan;
  /** Index of each rule of this score in the study's list of rules (for its bootstrap statistics). */
  readonly ruleIndex: readonly number[];
  /** The values each rule alerts on, over the score's analysable sets (its value, or its red-score flag). */
  readonly ruleValues: readonly Float64Array[];
  /** The score's analysable sets. */
  readonly view: ScoreView;
  readonly netBenefitThresholds: readonly number[];
  /** The score's part of the flow: its analysed sets and the sets it cannot score (the same cells, shared). */
  readonly flow: { readonly excluded: readonly FlowExclusion[]; readonly analysed: FlowCounts };
}

/** The score's own set counts, shared with the flow. */
interface SetCells {
  readonly analysed: Cell<number>;
  readonly positive: Cell<number>;
}

/** A proportion released only when its numerator and complement pass the policy, and the counts it is made of do. */
function released(sdc: Disclosure, p: Proportion, ci: Ci, dependsOn: readonly unknown[], table: string) {
  return sdc.release(proportionCell(p, ci), { counts: [p.numerator, p.denominator - p.numerator] }, { table, dependsOn });
}

function thresholdRow(ctx: ScoreContext, sdc: Disclosure, rule: AlertRule, j: number, alerts: Float64Array, sets: SetCells): ThresholdRow {
  const { label, cut } = rule;
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
  const ci = (metric: Parameters<typeof statName.threshold>[0]) => ctx.intervals?.interval(statName.threshold(metric, j), rule.column).ci ?? null;
  const table = `thresholds: ${ctx.def.name}`;
  const c = { tp: sdc.count(t.tp, { table }), fp: sdc.count(t.fp, { table }), tn: sdc.count(t.tn, { table }), fn: sdc.count(t.fn, { table }) };
  // The 2×2 table adds up to the score's analysed sets, and its first column to the positive ones.
  sdc.relation(sets.analysed, [c.tp, c.fp, c.tn, c.fn]);
  sdc.relation(sets.positive, [c.tp, c.fn]);
  return {
    label,
    cut,
    counts: c,
    sensitivity: released(sdc, t.sensitivity, ci('sensitivity'), [c.tp, c.fn], table),
    specificity: released(sdc, t.specificity, ci('specificity'), [c.fp, c.tn], table),
    ppv: released(sdc, t.ppv, ci('ppv'), [c.tp, c.fp], table),
    npv: released(sdc, t.npv, ci('npv'), [c.tn, c.fn], table),
    alertRate: released(sdc, t.alertRate, ci('alertRate'), [c.tp, c.fp, c.tn, c.fn], table),
    numberNeededToEvaluate: sdc.release(estimateCell(t.numberNeededToEvaluate), { counts: [t.tp, t.fp] }, { table, dependsOn: [c.tp, c.fp] }),
  };
}

/** Observed risk in each pooled range of score values, with clustered and Wilson intervals. */
function observedRisk(ctx: ScoreContext, sdc: Disclosure, ranges: ScoreIntervalsPlan['ranges'], sets: SetCells): ObservedRiskRow[] {
  const table = `observed risk: ${ctx.def.name}`;
  const rows = ranges.map((range, r) => {
    let n = 0;
    let events = 0;
    ctx.values.forEach((v, i) => {
      if (v < range[0] || v > range[1]) return;
      n++;
      events += ctx.labels[i] ?? 0;
    });
    const risk = proportionCell(wilsonFor('validate', events, n, ctx.level, 'sets'), ctx.intervals?.interval(statName.risk(r), ctx.index).ci ?? null);
    const counts = { sets: sdc.inner(n, { table }), events: sdc.inner(events, { table }) };
    const cell = sdc.release({ ...counts, risk }, { counts: [events, n - events] }, { table, dependsOn: [counts.sets, counts.events] });
    return { row: { scores: range, cell }, counts };
  });
  // The ranges partition the score's analysed sets.
  if (rows.length > 0) {
    sdc.relation(
      sets.analysed,
      rows.map((r) => r.counts.sets),
    );
    sdc.relation(
      sets.positive,
      rows.map((r) => r.counts.events),
    );
  }
  return rows.map((r) => r.row);
}

/** Net benefit of each rule of the score (and, for a model, of alerting at its own probability ≥ pₜ). */
function netBenefitRows(ctx: ScoreContext, sdc: Disclosure, inputs: SectionInputs, thresholds: readonly ThresholdRow[], sets: SetCells): NetBenefitRow[] {
  const rows: NetBenefitRow[] = [];
  // Net benefit gives away TP − w·FP over n, and "treat all" the prevalence: released only with the counts they come from.
  const add = (rule: string, cut: number, column: number, values: Float64Array, pt: number, stat: string, counts: readonly unknown[]) => {
    // A rule as a 0/1 "probability": alerting at ≥ pₜ is alerting at value ≥ cut, so the metric applies as it is.
    const nb = netBenefit(
      values.map((v) => (v >= cut ? 1 : 0)),
      ctx.labels,
      pt,
    );
    if (!nb.defined) return;
    const ci = ctx.intervals?.interval(stat, column).ci ?? null;
    const cell = { netBenefit: { defined: true as const, estimate: nb.estimate, ci }, treatAll: nb.treatAll, treatNone: 0 };
    const dependsOn = [sets.analysed, sets.positive, ...counts];
    rows.push({ rule, cut, threshold: pt, cell: sdc.release(cell, ctx.basis, { table: `net benefit: ${ctx.def.name}`, dependsOn }) });
  };
  inputs.netBenefitThresholds.forEach((pt, i) => {
    if (kindOf(ctx.def).probabilistic) add('model probability ≥ pₜ', pt, ctx.index, ctx.values, pt, statName.decisionCurve(i), []);
    inputs.plan.rules.forEach((rule, k) => {
      const c = thresholds[k]?.counts;
      add(
        rule.label,
        rule.cut,
        rule.column,
        inputs.ruleValues[k] ?? ctx.values,
        pt,
        statName.netBenefit(inputs.ruleIndex[k] ?? -1, i),
        c === undefined ? [] : [c.tp, c.fp],
      );
    });
  });
  return rows;
}

/** What a reader must know about a fitted score before comparing it. */
function caveatsOf(derivation: Readonly<Record<string, unknown>> | null): string[] {
  if (derivation === null || derivation.cohort !== 'synthetic') return [];
  const from = [
    derivation.profile,
    derivation.seed === undefined ? null : `seed ${String(derivation.seed)}`,
    derivation.generatorVersion === undefined ? null : `generator ${String(derivation.generatorVersion)}`,
  ]
    .filter((x) => x !== null && x !== undefined)
    .join(', ');
  return [
    `Fitted on synthetic data (${from}). On a cohort from the same generator it is tested on the process it was fitted to, and that process's risk depends on age, comorbidity and laboratory values a vital-signs score does not see: an advantage here shows what the generator built in, not how the score would do on patients. Compare alerting rules at matched alert rates, not AUROC alone.`,
  ];
}

/**
 * The section of one score. Runs in O(n log n) for the metrics plus the calibration smooth.
 */
export function scoreSection(ctx: ScoreContext, sdc: Disclosure, inputs: SectionInputs): ScoreSection {
  const { def } = ctx;
  const kind = kindOf(def);
  const provenance = kind.provenance(def);
  const identity = {
    id: def.id,
    name: def.name,
    kind: def.kind,
    ...(provenance.illustrative ? { illustrative: true as const } : {}),
    ...(provenance.derivation !== null ? { derivation: provenance.derivation as Derivation } : {}),
    caveats: caveatsOf(provenance.derivation),
  };
  const flow = inputs.flow;
  const sets: SetCells = { analysed: flow.analysed.sets, positive: flow.analysed.positive ?? sdc.count(inputs.view.positives) };
  const incomplete = sdc.count(inputs.view.incomplete, { table: `scores: ${def.name}` });
  sdc.relation(
    incomplete,
    flow.excluded.map((x) => x.sets),
  );
  const thresholds = inputs.plan.rules.map((rule, k) => thresholdRow(ctx, sdc, rule, inputs.ruleIndex[k] ?? -1, inputs.ruleValues[k] ?? ctx.values, sets));
  return {
    ...identity,
    ...headlines(ctx, sdc),
    observedRisk: kind.probabilistic ? null : observedRisk(ctx, sdc, inputs.plan.ranges, sets),
    sets: { analysed: sets.analysed, positive: sets.positive, incomplete },
    thresholds,
    netBenefit: netBenefitRows(ctx, sdc, inputs, thresholds, sets),
  };
}
