/**
 * Stage of `validate`: what each score's alerting rules do on the ward — alert burden, repeat alerts, the first
 * alert's PPV, episode-level sensitivity, lead time — and, for NEWS2, compliance with the monitoring frequency of its
 * band (RCP 2017 Chart 4). The arithmetic is `ward/alert-measures.ts`; this stage reads the cohort, builds its inputs
 * from the analysis set and counts them into the alert count table (`alertCounts`: what a site summary shares and the
 * engine report reads), then computes the section from that table and releases every number through disclosure
 * control (`alertsSection`).
 */
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { AlertRuleRow, AlertScoreSection, AlertsSection, LeadTimeCell, MonitoringRow, UndefinedCell } from '../report/types.js';
import type { Disclosure } from '../disclosure/disclosure.js';
import { upperBound } from '../stats/sorted.js';
import type { ComplianceCounts, Ratio, RuleCounts, WardSets } from '../ward/alert-measures.js';
import type { RuleMeasures } from '../ward/alert-measures.js';
import { addComplianceCounts, addRuleCounts, complianceCounts, complianceOfCounts, measuresOfRuleCounts, ruleCounts } from '../ward/alert-measures.js';
import type { BootstrapMethod } from '../bootstrap/replicate-weights.js';
import type { AlertRule } from './intervals.js';
import { isNightTime, MONITORING_BANDS, MONITORING_HOURS, monitoringBand } from '../ward/monitoring.js';
import { timeValue } from '../outcomes/label-outcomes.js';
import type { AnalysisSet } from './analysis-set.js';
import { columnValues } from './analysis-set.js';
import type { ScoreIntervalsPlan } from './intervals.js';
import type { Settings } from './options.js';

const TABLE = { table: 'alerts' };
const time = timeValue;

/** The encounters' ward times and first events, by encounter id. */
function encounterFacts(settings: Settings): { wardMs: Map<string, number>; eventAt: Map<string, number>; wardTime: string } {
  const wardMs = new Map<string, number>();
  const enc = settings.cohort.encounters;
  const ids = enc === undefined ? null : columnValues(enc, 'encounter_id');
  const admitted = enc === undefined ? null : columnValues(enc, 'admitted_at');
  const left = enc === undefined ? null : (columnValues(enc, 'left_ward_at') ?? columnValues(enc, 'discharged_at'));
  const wardTime =
    ids === null || admitted === null || left === null
      ? 'not known: alerts per patient-day need an encounters table with admitted_at and left_ward_at (or discharged_at)'
      : `from admitted_at to ${enc?.getChild('left_ward_at') !== null ? 'left_ward_at' : 'discharged_at'} of each encounter (encounters without both are left out of alerts per patient-day)`;
  if (ids !== null && admitted !== null && left !== null)
    ids.forEach((id, j) => {
      const ms = time(left[j]) - time(admitted[j]);
      if (Number.isFinite(ms) && ms >= 0) wardMs.set(String(id), ms);
    });
  // An episode: the encounter's first event, when it is of the outcome's types (a competing event first is none).
  const chosen = settings.outcome.eventTypes === undefined ? null : new Set(settings.outcome.eventTypes);
  const evEnc = columnValues(settings.cohort.events, 'encounter_id') ?? [];
  const evAt = columnValues(settings.cohort.events, 'event_at') ?? [];
  const evType = columnValues(settings.cohort.events, 'event_type') ?? [];
  const first = new Map<string, { at: number; type: string }>();
  evEnc.forEach((e, j) => {
    const at = time(evAt[j]);
    if (!Number.isFinite(at)) return;
    const key = String(e);
    const seen = first.get(key);
    if (seen === undefined || at < seen.at) first.set(key, { at, type: String(evType[j]) });
  });
  const eventAt = new Map<string, number>();
  for (const [e, { at, type }] of first) if (chosen === null || chosen.has(type)) eventAt.set(e, at);
  return { wardMs, eventAt, wardTime };
}

/** A released estimate, or the reason it is undefined. */
function ratioCell(r: Ratio): { defined: true; estimate: number; ci: readonly [number, number] | null } | UndefinedCell {
  return r.defined ? { defined: true, estimate: r.estimate, ci: r.ci } : { defined: false, reason: r.reason, message: r.message };
}

