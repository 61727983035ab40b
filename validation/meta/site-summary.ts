/**
 * A site summary (`ewskit.summary/1`): one site's released estimates, each with its patient-clustered standard error
 * on the scale a meta-analysis pools on (Debray et al., BMJ 2017;356:i6460; Snell et al., Stat Methods Med Res 2018):
 * logit AUROC, log O/E, the calibration intercept and slope, logit sensitivity and specificity at each alerting rule,
 * and net benefit — with the site's case mix (Table 1), its flow counts, settings and provenance. It is made from a
 * study run under disclosure control: a value the report suppressed is not in the summary (it says so), and the
 * summary's disclosure block is the report's, so the file is an output an output checker can release.
 *
 * Standard errors: for the bootstrapped measures, the standard deviation of the transformed bootstrap replicates
 * (the same Poisson or multinomial resamples of patients as the report's intervals); the calibration intercept and
 * slope from their cluster-robust (sandwich) interval; without a bootstrap, AUROC by the delta method on Obuchowski's
 * clustered SE, and the other measures are undefined (reason `no-bootstrap`).
 */
import { isSuppressed } from '../disclosure/disclosure.js';
import { qnorm } from '../stats/normal.js';
import { logit } from '../metrics/calibration.js';
import type {
  CharacteristicsSection,
  CohortSection,
  DisclosureSummary,
  FlowSection,
  ReportSettings,
  TripodSection,
  ValidationReport,
} from '../report/types.js';
import { runStudy } from '../study/validate.js';
import type { StudyRun } from '../study/validate.js';
import type { ValidateOptions } from '../study/options.js';
import { sampleStandardDeviation } from 'simple-statistics';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { packGrids } from '../study/packed-counts.js';
import { packAlertCounts } from '../study/packed-alerts.js';
import type { CaseMixCell } from './membership.js';
import { caseMixMoments } from './membership.js';
import { unitCounts } from '../study/units.js';
import { probabilisticIds, scoreCountGrids } from '../study/count-grids.js';
import { redScoreId, setCountInput } from '../study/count-tables.js';
import { characteristicCounts } from '../study/characteristic-counts.js';
import { flowCounts } from '../study/flow-counts.js';
import { pairCounts } from '../study/pair-counts.js';
import type { SharedCountTables } from './one-stage.js';

/** The schema id of site summaries this version writes. */
export const SUMMARY_SCHEMA = 'ewskit.summary/1';

/** What a measure is, and the scale it is pooled on. */
export const SITE_MEASURES = ['auroc', 'oe', 'citl', 'slope', 'sensitivity', 'specificity', 'netBenefit'] as const;
export type SiteMeasureName = (typeof SITE_MEASURES)[number];

export type PoolingScale = 'logit' | 'log' | 'identity';

/** The scale each measure is pooled on. */
export const POOLING_SCALE: Readonly<Record<SiteMeasureName, PoolingScale>> = {
  auroc: 'logit',
  oe: 'log',
  citl: 'identity',
  slope: 'identity',
  sensitivity: 'logit',
  specificity: 'logit',
  netBenefit: 'identity',
};

/** A measure's value at the site: on its own scale (`estimate`, `ci` as the report gave them) and on the pooling scale (`y`, `se`). */
export interface DefinedSiteValue {
  readonly defined: true;
  readonly estimate: number;
  readonly ci: readonly [number, number] | null;
  readonly y: number;
  readonly se: number;
  /** How `se` was obtained. */
  readonly seMethod: string;
}

export interface UndefinedSiteValue {
  readonly defined: false;
  readonly reason: string;
  readonly message: string;
}

export interface SiteMeasure {
  /** The score's id. */
  readonly score: string;
  readonly measure: SiteMeasureName;
  /** The alerting rule (threshold measures and net benefit), e.g. "NEWS2 ≥ 5 (medium)". */
  readonly rule: string | null;
  /** The threshold probability of a net benefit. */
  readonly threshold: number | null;
  readonly scale: PoolingScale;
  readonly value: DefinedSiteValue | UndefinedSiteValue;
}

