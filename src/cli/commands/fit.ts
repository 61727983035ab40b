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
import type { Flags } from '../args.js';
import { MAX_BOOTSTRAP, parseFlags, progressOf, scoreFlags, UsageError } from '../args.js';
import { writeTextsAtomic } from '../../io/write-text.js';
import { readSiteCohorts } from '../../io/site-cohorts.js';
import { internalExternalValidation } from '../../../validation/meta/iecv.js';
import { combinedMarkdown } from '../../../validation/meta/render-combined.js';
import { combinedHtml } from '../../../validation/meta/combined-html.js';
import { loadDisclosureAudit } from '../../../validation/disclosure/lp-audit.js';
import type { CohortTables } from '../../../validation/study/options.js';
import type { ModelScore } from '../../../scores/definition/model.js';
import { checkOutputs } from '../outputs.js';
import { FIT_MODELS } from '../options.js';

/** Fit one of the models on a derivation cohort. */
function fitModel(which: (typeof FIT_MODELS)[number], cohort: CohortTables, ridge: number, derivation: Record<string, unknown>): ModelScore {
  return which === 'apollo-style' ? fitSeverityModel(cohort, APOLLO_TEMPLATE, { ridge, derivation }) : fitNews2AgeComorbidity(cohort, { ridge, derivation });
}

/**
 * `fit --iecv DIR`: internal–external cross-validation over the sites of a multi-site study directory — fit on all
 * sites but one, validate on that one (with the comparators of --score), for each site; meta-analyse the held-out
 * sites — written as the combined report (JSON, Markdown, HTML).
 */
async function iecv(dir: string, which: (typeof FIT_MODELS)[number], out: string, flags: Flags, repeated: Map<string, string[]>, io: CliIO): Promise<number> {
  if (flags.has('profile') || flags.has('encounters'))
    throw new UsageError('--profile and --encounters describe a generated derivation cohort; with --iecv the sites are the data');
  const md = flags.get('md');
  const html = flags.get('html');
  checkOutputs(
    'fit',
    [{ path: out, flag: 'out' }, md === undefined ? null : { path: md, flag: 'md' }, html === undefined ? null : { path: html, flag: 'html' }],
    [dir],
    flags.has('force'),
  );
  const ridge = Number(flags.value('ridge'));
  if (!(ridge >= 0)) throw new UsageError(`--ridge expects a number ≥ 0; received "${flags.get('ridge')}"`);
  const seed = flags.int('seed', 0);
  const B = flags.int('B', 0, MAX_BOOTSTRAP);
  // The comparators validated beside each fold's fit (default NEWS2); the fitted score's own id cannot be one.
  const comparators = scoreFlags(repeated);
  const progress = progressOf(io, flags.has('quiet'));
  const sites = await readSiteCohorts(dir);
  await loadDisclosureAudit();
  const result = internalExternalValidation({
    sites,
    fit: (derivation, heldOut) =>
      fitModel(which, derivation, ridge, {
        cohort: 'internal–external cross-validation',
        fittedOn: sites
          .filter((s) => s.site !== heldOut)
          .map((s) => s.site)
          .join(', '),
        heldOut,
        command: `ewskit fit --model ${which} --iecv ${dir}`,
        outcome: IN_HOSPITAL_OUTCOME,
      }),
    comparators,
    study: { bootstrap: B === 0 ? false : { B, seed } },
    onFold: (site, k, n) => progress?.(`fold ${k} of ${n}: fitting ${which} without ${site}, validating on ${site}`),
  });
  const files: [string, string][] = [
    [
      out,
      `${JSON.stringify({ ...result.combined, iecv: result.folds.map((f) => ({ heldOut: f.heldOut, fittedOn: f.fittedOn, membership: f.membership, model: f.model })) }, null, 2)}\n`,
    ],
  ];
  if (md !== undefined) files.push([md, combinedMarkdown(result.combined)]);
  if (html !== undefined) files.push([html, await combinedHtml(result.combined)]);
  writeTextsAtomic(files);
  io.stdout(`${combinedMarkdown(result.combined)}\n`);
  io.stderr(`ewskit fit: internal–external cross-validation of ${which} over ${sites.length} sites; wrote ${files.map(([p]) => p).join(', ')}.\n`);
  return 0;
}

/** The outcome a fitted score's probabilities answer, recorded in its derivation. */
const IN_HOSPITAL_OUTCOME =
  "any event (death, unplanned ICU admission, cardiac arrest) within 24 h of a set; in-hospital follow-up: discharge alive within the horizon is no event, only the extract's end censors";

export async function fit(args: readonly string[], io: CliIO): Promise<number> {
  const repeated = new Map<string, string[]>();
  const flags = parseFlags(args, 'fit', repeated);
  const which = flags.choice('model', FIT_MODELS);
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('fit needs --out FILE (where to write the fitted definition, .json)');
  const iecvDir = flags.get('iecv');
  if (iecvDir !== undefined) return iecv(iecvDir, which, out, flags, repeated, io);
  const stray = ['md', 'html', 'B', 'score'].find((f) => flags.has(f));
  if (stray !== undefined) throw new UsageError(`--${stray} goes with --iecv DIR (the cross-validation's report)`);
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
  const model = fitModel(which, cohort, ridge, derivation);
  writeTextAtomic(out, `${JSON.stringify(model, null, 2)}\n`);
  io.stdout(`Fitted ${model.name} on a ${profile} derivation cohort (${encounters.toLocaleString('en-GB')} encounters, seed ${seed}); wrote ${out}.\n`);
  return 0;
}
