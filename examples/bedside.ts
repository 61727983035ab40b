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

// An incomplete set: no total (the RCP defines no partial score), the missing parameter is named.
const partial = scoreObservation(news2, { respiratoryRate: 7, spo2: 97, onOxygen: false, systolicBP: 120, heartRate: 80, consciousness: 'A' });
console.log(`Incomplete: total ${partial.total}, missing ${partial.missing.join(', ')}, red score ${partial.redFlag}`);

// Output:
// NEWS2 7 — high risk
// Subscores: respiratoryRate 2, spo2 1, onOxygen 0, systolicBP 1, heartRate 2, consciousness 0, temperature 1
// Monitoring: Continuous monitoring of vital signs
// Response: Emergency assessment by a clinical team or critical-care outreach team with critical-care competencies; consider transfer to level 2/3 care
// Incomplete: total null, missing temperature, red score true
