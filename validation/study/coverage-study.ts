/**
 * A coverage simulation of the report's intervals: many seeded cohorts from the generator, each validated as a user
 * would, and the truth from one very large cohort. For each interval — AUROC and sensitivity at NEWS2 ≥ 5, clustered
 * (headline) against naive (DeLong, Wilson) — the share of cohorts whose 95 % interval holds the truth. Shared by the
 * benchmark (`bench/coverage.bench.ts`, 200 cohorts) and the test (fewer cohorts).
 */
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import { apolloStyle } from '../../scores/catalogue/catalogue.js';
import { news2 } from '../../scores/catalogue/news2.js';
import { calibration } from '../metrics/calibration.js';
import { auroc } from '../metrics/auroc.js';
import { atThreshold } from '../metrics/threshold.js';
import { generateCohort } from '../cohort/generate.js';
import { isSuppressed } from '../disclosure/disclosure.js';
import { validate } from './validate.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { labelOutcomes } from '../outcomes/label-outcomes.js';
import { qnorm } from '../stats/normal.js';

export interface CoverageOptions {
  cohorts: number;
  encounters: number;
  truthEncounters: number;
  B: number;
  firstSeed: number;
  /** Also the Apollo-style score's calibration-in-the-large and a subgroup difference (NEWS2 AUROC, F − M). */
  extended?: boolean;
  /** Also the intervals clustered by encounter (patients come back, so these ignore part of the clustering). */
  encounterArm?: boolean;
  /** How the bootstrap resamples patients (default the study's default). */
  method?: BootstrapMethod;
  /**
   * How many independent cohorts of `truthEncounters` the truths are computed on, their sets pooled (default 1). The
   * truth is itself an estimate: from one 100,000-encounter cohort the model's calibration-in-the-large is off its
   * value by ~0.3 of a 3,000-encounter cohort's standard error — enough to take a 95 % interval's coverage to ~92 %.
   */
  truthCohorts?: number;
}

export interface Coverage {
  readonly cohorts: number;
  readonly truth: { readonly auroc: number; readonly sensitivity: number };
  readonly auroc: { readonly clustered: number; readonly naive: number; readonly byEncounter?: number };
  readonly sensitivity: { readonly clustered: number; readonly naive: number; readonly byEncounter?: number };
  /** The Monte Carlo standard error of a coverage near 95 % over these cohorts: √(0.95 · 0.05 / cohorts). */
  readonly monteCarloSe: number;
  readonly meanWidth: {
    readonly aurocClustered: number;
    readonly aurocNaive: number;
    readonly sensitivityClustered: number;
    readonly sensitivityNaive: number;
  };
  /** With `extended`: coverage of the model's CITL (cluster-robust vs ordinary logistic SE) and of a subgroup difference (clustered only). */
  readonly extended?: {
    readonly truth: { readonly citl: number; readonly aurocDifference: number };
    readonly citl: { readonly clustered: number; readonly naive: number };
    readonly subgroupDifference: { readonly clustered: number };
  };
}

/** The seeds of the truth cohorts: 999,999 down. */
const truthSeeds = (count: number): number[] => Array.from({ length: count }, (_, k) => 999_999 - k);

/**
 * NEWS2's AUROC and sensitivity at ≥ 5 on every labelled, complete set of the truth cohorts pooled: the estimand.
 */
function truthOf(encounters: number, seeds: readonly number[]): { auroc: number; sensitivity: number } {
  const x: number[] = [];
  const y: number[] = [];
  for (const seed of seeds) {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters, seed });
    const scored = scoreTable(news2, cohort.observations);
    const labels = labelOutcomes(scored, cohort.events, { encounters: cohort.encounters }).labels; // in-hospital outcome, as validate labels it
    const totals = scored.getChild('news2_total');
    for (let i = 0; i < scored.numRows; i++) {
      const t = totals?.get(i) as number | null;
      const l = labels[i] ?? -1;
      if (t === null || l < 0) continue;
      x.push(t);
      y.push(l);
    }
  }
  const a = auroc(x, y);
  const s = atThreshold(x, y, 5);
  return { auroc: a.defined ? a.estimate : Number.NaN, sensitivity: s.defined && s.sensitivity.defined ? s.sensitivity.estimate : Number.NaN };
}

