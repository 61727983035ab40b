/**
 * Stage of `validate`: what each score's alerting rules do on the ward — alert burden, repeat alerts, the first
 * alert's PPV, episode-level sensitivity, lead time — and, for NEWS2, compliance with the monitoring frequency of its
 * band (RCP 2017 Chart 4). The arithmetic is `ward/alert-measures.ts`; this stage reads the cohort, builds its inputs
 * from the analysis set, and releases every number through disclosure control.
 */
import { kindOf } from '../../scores/kinds/kind-of.js';
import type { AlertRuleRow, AlertScoreSection, AlertsSection, FlowSection, LeadTimeCell, MonitoringRow, UndefinedCell } from '../report/types.js';
import type { Disclosure } from '../disclosure/disclosure.js';
import { upperBound } from '../stats/sorted.js';
import type { Ratio, RuleMeasures, WardSets } from '../ward/alert-measures.js';
import { monitoringCompliance, ruleMeasures } from '../ward/alert-measures.js';
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

/**
 * The alert measures of every score. Runs in O(n log n + B · patients · rules).
 *
 * @param plans the scores' alerting rules (`planIntervals`)
 * @param flow the flow, whose analysed sets per score are the `sets` cells here (the same number, the same cell)
 */
export function alerts(settings: Settings, set: AnalysisSet, plans: readonly ScoreIntervalsPlan[], flow: FlowSection, sdc: Disclosure): AlertsSection {
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
  const { wardMs, eventAt, wardTime } = encounterFacts(settings);
  const encounterIds = columnValues(set.scored, 'encounter_id') ?? [];
  const times = columnValues(set.scored, 'observed_at') ?? [];
  const B = settings.bootstrap?.B ?? 0;
  const seed = (settings.bootstrap?.seed ?? 1) ^ 0x41_4c_45_52; // 'ALER': the alert measures' own stream
  const method = settings.bootstrap?.method ?? 'poisson';
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

  const scores = settings.scores.map((def, s): AlertScoreSection => {
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
    const plan = plans[s]?.rules ?? [];
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
    const measured = ruleMeasures(w, fires, { B, seed: seed + s, level: settings.level, method });
    const setsCell = flow.scores[s]?.analysed.sets ?? sdc.count(keep.length, TABLE);
    const episodes = sdc.count(encKeys.filter((e) => eventAt.has(e)).length, TABLE);
    const rules = labels.map((label, r) => ruleRow(label, measured[r] as RuleMeasures, sdc, setsCell));
    // Monitoring compliance: NEWS2's chart sets the frequency by band.
    let monitoring: MonitoringRow[] | null = null;
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
      const sums = monitoringCompliance(w, band, nextAt, hours, toleranceMinutes, isNightTime, { B, seed: seed + 0x100 + s, level: settings.level, method });
      monitoring = MONITORING_BANDS.flatMap((b, bi) => {
        const rows = (['all', 'day', 'night'] as const).map((period, pi): MonitoringRow => {
          const c = sums[bi]?.[pi] ?? { sets: 0, onTime: 0, patients: 0, compliance: { defined: false as const, reason: 'empty', message: '' } };
          const sets = sdc.count(c.sets, TABLE);
          return {
            band: b,
            intervalHours: MONITORING_HOURS[b],
            period,
            sets,
            compliance: sdc.release(ratioCell(c.compliance), { patients: c.patients, counts: [c.onTime, c.sets - c.onTime] }, { ...TABLE, dependsOn: [sets] }),
          };
        });
        // A band's sets are its day and night sets: a suppressed one must not come back by subtraction.
        sdc.relation(rows[0]?.sets, [rows[1]?.sets, rows[2]?.sets]);
        return rows;
      });
    }
    return { id: def.id, sets: setsCell as AlertScoreSection['sets'], episodes, rules, monitoring };
  });
  return { wardTime, toleranceMinutes, risingBy, scores };
}
