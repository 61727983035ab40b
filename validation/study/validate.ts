/**
 * The validation harness: score a cohort, label outcomes, and report — for each score, each pair of scores and each
 * subgroup — discrimination, calibration, threshold metrics and net benefit, with DeLong and patient-clustered
 * bootstrap intervals, under disclosure control. The report is a versioned, JSON-serialisable object (schema
 * `ewskit.report/1`, documented in docs/report.md) holding aggregates only.
 */
import type { Table } from 'apache-arrow';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { auroc } from '../metrics/auroc.js';
import { calibration } from '../metrics/calibration.js';
import { compareAuroc } from '../metrics/compare-auroc.js';
import { averagePrecision } from '../metrics/curves.js';
import type { Released } from './disclosure.js';
import { Disclosure } from './disclosure.js';
import { aucStatistic, BOOTSTRAP_RESOLUTION, groupBootstrap, percentileInterval, sensitivityStatistic } from '../bootstrap/group-bootstrap.js';
import type { LabelOptions } from './label-outcomes.js';
import { labelOutcomes } from './label-outcomes.js';
import { decisionCurve } from '../metrics/net-benefit.js';
import { eventRateByScore, recalibrate } from '../metrics/recalibrate.js';
import { atThreshold } from '../metrics/threshold.js';

export const REPORT_SCHEMA = 'ewskit.report/1';

export interface ValidateOptions {
  cohort: { observations: Table; events: Table; patients?: Table; encounters?: Table; manifest?: { profile?: { name?: string }; seed?: number; generatorVersion?: string; encounters?: number } | null };
  scores: readonly ScoreDefinition[];
  outcome?: LabelOptions;
  /** Columns to compare groups by: any observation or patient column, or `skin_tone_band` (Monk 1–3 / 4–7 / 8–10). */
  groupBy?: readonly string[];
  /** The reference group per grouping column (default: the group with the most patients). */
  reference?: Readonly<Record<string, string>>;
  /** Patient-clustered bootstrap: `{ B, seed }` (default B = 1000, seed 1), or `false` for none. */
  bootstrap?: { B?: number; seed?: number } | false;
  /** Disclosure control: `{ minCount }` (default 10), or `false` to switch it off (never for outputs leaving a TRE). */
  disclosure?: { minCount?: number } | false;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Units of analysis reported beside every observation set: `'first'` (first set per encounter) and
   *  `'highest-24h'` (each score's highest set per encounter per 24 h from the encounter's first set). */
  units?: readonly ('first' | 'highest-24h')[];
  /** Called with a short description before each long step. */
  onProgress?: (step: string) => void;
}

type Interval = { estimate: number; ci: readonly [number, number] | null };

/** The report: aggregates only. */
export interface ValidationReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly settings: Record<string, unknown>;
  readonly disclosure: ReturnType<Disclosure['summary']>;
  readonly cohort: Record<string, unknown>;
  readonly scores: Record<string, unknown>[];
  readonly comparisons: Record<string, unknown>[];
  readonly subgroups: Record<string, unknown>[];
  /** Discrimination by other units of analysis, when asked for. */
  readonly units: Record<string, unknown>[];
}

const SKIN_BANDS = ['Monk 1–3', 'Monk 4–7', 'Monk 8–10'];

function columnValues(table: Table, name: string): unknown[] | null {
  const v = table.getChild(name);
  if (v === null) return null;
  const out = new Array<unknown>(table.numRows);
  for (let i = 0; i < table.numRows; i++) out[i] = v.get(i);
  return out;
}

