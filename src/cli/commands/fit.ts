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
import { intFlag, parseFlags, progressOf, UsageError } from '../args.js';
import { checkOutputs } from '../outputs.js';

/** Fit the Apollo-style template on a derivation cohort generated here, and write the definition as JSON. */

/** The options of `ewskit fit` (the help text and the README list each; a test checks). */
export const FIT_OPTIONS: readonly string[] = ['profile', 'encounters', 'seed', 'out', 'ridge', 'model', 'force', 'quiet'];
export function fit(args: readonly string[], io: CliIO): number {
  const flags = parseFlags(args, FIT_OPTIONS);
  const which = flags.get('model') ?? 'apollo-style';
  if (which !== 'apollo-style' && which !== 'news2-age-comorbidity')
    throw new UsageError(`--model expects apollo-style or news2-age-comorbidity; received "${which}"`);
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('fit needs --out FILE (where to write the fitted definition, .json)');
  checkOutputs('fit', [{ path: out, flag: 'out' }], [], flags.has('force'));
  const profile = flags.get('profile') ?? 'india-apollo';
  const encounters = intFlag(flags, 'encounters', 20000, 100);
  const seed = intFlag(flags, 'seed', 2024, 0);
  const ridge = Number(flags.get('ridge') ?? 1);
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
  };
  const model =
    which === 'apollo-style' ? fitSeverityModel(cohort, APOLLO_TEMPLATE, { ridge, derivation }) : fitNews2AgeComorbidity(cohort, { ridge, derivation });
  writeTextAtomic(out, `${JSON.stringify(model, null, 2)}\n`);
  io.stdout(`Fitted ${model.name} on a ${profile} derivation cohort (${encounters.toLocaleString('en-GB')} encounters, seed ${seed}); wrote ${out}.\n`);
  return 0;
}
