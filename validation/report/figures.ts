/**
 * The report's figures as Vega-Lite specifications, built from the released report only — never from data: every
 * plotted point, band and bar is a cell of the report that passed disclosure control, so a figure can give away no
 * more than the JSON does. A point whose cell was suppressed is left out and the figure says how many; a figure with
 * nothing left to plot is `spec: null` with the reason, shown in its place.
 *
 * Per score: the ROC and precision–recall curves with their patient-clustered pointwise bands; the calibration plot
 * (observed risk per score value for a points score, calibration bins for a model); the decision curve of its
 * alerting rules; the alert burden (alerts per patient-day) and lead time of its rules. Per grouping: a forest plot of
 * each group's differences from the reference group.
 *
 * Browser-safe and free of any charting code: rendering is `renderFigures` (Node entry), which compiles these specs
 * with Vega-Lite and draws them as static SVG.
 */
import { isSuppressed } from '../disclosure/disclosure.js';
import type { AlertScoreSection, Cell, ContrastCell, ProportionCell, ScoreSection, SubgroupSection, UndefinedCell, ValidationReport } from './types.js';

/** A Vega-Lite specification (a JSON object; `renderFigures` compiles it). */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

/** Where a figure belongs in the report. */
export type FigureSection = 'discrimination' | 'observed-risk' | 'net-benefit' | 'subgroups' | 'alerts' | 'meta-analysis';

/** One figure of the report. */
export interface FigureSpec {
  /** A file-name-safe id, e.g. `roc-news2` (the standalone SVG is `<id>.svg`). */
  readonly id: string;
  readonly section: FigureSection;
  /** For subgroup figures, the grouping column; else null. */
  readonly by: string | null;
  readonly title: string;
  /** What the figure shows and what its intervals are: the accessible description, and the caption. */
  readonly description: string;
  /** The Vega-Lite spec, or null when nothing released is left to plot. */
  readonly spec: VegaLiteSpec | null;
  /** Why the figure, or some of its points, are not shown (disclosure control, undefined metrics); null when all are. */
  readonly withheld: string | null;
}

/**
 * The id of the report section a figure belongs after (`reportDocument`'s section ids): its section, and for a
 * subgroup figure its grouping (`subgroups:ethnicity`).
 */
export function figurePlace(f: Pick<FigureSpec, 'section' | 'by'>): string {
  return f.by === null ? f.section : `${f.section}:${f.by}`;
}

/** Okabe & Ito's colour-blind-safe palette (blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow, black). */
export const FIGURE_PALETTE: readonly string[] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

const SIZE = { width: 300, height: 260 };
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#bbb' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  title: { fontSize: 13, anchor: 'start' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', direction: 'vertical', labelLimit: 0 },
};

/** A file-name-safe id. */
function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

/** The released value of a cell, or null when suppressed. */
function open<T>(c: Cell<T>): T | null {
  return isSuppressed(c) ? null : c;
}

/** A defined proportion or estimate with a clustered interval, as [estimate, lo, hi] (interval = estimate when none). */
function triple(
  v: ProportionCell | UndefinedCell | { defined: true; estimate: number; ci: readonly [number, number] | null },
): [number, number, number] | null {
  if (!v.defined) return null;
  const ci = v.ci ?? [v.estimate, v.estimate];
  return [v.estimate, ci[0], ci[1]];
}

/** "k of n points withheld (…)" or null. */
function withheldNote(dropped: number, of: number, what: string): string | null {
  if (dropped === 0) return null;
  return `${dropped} of ${of} ${what} not shown: suppressed by disclosure control or undefined`;
}

function spec(title: string, description: string, body: Record<string, unknown>): VegaLiteSpec {
  return { $schema: SCHEMA, title, description, config: CONFIG, background: 'white', ...body };
}

/** What every figure says of itself. */
export type FigureMeta = Pick<FigureSpec, 'id' | 'section' | 'by' | 'title' | 'description'>;

/** A figure with nothing released to plot, and why. */
export function withheldFigure(meta: FigureMeta, why: string): FigureSpec {
  return { ...meta, spec: null, withheld: why };
}