/** One rule's row, every number under disclosure control. */
function ruleRow(label: string, m: RuleMeasures, sdc: Disclosure, setsCell: unknown): AlertRuleRow {
  const s = m.sums;
  const alerts = sdc.count(s.alerts, TABLE);
  const dependsOn = [alerts, setsCell];
  const alertBasis = { patients: s.patientsWithAlert, counts: [s.alerts] };
  const lead: LeadTimeCell | UndefinedCell = m.leadTimeHours.defined
    ? { defined: true, median: m.leadTimeHours.median, q1: m.leadTimeHours.q1, q3: m.leadTimeHours.q3, ci: m.leadTimeHours.ci }
    : { defined: false, reason: m.leadTimeHours.reason, message: m.leadTimeHours.message };
  return {
    rule: label,
    alerts,
    perPatientDay: sdc.release(ratioCell(m.perPatientDay), alertBasis, { ...TABLE, dependsOn }),
    per100Sets: sdc.release(ratioCell(m.per100Sets), alertBasis, { ...TABLE, dependsOn }),
    repeatAlertRate: sdc.release(
      ratioCell(m.repeatAlertRate),
      { patients: s.patientsWithAlert, counts: [s.repeats, s.alerts - s.repeats] },
      { ...TABLE, dependsOn },
    ),
    firstAlertPpv: sdc.release(
      ratioCell(m.firstAlertPpv),
      { patients: s.patientsWithAlert, counts: [s.firstAlertPositive, s.encountersWithAlert - s.firstAlertPositive] },
      { ...TABLE, dependsOn },
    ),
    episodeSensitivity: sdc.release(
      ratioCell(m.episodeSensitivity),
      { events: s.episodes, patients: s.patientsWithEpisode, counts: [s.detected, s.episodes - s.detected] },
      { ...TABLE, dependsOn },
    ),
    // A median and quartiles are values of single episodes: released only from enough detected episodes and patients.
    leadTimeHours: sdc.release(lead, { events: s.detected, patients: s.patientsDetected }, { ...TABLE, dependsOn }),
  };
}

/** One score's alert counts: its analysed sets, its episodes, each rule's counts and NEWS2's monitoring compliance. */
export interface ScoreAlertCounts {
  readonly score: string;
  /** The score's analysed sets (the flow's). */
  readonly sets: number;
  /** Encounters of the score's sets with an event of the outcome (episodes). */
  readonly episodes: number;
  readonly rules: readonly { readonly label: string; readonly counts: RuleCounts }[];
  /** NEWS2's monitoring compliance by band (`MONITORING_BANDS`); null for every other score. */
  readonly monitoring: ComplianceCounts | null;
}

/**
 * The alert measures' count table: per score and rule, per bootstrap replicate (the data first), the sums the
 * measures are ratios of and the lead times counted per value; NEWS2's monitoring compliance likewise. With the Poisson
 * bootstrap, the tables of disjoint sets of patients add ({@link addAlertCounts}) — the alert measures of all of them.
 */
export interface AlertCountTable {
  readonly B: number;
  /** How patients were resampled: only the Poisson bootstrap's replicates add across parts. */
  readonly method: BootstrapMethod;
  /** The study's bootstrap seed (each score's streams derive from it, as `validate`'s do). */
  readonly seed: number;
  readonly horizonHours: number;
  readonly risingBy: number | null;
  readonly toleranceMinutes: number;
  /** How ward time is measured, or why alerts per patient-day are undefined. */
  readonly wardTime: string;
  readonly scores: readonly ScoreAlertCounts[];
}

/**
 * The alert measures' counts of every score. Runs in O(n log n + B · patients · rules).
 *
 * @param rules each score's alerting rules (`planIntervals`: the clinical cut-offs, then the red score)
 * @param bootstrap the study's replicates (B = 0: the data's counts only), seed and resampling method
 */
