/**
 * NEWS (2012), the original National Early Warning Score.
 *
 * Source: Royal College of Physicians. *National Early Warning Score (NEWS): Standardising the assessment of
 * acute-illness severity in the NHS.* Report of a working party. London: RCP, 2012. Transcribed in
 * `docs/scores.md`.
 *
 * - The seven parameters and bands of NEWS2 Scale 1; supplemental oxygen scores 2; no SpO2 Scale 2.
 * - Consciousness is AVPU: Alert 0; Voice, Pain, Unresponsive 3. NEWS has no "new confusion": a row recorded as
 *   C is flagged `unknown_code:consciousness` rather than guessed (the project's policy).
 * - Triggers: 0 → 12-hourly; 1–4 low; 5–6, or a single parameter scoring 3, medium (hourly); ≥7 high (continuous).
 *
 * @example scoreObservation(news, { respiratoryRate: 7, spo2: 97, onOxygen: false, systolicBP: 120,
 *   heartRate: 80, consciousness: 'A', temperature: 37 }).risk; // => 'medium' (a single 3)
 */
import type { BandedScore } from '../definition/definition.js';
import { news2 } from './news2.js';

const scale1 = news2.parameters.map((p) => {
  if (p.field === 'spo2' && 'bands' in p) return { field: p.field, bands: p.bands };
  if (p.field === 'consciousness') return { field: p.field, points: { A: 0, C: null, V: 3, P: 3, U: 3 } };
  return p;
});

export const news: BandedScore = {
  kind: 'banded',
  id: 'news',
  name: 'NEWS',
  version: '2012',
  source:
    'Royal College of Physicians. National Early Warning Score (NEWS): standardising the assessment of acute-illness severity in the NHS. London: RCP, 2012.',
  parameters: scale1,
  redFlag: { minPoints: 3, description: 'Any single parameter scoring 3' },
  risks: ['low', 'medium', 'high'],
  rules: [
    {
      risk: 'high',
      totalMin: 7,
      monitoring: 'Continuous monitoring of vital signs',
      action: 'Emergency assessment by a clinical team with critical-care competencies; usually transfer to a higher-dependency care area',
    },
    {
      risk: 'medium',
      totalMin: 5,
      totalMax: 6,
      monitoring: 'Minimum 1-hourly',
      action: 'Urgent review by a ward-based doctor or acute team nurse with core competencies in acute illness',
    },
    {
      risk: 'medium',
      totalMax: 4,
      redFlag: true,
      monitoring: 'Minimum 1-hourly',
      action: 'Urgent review by a ward-based doctor or acute team nurse with core competencies in acute illness',
    },
    {
      risk: 'low',
      totalMin: 1,
      totalMax: 4,
      monitoring: 'Minimum 4–6-hourly',
      action: 'Inform the registered nurse, who must assess the patient and decide whether monitoring should increase or care escalate',
    },
    { risk: 'low', totalMin: 0, totalMax: 0, monitoring: 'Minimum 12-hourly', action: 'Continue routine NEWS monitoring' },
  ],
  notes: ['Consciousness "C" (new confusion) is not on the NEWS (2012) chart: such rows are flagged, not guessed.'],
};