/** A drawn figure: its spec from the body, and a note of the points left out (or null). */
export function drawn(meta: FigureMeta, note: string | null, body: Record<string, unknown>): FigureSpec {
  return { ...meta, withheld: note, spec: spec(meta.title, meta.description, body) };
}

function colourScale(domain: readonly string[]): Record<string, unknown> {
  return { domain, range: FIGURE_PALETTE.slice(0, Math.max(1, domain.length)) };
}

/** The rows a figure can plot — one per item whose released cell gives one (`row` returns null otherwise) — and how many could not. */
function plotted<T, R>(items: readonly T[], row: (item: T) => R | null): { rows: R[]; dropped: number } {
  const rows: R[] = [];
  for (const item of items) {
    const r = row(item);
    if (r !== null) rows.push(r);
  }
  return { rows, dropped: items.length - rows.length };
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const ciText = (t: [number, number, number]) => `${t[0].toFixed(3)} (${t[1].toFixed(3)} to ${t[2].toFixed(3)})`;

/** The ROC curve of one score, with the clustered pointwise band for sensitivity and the clinical cut-offs marked. */
function rocFigure(s: ScoreSection): FigureSpec {
  const title = `ROC curve — ${s.name}`;
  const { rows: points, dropped } = plotted(s.curve, (p) => {
    const c = open(p.cell);
    const sens = c === null ? null : triple(c.sensitivity);
    const spec1 = c === null ? null : triple(c.specificity);
    return sens === null || spec1 === null ? null : { cut: p.cut, fpr: 1 - spec1[0], tpr: sens[0], lo: sens[1], hi: sens[2] };
  });
  const auroc = open(s.auroc);
  const aurocText =
    auroc !== null && auroc.defined ? `AUROC ${ciText([auroc.estimate, ...(auroc.ci ?? [auroc.estimate, auroc.estimate])])}` : 'AUROC not available';
  const description = `ROC curve of ${s.name}: sensitivity against 1 − specificity at each cut-off (${points.length} points; alerting on everyone and on no one are the ends). The shaded band is the pointwise 95 % patient-clustered bootstrap interval for sensitivity; open circles mark the clinical cut-offs (from the threshold table). ${aurocText}.`;
  const note = withheldNote(dropped, s.curve.length, 'curve points');
  if (points.length === 0)
    return withheldFigure(
      { id: `roc-${slug(s.id)}`, section: 'discrimination', by: null, title, description },
      note ?? 'no curve points: too few events to pool into more than one band',
    );
  const line = [
    { cut: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0, lo: 0, hi: 0 },
    ...[...points].reverse(),
    { cut: Number.NEGATIVE_INFINITY, fpr: 1, tpr: 1, lo: 1, hi: 1 },
  ].map((p, order) => ({ ...p, order, cut: Number.isFinite(p.cut) ? p.cut : null }));
  // The clinical cut-offs, from the threshold table's own released cells (they need not be curve cuts).
  const clinical = s.thresholds
    .filter((t) => !t.label.startsWith('red'))
    .flatMap((t) => {
      const sens = open(t.sensitivity);
      const spec1 = open(t.specificity);
      return sens === null || spec1 === null || !sens.defined || !spec1.defined ? [] : [{ label: t.label, fpr: 1 - spec1.estimate, tpr: sens.estimate }];
    });
  const x = { field: 'fpr', type: 'quantitative', title: '1 − specificity', scale: { domain: [0, 1] } };
  const y = { field: 'tpr', type: 'quantitative', title: 'Sensitivity', scale: { domain: [0, 1] } };
  return drawn({ id: `roc-${slug(s.id)}`, section: 'discrimination', by: null, title, description }, note, {
    ...SIZE,
    layer: [
      {
        data: {
          values: [
            { fpr: 0, tpr: 0 },
            { fpr: 1, tpr: 1 },
          ],
        },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x, y },
      },
      {
        data: { values: line },
        mark: { type: 'area', color: FIGURE_PALETTE[0], opacity: 0.2 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
      {
        data: { values: line },
        mark: { type: 'line', color: FIGURE_PALETTE[0], point: { filled: true, size: 18 } },
        encoding: { x, y, order: { field: 'order' } },
      },
      ...(clinical.length === 0
        ? []
        : [
            { data: { values: clinical }, mark: { type: 'point', color: FIGURE_PALETTE[1], size: 90, strokeWidth: 2 }, encoding: { x, y } },
            {
              data: { values: clinical },
              mark: { type: 'text', align: 'left', dx: 7, dy: 10, fontSize: 10, color: FIGURE_PALETTE[1] },
              encoding: { x, y, text: { field: 'label' } },
            },
          ]),
    ],
  });
}

/** The precision–recall curve of one score, with the clustered pointwise band for PPV and the prevalence as baseline. */
function prFigure(s: ScoreSection): FigureSpec {
  const title = `Precision–recall curve — ${s.name}`;
  const { rows: points, dropped } = plotted(s.curve, (p) => {
    const c = open(p.cell);
    const sens = c === null ? null : triple(c.sensitivity);
    const ppv = c === null ? null : triple(c.ppv);
    return sens === null || ppv === null ? null : { cut: p.cut, recall: sens[0], precision: ppv[0], lo: ppv[1], hi: ppv[2] };
  });
  const analysed = open(s.sets.analysed);
  const positive = open(s.sets.positive);
  const prevalence = analysed !== null && positive !== null && analysed > 0 ? positive / analysed : null;
  const ap = open(s.averagePrecision);
  const apText =
    ap !== null && ap.defined ? `Average precision ${ciText([ap.estimate, ...(ap.ci ?? [ap.estimate, ap.estimate])])}` : 'Average precision not available';
  const description = `Precision–recall curve of ${s.name}: positive predictive value against sensitivity at each cut-off (${points.length} points). The shaded band is the pointwise 95 % patient-clustered bootstrap interval for PPV; the dashed line is the share of positive sets${prevalence === null ? '' : ` (${pct(prevalence)})`}, a score without information. ${apText}.`;
  const note = withheldNote(dropped, s.curve.length, 'curve points');
  if (points.length === 0)
    return withheldFigure(
      { id: `pr-${slug(s.id)}`, section: 'discrimination', by: null, title, description },
      note ?? 'no curve points: too few events to pool into more than one band',
    );
  const line = [
    ...points,
    ...(prevalence === null ? [] : [{ cut: Number.NEGATIVE_INFINITY, recall: 1, precision: prevalence, lo: prevalence, hi: prevalence }]),
  ]
    .sort((a, b) => (a.recall ?? 0) - (b.recall ?? 0))
    .map((p, order) => ({ ...p, order, cut: Number.isFinite(p.cut) ? p.cut : null }));
  const x = { field: 'recall', type: 'quantitative', title: 'Sensitivity (recall)', scale: { domain: [0, 1] } };
  const y = { field: 'precision', type: 'quantitative', title: 'PPV (precision)', axis: { format: '.0%' } };
  return drawn({ id: `pr-${slug(s.id)}`, section: 'discrimination', by: null, title, description }, note, {
    ...SIZE,
    layer: [
      ...(prevalence === null
        ? []
        : [
            {
              data: { values: [{ prevalence }] },
              mark: { type: 'rule', color: '#999', strokeDash: [4, 4] },
              encoding: { y: { field: 'prevalence', type: 'quantitative' } },
            },
          ]),
      {
        data: { values: line },
        mark: { type: 'area', color: FIGURE_PALETTE[2], opacity: 0.2 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
      {
        data: { values: line },
        mark: { type: 'line', color: FIGURE_PALETTE[2], point: { filled: true, size: 18 } },
        encoding: { x, y, order: { field: 'order' } },
      },
    ],
  });
}

/** A points score's calibration: the observed risk at each (pooled) score value with its clustered interval. */
function observedRiskFigure(s: ScoreSection): FigureSpec {
  const title = `Observed risk by score — ${s.name}`;
  const rows = s.observedRisk ?? [];
  const { rows: values, dropped } = plotted(rows, (r) => {
    const c = open(r.cell);
    const risk = c === null ? null : triple(c.risk);
    if (c === null || risk === null) return null;
    const scores = r.scores[0] === r.scores[1] ? `${r.scores[0]}` : `${r.scores[0]}–${r.scores[1]}`;
    return { scores, low: r.scores[0], risk: risk[0], lo: risk[1], hi: risk[2], sets: c.sets, events: c.events };
  });
  const description = `The calibration of a points score: the share of sets followed by the outcome at each ${s.name} value (sparse top values pooled), with 95 % patient-clustered bootstrap intervals. A points score has no probabilities to compare with; a rising risk with the score is what it promises.`;
  const note = withheldNote(dropped, rows.length, 'score ranges');
  if (values.length === 0)
    return withheldFigure({ id: `risk-${slug(s.id)}`, section: 'observed-risk', by: null, title, description }, note ?? 'no score range to show');
  const pooled = values.some((v) => String(v.scores).includes('–'));
  const x = { field: 'scores', type: 'ordinal', title: `${s.name} value`, sort: { field: 'low' }, axis: { labelAngle: pooled ? -45 : 0 } };
  return drawn({ id: `risk-${slug(s.id)}`, section: 'observed-risk', by: null, title, description }, note, {
    width: { step: 20 },
    height: SIZE.height,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', color: FIGURE_PALETTE[0] },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'Observed risk', axis: { format: '.0%' } }, y2: { field: 'hi' } },
      },
      { mark: { type: 'point', filled: true, color: FIGURE_PALETTE[0], size: 40 }, encoding: { x, y: { field: 'risk', type: 'quantitative' } } },
    ],
  });
}

/** A model's calibration: observed against mean predicted risk per bin, the diagonal being perfect calibration. */
function calibrationFigure(s: ScoreSection): FigureSpec {
  const title = `Calibration — ${s.name}`;
  const cal = open(s.calibration);
  const base = { id: `calibration-${slug(s.id)}`, section: 'discrimination' as const, by: null, title };
  if (cal === null || !cal.defined || cal.modelUpdating) {
    const description = `Calibration of ${s.name}'s own probabilities.`;
    const why =
      cal === null ? 'calibration suppressed by disclosure control' : !cal.defined ? cal.message : 'not a model: calibration is the observed risk by score';
    return withheldFigure({ ...base, description }, why);
  }
  const { rows: values, dropped } = plotted(cal.bins, (b) => {
    const c = open(b);
    const obs = c === null ? null : triple(c.observed);
    return c === null || obs === null ? null : { predicted: c.meanPredicted, observed: obs[0], lo: obs[1], hi: obs[2], n: c.n };
  });
  const oe = cal.observedExpected.defined
    ? `O/E ${ciText([cal.observedExpected.estimate, ...(cal.observedExpected.ci ?? [cal.observedExpected.estimate, cal.observedExpected.estimate])])} (clustered)`
    : 'O/E not available';
  const slope = cal.slope.defined
    ? `slope ${ciText([cal.slope.estimate, ...(cal.slope.ci ?? [cal.slope.estimate, cal.slope.estimate])])} (cluster-robust)`
    : 'slope not available';
  const description = `Calibration of ${s.name}'s own probabilities: the observed share of sets followed by the outcome against the mean predicted probability in each bin, on log–log axes, with 95 % patient-clustered bootstrap intervals; the dashed diagonal is perfect calibration. Summaries: ${oe} and ${slope}.`;
  const note = withheldNote(dropped, cal.bins.length, 'bins');
  if (values.length === 0) return withheldFigure({ ...base, description }, note ?? 'no calibration bins');
  const all = values.flatMap((v) => [v.predicted ?? 1, Math.max(v.lo ?? 1, 1e-4), v.observed ?? 1, v.hi ?? 1]).filter((v) => v > 0);
  const lo = Math.max(1e-4, Math.min(...all) / 1.5);
  const hi = Math.min(1, Math.max(...all) * 1.5);
  const scale = { type: 'log', domain: [lo, hi] };
  const ticks = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1].filter((t) => t >= lo && t <= hi);
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  const shown = values.map((v) => ({ ...v, observed: clamp(v.observed ?? lo), lo: clamp(v.lo ?? lo), hi: clamp(v.hi ?? lo) }));
  const x = { field: 'predicted', type: 'quantitative', title: 'Mean predicted probability', scale, axis: { format: '.1~%', values: ticks } };
  return drawn({ ...base, description }, note, {
    ...SIZE,
    layer: [
      {
        data: {
          values: [
            { predicted: lo, observed: lo },
            { predicted: hi, observed: hi },
          ],
        },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x, y: { field: 'observed', type: 'quantitative', scale } },
      },
      {
        data: { values: shown },
        mark: { type: 'rule', color: FIGURE_PALETTE[1] },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', scale, title: 'Observed share', axis: { format: '.1~%', values: ticks } },
          y2: { field: 'hi' },
        },
      },
      {
        data: { values: shown },
        mark: { type: 'point', filled: true, color: FIGURE_PALETTE[1], size: 40 },
        encoding: { x, y: { field: 'observed', type: 'quantitative', scale } },
      },
    ],
  });
}

