/**
 * The validation harness: score a cohort, label outcomes, and report — for each score, each pair of scores and each
 * subgroup — discrimination, calibration, threshold metrics and net benefit, with DeLong and patient-clustered
 * bootstrap intervals, under disclosure control. A short pipeline of named stages, each in its own file:
 *
 *   resolveSettings → analysisSet → scoreSection (per score) → comparisons → subgroups → units → cohortTable
 *   → alerts → flow → characteristics → outcomeRows → missingData → tripod
 *
 * The report is a versioned, JSON-serialisable object (schema `ewskit.report/11`, docs/report.md) holding aggregates only.
 */
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import { BOOTSTRAP_RESOLUTION } from '../bootstrap/group-bootstrap.js';
import type { ReportSettings, ValidationReport } from '../report/types.js';
import { REPORT_SCHEMA } from '../report/types.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { AlertCountTable } from './alerts.js';
import { alertsSection, alertTable } from './alerts.js';
import type { AnalysisSet } from './analysis-set.js';
import { analysisSet } from './analysis-set.js';
import { characteristics } from './characteristics.js';
import { cohortTable } from './cohort-table.js';
import { flow } from './flow.js';
import { missingData, outcomeRows, tripod } from './outcomes-missing-tripod.js';
import { comparisons } from './comparisons.js';
import { planIntervals, studyIntervals } from './intervals.js';
import type { ScoreIntervalsPlan, StudyIntervals } from './intervals.js';
import { scoreView } from './analysis-set.js';
import type { Settings, ValidateOptions } from './options.js';
import { resolveSettings } from './options.js';
import { scoreSection } from './score-sections.js';
import { GROUP_CONTRASTS, groupCoding, subgroups } from './subgroups.js';
import { units } from './units.js';
import type { SetLabels } from '../outcomes/label-outcomes.js';

/** Where follow-up ends, in words: discharge (for in-hospital outcomes a discharge alive is no event), and the extract's end. */
function followUpEnds(s: Settings, labelled: SetLabels): string {
  const encounters = s.outcome.encounters !== undefined || s.cohort.encounters !== undefined;
  const end = labelled.extractEnd === null ? null : new Date(labelled.extractEnd).toISOString();
  const atEnd =
    end === null
      ? 'the extract holds no time: no set is censored'
      : `at the extract's end (${end}${labelled.extractEndInferred ? ', inferred: the latest time in the extract' : ''}) for an encounter still open`;
  const atDischarge =
    (s.outcome.followUp ?? 'in-hospital') === 'linked'
      ? 'at discharge (censored: outcomes after discharge are linked, not in the extract)'
      : 'at discharge (an in-hospital outcome: discharge alive within the horizon is no event, a negative)';
  return encounters ? `${atDischarge}, or ${atEnd}` : `${atEnd} (no encounters table: no discharge time)`;
}

/** How the subgroup family was handled (`settings.multiplicity`). */
interface Family {
  readonly contrasts: number;
  readonly candidates: number;
  readonly minimumB: number;
  readonly raisedB: boolean;
}

