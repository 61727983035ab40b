/**
 * Synthetic EPR cohorts with known ground truth. The generative model, per patient and per admission:
 *
 * 1. A patient (sex, ethnic group, Monk skin tone, age by ethnic group, comorbidities, COPD — with chronic hypoxaemia
 *    and a clinician's Scale 2 order or not — and an unobserved frailty) and their admissions (emergency or elective;
 *    a primary diagnosis coded in ICD-10 — a COPD exacerbation, sepsis, heart failure, another infection or another
 *    cause — with its own physiology): the first at a random time of the year, each later one after a discharge
 *    alive, with a probability rising with frailty, weeks to months on (the profile's readmission model); the
 *    admissions of one patient share half their unobserved frailty.
 * 2. A latent severity S(t), hour by hour: an admission severity that settles over ~3 days, plus — for the patients
 *    who deteriorate (odds rising with frailty and the condition) — a drift upwards from an onset time, plus AR(1)
 *    noise and acute episodes.
 * 3. Events from a hazard that rises with severity, age and comorbidity: death, unplanned ICU admission or
 *    cardiac arrest. The first event ends the encounter's ward observations; what follows it is recorded too (a
 *    cardiac arrest is followed by death or an ICU admission; an ICU admission sometimes by death), from a stream of
 *    its own, so the ward trajectories do not depend on it. Follow-up ends at hospital discharge (`discharged_at`,
 *    the death itself for those who die); `left_ward_at` is when ward observation ended.
 * 4. Observation sets on ward time: the next set is due by the RCP's monitoring frequency for the band of the
 *    *measured* NEWS2 (12 h at 0, 6 h at 1–4, hourly at 5–6 or a red score and at ≥ 7), taken at a ward round in the
 *    last part of the interval, with a compliance lower by night (late sets; a sleeping patient at NEWS2 0 waits for
 *    06:00) — informative sampling through what the ward sees. Vitals, consciousness and (about daily) laboratory
 *    values are noisy functions of severity around the patient's baseline, with missingness that depends on the state.
 * 5. Escalation: a set that triggers a response under the policy (`escalationTrigger`) gets one with a stated
 *    probability (the truth table's `escalated`); with `escalationEffect`, an admission's first response works with
 *    that probability and ends the deterioration — the treatment paradox. Default 0: the natural history.
 * 6. Measured SpO2 = true arterial saturation + oximeter bias (by skin tone; growing as saturation falls) + device noise. The
 *    noise is drawn whatever the bias setting, and nothing in the latent course reads the measured SpO2, so `'none'` and
 *    `'literature'` give the same patients, trajectories and events (without an escalation effect, which acts on what
 *    the ward measures), differing only in measured SpO2 and what follows from it on the ward.
 *
 * Every patient draws from streams of their own, seeded by (seed, patient number), one per admission: the cohort
 * does not depend on the batch size, and the same seed gives the same bytes.
 */
