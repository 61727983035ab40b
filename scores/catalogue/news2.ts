/**
 * NEWS2, the National Early Warning Score 2.
 *
 * Source: Royal College of Physicians. *National Early Warning Score (NEWS) 2: Standardising the assessment of
 * acute-illness severity in the NHS.* Updated report of a working party. London: RCP, 2017 — Chart 1 (the NEWS2
 * scoring system), Chart 2 (thresholds and triggers), Charts 3–4 (clinical response). Transcribed in
 * `docs/scores.md`.
 *
 * - Seven parameters, total 0–20. Supplemental oxygen scores 2 on either SpO2 scale.
 * - SpO2 Scale 2 is used only when `spo2Scale` is 2 (a clinician's decision for confirmed hypercapnic respiratory
 *   failure); null or absent means Scale 1. On Scale 2 the bands ≤83, 84–85, 86–87 and 88–92 apply on air and on
 *   oxygen alike; ≥93 scores 0 on air and 1/2/3 at 93–94/95–96/≥97 on oxygen.
 * - Consciousness: Alert 0; new Confusion, Voice, Pain, Unresponsive 3.
 * - Red score: any single parameter scoring 3. With a total of 5 or more the total's band applies.
 *
 * @example
 * scoreObservation(news2, { respiratoryRate: 22, spo2: 94, onOxygen: false, systolicBP: 105,
 *   heartRate: 112, consciousness: 'A', temperature: 38.4 }).total; // => 7
 */
import type { BandedScore } from '../definition/definition.js';

export const news2: BandedScore = {
  kind: 'banded',
  id: 'news2',
  name: 'NEWS2',
  version: '2017',
  source: 'Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017. Chart 1 (scoring), Charts 2–4 (triggers and response).',
  parameters: [
    {
      field: 'respiratoryRate',
      bands: [
        { max: 8, points: 3 },
        { min: 9, max: 11, points: 1 },
        { min: 12, max: 20, points: 0 },
        { min: 21, max: 24, points: 2 },
        { min: 25, points: 3 },
      ],
    },
    {
      field: 'spo2',
      // Scale 1
      bands: [
        { max: 91, points: 3 },
        { min: 92, max: 93, points: 2 },
        { min: 94, max: 95, points: 1 },
        { min: 96, points: 0 },
      ],
      variants: [
        {
          when: { spo2Scale: '2', onOxygen: 'oxygen' },
          bands: [
            { max: 83, points: 3 },
            { min: 84, max: 85, points: 2 },
            { min: 86, max: 87, points: 1 },
            { min: 88, max: 92, points: 0 },
            { min: 93, max: 94, points: 1 },
            { min: 95, max: 96, points: 2 },
            { min: 97, points: 3 },
          ],
        },
        {
          when: { spo2Scale: '2', onOxygen: 'air' },
          bands: [
            { max: 83, points: 3 },
            { min: 84, max: 85, points: 2 },
            { min: 86, max: 87, points: 1 },
            { min: 88, points: 0 },
          ],
        },
      ],
    },
    { field: 'onOxygen', points: { air: 0, oxygen: 2 } },
    {
      field: 'systolicBP',
      bands: [
        { max: 90, points: 3 },
        { min: 91, max: 100, points: 2 },
        { min: 101, max: 110, points: 1 },
        { min: 111, max: 219, points: 0 },
        { min: 220, points: 3 },
      ],
    },
    {
      field: 'heartRate',
      bands: [
        { max: 40, points: 3 },
        { min: 41, max: 50, points: 1 },
        { min: 51, max: 90, points: 0 },
        { min: 91, max: 110, points: 1 },
        { min: 111, max: 130, points: 2 },
        { min: 131, points: 3 },
      ],
    },
    { field: 'consciousness', points: { A: 0, C: 3, V: 3, P: 3, U: 3 } },
    {
      field: 'temperature',
      bands: [
        { max: 35.0, points: 3 },
        { min: 35.1, max: 36.0, points: 1 },
        { min: 36.1, max: 38.0, points: 0 },
        { min: 38.1, max: 39.0, points: 1 },
        { min: 39.1, points: 2 },
      ],
    },
  ],
  redFlag: { minPoints: 3, description: 'Any single parameter scoring 3 ("red score")' },
  risks: ['low', 'low-medium', 'medium', 'high'],
  // Responses after RCP Chart 4, in our own words, keeping every element of each row.
  rules: [
    {
      risk: 'high',
      totalMin: 7,
      monitoring: 'Continuous monitoring of vital signs',
      action:
        'Emergency response: the registered nurse informs the medical team caring for the patient immediately — at least at specialist registrar level; emergency assessment by a clinical team or critical-care outreach team with critical-care competencies, including a practitioner with advanced airway management skills; consider transfer of care to a level 2 or 3 facility (higher-dependency unit or ICU); care in an environment with monitoring facilities',
    },
    {
      risk: 'medium',
      totalMin: 5,
      totalMax: 6,
      monitoring: 'Minimum 1-hourly',
      action:
        'Urgent response (key threshold): the registered nurse informs the medical team caring for the patient immediately and asks for urgent assessment by a clinician or team with core competencies in the care of acutely ill patients; care in an environment with monitoring facilities',
    },
    {
      risk: 'low-medium',
      totalMax: 4,
      redFlag: true,
      monitoring: 'Minimum 1-hourly',
      action:
        'Urgent ward-based response to a single red parameter: the registered nurse informs the medical team caring for the patient, who review the patient and decide whether care must escalate',
    },
    {
      risk: 'low',
      totalMin: 1,
      totalMax: 4,
      monitoring: 'Minimum 4–6-hourly',
      action:
        'Ward-based response: inform the registered nurse, who must assess the patient and decide whether clinical monitoring should be more frequent or care escalate',
    },
    {
      risk: 'low',
      totalMin: 0,
      totalMax: 0,
      monitoring: 'Minimum 12-hourly',
      action: 'Continue routine NEWS monitoring',
    },
  ],
  notes: [
    'Recording precision: values are rounded half-up at the chart precision (whole numbers; temperature to 0.1 °C) before banding.',
    'Missing values: the RCP defines no partial score, so any missing parameter gives no total; scoring missing as 0 is a labelled research option only.',
    'A null or absent spo2Scale means Scale 1.',
    'Population: adults aged 16 and over; the RCP does not validate NEWS2 for children or in pregnancy. ewskit cannot tell (the chart reads neither age nor pregnancy): the deploying organisation must keep the score away from those patients (docs/safety.md, H16).',
  ],
};