/** The group label of each observation row for a grouping column (observation column, or patient column joined by patient_id). */
function groupLabels(column: string, observations: Table, patientIds: unknown[], patients: Table | undefined): (string | null)[] {
  const band = column === 'skin_tone_band';
  const source = band ? 'skin_tone' : column;
  let values = columnValues(observations, source);
  if (values === null && patients !== undefined) {
    const ids = columnValues(patients, 'patient_id');
    const attr = columnValues(patients, source);
    if (ids !== null && attr !== null) {
      const byId = new Map(ids.map((id, i) => [String(id), attr[i]]));
      values = patientIds.map((id) => byId.get(String(id)) ?? null);
    }
  }
  if (values === null) throw new TypeError(`validate: option "groupBy" names "${column}", which is in neither the observations nor the patients table.`);
  return values.map((v) => {
    if (v === null || v === undefined) return null;
    if (!band) return String(v);
    const t = Number(v);
    return t <= 3 ? (SKIN_BANDS[0] as string) : t <= 7 ? (SKIN_BANDS[1] as string) : (SKIN_BANDS[2] as string);
  });
}

/** The value a score reports per row: the total (banded) or the probability (model). */
function scoreColumn(def: ScoreDefinition): string {
  return def.kind === 'model' ? `${def.id}_probability` : `${def.id}_total`;
}

/** The clinical cut-offs of a score: banded — the lowest total of each risk band above the first; model — zone bounds. */
export function clinicalCuts(def: ScoreDefinition): { label: string; cut: number }[] {
  if (def.kind === 'model') return def.zones.slice(1).map((z) => ({ label: `${z.label} zone (p ≥ ${z.min})`, cut: z.min }));
  const firstRisk = def.risks[0];
  const cuts = new Map<number, string>();
  for (const r of def.rules) {
    if (r.risk === firstRisk || r.redFlag === true || r.totalMin === undefined) continue;
    if (!cuts.has(r.totalMin)) cuts.set(r.totalMin, `${def.name} ≥ ${r.totalMin} (${r.risk})`);
  }
  return [...cuts.entries()].sort((a, b) => a[0] - b[0]).map(([cut, label]) => ({ label, cut }));
}

/**
 * Validate one or more scores on a cohort. Runs in O(n log n + B · (patients + table entries)) for the bootstrap.
 *
 * @param options cohort tables, scores, outcome (horizon, event types), groupBy, reference groups, bootstrap,
 *   disclosure, level
 * @returns the report object (schema `ewskit.report/1`)
 * @throws {TypeError} for a cohort without the columns a score or grouping needs; {RangeError} for bad options
 * @example validate({ cohort, scores: [news2, apollo], groupBy: ['ethnicity'] }).comparisons[0];
 */