/** One site's summary: aggregates only, through the report's disclosure control. */
export interface SiteSummary {
  readonly schema: typeof SUMMARY_SCHEMA;
  readonly site: string;
  /** What the file holds, for an output checker: whether it carries count tables, in words. */
  readonly header: { readonly countTables: boolean; readonly statement: string };
  readonly reportSchema: ValidationReport['schema'];
  readonly settings: ReportSettings;
  readonly definitions: TripodSection['definitions'];
  readonly ewskitVersion: string;
  readonly dataDates: TripodSection['dataDates'];
  readonly disclosure: DisclosureSummary;
  readonly cohort: CohortSection;
  readonly flow: FlowSection;
  readonly characteristics: CharacteristicsSection;
  readonly measures: readonly SiteMeasure[];
  /**
   * The site's case mix as moments (each encounter at its first set: age, comorbidity count, first vital signs — the
   * membership model's variables): encounters, mean and sample covariance (the patients are not released); withheld
   * below the disclosure policy's threshold of patients for a statistic, or when the encounters it leaves out are 1 to
   * threshold − 1. What `combine` measures each site's distance from the others with.
   * Absent in summaries from ewskit 0.2.
   */
  readonly caseMix?: CaseMixCell;
  /**
   * The study's count tables (`score_counts`, no grouping, the study's Poisson replicates; Table 1's
   * `characteristics`; the flow's counts) and the value rules it planned, when asked for (`countTables: true`): what one-stage pooling adds. Row-level enough to need a governance
   * agreement that allows sharing them; outside the report's disclosure control.
   */
  readonly countTables?: SharedCountTables;
}

type Transform = (x: number) => number;
const TRANSFORM: Readonly<Record<PoolingScale, Transform>> = { logit, log: Math.log, identity: (x) => x };

/** A released estimate cell of the report as the summary reads it: defined with an estimate and interval, or why not. */
type ReportEstimate = { defined?: boolean; estimate?: number; ci?: readonly [number, number] | null; reason?: string; message?: string };

const undefinedValue = (reason: string, message: string): UndefinedSiteValue => ({ defined: false, reason, message });

/** The SD of the transformed replicates that are finite; null when fewer than 2. */
function replicateSe(replicates: Float64Array, f: Transform): number | null {
  const t = Array.from(replicates, f).filter((x) => Number.isFinite(x));
  return t.length < 2 ? null : sampleStandardDeviation(t);
}

/**
 * A bootstrapped measure: the released cell's estimate and interval, the SE of the transformed replicates of `stat`.
 * Undefined when the report suppressed or could not define it, or when it sits on the scale's edge (a sensitivity of 1
 * has no logit).
 */
function bootstrapped(run: StudyRun, cell: unknown, stat: string, column: number, scale: PoolingScale): DefinedSiteValue | UndefinedSiteValue {
  if (isSuppressed(cell)) return undefinedValue('suppressed', `withheld by the disclosure rule "${cell.rule}"`);
  const c = cell as ReportEstimate;
  if (c.defined !== true || c.estimate === undefined) return undefinedValue(c.reason ?? 'undefined', c.message ?? 'undefined at this site');
  const f = TRANSFORM[scale];
  const y = f(c.estimate);
  if (!Number.isFinite(y)) return undefinedValue('boundary', `${c.estimate} has no ${scale} (on the edge of its range): kept out of pooling`);
  if (run.intervals === null) return undefinedValue('no-bootstrap', 'no bootstrap was run (B = 0): no clustered standard error');
  const se = replicateSe(run.intervals.replicates.of(stat, run.intervals.overall, column), f);
  if (se === null || !(se > 0)) return undefinedValue('no-variation', 'fewer than 2 defined bootstrap replicates, or none that differ');
  return {
    defined: true,
    estimate: c.estimate,
    ci: c.ci ?? null,
    y,
    se,
    seMethod: `SD of the ${scale} of ${run.intervals.replicates.B} patient-clustered bootstrap replicates`,
  };
}

/** A calibration intercept or slope: SE from its cluster-robust (sandwich) Wald interval. */
function sandwich(cell: unknown, level: number): DefinedSiteValue | UndefinedSiteValue {
  const c = cell as ReportEstimate;
  if (c.defined !== true || c.estimate === undefined) return undefinedValue(c.reason ?? 'undefined', c.message ?? 'undefined at this site');
  if (c.ci === null || c.ci === undefined) return undefinedValue('no-interval', 'no interval at this site');
  const se = (c.ci[1] - c.ci[0]) / (2 * qnorm(1 - (1 - level) / 2));
  return { defined: true, estimate: c.estimate, ci: c.ci, y: c.estimate, se, seMethod: 'cluster-robust (sandwich) standard error' };
}

/** AUROC: bootstrap SE of logit AUROC; without a bootstrap, Obuchowski's clustered SE by the delta method. */
function aurocValue(run: StudyRun, cell: unknown, column: number): DefinedSiteValue | UndefinedSiteValue {
  if (run.intervals !== null || isSuppressed(cell)) return bootstrapped(run, cell, 'auroc', column, 'logit');
  const c = cell as ReportEstimate & { obuchowski?: { defined: boolean; se?: number } };
  if (c.defined !== true || c.estimate === undefined || c.obuchowski?.defined !== true || c.obuchowski.se === undefined)
    return bootstrapped(run, cell, 'auroc', column, 'logit');
  const a = c.estimate;
  if (!(a > 0 && a < 1)) return undefinedValue('boundary', `${a} has no logit: kept out of pooling`);
  return { defined: true, estimate: a, ci: c.ci ?? null, y: logit(a), se: c.obuchowski.se / (a * (1 - a)), seMethod: 'Obuchowski clustered SE, delta method' };
}