import type { RecordBatch, Table } from 'apache-arrow';
import {
  Bool,
  Dictionary,
  Field,
  Float64,
  Int8,
  Int16,
  Int32,
  RecordBatch as Batch,
  Schema,
  Struct,
  Table as ArrowTable,
  TimestampMillisecond,
  Uint8,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { bitmapBytes } from '../../scores/kernel/output-columns.js';
import type { Random } from '../stats/random.js';
import { createRandom } from '../stats/random.js';
import type { OximeterBias } from './oximeter.js';
import { biasAt, deviceSd, PATIENT_SD, resolveBias } from './oximeter.js';
import { news2 } from '../../scores/catalogue/news2.js';
import { scoreObservation } from '../../scores/evaluate/score-observation.js';
import type { CohortProfile, Ethnicity } from './profiles.js';
import { DEFAULT_READMISSION, resolveProfile, tonesOf } from './profiles.js';
import type { EscalationTrigger, MonitoringBand } from '../ward/monitoring.js';
import { CONDITION_CODES } from '../codes/conditions.js';
import { ESCALATION_TRIGGERS, isNightHour, MONITORING_HOURS, monitoringBand, triggers } from '../ward/monitoring.js';

/** Bumped whenever the model changes what a seed produces. */
export const GENERATOR_VERSION = '4.0.0';

export interface CohortOptions {
  /** `'uk-leicester'`, `'india-apollo'`, or a profile object (`extends` + overrides). */
  profile?: string | (Partial<CohortProfile> & { extends?: string });
  encounters?: number;
  seed?: number;
  oximeterBias?: 'literature' | 'none' | OximeterBias;
  /** Encounters per Arrow batch (default 5000); memory is bounded by this, not by the cohort's size. */
  batchEncounters?: number;
  /** Start of the admission window (ms since epoch, default 2025-01-01 UTC); admissions spread over a year. */
  start?: number;
  /**
   * The probability (0–1) that an admission's first clinical response works: treatment of the cause, after which the deterioration
   * under way resolves over about a day (e-folding 24 h), no new acute episode starts, and the hazard of an event —
   * which rises with the latent severity — falls with it (default 0: no effect — see `DEFAULT_ESCALATION_EFFECT`).
   * With an effect, patients escalated because of a high score deteriorate less often: the treatment paradox a
   * validation then measures.
   */
  escalationEffect?: number;
  /** Which sets trigger a response: `'urgent'` (NEWS2 ≥ 5 or a red score, default), `'emergency'` (≥ 7), `'red'`. */
  escalationTrigger?: EscalationTrigger;
}

/**
 * The default escalation effect: 0, so a generated cohort's score–outcome relation is the natural history the score
 * is meant to predict. The effect of one escalated response on one patient's hazard is not established; the
 * published effect is hospital-level (rapid response systems: hospital mortality RR 0.88, cardiopulmonary arrest RR
 * 0.62 — Maharaj et al., Crit Care 2015;19:254). Set `escalationEffect` to study the treatment paradox.
 */
export const DEFAULT_ESCALATION_EFFECT = 0;

/** The five tables of a cohort, in the order they are written. */
export const COHORT_TABLES = ['patients', 'encounters', 'observations', 'events', 'truth'] as const;

export type CohortTableName = (typeof COHORT_TABLES)[number];

export interface Cohort {
  readonly patients: Table;
  readonly encounters: Table;
  readonly observations: Table;
  readonly events: Table;
  readonly truth: Table;
  readonly manifest: CohortManifest;
}

export interface CohortManifest {
  readonly generator: 'ewskit';
  readonly generatorVersion: string;
  readonly profile: CohortProfile;
  readonly seed: number;
  readonly encounters: number;
  readonly oximeterBias: OximeterBias;
  readonly escalation: { readonly effect: number; readonly trigger: EscalationTrigger; readonly resolvesOverHours: number; readonly response: typeof RESPONSE };
  readonly ward: { readonly rounds: readonly number[]; readonly compliance: typeof COMPLIANCE; readonly monitoringHours: typeof MONITORING_HOURS };
  readonly rows: Record<CohortTableName, number>;
}

const HOUR = 3_600_000;
/** Log-hazard per hour: baseline, per unit of latent severity, per year of age above 60, per comorbidity. */
const HAZARD = { base: -10.0, severity: 1.2, age: 0.03, comorbidity: 0.12 };
/** Acute episodes: log-probability per hour of one starting (and per unit of chronic severity), rise per hour, decay after. */
const ACUTE = { start: -7.5, perSeverity: 0.8, rise: 0.35, decay: 0.8 };
/** Missingness multipliers: at night (22:00–06:00), and when the patient is sick (severity > 2.5). */
const MISSING = { night: 2.5, sick: 0.5 };
/**
 * Ward rounds (clock hours): observations cluster at them. Recording of vital signs peaks at the drug-round times and
 * is lowest in the early hours (Hands et al., BMJ Qual Saf 2013;22:719–26); the round times are a common 4-hourly
 * pattern, illustrative.
 */
const ROUNDS: readonly number[] = [6, 10, 14, 18, 22];
/**
 * Monitoring compliance: the probability that the next set is taken within its band's interval (RCP 2017 Chart 4),
 * by day and by night. Lower at night and for the hourly bands, as audits find (Hands 2013); illustrative values.
 * A late set comes 1–4 h after it was due — or, at NEWS2 0 at night, at the 06:00 round.
 */
const COMPLIANCE = {
  day: { '0': 0.9, '1–4': 0.85, '5–6 or red': 0.75, '≥ 7': 0.85 },
  night: { '0': 0.6, '1–4': 0.7, '5–6 or red': 0.6, '≥ 7': 0.75 },
} as const;
/**
 * The response to a triggering set: made with these probabilities (day, night — audits of escalation find
 * 60–80 %; illustrative); it works with probability `escalationEffect`, and then ends the deterioration.
 */
const RESPONSE = { day: 0.8, night: 0.65 } as const;
/** Hours over which a treated deterioration resolves (its e-folding time). */
const TREATED_DECAY_HOURS = 24;
/** Rise in true SaO2 (points) on supplemental oxygen. */
const OXYGEN_GAIN = 5;
/** Mixed into a patient's seed for the measurement streams. */
const OBSERVATION_STREAM = 0x2545f491;
/** Mixed into a patient's seed for each admission's latent course. */
const ADMISSION_STREAM = 0x68e31da4;
/** Standard deviation of the unobserved frailty on the log-hazard scale. */
const HIDDEN_SD = 0.8;
const GROUPS: Ethnicity[] = ['Asian', 'White', 'Black', 'Mixed', 'Other'];

/**
 * Each admission's primary diagnosis and its physiology: offsets of the baseline vitals, how steeply each vital moves
 * per unit of latent severity, the admission severity, and the log-odds of deterioration. Sepsis: fever, tachycardia,
 * tachypnoea and hypotension (Sepsis-3: qSOFA's respiratory rate, systolic pressure and mentation); heart failure:
 * breathlessness and desaturation with little fever; a COPD exacerbation: tachypnoea and desaturation. Other
 * infections (pneumonia, urinary tract infection, cellulitis) keep the infection physiology without sepsis's
 * baseline; the rest are the common non-infective medical admissions. Illustrative sizes.
 */
const PHYSIOLOGY = {
  copd: { codes: [CONDITION_CODES.copd], rr0: 3, hr0: 4, temp0: 0, sbp0: 0, rr: 1.3, sat: 2.2, sbp: 2.5, temp: 0.06, s0: 0.3, odds: 0.3 },
  sepsis: { codes: [CONDITION_CODES.sepsis], rr0: 2, hr0: 10, temp0: 0.6, sbp0: -8, rr: 1.1, sat: 1.8, sbp: 6, temp: 0.35, s0: 0.5, odds: 0.9 },
  heartFailure: { codes: [CONDITION_CODES.heartFailure], rr0: 2, hr0: 6, temp0: 0, sbp0: 0, rr: 1.4, sat: 2.4, sbp: 2, temp: 0.03, s0: 0.3, odds: 0.4 },
  infection: { codes: ['J18.9', 'N39.0', 'L03.9'], rr0: 0, hr0: 0, temp0: 0, sbp0: 0, rr: 1.0, sat: 1.8, sbp: 5, temp: 0.3, s0: 0, odds: 0.6 },
  other: {
    codes: ['R07.4', 'I48.9', 'R55', 'K92.2', 'I63.9', 'E87.1', 'R29.6'],
    rr0: 0,
    hr0: 0,
    temp0: 0,
    sbp0: 0,
    rr: 1.0,
    sat: 1.8,
    sbp: 2.5,
    temp: 0.06,
    s0: 0,
    odds: 0,
  },
} as const;
type Physiology = (typeof PHYSIOLOGY)[keyof typeof PHYSIOLOGY];
const EVENT_TYPES = ['death', 'unplanned_icu', 'cardiac_arrest'] as const;

function pick<T>(rng: Random, items: readonly T[], weights: readonly number[]): T {
  let u = rng.next() * weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < items.length; i++) {
    u -= weights[i] ?? NaN;
    if (u < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

function poisson(rng: Random, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.next();
  } while (p > l);
  return k - 1;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The stream seed of patient i: a mix of the cohort seed and the patient number. */
function streamSeed(seed: number, i: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  return Math.imul(h, 0x27d4eb2f) >>> 0;
}

/** Columns of one batch, filled row by row. */
class Columns {
  readonly data: Record<string, unknown[]> = {};
  push(row: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(row)) (this.data[k] ??= []).push(v);
  }
  get length(): number {
    return Object.values(this.data)[0]?.length ?? 0;
  }
}

/** What stays with a patient across admissions. */
interface Patient {
  readonly id: string;
  readonly ethnicity: Ethnicity;
  readonly tone: number;
  readonly sex: 'F' | 'M';
  /** COPD (the patient's chronic condition), with chronic hypoxaemia or not, and a Scale 2 order or not. */
  readonly copd: boolean;
  readonly hypercapnic: boolean;
  readonly scale2: boolean;
  /** The patient's unobserved frailty (log-hazard scale), shared by their admissions with the model's correlation. */
  readonly hidden: number;
  /** The oximeter's per-patient offset (drawn whatever the bias setting, so counterfactual cohorts share it). */
  readonly oximeterOffset: number;
}

/** A hash of a stream seed with an admission number, for that admission's own streams. */
const admissionSeed = (base: number, k: number): number => (base ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0;

/**
 * One patient and their admissions: the first at a random time of the year, each later one (the readmission model
 * of the profile) after a discharge alive. Writes at most `room` encounters, numbered from `first`; returns how many.
 */
function simulatePatient(
  p: number,
  first: number,
  room: number,
  seed: number,
  profile: CohortProfile,
  bias: OximeterBias,
  escalation: AdmissionBaseline['escalation'],
  start: number,
  out: Record<CohortTableName, Columns>,
): number {
  const rng = createRandom(streamSeed(seed, p));
  const groups = GROUPS.filter((g) => (profile.ethnicity[g] ?? 0) > 0);
  const ethnicity = pick(
    rng,
    groups,
    groups.map((g) => profile.ethnicity[g] ?? 0),
  );
  const regionNames = Object.keys(profile.regions ?? {});
  const region =
    regionNames.length === 0
      ? null
      : pick(
          rng,
          regionNames,
          regionNames.map((r) => profile.regions?.[r]?.share ?? 0),
        );
  const regionTones = region === null ? undefined : profile.regions?.[region]?.skinTone;
  const tone = pick(rng, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], regionTones ?? tonesOf(profile, ethnicity));
  const sex = rng.bernoulli(0.5) ? 'F' : 'M';
  const ages = profile.ageByEthnicity?.[ethnicity] ?? profile.age;
  const firstAge = Math.round(clamp(rng.normal(ages.mean, ages.sd), profile.age.min, profile.age.max));
  let age = firstAge;
  // Case mix by group (e.g. diabetes and CKD are more common in South Asian patients in Leicester).
  const comorbidityMean = profile.comorbidityMean * (profile.comorbidityByEthnicity?.[ethnicity] ?? 1);
  let comorbidities = Math.min(12, poisson(rng, comorbidityMean * Math.exp(0.02 * (firstAge - 60))));
  // COPD; chronic hypoxaemia in some (resting saturation ~88–92 %); a clinician's Scale 2 order in some of those.
  const copd = rng.bernoulli(profile.conditions.copd.share);
  const hypercapnic = rng.bernoulli(profile.conditions.copd.chronicHypoxaemia) && copd;
  const scale2 = rng.bernoulli(profile.conditions.copd.scale2Ordered) && hypercapnic;
  const model = profile.readmission ?? DEFAULT_READMISSION;
  const patient: Patient = {
    id: `${profile.idPrefix ?? ''}P${String(p + 1).padStart(7, '0')}`,
    ethnicity,
    tone,
    sex,
    copd,
    hypercapnic,
    scale2,
    hidden: rng.normal(0, HIDDEN_SD),
    oximeterOffset: createRandom(streamSeed(seed, p) ^ OBSERVATION_STREAM).normal(0, PATIENT_SD),
  };
  out.patients.push({ patient_id: patient.id, sex, ethnicity, skin_tone: tone, population: profile.population, site: profile.site, region });
  const firstAdmission = start + Math.floor(rng.next() * 365 * 24) * HOUR + Math.floor(rng.next() * 60) * 60_000;
  let admittedAt = firstAdmission;
  let written = 0;
  for (let k = 0; k < model.maxAdmissions && written < room; k++) {
    const stay = simulateAdmission(patient, k, first + written, age, comorbidities, admittedAt, seed, p, profile, bias, escalation, out);
    written++;
    // Readmission: only after a discharge alive, more often in frail patients; the next admission weeks to months on.
    const again = rng.next();
    const gapDraw = rng.normal(0, 0.8);
    const progress = rng.next();
    if (stay.died) break;
    if (again >= 1 / (1 + Math.exp(-(model.baseLogOdds + model.frailtyLogOdds * stay.frailty)))) break;
    const gapDays = Math.max(7, model.gapDaysMedian * Math.exp(gapDraw));
    admittedAt = stay.dischargedAt + Math.round(gapDays * 24) * HOUR;
    age = Math.min(profile.age.max, firstAge + Math.floor((admittedAt - firstAdmission) / (365.25 * 24 * HOUR)));
    if (progress < 0.1) comorbidities = Math.min(12, comorbidities + 1);
  }
  return written;
}

/** What an admission carries from one observation set to the next: oxygen, the last bloods, when the next set is due. */
interface WardState {
  oxygen: boolean;
  lastLab: number;
  nextObs: number;
  /** When the last set was taken (ms; −∞ before the first). */
  lastAt: number;
  /** Whether a response has been made, and the hour of the one that worked (∞: none). */
  responded: boolean;
  treatedAt: number;
}

/** An admission's fixed facts and baseline vitals, around which its observation sets vary. */
interface AdmissionBaseline {
  readonly patientId: string;
  readonly encounterId: string;
  readonly tone: number;
  readonly hypercapnic: boolean;
  readonly scale2: boolean;
  readonly oximeterOffset: number;
  readonly infection: boolean;
  readonly physiology: Physiology;
  /** The clock hour (UTC, the ward's time here) at admission. */
  readonly admitHour: number;
  readonly escalation: { readonly effect: number; readonly trigger: EscalationTrigger };
  readonly age: number;
  readonly comorbidities: number;
  readonly admittedAt: number;
  readonly sat0: number;
  readonly rr0: number;
  readonly hr0: number;
  readonly sbp0: number;
  readonly temp0: number;
  readonly cr0: number;
  /** The site's multiplier of the chance a vital sign is left uncharted (its observation practice; 1 by default). */
  readonly missingness: number;
}

/**
 * One observation set at hour `t` of severity `s`, from the measurement stream `obs` (every draw is made whatever is
 * recorded): its row and its truth, the oxygen it leads to, and when the next set is due (the measured NEWS2's
 * schedule).
 */
function observeSet(
  obs: Random,
  base: AdmissionBaseline,
  bias: OximeterBias,
  t: number,
  s: number,
  ward: WardState,
  out: Record<CohortTableName, Columns>,
): void {
  // One observation set, from the measurement stream: every draw is made whatever is recorded.
  const ph = base.physiology;
  const sao2 = clamp(base.sat0 - ph.sat * s + (ward.oxygen ? OXYGEN_GAIN : 0) + obs.normal(0, 0.8), 60, 100);
  const deviceNoise = obs.normal(0, deviceSd(sao2));
  const spo2 = clamp(Math.round(sao2 + biasAt(bias, base.tone, sao2) + base.oximeterOffset + deviceNoise), 50, 100);
  const rr = Math.round(Math.max(4, base.rr0 + ph.rr * s + obs.normal(0, 1.6)));
  const hr = Math.round(Math.max(30, base.hr0 + 4.5 * s + obs.normal(0, 6)));
  const sbp = Math.round(Math.max(50, base.sbp0 - ph.sbp * s + obs.normal(0, 9)));
  const dbp = Math.round(Math.max(25, 0.62 * sbp + obs.normal(0, 5)));
  const temp = round1(base.temp0 + ph.temp * s + obs.normal(0, 0.25));
  // Oxygen is prescribed from the *measured* saturation (what the ward sees): an over-reading oximeter withholds it.
  // The target is 88–92 % where a clinician has ordered Scale 2, else 92 % or more.
  const target = base.scale2 ? 88 : 92;
  const prescribe = obs.next();
  const onOxygen = ward.oxygen;
  // The next set's oxygen follows this reading: started below the target, stopped well above it.
  ward.oxygen = spo2 < target ? prescribe < 0.9 : ward.oxygen ? spo2 <= target + 4 || prescribe < 0.5 : prescribe < 0.02;
  const cu = obs.next();
  const altered = s > 3.5 ? Math.min(0.9, 0.18 * (s - 3.5)) : 0;
  const consciousness = cu < altered * 0.45 ? 'C' : cu < altered * 0.75 ? 'V' : cu < altered * 0.92 ? 'P' : cu < altered ? 'U' : 'A';
  const gcsByLevel: Record<string, number> = { A: 15, C: 14 - (obs.next() < 0.5 ? 1 : 0), V: 11, P: 8, U: 4 };
  const gcsRecorded = obs.next() < 0.3;
  const labDue = t - ward.lastLab >= 24;
  const lactate = round1(Math.max(0.3, 0.9 + 0.32 * s ** 1.6 + obs.normal(0, 0.2)));
  const creatinine = Math.round(Math.max(20, base.cr0 * (1 + 0.18 * s) + obs.normal(0, 6)));
  const wcc = round1(Math.max(0.5, 7 + (base.infection ? 2.3 : 0.5) * s + obs.normal(0, 1.3)));
  const miss = [obs.next(), obs.next(), obs.next(), obs.next(), obs.next()];
  if (labDue) ward.lastLab = t;
  // Within the first 50 minutes of the clock hour of step t, so that sets taken at a round fall in its hour (the
  // first set: after admission, in the rest of the admission's hour), and at least 10 minutes after the last set
  // (a ward does not chart two sets minutes apart; an extract's charting window would merge them).
  const u = obs.next();
  const hourStart = Math.floor((base.admittedAt + t * HOUR) / HOUR) * HOUR;
  const planned =
    t === 0
      ? base.admittedAt + Math.floor((u * Math.max(0, hourStart + 50 * 60_000 - base.admittedAt)) / 60_000) * 60_000
      : hourStart + Math.floor(u * 50) * 60_000;
  const at = Math.max(planned, ward.lastAt + 10 * 60_000);
  ward.lastAt = at;
  // Missingness depends on the state: fewer full sets at night (22:00–06:00), more when the patient is sick.
  const hour = new Date(at).getUTCHours();
  const missScale = base.missingness * (isNightHour(hour) ? MISSING.night : 1) * (s > 2.5 ? MISSING.sick : 1);
  const gone = (k: number, p: number) => (miss[k] ?? 1) < p * missScale;
  const row = {
    patient_id: base.patientId,
    encounter_id: base.encounterId,
    observed_at: at,
    respiratory_rate: gone(0, 0.01) ? null : rr,
    spo2,
    spo2_scale: base.scale2 ? 2 : null,
    on_oxygen: onOxygen,
    systolic_bp: gone(1, 0.01) ? null : sbp,
    diastolic_bp: gone(1, 0.01) ? null : dbp,
    heart_rate: hr,
    consciousness: gone(2, 0.015) ? null : consciousness,
    temperature: gone(3, 0.04) ? null : temp,
    gcs: gcsRecorded ? gcsByLevel[consciousness] : null,
    age: base.age,
    lactate: labDue ? lactate : null,
    creatinine: labDue ? creatinine : null,
    white_cell_count: labDue ? wcc : null,
    comorbidity_count: base.comorbidities,
  };
  out.observations.push(row);
  // What the ward does next follows the *measured* NEWS2 (RCP 2017, Chart 4): the monitoring interval of its band,
  // and a clinical response when the set triggers one (the escalation policy).
  const measured = scoreObservation(
    news2,
    {
      respiratoryRate: row.respiratory_rate,
      spo2: row.spo2,
      spo2Scale: row.spo2_scale,
      onOxygen: row.on_oxygen,
      systolicBP: row.systolic_bp,
      heartRate: row.heart_rate,
      consciousness: row.consciousness,
      temperature: row.temperature,
    },
    { missing: 'zero' },
  );
  const total = measured.total ?? 0;
  const red = measured.redFlag === true;
  const night = isNightHour((base.admitHour + t) % 24);
  const respond = obs.next() < (night ? RESPONSE.night : RESPONSE.day);
  const succeeds = obs.next() < base.escalation.effect;
  const escalated = triggers(base.escalation.trigger, total, red) && respond;
  // The admission's first response works with probability `effect` and ends the deterioration from the next hour;
  // later responses to the same deterioration change nothing more (so the effect is per admission, not per alert).
  if (escalated && !ward.responded) {
    ward.responded = true;
    if (succeeds) ward.treatedAt = t;
  }
  out.truth.push({
    encounter_id: base.encounterId,
    observed_at: at,
    severity: Math.round(s * 1000) / 1000,
    sao2: round1(sao2),
    oximeter_bias: round1(spo2 - sao2),
    escalated,
  });
  ward.nextObs = nextSetHour(t, monitoringBand(total, red), base.admitHour, miss[4] ?? NaN, obs.next());
}

/**
 * The hour of the next set after a set at hour `t` in `band`: on time (with the compliance of the hour it falls due,
 * day or night) at the last ward round in the final third of the interval, else when due; late, 1–4 h after it was
 * due — or, at NEWS2 0 at night, at the 06:00 round (the patient is left to sleep).
 */
function nextSetHour(t: number, band: MonitoringBand, admitHour: number, u: number, lateness: number): number {
  const interval = MONITORING_HOURS[band];
  const due = t + interval;
  const clock = (h: number): number => (admitHour + h) % 24;
  const night = isNightHour(clock(due));
  if (u < COMPLIANCE[night ? 'night' : 'day'][band]) {
    // By night the window is wider: a set due in the small hours is taken at the 22:00 round.
    const window = Math.floor(night ? interval / 2 : interval / 3);
    for (let h = due; interval >= 4 && h >= due - window; h--) if (ROUNDS.includes(clock(h))) return h;
    return due;
  }
  if (band === '0' && night) {
    let h = due + 1;
    while (clock(h) !== 6) h++;
    return h;
  }
  return due + 1 + Math.floor(lateness * 4);
}

/** One admission of a patient, simulated; returns when it ended, whether the patient died, and its frailty. */
function simulateAdmission(
  patient: Patient,
  k: number,
  i: number,
  age: number,
  comorbidities: number,
  admittedAt: number,
  seed: number,
  p: number,
  profile: CohortProfile,
  bias: OximeterBias,
  escalation: AdmissionBaseline['escalation'],
  out: Record<CohortTableName, Columns>,
): { died: boolean; frailty: number; admittedAt: number; dischargedAt: number } {
  // Two streams per admission: its latent course (the same whatever is measured) and the measurements with what
  // follows from them (oxygen, observation timing), which may differ between counterfactual cohorts.
  const rng = createRandom(admissionSeed(streamSeed(seed, p) ^ ADMISSION_STREAM, k));
  const obs = createRandom(admissionSeed(streamSeed(seed, p) ^ OBSERVATION_STREAM, k));
  const { id: patientId, tone, hypercapnic, scale2, oximeterOffset } = patient;
  const encounterId = `${profile.idPrefix ?? ''}E${String(i + 1).padStart(7, '0')}`;
  const emergency = rng.bernoulli(profile.emergencyShare);
  // The primary diagnosis: a COPD patient's admission is an exacerbation with the profile's probability; otherwise
  // sepsis, heart failure, another infection (so that infections make up the profile's share) or another cause.
  const c = profile.conditions;
  const conditionDraw = rng.next();
  const codeDraw = rng.next();
  const otherInfection = c.sepsis < 1 ? (profile.infectionShare - c.sepsis) / (1 - c.sepsis - c.heartFailure || 1) : 0;
  const kind: keyof typeof PHYSIOLOGY =
    patient.copd && rng.next() < c.copd.exacerbation
      ? 'copd'
      : conditionDraw < c.sepsis
        ? 'sepsis'
        : conditionDraw < c.sepsis + c.heartFailure
          ? 'heartFailure'
          : (conditionDraw - c.sepsis - c.heartFailure) / (1 - c.sepsis - c.heartFailure || 1) < otherInfection
            ? 'infection'
            : 'other';
  const physiology = PHYSIOLOGY[kind];
  const diagnosis = physiology.codes[Math.floor(codeDraw * physiology.codes.length)] as string;
  const infection = kind === 'sepsis' || kind === 'infection';
  const plannedHours = Math.max(12, Math.round(Math.exp(rng.normal(Math.log(profile.stayDays * 24) - 0.18, 0.6))));
  // Frailty: older, more comorbid, emergency admissions deteriorate more often.
  const frailty = 0.025 * (age - 60) + 0.3 * comorbidities + (emergency ? 0.4 : 0);
  const deteriorates = rng.next() < 1 / (1 + Math.exp(-(-2.9 + 0.55 * frailty + physiology.odds + profile.deteriorationShift)));
  const onset = 6 + rng.next() * plannedHours * 0.7;
  const rate = 0.02 + rng.next() * 0.06;
  // Deterioration plateaus at a patient-specific level: not every deteriorating patient becomes extreme.
  const plateau = 2.5 + rng.next() * 4;
  const s0 = Math.max(0, rng.normal(0.5 + 0.25 * frailty + physiology.s0, 0.45));
  // Baselines around which vitals vary.
  const rr0 = rng.normal(16 + physiology.rr0, 1.5);
  const hr0 = rng.normal(78 + physiology.hr0, 9);
  const sbp0 = rng.normal(128 + physiology.sbp0, 15);
  const sat0 = hypercapnic ? rng.normal(90, 1.2) : rng.normal(97.2, 1);
  const temp0 = rng.normal(36.8 + physiology.temp0, 0.25);
  const cr0 = rng.normal(80, 15) * (1 + 0.05 * comorbidities);
  // Frailty the vitals do not show (the reason no early-warning score is perfect): the patient's, shared across
  // their admissions with the readmission model's correlation, and this admission's own.
  const rho = (profile.readmission ?? DEFAULT_READMISSION).frailtyCorrelation;
  const hidden = Math.sqrt(rho) * patient.hidden + Math.sqrt(1 - rho) * rng.normal(0, HIDDEN_SD);

  let noise = 0;
  let acute = 0;
  let acuteLeft = 0;
  // Supplemental oxygen, prescribed from the last *measured* saturation and titrated to it (it raises the true SaO2).
  const ward: WardState = { oxygen: false, lastLab: -Infinity, nextObs: 0, lastAt: -Infinity, responded: false, treatedAt: Infinity };
  const base: AdmissionBaseline = {
    patientId,
    encounterId,
    tone,
    hypercapnic,
    scale2,
    oximeterOffset,
    infection,
    physiology,
    admitHour: new Date(admittedAt).getUTCHours(),
    escalation,
    age,
    comorbidities,
    admittedAt,
    sat0,
    rr0,
    hr0,
    sbp0,
    temp0,
    cr0,
    missingness: profile.missingness ?? 1,
  };
  let eventAt = -1;
  let eventType = '';
  let t = 0;
  for (t = 0; t < plannedHours; t++) {
    noise = 0.9 * noise + rng.normal(0, 0.12);
    // The deterioration drift; after a response that worked, what had built up resolves over about a day and no
    // more builds (`ward.treatedAt`: ∞ without one, and always without an escalation effect).
    const built = (h: number): number => (deteriorates && h > onset ? Math.min(plateau, rate * (h - onset)) : 0);
    const drift = t > ward.treatedAt ? built(ward.treatedAt) * Math.exp(-(t - ward.treatedAt) / TREATED_DECAY_HOURS) : built(t);
    const chronic = Math.max(0, s0 * Math.exp(-t / 72) + drift + noise);
    // Acute decompensation: episodes start more often in sicker patients and rise over a few hours; events follow
    // them closely, so a set taken long before an event shows less of what precedes it (discrimination falls with
    // lead time).
    const episodeDraw = rng.next();
    const episodeSize = rng.next();
    if (acuteLeft === 0 && t <= ward.treatedAt && episodeDraw < Math.exp(ACUTE.start + ACUTE.perSeverity * chronic))
      acuteLeft = 4 + Math.floor(episodeSize * 5);
    if (acuteLeft > 0) {
      acute += ACUTE.rise;
      acuteLeft--;
    } else acute *= ACUTE.decay;
    const s = chronic + acute;
    // Hazard per hour.
    const eventDraw = rng.next();
    const typeDraw = rng.next();
    if (t >= ward.nextObs) observeSet(obs, base, bias, t, s, ward, out);
    const hazard = Math.exp(HAZARD.base + HAZARD.severity * s + HAZARD.age * (age - 60) + HAZARD.comorbidity * comorbidities + hidden);
    if (eventDraw < hazard) {
      eventAt = admittedAt + t * HOUR + 55 * 60_000;
      eventType = EVENT_TYPES[typeDraw < 0.6 ? 0 : typeDraw < 0.93 ? 1 : 2] as string; // 60 % / 33 % / 7 %
      break;
    }
  }
  const leftWard = admittedAt + (eventAt >= 0 ? t + 1 : plannedHours) * HOUR;
  const events = eventAt >= 0 ? afterTheFirst(createRandom(admissionSeed(streamSeed(seed, p) ^ AFTER_STREAM, k)), eventAt, eventType) : [];
  const death = events.find((e) => e.type === 'death');
  const dischargedAt = death !== undefined ? death.at : eventAt >= 0 ? (events[events.length - 1]?.at ?? leftWard) + ICU_STAY_HOURS * HOUR : leftWard;
  out.encounters.push({
    encounter_id: encounterId,
    patient_id: patientId,
    age,
    admitted_at: admittedAt,
    discharged_at: dischargedAt,
    left_ward_at: leftWard,
    admission_type: emergency ? 'emergency' : 'elective',
    comorbidity_count: comorbidities,
    primary_diagnosis: diagnosis,
  });
  for (const e of events) out.events.push({ encounter_id: encounterId, event_at: e.at, event_type: e.type });
  return { died: death !== undefined, frailty, admittedAt, dischargedAt };
}

/** Mixed into an encounter's seed for the stream of what follows its first event. */
const AFTER_STREAM = 0x5bd1e995;
/** Hours in critical care (and hospital) after an ICU admission, for those who survive it. */
const ICU_STAY_HOURS = 5 * 24;

/**
 * The first event and what follows it: after a cardiac arrest, death within 48 h (half) or an ICU admission an hour
 * later; after an ICU admission, death within 14 days (a fifth). Illustrative shares, not estimates.
 */
function afterTheFirst(rng: Random, at: number, type: string): { at: number; type: string }[] {
  const events = [{ at, type }];
  const deathDraw = rng.next();
  const delay = rng.next();
  if (type === 'cardiac_arrest') {
    if (deathDraw < 0.5) events.push({ at: at + Math.round((0.5 + 47.5 * delay) * 60) * 60_000, type: 'death' });
    else events.push({ at: at + HOUR, type: 'unplanned_icu' });
  }
  const last = events[events.length - 1] as { at: number; type: string };
  const icuDeath = rng.next();
  const icuDelay = rng.next();
  if (last.type === 'unplanned_icu' && icuDeath < 0.2) events.push({ at: last.at + Math.round((12 + 324 * icuDelay) * 60) * 60_000, type: 'death' });
  return events;
}

/** Dictionary columns get fixed ids (0, 1, … within each table), so the same cohort is the same bytes. */
let nextDictionaryId = 0;
const dict = () => new Dictionary(new Utf8(), new Int32(), nextDictionaryId++);

const SCHEMAS: Record<CohortTableName, [string, () => import('apache-arrow').DataType][]> = {
  patients: [
    ['patient_id', () => new Utf8()],
    ['sex', dict],
    ['ethnicity', dict],
    ['skin_tone', () => new Int8()],
    ['population', dict],
    ['site', dict],
    ['region', dict],
  ],
  encounters: [
    ['encounter_id', () => new Utf8()],
    ['patient_id', () => new Utf8()],
    ['age', () => new Int16()],
    ['admitted_at', () => new TimestampMillisecond()],
    ['discharged_at', () => new TimestampMillisecond()],
    ['left_ward_at', () => new TimestampMillisecond()],
    ['admission_type', dict],
    ['comorbidity_count', () => new Int8()],
    ['primary_diagnosis', () => new Utf8()],
  ],
  observations: [
    ['patient_id', () => new Utf8()],
    ['encounter_id', () => new Utf8()],
    ['observed_at', () => new TimestampMillisecond()],
    ['respiratory_rate', () => new Float64()],
    ['spo2', () => new Float64()],
    ['spo2_scale', () => new Int8()],
    ['on_oxygen', () => new Bool()],
    ['systolic_bp', () => new Float64()],
    ['diastolic_bp', () => new Float64()],
    ['heart_rate', () => new Float64()],
    ['consciousness', dict],
    ['temperature', () => new Float64()],
    ['gcs', () => new Int8()],
    ['age', () => new Int16()],
    ['lactate', () => new Float64()],
    ['creatinine', () => new Float64()],
    ['white_cell_count', () => new Float64()],
    ['comorbidity_count', () => new Uint8()],
  ],
  events: [
    ['encounter_id', () => new Utf8()],
    ['event_at', () => new TimestampMillisecond()],
    ['event_type', dict],
  ],
  truth: [
    ['encounter_id', () => new Utf8()],
    ['observed_at', () => new TimestampMillisecond()],
    ['severity', () => new Float64()],
    ['sao2', () => new Float64()],
    ['oximeter_bias', () => new Float64()],
    ['escalated', () => new Bool()],
  ],
};

/** The Arrow schema of a cohort table, with its fixed dictionaries (shared by every batch). */
function schemaOf(name: CohortTableName, profile: CohortProfile) {
  nextDictionaryId = 0;
  const types = SCHEMAS[name].map(([, t]) => t());
  const dictionaries = new Map<string, import('apache-arrow').Vector>();
  SCHEMAS[name].forEach(([column], k) => {
    if (types[k] instanceof Dictionary) dictionaries.set(column, vectorFromArray(dictionaryValues(column, profile), new Utf8()));
  });
  return { schema: new Schema(SCHEMAS[name].map(([n], k) => new Field(n, types[k] as import('apache-arrow').DataType, true))), types, dictionaries };
}

/** Fixed dictionaries, so every batch of a table shares one (Arrow IPC files allow no replacement). */
function dictionaryValues(column: string, profile: CohortProfile): string[] {
  switch (column) {
    case 'sex':
      return ['F', 'M'];
    case 'ethnicity':
      return GROUPS;
    case 'population':
      return [profile.population];
    case 'site':
      return [profile.site];
    case 'admission_type':
      return ['emergency', 'elective'];
    case 'region':
      return Object.keys(profile.regions ?? {});
    case 'consciousness':
      return ['A', 'C', 'V', 'P', 'U'];
    default:
      return [...EVENT_TYPES];
  }
}

function toBatch(
  name: CohortTableName,
  cols: Columns,
  shape: { schema: Schema; types: import('apache-arrow').DataType[]; dictionaries: Map<string, import('apache-arrow').Vector> },
  profile: CohortProfile,
): RecordBatch {
  const n = cols.length;
  const children = SCHEMAS[name].map(([column], k) => {
    const type = shape.types[k] as import('apache-arrow').DataType;
    const values = (cols.data[column] ?? new Array(n).fill(null)) as unknown[];
    if (type instanceof Dictionary) {
      const list = dictionaryValues(column, profile);
      const keys = new Int32Array(n);
      const validity = new Uint8Array(bitmapBytes(n));
      let nulls = 0;
      values.forEach((v, i) => {
        if (v === null) nulls++;
        else {
          keys[i] = list.indexOf(v as string);
          validity[i >> 3] = (validity[i >> 3] ?? NaN) | (1 << (i & 7));
        }
      });
      return makeData({
        type,
        length: n,
        nullCount: nulls,
        nullBitmap: nulls > 0 ? validity : undefined,
        data: keys,
        dictionary: shape.dictionaries.get(column),
      } as never);
    }
    return vectorFromArray(values as never, type as never).data[0] as import('apache-arrow').Data;
  });
  return new Batch(shape.schema, makeData({ type: new Struct(shape.schema.fields), length: n, nullCount: 0, children }));
}

/**
 * Generate a cohort as a stream of Arrow batches, `batchEncounters` encounters at a time: memory stays bounded
 * whatever the number of encounters. Yields `{ table, batch }`; every table's schema is in `schemas`.
 */
export function* streamCohort(
  options: CohortOptions = {},
): Generator<{ table: CohortTableName; batch: RecordBatch; encountersDone: number }, CohortManifest, void> {
  const caller = 'generateCohort';
  const encounters = options.encounters ?? 1000;
  if (!Number.isInteger(encounters) || encounters < 0)
    throw new RangeError(`${caller}: option "encounters" expected a whole number ≥ 0; received ${String(encounters)}.`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`${caller}: option "seed" expected a whole number; received ${String(seed)}.`);
  const per = options.batchEncounters ?? 5000;
  if (!Number.isInteger(per) || per < 1) throw new RangeError(`${caller}: option "batchEncounters" expected a whole number ≥ 1; received ${String(per)}.`);
  const profile = resolveProfile(options.profile ?? 'uk-leicester');
  const bias = resolveBias(options.oximeterBias);
  const effect = options.escalationEffect ?? DEFAULT_ESCALATION_EFFECT;
  if (typeof effect !== 'number' || !(effect >= 0 && effect <= 1))
    throw new RangeError(`${caller}: option "escalationEffect" expected a share from 0 to 1; received ${String(effect)}.`);
  const trigger = options.escalationTrigger ?? 'urgent';
  if (!ESCALATION_TRIGGERS.includes(trigger))
    throw new RangeError(`${caller}: option "escalationTrigger" expected one of ${ESCALATION_TRIGGERS.join(', ')}; received ${String(trigger)}.`);
  const escalation = { effect, trigger };
  const start = options.start ?? Date.UTC(2025, 0, 1);
  const names = COHORT_TABLES;
  const shapes = Object.fromEntries(names.map((n) => [n, schemaOf(n, profile)])) as Record<CohortTableName, ReturnType<typeof schemaOf>>;
  const rows: Record<CohortTableName, number> = { patients: 0, encounters: 0, observations: 0, events: 0, truth: 0 };
  // Patients one after another, each with their admissions, until the cohort has its encounters; a batch closes
  // once it holds `batchEncounters` of them (a patient's admissions stay in one batch).
  let done = 0;
  let patient = 0;
  do {
    const out = Object.fromEntries(names.map((n) => [n, new Columns()])) as Record<CohortTableName, Columns>;
    const from = done;
    while (done < encounters && done - from < per) done += simulatePatient(patient++, done, encounters - done, seed, profile, bias, escalation, start, out);
    for (const name of names) {
      rows[name] += out[name].length;
      yield { table: name, batch: toBatch(name, out[name], shapes[name], profile), encountersDone: done };
    }
  } while (done < encounters);
  return {
    generator: 'ewskit',
    generatorVersion: GENERATOR_VERSION,
    profile,
    seed,
    encounters,
    oximeterBias: bias,
    escalation: { effect, trigger, resolvesOverHours: TREATED_DECAY_HOURS, response: RESPONSE },
    ward: { rounds: ROUNDS, compliance: COMPLIANCE, monitoringHours: MONITORING_HOURS },
    rows,
  };
}

/**
 * Generate a synthetic EPR cohort in memory: patients, encounters, observations (the canonical observation
 * schema), events, and the separate truth table (latent severity, true arterial saturation, oximeter error).
 * Same options → same tables, byte for byte. Runs in O(encounters × stay length).
 *
 * @param options profile (`'uk-leicester'` | `'india-apollo'` | object), encounters (default 1000), seed (default 1),
 *   oximeterBias (`'literature'` (default) | `'none'` | `{ perTone, below90, slopeBelow94 }`)
 * @returns the five tables and a manifest (profile, seed, options, generator version, row counts)
 * @throws {RangeError} for an unknown profile or bad option
 * @example generateCohort({ profile: 'uk-leicester', encounters: 500, seed: 1 }).observations.numRows;
 */
export function generateCohort(options: CohortOptions = {}): Cohort {
  const batches: Record<CohortTableName, RecordBatch[]> = { patients: [], encounters: [], observations: [], events: [], truth: [] };
  const stream = streamCohort(options);
  let step = stream.next();
  while (step.done !== true) {
    batches[step.value.table].push(step.value.batch);
    step = stream.next();
  }
  const manifest = step.value;
  const table = (name: CohortTableName): Table => new ArrowTable(batches[name]);
  return {
    patients: table('patients'),
    encounters: table('encounters'),
    observations: table('observations'),
    events: table('events'),
    truth: table('truth'),
    manifest,
  };
}
