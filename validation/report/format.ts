/**
 * How the report's numbers are written, shared by every renderer: number and interval formats, and the summary
 * table's columns for each headline metric (the metric is computed in `study/score-metrics.ts`; here is only how it
 * reads).
 */
import { isSuppressed } from '../disclosure/disclosure.js';
import type { EstimateCell, HeadlineKey, HeadlineValue, ScoreSection, UndefinedCell } from './types.js';

/** Number formats shared by the renderers. */
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

/** A column of the summary table. */
export interface MetricColumn<K extends HeadlineKey> {
  readonly header: string;
  render(value: HeadlineValue<K>): string;
}

/** What the calibration columns show for a points score: see its observed risk per score value instead. */
const UPDATED = 'n/a (points score: see observed risk)';

/** The summary table's columns of each headline metric, in column order (every key, checked by the type). */
export const HEADLINE_COLUMNS: { readonly [K in HeadlineKey]: readonly MetricColumn<K>[] } = {
  auroc: [
    { header: 'AUROC (clustered CI)', render: (a) => (a.defined ? `${format.number(a.estimate)}${format.interval(a.ci)}` : '—') },
    { header: 'Obuchowski CI', render: (a) => (a.defined && a.obuchowski.defined ? format.interval(a.obuchowski.ci).trim() : '—') },
    { header: 'DeLong CI (naive)', render: (a) => (a.defined ? format.interval(a.naive.ci).trim() : '—') },
  ],
  averagePrecision: [{ header: 'Average precision (clustered CI)', render: (v) => format.estimate(v) }],
  calibration: [
    // A points score's recalibration is model updating: its O/E, intercept and slope are true by construction.
    { header: 'O/E (clustered CI)', render: (c) => (c.defined && !c.modelUpdating ? format.estimate(c.observedExpected) : UPDATED) },
    { header: 'Calibration-in-the-large', render: (c) => (c.defined && !c.modelUpdating ? format.estimate(c.calibrationInTheLarge) : UPDATED) },
    { header: 'Slope', render: (c) => (c.defined && !c.modelUpdating ? format.estimate(c.slope) : UPDATED) },
    { header: 'Brier', render: (c) => (c.defined ? format.estimate(c.brier, 4, false) : '—') },
    { header: 'Eavg', render: (c) => (c.defined && !c.modelUpdating ? format.estimate(c.eavg, 4, false) : UPDATED) },
  ],
};

/** The headline keys in the summary table's column order (the order of `HEADLINE_COLUMNS`). */
export const HEADLINE_KEYS = Object.keys(HEADLINE_COLUMNS) as readonly HeadlineKey[];

/** The summary table's headers after "Score". */
export function headlineHeaders(): string[] {
  return HEADLINE_KEYS.flatMap((k) => HEADLINE_COLUMNS[k].map((c) => c.header));
}

function renderOne<K extends HeadlineKey>(key: K, section: ScoreSection, suppressed: string): string[] {
  const columns: readonly MetricColumn<K>[] = HEADLINE_COLUMNS[key];
  const value = section[key];
  if (isSuppressed(value)) return columns.map(() => suppressed);
  return columns.map((c) => c.render(value as HeadlineValue<K>));
}

/** The rendered headline columns of one score ("‹suppressed›" for each column of a suppressed cell). */
export function renderHeadlines(section: ScoreSection, suppressed: string): string[] {
  return HEADLINE_KEYS.flatMap((k) => renderOne(k, section, suppressed));
}
