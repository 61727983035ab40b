/**
 * `validate`'s score sections: one section per score — identity, the headline metrics of the registry, the observed risk
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
  CurvePoint,
  Derivation,
  FlowCounts,
  FlowExclusion,
  NetBenefitRow,
  ObservedRiskRow,
  ScoreSection,
  ThresholdRow,
  UndefinedCell,
} from '../report/types.js';
import { upperBound } from '../stats/sorted.js';
import { wilsonFor } from '../stats/wilson.js';
import type { Proportion } from '../stats/wilson.js';
import { estimateCell, proportionCell } from './cells.js';
import type { ScoreView } from './analysis-set.js';
import type { Disclosure } from '../disclosure/disclosure.js';
import type { AlertRule, ScoreIntervalsPlan } from './intervals.js';
import { CURVE_METRICS, statName } from './intervals.js';
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

/** The sets and events of one band of score values, as inner ledger cells, with their raw numbers. */
interface BandCells {
  /** Inner cells (placeholders until the ledger resolves them). */
  readonly sets: number;
  readonly events: number;
  readonly n: number;
  readonly e: number;
}

/**
 * The sets and events in each band of the score between consecutive curve cuts — band 0 below the first cut, band k
 * from cuts[k − 1] up to cuts[k] — as inner cells that partition the score's analysed sets. For a points score the
 * bands are the pooled ranges of the observed risk. Runs in O(n log k).
 */
function bandCells(ctx: ScoreContext, sdc: Disclosure, cuts: readonly number[], table: string, sets: SetCells): BandCells[] {
  const n = new Array<number>(cuts.length + 1).fill(0);
  const e = new Array<number>(cuts.length + 1).fill(0);
  ctx.values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const k = upperBound(cuts, v);
    n[k] = (n[k] ?? 0) + 1;
    e[k] = (e[k] ?? 0) + (ctx.labels[i] ?? 0);
  });
  const bands = n.map((nk, k) => ({ sets: sdc.inner(nk, { table }), events: sdc.inner(e[k] ?? 0, { table }), n: nk, e: e[k] ?? 0 }));
  if (ctx.values.some((v) => Number.isFinite(v))) {
    sdc.relation(
      sets.analysed,
      bands.map((b) => b.sets),
    );
    sdc.relation(
      sets.positive,
      bands.map((b) => b.events),
    );
  }
  return bands;
}

/** Observed risk in each pooled range of score values (the bands), with clustered and Wilson intervals. */
function observedRisk(ctx: ScoreContext, sdc: Disclosure, ranges: ScoreIntervalsPlan['ranges'], bands: readonly BandCells[]): ObservedRiskRow[] {
  const table = `observed risk: ${ctx.def.name}`;
  return ranges.map((range, r) => {
    const b = bands[r] ?? { sets: 0, events: 0, n: 0, e: 0 };
    const risk = proportionCell(wilsonFor('validate', b.e, b.n, ctx.level, 'sets'), ctx.intervals?.interval(statName.risk(r), ctx.index).ci ?? null);
    const cell = sdc.release({ sets: b.sets, events: b.events, risk }, { counts: [b.e, b.n - b.e] }, { table, dependsOn: [b.sets, b.events] });
    return { scores: range, cell };
  });
}

/**
 * The ROC and precision–recall curves: at each planned cut, sensitivity, specificity and PPV with their clustered
 * (pointwise) and Wilson intervals. A point's true positives and alerts are sums of bands, declared as such, so a
 * suppressed band cannot be recovered from two neighbouring points.
 */
