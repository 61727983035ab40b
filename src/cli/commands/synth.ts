/**
 * `ewskit synth`: write a synthetic EPR cohort (five Arrow files and a manifest) to a directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { CohortProfile } from '../../../validation/cohort/profiles.js';
import { COHORT_FORMATS, writeCohort } from '../../io/cohort-files.js';
import { writeSiteCohorts } from '../../io/site-cohorts.js';
import { drawSites } from '../../../validation/cohort/sites.js';
import type { CliIO } from '../args.js';
import { parseFlags, progressOf, UsageError } from '../args.js';
import { checkOutputs } from '../outputs.js';
import { resolveProfile } from '../../../validation/cohort/profiles.js';
import { OXIMETER_BIAS_NAMES } from '../../../validation/cohort/oximeter.js';
import { ESCALATION_TRIGGERS } from '../../../validation/ward/monitoring.js';

export async function synth(args: readonly string[], io: CliIO): Promise<number> {
  const flags = parseFlags(args, 'synth');
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('synth needs --out DIR (where to write the cohort)');
  const encounters = flags.int('encounters', 0);
  const seed = flags.int('seed', 0);
  const batchEncounters = flags.int('batch', 1);
  const bias = flags.choice('oximeter-bias', OXIMETER_BIAS_NAMES);
  const escalationEffect = Number(flags.value('escalation-effect'));
  if (!(escalationEffect >= 0 && escalationEffect <= 1))
    throw new UsageError(`--escalation-effect expects a share from 0 to 1; received "${flags.get('escalation-effect')}"`);
  const escalationTrigger = flags.choice('escalation-trigger', ESCALATION_TRIGGERS);
  const name = flags.value('profile') as string;
  let profile: string | Partial<CohortProfile> = name;
  if (name.endsWith('.json')) {
    if (!existsSync(name)) throw new Error(`profile file "${name}" does not exist.`);
    profile = JSON.parse(readFileSync(name, 'utf8')) as Partial<CohortProfile>;
  }
  // Everything checked before a byte is written: the profile resolves, and the output replaces nothing unasked.
  try {
    resolveProfile(profile);
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\.$/, ''));
  }
  checkOutputs('synth', [{ path: out, flag: 'out', directory: true }], name.endsWith('.json') ? [name] : [], flags.has('force'));
  const started = performance.now();
  const quiet = flags.has('quiet');
  const step = progressOf(io, quiet);
  // On a terminal a percentage in place; in a log a timestamped line per batch.
  const progress = quiet
    ? undefined
    : io.tty === true
      ? (done: number, total: number) => {
          // Counts and the time left, from the rate so far.
          const elapsed = (performance.now() - started) / 1000;
          const eta = done > 0 && done < total ? ` · about ${Math.ceil((elapsed / done) * (total - done))} s left` : '';
          io.stderr(
            `\rGenerating ${total.toLocaleString('en-GB')} encounters: ${total === 0 ? 100 : Math.floor((100 * done) / total)}% (${done.toLocaleString('en-GB')})${eta}   `,
          );
        }
      : (done: number, total: number) => step?.(`generated ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} encounters`);
  const format = flags.choice('format', COHORT_FORMATS);
  const sitesFlag = flags.get('sites');
  if (sitesFlag !== undefined) {
    const sites = /^\d+$/.test(sitesFlag) ? Number(sitesFlag) : sitesFlag.split(',').map((s) => s.trim());
    if (sites === 0 || (typeof sites === 'number' && sites > 100))
      throw new UsageError(`--sites expects 1 to 100 sites or a list of names; received "${sitesFlag}"`);
    try {
      drawSites(sites, seed);
    } catch (e) {
      throw new UsageError((e as Error).message.replace(/^drawSites: /, '--sites: ').replace(/\.$/, ''));
    }
    const written = await writeSiteCohorts(
      out,
      sites,
      { profile, encounters, seed, oximeterBias: bias, batchEncounters, escalationEffect, escalationTrigger },
      format,
      quiet ? undefined : (site, done, total) => step?.(`${site}: generated ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} encounters`),
    );
    const seconds = (performance.now() - started) / 1000;
    io.stdout(
      [
        `Wrote ${written.sites.length} sites of a ${resolveProfile(profile).name} study to ${out} (study seed ${seed}, ${encounters.toLocaleString('en-GB')} encounters per site) in ${seconds.toFixed(1)} s:`,
        ...written.sites.map(
          (s) =>
            `  ${s.directory}/  risk shift ${s.riskShift >= 0 ? '+' : ''}${s.riskShift.toFixed(2)} (log-odds) · age ${s.ageShift >= 0 ? '+' : ''}${s.ageShift.toFixed(1)} y · comorbidity ×${s.comorbidityMultiplier.toFixed(2)} · uncharted vitals ×${s.missingnessMultiplier.toFixed(2)} · oximeter bias ×${s.oximeterMultiplier.toFixed(2)} · ${s.rows.observations.toLocaleString('en-GB')} sets`,
        ),
        '  sites.json (the effects drawn and their distributions)',
        '',
      ].join('\n'),
    );
    return 0;
  }
  const manifest = await writeCohort(
    out,
    { profile, encounters, seed, oximeterBias: bias, batchEncounters, escalationEffect, escalationTrigger },
    progress,
    format,
  );
  if (io.tty === true && !quiet) io.stderr('\n');
  const seconds = (performance.now() - started) / 1000;
  const r = manifest.rows;
  io.stdout(
    [
      `Wrote a ${manifest.profile.name} cohort to ${out} (seed ${seed}, oximeter bias ${bias}, escalation effect ${escalationEffect}, generator ${manifest.generatorVersion}) in ${seconds.toFixed(1)} s:`,
      `  patients.${format} ${r.patients.toLocaleString('en-GB')} · encounters.${format} ${r.encounters.toLocaleString('en-GB')} · observations.${format} ${r.observations.toLocaleString('en-GB')} · events.${format} ${r.events.toLocaleString('en-GB')} · truth.${format} ${r.truth.toLocaleString('en-GB')} · cohort.json`,
      '',
    ].join('\n'),
  );
  return 0;
}