function reportSettings(s: Settings, family: Family, labelled: SetLabels, undefinedReplicates: Readonly<Record<string, number>>): ReportSettings {
  const B = s.bootstrap?.B ?? null;
  const smallestAdjustedP = B === null || family.contrasts === 0 ? null : Math.min(1, (2 * family.contrasts) / (B + 1));
  const alpha = 1 - s.level;
  return {
    scores: s.scores.map((d) => ({ id: d.id, name: d.name, version: d.version, kind: d.kind })),
    outcome: {
      horizonHours: s.horizonHours,
      eventTypes: s.outcome.eventTypes ?? 'all',
      unit: 'observation set',
      otherUnits: s.units,
      followUp: s.outcome.followUp ?? 'in-hospital',
      censoring: {
        followUpEnds: followUpEnds(s, labelled),
        censored: s.outcome.censored ?? 'exclude',
        extractEnd: labelled.extractEnd === null ? null : new Date(labelled.extractEnd).toISOString(),
        inferred: labelled.extractEndInferred,
      },
      excludeBeforeEventMinutes: s.outcome.excludeBeforeEventMinutes ?? 0,
    },
    groupBy: s.groupBy,
    bootstrap:
      s.bootstrap === null
        ? false
        : {
            B: s.bootstrap.B,
            seed: s.bootstrap.seed,
            method: s.bootstrap.method,
            resampling: RESAMPLING[s.bootstrap.method],
            valueResolution: `continuous scores in ${BOOTSTRAP_RESOLUTION.toLocaleString('en-GB')} rank buckets (cut-offs kept exact)`,
          },
    level: s.level,
    recalibration: { method: s.recalibrationMethod, folds: s.recalibrationFolds, seed: s.recalibrationSeed },
    netBenefitThresholds: s.netBenefitThresholds,
    skinToneBands: s.skinToneBands,
    intervals: {
      method: s.bootstrap === null ? 'none (AUROC: Obuchowski, clustered by patient)' : 'patient-clustered bootstrap (percentile)',
      cluster: s.cluster,
      naive: 'DeLong and Wilson intervals assume independent observation sets: too narrow with repeated sets per patient; for reference only',
      undefinedReplicates,
    },
    pooling: s.pooling,
    multiplicity: {
      contrasts: family.contrasts,
      candidates: family.candidates,
      method: 'Holm',
      pValue: 'two-sided paired bootstrap, 2 (k + 1) / (B + 1); Holm over the released contrasts; simultaneous intervals by the bootstrap max-T',
      smallestAdjustedP,
      minimumB: family.minimumB,
      raisedB: family.raisedB,
    },
    warnings: [
      ...s.warnings,
      ...Object.entries(undefinedReplicates)
        .filter(([, n]) => B !== null && n > 0)
        .map(
          ([stat, n]) =>
            `${n.toLocaleString('en-GB')} of ${(B ?? 0).toLocaleString('en-GB')} bootstrap replicates left ${stat} undefined for some score or rule (a resample without an event or a non-event): its interval is over the defined replicates only`,
        ),
      ...(family.raisedB && B !== null
        ? [`B raised to ${B.toLocaleString('en-GB')} so that the ${family.candidates} subgroup contrasts can reach the level after Holm's adjustment`]
        : []),
      ...(smallestAdjustedP !== null && smallestAdjustedP > alpha / 2
        ? [
            `with B = ${(B ?? 0).toLocaleString('en-GB')} the smallest Holm-adjusted p of the ${family.contrasts} subgroup contrasts is ${smallestAdjustedP.toFixed(3)}, above α/2 = ${(alpha / 2).toFixed(3)}: no subgroup difference can reach the level; give B ≥ ${family.minimumB.toLocaleString('en-GB')}`,
          ]
        : []),
      ...(labelled.openEncounters > 0 && labelled.extractEndInferred
        ? [
            `encounters without a discharge time (counted in Table 1) are followed to the extract's end, inferred as the latest time in the extract (${new Date(labelled.extractEnd ?? 0).toISOString()}): state the extract's end (extractEnd, --extract-end) if it is another`,
          ]
        : []),
    ],
  };
}

/** How each bootstrap method resamples, in words (the report's `settings.bootstrap.resampling`). */
const RESAMPLING: Readonly<Record<BootstrapMethod, string>> = {
  multinomial: 'patients drawn with replacement, each with all their sets',
  poisson: 'each patient weighted Poisson(1), the weight a hash of (patient id, replicate, seed): the same replicates in any order, partition or engine',
};

/**
 * Validate one or more scores on a cohort. Runs in O(n log n + B · (patients + table entries)) for the bootstrap.
 *
 * @param options cohort tables, scores, outcome (horizon, event types), groupBy, reference groups, bootstrap,
 *   disclosure, level, units, and the policies (recalibration folds, net-benefit thresholds, skin-tone bands)
 * @returns the report object (schema `ewskit.report/11`)
 * @throws {TypeError} for a cohort without the columns a score or grouping needs; {RangeError} for bad options
 * @example validate({ cohort, scores: [news2, apolloStyle], groupBy: ['ethnicity'] }).comparisons[0];
 */
export function validate(options: ValidateOptions): ValidationReport {
  return runStudy(options).report;
}

/** What a study leaves besides its report: the settings it ran with, its interval plans and bootstrap (for site summaries). */
export interface StudyRun {
  readonly report: ValidationReport;
  readonly settings: Settings;
  /** The analysis set the report was computed on (the site summary's count tables read it). */
  readonly set: AnalysisSet;
  readonly plans: readonly ScoreIntervalsPlan[];
  readonly intervals: StudyIntervals | null;
  /** The alert measures' count table (the site summary shares it). */
  readonly alertCounts: AlertCountTable;
}

