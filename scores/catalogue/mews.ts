/**
 * MEWS, the Modified Early Warning Score.
 *
 * Source: Subbe CP, Kruger M, Rutherford P, Gemmel L. Validation of a modified Early Warning Score in medical
 * admissions. *QJM* 2001;94(10):521–6. Transcribed in `docs/scores.md`.
 *
 * - Systolic BP ≤70 3 | 71–80 2 | 81–100 1 | 101–199 0 | ≥200 2.
 * - Heart rate ≤40 2 | 41–50 1 | 51–100 0 | 101–110 1 | 111–129 2 | ≥130 3. (The printed table leaves 40 between
 *   "<40" and "41–50"; the project scores it 2.)
 * - Respiration rate <9 2 | 9–14 0 | 15–20 1 | 21–29 2 | ≥30 3.
 * - Temperature <35.0 2 | 35.0–38.4 0 | ≥38.5 2 (°C, to 0.1).
 * - AVPU: Alert 0, Voice 1, Pain 2, Unresponsive 3. "C" is not on the chart: flagged, not guessed.
 * - Usual trigger: total ≥5.
 *
 * @example scoreObservation(mews, { systolicBP: 120, heartRate: 80, respiratoryRate: 16, temperature: 37,
 *   consciousness: 'A' }).total; // => 1
 */
import type { BandedScore } from '../definition/definition.js';

export const mews: BandedScore = {
  kind: 'banded',
  id: 'mews',
  name: 'MEWS',
  version: 'Subbe 2001',
  source: 'Subbe CP, Kruger M, Rutherford P, Gemmel L. Validation of a modified Early Warning Score in medical admissions. QJM 2001;94:521–6.',
  parameters: [
    {
      field: 'systolicBP',
      bands: [
        { max: 70, points: 3 },
        { min: 71, max: 80, points: 2 },
        { min: 81, max: 100, points: 1 },
        { min: 101, max: 199, points: 0 },
        { min: 200, points: 2 },
      ],
    },
    {
      field: 'heartRate',
      bands: [
        { max: 40, points: 2 },
        { min: 41, max: 50, points: 1 },
        { min: 51, max: 100, points: 0 },
        { min: 101, max: 110, points: 1 },
        { min: 111, max: 129, points: 2 },
        { min: 130, points: 3 },
      ],
    },
    {
      field: 'respiratoryRate',
      bands: [
        { max: 8, points: 2 },
        { min: 9, max: 14, points: 0 },
        { min: 15, max: 20, points: 1 },
        { min: 21, max: 29, points: 2 },
        { min: 30, points: 3 },
      ],
    },
    {
      field: 'temperature',
      bands: [
        { max: 34.9, points: 2 },
        { min: 35.0, max: 38.4, points: 0 },
        { min: 38.5, points: 2 },
      ],
    },
    { field: 'consciousness', points: { A: 0, C: null, V: 1, P: 2, U: 3 } },
  ],
  risks: ['low', 'high'],
  rules: [
    {
      risk: 'high',
      totalMin: 5,
      monitoring: 'As local policy for a triggering MEWS',
      action: 'Trigger (MEWS ≥5): urgent medical review; associated with a higher risk of death and ICU admission (Subbe 2001)',
    },
    { risk: 'low', totalMax: 4, monitoring: 'As local policy', action: 'Below the usual trigger of 5' },
  ],
  notes: [
    'Heart rate 40 scores 2 (the printed table leaves it between "<40" and "41–50").',
    'Consciousness "C" is not on the MEWS chart: such rows are flagged, not guessed.',
  ],
};
