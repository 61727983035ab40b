/**
 * The headline metrics of each score, as a registry. Each entry says how to compute its
 * value from a score's analysis rows, what the value is derived from (its disclosure basis), and how it renders in
 * the Markdown summary. Adding a headline metric is one entry here and one field in `ScoreSection`
 * (validation/report/types.ts).
 */
import type { RecalibrationMethod } from '../metrics/recalibrate.js';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { obuchowskiAuroc } from '../bootstrap/cluster.js';
import { auroc } from '../metrics/auroc.js';
import { calibration } from '../metrics/calibration.js';
import type { CalibrationBin } from '../metrics/calibration.js';
import { averagePrecision } from '../metrics/curves.js';
import type { CellBasis, Disclosure } from '../disclosure/disclosure.js';
import type { AurocCell, CalibrationCell, HeadlineKey, HeadlineValue, ScoreSection, UndefinedCell } from '../report/types.js';
import { estimateCell, proportionCell, undefinedCell } from './cells.js';
import type { StudyIntervals } from './intervals.js';
import { statName } from './intervals.js';

/** What a metric sees of one score. */
export interface ScoreContext {
  readonly def: ScoreDefinition;
  /** The score's position in the study (for bootstrap replicates). */
  readonly index: number;
  /** The score's value on each analysis row. */
  readonly values: Float64Array;
  /** A probability on each analysis row (the model's own, or cross-fitted recalibration). */
  readonly probabilities: Float64Array;
  /** True when the probabilities are the model's own. */
  readonly probabilistic: boolean;
  readonly labels: Uint8Array;
  readonly level: number;
  readonly recalibrationFolds: number;
  readonly recalibrationMethod: RecalibrationMethod;
  /** The cluster (patient, or encounter) of each analysis row. */
  readonly cluster: Int32Array;
  /** The overall clustered bootstrap, or null when none was asked for. */
  readonly intervals: StudyIntervals | null;
  /** The disclosure basis of statistics over every analysis row. */
  readonly basis: CellBasis;
  /** The score's analysed sets as a cell of the report (the flow's), which its calibration bins add up to. */
  readonly analysedSets?: unknown;
}

/** One headline metric: how it is computed and on what basis it is released (its columns: `report/format.ts`). */
export interface HeadlineMetric<K extends HeadlineKey> {
  readonly key: K;
  /** The value; cells nested inside it (calibration bins) are released through `disclosure` with their own basis. */
  compute(ctx: ScoreContext, disclosure: Disclosure): HeadlineValue<K>;
  basis(ctx: ScoreContext): CellBasis;
}

/** A registry entry, checked against its key. */
function metric<K extends HeadlineKey>(m: HeadlineMetric<K>): HeadlineMetric<K> {
  return m;
}

function aurocCell(ctx: ScoreContext): AurocCell | UndefinedCell {
  const a = auroc(ctx.values, ctx.labels, { level: ctx.level });
  if (!a.defined) return undefinedCell(a);
  const o = obuchowskiAuroc(ctx.values, ctx.labels, ctx.cluster, { level: ctx.level });
  const obuchowski = o.defined ? { defined: true as const, se: o.se, ci: o.ci } : undefinedCell(o);
  // Headline: the bootstrap; without one, Obuchowski's analytic clustered interval.
  const boot = ctx.intervals?.interval('auroc', ctx.index) ?? null;
  const ci = boot !== null ? boot.ci : o.defined ? o.ci : null;
  const se = boot !== null ? boot.se : o.defined ? o.se : null;
  return { defined: true, estimate: a.estimate, ci, se, obuchowski, naive: { se: a.se, ci: a.ci }, warnings: a.warnings };
}

/**
 * A points score recalibrated on these data: only the Brier scores are kept. Its O/E, intercept, slope and
 * E-statistics are near their ideal values by construction (the mapping was fitted here), so they are not computed —
 * each says why — and the score's calibration is its observed risk per score value.
 */
function modelUpdatingCell(ctx: ScoreContext): CalibrationCell | UndefinedCell {
  const n = ctx.labels.length;
  if (n === 0) return undefinedCell({ reason: 'empty', message: 'validate: no analysis rows' });
  let brier = 0;
  let events = 0;
  for (let i = 0; i < n; i++) {
    const y = ctx.labels[i] ?? 0;
    brier += ((ctx.probabilities[i] ?? NaN) - y) ** 2;
    events += y;
  }
  brier /= n;
  const mean = events / n;
  const byConstruction = undefinedCell({
    reason: 'model-updating',
    message: 'validate: a points score recalibrated on these data is calibrated by construction; its calibration is observedRisk',
  });
  return {
    defined: true,
    method: `model updating: cross-fitted ${ctx.recalibrationMethod} recalibration (${ctx.recalibrationFolds} patient folds)`,
    modelUpdating: true,
    observedExpected: byConstruction,
    calibrationInTheLarge: byConstruction,
    slope: byConstruction,
    brier: Number.isFinite(brier) ? { defined: true, estimate: brier, ci: null } : byConstruction,
    scaledBrier:
      mean > 0 && mean < 1 && Number.isFinite(brier)
        ? { defined: true, estimate: 1 - brier / (mean * (1 - mean)), ci: null }
        : undefinedCell({ reason: 'one-class', message: 'validate: one outcome class, so the reference Brier score is 0' }),
    eavg: byConstruction,
    e90: byConstruction,
    emax: byConstruction,
    bins: [],
  };
}

