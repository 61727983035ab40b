/**
 * Population profiles for the synthetic cohort generator, as data. A user profile (JSON) overrides any field of
 * a built-in one.
 *
 * Sources for the defaults:
 * - Leicester ethnic mix: ONS Census 2021, Leicester local authority — Asian 43.4 %, White 40.9 %, Black 7.8 %,
 *   Mixed 3.8 %, Other 4.0 % (rounded here to 43/41/8/4/4).
 * - Skin tone on the Monk scale (1–10) by ethnic group: an illustrative spread, not a census figure.
 * - Ward case-mix (age, comorbidity, emergency admissions, length of stay): broad NHS medical-ward figures
 *   (median age in the 60s–70s, mostly emergency admissions, mean stay ~5 days).
 * - India tertiary case-mix: younger patients, more diabetes (a higher comorbidity count) and more infection-driven
 *   deterioration, as reported for Indian tertiary care; illustrative until the centre supplies its own figures.
 */

export type Ethnicity = 'Asian' | 'White' | 'Black' | 'Mixed' | 'Other';

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
  /** Share of patients with hypercapnic respiratory failure on SpO2 Scale 2. */
  readonly hypercapnicShare: number;
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

export const PROFILES: Readonly<Record<string, CohortProfile>> = {
  'uk-leicester': {
    name: 'uk-leicester',
    population: 'UK',
    site: 'Leicester',
    ethnicity: { Asian: 0.43, White: 0.41, Black: 0.08, Mixed: 0.04, Other: 0.04 },
    skinTone: TONES_BY_GROUP,
    age: { mean: 66, sd: 18, min: 18, max: 100 },
    comorbidityMean: 1.8,
    emergencyShare: 0.85,
    infectionShare: 0.3,
    hypercapnicShare: 0.015,
    stayDays: 5,
    deteriorationShift: 0,
    // Diabetes (about 2–3×) and chronic kidney disease are more common in South Asian than in White patients in the
    // UK (e.g. Leicester's diabetes prevalence studies; NHS Digital QOF): more comorbidity, modestly.
    comorbidityByEthnicity: { Asian: 1.3, Black: 1.15 },
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
    hypercapnicShare: 0.01,
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
