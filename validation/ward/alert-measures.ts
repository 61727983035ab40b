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
const F = { alerts: 0, sets: 1, alertsWard: 2, wardMs: 3, repeats: 4, withAlert: 5, firstPositive: 6, episodes: 7, detected: 8 } as const;
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
      // Ward time summed in milliseconds (whole numbers: sums exact in any order, so parts add to the bit).
      if (Number.isFinite(w.wardMs[e] ?? NaN)) tally[base + F.wardMs] = (tally[base + F.wardMs] ?? 0) + (w.wardMs[e] as number);
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

/** The fields that are zero for most patients (all but sets and ward time), summed over a rule's active patients. */
const SPARSE = [F.alerts, F.alertsWard, F.repeats, F.withAlert, F.firstPositive, F.episodes, F.detected] as const;

/** The ratios of a rule: numerator field, denominator field, scale — in the order of `RuleMeasures`. */
const RATIOS = [
  [F.alertsWard, F.wardMs, DAY],
  [F.alerts, F.sets, 100],
  [F.repeats, F.alerts, 1],
  [F.firstPositive, F.withAlert, 1],
  [F.detected, F.episodes, 1],
] as const;

/**
 * One rule's counts: per replicate — the data first, then each bootstrap replicate — the sums its measures are ratios
 * of, and how many detected episodes had each lead time. A replicate's sums are the patients' tallies weighted by their
 * bootstrap weights; with the Poisson bootstrap (weights from a hash of the patient's key) the counts of disjoint sets of
 * patients add (`addRuleCounts`): what lets sites pool the alert measures from counts.
 */
export interface RuleCounts {
  /**
   * (B + 1) × 9, row by row: the data's sums, then each replicate's, of alerts, sets, alerts with a ward time, ward
   * time (ms), repeat alerts, encounters with an alert, first alerts followed by the event, episodes, detected episodes.
   */
  readonly sums: Float64Array;
  /** The distinct lead times (hours) of the detected episodes, ascending. */
  readonly leads: Float64Array;
  /** (B + 1) × leads.length: the detected episodes with each lead time — in the data, then weighted in each replicate. */
  readonly leadCounts: Float64Array;
  /** Patients with ≥ 1 alert, with ≥ 1 episode, with ≥ 1 detected episode (the disclosure basis; the data's). */
  readonly patientsWithAlert: number;
  readonly patientsWithEpisode: number;
  readonly patientsDetected: number;
}

/** The fields of a rule's sums, in their order in {@link RuleCounts}' rows. */
export const RULE_COUNT_FIELDS = [
  'alerts',
  'sets',
  'alertsWithWardTime',
  'wardMs',
  'repeats',
  'encountersWithAlert',
  'firstAlertPositive',
  'episodes',
  'detected',
] as const;

/**
 * Each rule's counts; `rules[r][i]` is whether rule r alerts on set i. One patient-clustered bootstrap serves every
 * rule (the same resamples). Runs in O(n log n + B · (patients + patients with an alert or an episode, per rule) + B ·
 * distinct lead times).
 */