/** The decision curve of a score's alerting rules: net benefit against the threshold probability, with treat-all and treat-none. */
function decisionFigure(s: ScoreSection): FigureSpec {
  const title = `Decision curve — ${s.name}`;
  const values: Record<string, number | string>[] = [];
  const treatAll = new Map<number, number>();
  let dropped = 0;
  for (const r of s.netBenefit) {
    const c = open(r.cell);
    if (c === null) {
      dropped++;
      continue;
    }
    const nb = triple(c.netBenefit) as [number, number, number];
    values.push({ rule: r.rule, threshold: r.threshold, netBenefit: nb[0], lo: nb[1], hi: nb[2] });
    treatAll.set(r.threshold, c.treatAll);
  }
  const description = `Net benefit of alerting by each rule of ${s.name} across threshold probabilities pₜ (how many false alerts one true alert is worth: pₜ/(1 − pₜ)), with 95 % patient-clustered bootstrap intervals; grey: alerting on everyone (dashed) and on no one (zero). A rule is useful at pₜ where it lies above both.`;
  const note = withheldNote(dropped, s.netBenefit.length, 'net-benefit values');
  if (values.length === 0)
    return withheldFigure({ id: `decision-${slug(s.id)}`, section: 'net-benefit', by: null, title, description }, note ?? 'no alerting rule');
  const rules = [...new Set(values.map((v) => String(v.rule)))];
  const top = Math.max(...values.map((v) => Number(v.hi)), ...treatAll.values(), 0.001);
  const bottom = -0.25 * top;
  const scale = { domain: [bottom, top * 1.05] };
  const x = {
    field: 'threshold',
    type: 'quantitative',
    title: 'Threshold probability pₜ',
    scale: { type: 'log' },
    axis: { format: '.0%', values: [...treatAll.keys()] },
  };
  const all = [...treatAll.entries()].map(([threshold, v]) => ({ threshold, treatAll: v, none: 0 }));
  const colour = { field: 'rule', type: 'nominal', title: null, scale: colourScale(rules) };
  return drawn({ id: `decision-${slug(s.id)}`, section: 'net-benefit', by: null, title, description }, note, {
    width: 360,
    height: 260,
    layer: [
      { data: { values: all }, mark: { type: 'line', color: '#999', clip: true }, encoding: { x, y: { field: 'none', type: 'quantitative', scale } } },
      {
        data: { values: all },
        mark: { type: 'line', color: '#777', strokeDash: [4, 4], clip: true },
        encoding: { x, y: { field: 'treatAll', type: 'quantitative', scale } },
      },
      {
        data: { values },
        mark: { type: 'rule', clip: true },
        encoding: { x, y: { field: 'lo', type: 'quantitative', scale, title: 'Net benefit' }, y2: { field: 'hi' }, color: colour },
      },
      {
        data: { values },
        mark: { type: 'line', point: { filled: true, size: 30 }, clip: true },
        encoding: { x, y: { field: 'netBenefit', type: 'quantitative', scale }, color: colour },
      },
    ],
  });
}

