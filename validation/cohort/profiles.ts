/**
 * Population profiles for the synthetic cohort generator, as data. A user profile (JSON) overrides any field of
 * a built-in one.
 *
 * Sources for the defaults:
 * - **Catchment, uk-leicester** (the default): the University Hospitals of Leicester serve Leicester, Leicestershire
 *   and Rutland (LLR, about 1.1 million people). Its ethnic mix is the three local authorities' 2021 Census mixes
 *   weighted by population (ONS Census 2021, TS021): Leicester 368,600 (Asian 43.4 %, White 40.9 %, Black 7.8 %, Mixed
 *   3.8 %, Other 4.0 %), Leicestershire 712,300 (White ≈ 88 %, Asian ≈ 8 %), Rutland 41,000 (White ≈ 95 %) — about
 *   White 73 %, Asian 19 %, Black 3.5 %, Mixed 2.5 %, Other 2 % (rounded; the admitted mix is taken to be the
 *   catchment's, a stated simplification). `uk-leicester-city` keeps the city-only mix (43/41/8/4/4) as a named variant.
 * - **Population modelled, uk-leicester**: adult emergency medical admissions, calibrated to an in-hospital mortality
 *   of about 5 % (Faisal et al., CMAJ 2019;191:E382–9: emergency medical admissions at York and Northern Lincolnshire,
 *   in-hospital mortality 5.8 % and 5.4 %, mean age 67–68; Holland et al. 2023, 122,321 unselected emergency
 *   admissions: 4.3 %). The realism tests hold it within 3–7 %.
 * - **Age by ethnic group**: in England the White population is markedly older than the Asian, Black and Mixed
 *   populations (ONS Census 2021: median age White British 43, Asian ≈ 31–33, Black ≈ 31, Mixed 19); admitted
 *   patients are older than the population, and the gap narrows but stays: here mean age at admission White 70,
 *   Asian 60, Black 57, Mixed 50, Other 56 (illustrative means, SD 17; not census figures).
 * - Skin tone on the Monk scale (1–10) by ethnic group: an illustrative spread, not a census figure.
 * - Ward case-mix (comorbidity, emergency admissions, length of stay): broad NHS medical-ward figures (mostly emergency
 *   admissions, mean stay ~5 days).
 * - **Conditions** (`CONDITIONS`): COPD in about 12 % of adult medical patients (COPD is among the commonest causes of
 *   emergency admission in England), a third of them with chronic hypoxaemia (resting saturation ~88–92 %), for whom a
 *   clinician prescribes SpO2 Scale 2 (target 88–92 %, RCP 2017; BTS oxygen guideline 2017) in a stated share (70 %):
 *   the rest are charted on Scale 1, as audits of Scale 2 use find; sepsis as the primary diagnosis in ~10 % of
 *   emergency medical admissions (Faisal 2019: 4.5–8.5 % had sepsis as an outcome); heart failure ~8 %. Illustrative
 *   shares, stated so a study can change them.
 * - India tertiary case-mix: younger patients, more diabetes (a higher comorbidity count) and more infection-driven
 *   deterioration and sepsis, as reported for Indian tertiary care; illustrative until the centre supplies its own
 *   figures. Its catchment: referrals from across India (the regions of origin).
 */

export type Ethnicity = 'Asian' | 'White' | 'Black' | 'Mixed' | 'Other';

/**
 * How common each modelled condition is. COPD is the patient's (chronic): a share of patients, of whom a share have
 * chronic hypoxaemia, of whom a share have a clinician's order for SpO2 Scale 2 (target 88–92 %); a COPD patient's
 * admission is an exacerbation (ICD-10 J44.1) with probability `copd.exacerbation`. Sepsis (A41.9) and heart failure
 * (I50.9) are shares of the other admissions' primary diagnoses.
 */
export interface ConditionShares {
  readonly copd: { readonly share: number; readonly chronicHypoxaemia: number; readonly scale2Ordered: number; readonly exacerbation: number };
  readonly sepsis: number;
  readonly heartFailure: number;
}