export function ruleCounts(w: WardSets, rules: readonly Uint8Array[], options: Omit<WardBootstrap, 'level'>): RuleCounts[] {
  const P = w.patients;
  const B = options.B;
  const order = wardOrder(w);
  const tallies = rules.map((fires) => tallyRule(w, fires, order));
  const out = tallies.map(({ tally, leads }) => {
    const sums = new Float64Array((B + 1) * FIELDS);
    for (let f = 0; f < FIELDS; f++) {
      let s = 0;
      for (let p = 0; p < P; p++) s += tally[p * FIELDS + f] ?? 0;
      sums[f] = s;
    }
    const all = Float64Array.from(leads.flat()).sort();
    const distinct = all.filter((x, i) => i === 0 || x !== all[i - 1]);
    const leadCounts = new Float64Array((B + 1) * distinct.length);
    let k = 0;
    all.forEach((x, i) => {
      if (i > 0 && x !== all[i - 1]) k++;
      leadCounts[k] = (leadCounts[k] ?? 0) + 1;
    });
    const patientsWith = (f: number): number => {
      let n = 0;
      for (let p = 0; p < P; p++) if ((tally[p * FIELDS + f] ?? 0) > 0) n++;
      return n;
    };
    return {
      sums,
      leads: distinct,
      leadCounts,
      patientsWithAlert: patientsWith(F.alerts),
      patientsWithEpisode: patientsWith(F.episodes),
      patientsDetected: patientsWith(F.detected),
    };
  });
  if (B === 0 || P === 0) return out;
  // The dense denominators (sets, ward time) are the same for every rule; a rule's other fields are zero for most
  // patients, so each rule sums them over its active patients only.
  const dense = tallies[0]?.tally ?? new Float64Array(0);
  const active = tallies.map(({ tally }) =>
    Int32Array.from(Array.from({ length: P }, (_, p) => p).filter((p) => [F.alerts, F.episodes].some((f) => (tally[p * FIELDS + f] ?? 0) > 0))),
  );
  // The dense fields in arrays of their own: the draws read them at random, so they should sit close together.
  const denseSets = Float64Array.from({ length: P }, (_, p) => dense[p * FIELDS + F.sets] ?? 0);
  const denseMs = Float64Array.from({ length: P }, (_, p) => dense[p * FIELDS + F.wardMs] ?? 0);
  // Patients with a lead time, per rule, and the index of each of their lead times among the rule's distinct ones.
  const leadPatients = tallies.map(({ leads }) => Int32Array.from(Array.from({ length: P }, (_, p) => p).filter((p) => (leads[p]?.length ?? 0) > 0)));
  const leadIndex = tallies.map(({ leads }, q) => {
    const at = new Map(Array.from((out[q] as RuleCounts).leads, (x, i) => [x, i] as const));
    return leads.map((list) => list.map((x) => at.get(x) ?? 0));
  });
  const weightsOf = replicateWeights(options.method ?? 'multinomial', P, options.seed, w.patientKeys);
  const weight = new Int32Array(P);
  for (let r = 0; r < B; r++) {
    // Weigh the patients; the dense sums (sets, ward time) over all of them.
    weightsOf(r, weight);
    let sets = 0;
    let wardMs = 0;
    for (let p = 0; p < P; p++) {
      const wgt = weight[p] as number;
      sets += wgt * (denseSets[p] as number);
      wardMs += wgt * (denseMs[p] as number);
    }
    for (let q = 0; q < tallies.length; q++) {
      const tally = (tallies[q] as { tally: Float64Array }).tally;
      const c = out[q] as RuleCounts;
      // The drawn sums of every field: the dense ones from the draws, the others over the rule's active patients.
      const row = (r + 1) * FIELDS;
      const drawn = c.sums;
      drawn[row + F.sets] = sets;
      drawn[row + F.wardMs] = wardMs;
      for (const p of active[q] as Int32Array) {
        const wgt = weight[p] ?? 0;
        if (wgt === 0) continue;
        const o = p * FIELDS;
        for (const f of SPARSE) drawn[row + f] = (drawn[row + f] ?? 0) + wgt * (tally[o + f] ?? 0);
      }
      const L = c.leads.length;
      const index = leadIndex[q] as number[][];
      for (const p of leadPatients[q] as Int32Array) {
        const wgt = weight[p] ?? 0;
        if (wgt === 0) continue;
        for (const i of index[p] as number[]) c.leadCounts[(r + 1) * L + i] = (c.leadCounts[(r + 1) * L + i] ?? 0) + wgt;
      }
    }
  }
  return out;
}

/**
 * The type-7 quantile of a multiset given as ascending distinct `values` with `counts` (from `offset`): the same
 * number `quantile7` gives on the values repeated their counts' times. NaN when the counts sum to 0.
 */
export function countedQuantile7(values: ArrayLike<number>, counts: ArrayLike<number>, offset: number, prob: number): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) n += counts[offset + i] ?? 0;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  // The value at sorted position k: the first whose cumulative count exceeds k.
  const at = (k: number): number => {
    let c = 0;
    for (let i = 0; i < values.length; i++) {
      c += counts[offset + i] ?? 0;
      if (c > k) return values[i] as number;
    }
    return Number.NaN;
  };
  const a = at(lo);
  return a + (h - lo) * (at(hi) - a);
}

/**
 * A rule's measures from its counts, each with its percentile interval over the replicates (none when B = 0). Runs in
 * O(B · distinct lead times).
 */