export function alertCounts(
  settings: Settings,
  set: AnalysisSet,
  rules: readonly (readonly AlertRule[])[],
  bootstrap: { readonly B: number; readonly seed: number; readonly method: BootstrapMethod },
): AlertCountTable {
  const { wardMs, eventAt, wardTime } = encounterFacts(settings);
  const encounterIds = columnValues(set.scored, 'encounter_id') ?? [];
  const times = columnValues(set.scored, 'observed_at') ?? [];
  const { B, method } = bootstrap;
  const seed = bootstrap.seed ^ 0x41_4c_45_52; // 'ALER': the alert measures' own stream
  const { risingBy, toleranceMinutes } = settings.alerts;
  // Every set's time per encounter (all scored rows, analysed or not): the next set taken, for monitoring compliance.
  const allTimes = new Map<string, number[]>();
  encounterIds.forEach((e, i) => {
    const t = time(times[i]);
    if (e === null || e === undefined || !Number.isFinite(t)) return;
    const list = allTimes.get(String(e));
    if (list === undefined) allTimes.set(String(e), [t]);
    else list.push(t);
  });
  for (const list of allTimes.values()) list.sort((a, b) => a - b);

  const scores = settings.scores.map((def, s): ScoreAlertCounts => {
    const values = set.values[s] ?? new Float64Array(0);
    const red = set.redFlags[s] ?? null;
    const keep: number[] = [];
    values.forEach((v, k) => {
      if (Number.isFinite(v)) keep.push(k);
    });
    // Encounters and patients of the score's sets, numbered.
    const encNumber = new Map<string, number>();
    const encKeys: string[] = [];
    const encPatient: number[] = [];
    const patNumber = new Map<number, number>();
    const encounter = new Int32Array(keep.length);
    const at = new Float64Array(keep.length);
    keep.forEach((k, j) => {
      const i = set.rows[k] as number;
      const key = String(encounterIds[i]);
      let e = encNumber.get(key);
      if (e === undefined) {
        e = encKeys.length;
        encNumber.set(key, e);
        encKeys.push(key);
        const p = set.patient[k] ?? 0;
        if (!patNumber.has(p)) patNumber.set(p, patNumber.size);
        encPatient.push(patNumber.get(p) ?? 0);
      }
      encounter[j] = e;
      at[j] = time(times[i]);
    });
    const w: WardSets = {
      encounter,
      time: at,
      encounterPatient: Int32Array.from(encPatient),
      patients: patNumber.size,
      patientKeys: [...patNumber.keys()].map((p) => set.patientKeys[p] as string),
      wardMs: Float64Array.from(encKeys, (e) => wardMs.get(e) ?? Number.NaN),
      eventAt: Float64Array.from(encKeys, (e) => eventAt.get(e) ?? Number.NaN),
      horizonHours: settings.horizonHours,
    };
    // The rules: the score's clinical cut-offs and red score, then (points scores, when asked) rising by ≥ risingBy.
    const plan = rules[s] ?? [];
    const labels = plan.map((r) => r.label);
    const fires = plan.map((r) => Uint8Array.from(keep, (k) => (((r.column === s ? values[k] : (red?.[k] ?? 0)) ?? NaN) >= r.cut ? 1 : 0)));
    if (risingBy !== null && !kindOf(def).probabilistic) {
      // The previous set of the same encounter (in time order) among the score's sets.
      const order = Int32Array.from(keep.keys()).sort((a, b) => (encounter[a] ?? 0) - (encounter[b] ?? 0) || (at[a] ?? 0) - (at[b] ?? 0) || a - b);
      const rising = new Uint8Array(keep.length);
      for (let j = 1; j < order.length; j++) {
        const a = order[j - 1] as number;
        const b = order[j] as number;
        if (encounter[a] === encounter[b] && (values[keep[b] as number] ?? NaN) - (values[keep[a] as number] ?? NaN) >= risingBy) rising[b] = 1;
      }
      labels.push(`${def.name} rising by ≥ ${risingBy} from the previous set`);
      fires.push(rising);
    }
    const counted = ruleCounts(w, fires, { B, seed: seed + s, method });
    // Monitoring compliance: NEWS2's chart sets the frequency by band.
    let monitoring: ComplianceCounts | null = null;
    if (def.id === 'news2') {
      const band = Int8Array.from(keep, (k) => {
        const v = values[k] ?? NaN;
        return MONITORING_BANDS.indexOf(monitoringBand(v, (red?.[k] ?? 0) >= 1));
      });
      const nextAt = Float64Array.from(keep, (_, j) => {
        const list = allTimes.get(encKeys[encounter[j] ?? 0] ?? '') ?? [];
        const next = upperBound(list, at[j] ?? NaN);
        return next < list.length ? (list[next] ?? NaN) : Number.NaN;
      });
      const hours = MONITORING_BANDS.map((b) => MONITORING_HOURS[b]);
      monitoring = complianceCounts(w, band, nextAt, hours, toleranceMinutes, isNightTime, { B, seed: seed + 0x100 + s, method });
    }
    return {
      score: def.id,
      sets: keep.length,
      episodes: encKeys.filter((e) => eventAt.has(e)).length,
      rules: labels.map((label, r) => ({ label, counts: counted[r] as RuleCounts })),
      monitoring,
    };
  });
  return { B, method, seed: bootstrap.seed, horizonHours: settings.horizonHours, risingBy, toleranceMinutes, wardTime, scores };
}

/**
 * The alert-measures tables of disjoint sets of patients added (two sites, two partitions of a warehouse): the table
 * of all of them, when their bootstrap is the Poisson one (a patient's weight is a hash of its key). Ward time's
 * statement is kept when the parts agree, else both are given.
 *
 * @throws {TypeError} naming the field where the two tables' settings, scores or rules differ
 */