export interface CohortProfile {
  readonly name: string;
  readonly population: string;
  readonly site: string;
  /** Share of patients per ethnic group (sums to 1). */
  readonly ethnicity: Readonly<Partial<Record<Ethnicity, number>>>;
  /** Probability of each Monk skin tone 1–10 within an ethnic group (each sums to 1). */
  readonly skinTone: Readonly<Partial<Record<Ethnicity, readonly number[]>>>;
  readonly age: { readonly mean: number; readonly sd: number; readonly min: number; readonly max: number };
  /** Mean of the (Poisson) comorbidity count at age 60; it rises 2 % a year of age. */
  readonly comorbidityMean: number;
  readonly emergencyShare: number;
  /** Share of encounters whose deterioration is infection-driven (fever, high white cell count, hypotension). */
  readonly infectionShare: number;
  /** Where the patients come from, in words (shown in `cohort.json`). */
  readonly catchment: string;
  /** Mean age and SD at first admission per ethnic group (replacing `age.mean`/`age.sd` for that group). */
  readonly ageByEthnicity?: Readonly<Partial<Record<Ethnicity, { readonly mean: number; readonly sd: number }>>>;
  /** The conditions: COPD (a patient's), sepsis and heart failure (an admission's primary diagnosis). */
  readonly conditions: ConditionShares;
  /** Mean planned length of stay in days (log-normal). */
  readonly stayDays: number;
  /** Baseline log-odds shift of deterioration (calibrates the event rate). */
  readonly deteriorationShift: number;
  /** Multiplier of the comorbidity mean per ethnic group (case mix differs by group). */
  readonly comorbidityByEthnicity?: Readonly<Partial<Record<Ethnicity, number>>>;
  /**
   * Regions of origin (or language groups), each with its share of patients and its Monk skin-tone distribution
   * (which then replaces the ethnic group's); the patients table's `region` column. Absent: no region.
   */
  readonly regions?: Readonly<Record<string, { readonly share: number; readonly skinTone: readonly number[] }>>;
  /**
   * Multiplier of the chance each vital sign is left uncharted in a set (a site's observation practice); absent: 1.
   * The base chances are 1 % (respiratory rate, blood pressure), 1.5 % (consciousness) and 4 % (temperature).
   */
  readonly missingness?: number;
  /** Prefix of every patient and encounter id (a multi-site study keeps its sites' ids apart); absent: none. */
  readonly idPrefix?: string;
  /** Patients who come back: how often, how soon, and how alike their admissions are (default `DEFAULT_READMISSION`). */
  readonly readmission?: ReadmissionModel;
}

/**
 * The readmission model. After each admission a patient discharged alive is admitted again with probability
 * logistic(`baseLogOdds` + `frailtyLogOdds` × frailty) (frailty: 0.025 × (age − 60) + 0.3 × comorbidities + 0.4 if
 * an emergency), up to `maxAdmissions`; the gap is log-normal with median `gapDaysMedian` days (at least 7 days).
 * The unobserved frailty of an admission is the patient's with correlation `frailtyCorrelation` — so the admissions
 * of one patient are alike, which is why intervals resample patients. Illustrative values, chosen so that a fifth to
 * a third of patients have two or more admissions, as in UK medical wards (readmission within a year).
 */
export interface ReadmissionModel {
  readonly baseLogOdds: number;
  readonly frailtyLogOdds: number;
  readonly gapDaysMedian: number;
  readonly maxAdmissions: number;
  readonly frailtyCorrelation: number;
}

/** The default readmission model (see `ReadmissionModel`). */
export const DEFAULT_READMISSION: ReadmissionModel = {
  baseLogOdds: -1.3,
  frailtyLogOdds: 0.3,
  gapDaysMedian: 60,
  maxAdmissions: 5,
  frailtyCorrelation: 0.5,
};

