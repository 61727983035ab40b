/**
 * `ewskit fit`: fit the Apollo-style template (or the news2-age-comorbidity reference comparator) on a synthetic
 * derivation cohort and write the definition.
 */
import { writeTextAtomic } from '../../io/write-text.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { APOLLO_TEMPLATE } from '../../../validation/fit/apollo-template.js';
import { fitSeverityModel } from '../../../validation/fit/fit-model.js';
import { fitNews2AgeComorbidity } from '../../../validation/fit/reference.js';
import type { CliIO } from '../args.js';
import { parseFlags, progressOf, UsageError } from '../args.js';
import { checkOutputs } from '../outputs.js';
import { FIT_MODELS } from '../options.js';

/** Fit the Apollo-style template on a derivation cohort generated here, and write the definition as JSON. */

/** The outcome a fitted score's probabilities answer, recorded in its derivation. */
const IN_HOSPITAL_OUTCOME =
  "any event (death, unplanned ICU admission, cardiac arrest) within 24 h of a set; in-hospital follow-up: discharge alive within the horizon is no event, only the extract's end censors";

export function fit(args: readonly string[], io: CliIO): number {
  const flags = parseFlags(args, 'fit');
  const which = flags.choice('model', FIT_MODELS);
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('fit needs --out FILE (where to write the fitted definition, .json)');
  checkOutputs('fit', [{ path: out, flag: 'out' }], [], flags.has('force'));
  const profile = flags.value('profile') as string;
  const encounters = flags.int('encounters', 100);
  const seed = flags.int('seed', 0);
  const ridge = Number(flags.value('ridge'));
  if (!(ridge >= 0)) throw new UsageError(`--ridge expects a number ≥ 0; received "${flags.get('ridge')}"`);
  const progress = progressOf(io, flags.has('quiet'));
  progress?.(`generating a ${profile} derivation cohort of ${encounters.toLocaleString('en-GB')} encounters`);
  const cohort = generateCohort({ profile, encounters, seed });
  progress?.(`fitting ${which} (constrained logistic regression; zones matched to NEWS2's alert rates)`);
  const derivation = {
    cohort: 'synthetic',
    profile,
    encounters,
    seed,
    generatorVersion: cohort.manifest.generatorVersion,
    command: `ewskit fit --model ${which} --profile ${profile} --encounters ${encounters} --seed ${seed}`,
    // The estimand the probabilities answer (validate labels sets the same way).
    outcome: IN_HOSPITAL_OUTCOME,
  };
  const model =
    which === 'apollo-style' ? fitSeverityModel(cohort, APOLLO_TEMPLATE, { ridge, derivation }) : fitNews2AgeComorbidity(cohort, { ridge, derivation });
  writeTextAtomic(out, `${JSON.stringify(model, null, 2)}\n`);
  io.stdout(`Fitted ${model.name} on a ${profile} derivation cohort (${encounters.toLocaleString('en-GB')} encounters, seed ${seed}); wrote ${out}.\n`);
  return 0;
}