export function addAlertCounts(a: AlertCountTable, b: AlertCountTable): AlertCountTable {
  const fn = 'addAlertCounts';
  for (const t of [a, b])
    if (t.B > 0 && t.method !== 'poisson')
      throw new TypeError(`${fn}: field "method" is "${t.method}"; only the Poisson bootstrap's replicates add (a patient's weight a hash of its key).`);
  for (const field of ['B', 'method', 'seed', 'horizonHours', 'risingBy', 'toleranceMinutes'] as const)
    if (a[field] !== b[field])
      throw new TypeError(`${fn}: field "${field}" differs (${String(a[field])} and ${String(b[field])}); add tables of the same study.`);
  const ids = (t: AlertCountTable) => t.scores.map((s) => `${s.score}: ${s.rules.map((r) => r.label).join(', ')}`).join('; ');
  if (ids(a) !== ids(b)) throw new TypeError(`${fn}: field "scores" differs (${ids(a)} and ${ids(b)}); add tables of the same scores and rules.`);
  return {
    ...a,
    wardTime: a.wardTime === b.wardTime ? a.wardTime : `${a.wardTime}; in another part, ${b.wardTime}`,
    scores: a.scores.map((s, i) => {
      const o = b.scores[i] as ScoreAlertCounts;
      return {
        score: s.score,
        sets: s.sets + o.sets,
        episodes: s.episodes + o.episodes,
        rules: s.rules.map((r, k) => ({ label: r.label, counts: addRuleCounts(r.counts, (o.rules[k] as (typeof s.rules)[number]).counts) })),
        monitoring: s.monitoring === null || o.monitoring === null ? (s.monitoring ?? o.monitoring) : addComplianceCounts(s.monitoring, o.monitoring),
      };
    }),
  };
}

/**
 * The alert measures from their counts, every number released through disclosure control (`sets`: each score's
 * analysed-sets cell of the flow, the same number and cell; absent, counted here). Runs in O(B · rules · lead times).
 */
export function alertsSection(table: AlertCountTable, sets: (s: number) => unknown, sdc: Disclosure, level: number): AlertsSection {
  sdc.declareTable({
    name: 'alerts',
    dimensions: [
      'score',
      'alerting rule (clinical cut-offs, red score, rising)',
      'measure (alerts; per patient-day; per 100 sets; repeat rate; first-alert PPV; episode sensitivity; lead time)',
      'NEWS2 monitoring band × period (compliance)',
    ],
    margins:
      "a NEWS2 band's sets are its day and night sets; otherwise each measure is a ratio of its own counts, and a score's sets are the flow's analysed sets (the same cells)",
  });
  const scores = table.scores.map((score, s): AlertScoreSection => {
    const setsCell = sets(s) ?? sdc.count(score.sets, TABLE);
    const episodes = sdc.count(score.episodes, TABLE);
    const rules = score.rules.map((r) => ruleRow(r.label, measuresOfRuleCounts(r.counts, level), sdc, setsCell));
    let monitoring: MonitoringRow[] | null = null;
    if (score.monitoring !== null) {
      const sums = complianceOfCounts(score.monitoring, level);
      monitoring = MONITORING_BANDS.flatMap((b, bi) => {
        const rows = (['all', 'day', 'night'] as const).map((period, pi): MonitoringRow => {
          const c = sums[bi]?.[pi] ?? { sets: 0, onTime: 0, patients: 0, compliance: { defined: false as const, reason: 'empty', message: '' } };
          const setsOf = sdc.count(c.sets, TABLE);
          return {
            band: b,
            intervalHours: MONITORING_HOURS[b],
            period,
            sets: setsOf,
            compliance: sdc.release(
              ratioCell(c.compliance),
              { patients: c.patients, counts: [c.onTime, c.sets - c.onTime] },
              { ...TABLE, dependsOn: [setsOf] },
            ),
          };
        });
        // A band's sets are its day and night sets: a suppressed one must not come back by subtraction.
        sdc.relation(rows[0]?.sets, [rows[1]?.sets, rows[2]?.sets]);
        return rows;
      });
    }
    return { id: score.score, sets: setsCell as AlertScoreSection['sets'], episodes, rules, monitoring };
  });
  return { wardTime: table.wardTime, toleranceMinutes: table.toleranceMinutes, risingBy: table.risingBy, scores };
}

/** The study's alert counts, with its bootstrap (none: the data's counts only). */
export function alertTable(settings: Settings, set: AnalysisSet, plans: readonly ScoreIntervalsPlan[]): AlertCountTable {
  const boot = settings.bootstrap;
  return alertCounts(
    settings,
    set,
    plans.map((p) => p.rules),
    { B: boot?.B ?? 0, seed: boot?.seed ?? 1, method: boot?.method ?? 'poisson' },
  );
}
