/**
 * Stage 4 of `validate`: per group of each grouping column, the same metrics, and the difference from a reference
 * group with paired patient-clustered bootstrap intervals (a patient is resampled once with all their sets).
 */
import type { Table } from 'apache-arrow';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { groupBootstrap, pairedDifference } from '../bootstrap/group-bootstrap.js';
import { aucStatistic, proportionStatistic } from '../bootstrap/count-statistics.js';
import { auroc } from '../metrics/auroc.js';
import { calibration } from '../metrics/calibration.js';
import { atThreshold } from '../metrics/threshold.js';
import type { EstimateCell, GroupRow, GroupScoreCell, SkinToneBand, SubgroupSection, UndefinedCell } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { columnValues } from './analysis-set.js';
import { arqueroTable } from './columns.js';
import { bootstrapCell, estimateCell, proportionCell, undefinedCell } from './cells.js';
import type { Settings } from './options.js';

/** The band of a Monk skin tone, or null. */
function bandOf(tone: number, bands: readonly SkinToneBand[]): string | null {
  return bands.find((b) => tone >= b.min && tone <= b.max)?.label ?? null;
}

/** The group label of each scored row for a grouping column (an observation column, or a patient column joined by patient_id). */
function groupLabels(column: string, set: AnalysisSet, patients: Table | undefined, bands: readonly SkinToneBand[]): (string | null)[] {
  const band = column === 'skin_tone_band';
  const source = band ? 'skin_tone' : column;
  let values = columnValues(set.scored, source);
  if (values === null && patients !== undefined && patients.getChild('patient_id') !== null && patients.getChild(source) !== null) {
    // A patient attribute, joined onto every observation set by patient id.
    const sets = arqueroTable(set.scored, ['patient_id']);
    values = sets.lookup(arqueroTable(patients, ['patient_id', source]), 'patient_id', source).array(source) as unknown[];
  }
  if (values === null) throw new TypeError(`validate: option "groupBy" names "${column}", which is in neither the observations nor the patients table.`);
  return values.map((v) => {
    if (v === null || v === undefined) return null;
    return band ? bandOf(Number(v), bands) : String(v);
  });
}

/** The metrics of one score on one group's rows. */
interface GroupStats {
  readonly auroc: EstimateCell | UndefinedCell;
  readonly sensitivity: ReturnType<typeof proportionCell>;
  readonly calibrationInTheLarge: EstimateCell | UndefinedCell;
  readonly observedExpected: EstimateCell | UndefinedCell;
}

function groupStats(set: AnalysisSet, rows: readonly number[], s: number, cut: number | null, level: number): GroupStats {
  const values = set.values[s] ?? new Float64Array(0);
  const probabilities = set.probabilities[s] ?? new Float64Array(0);
  const x = rows.map((k) => values[k] ?? Number.NaN);
  const y = rows.map((k) => set.labels[k] ?? 0);
  const a = auroc(x, y, { level });
  const t = cut === null ? null : atThreshold(x, y, cut, { level });
  const cal = calibration(
    rows.map((k) => probabilities[k] ?? Number.NaN),
    y,
    { level },
  );
  return {
    auroc: estimateCell(a.defined ? { defined: true, estimate: a.estimate, ci: a.ci } : a),
    sensitivity:
      t === null
        ? { defined: false, reason: 'no-cut', message: 'validate: the score has no clinical cut-off' }
        : t.defined
          ? proportionCell(t.sensitivity)
          : undefinedCell(t),
    calibrationInTheLarge: cal.defined ? estimateCell(cal.calibrationInTheLarge) : undefinedCell(cal),
    observedExpected: cal.defined ? estimateCell(cal.observedExpected) : undefinedCell(cal),
  };
}