function calibrationCell(ctx: ScoreContext, sdc: Disclosure): CalibrationCell | UndefinedCell {
  if (!ctx.probabilistic) return modelUpdatingCell(ctx);
  const c = calibration(ctx.probabilities, ctx.labels, { level: ctx.level, clusters: ctx.cluster });
  if (!c.defined) return undefinedCell(c);
  const oe = ctx.intervals?.interval('oe', ctx.index) ?? null;
  return {
    defined: true,
    method: 'model probability',
    modelUpdating: false,
    observedExpected: c.observedExpected.defined
      ? { defined: true, estimate: c.observedExpected.estimate, ci: oe?.ci ?? null }
      : estimateCell(c.observedExpected),
    calibrationInTheLarge: estimateCell(c.calibrationInTheLarge),
    slope: estimateCell(c.slope),
    brier: estimateCell(c.brier),
    scaledBrier: estimateCell(c.scaledBrier),
    eavg: estimateCell(c.eavg),
    e90: estimateCell(c.e90),
    emax: estimateCell(c.emax),
    bins: binCells(ctx, sdc, c.binned),
  };
}

/**
 * The calibration bins of a model: each bin's count is a count of the report (rounded or suppressed with the bin), and
 * the bins add up to the score's analysed sets (declared). Its observed risk has the clustered interval of the study's
 * bootstrap (the bins were planned before it, as value ranges) and Wilson's.
 */
function binCells(ctx: ScoreContext, sdc: Disclosure, binned: readonly CalibrationBin[]) {
  const table = { table: `calibration: ${ctx.def.name}` };
  sdc.declareTable({
    name: table.table,
    dimensions: ['bin of predicted probability', 'count (sets)'],
    margins: "the bins' sets add up to the score's analysed sets",
  });
  sdc.link(table.table, 'flow', "the bins' sets add up to the flow's analysed sets of the score");
  const cells = binned.map((b, k) => {
    const n = sdc.inner(b.n, table);
    const clustered = ctx.intervals?.interval(statName.risk(k), ctx.index).ci ?? null;
    return {
      n,
      cell: sdc.release(
        { meanPredicted: b.meanPredicted, observed: proportionCell(b.observed, clustered), n },
        { counts: [b.observed.numerator, b.n - b.observed.numerator] },
        { ...table, dependsOn: [n] },
      ),
    };
  });
  if (ctx.analysedSets !== undefined && cells.length > 0)
    sdc.relationOf(
      ctx.analysedSets,
      cells.map((c) => c.n),
    );
  return cells.map((c) => c.cell);
}

const overall = (ctx: ScoreContext): CellBasis => ctx.basis;

/** The headline metrics, in the order of the report's fields (their summary columns: `report/format.ts`). */
export const HEADLINE_METRICS = [
  metric({
    key: 'auroc',
    compute: aurocCell,
    basis: overall,
  }),
  metric({
    key: 'averagePrecision',
    compute: (ctx) => {
      const ap = averagePrecision(ctx.values, ctx.labels);
      return ap.defined ? { defined: true, estimate: ap.estimate, ci: ctx.intervals?.interval('ap', ctx.index).ci ?? null } : undefinedCell(ap);
    },
    basis: overall,
  }),
  metric({
    key: 'calibration',
    compute: calibrationCell,
    basis: overall,
  }),
] as const;

/** Every headline key has exactly one entry (a compile-time check). */
type Covered = (typeof HEADLINE_METRICS)[number]['key'];
const everyKey: Record<Exclude<HeadlineKey, Covered>, never> = {};
void everyKey;

/** The headline cells of one score, each released on its own basis. Runs the registry in order. */
export function headlines(ctx: ScoreContext, sdc: Disclosure): Pick<ScoreSection, HeadlineKey> {
  const release = <K extends HeadlineKey>(m: HeadlineMetric<K>): ScoreSection[K] =>
    sdc.release(m.compute(ctx, sdc), m.basis(ctx), { table: `scores: ${ctx.def.name}` });
  const out: Partial<Record<HeadlineKey, unknown>> = {};
  for (const m of HEADLINE_METRICS) out[m.key] = release<typeof m.key>(m as HeadlineMetric<typeof m.key>);
  return out as Pick<ScoreSection, HeadlineKey>;
}
