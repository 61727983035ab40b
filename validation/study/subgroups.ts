/**
 * Stage 4 of `validate`: per group of each grouping column, the same metrics, and the difference from a reference
 * group with paired patient-clustered bootstrap intervals (a patient is resampled once with all their sets).
 */
import { kindOf } from '../../scores/kinds/kind-of.js';
import { obuchowskiAuroc } from '../bootstrap/cluster.js';
import type { Replicates } from '../bootstrap/group-bootstrap.js';
import type { Disclosure } from '../disclosure/disclosure.js';
import { isSuppressed } from '../disclosure/disclosure.js';
import { groupBootstrap, pairedDifference, percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { CalibrationKind } from '../bootstrap/count-statistics.js';
import { aucStatistic, calibrationStatistic, proportionStatistic } from '../bootstrap/count-statistics.js';
import { fitLogisticCounts } from '../stats/logistic-counts.js';
import { logit } from '../metrics/calibration.js';
import { sampleStandardDeviation } from 'simple-statistics';
import { quantile7 } from '../stats/sorted.js';
import { auroc } from '../metrics/auroc.js';
import { atThreshold } from '../metrics/threshold.js';
import type { Ci, EstimateCell, FlowSection, GroupRow, GroupScoreCell, SkinToneBand, SubgroupSection, UndefinedCell } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { rowAttribute } from './attributes.js';
import { conditionGroup } from '../codes/conditions.js';
import { nhsEthnicGroup } from '../codes/ethnic-category.js';
import { clusteredCell, contrastCell, holm, undefinedCell } from './cells.js';
import type { GroupCoding, StudyIntervals } from './intervals.js';
import { calibrationKinds } from './intervals.js';
import type { Settings } from './options.js';

/** The band of a Monk skin tone, or null. */
function bandOf(tone: number, bands: readonly SkinToneBand[]): string | null {
  return bands.find((b) => tone >= b.min && tone <= b.max)?.label ?? null;
}

/** How a grouping's label is made from a column: as it is, or derived (bands, census groups, conditions). */
export type GroupDerivation = 'plain' | 'skin-tone' | 'nhs-2001' | 'nhs-2021' | 'condition';

/**
 * The column a (single) grouping reads and how its label is derived: `skin_tone_band` bands `skin_tone` (the
 * Monk scale); `nhs_ethnic_group` and `nhs_ethnic_group_2021` group the NHS ethnic category codes (`ethnic_category`)
 * by the 2001 or 2021 census; `condition` groups the ICD-10 primary diagnosis (`primary_diagnosis`) as COPD, sepsis,
 * heart failure or other; any other name is a column read as it is.
 *
 * @example groupingSource('nhs_ethnic_group'); // => { source: 'ethnic_category', derive: 'nhs-2001' }
 */
export function groupingSource(column: string): { readonly source: string; readonly derive: GroupDerivation } {
  if (column === 'skin_tone_band') return { source: 'skin_tone', derive: 'skin-tone' };
  if (column === 'nhs_ethnic_group') return { source: 'ethnic_category', derive: 'nhs-2001' };
  if (column === 'nhs_ethnic_group_2021') return { source: 'ethnic_category', derive: 'nhs-2021' };
  if (column === 'condition') return { source: 'primary_diagnosis', derive: 'condition' };
  return { source: column, derive: 'plain' };
}

/**
 * The group label of each scored row for a grouping column (an observation column, or a patient or encounter column
 * joined by id). Several columns joined by commas ("ethnicity,sex") make intersectional groups ("Asian × F"); a row
 * missing any of them has no group.
 */
export function groupLabels(
  column: string,
  set: Pick<AnalysisSet, 'scored' | 'patientIds'>,
  cohort: Settings['cohort'],
  bands: readonly SkinToneBand[],
): (string | null)[] {
  // The flow, Table 1 and the subgroups all ask: computed once per table, column and bands.
  let cached = labelCache.get(set.scored);
  if (cached === undefined) labelCache.set(set.scored, (cached = new Map()));
  const key = `${column}|${bands.map((b) => `${b.label}:${b.min}-${b.max}`).join(',')}`;
  let labels = cached.get(key);
  if (labels === undefined) cached.set(key, (labels = computeGroupLabels(column, set, cohort, bands)));
  return labels;
}

const labelCache = new WeakMap<object, Map<string, (string | null)[]>>();

function computeGroupLabels(
  column: string,
  set: Pick<AnalysisSet, 'scored' | 'patientIds'>,
  cohort: Settings['cohort'],
  bands: readonly SkinToneBand[],
): (string | null)[] {
  if (column.includes(',')) {
    const parts = column.split(',').map((c) => groupLabels(c.trim(), set, cohort, bands));
    return set.patientIds.map((_, i) => {
      const labels = parts.map((p) => p[i] ?? null);
      return labels.some((l) => l === null) ? null : labels.join(' × ');
    });
  }
  const { source, derive } = groupingSource(column);
  const band = derive === 'skin-tone';
  const census = derive === 'nhs-2001' ? 2001 : derive === 'nhs-2021' ? 2021 : null;
  const condition = derive === 'condition';
  const values = rowAttribute(source, set.scored, cohort);
  if (values === null)
    throw new TypeError(
      `validate: option "groupBy" names "${column}"${source === column ? '' : ` (read from the column "${source}")`}, which is in none of the observations, patients or encounters tables.`,
    );
  return values.map((v) => {
    if (v === null || v === undefined) return null;
    if (census !== null) return nhsEthnicGroup(v, census);
    if (condition) return conditionGroup(v);
    return band ? bandOf(Number(v), bands) : String(v);
  });
}

/** A contrast whose p-value is adjusted for multiplicity once every contrast of the report is known. */
export interface PendingContrast {
  /** The cell in the report, adjusted in place once the family is known. */
  readonly cell: { estimate: number; p: number; adjustedP: number; ci: readonly [number, number]; simultaneousCi: readonly [number, number] };
  /** The paired bootstrap replicates of the difference, for the simultaneous interval. */
  readonly replicates: Float64Array;
  /** Whether disclosure control releases it (the group's and the reference's basis pass): only these form the family. */
  readonly released: boolean;
}

/**
 * AUROC, sensitivity at the first cut and calibration (intercept and slope) of score `s` in group `g`: point estimates
 * with clustered intervals.
 */
function groupScore(
  set: AnalysisSet,
  rows: readonly number[],
  s: number,
  cut: number | null,
  level: number,
  reps: Replicates<GroupStat>,
  g: number,
  kind: CalibrationKind,
) {
  const values = set.values[s] ?? new Float64Array(0);
  const x = rows.map((k) => values[k] ?? Number.NaN);
  const y = rows.map((k) => set.labels[k] ?? 0);
  const interval = (stat: GroupStat): Ci => (reps.B === 0 ? null : (percentileInterval(reps.of(stat, g, s), level)?.ci ?? null));
  const a = auroc(x, y, { level });
  const o =
    reps.B === 0
      ? obuchowskiAuroc(
          x,
          y,
          rows.map((k) => set.cluster[k] ?? -1),
          { level },
        )
      : null;
  const aurocCi = o === null ? interval('auroc') : o.defined ? o.ci : null;
  const t = cut === null ? null : atThreshold(x, y, cut, { level });
  return {
    auroc: a.defined ? { defined: true as const, estimate: a.estimate, ci: aurocCi } : undefinedCell(a),
    sensitivity:
      t === null
        ? undefinedCell({ reason: 'no-cut', message: 'validate: the score has no clinical cut-off' })
        : !t.defined
          ? undefinedCell(t)
          : t.sensitivity.defined
            ? { defined: true as const, estimate: t.sensitivity.estimate, ci: interval('sensitivity') }
            : undefinedCell(t.sensitivity),
    calibrationInTheLarge: clusteredCell(calibrationEstimate('citl', set, rows, s, kind, reps, g), interval('citl'), CALIBRATION_UNDEFINED),
    slope: clusteredCell(calibrationEstimate('slope', set, rows, s, kind, reps, g), interval('slope'), CALIBRATION_UNDEFINED),
    /** The sensitivity's numerator and its complement (true and false negatives' counts), for disclosure. */
    sensitivityCounts: t !== null && t.defined ? [t.tp, t.fn] : [],
  };
}

/** The statistics of the subgroup bootstrap. */
type GroupStat = 'auroc' | 'sensitivity' | 'citl' | 'slope';

/** The paired contrasts of each group and score: the family Holm and the simultaneous intervals run over. */
export const GROUP_CONTRASTS = ['auroc', 'sensitivity', 'calibrationInTheLarge', 'slope'] as const;

const CALIBRATION_UNDEFINED =
  'one outcome class in the group, a points score whose mapping cannot be fitted on the other groups, or a calibration fit that does not converge (separation)';

/**
 * A group's calibration intercept or slope on the data itself. For a model it is fitted on the group's own sets with
 * their exact probabilities (the bootstrap replicates use its rank buckets); for a points score it is the bootstrap's
 * own statistic on the data, exact (a points score's values are never bucketed).
 */
function calibrationEstimate(
  stat: 'citl' | 'slope',
  set: AnalysisSet,
  rows: readonly number[],
  s: number,
  kind: CalibrationKind,
  reps: Replicates<GroupStat>,
  g: number,
): number {
  if (kind !== 'probability') return reps.estimate(stat, g, s);
  const values = set.values[s] ?? new Float64Array(0);
  const lp: number[] = [];
  const pos: number[] = [];
  const neg: number[] = [];
  for (const k of rows) {
    const p = values[k] ?? NaN;
    if (!Number.isFinite(p)) continue;
    lp.push(logit(p));
    pos.push(set.labels[k] ?? 0);
    neg.push(1 - (set.labels[k] ?? 0));
  }
  const fit = fitLogisticCounts(lp, pos, neg, { offsetOnly: stat === 'citl' });
  return fit === null ? Number.NaN : stat === 'citl' ? fit.intercept : fit.slope;
}

/**
 * Fewer patients with an event than this: the group's comparisons are reported with a precision note (patients, not
 * positive sets: a few patients' many sets before their event are not many independent events).
 */
export const PRECISE_EVENTS = 100;

/** An AUROC or sensitivity difference interval wider than this: the group's comparisons carry a precision note. */
export const PRECISE_WIDTH = 0.2;

/**
 * The groups of a grouping column among the analysis rows, sorted by name, coded 0…names.length − 1 (names.length for
 * a row without a group).
 *
 * @throws {RangeError} naming the column when it has fewer than two groups among the analysed sets
 */
export function groupCoding(column: string, settings: Settings, set: AnalysisSet): GroupCoding {
  const byRow = groupLabels(column, set, settings.cohort, settings.skinToneBands);
  const names = [...new Set(set.rows.map((i) => byRow[i] ?? null).filter((g): g is string => g !== null))].sort();
  const group = Int32Array.from(set.rows, (i) => {
    const g = byRow[i];
    return g === null || g === undefined ? names.length : names.indexOf(g);
  });
  if (names.length < 2) {
    throw new RangeError(
      `validate: option "groupBy" names "${column}", which has ${names.length === 0 ? 'no values' : `one level ("${names[0]}")`} among the analysed sets; a comparison needs at least two groups.`,
    );
  }
  return { column, names, group };
}

/**
 * The replicates of a grouping's statistics: the study's bootstrap when it already resampled this grouping (the
 * first), else this grouping's own pass (B = 0 without a bootstrap still gives the point estimates).
 */
function groupReplicates(
  set: AnalysisSet,
  coding: GroupCoding,
  cuts: readonly (number | null)[],
  kinds: ReturnType<typeof calibrationKinds>,
  boot: Settings['bootstrap'],
  shared: StudyIntervals | null,
): Replicates<GroupStat> {
  const { column, names, group } = coding;
  return shared !== null && shared.grouping?.column === column
    ? shared.replicates
    : groupBootstrap<GroupStat>({
        scores: set.values,
        labels: set.labels,
        patient: set.cluster,
        patients: set.clusters,
        group,
        groups: names.length + 1,
        statistics: {
          auroc: aucStatistic,
          sensitivity: proportionStatistic('sensitivity', cuts),
          citl: calibrationStatistic('intercept', kinds),
          slope: calibrationStatistic('slope', kinds),
        },
        B: boot?.B ?? 0,
        seed: boot?.seed ?? 1,
        method: boot?.method ?? 'poisson',
        keys: set.clusterKeys,
        keep: cuts.map((c) => (c === null ? [] : [c])),
        needsAllGroups: true, // a points score's leave-group-out mapping
      });
}

/** The grouping's table as disclosure control knows it, and its tie to the flow. */
function declareSubgroupTable(sdc: Disclosure, table: string): void {
  sdc.declareTable({
    name: table,
    dimensions: [
      'group',
      'count (patients, observation sets, patients with an event, positive sets)',
      'statistic (per score: estimates and differences from the reference)',
    ],
    margins:
      "the groups' positive sets add up to the labelled positive sets (with those of no group); their patients add up to the study's patients (at most, when a patient is in several groups); a group's patients with an event are at most its patients and its positive sets",
  });
  sdc.link(
    table,
    'flow',
    "a group's observation sets are the flow's labelled sets of the group (the same cell); the groups' positive sets add up to the flow's labelled positive sets; the groups' patients to the study's, at most the extract's patients",
  );
}

/** Why a group's estimates are imprecise (too few patients with an event, or the widest difference too wide), or null. */
function precisionNote(
  eventPatients: number,
  perScore: readonly { cell: GroupScoreCell; basis: { patients: number; events: number } }[],
  minCount: number,
): string | null {
  // The widest AUROC or sensitivity difference interval of the group (its precision), among cells from enough data.
  let widest = 0;
  for (const { cell, basis } of perScore) {
    if (basis.events < minCount || basis.patients < minCount) continue;
    for (const d of [cell.differenceFromReference.auroc, cell.differenceFromReference.sensitivity])
      if (d !== null && !isSuppressed(d) && d.defined) widest = Math.max(widest, d.ci[1] - d.ci[0]);
  }
  if (eventPatients < PRECISE_EVENTS)
    return `fewer than ${PRECISE_EVENTS} patients with an event: estimates and differences for this group are imprecise (see their intervals)`;
  if (widest > PRECISE_WIDTH)
    return `the interval of an AUROC or sensitivity difference from the reference is wider than ${PRECISE_WIDTH}: too imprecise to rule out a clinically relevant difference`;
  return null;
}

/**
 * The groups' patients against the study's, and each group's patients with an event against its patients and
 * positive sets: the relations a reader can use, declared as the true counts stand.
 */
function relateGroupPatients(sdc: Disclosure, set: AnalysisSet, coding: GroupCoding, groups: readonly GroupRow[], flow: FlowSection): void {
  const { names, group } = coding;
  // Patients of the groups against the study's patients: a reader who knows every patient is in a group (or in none
  // shown) adds the groups' patients up to the cohort's (60 − 30 − 29 = 1). Declared as the true counts stand: equal
  // when they are (a patient in one group), else "at most" (a patient in several).
  const analysedPatients = new Set(set.patient).size;
  const ungrouped = new Set<number | undefined>();
  group.forEach((g, k) => {
    if (g === names.length) ungrouped.add(set.patient[k]);
  });
  // Patients without a group are unknown to a reader; with none, the groups are every patient.
  const patientsTotal = sdc.count(analysedPatients, { hidden: true });
  sdc.relationOf(patientsTotal, [...groups.map((g) => g.patients), ...(ungrouped.size > 0 ? [sdc.count(ungrouped.size, { hidden: true })] : [])]);
  sdc.relationOf(patientsTotal, [flow.extract.patients]);
  // A patient with an event is a patient of the group, with at least one positive set.
  for (const g of groups) {
    sdc.relationOf(g.eventPatients, [g.patients]);
    sdc.relationOf(g.eventPatients, [g.positiveSets]);
  }
}

function subgroupSection(
  coding: GroupCoding,
  settings: Settings,
  set: AnalysisSet,
  contrasts: PendingContrast[],
  shared: StudyIntervals | null,
  flow: FlowSection,
): SubgroupSection {
  const { scores, level, disclosure: sdc } = settings;
  const { column, names, group } = coding;
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
  const kinds = calibrationKinds(scores);
  const boot = settings.bootstrap;
  const reps = groupReplicates(set, coding, cuts, kinds, boot, shared);
  // Each group's estimates per score, computed once (the reference's are reused for every difference).
  const stats = members.map((ks, g) => scores.map((_, s) => groupScore(set, ks, s, cuts[s] ?? null, level, reps, g, kinds[s] ?? null)));
  const table = `subgroups: ${column}`;
  declareSubgroupTable(sdc, table);
  // Positive sets per group add up to the labelled positive sets (with those of no group, not shown, when any).
  const positiveCells = eventsIn.map((n) => sdc.count(n, { table }));
  const noGroup = group.filter((g) => g === names.length).length;
  if (noGroup > 0) sdc.remainder(flow.labelled.positive, positiveCells);
  else sdc.relation(flow.labelled.positive, positiveCells);
  // A group's basis for one score: its patients and positive sets among the sets the score can score.
  const basisOf = (g: number, s: number): { patients: number; events: number } => {
    const scoreable = (members[g] ?? []).filter((k) => Number.isFinite(set.values[s]?.[k] ?? NaN));
    const ownEvents = scoreable.filter((k) => set.labels[k] === 1);
    return { patients: new Set(ownEvents.map((k) => set.patient[k])).size, events: ownEvents.length };
  };
  const groups = names.map((name, g): GroupRow => {
    const perScore = scores.map((d, s) => {
      const own = stats[g]?.[s] ?? groupScore(set, [], s, cuts[s] ?? null, level, reps, g, kinds[s] ?? null);
      const base = stats[ref]?.[s];
      const difference = (stat: GroupStat, estimate: EstimateCell | UndefinedCell, refEstimate: EstimateCell | UndefinedCell | undefined) => {
        if (g === ref || boot === null || refEstimate === undefined || !estimate.defined || !refEstimate.defined) return null;
        const replicates = pairedDifference(reps.of(stat, g, s), reps.of(stat, ref, s));
        const cell = contrastCell(replicates, estimate.estimate - refEstimate.estimate, level);
        if (cell.defined) {
          const pending = { ...cell };
          // Released when both groups' statistics are (and a sensitivity's counts): suppressed ones are not in the family.
          const released =
            sdc.passes(basisOf(g, s)) &&
            sdc.passes(basisOf(ref, s)) &&
            (stat !== 'sensitivity' || sdc.passes({ counts: [...own.sensitivityCounts, ...(base?.sensitivityCounts ?? [])] }));
          contrasts.push({ cell: pending, replicates, released });
          return pending;
        }
        return cell;
      };
      // A sensitivity gives its true positives away (× the group's positive sets): released only when they and the
      // false negatives pass the policy; its difference from the reference with it.
      const sensitivity = sdc.release(own.sensitivity, { counts: own.sensitivityCounts }, { table });
      const sensitivityDifference = difference('sensitivity', own.sensitivity, base?.sensitivity);
      const cell: GroupScoreCell = {
        auroc: own.auroc,
        sensitivity: { cut: cuts[s] ?? null, value: sensitivity },
        calibrationInTheLarge: own.calibrationInTheLarge,
        slope: own.slope,
        differenceFromReference: {
          auroc: difference('auroc', own.auroc, base?.auroc),
          sensitivity:
            sensitivityDifference === null
              ? null
              : sdc.release(
                  sensitivityDifference,
                  { counts: [...own.sensitivityCounts, ...(base?.sensitivityCounts ?? [])] },
                  { table, dependsOn: [sensitivity] },
                ),
          calibrationInTheLarge: difference('citl', own.calibrationInTheLarge, base?.calibrationInTheLarge),
          slope: difference('slope', own.slope, base?.slope),
        },
      };
      // Disclosed on the score's own sets in the group.
      return { id: d.id, cell, basis: basisOf(g, s) };
    });
    const events = eventsIn[g] ?? 0;
    const eventPatients = eventPatientsIn[g] ?? 0;
    return {
      group: name,
      patients: sdc.count(patientsIn[g] ?? 0, { table }),
      // The same cell as the flow's labelled sets of this group.
      observationSets: flow.labelled.byGroup[column]?.[name] ?? sdc.count(members[g]?.length ?? 0, { table }),
      eventPatients: sdc.count(eventPatientsIn[g] ?? 0, { table }),
      positiveSets: positiveCells[g] ?? sdc.count(events, { table }),
      precision: precisionNote(eventPatients, perScore, sdc.minCount),
      scores: Object.fromEntries(perScore.map(({ id, cell, basis }) => [id, sdc.release(cell, basis, { table })])),
    };
  });
  relateGroupPatients(sdc, set, coding, groups, flow);
  return { by: column, reference, groups };
}

/** Every grouping column's section. */
export function subgroups(
  settings: Settings,
  set: AnalysisSet,
  shared: StudyIntervals | null,
  flow: FlowSection,
): { sections: SubgroupSection[]; contrasts: number; candidates: number } {
  const contrasts: PendingContrast[] = [];
  const sections = settings.groupBy.map((column) => {
    settings.progress(`subgroups by ${column}`);
    const coding = shared !== null && shared.grouping?.column === column ? shared.grouping : groupCoding(column, settings, set);
    return subgroupSection(coding, settings, set, contrasts, shared, flow);
  });
  // Holm over the released contrasts of the report (groups × scores × AUROC, sensitivity, calibration intercept, slope): a suppressed contrast
  // is no claim and takes no share of the level. Beside each adjusted p, the max-T simultaneous interval over the
  // same family; a contrast outside the family keeps adjusted p 1 and its pointwise interval (it is suppressed).
  const family = contrasts.filter((c) => c.released);
  const adjusted = holm(family.map((c) => c.cell.p));
  family.forEach((c, i) => {
    c.cell.adjustedP = adjusted[i] ?? 1;
  });
  for (const c of contrasts) if (!c.released) c.cell.adjustedP = 1;
  simultaneousIntervals(family, settings.level);
  return { sections, contrasts: family.length, candidates: contrasts.length };
}

/**
 * Simultaneous intervals by the bootstrap max-T (studentised; Westfall & Young 1993, Romano & Wolf 2005): with se_c
 * the bootstrap SD of contrast c and T_r = max_c |d_rc − d̂_c| / se_c over the family in replicate r, the interval is
 * d̂_c ± q · se_c with q the `level` quantile of T — every interval of the family holds together at that level. Every
 * grouping's bootstrap uses the study's seed over the same patients, so replicate r is the same resample for every
 * contrast. Falls back to the Bonferroni percentile interval (level 1 − α / m) when T cannot be formed.
 */
export function simultaneousIntervals(family: readonly PendingContrast[], level: number): void {
  if (family.length === 0) return;
  const se = family.map((c) => {
    const v = Array.from(c.replicates).filter((x) => Number.isFinite(x));
    return v.length < 2 ? Number.NaN : sampleStandardDeviation(v);
  });
  const B = Math.min(...family.map((c) => c.replicates.length));
  const maxima: number[] = [];
  for (let r = 0; r < B; r++) {
    let m = Number.NEGATIVE_INFINITY;
    family.forEach((c, i) => {
      const d = c.replicates[r] ?? Number.NaN;
      const s = se[i] ?? Number.NaN;
      if (Number.isFinite(d) && s > 0) m = Math.max(m, Math.abs(d - c.cell.estimate) / s);
    });
    if (m > Number.NEGATIVE_INFINITY) maxima.push(m);
  }
  const q = maxima.length < 2 ? Number.NaN : quantile7(Float64Array.from(maxima).sort(), level);
  family.forEach((c, i) => {
    const s = se[i] ?? Number.NaN;
    const estimate = c.cell.estimate;
    c.cell.simultaneousCi =
      Number.isFinite(q) && s > 0
        ? [estimate - q * s, estimate + q * s]
        : (percentileInterval(c.replicates, 1 - (1 - level) / Math.max(1, family.length))?.ci ?? c.cell.ci);
  });
}