/** A forest plot of each group's paired differences from the reference, one panel per measure, one colour per score. */
function forestFigure(report: ValidationReport, sg: SubgroupSection): FigureSpec {
  const title = `Differences from ${sg.reference} — by ${sg.by}`;
  const names = new Map(report.scores.map((s) => [s.id, s.name]));
  const values: Record<string, number | string>[] = [];
  let dropped = 0;
  let total = 0;
  const measures: [keyof GroupContrasts, string][] = [
    ['auroc', 'Δ AUROC'],
    ['sensitivity', 'Δ sensitivity at first cut-off'],
    ['calibrationInTheLarge', 'Δ calibration intercept'],
    ['slope', 'Δ calibration slope'],
  ];
  for (const g of sg.groups) {
    if (g.group === sg.reference) continue;
    for (const [id, cell] of Object.entries(g.scores)) {
      const c = open(cell);
      for (const [key, label] of measures) {
        total++;
        const d = c === null ? null : contrastOf(c.differenceFromReference, key);
        if (d === null || !d.defined) {
          dropped++;
          continue;
        }
        values.push({ group: g.group, score: names.get(id) ?? id, measure: label, estimate: d.estimate, lo: d.ci[0], hi: d.ci[1], adjustedP: d.adjustedP });
      }
    }
  }
  const m = report.settings.multiplicity;
  const description = `Each group's difference from the reference group (${sg.reference}) in AUROC, in sensitivity at each score's first clinical cut-off, and in calibration intercept and slope (a points score against its risk in the other groups), with 95 % paired patient-clustered bootstrap intervals (pointwise; the table gives intervals simultaneous over the ${m.contrasts} released contrasts with ${m.method}-adjusted p-values). Zero is no difference.`;
  const note = withheldNote(dropped, total, 'differences');
  const id = `forest-${slug(sg.by)}`;
  if (values.length === 0) return withheldFigure({ id, section: 'subgroups', by: sg.by, title, description }, note ?? 'no group besides the reference');
  const scores = [...new Set(values.map((v) => String(v.score)))];
  const colour = { field: 'score', type: 'nominal', title: null, scale: colourScale(scores) };
  const y = { field: 'group', type: 'nominal', title: null, sort: sg.groups.map((g) => g.group) };
  return drawn({ id, section: 'subgroups', by: sg.by, title, description }, note, {
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: measures.map(([, l]) => l) } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 190,
      height: { step: 14 * Math.max(1, scores.length) + 6 },
      layer: [
        { mark: { type: 'rule', color: '#999', strokeDash: [3, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
        {
          mark: { type: 'rule' },
          encoding: {
            y,
            yOffset: { field: 'score' },
            x: { field: 'lo', type: 'quantitative', title: 'Difference (95 % CI)' },
            x2: { field: 'hi' },
            color: colour,
          },
        },
        {
          mark: { type: 'point', filled: true, size: 35 },
          encoding: { y, yOffset: { field: 'score' }, x: { field: 'estimate', type: 'quantitative' }, color: colour },
        },
      ],
    },
  });
}

type GroupContrasts = {
  readonly auroc: ContrastCell | UndefinedCell | null;
  readonly sensitivity: Cell<ContrastCell | UndefinedCell> | null;
  readonly calibrationInTheLarge: ContrastCell | UndefinedCell | null;
  readonly slope: ContrastCell | UndefinedCell | null;
};

function contrastOf(d: GroupContrasts, key: keyof GroupContrasts): ContrastCell | UndefinedCell | null {
  const v = d[key];
  return v === null || isSuppressed(v) ? null : v;
}

/**
 * Every figure of the report, in reading order: per score its ROC and precision–recall curves and (for a model) its
 * calibration plot; per points score its observed risk by value; per score its decision curve; per grouping its
 * forest plot. Runs in O(size of the report).
 *
 * @example figureSpecs(report).map((f) => f.id); // ['roc-news2', 'pr-news2', …]
 */
/** A rule's label on an axis: the part before any parenthesis ("NEWS2 ≥ 5", "red score"). */
const ruleLabel = (rule: string): string => rule.replace(/ \(.*$/, '');

/** Alert burden: each rule's alerts per patient-day, with the patient-clustered interval. */
function alertBurdenFigure(a: AlertScoreSection, name: string): FigureSpec {
  const meta = {
    id: `alert-burden-${slug(a.id)}`,
    section: 'alerts' as const,
    by: null,
    title: `Alert burden — ${name}`,
    description: `Alerts per patient-day on the ward for each ${name} rule, with 95 % patient-clustered bootstrap intervals: the workload each rule asks of a ward.`,
  };
  const { rows, dropped } = plotted(a.rules, (r) => {
    const c = open(r.perPatientDay);
    if (c === null || !c.defined) return null;
    return { rule: ruleLabel(r.rule), rate: c.estimate, lo: c.ci?.[0] ?? c.estimate, hi: c.ci?.[1] ?? c.estimate };
  });
  const note = withheldNote(dropped, a.rules.length, 'rules');
  if (rows.length === 0) return withheldFigure(meta, note ?? 'no alerting rule');
  const y = { field: 'rule', type: 'nominal', title: null, sort: null };
  return drawn(meta, note, {
    width: SIZE.width,
    height: { step: 28 },
    data: { values: rows },
    layer: [
      { mark: { type: 'bar', color: FIGURE_PALETTE[5] }, encoding: { y, x: { field: 'rate', type: 'quantitative', title: 'Alerts per patient-day' } } },
      { mark: { type: 'rule', color: '#333' }, encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
    ],
  });
}

/** Lead time: each rule's median time from the first alert to the event, with its interquartile range. */
function leadTimeFigure(a: AlertScoreSection, name: string, horizon: number): FigureSpec {
  const meta = {
    id: `lead-time-${slug(a.id)}`,
    section: 'alerts' as const,
    by: null,
    title: `Lead time — ${name}`,
    description: `Hours from the first alert within ${horizon} h before an event to the event, over the episodes each ${name} rule detected: median (point) and interquartile range (bar).`,
  };
  const { rows, dropped } = plotted(a.rules, (r) => {
    const c = open(r.leadTimeHours);
    if (c === null || !c.defined) return null;
    return { rule: ruleLabel(r.rule), median: c.median, q1: c.q1, q3: c.q3 };
  });
  const note = withheldNote(dropped, a.rules.length, 'rules');
  if (rows.length === 0) return withheldFigure(meta, note ?? 'no episode was detected');
  const y = { field: 'rule', type: 'nominal', title: null, sort: null };
  const x = { field: 'median', type: 'quantitative', title: 'Hours before the event', scale: { domain: [0, horizon] } };
  return drawn(meta, note, {
    width: SIZE.width,
    height: { step: 28 },
    data: { values: rows },
    layer: [
      { mark: { type: 'rule', color: FIGURE_PALETTE[0], strokeWidth: 3 }, encoding: { y, x: { ...x, field: 'q1' }, x2: { field: 'q3' } } },
      { mark: { type: 'point', filled: true, color: FIGURE_PALETTE[1], size: 60 }, encoding: { y, x } },
    ],
  });
}

export function figureSpecs(report: ValidationReport): FigureSpec[] {
  const kinds = report.scores;
  return [
    ...kinds.flatMap((s) => [rocFigure(s), prFigure(s), ...(s.kind === 'model' ? [calibrationFigure(s)] : [])]),
    ...kinds.filter((s) => s.observedRisk !== null).map(observedRiskFigure),
    ...kinds.map(decisionFigure),
    ...report.subgroups.map((sg) => forestFigure(report, sg)),
    ...report.alerts.scores
      .filter((a) => a.rules.length > 0)
      .flatMap((a) => {
        const name = report.settings.scores.find((s) => s.id === a.id)?.name ?? a.id;
        return [alertBurdenFigure(a, name), leadTimeFigure(a, name, report.settings.outcome.horizonHours)];
      }),
  ];
}