const covers = (ci: readonly [number, number] | null | undefined, truth: number): number =>
  ci !== null && ci !== undefined && ci[0] <= truth && truth <= ci[1] ? 1 : 0;
const width = (ci: readonly [number, number] | null | undefined): number => (ci === null || ci === undefined ? Number.NaN : ci[1] - ci[0]);

/** The sets `extendedOf` reads from one cohort: the model's (p, y), and NEWS2's (total, y) by sex. */
interface ExtendedSets {
  readonly p: number[];
  readonly y: number[];
  readonly bySex: Record<string, { x: number[]; y: number[] }>;
}

/** The model's CITL (naive interval too) and NEWS2's AUROC difference F − M on the analysed sets of some cohorts pooled. */
function extendedOf(cohorts: Iterable<ReturnType<typeof generateCohort>>): { citl: number; naiveCi: [number, number] | null; difference: number } {
  const sets: ExtendedSets = { p: [], y: [], bySex: { F: { x: [], y: [] }, M: { x: [], y: [] } } };
  for (const cohort of cohorts) extendedSets(cohort, sets);
  const { p, y, bySex } = sets;
  const c = calibration(p, y);
  const citl = c.defined && c.calibrationInTheLarge.defined ? c.calibrationInTheLarge : null;
  const aF = auroc(bySex.F?.x ?? [], bySex.F?.y ?? []);
  const aM = auroc(bySex.M?.x ?? [], bySex.M?.y ?? []);
  return {
    citl: citl?.estimate ?? Number.NaN,
    naiveCi: citl === null ? null : [citl.ci[0], citl.ci[1]],
    difference: aF.defined && aM.defined ? aF.estimate - aM.estimate : Number.NaN,
  };
}

function extendedSets(cohort: ReturnType<typeof generateCohort>, into: ExtendedSets): void {
  const scored = scoreTable([news2, apolloStyle], cohort.observations);
  const labels = labelOutcomes(scored, cohort.events, { encounters: cohort.encounters }).labels; // in-hospital outcome, as validate labels it
  const totals = scored.getChild('news2_total');
  const probs = scored.getChild('apollo_style_probability');
  const pid = scored.getChild('patient_id');
  const sexOf = new Map<string, string>();
  for (let i = 0; i < cohort.patients.numRows; i++)
    sexOf.set(String(cohort.patients.getChild('patient_id')?.get(i)), String(cohort.patients.getChild('sex')?.get(i)));
  const { p, y, bySex } = into;
  for (let i = 0; i < scored.numRows; i++) {
    const t = totals?.get(i) as number | null;
    const q = probs?.get(i) as number | null;
    const l = labels[i] ?? -1;
    if (l < 0) continue;
    // Each score on its own analysable sets, as the report does.
    if (q !== null) {
      p.push(q);
      y.push(l);
    }
    if (t === null) continue;
    const g = bySex[sexOf.get(String(pid?.get(i))) ?? ''];
    g?.x.push(t);
    g?.y.push(l);
  }
}

/** The truth cohorts, generated one at a time (a 100,000-encounter cohort is ~1.6 M sets). */
function* truthCohorts(encounters: number, seeds: readonly number[]): Generator<ReturnType<typeof generateCohort>> {
  for (const seed of seeds) yield generateCohort({ profile: 'uk-leicester', encounters, seed });
}

export interface CalibrationCoverageOptions {
  cohorts: number;
  encounters: number;
  truthEncounters: number;
  /**
   * The truths to compare with, by how many independent truth cohorts each pools (see
   * {@link CoverageOptions.truthCohorts}): `[1, 4]` gives the truth of the first cohort and of the first four.
   */
  truthCohorts: readonly number[];
  firstSeed: number;
}

