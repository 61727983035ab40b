/**
 * Stage 2 of `validate`: the headline metrics of each score, as a registry. Each entry says how to compute its
 * value from a score's analysis rows, what the value is derived from (its disclosure basis), and how it renders in
 * the Markdown summary. Adding a headline metric is one entry here and one field in `ScoreSection`
 * (validation/report/types.ts).
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { Replicates } from '../bootstrap/group-bootstrap.js';
import { auroc } from '../metrics/auroc.js';
import { calibration } from '../metrics/calibration.js';
import { averagePrecision } from '../metrics/curves.js';
import type { CellBasis, Disclosure, Suppressed } from './disclosure.js';
import { isSuppressed } from './disclosure.js';
import type { AurocCell, CalibrationCell, EstimateCell, ScoreSection, UndefinedCell } from '../report/types.js';
import { bootstrapCell, estimateCell, proportionCell, undefinedCell } from './cells.js';

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
  /** The overall bootstrap (one group), or null when none was asked for. */
  readonly bootstrap: Replicates<'auroc'> | null;
  /** The disclosure basis of statistics over every analysis row. */
  readonly basis: CellBasis;
}

/** Keys of `ScoreSection` that hold one disclosed cell. */
export type HeadlineKey = 'auroc' | 'averagePrecision' | 'calibration';

/** A value with the suppressed placeholder taken away. */
type Released<K extends HeadlineKey> = Exclude<ScoreSection[K], Suppressed>;

/** A column of the Markdown summary table. */
export interface MetricColumn<K extends HeadlineKey> {
  readonly header: string;
  render(value: Released<K>): string;
}

/** One headline metric: compute, disclosure basis, render. */
export interface HeadlineMetric<K extends HeadlineKey> {
  readonly key: K;
  /** The value; cells nested inside it (calibration bins) are released through `disclosure` with their own basis. */
  compute(ctx: ScoreContext, disclosure: Disclosure): Released<K>;
  basis(ctx: ScoreContext): CellBasis;
  readonly columns: readonly MetricColumn<K>[];
}

/** A registry entry, checked against its key. */
function metric<K extends HeadlineKey>(m: HeadlineMetric<K>): HeadlineMetric<K> {
  return m;
}

/** Formatting shared by the columns. */
export const format = {
  number(v: number, digits = 3): string {
    return Number.isInteger(v) && Math.abs(v) >= 1 ? v.toLocaleString('en-GB') : v.toFixed(digits);
  },
  interval(ci: readonly [number, number] | null, digits = 3): string {
    return ci === null ? '' : ` (${format.number(ci[0], digits)} to ${format.number(ci[1], digits)})`;
  },
  estimate(c: EstimateCell | UndefinedCell, digits = 3, withCi = true): string {
    return c.defined ? `${format.number(c.estimate, digits)}${withCi ? format.interval(c.ci, digits) : ''}` : '—';
  },
};

function aurocCell(ctx: ScoreContext): AurocCell | UndefinedCell {
  const a = auroc(ctx.values, ctx.labels, { level: ctx.level });
  if (!a.defined) return undefinedCell(a);
  const reps = ctx.bootstrap === null ? null : ctx.bootstrap.of('auroc', 0, ctx.index);
  return { defined: true, estimate: a.estimate, se: a.se, delongCi: a.ci, bootstrap: bootstrapCell(reps, a.estimate, ctx.level), warnings: a.warnings };
}

function calibrationCell(ctx: ScoreContext, sdc: Disclosure): CalibrationCell | UndefinedCell {
  const c = calibration(ctx.probabilities, ctx.labels, { level: ctx.level });
  if (!c.defined) return undefinedCell(c);
  return {
    defined: true,
    method: ctx.probabilistic ? 'model probability' : `cross-fitted logistic recalibration (${ctx.recalibrationFolds} patient folds)`,
    observedExpected: estimateCell(c.observedExpected),
    calibrationInTheLarge: estimateCell(c.calibrationInTheLarge),
    slope: estimateCell(c.slope),
    brier: estimateCell(c.brier),
    scaledBrier: estimateCell(c.scaledBrier),
    eavg: estimateCell(c.eavg),
    e90: estimateCell(c.e90),
    emax: estimateCell(c.emax),
    bins: c.binned.map((b) =>
      sdc.release(
        { meanPredicted: b.meanPredicted, observed: proportionCell(b.observed), n: b.n },
        { counts: [b.observed.numerator, b.n - b.observed.numerator] },
      ),
    ),
  };
}

const overall = (ctx: ScoreContext): CellBasis => ctx.basis;

/** The headline metrics, in the order of the summary table's columns. */
export const HEADLINE_METRICS = [
  metric({
    key: 'auroc',
    compute: aurocCell,
    basis: overall,
    columns: [
      { header: 'AUROC (DeLong CI)', render: (a) => (a.defined ? `${format.number(a.estimate)}${format.interval(a.delongCi)}` : '—') },
      { header: 'Bootstrap CI', render: (a) => (a.defined && a.bootstrap !== null && a.bootstrap.defined ? format.interval(a.bootstrap.ci).trim() : '—') },
    ],
  }),
  metric({
    key: 'averagePrecision',
    compute: (ctx) => estimateCell(averagePrecision(ctx.values, ctx.labels)),
    basis: overall,
    columns: [{ header: 'Average precision', render: (v) => format.estimate(v) }],
  }),
  metric({
    key: 'calibration',
    compute: calibrationCell,
    basis: overall,
    columns: [
      { header: 'O/E', render: (c) => (c.defined ? format.estimate(c.observedExpected, 3, false) : '—') },
      { header: 'Calibration-in-the-large', render: (c) => (c.defined ? format.estimate(c.calibrationInTheLarge) : '—') },
      { header: 'Slope', render: (c) => (c.defined ? format.estimate(c.slope) : '—') },
      { header: 'Brier', render: (c) => (c.defined ? format.estimate(c.brier, 4, false) : '—') },
      { header: 'Eavg', render: (c) => (c.defined ? format.estimate(c.eavg, 4, false) : '—') },
    ],
  }),
] as const;

/** Every headline key has exactly one entry (a compile-time check). */
type Covered = (typeof HEADLINE_METRICS)[number]['key'];
const everyKey: Record<Exclude<HeadlineKey, Covered>, never> = {};
void everyKey;

/** The headline cells of one score, each released on its own basis. Runs the registry in order. */
export function headlines(ctx: ScoreContext, sdc: Disclosure): Pick<ScoreSection, HeadlineKey> {
  const release = <K extends HeadlineKey>(m: HeadlineMetric<K>): ScoreSection[K] => sdc.release(m.compute(ctx, sdc), m.basis(ctx));
  const out: Partial<Record<HeadlineKey, unknown>> = {};
  for (const m of HEADLINE_METRICS) out[m.key] = release<typeof m.key>(m as HeadlineMetric<typeof m.key>);
  return out as Pick<ScoreSection, HeadlineKey>;
}

/** The rendered columns of one headline metric for one score: "‹suppressed›" for a suppressed cell. */
export function renderHeadline<K extends HeadlineKey>(m: HeadlineMetric<K>, section: ScoreSection, suppressed: string): string[] {
  const value: ScoreSection[K] = section[m.key];
  if (isSuppressed(value)) return m.columns.map(() => suppressed);
  return m.columns.map((c) => c.render(value as Released<K>));
}