export function measuresOfRuleCounts(c: RuleCounts, level: number): RuleMeasures {
  const B = c.sums.length / FIELDS - 1;
  const L = c.leads.length;
  const at = (r: number, f: number): number => c.sums[r * FIELDS + f] ?? 0;
  const sums: RuleSums = {
    alerts: at(0, F.alerts),
    sets: at(0, F.sets),
    alertsWithWardTime: at(0, F.alertsWard),
    wardDays: at(0, F.wardMs) / DAY,
    repeats: at(0, F.repeats),
    encountersWithAlert: at(0, F.withAlert),
    firstAlertPositive: at(0, F.firstPositive),
    episodes: at(0, F.episodes),
    detected: at(0, F.detected),
    patientsWithAlert: c.patientsWithAlert,
    patientsWithEpisode: c.patientsWithEpisode,
    patientsDetected: c.patientsDetected,
  };
  const ci = (xs: Float64Array): readonly [number, number] | null => (B > 0 ? (percentileInterval(xs, level)?.ci ?? null) : null);
  const ratio = (m: number, none: [string, string]): Ratio => {
    const [num, den, scale] = RATIOS[m] as (typeof RATIOS)[number];
    const d = at(0, den);
    if (!(d > 0)) return undefinedRatio(...none);
    const replicates = Float64Array.from({ length: B }, (_, r) => {
      const dr = at(r + 1, den);
      return dr > 0 ? (scale * at(r + 1, num)) / dr : Number.NaN;
    });
    return { defined: true, estimate: (scale * at(0, num)) / d, ci: ci(replicates) };
  };
  const median = countedQuantile7(c.leads, c.leadCounts, 0, 0.5);
  return {
    sums,
    perPatientDay: ratio(0, ['no-ward-time', 'no encounter has a ward time (admitted_at, and left_ward_at or discharged_at)']),
    per100Sets: ratio(1, ['empty', 'the score has no analysed sets']),
    repeatAlertRate: ratio(2, ['no-alerts', 'the rule never alerts']),
    firstAlertPpv: ratio(3, ['no-alerts', 'the rule never alerts']),
    episodeSensitivity: ratio(4, ['no-episodes', 'no encounter of the analysed sets has an event']),
    leadTimeHours: Number.isNaN(median)
      ? { defined: false, reason: 'no-detected-episodes', message: `${caller}: no episode had an alert within the horizon before its event` }
      : {
          defined: true,
          median,
          q1: countedQuantile7(c.leads, c.leadCounts, 0, 0.25),
          q3: countedQuantile7(c.leads, c.leadCounts, 0, 0.75),
          ci: ci(Float64Array.from({ length: B }, (_, r) => countedQuantile7(c.leads, c.leadCounts, (r + 1) * L, 0.5))),
        },
  };
}

/**
 * Each rule's measures; `rules[r][i]` is whether rule r alerts on set i. One patient-clustered bootstrap serves every
 * rule (the same resamples): {@link ruleCounts}, then {@link measuresOfRuleCounts}. Runs in O(n log n + B · (patients +
 * patients with an alert or an episode, per rule) + B · distinct lead times).
 *
 * @example ruleMeasures(w, [fires], { B: 0, seed: 1, level: 0.95 })[0].per100Sets; // { defined: true, estimate, ci: null }
 */
export function ruleMeasures(w: WardSets, rules: readonly Uint8Array[], options: WardBootstrap): RuleMeasures[] {
  return ruleCounts(w, rules, options).map((c) => measuresOfRuleCounts(c, options.level));
}

/** Two rules' counts over disjoint sets of patients, added (the same B): the lead times merged. */
export function addRuleCounts(a: RuleCounts, b: RuleCounts): RuleCounts {
  const fn = 'addRuleCounts';
  if (a.sums.length !== b.sums.length)
    throw new TypeError(`${fn}: the counts have ${a.sums.length / FIELDS - 1} and ${b.sums.length / FIELDS - 1} replicates; add counts of the same B.`);
  const rows = a.sums.length / FIELDS;
  const leads = Float64Array.from(new Set([...a.leads, ...b.leads])).sort();
  const at = new Map(Array.from(leads, (x, i) => [x, i] as const));
  const leadCounts = new Float64Array(rows * leads.length);
  for (const part of [a, b]) {
    const L = part.leads.length;
    const index = Array.from(part.leads, (x) => at.get(x) ?? 0);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < L; i++)
        leadCounts[r * leads.length + (index[i] as number)] = (leadCounts[r * leads.length + (index[i] as number)] ?? 0) + (part.leadCounts[r * L + i] ?? 0);
  }
  return {
    sums: a.sums.map((x, i) => x + (b.sums[i] ?? 0)),
    leads,
    leadCounts,
    patientsWithAlert: a.patientsWithAlert + b.patientsWithAlert,
    patientsWithEpisode: a.patientsWithEpisode + b.patientsWithEpisode,
    patientsDetected: a.patientsDetected + b.patientsDetected,
  };
}

/** One band × period of monitoring compliance: sets followed by another set, and those on time. */
export interface ComplianceSums {
  readonly sets: number;
  readonly onTime: number;
  readonly patients: number;
  readonly compliance: Ratio;
}

/**
 * Monitoring compliance's counts: per replicate (the data first), per band × (day, night), the sets followed by another
 * set and those on time; and per band × period (all, day, night) the patients with such a set (the disclosure basis).
 * With the Poisson bootstrap they add over disjoint sets of patients (`addComplianceCounts`).
 */
export interface ComplianceCounts {
  /** Bands. */
  readonly bands: number;
  /** (B + 1) × bands × 2 × 2, row by row: per band and (day, night), [sets, on time]. */
  readonly sums: Float64Array;
  /** Per band, per period (all, day, night): patients with a set followed by another set. */
  readonly patients: readonly (readonly number[])[];
}

