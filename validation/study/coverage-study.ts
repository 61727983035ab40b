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

/** NEWS2's AUROC and sensitivity at ≥ 5 on every labelled, complete set of a cohort: the estimand. */
function truthOf(encounters: number, seed: number): { auroc: number; sensitivity: number } {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters, seed });
  const scored = scoreTable(news2, cohort.observations);
  const labels = labelOutcomes(scored, cohort.events, { encounters: cohort.encounters }).labels; // in-hospital outcome, as validate labels it
  const totals = scored.getChild('news2_total');
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < scored.numRows; i++) {
    const t = totals?.get(i) as number | null;
    const l = labels[i] ?? -1;
    if (t === null || l < 0) continue;
    x.push(t);
    y.push(l);
  }
  const a = auroc(x, y);
  const s = atThreshold(x, y, 5);
  return { auroc: a.defined ? a.estimate : Number.NaN, sensitivity: s.defined && s.sensitivity.defined ? s.sensitivity.estimate : Number.NaN };
}

const covers = (ci: readonly [number, number] | null | undefined, truth: number): number =>
  ci !== null && ci !== undefined && ci[0] <= truth && truth <= ci[1] ? 1 : 0;
const width = (ci: readonly [number, number] | null | undefined): number => (ci === null || ci === undefined ? Number.NaN : ci[1] - ci[0]);

/** The model's CITL (naive interval too) and NEWS2's AUROC difference F − M on a cohort's analysed sets. */
function extendedOf(cohort: ReturnType<typeof generateCohort>): { citl: number; naiveCi: [number, number] | null; difference: number } {
  const scored = scoreTable([news2, apolloStyle], cohort.observations);
  const labels = labelOutcomes(scored, cohort.events, { encounters: cohort.encounters }).labels; // in-hospital outcome, as validate labels it
  const totals = scored.getChild('news2_total');
  const probs = scored.getChild('apollo_style_probability');
  const pid = scored.getChild('patient_id');
  const sexOf = new Map<string, string>();
  for (let i = 0; i < cohort.patients.numRows; i++)
    sexOf.set(String(cohort.patients.getChild('patient_id')?.get(i)), String(cohort.patients.getChild('sex')?.get(i)));
  const p: number[] = [];
  const y: number[] = [];
  const bySex: Record<string, { x: number[]; y: number[] }> = { F: { x: [], y: [] }, M: { x: [], y: [] } };
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

/** Run the simulation. Runs in O(cohorts · (generation + validation)). */
export function coverageStudy(o: CoverageOptions): Coverage {
  const truth = truthOf(o.truthEncounters, 999_999);
  const extendedTruth = o.extended === true ? extendedOf(generateCohort({ profile: 'uk-leicester', encounters: o.truthEncounters, seed: 999_999 })) : null;
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
      ext.cn += covers(extendedOf(cohort).naiveCi, extendedTruth.citl);
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