const TONES_BY_GROUP: Record<Ethnicity, number[]> = {
  White: [0.2, 0.35, 0.3, 0.12, 0.03, 0, 0, 0, 0, 0],
  Asian: [0, 0, 0.05, 0.2, 0.3, 0.25, 0.15, 0.05, 0, 0],
  Black: [0, 0, 0, 0, 0.02, 0.08, 0.2, 0.3, 0.25, 0.15],
  Mixed: [0, 0.05, 0.15, 0.25, 0.25, 0.15, 0.1, 0.05, 0, 0],
  Other: [0, 0.05, 0.1, 0.2, 0.25, 0.2, 0.1, 0.05, 0.05, 0],
};

/** Mean age at admission by ethnic group in uk-leicester (illustrative; the order of the census's age gaps). */
const LEICESTER_AGES = {
  White: { mean: 70, sd: 17 },
  Asian: { mean: 60, sd: 17 },
  Black: { mean: 57, sd: 17 },
  Mixed: { mean: 50, sd: 18 },
  Other: { mean: 56, sd: 17 },
} as const;

const UK_LEICESTER: CohortProfile = {
  name: 'uk-leicester',
  population: 'UK',
  site: 'Leicester',
  ethnicity: { White: 0.73, Asian: 0.19, Black: 0.035, Mixed: 0.025, Other: 0.02 },
  skinTone: TONES_BY_GROUP,
  age: { mean: 66, sd: 18, min: 18, max: 100 },
  catchment:
    'Leicester, Leicestershire and Rutland (the University Hospitals of Leicester catchment; 2021 Census mix weighted by population); adult emergency medical admissions',
  ageByEthnicity: LEICESTER_AGES,
  conditions: { copd: { share: 0.12, chronicHypoxaemia: 0.33, scale2Ordered: 0.7, exacerbation: 0.6 }, sepsis: 0.1, heartFailure: 0.08 },
  comorbidityMean: 1.8,
  emergencyShare: 0.85,
  infectionShare: 0.3,
  stayDays: 5,
  deteriorationShift: 0,
  // Diabetes (about 2–3×) and chronic kidney disease are more common in South Asian than in White patients in the
  // UK (e.g. Leicester's diabetes prevalence studies; NHS Digital QOF): more comorbidity, modestly.
  comorbidityByEthnicity: { Asian: 1.3, Black: 1.15 },
};

export const PROFILES: Readonly<Record<string, CohortProfile>> = {
  'uk-leicester': UK_LEICESTER,
  // The city-only mix (ONS Census 2021, Leicester local authority, rounded): a named variant of the catchment.
  'uk-leicester-city': {
    ...UK_LEICESTER,
    name: 'uk-leicester-city',
    ethnicity: { Asian: 0.43, White: 0.41, Black: 0.08, Mixed: 0.04, Other: 0.04 },
    catchment: 'Leicester city only (2021 Census, Leicester local authority); adult emergency medical admissions',
  },
  'india-apollo': {
    name: 'india-apollo',
    population: 'India',
    site: 'Apollo tertiary',
    ethnicity: { Asian: 1 },
    skinTone: { Asian: [0, 0, 0.02, 0.1, 0.25, 0.3, 0.2, 0.1, 0.03, 0] },
    age: { mean: 54, sd: 16, min: 18, max: 95 },
    comorbidityMean: 2.2,
    emergencyShare: 0.7,
    infectionShare: 0.5,
    catchment: 'an Apollo tertiary hospital: referrals from across India (regions of origin); adult medical admissions',
    conditions: { copd: { share: 0.06, chronicHypoxaemia: 0.33, scale2Ordered: 0.6, exacerbation: 0.5 }, sepsis: 0.2, heartFailure: 0.05 },
    stayDays: 4.5,
    deteriorationShift: 0.1,
    // A tertiary centre draws patients from across India: region of origin as a study would group by it, each with
    // its own (illustrative) skin-tone spread on the Monk scale — wider than any one group's.
    regions: {
      North: { share: 0.3, skinTone: [0, 0.02, 0.1, 0.25, 0.3, 0.2, 0.1, 0.03, 0, 0] },
      South: { share: 0.35, skinTone: [0, 0, 0, 0.03, 0.12, 0.25, 0.3, 0.2, 0.08, 0.02] },
      East: { share: 0.15, skinTone: [0, 0, 0.02, 0.1, 0.23, 0.3, 0.2, 0.12, 0.03, 0] },
      West: { share: 0.15, skinTone: [0, 0.01, 0.05, 0.2, 0.3, 0.25, 0.14, 0.05, 0, 0] },
      Northeast: { share: 0.05, skinTone: [0.05, 0.2, 0.35, 0.25, 0.1, 0.05, 0, 0, 0, 0] },
    },
  },
};

