/**
 * Bedside: score one set of observations the way a clinical app would, and show the risk band and response.
 * Works the same in Node and the browser (`ewskit` has no Node-only imports).
 */
import { news2, scoreObservation } from 'ewskit';

const result = scoreObservation(news2, {
  respiratoryRate: 22,
  spo2: 94,
  onOxygen: false,
  systolicBP: 105,
  heartRate: 112,
  consciousness: 'A',
  temperature: 38.4,
});

console.log(`NEWS2 ${result.total} — ${result.risk} risk${result.redFlag ? ' (red score)' : ''}`);
console.log(
  `Subscores: ${Object.entries(result.subscores)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
console.log(`Monitoring: ${result.response?.monitoring}`);
console.log(`Response: ${result.response?.action}`);

// An incomplete set: no total (the RCP defines no partial score), the missing parameter is named — but RR 7 scores 3,
// so the red score's urgent response is still owed (basis 'red-score': at least this response).
const partial = scoreObservation(news2, { respiratoryRate: 7, spo2: 97, onOxygen: false, systolicBP: 120, heartRate: 80, consciousness: 'A' });
console.log(`Incomplete: total ${partial.total}, missing ${partial.missing.join(', ')}, red score ${partial.redFlag}`);
console.log(`Response (${partial.response?.basis}): ${partial.response?.monitoring}`);

// An extreme but possible value is scored and flagged for checking, never dropped: SpO2 49 % scores 3.
const extreme = scoreObservation(news2, {
  respiratoryRate: 16,
  spo2: 49,
  onOxygen: false,
  systolicBP: 120,
  heartRate: 80,
  consciousness: 'A',
  temperature: 37,
});
console.log(`SpO2 49 %: subscore ${extreme.subscores.spo2}, red score ${extreme.redFlag}, flags ${extreme.flags.join(', ')}`);

// Output:
// NEWS2 7 — high risk
// Subscores: respiratoryRate 2, spo2 1, onOxygen 0, systolicBP 1, heartRate 2, consciousness 0, temperature 1
// Monitoring: Continuous monitoring of vital signs
// Response: Emergency response: the registered nurse informs the medical team caring for the patient immediately — at least at specialist registrar level; emergency assessment by a clinical team or critical-care outreach team with critical-care competencies, including a practitioner with advanced airway management skills; consider transfer of care to a level 2 or 3 facility (higher-dependency unit or ICU); care in an environment with monitoring facilities
// Incomplete: total null, missing temperature, red score true
// Response (red-score): Minimum 1-hourly
// SpO2 49 %: subscore 3, red score true, flags verify:spo2
