/**
 * CART, the Cardiac Arrest Risk Triage score.
 *
 * Source: Churpek MM, Yuen TC, Park SY, Meltzer DO, Hall JB, Edelson DP. Derivation of a cardiac arrest
 * prediction model using ward vital signs. *Crit Care Med* 2012;40(7):2102–8. Transcribed in
 * `docs/scores.md`.
 *
 * Respiration <21 0 | 21–23 8 | 24–25 12 | 26–29 15 | ≥30 22; heart rate <110 0 | 110–139 4 | ≥140 13;
 * diastolic BP ≥50 0 | 40–49 4 | 35–39 6 | <35 13; age <55 0 | 55–69 4 | ≥70 9 (completed years). Range 0–57.
 * The source publishes no risk bands, so `risk` is always null: choose thresholds locally (and validate them).
 *
 * @example scoreObservation(cart, { respiratoryRate: 24, heartRate: 115, diastolicBP: 45, age: 72 }).total; // => 29
 */
import type { BandedScore } from '../definition/definition.js';

export const cart: BandedScore = {
  kind: 'banded',
  id: 'cart',
  name: 'CART',
  version: 'Churpek 2012',
  source:
    'Churpek MM, Yuen TC, Park SY, Meltzer DO, Hall JB, Edelson DP. Derivation of a cardiac arrest prediction model using ward vital signs. Crit Care Med 2012;40:2102–8.',
  parameters: [
    {
      field: 'respiratoryRate',
      bands: [
        { max: 20, points: 0 },
        { min: 21, max: 23, points: 8 },
        { min: 24, max: 25, points: 12 },
        { min: 26, max: 29, points: 15 },
        { min: 30, points: 22 },
      ],
    },
    {
      field: 'heartRate',
      bands: [
        { max: 109, points: 0 },
        { min: 110, max: 139, points: 4 },
        { min: 140, points: 13 },
      ],
    },
    {
      field: 'diastolicBP',
      bands: [
        { max: 34, points: 13 },
        { min: 35, max: 39, points: 6 },
        { min: 40, max: 49, points: 4 },
        { min: 50, points: 0 },
      ],
    },
    {
      field: 'age',
      bands: [
        { max: 54, points: 0 },
        { min: 55, max: 69, points: 4 },
        { min: 70, points: 9 },
      ],
    },
  ],
  risks: [],
  rules: [],
  notes: ['No risk bands are published for CART: risk is null; choose and validate local thresholds.'],
};