/** {@link validate}, keeping the bootstrap's replicates and the plans beside the report (internal: `summariseSite` reads them). */
export function runStudy(options: ValidateOptions): StudyRun {
  const resolved = resolveSettings(options);
  const set = analysisSet(resolved);
  // The subgroup family: every group but the reference × score × GROUP_CONTRASTS (AUROC, sensitivity, calibration
  // intercept and slope). With 2 (k + 1) / (B + 1)
  // p-values, Holm's smallest adjusted p is 2 m / (B + 1); it must be below α / 2 for any contrast to reach the level.
  const candidates = resolved.groupBy.reduce(
    (t, column) => t + (groupCoding(column, resolved, set).names.length - 1) * resolved.scores.length * GROUP_CONTRASTS.length,
    0,
  );
  const minimumB = candidates === 0 ? 0 : Math.ceil((4 * candidates) / (1 - resolved.level));
  const boot = resolved.bootstrap;
  const raisedB = boot !== null && !boot.given && boot.B < minimumB;
  const settings: Settings = raisedB ? { ...resolved, bootstrap: { ...boot, B: Math.min(minimumB, 100_000) } } : resolved;
  const { scores, level, disclosure: sdc, progress } = settings;

  // The overall bootstrap: every headline interval of every score from the same resamples of patients.
  const plans = planIntervals(scores, set, settings);
  // The first grouping shares the study's bootstrap pass (the same resamples; one sweep over the entries).
  const first = settings.groupBy[0];
  const coding = first === undefined || settings.bootstrap === null ? null : groupCoding(first, settings, set);
  const intervals = studyIntervals(settings, set, plans, coding);
  let nextRule = 0;

  // The flow first: its counts are the cells the other tables share (the same number, the same cell).
  progress('flow');
  const flowSection = flow(settings, set);
  progress('metrics per score');
  const scoreSections = scores.map((def, s) => {
    const plan = plans[s] ?? { rules: [], ranges: [], curve: [] };
    const ruleIndex = plan.rules.map(() => nextRule++);
    // The score on its own analysable sets.
    const view = scoreView(set, s);
    // Each rule alerts on the score's value, or on its red-score flag, over the same sets.
    const ruleValues = plan.rules.map((rule) => (rule.column === s ? view.values : (view.redFlag ?? new Float64Array(view.values.length))));
    return scoreSection(
      {
        def,
        index: s,
        values: view.values,
        probabilities: view.probabilities,
        probabilistic: kindOf(def).probabilistic,
        labels: view.labels,
        cluster: view.cluster,
        level,
        recalibrationFolds: settings.recalibrationFolds,
        recalibrationMethod: settings.recalibrationMethod,
        intervals,
        basis: view.basis,
      },
      sdc,
      {
        plan,
        ruleIndex,
        ruleValues,
        netBenefitThresholds: settings.netBenefitThresholds,
        view,
        flow: flowSection.scores[s] ?? { excluded: [], analysed: flowSection.labelled },
      },
    );
  });
  const pairs = comparisons(scores, set, intervals, sdc, level, set.basis, {
    B: settings.bootstrap?.B ?? 0,
    seed: settings.bootstrap?.seed ?? 1,
    method: settings.bootstrap?.method ?? 'poisson',
    netBenefitThresholds: settings.netBenefitThresholds,
  });
  const groups = subgroups(settings, set, intervals, flowSection);
  const other = units(settings.units, scores, set, sdc, level);
  progress('alert measures');
  const alertCounts = alertTable(settings, set, plans);
  const alertSection = alertsSection(alertCounts, (s) => flowSection.scores[s]?.analysed.sets, sdc, level);
  progress('Table 1 and outcomes');
  const outcomes = outcomeRows(settings, set);
  const cohort = cohortTable(settings, set, flowSection, outcomes.chosenEvents);
  const reported = reportSettings(
    settings,
    { contrasts: groups.contrasts, candidates, minimumB, raisedB },
    set.labelled,
    intervals?.undefinedReplicates() ?? {},
  );
  const sections = {
    flow: flowSection,
    characteristics: characteristics(settings, set, flowSection),
    outcomes: outcomes.rows,
    missingData: missingData(settings, set, flowSection),
    tripod: tripod(settings, set, reported),
  };
  // Every cell is decided here, once, against the whole report: primary and secondary suppression, rounding.
  const report = sdc.resolve({
    schema: REPORT_SCHEMA as typeof REPORT_SCHEMA,
    settings: reported,
    cohort,
    scores: scoreSections,
    comparisons: pairs,
    subgroups: groups.sections,
    units: other,
    alerts: alertSection,
    ...sections,
  });
  return { report: { ...report, disclosure: sdc.summary() }, settings, set, plans, intervals, alertCounts };
}

export type { ValidateOptions };
