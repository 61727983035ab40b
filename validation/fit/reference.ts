/**
 * The reference comparator `news2-age-comorbidity`: NEWS2's total, age and comorbidity count in one logistic model,
 * fitted the same way as any model score (constrained, zones matched to NEWS2's alert rates). Beside a fitted score
 * it shows how much of that score's gain over NEWS2 is age and comorbidity — the variables a points score lacks — and
 * how much is anything else.
 *
 * As a definition it is NEWS2's chart with every point worth β on the log-odds scale (a band term per parameter),
 * plus linear pieces in age and comorbidity count. SpO2 is scored on Scale 1 for everyone: a model term cannot switch
 * scales, so the few patients with a Scale 2 order (COPD with chronic hypoxaemia, ~3 % in uk-leicester) are scored as on Scale 1.
 */
import type { Table } from 'apache-arrow';
import { news2 } from '../../scores/catalogue/news2.js';
import type { BandTerm, CategoryTerm, LinearTerm, ModelScore, ModelTerm } from '../../scores/definition/model.js';
import type { FieldName } from '../../scores/definition/schema.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { planModel } from '../../scores/plan/model-plan.js';
import type { LabelOptions } from '../outcomes/label-outcomes.js';
import { labelOutcomes } from '../outcomes/label-outcomes.js';
import { APOLLO_TEMPLATE } from './apollo-template.js';
import { constrainedFit, signif, withMatchedZones } from './fit-model.js';

const AGE_KNOTS = [18, 45, 65, 100];
const COMORBIDITY_KNOTS = [0, 2, 8];

/** Linear-piece columns of x between knots (the contribution measured from the first knot). */
function pieces(x: readonly number[], knots: readonly number[]): Float64Array[] {
  return knots.slice(1).map((hi, j) => Float64Array.from(x, (v) => Math.min(Math.max(v, knots[j] ?? 0), hi) - (knots[j] ?? 0)));
}

/**
 * Fit the reference comparator on a derivation cohort. Runs in O(iterations · rows).
 *
 * @param cohort `{ observations, events }` with the NEWS2 inputs, `age` and `comorbidity_count`; `encounters` for follow-up
 * @returns a model definition (checked like any loaded one)
 * @throws {TypeError} when a column is missing; {RangeError} when the derivation rows have one outcome class
 * @example fitNews2AgeComorbidity(generateCohort({ profile: 'india-apollo', encounters: 20000, seed: 2024 })).id; // => 'news2_age_comorbidity'
 */
