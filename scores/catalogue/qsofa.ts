/**
 * qSOFA, the quick Sequential Organ Failure Assessment (Sepsis-3).
 *
 * Source: Seymour CW, Liu VX, Iwashyna TJ, et al. Assessment of clinical criteria for sepsis: for the Third
 * International Consensus Definitions for Sepsis and Septic Shock (Sepsis-3). *JAMA* 2016;315(8):762–74.
 * Transcribed in `docs/scores.md`.
 *
 * One point each: respiration ≥22/min; systolic BP ≤100 mmHg; altered mentation — GCS <15, or, when GCS is not
 * recorded, any consciousness other than Alert. Range 0–3; ≥2 is positive. The mentation subscore is keyed
 * `gcs` (column `qsofa_gcs`) whichever input gave it; it is missing only when both GCS and consciousness are.
 *
 * @example scoreObservation(qsofa, { respiratoryRate: 24, systolicBP: 95, consciousness: 'A' }).total; // => 2
 */
import type { BandedScore } from '../definition/definition.js';

export const qsofa: BandedScore = {
  kind: 'banded',
  id: 'qsofa',
  name: 'qSOFA',
  version: 'Sepsis-3 (2016)',
  source: 'Seymour CW, Liu VX, Iwashyna TJ, et al. Assessment of clinical criteria for sepsis (Sepsis-3). JAMA 2016;315:762–74.',
  parameters: [
    {
      field: 'respiratoryRate',
      bands: [
        { max: 21, points: 0 },
        { min: 22, points: 1 },
      ],
    },
    {
      field: 'systolicBP',
      bands: [
        { max: 100, points: 1 },
        { min: 101, points: 0 },
      ],
    },
    {
      field: 'gcs',
      bands: [
        { max: 14, points: 1 },
        { min: 15, points: 0 },
      ],
      fallback: { field: 'consciousness', points: { A: 0, C: 1, V: 1, P: 1, U: 1 } },
    },
  ],
  risks: ['negative', 'positive'],
  rules: [
    {
      risk: 'positive',
      totalMin: 2,
      monitoring: 'As local sepsis policy',
      action: 'qSOFA ≥2: consider sepsis; assess for organ dysfunction and escalate',
    },
    { risk: 'negative', totalMax: 1, monitoring: 'As local policy', action: 'qSOFA below 2 (does not exclude sepsis)' },
  ],
  notes: ['Altered mentation: GCS <15; when GCS is not recorded, any consciousness other than Alert.'],
};