function curvePoints(ctx: ScoreContext, sdc: Disclosure, cuts: readonly number[], bands: readonly BandCells[], sets: SetCells): CurvePoint[] {
  const table = `curves: ${ctx.def.name}`;
  const positives = bands.reduce((a, b) => a + b.e, 0);
  const negatives = bands.reduce((a, b) => a + b.n - b.e, 0);
  const ci = (metric: (typeof CURVE_METRICS)[number], k: number) => ctx.intervals?.interval(statName.curve(metric, k), ctx.index).ci ?? null;
  return cuts.map((cut, k) => {
    const above = bands.slice(k + 1);
    const tp = above.reduce((a, b) => a + b.e, 0);
    const alerts = above.reduce((a, b) => a + b.n, 0);
    const fp = alerts - tp;
    const tpCell = sdc.inner(tp, { table });
    const alertCell = sdc.inner(alerts, { table });
    sdc.relation(
      tpCell,
      above.map((b) => b.events),
    );
    sdc.relation(
      alertCell,
      above.map((b) => b.sets),
    );
    const value = {
      sensitivity: proportionCell(wilsonFor('validate', tp, positives, ctx.level, 'positive sets'), ci('sensitivity', k)),
      specificity: proportionCell(wilsonFor('validate', negatives - fp, negatives, ctx.level, 'negative sets'), ci('specificity', k)),
      ppv: proportionCell(wilsonFor('validate', tp, alerts, ctx.level, 'alerts'), ci('ppv', k)),
    };
    const basis = { counts: [tp, positives - tp, fp, negatives - fp] };
    return { cut, cell: sdc.release(value, basis, { table, dependsOn: [tpCell, alertCell, sets.analysed, sets.positive] }) };
  });
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

/** The tables of one score's section, and how they tie to the flow (its analysed and positive sets). */
function declareScoreTables(sdc: Disclosure, name: string): void {
  const tables: readonly [string, readonly string[], string, string][] = [
    [
      `scores: ${name}`,
      ['count (sets it cannot score)', 'statistic (the headline metrics)'],
      "the sets it cannot score are the sum of the flow's exclusions for the score",
      "its sets it cannot score are the sum of the flow's exclusions for the score; its statistics' bases are the flow's analysed sets",
    ],
    [
      `thresholds: ${name}`,
      ['rule (its cut-off)', 'alert (yes, no)', 'outcome (positive, negative)'],
      "each rule's 2×2 table adds up to the score's analysed sets, and its first column to the positive sets",
      "each rule's 2×2 table adds up to the flow's analysed sets of the score, its first column to their positive sets",
    ],
    [
      `bands: ${name}`,
      ['band of score values between consecutive curve cuts', 'count (sets, positive sets)'],
      "the bands' sets add up to the score's analysed sets, their positive sets to the positive sets",
      "the bands partition the flow's analysed sets of the score, and their positive sets",
    ],
    [
      `observed risk: ${name}`,
      ['pooled range of score values (a band)', 'count (sets, positive sets)', 'statistic (observed risk)'],
      'its counts are the bands’ own cells',
      '',
    ],
    [
      `curves: ${name}`,
      ['cut of the score', 'count (true positives, alerts)', 'statistic (sensitivity, specificity, PPV)'],
      "a point's true positives and alerts are the sums of the bands above its cut",
      "a point's statistics have the flow's analysed and positive sets of the score as denominators",
    ],
    [`net benefit: ${name}`, ['rule', 'threshold probability', 'statistic (net benefit)'], "derived from the thresholds' 2×2 counts", ''],
  ];
  for (const [table, dimensions, margins, withFlow] of tables) {
    sdc.declareTable({ name: table, dimensions, margins });
    if (withFlow !== '') sdc.link(table, 'flow', withFlow);
  }
  sdc.link(`curves: ${name}`, `bands: ${name}`, "a point's true positives and alerts are the sums of the bands above its cut");
  sdc.link(`observed risk: ${name}`, `bands: ${name}`, "an observed-risk row's sets and positive sets are its band's");
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
  declareScoreTables(sdc, def.name);
  const sets: SetCells = {
    analysed: flow.analysed.sets,
    positive: flow.analysed.positive ?? sdc.count(inputs.view.positives, { table: `scores: ${def.name}` }),
  };
  const incomplete = sdc.count(inputs.view.incomplete, { table: `scores: ${def.name}` });
  sdc.relation(
    incomplete,
    flow.excluded.map((x) => x.sets),
  );
  const thresholds = inputs.plan.rules.map((rule, k) => thresholdRow(ctx, sdc, rule, inputs.ruleIndex[k] ?? -1, inputs.ruleValues[k] ?? ctx.values, sets));
  const bands = bandCells(ctx, sdc, inputs.plan.curve, `bands: ${def.name}`, sets);
  return {
    ...identity,
    ...headlines({ ...ctx, analysedSets: sets.analysed }, sdc),
    observedRisk: kind.probabilistic ? null : observedRisk(ctx, sdc, inputs.plan.ranges, bands),
    sets: { analysed: sets.analysed, positive: sets.positive, incomplete },
    thresholds,
    curve: curvePoints(ctx, sdc, inputs.plan.curve, bands, sets),
    netBenefit: netBenefitRows(ctx, sdc, inputs, thresholds, sets),
  };
}
