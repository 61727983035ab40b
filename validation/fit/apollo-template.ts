/**
 * The template of the Apollo-style severity score: which inputs, where the knots of each linear piece lie, what a
 * missing input does, and the four Apollo colour zones (green: stabilisation, orange: enhanced care, red: critical,
 * blue: resuscitation). The weights are fitted (`fitSeverityModel`); the shipped `scores/catalogue/apollo-style.json` was
 * fitted on an `india-apollo` derivation cohort and is illustrative until the centre supplies its own definition.
 */
import type { ModelTemplate } from './fit-model.js';

export const APOLLO_TEMPLATE: ModelTemplate = {
  id: 'apollo_style',
  name: 'Apollo-style severity score (illustrative)',
  version: '0.4.0',
  source:
    'Illustrative: terms after Apollo Hospitals’ published EPR-based risk models (vital signs, laboratory values, comorbidities) and colour zones; weights fitted by ewskit on a synthetic india-apollo cohort. Not the Apollo Hospitals score, which is not public.',
  outcome: 'death, unplanned ICU admission or cardiac arrest',
  terms: [
    // Knots at the edges of the normal ranges (scores/definition/clinical-ranges.ts), so a piece is either inside a
    // normal range (held flat: every normal value scores the same, lowest contribution) or outside it (constrained:
    // risk never falls as the value moves away from normal). Vital signs missing → no probability (as NEWS2 gives no
    // total); a missing ACVPU is never Alert. Laboratory values, rarely measured at a set, are imputed as normal and
    // listed in the result's `imputed`.
    { field: 'respiratoryRate', type: 'linear', knots: [8, 12, 20, 30, 50], missing: 'null' },
    { field: 'spo2', type: 'linear', knots: [70, 88, 92, 96, 100], missing: 'null' },
    { field: 'heartRate', type: 'linear', knots: [40, 51, 90, 130, 180], missing: 'null' },
    { field: 'systolicBP', type: 'linear', knots: [60, 90, 111, 219, 260], missing: 'null' },
    { field: 'temperature', type: 'linear', knots: [34, 36.1, 38, 41], missing: 'null' },
    { field: 'consciousness', type: 'categories', missing: 'null' },
    { field: 'onOxygen', type: 'categories', missing: 'null' },
    { field: 'age', type: 'linear', knots: [18, 45, 65, 100], missing: 'null' },
    { field: 'comorbidityCount', type: 'linear', knots: [0, 2, 8], missing: { impute: 0 } },
    { field: 'lactate', type: 'linear', knots: [0.5, 2, 4, 15], missing: { impute: 1.2 } },
    { field: 'creatinine', type: 'linear', knots: [40, 110, 200, 800], missing: { impute: 80 } },
    { field: 'whiteCellCount', type: 'linear', knots: [1, 4, 11, 30], missing: { impute: 7 } },
  ],
  // Cut-offs here are placeholders: the fit matches orange and red to NEWS2 ≥ 5 and ≥ 7's alert rates (fitSeverityModel, option zones).
  zones: [
    { label: 'green', colour: '#2e7d32', min: 0, max: 0.01, action: 'Stabilisation: routine monitoring' },
    { label: 'orange', colour: '#ef6c00', min: 0.01, max: 0.05, action: 'Enhanced care: increase monitoring and review' },
    { label: 'red', colour: '#c62828', min: 0.05, max: 0.2, action: 'Critical: urgent senior and critical-care review' },
    { label: 'blue', colour: '#1565c0', min: 0.2, max: 1, action: 'Resuscitation: emergency response' },
  ],
  // A single extreme value (NEWS2 3-point band, C/V/P/U, lactate ≥ 4, creatinine ≥ 354, WCC ≤ 2 or ≥ 30) → at least orange.
  escalateTo: 'orange',
  notes: [
    'Illustrative until the centre supplies its own definition: fitted on synthetic data, not validated on patients.',
    'Clinically safe by construction: every normal value of an input contributes the same, lowest amount; risk never falls as a value moves away from normal; a single extreme value puts the set in orange or above (escalated_by).',
    'Missing vital signs (consciousness included) give no probability; laboratory values not measured at an observation set are imputed with normal values (listed in imputed).',
  ],
};