export function fitNews2AgeComorbidity(
  cohort: { observations: Table; events: Table; encounters?: Table },
  options: { outcome?: LabelOptions; ridge?: number; derivation?: Record<string, unknown> } = {},
): ModelScore {
  const caller = 'fitNews2AgeComorbidity';
  const obs = cohort.observations;
  for (const c of ['age', 'comorbidity_count']) if (obs.getChild(c) === null) throw new TypeError(`${caller}: the observations have no column "${c}".`);
  // Scale 1 for everyone, as the definition will score it.
  const scored = scoreTable(
    news2,
    obs.getChild('spo2_scale') === null ? obs : obs.select(obs.schema.fields.map((f) => f.name).filter((n) => n !== 'spo2_scale')),
  );
  // Labelled as `validate` labels them: an in-hospital outcome (discharge alive is a negative; the extract's end censors).
  const followUp = cohort.encounters === undefined ? {} : { encounters: cohort.encounters };
  const { labels } = labelOutcomes(obs, cohort.events, { horizonHours: 24, ...followUp, ...options.outcome });
  const total = scored.getChild('news2_total');
  const age = obs.getChild('age');
  const comorbidity = obs.getChild('comorbidity_count');
  const rows: number[] = [];
  for (let i = 0; i < obs.numRows; i++) if ((labels[i] ?? -1) >= 0 && total?.get(i) !== null && age?.get(i) !== null) rows.push(i);
  const y = Float64Array.from(rows, (i) => labels[i] ?? 0);
  const events = y.reduce((a, b) => a + b, 0);
  if (events === 0 || events === rows.length)
    throw new RangeError(`${caller}: the derivation rows have one outcome class (${events} events in ${rows.length} rows).`);
  const ages = rows.map((i) => Number(age?.get(i)));
  const counts = rows.map((i) => Number(comorbidity?.get(i) ?? 0));
  const columns = [Float64Array.from(rows, (i) => Number(total?.get(i))), ...pieces(ages, AGE_KNOTS), ...pieces(counts, COMORBIDITY_KNOTS)];
  // A NEWS2 point never lowers the risk; age and comorbidity are free.
  const fit = constrainedFit(columns, y, [1, ...columns.slice(1).map(() => null)], options.ridge ?? 1);
  // One rounded weight per point, so equal totals give equal risks.
  const beta = signif(fit.beta[0] ?? 0);
  // beta × points, written without binary floating-point noise (3 × 0.520357 is 1.561071, not 1.5610709999999999).
  const w = (points: number) => Number((beta * points).toPrecision(12));
  const terms: ModelTerm[] = news2.parameters.map((p): ModelTerm => {
    if (p.field === 'consciousness')
      return { field: 'consciousness', type: 'categories', weights: { A: 0, C: w(3), V: w(3), P: w(3), U: w(3) }, missing: 'null' } satisfies CategoryTerm;
    if (p.field === 'onOxygen') return { field: 'onOxygen', type: 'categories', weights: { air: 0, oxygen: w(2) }, missing: 'null' } satisfies CategoryTerm;
    const bands = (p as { bands: readonly { min?: number; max?: number; points: number }[] }).bands;
    return {
      field: p.field as FieldName,
      type: 'bands',
      bands: bands.map((b) => ({ ...(b.min === undefined ? {} : { min: b.min }), ...(b.max === undefined ? {} : { max: b.max }), weight: w(b.points) })),
      missing: 'null',
    } satisfies BandTerm;
  });
  const linear = (field: FieldName, knots: readonly number[], from: number, missing: LinearTerm['missing']): LinearTerm => ({
    field,
    type: 'linear',
    knots: [...knots],
    slopes: knots.slice(1).map((_, j) => signif(fit.beta[from + j] ?? 0)),
    missing,
  });
  const draft: ModelScore = {
    kind: 'model',
    id: 'news2_age_comorbidity',
    name: 'NEWS2 + age + comorbidity (reference comparator)',
    version: '0.2.0',
    source:
      'Reference comparator: NEWS2 (RCP 2017, Chart 1; SpO2 Scale 1 for everyone) with age and comorbidity count in one logistic model, fitted by ewskit on synthetic data. Shows how much of a fitted score’s gain over NEWS2 is age and comorbidity.',
    outcome: 'death, unplanned ICU admission or cardiac arrest',
    horizonHours: options.outcome?.horizonHours ?? 24,
    intercept: signif(fit.intercept),
    terms: [...terms, linear('age', AGE_KNOTS, 1, 'null'), linear('comorbidityCount', COMORBIDITY_KNOTS, AGE_KNOTS.length, { impute: 0 })],
    zones: APOLLO_TEMPLATE.zones,
    escalateTo: 'orange',
    illustrative: true,
    derivation: {
      ...options.derivation,
      rows: rows.length,
      events,
      ridge: options.ridge ?? 1,
      converged: fit.converged,
      method: 'logistic regression of the outcome on the NEWS2 total (coefficient ≥ 0) and linear pieces in age and comorbidity count',
      news2PointLogOdds: signif(beta),
    },
    notes: [
      'Illustrative reference comparator, fitted on synthetic data.',
      'SpO2 is scored on Scale 1 for everyone (a model term cannot switch scales).',
      'A single extreme value (a NEWS2 3-point band or C/V/P/U) puts the set in orange or above, as NEWS2’s red score does (escalated_by).',
    ],
  };
  planModel(draft);
  return withMatchedZones(draft, obs, rows, APOLLO_TEMPLATE.zones);
}