/** One grouping column's section. Runs in O(n log n · groups · scores) plus the bootstrap. */
function subgroupSection(column: string, settings: Settings, set: AnalysisSet): SubgroupSection {
  const { scores, level, disclosure: sdc } = settings;
  const byRow = groupLabels(column, set, settings.cohort.patients, settings.skinToneBands);
  const names = [...new Set(set.rows.map((i) => byRow[i] ?? null).filter((g): g is string => g !== null))].sort();
  const group = Int32Array.from(set.rows, (i) => {
    const g = byRow[i];
    return g === null || g === undefined ? names.length : names.indexOf(g);
  });
  const members: number[][] = names.map(() => []);
  group.forEach((g, k) => members[g]?.push(k));
  const patientsIn = members.map((ks) => new Set(ks.map((k) => set.patient[k])).size);
  const eventPatientsIn = members.map((ks) => new Set(ks.filter((k) => set.labels[k] === 1).map((k) => set.patient[k])).size);
  const eventsIn = members.map((ks) => ks.reduce((t, k) => t + (set.labels[k] ?? 0), 0));
  const largest = names[patientsIn.indexOf(Math.max(...patientsIn))] ?? '';
  const reference = settings.reference[column] ?? largest;
  const ref = names.indexOf(reference);
  if (ref < 0) throw new RangeError(`validate: option "reference.${column}" names "${reference}", which is not a group (${names.join(', ')}).`);
  const cuts = scores.map((d) => kindOf(d).clinicalCuts(d)[0]?.cut ?? null);
  const boot = settings.bootstrap;
  const reps =
    boot === null
      ? null
      : groupBootstrap({
          scores: set.values,
          labels: set.labels,
          patient: set.patient,
          patients: set.patients,
          group,
          groups: names.length + 1,
          statistics: { auroc: aucStatistic, sensitivity: proportionStatistic('sensitivity', cuts) },
          B: boot.B,
          seed: boot.seed,
          keep: cuts.map((c) => (c === null ? [] : [c])),
        });
  // Each group's statistics per score, computed once (the reference's are reused for every difference).
  const stats = members.map((ks) => scores.map((_, s) => groupStats(set, ks, s, cuts[s] ?? null, level)));
  const groups = names.map((name, g): GroupRow => {
    const gBasis = { patients: patientsIn[g] ?? 0, events: eventsIn[g] ?? 0 };
    const gEventBasis = { patients: eventPatientsIn[g] ?? 0, events: eventsIn[g] ?? 0 };
    const perScore = scores.map((d, s) => {
      const own = stats[g]?.[s] ?? groupStats(set, [], s, cuts[s] ?? null, level);
      const base = stats[ref]?.[s];
      const difference = (
        stat: 'auroc' | 'sensitivity',
        estimate: EstimateCell | UndefinedCell | undefined,
        refEstimate: EstimateCell | UndefinedCell | undefined,
      ) => {
        if (g === ref || reps === null || estimate === undefined || refEstimate === undefined || !estimate.defined || !refEstimate.defined) return null;
        return bootstrapCell(pairedDifference(reps.of(stat, g, s), reps.of(stat, ref, s)), estimate.estimate - refEstimate.estimate, level);
      };
      const cell: GroupScoreCell = {
        auroc: own.auroc,
        sensitivity: { cut: cuts[s] ?? null, value: own.sensitivity },
        calibrationInTheLarge: own.calibrationInTheLarge,
        observedExpected: own.observedExpected,
        differenceFromReference: {
          auroc: difference('auroc', own.auroc, base?.auroc),
          sensitivity: difference('sensitivity', own.sensitivity, base?.sensitivity),
        },
      };
      return [d.id, sdc.release(cell, gEventBasis)] as const;
    });
    return {
      group: name,
      patients: sdc.count(patientsIn[g] ?? 0),
      observationSets: sdc.release(members[g]?.length ?? 0, gBasis),
      eventPatients: sdc.count(eventPatientsIn[g] ?? 0),
      positiveSets: sdc.release(eventsIn[g] ?? 0, gEventBasis),
      scores: Object.fromEntries(perScore),
    };
  });
  return { by: column, reference, groups };
}

/** Every grouping column's section. */
export function subgroups(settings: Settings, set: AnalysisSet): SubgroupSection[] {
  return settings.groupBy.map((column) => {
    settings.progress(`subgroups by ${column}`);
    return subgroupSection(column, settings, set);
  });
}
