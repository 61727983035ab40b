/** The header a coverage benchmark's result file opens with: which suite, when, on which generator, outcome and machine. */
import { cpus } from 'node:os';
import { GENERATOR_VERSION } from '../validation/cohort/generate.js';

export function coverageHeader(suite: string) {
  return {
    suite,
    date: new Date().toISOString().slice(0, 10),
    generatorVersion: GENERATOR_VERSION,
    outcome: 'in-hospital (discharge alive is no event)',
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
  };
}