/**
 * Monitoring compliance's counts: for each set with a band (`band[i]`, an index into `intervalsHours`; −1 for none),
 * whether the next set of its encounter (`nextAt[i]`, NaN when none) came within the band's interval +
 * `toleranceMinutes`; by the period (`night(dueAt)`) in which the interval ended. Runs in O(n + B · patients).
 */
export function complianceCounts(
  w: Pick<WardSets, 'encounter' | 'time' | 'encounterPatient' | 'patients' | 'patientKeys'>,
  band: Int8Array,
  nextAt: Float64Array,
  intervalsHours: readonly number[],
  toleranceMinutes: number,
  night: (ms: number) => boolean,
  options: Omit<WardBootstrap, 'level'>,
): ComplianceCounts {
  const P = w.patients;
  const cells = intervalsHours.length * 2;
  const width = cells * 2;
  // Per patient, per band × (day, night): [sets, on time].
  const tally = new Float64Array(P * width);
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
  const sums = new Float64Array((options.B + 1) * width);
  for (let p = 0; p < P; p++) for (let j = 0; j < width; j++) sums[j] = (sums[j] ?? 0) + (tally[p * width + j] ?? 0);
  if (options.B > 0 && P > 0) {
    // Per replicate, the sums of every cell over the drawn patients (the same resamples for every cell).
    const weightsOf = replicateWeights(options.method ?? 'multinomial', P, options.seed, w.patientKeys);
    const weight = new Int32Array(P);
    for (let r = 0; r < options.B; r++) {
      weightsOf(r, weight);
      const row = (r + 1) * width;
      for (let p = 0; p < P; p++) {
        const wgt = weight[p] as number;
        if (wgt === 0) continue;
        const base = p * width;
        for (let j = 0; j < width; j++) sums[row + j] = (sums[row + j] as number) + wgt * (tally[base + j] as number);
      }
    }
  }
  const patients = intervalsHours.map((_, b) =>
    [0, 1, 2].map((period) => {
      let n = 0;
      for (let p = 0; p < P; p++) if (periodColumns(b, period).some((c) => (tally[(p * cells + c) * 2] ?? 0) > 0)) n++;
      return n;
    }),
  );
  return { bands: intervalsHours.length, sums, patients };
}

/** The band × (day, night) columns of a band's period: all is day and night. */
const periodColumns = (b: number, period: number): number[] => (period === 0 ? [b * 2, b * 2 + 1] : [b * 2 + period - 1]);

/** Monitoring compliance from its counts: [band][period: all, day, night], each with its percentile interval. Runs in O(B · bands). */
export function complianceOfCounts(c: ComplianceCounts, level: number): ComplianceSums[][] {
  const width = c.bands * 4;
  const B = c.sums.length / width - 1;
  const sumsOf = (r: number, b: number, period: number): [number, number] => {
    let n = 0;
    let k = 0;
    for (const col of periodColumns(b, period)) {
      n += c.sums[r * width + col * 2] ?? 0;
      k += c.sums[r * width + col * 2 + 1] ?? 0;
    }
    return [n, k];
  };
  return Array.from({ length: c.bands }, (_, b) =>
    [0, 1, 2].map((period) => {
      const [sets, onTime] = sumsOf(0, b, period);
      const xs = Float64Array.from({ length: B }, (_, r) => {
        const [n, k] = sumsOf(r + 1, b, period);
        return n > 0 ? k / n : Number.NaN;
      });
      const compliance: Ratio =
        sets > 0
          ? { defined: true, estimate: onTime / sets, ci: B > 0 ? (percentileInterval(xs, level)?.ci ?? null) : null }
          : undefinedRatio('empty', 'no set in this band was followed by another set');
      return { sets, onTime, patients: c.patients[b]?.[period] ?? 0, compliance };
    }),
  );
}

/**
 * Monitoring compliance: {@link complianceCounts}, then {@link complianceOfCounts}. Returns [band][period: all, day,
 * night]. Runs in O(n + B · patients).
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
  return complianceOfCounts(complianceCounts(w, band, nextAt, intervalsHours, toleranceMinutes, night, options), options.level);
}

/** Two compliance counts over disjoint sets of patients, added (the same bands and B). */
export function addComplianceCounts(a: ComplianceCounts, b: ComplianceCounts): ComplianceCounts {
  if (a.bands !== b.bands || a.sums.length !== b.sums.length)
    throw new TypeError(`addComplianceCounts: the counts differ in bands (${a.bands}, ${b.bands}) or replicates; add counts of the same study.`);
  return {
    bands: a.bands,
    sums: a.sums.map((x, i) => x + (b.sums[i] ?? 0)),
    patients: a.patients.map((row, i) => row.map((x, j) => x + (b.patients[i]?.[j] ?? 0))),
  };
}
