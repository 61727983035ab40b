/**
 * The treatment paradox, made measurable: the same patients generated twice, once with escalation that changes nothing
 * (`escalationEffect: 0`, the natural history the score should predict) and once where a response to NEWS2 ≥ 5 or a
 * red score halves the hazard of an event for 24 h. Validating NEWS2 on each shows how a response that works makes
 * the score look worse: the patients it flagged, treated, no longer have the event it predicted.
 * Usage (with any TypeScript runner): `tsx examples/treatment-paradox.ts`.
 */
import { generateCohort, isSuppressed, news2, validate } from 'ewskit';

for (const escalationEffect of [0, 0.3, 0.5]) {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 3000, seed: 8, escalationEffect });
  const report = validate({ cohort, scores: [news2], bootstrap: false });
  const s = report.scores[0];
  const auroc = s === undefined || isSuppressed(s.auroc) || !s.auroc.defined ? 'n/a' : s.auroc.estimate.toFixed(3);
  const at5 = s?.thresholds.find((t) => t.label.startsWith('NEWS2 ≥ 5'))?.sensitivity;
  const sens = at5 === undefined || isSuppressed(at5) || !at5.defined ? 'n/a' : at5.estimate.toFixed(3);
  const escalated = (cohort.truth.getChild('escalated')?.toArray() as boolean[]).filter(Boolean).length;
  console.log(
    `escalationEffect ${escalationEffect}: ${cohort.events.numRows} events, ${escalated} sets escalated; NEWS2 AUROC ${auroc}, sensitivity at ≥ 5 ${sens}`,
  );
}

// Output:
// escalationEffect 0: 226 events, 6627 sets escalated; NEWS2 AUROC 0.821, sensitivity at ≥ 5 0.597
// escalationEffect 0.3: 200 events, 6017 sets escalated; NEWS2 AUROC 0.806, sensitivity at ≥ 5 0.564
// escalationEffect 0.5: 181 events, 5658 sets escalated; NEWS2 AUROC 0.776, sensitivity at ≥ 5 0.495