/**
 * A built-in profile by name, or a user profile (an object with `extends` naming a built-in one and any fields to
 * override).
 *
 * @throws {RangeError} for an unknown profile name, or shares that do not sum to 1
 */
export function resolveProfile(profile: string | (Partial<CohortProfile> & { extends?: string })): CohortProfile {
  const caller = 'generateCohort';
  if (typeof profile === 'string') {
    const p = PROFILES[profile];
    if (p === undefined)
      throw new RangeError(`${caller}: option "profile" expected one of ${Object.keys(PROFILES).join(', ')} or a profile object; received "${profile}".`);
    return p;
  }
  const base = PROFILES[profile.extends ?? 'uk-leicester'];
  if (base === undefined)
    throw new RangeError(`${caller}: profile "extends" expected one of ${Object.keys(PROFILES).join(', ')}; received "${profile.extends}".`);
  const { extends: _ignored, ...overrides } = profile;
  const merged = { ...base, ...overrides, name: overrides.name ?? `${base.name}+custom` } as CohortProfile;
  const total = Object.values(merged.ethnicity).reduce((s, v) => s + (v ?? 0), 0);
  if (Math.abs(total - 1) > 1e-6) throw new RangeError(`${caller}: profile.ethnicity shares expected to sum to 1; they sum to ${total}.`);
  const share = (name: string, v: unknown): void => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`${caller}: profile.${name} expected a share from 0 to 1; received ${String(v)}.`);
  };
  const c = merged.conditions;
  for (const k of ['share', 'chronicHypoxaemia', 'scale2Ordered', 'exacerbation'] as const) share(`conditions.copd.${k}`, c?.copd?.[k]);
  share('conditions.sepsis', c?.sepsis);
  share('conditions.heartFailure', c?.heartFailure);
  if (c.sepsis + c.heartFailure > 1)
    throw new RangeError(`${caller}: profile.conditions.sepsis + heartFailure expected at most 1; they sum to ${c.sepsis + c.heartFailure}.`);
  if (c.sepsis > merged.infectionShare)
    throw new RangeError(
      `${caller}: profile.conditions.sepsis (${c.sepsis}) expected at most infectionShare (${merged.infectionShare}): sepsis is infection-driven.`,
    );
  if (merged.missingness !== undefined && !(typeof merged.missingness === 'number' && merged.missingness >= 0 && merged.missingness <= 10))
    throw new RangeError(`${caller}: profile.missingness expected a multiplier from 0 to 10; received ${String(merged.missingness)}.`);
  for (const group of Object.keys(merged.ethnicity) as Ethnicity[]) {
    const tones = merged.skinTone[group] ?? TONES_BY_GROUP[group];
    if (tones === undefined || tones.length !== 10) throw new RangeError(`${caller}: profile.skinTone.${group} expected 10 probabilities (Monk 1–10).`);
  }
  return merged;
}

/** The Monk-tone distribution of a group in a profile (falling back to the illustrative default). */
export function tonesOf(profile: CohortProfile, group: Ethnicity): readonly number[] {
  return profile.skinTone[group] ?? TONES_BY_GROUP[group];
}