/** The measures of every score of a study. */
function measures(run: StudyRun): SiteMeasure[] {
  const { report, plans } = run;
  const out: SiteMeasure[] = [];
  const level = report.settings.level;
  let firstRule = 0;
  report.scores.forEach((section, s) => {
    const plan = plans[s];
    const add = (measure: SiteMeasureName, value: DefinedSiteValue | UndefinedSiteValue, rule: string | null = null, threshold: number | null = null) =>
      out.push({ score: section.id, measure, rule, threshold, scale: POOLING_SCALE[measure], value });
    add('auroc', aurocValue(run, section.auroc, s));
    const cal = section.calibration;
    if (section.kind === 'model' && !isSuppressed(cal) && cal.defined && !cal.modelUpdating) {
      add('oe', bootstrapped(run, cal.observedExpected, 'oe', s, 'log'));
      add('citl', sandwich(cal.calibrationInTheLarge, level));
      add('slope', sandwich(cal.slope, level));
    } else if (section.kind === 'model') {
      const why = isSuppressed(cal)
        ? undefinedValue('suppressed', `withheld by "${cal.rule}"`)
        : undefinedValue('undefined', 'calibration undefined at this site');
      for (const m of ['oe', 'citl', 'slope'] as const) add(m, why);
    }
    (plan?.rules ?? []).forEach((rule, k) => {
      const j = firstRule + k;
      const row = section.thresholds[k];
      const column = rule.column;
      add('sensitivity', bootstrapped(run, row?.sensitivity, `sensitivity#${j}`, column, 'logit'), rule.label);
      add('specificity', bootstrapped(run, row?.specificity, `specificity#${j}`, column, 'logit'), rule.label);
      report.settings.netBenefitThresholds.forEach((pt, i) => {
        const nb = section.netBenefit.find((r) => r.rule === rule.label && r.threshold === pt);
        const cell =
          nb === undefined ? undefinedValue('undefined', 'net benefit undefined at this site') : isSuppressed(nb.cell) ? nb.cell : nb.cell.netBenefit;
        add('netBenefit', bootstrapped(run, cell, `nb#${j}#${i}`, column, 'identity'), rule.label, pt);
      });
    });
    firstRule += plan?.rules.length ?? 0;
  });
  return out;
}

/**
 * The count tables of a study run: `score_counts` of its cohort with its Poisson replicates (models' probabilities in
 * buckets of 1/10,000), packed for travel (`packScoreCounts`), and the flow's counts — per group of its first grouping
 * when it has one, and each further grouping's in `moreGroupings`; Table 1's `characteristics`, each pair's joint
 * counts, the scores' definitions and their value rules.
 */
