/** A patient with every input inside its normal range (NEWS2 0-point bands; laboratory reference ranges), shared by the safety tests. */
import type { Observation } from '../../scores/evaluate/score-observation.js';

export const NORMAL_PATIENT: Readonly<Observation> = {
  respiratoryRate: 16,
  spo2: 97,
  onOxygen: false,
  systolicBP: 125,
  heartRate: 75,
  consciousness: 'A',
  temperature: 37,
  gcs: 15,
  age: 60,
  comorbidityCount: 0,
  lactate: 1.2,
  creatinine: 80,
  whiteCellCount: 7,
};