/** The calibration arm's result: the report's interval for the model's calibration-in-the-large, and why it covers as it does. */
export interface CalibrationCoverage {
  readonly cohorts: number;
  readonly truthEncounters: number;
  /** Per truth: its value, and the share of cohorts whose interval holds it — the report's (cluster-robust) and the ordinary logistic one. */
  readonly truths: readonly { readonly truthCohorts: number; readonly citl: number; readonly clustered: number; readonly naive: number }[];
  /** Mean of the cohorts' estimates (its distance from a truth is the estimator's bias plus that truth's own error). */
  readonly meanEstimate: number;
  /** Standard deviation of the estimates across cohorts, and the root-mean-square of the report's standard errors. */
  readonly empiricalSd: number;
  readonly rmsSe: number;
  readonly monteCarloSe: number;
}

/**
 * The calibration arm alone, faster than {@link coverageStudy}: each cohort validated with the Apollo-style score and
 * no bootstrap (its calibration-in-the-large interval is cluster-robust, not bootstrapped), against truths pooled from
 * the first 1, 2, … truth cohorts. Runs in O(cohorts · (generation + validation)).
 */
export function calibrationCoverage(o: CalibrationCoverageOptions): CalibrationCoverage {
  const pool: ExtendedSets = { p: [], y: [], bySex: { F: { x: [], y: [] }, M: { x: [], y: [] } } };
  const truths = new Map<number, number>();
  let pooled = 0;
  for (const cohort of truthCohorts(o.truthEncounters, truthSeeds(Math.max(...o.truthCohorts)))) {
    extendedSets(cohort, pool);
    pooled++;
    if (!o.truthCohorts.includes(pooled)) continue;
    const c = calibration(pool.p, pool.y);
    truths.set(pooled, c.defined && c.calibrationInTheLarge.defined ? c.calibrationInTheLarge.estimate : Number.NaN);
  }
  const z = qnorm(0.975);
  const hits = o.truthCohorts.map(() => ({ clustered: 0, naive: 0 }));
  const estimates: number[] = [];
  let squaredSe = 0;
  for (let k = 0; k < o.cohorts; k++) {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: o.encounters, seed: o.firstSeed + k });
    const report = validate({ cohort, scores: [apolloStyle], bootstrap: false, disclosure: false });
    const cal = report.scores[0]?.calibration;
    const naiveCi = extendedOf([cohort]).naiveCi;
    const ci = cal !== undefined && !isSuppressed(cal) && cal.defined && cal.calibrationInTheLarge.defined ? cal.calibrationInTheLarge : null;
    if (ci !== null) {
      estimates.push(ci.estimate);
      if (ci.ci !== null) squaredSe += ((ci.ci[1] - ci.ci[0]) / (2 * z)) ** 2;
    }
    o.truthCohorts.forEach((t, i) => {
      const truth = truths.get(t) ?? Number.NaN;
      const h = hits[i] as { clustered: number; naive: number };
      if (ci !== null) h.clustered += covers(ci.ci, truth);
      h.naive += covers(naiveCi, truth);
    });
  }
  const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
  return {
    cohorts: o.cohorts,
    truthEncounters: o.truthEncounters,
    truths: o.truthCohorts.map((t, i) => ({
      truthCohorts: t,
      citl: truths.get(t) ?? Number.NaN,
      clustered: (hits[i]?.clustered ?? 0) / o.cohorts,
      naive: (hits[i]?.naive ?? 0) / o.cohorts,
    })),
    meanEstimate: mean,
    empiricalSd: Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1)),
    rmsSe: Math.sqrt(squaredSe / estimates.length),
    monteCarloSe: Math.sqrt((0.95 * 0.05) / o.cohorts),
  };
}