export function validate(options: ValidateOptions): ValidationReport {
  const fn = 'validate';
  const { cohort, scores } = options;
  if (cohort === undefined || cohort.observations === undefined || cohort.events === undefined) {
    throw new TypeError(`${fn}: option "cohort" expected { observations, events[, patients, encounters] } Arrow tables.`);
  }
  if (!Array.isArray(scores) || scores.length === 0) throw new TypeError(`${fn}: option "scores" expected at least one score definition.`);
  const level = options.level ?? 0.95;
  const boot = options.bootstrap === false ? null : { B: options.bootstrap?.B ?? 1000, seed: options.bootstrap?.seed ?? 1 };
  const sdc = new Disclosure(options.disclosure === false ? 0 : (options.disclosure?.minCount ?? 10));
  const progress = options.onProgress ?? (() => undefined);
  const horizon = options.outcome?.horizonHours ?? 24;

  progress('scoring');
  const scored = scoreTable(scores as ScoreDefinition[], cohort.observations);
  progress('labelling outcomes');
  const labelled = labelOutcomes(scored, cohort.events, options.outcome);
  const patientIds = columnValues(scored, 'patient_id');
  if (patientIds === null) throw new TypeError(`${fn}: the observations table has no column "patient_id" (needed to cluster by patient).`);
  const values = scores.map((d) => columnValues(scored, scoreColumn(d)) as (number | null)[]);
  const redFlags = scores.map((d) => (d.kind === 'banded' && d.redFlag !== undefined ? (columnValues(scored, `${d.id}_red_flag`) as boolean[]) : null));

  // Analysis rows: labelled, with every score present (so scores are compared on the same rows).
  const rows: number[] = [];
  for (let i = 0; i < scored.numRows; i++) {
    if ((labelled.labels[i] as number) < 0 || patientIds[i] === null) continue;
    if (values.some((v) => v[i] === null || v[i] === undefined)) continue;
    rows.push(i);
  }
  const patientIndex = new Map<string, number>();
  const patient = Int32Array.from(rows, (i) => {
    const id = String(patientIds[i]);
    let p = patientIndex.get(id);
    if (p === undefined) patientIndex.set(id, (p = patientIndex.size));
    return p;
  });
  const labels = Uint8Array.from(rows, (i) => labelled.labels[i] as number);
  const scoreArrays = values.map((v) => Float64Array.from(rows, (i) => v[i] as number));
  const positives = labels.reduce((s, y) => s + y, 0);
  const patientsWithEvents = new Set(rows.filter((_, k) => labels[k] === 1).map((i) => String(patientIds[i]))).size;
  const allPatients = patientIndex.size;

  // Probabilities: the model's own, or cross-fitted recalibration across patient folds for points scores.
  progress('recalibrating points scores');
  const probabilities = scores.map((d, s) =>
    d.kind === 'model'
      ? (scoreArrays[s] as Float64Array)
      : Float64Array.from(recalibrate(scoreArrays[s] as Float64Array, labels, { groups: patient, folds: 5, seed: boot?.seed ?? 1 }).probability as number[]),
  );

  // Bootstrap: overall (one group) for AUROC, the same resamples for every score.
  let overall: Float64Array[][][] | null = null;
  if (boot !== null) {
    progress(`cluster bootstrap (B = ${boot.B}) over ${allPatients.toLocaleString('en-GB')} patients`);
    overall = groupBootstrap({ scores: scoreArrays, labels, patient, patients: allPatients, group: new Int32Array(rows.length), groups: 1, statistics: [aucStatistic], B: boot.B, seed: boot.seed });
  }
  const interval = (reps: Float64Array | undefined, estimate: number): Interval & { se?: number } => {
    const p = reps === undefined ? null : percentileInterval(reps, level);
    return p === null ? { estimate, ci: null } : { estimate, ci: p.ci, se: p.se };
  };
  const basis = { patients: patientsWithEvents, events: positives };

  progress('metrics per score');
  const scoreReports = scores.map((d, s) => {
    const x = scoreArrays[s] as Float64Array;
    const a = auroc(x, labels, { level });
    const cal = calibration(probabilities[s] as Float64Array, labels, { level });
    const cuts = clinicalCuts(d);
    return {
      id: d.id,
      name: d.name,
      kind: d.kind,
      ...(d.kind === 'model' && d.illustrative === true ? { illustrative: true } : {}),
      ...(d.kind === 'model' && d.derivation !== undefined ? { derivation: d.derivation } : {}),
      auroc: sdc.release(
        a.defined
          ? { auc: a.auc, se: a.se, delongCi: a.ci, bootstrap: boot === null ? null : interval(overall?.[0]?.[0]?.[s], a.auc), warnings: a.warnings }
          : { auc: null, reason: a.reason },
        basis,
      ),
      averagePrecision: sdc.release(averagePrecision(x, labels).value, basis),
      calibration: sdc.release(
        {
          method: d.kind === 'model' ? 'model probability' : 'cross-fitted logistic recalibration (5 patient folds)',
          observedExpected: cal.observedExpected.value,
          calibrationInTheLarge: cal.calibrationInTheLarge.value === null ? null : { estimate: cal.calibrationInTheLarge.value, ci: (cal.calibrationInTheLarge as { ci: readonly [number, number] }).ci },
          slope: cal.slope.value === null ? null : { estimate: cal.slope.value, ci: (cal.slope as { ci: readonly [number, number] }).ci },
          brier: cal.brier.value,
          scaledBrier: cal.scaledBrier.value,
          eavg: cal.eavg.value,
          e90: cal.e90.value,
          emax: cal.emax.value,
          bins: cal.binned.map((b) => sdc.release({ meanPredicted: b.meanPredicted, observed: b.observed.value, ci: b.observed.ci, n: b.n }, { counts: [b.observed.numerator, b.n - b.observed.numerator] })),
        },
        basis,
      ),
      eventRateByScore:
        d.kind === 'model'
          ? null
          : eventRateByScore(x, labels).map((r) => ({ score: r.score, cell: sdc.release({ n: r.n, events: r.events, rate: r.rate.value, ci: r.rate.ci }, { counts: [r.events, r.n - r.events] }) })),
      thresholds: [...cuts.map(({ label, cut }) => ({ label, cut, alerts: x })), ...(redFlags[s] === null ? [] : [{
        label: `red score (${(d as { redFlag?: { description: string } }).redFlag?.description ?? 'single extreme parameter'})`,
        cut: 1,
        alerts: Float64Array.from(rows, (i) => ((redFlags[s] as boolean[])[i] === true ? 1 : 0)),
      }])].map(({ label, cut, alerts }) => {
        const t = atThreshold(alerts, labels, cut, { level });
        const p = (q: { value: number | null; ci: readonly [number, number] | null; numerator: number; denominator: number }) =>
          sdc.release({ value: q.value, ci: q.ci }, { counts: [q.numerator, q.denominator - q.numerator] });
        return {
          label,
          cut,
          counts: { tp: sdc.count(t.tp), fp: sdc.count(t.fp), tn: sdc.count(t.tn), fn: sdc.count(t.fn) },
          sensitivity: p(t.sensitivity),
          specificity: p(t.specificity),
          ppv: p(t.ppv),
          npv: p(t.npv),
          alertRate: p(t.alertRate),
          numberNeededToEvaluate: sdc.release(t.numberNeededToEvaluate, { counts: [t.tp, t.fp] }),
        };
      }),
      netBenefit: decisionCurve(probabilities[s] as Float64Array, labels, [0.01, 0.02, 0.05, 0.1, 0.2]).map((nb) => sdc.release(nb, basis)),
    };
  });

  const comparisons: Record<string, unknown>[] = [];
  for (let a = 0; a < scores.length; a++) {
    for (let b = a + 1; b < scores.length; b++) {
      const c = compareAuroc(scoreArrays[a] as Float64Array, scoreArrays[b] as Float64Array, labels, { level });
      const diff = overall === null ? undefined : Float64Array.from((overall[0]?.[0]?.[a] as Float64Array), (v, r) => v - ((overall?.[0]?.[0]?.[b] as Float64Array)[r] as number));
      comparisons.push({
        a: scores[a]?.id,
        b: scores[b]?.id,
        cell: sdc.release(
          c.defined
            ? { difference: c.difference, delong: { se: c.se, ci: c.ci, z: c.z, p: c.p }, bootstrap: diff === undefined ? null : interval(diff, c.difference) }
            : { difference: null, reason: c.reason },
          basis,
        ),
      });
    }
  }

  // Subgroups: per group, the same metrics, and the difference from the reference with paired bootstrap intervals.
  const primaryCuts = scores.map((d) => clinicalCuts(d)[0]?.cut ?? Number.POSITIVE_INFINITY);
  const subgroups = (options.groupBy ?? []).map((column) => {
    progress(`subgroups by ${column}`);
    const labelsByRow = groupLabels(column, scored, patientIds, cohort.patients);
    const names = [...new Set(rows.map((i) => labelsByRow[i]).filter((g): g is string => g !== null))].sort();
    const group = Int32Array.from(rows, (i) => {
      const g = labelsByRow[i];
      return g === null || g === undefined ? names.length : names.indexOf(g);
    });
    // Rows of each group, gathered once.
    const members: number[][] = names.map(() => []);
    group.forEach((g, k) => members[g]?.push(k));
    const patientsIn = members.map((ks) => new Set(ks.map((k) => patient[k])).size);
    const eventPatientsIn = members.map((ks) => new Set(ks.filter((k) => labels[k] === 1).map((k) => patient[k])).size);
    const eventsIn = members.map((ks) => ks.reduce((t, k) => t + (labels[k] as number), 0));
    const largest = names[patientsIn.indexOf(Math.max(...patientsIn))] as string;
    const reference = options.reference?.[column] ?? largest;
    const ref = names.indexOf(reference);
    if (ref < 0) throw new RangeError(`${fn}: option "reference.${column}" names "${reference}", which is not a group (${names.join(', ')}).`);
    const reps = boot === null ? null : groupBootstrap({ scores: scoreArrays, labels, patient, patients: allPatients, group, groups: names.length + 1, statistics: [aucStatistic, sensitivityStatistic(primaryCuts)], B: boot.B, seed: boot.seed, keep: primaryCuts.map((c) => [c]) });
    // Each group's statistics per score, computed once (the reference's are reused for every difference).
    const stats = members.map((ks) =>
      scores.map((_, s) => {
        const x = ks.map((k) => (scoreArrays[s] as Float64Array)[k] as number);
        const y = ks.map((k) => labels[k] as number);
        const a = auroc(x, y, { level });
        return {
          auc: a.defined ? a.auc : null,
          delongCi: a.defined ? a.ci : null,
          sensitivity: atThreshold(x, y, primaryCuts[s] as number, { level }).sensitivity,
          calibration: calibration(ks.map((k) => (probabilities[s] as Float64Array)[k] as number), y),
        };
      }),
    );
    return {
      by: column,
      reference,
      groups: names.map((name, g) => {
        const gBasis = { patients: patientsIn[g] as number, events: eventsIn[g] as number };
        const gEventBasis = { patients: eventPatientsIn[g] as number, events: eventsIn[g] as number };
        return {
          group: name,
          patients: sdc.count(patientsIn[g] as number),
          observationSets: sdc.release((members[g] as number[]).length, gBasis),
          eventPatients: sdc.count(eventPatientsIn[g] as number),
          positiveSets: sdc.release(eventsIn[g] as number, gEventBasis),
          scores: Object.fromEntries(
            scores.map((d, s) => {
              const own = stats[g]?.[s] as NonNullable<(typeof stats)[number][number]>;
              const base = stats[ref]?.[s] as NonNullable<(typeof stats)[number][number]>;
              const difference = (stat: number, estimate: number | null, refEstimate: number | null) => {
                if (g === ref || reps === null || estimate === null || refEstimate === null) return null;
                const diff = Float64Array.from((reps[stat]?.[g]?.[s] as Float64Array), (v, r) => v - ((reps[stat]?.[ref]?.[s] as Float64Array)[r] as number));
                return interval(diff, estimate - refEstimate);
              };
              return [
                d.id,
                sdc.release(
                  {
                    auroc: own.auc === null ? null : { auc: own.auc, delongCi: own.delongCi },
                    sensitivity: { cut: primaryCuts[s], value: own.sensitivity.value, ci: own.sensitivity.ci },
                    calibrationInTheLarge: own.calibration.calibrationInTheLarge.value,
                    observedExpected: own.calibration.observedExpected.value,
                    differenceFromReference: {
                      auroc: difference(0, own.auc, base.auc),
                      sensitivity: difference(1, own.sensitivity.value, base.sensitivity.value),
                    },
                  },
                  gEventBasis,
                ),
              ];
            }),
          ),
        };
      }),
    };
  });

  // Other units of analysis: the same rows, thinned to one per encounter (or per encounter-day, per score).
  const encounterOf = columnValues(scored, 'encounter_id') ?? [];
  const timeOf = columnValues(scored, 'observed_at') ?? [];
  const units = (options.units ?? []).map((unit) => {
    const chosen = scores.map((_, s) => {
      const best = new Map<string, number>(); // key → row position k
      const start = new Map<string, number>();
      for (const i of rows) {
        const e = String(encounterOf[i]);
        const t = Number(timeOf[i]);
        if (!start.has(e) || t < (start.get(e) as number)) start.set(e, t);
      }
      rows.forEach((i, k) => {
        const e = String(encounterOf[i]);
        const t = Number(timeOf[i]);
        const key = unit === 'first' ? e : `${e}#${Math.floor((t - (start.get(e) as number)) / 86_400_000)}`;
        const current = best.get(key);
        if (current === undefined) best.set(key, k);
        else if (unit === 'first' ? t < Number(timeOf[rows[current] as number]) : ((scoreArrays[s] as Float64Array)[k] as number) > ((scoreArrays[s] as Float64Array)[current] as number)) best.set(key, k);
      });
      return [...best.values()].sort((a, b) => a - b);
    });
    return {
      unit: unit === 'first' ? 'first set per encounter' : 'highest set per encounter per 24 h (per score)',
      scores: Object.fromEntries(
        scores.map((d, s) => {
          const ks = chosen[s] as number[];
          const y = ks.map((k) => labels[k] as number);
          const a = auroc(ks.map((k) => (scoreArrays[s] as Float64Array)[k] as number), y, { level });
          const events = y.reduce((t, v) => t + v, 0);
          const eventPatients = new Set(ks.filter((k) => labels[k] === 1).map((k) => patient[k])).size;
          return [d.id, sdc.release({ sets: ks.length, positiveSets: events, auroc: a.defined ? { auc: a.auc, delongCi: a.ci } : null }, { events, patients: eventPatients })];
        }),
      ),
    };
  });

  // Cohort description (Table 1).
  const encounterIds = columnValues(scored, 'encounter_id') ?? [];
  const eventTypes = columnValues(cohort.events, 'event_type') ?? [];
  const wanted = options.outcome?.eventTypes;
  const events = eventTypes.filter((t) => wanted === undefined || wanted.includes(String(t))).length;
  const inputs = ['respiratory_rate', 'spo2', 'on_oxygen', 'systolic_bp', 'heart_rate', 'consciousness', 'temperature', 'lactate', 'creatinine', 'white_cell_count'];
  const missingness = Object.fromEntries(
    inputs
      .filter((c) => scored.getChild(c) !== null)
      .map((c) => {
        const v = scored.getChild(c);
        return [c, (v?.nullCount ?? 0) / Math.max(1, scored.numRows)];
      }),
  );
  let followUpDays: number | null = null;
  if (cohort.encounters !== undefined) {
    const a = columnValues(cohort.encounters, 'admitted_at');
    const d = columnValues(cohort.encounters, 'discharged_at');
    if (a !== null && d !== null) followUpDays = a.reduce<number>((s, t, i) => s + (Number(d[i]) - Number(t)) / 86_400_000, 0);
  }
  const cohortReport = {
    patients: sdc.count(new Set(patientIds.map(String)).size),
    encounters: sdc.count(new Set(encounterIds.map(String)).size),
    observationSets: sdc.count(scored.numRows),
    analysedSets: sdc.count(rows.length),
    events: sdc.count(events),
    positiveSets: sdc.count(positives),
    excludedAfterEvent: sdc.count(labelled.excludedAfterEvent),
    excludedIncomplete: sdc.count(labelled.positives + labelled.negatives - rows.length),
    followUpDays: followUpDays === null ? null : Math.round(followUpDays * 10) / 10,
    source:
      cohort.manifest === undefined || cohort.manifest === null
        ? null
        : `synthetic ${cohort.manifest.profile?.name ?? ''} cohort, seed ${cohort.manifest.seed}, generator ${cohort.manifest.generatorVersion}`,
    missingness,
  };

  return {
    schema: REPORT_SCHEMA,
    settings: {
      scores: scores.map((d) => ({ id: d.id, name: d.name, version: d.version, kind: d.kind })),
      outcome: { horizonHours: horizon, eventTypes: wanted ?? 'all', unit: 'observation set', otherUnits: options.units ?? [] },
      groupBy: options.groupBy ?? [],
      bootstrap: boot === null ? false : { B: boot.B, seed: boot.seed, resampling: 'patients, with replacement', valueResolution: `continuous scores in ${BOOTSTRAP_RESOLUTION.toLocaleString('en-GB')} rank buckets (cut-offs kept exact)` },
      level,
    },
    disclosure: sdc.summary(),
    cohort: cohortReport,
    scores: scoreReports,
    comparisons,
    subgroups,
    units,
  };
}

export type { Released };
