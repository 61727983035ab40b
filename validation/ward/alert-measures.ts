/**
 * What an alerting rule does on a ward, measured from a score's sets: alert burden (alerts per patient-day and per
 * 100 sets), repeat alerts, the first alert's positive predictive value, episode-level sensitivity, lead time, and
 * compliance with the monitoring frequency of each NEWS2 band. Pure arithmetic over arrays (no tables, no disclosure):
 * the study stage `alerts` feeds it and releases what it returns.
 *
 * Definitions (per score, over its analysed sets; an *episode* is an encounter with an event of the outcome):
 * - **alerts per patient-day** = alerts in encounters with a known ward time / their ward time in days;
 * - **alerts per 100 sets** = 100 × alerts / sets;
 * - **repeat-alert rate** = alerts whose previous set in the encounter also alerted / alerts;
 * - **first-alert PPV** = encounters whose first alert is followed by the event within the horizon / encounters with
 *   an alert;
 * - **episode-level sensitivity** = episodes with ≥ 1 alert within the horizon before the event / episodes (an
 *   episode with no set in that window counts as missed: nothing could alert);
 * - **lead time** = the event's time − the first alert within the horizon before it, over the detected episodes;
 * - **monitoring compliance** = sets whose next set of the encounter came within the band's interval (+ a tolerance)
 *   / sets followed by another set; by day or night of the time the next set fell due.
 *
 * Every ratio is a ratio of sums over patients, so its interval is the patient-clustered bootstrap: patients are
 * resampled with all their encounters and the ratio recomputed (percentile interval).
 */
import { percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import { replicateWeights } from '../bootstrap/replicate-weights.js';
import { quantile7 } from '../stats/sorted.js';

const HOUR = 3_600_000;
/** Add one to an entry of a typed array. */
const inc = (a: Float64Array | Int32Array, i: number): void => {
  a[i] = (a[i] ?? 0) + 1;
};
const DAY = 86_400_000;

/** A score's analysed sets, one entry per set, and the encounters they belong to. */
export interface WardSets {
  /** Encounter number (0…encounters − 1) of each set. */
  readonly encounter: Int32Array;
  /** Observation time (ms) of each set. */
  readonly time: Float64Array;
  /** Patient number (0…patients − 1) of each encounter. */
  readonly encounterPatient: Int32Array;
  readonly patients: number;
  /** Ward time of each encounter in ms (NaN where unknown). */
  readonly wardMs: Float64Array;
  /** Time of each encounter's first event of the outcome (NaN: none). */
  readonly eventAt: Float64Array;
  readonly horizonHours: number;
  /** Per patient number, its key (the patient id as text): what the Poisson bootstrap weights hash. */
  readonly patientKeys?: readonly string[];
}

/** The bootstrap of the alert measures: replicates, seed, level, and how patients are resampled. */
export interface WardBootstrap {
  readonly B: number;
  readonly seed: number;
  readonly level: number;
  /** Default `multinomial`; `poisson` reads `patientKeys`. */
  readonly method?: BootstrapMethod;
}

/** The sums of one rule over the whole cohort (what the estimates are ratios of). */
export interface RuleSums {
  readonly alerts: number;
  readonly sets: number;
  readonly alertsWithWardTime: number;
  readonly wardDays: number;
  readonly repeats: number;
  readonly encountersWithAlert: number;
  readonly firstAlertPositive: number;
  readonly episodes: number;
  readonly detected: number;
  /** Patients with ≥ 1 alert, with ≥ 1 episode, with ≥ 1 detected episode (the disclosure basis). */
  readonly patientsWithAlert: number;
  readonly patientsWithEpisode: number;
  readonly patientsDetected: number;
}

/** An estimate and its interval (null without a bootstrap or when too few replicates are defined), or why undefined. */
export type Ratio =
  | { readonly defined: true; readonly estimate: number; readonly ci: readonly [number, number] | null }
  | { readonly defined: false; readonly reason: string; readonly message: string };

export interface RuleMeasures {
  readonly sums: RuleSums;
  readonly perPatientDay: Ratio;
  readonly per100Sets: Ratio;
  readonly repeatAlertRate: Ratio;
  readonly firstAlertPpv: Ratio;
  readonly episodeSensitivity: Ratio;
  readonly leadTimeHours:
    | { readonly defined: true; readonly median: number; readonly q1: number; readonly q3: number; readonly ci: readonly [number, number] | null }
    | { readonly defined: false; readonly reason: string; readonly message: string };
}

/** Per patient: the tallies of one rule, in this order. */
const F = { alerts: 0, sets: 1, alertsWard: 2, wardDays: 3, repeats: 4, withAlert: 5, firstPositive: 6, episodes: 7, detected: 8 } as const;
const FIELDS = 9;

/** Sets in time order within each encounter: the positions, sorted by (encounter, time, position). */
export function wardOrder(w: Pick<WardSets, 'encounter' | 'time'>): Int32Array {
  const order = Int32Array.from({ length: w.encounter.length }, (_, i) => i);
  return order.sort((a, b) => (w.encounter[a] ?? 0) - (w.encounter[b] ?? 0) || (w.time[a] ?? 0) - (w.time[b] ?? 0) || a - b);
}

const caller = 'validate';
const undefinedRatio = (reason: string, message: string): Ratio => ({ defined: false, reason, message: `${caller}: ${message}` });

/** One rule's tallies per patient (FIELDS per patient) and its lead times per patient. */
function tallyRule(w: WardSets, fires: Uint8Array, order: Int32Array): { tally: Float64Array; leads: number[][] } {
  const P = w.patients;
  const tally = new Float64Array(P * FIELDS);
  const leads: number[][] = Array.from({ length: P }, () => []);
  const horizon = w.horizonHours * HOUR;
  let current = -1;
  let previous = -1;
  let firstAlertSeen = false;
  let detectedAt = Number.NaN; // the first alert within the window before the event, in the current encounter
  const close = (e: number): void => {
    const p = w.encounterPatient[e] ?? 0;
    if (!Number.isFinite(w.eventAt[e] ?? NaN)) return;
    inc(tally, p * FIELDS + F.episodes);
    if (Number.isFinite(detectedAt)) {
      inc(tally, p * FIELDS + F.detected);
      (leads[p] as number[]).push(((w.eventAt[e] as number) - detectedAt) / HOUR);
    }
  };
  for (let j = 0; j < order.length; j++) {
    const i = order[j] as number;
    const e = w.encounter[i] as number;
    const base = (w.encounterPatient[e] ?? 0) * FIELDS;
    if (e !== current) {
      if (current >= 0) close(current);
      current = e;
      previous = -1;
      firstAlertSeen = false;
      detectedAt = Number.NaN;
      if (Number.isFinite(w.wardMs[e] ?? NaN)) tally[base + F.wardDays] = (tally[base + F.wardDays] ?? 0) + (w.wardMs[e] as number) / DAY;
    }
    inc(tally, base + F.sets);
    const t = w.time[i] as number;
    const ev = w.eventAt[e] ?? Number.NaN;
    if (fires[i] === 1) {
      inc(tally, base + F.alerts);
      if (Number.isFinite(w.wardMs[e] ?? NaN)) inc(tally, base + F.alertsWard);
      if (previous >= 0 && fires[previous] === 1) inc(tally, base + F.repeats);
      const within = Number.isFinite(ev) && ev - t >= 0 && ev - t <= horizon;
      if (!firstAlertSeen) {
        firstAlertSeen = true;
        inc(tally, base + F.withAlert);
        if (within) inc(tally, base + F.firstPositive);
      }
      if (within && !Number.isFinite(detectedAt)) detectedAt = t;
    }
    previous = i;
  }
  if (current >= 0) close(current);
  return { tally, leads };
}

/** The fields that are zero for most patients (all but sets and ward days), summed over a rule's active patients. */
const SPARSE = [F.alerts, F.alertsWard, F.repeats, F.withAlert, F.firstPositive, F.episodes, F.detected] as const;

/** The ratios of a rule: numerator field, denominator field, scale — in the order of `RuleMeasures`. */
const RATIOS = [
  [F.alertsWard, F.wardDays, 1],
  [F.alerts, F.sets, 100],
  [F.repeats, F.alerts, 1],
  [F.firstPositive, F.withAlert, 1],
  [F.detected, F.episodes, 1],
] as const;

/**
 * Each rule's measures; `rules[r][i]` is whether rule r alerts on set i. One patient-clustered bootstrap serves every
 * rule (the same resamples). Runs in O(n log n + B · (patients + patients with an alert or an episode, per rule)).
 *
 * @example ruleMeasures(w, [fires], { B: 0, seed: 1, level: 0.95 })[0].per100Sets; // { defined: true, estimate, ci: null }
 */
export function ruleMeasures(w: WardSets, rules: readonly Uint8Array[], options: WardBootstrap): RuleMeasures[] {
  const P = w.patients;
  const order = wardOrder(w);
  const tallies = rules.map((fires) => tallyRule(w, fires, order));
  // The dense denominators (sets, ward days) are the same for every rule; a rule's other fields are zero for most
  // patients, so each rule sums them over its active patients only.
  const dense = tallies[0]?.tally ?? new Float64Array(0);
  const active = tallies.map(({ tally }) =>
    Int32Array.from(Array.from({ length: P }, (_, p) => p).filter((p) => [F.alerts, F.episodes].some((f) => (tally[p * FIELDS + f] ?? 0) > 0))),
  );
  const replicates = rules.map(() => RATIOS.map(() => new Float64Array(options.B).fill(Number.NaN)));
  const medians = rules.map(() => new Float64Array(options.B).fill(Number.NaN));
  // The dense fields in arrays of their own: the draws read them at random, so they should sit close together.
  const denseSets = Float64Array.from({ length: P }, (_, p) => dense[p * FIELDS + F.sets] ?? 0);
  const denseDays = Float64Array.from({ length: P }, (_, p) => dense[p * FIELDS + F.wardDays] ?? 0);
  // Patients with a lead time, per rule: the only ones the median's resample reads.
  const leadPatients = tallies.map(({ leads }) => Int32Array.from(Array.from({ length: P }, (_, p) => p).filter((p) => (leads[p]?.length ?? 0) > 0)));
  if (options.B > 0 && P > 0) {
    const weightsOf = replicateWeights(options.method ?? 'multinomial', P, options.seed, w.patientKeys);
    const weight = new Int32Array(P);
    const drawn = new Float64Array(FIELDS);
    // The resampled lead times, in a typed buffer sorted natively (grown when a resample holds more).
    let pooled = new Float64Array(64);
    for (let r = 0; r < options.B; r++) {
      // Weigh the patients; the dense sums (sets, ward days) over all of them.
      weightsOf(r, weight);
      let sets = 0;
      let wardDays = 0;
      for (let p = 0; p < P; p++) {
        const wgt = weight[p] as number;
        sets += wgt * (denseSets[p] as number);
        wardDays += wgt * (denseDays[p] as number);
      }
      for (let q = 0; q < tallies.length; q++) {
        const tally = (tallies[q] as { tally: Float64Array }).tally;
        // The drawn sums of every field: the dense ones from the draws, the others over the rule's active patients.
        drawn.fill(0);
        drawn[F.sets] = sets;
        drawn[F.wardDays] = wardDays;
        for (const p of active[q] as Int32Array) {
          const wgt = weight[p] ?? 0;
          if (wgt === 0) continue;
          const o = p * FIELDS;
          for (const f of SPARSE) drawn[f] = (drawn[f] ?? 0) + wgt * (tally[o + f] ?? 0);
        }
        RATIOS.forEach(([num, den, scale], m) => {
          const d = drawn[den] ?? 0;
          if (d > 0) ((replicates[q] as Float64Array[])[m] as Float64Array)[r] = (scale * (drawn[num] ?? 0)) / d;
        });
        const leads = (tallies[q] as { leads: number[][] }).leads;
        let n = 0;
        for (const p of leadPatients[q] as Int32Array) {
          const wgt = weight[p] ?? 0;
          for (let c = 0; c < wgt; c++)
            for (const l of leads[p] as number[]) {
              if (n === pooled.length) {
                const grown = new Float64Array(pooled.length * 2);
                grown.set(pooled);
                pooled = grown;
              }
              pooled[n++] = l;
            }
        }
        if (n > 0) (medians[q] as Float64Array)[r] = quantile7(pooled.subarray(0, n).sort(), 0.5);
      }
    }
  }
  return tallies.map(({ tally, leads }, q) => {
    const sum = (f: number): number => {
      let s = 0;
      for (let p = 0; p < P; p++) s += tally[p * FIELDS + f] ?? 0;
      return s;
    };
    const patientsWith = (f: number): number => {
      let n = 0;
      for (let p = 0; p < P; p++) if ((tally[p * FIELDS + f] ?? 0) > 0) n++;
      return n;
    };
    const sums: RuleSums = {
      alerts: sum(F.alerts),
      sets: sum(F.sets),
      alertsWithWardTime: sum(F.alertsWard),
      wardDays: sum(F.wardDays),
      repeats: sum(F.repeats),
      encountersWithAlert: sum(F.withAlert),
      firstAlertPositive: sum(F.firstPositive),
      episodes: sum(F.episodes),
      detected: sum(F.detected),
      patientsWithAlert: patientsWith(F.alerts),
      patientsWithEpisode: patientsWith(F.episodes),
      patientsDetected: patientsWith(F.detected),
    };
    const ci = (xs: Float64Array): readonly [number, number] | null => (options.B > 0 ? (percentileInterval(xs, options.level)?.ci ?? null) : null);
    const ratio = (m: number, none: [string, string]): Ratio => {
      const [num, den, scale] = RATIOS[m] as (typeof RATIOS)[number];
      const d = sum(den);
      return d > 0
        ? { defined: true, estimate: (scale * sum(num)) / d, ci: ci((replicates[q] as Float64Array[])[m] as Float64Array) }
        : undefinedRatio(...none);
    };
    const allLeads = leads.flat().sort((a, b) => a - b);
    return {
      sums,
      perPatientDay: ratio(0, ['no-ward-time', 'no encounter has a ward time (admitted_at, and left_ward_at or discharged_at)']),
      per100Sets: ratio(1, ['empty', 'the score has no analysed sets']),
      repeatAlertRate: ratio(2, ['no-alerts', 'the rule never alerts']),
      firstAlertPpv: ratio(3, ['no-alerts', 'the rule never alerts']),
      episodeSensitivity: ratio(4, ['no-episodes', 'no encounter of the analysed sets has an event']),
      leadTimeHours:
        allLeads.length === 0
          ? { defined: false, reason: 'no-detected-episodes', message: `${caller}: no episode had an alert within the horizon before its event` }
          : {
              defined: true,
              median: quantile7(allLeads, 0.5),
              q1: quantile7(allLeads, 0.25),
              q3: quantile7(allLeads, 0.75),
              ci: ci(medians[q] as Float64Array),
            },
    };
  });
}

/** One band × period of monitoring compliance: sets followed by another set, and those on time. */
export interface ComplianceSums {
  readonly sets: number;
  readonly onTime: number;
  readonly patients: number;
  readonly compliance: Ratio;
}

/**
 * Monitoring compliance: for each set with a band (`band[i]`, an index into `intervalsHours`; −1 for none), whether the
 * next set of its encounter (`nextAt[i]`, NaN when none) came within the band's interval + `toleranceMinutes`; by the
 * period (`night(dueAt)`) in which the interval ended. Returns [band][period: all, day, night]. Runs in O(n + B · patients).
 */
export function monitoringCompliance(
  w: Pick<WardSets, 'encounter' | 'time' | 'encounterPatient' | 'patients' | 'patientKeys'>,
  band: Int8Array,
  nextAt: Float64Array,
  intervalsHours: readonly number[],
  toleranceMinutes: number,
  night: (ms: number) => boolean,
  options: WardBootstrap,
): ComplianceSums[][] {
  const P = w.patients;
  const cells = intervalsHours.length * 2;
  // Per patient, per band × (day, night): [sets, on time].
  const tally = new Float64Array(P * cells * 2);
  for (let i = 0; i < band.length; i++) {
    const b = band[i] ?? -1;
    const next = nextAt[i] ?? Number.NaN;
    if (b < 0 || !Number.isFinite(next)) continue;
    const interval = (intervalsHours[b] as number) * HOUR;
    const t = w.time[i] as number;
    const c = b * 2 + (night(t + interval) ? 1 : 0);
    const p = w.encounterPatient[w.encounter[i] as number] ?? 0;
    inc(tally, (p * cells + c) * 2);
    if (next - t <= interval + toleranceMinutes * 60_000) inc(tally, (p * cells + c) * 2 + 1);
  }
  const columns = (b: number, period: number): number[] => (period === 0 ? [b * 2, b * 2 + 1] : [b * 2 + period - 1]);
  // Per replicate, the sums of every cell over the drawn patients (the same resamples for every cell).
  const ratioOf = (sums: Float64Array, b: number, period: number): number => {
    let n = 0;
    let k = 0;
    for (const c of columns(b, period)) {
      n += sums[c * 2] ?? 0;
      k += sums[c * 2 + 1] ?? 0;
    }
    return n > 0 ? k / n : Number.NaN;
  };
  const replicates = intervalsHours.map(() => [0, 1, 2].map(() => new Float64Array(options.B).fill(Number.NaN)));
  if (options.B > 0 && P > 0) {
    const weightsOf = replicateWeights(options.method ?? 'multinomial', P, options.seed, w.patientKeys);
    const weight = new Int32Array(P);
    const sums = new Float64Array(cells * 2);
    const width = cells * 2;
    for (let r = 0; r < options.B; r++) {
      sums.fill(0);
      weightsOf(r, weight);
      for (let p = 0; p < P; p++) {
        const wgt = weight[p] as number;
        if (wgt === 0) continue;
        const base = p * width;
        for (let j = 0; j < width; j++) sums[j] = (sums[j] as number) + wgt * (tally[base + j] as number);
      }
      intervalsHours.forEach((_, b) =>
        [0, 1, 2].forEach((period) => (((replicates[b] as Float64Array[])[period] as Float64Array)[r] = ratioOf(sums, b, period))),
      );
    }
  }
  const totals = new Float64Array(cells * 2);
  for (let p = 0; p < P; p++) for (let j = 0; j < cells * 2; j++) totals[j] = (totals[j] ?? 0) + (tally[p * cells * 2 + j] ?? 0);
  return intervalsHours.map((_, b) =>
    [0, 1, 2].map((period) => {
      const sets = columns(b, period).reduce((t, c) => t + (totals[c * 2] ?? 0), 0);
      const onTime = columns(b, period).reduce((t, c) => t + (totals[c * 2 + 1] ?? 0), 0);
      let patients = 0;
      for (let p = 0; p < P; p++) if (columns(b, period).some((c) => (tally[(p * cells + c) * 2] ?? 0) > 0)) patients++;
      const xs = (replicates[b] as Float64Array[])[period] as Float64Array;
      const compliance: Ratio =
        sets > 0
          ? { defined: true, estimate: onTime / sets, ci: options.B > 0 ? (percentileInterval(xs, options.level)?.ci ?? null) : null }
          : undefinedRatio('empty', 'no set in this band was followed by another set');
      return { sets, onTime, patients, compliance };
    }),
  );
}