/** Run the simulation. Runs in O(cohorts · (generation + validation)). */
export function coverageStudy(o: CoverageOptions): Coverage {
  const seeds = truthSeeds(o.truthCohorts ?? 1);
  const truth = truthOf(o.truthEncounters, seeds);
  const extendedTruth = o.extended === true ? extendedOf(truthCohorts(o.truthEncounters, seeds)) : null;
  const ext = { cc: 0, cn: 0, dc: 0 };
  const hits = { ac: 0, an: 0, sc: 0, sn: 0, ae: 0, se: 0 };
  const widths = { ac: 0, an: 0, sc: 0, sn: 0 };
  for (let k = 0; k < o.cohorts; k++) {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: o.encounters, seed: o.firstSeed + k });
    const report = validate({
      cohort,
      scores: extendedTruth === null ? [news2] : [news2, apolloStyle],
      bootstrap: { B: o.B, seed: k + 1, ...(o.method === undefined ? {} : { method: o.method }) },
      disclosure: false,
      ...(extendedTruth === null ? {} : { groupBy: ['sex'], reference: { sex: 'M' } }),
    });
    if (extendedTruth !== null) {
      const cal = report.scores[1]?.calibration;
      if (cal !== undefined && !isSuppressed(cal) && cal.defined && cal.calibrationInTheLarge.defined)
        ext.cc += covers(cal.calibrationInTheLarge.ci, extendedTruth.citl);
      ext.cn += covers(extendedOf([cohort]).naiveCi, extendedTruth.citl);
      const female = report.subgroups[0]?.groups.find((g) => g.group === 'F')?.scores.news2;
      const d = female === undefined || isSuppressed(female) ? null : female.differenceFromReference.auroc;
      if (d !== null && d.defined) ext.dc += covers(d.ci, extendedTruth.difference);
    }
    if (o.encounterArm === true) {
      // The same cohort, resampling encounters: a readmitted patient's admissions are treated as independent.
      const byEncounter = validate({
        cohort,
        scores: [news2],
        bootstrap: { B: o.B, seed: k + 1, ...(o.method === undefined ? {} : { method: o.method }) },
        disclosure: false,
        cluster: 'encounter',
      });
      const e = byEncounter.scores[0];
      const ea = e?.auroc;
      if (ea !== undefined && !isSuppressed(ea) && ea.defined) hits.ae += covers(ea.ci, truth.auroc);
      const es = e?.thresholds[0]?.sensitivity;
      if (es !== undefined && !isSuppressed(es) && es.defined) hits.se += covers(es.ci, truth.sensitivity);
    }
    const score = report.scores[0];
    const a = score?.auroc;
    if (a !== undefined && !isSuppressed(a) && a.defined) {
      hits.ac += covers(a.ci, truth.auroc);
      hits.an += covers(a.naive.ci, truth.auroc);
      widths.ac += width(a.ci);
      widths.an += width(a.naive.ci);
    }
    const sens = score?.thresholds[0]?.sensitivity;
    if (sens !== undefined && !isSuppressed(sens) && sens.defined) {
      hits.sc += covers(sens.ci, truth.sensitivity);
      hits.sn += covers(sens.naiveCi, truth.sensitivity);
      widths.sc += width(sens.ci);
      widths.sn += width(sens.naiveCi);
    }
  }
  const share = (h: number) => h / o.cohorts;
  const extended =
    extendedTruth === null
      ? {}
      : {
          extended: {
            truth: { citl: extendedTruth.citl, aurocDifference: extendedTruth.difference },
            citl: { clustered: share(ext.cc), naive: share(ext.cn) },
            subgroupDifference: { clustered: share(ext.dc) },
          },
        };
  return {
    ...extended,
    cohorts: o.cohorts,
    truth,
    auroc: { clustered: share(hits.ac), naive: share(hits.an), ...(o.encounterArm === true ? { byEncounter: share(hits.ae) } : {}) },
    sensitivity: { clustered: share(hits.sc), naive: share(hits.sn), ...(o.encounterArm === true ? { byEncounter: share(hits.se) } : {}) },
    monteCarloSe: Math.sqrt((0.95 * 0.05) / o.cohorts),
    meanWidth: {
      aurocClustered: widths.ac / o.cohorts,
      aurocNaive: widths.an / o.cohorts,
      sensitivityClustered: widths.sc / o.cohorts,
      sensitivityNaive: widths.sn / o.cohorts,
    },
  };
}