export function countTablesOf(run: StudyRun): SharedCountTables {
  const boot = run.settings.bootstrap;
  if (boot !== null && boot.method !== 'poisson')
    throw new RangeError('summariseSite: count tables need the Poisson bootstrap (bootstrap.method "poisson"): only its replicates add across sites.');
  const scores = run.settings.scores;
  // Per grouping of the study (none: one table), score_counts and the flow kept per group, so one stage can pool the
  // subgroups. Counted on the study's own analysis set (scored and labelled once).
  const flowOptions = {
    censoredNegative: run.settings.outcome.censored === 'negative',
    followUpEndsAtDischarge: run.settings.cohort.encounters !== undefined || run.settings.outcome.encounters !== undefined,
  };
  const grouping = (by: string | undefined) => {
    const { input, definition, group } = setCountInput(
      run.set,
      run.settings,
      // The red-score flags and each pair's common-set scores too (derived): the pooled red-score rule and comparisons.
      { B: boot?.B ?? 0, seed: boot?.seed ?? 0, ...(by === undefined ? {} : { groupBy: by }), derived: true },
      'summariseSite',
    );
    // Counted straight into grids and packed: no object per cell (a model's buckets × B replicates).
    return {
      packed: packGrids(scoreCountGrids(input, definition), definition),
      flow: flowCounts(run.set, run.settings.scores, by === undefined ? null : group, flowOptions),
    };
  };
  const bys = run.settings.groupBy;
  const [first, ...more] = bys.length === 0 ? [grouping(undefined)] : bys.map(grouping);
  const main = first as ReturnType<typeof grouping>;
  // A model's values are buckets, and so are its values on the sets a comparator can also score (`a|b`).
  const models = scores.filter((d) => kindOf(d).probabilistic).map((d) => d.id);
  const probabilistic = probabilisticIds(main.packed.definition.scores, models);
  return {
    scoreCounts: main.packed,
    // The scores' definitions (a points score's public chart; a model's published or fitted terms), so the pooled
    // report reads their cut-offs and red flags.
    definitions: scores,
    // Each pair's joint counts (the paired DeLong test's).
    pairCounts: pairCounts(
      scores,
      scores.map((_, s) => run.set.values[s] as Float64Array),
      run.set.labels,
    ),
    rules: scores.flatMap((def, s) => {
      const red = kindOf(def).redFlag(def);
      return [
        ...(run.plans[s]?.rules ?? []).filter((r) => r.column === s).map((r) => ({ score: def.id, label: r.label, cut: r.cut })),
        ...(red === null ? [] : [{ score: redScoreId(def.id), label: `red score (${red.description})`, cut: 1 }]),
      ];
    }),
    probabilistic,
    leftOut: [],
    // Table 1's count table (every score's inputs: it describes the sets, not the scores).
    characteristics: characteristicCounts(run.settings, run.set),
    // The flow's counts: sets by why they have no label, the analysis set and each score's sets, events and patients.
    flow: (first as ReturnType<typeof grouping>).flow,
    ...(more.length === 0 ? {} : { moreGroupings: more.map((g) => ({ scoreCounts: g.packed, flow: g.flow })) }),
    // The alert measures' counts (each replicate's sums and lead times per rule), packed: the pooled alert measures.
    alertCounts: packAlertCounts(run.alertCounts),
    // Other units of analysis, when the study asked for them: their values, outcomes and within-patient pairs.
    ...(run.settings.units.length === 0 ? {} : { unitCounts: unitCounts(run.settings.units, scores, run.set) }),
  };
}

/** The summary of a study run at `site` (with `countTables`, the tables one-stage pooling adds). */
export function summaryOf(run: StudyRun, site: string, countTables?: SharedCountTables): SiteSummary {
  const { report } = run;
  return {
    schema: SUMMARY_SCHEMA,
    site,
    header: {
      countTables: countTables !== undefined,
      statement:
        countTables === undefined
          ? 'Aggregates only, through the disclosure control of the report it was made from (see disclosure), and the case-mix means and covariances of at least its threshold of patients. Holds no count table and no patient or encounter identifier.'
          : 'Holds the study’s count tables (score_counts: sets per score value and bootstrap replicate; characteristics: units per value of each Table 1 variable; the flow’s counts; the alert measures’ sums per rule and replicate, with the detected episodes per lead time; with other units of analysis, each unit’s values and within-patient pairs of units — small counts included) beside aggregates released under disclosure control and the case-mix means and covariances. Share only where a governance agreement allows count tables; no patient or encounter identifier.',
    },
    reportSchema: report.schema,
    settings: report.settings,
    definitions: report.tripod.definitions,
    ewskitVersion: report.tripod.ewskitVersion,
    dataDates: report.tripod.dataDates,
    disclosure: report.disclosure,
    cohort: report.cohort,
    flow: report.flow,
    characteristics: report.characteristics,
    measures: measures(run),
    caseMix: caseMixMoments(run.settings.cohort.observations, report.disclosure.minCount),
    ...(countTables === undefined ? {} : { countTables }),
  };
}

/**
 * Summarise one site for a multi-site meta-analysis: run the study on the site's cohort and keep its released
 * estimates with their clustered SEs on the pooling scale (logit, log or identity). Runs in the study's time.
 *
 * @param options the study's options (as for `validate`), the site's name, and `countTables: true` to add the study's
 *   count tables (for one-stage pooling; needs the Poisson bootstrap and a governance agreement that allows sharing them)
 * @returns the site summary, schema `ewskit.summary/1`
 * @throws {RangeError} for an empty site name; otherwise as `validate`
 * @example summariseSite({ cohort, scores: [news2], site: 'leicester' }).measures[0].measure; // => 'auroc'
 */
export function summariseSite(options: ValidateOptions & { readonly site: string; readonly countTables?: boolean }): SiteSummary {
  const { site, countTables, ...study } = options;
  if (typeof site !== 'string' || site.trim() === '')
    throw new RangeError(`summariseSite: option "site" expected a non-empty name; received ${JSON.stringify(site)}.`);
  const run = runStudy(study);
  return summaryOf(run, site, countTables === true ? countTablesOf(run) : undefined);
}
