/**
 * A multi-site synthetic study on disk: one cohort directory per site (each as `writeCohort` writes it) and
 * `sites.json` (`ewskit.sites/1`), the site effects drawn and the distributions they came from — the truth a
 * meta-analysis of the sites is checked against. Written whole into a temporary directory and renamed into place.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CohortOptions } from '../../validation/cohort/generate.js';
import type { SiteEffectModel, SiteEffects } from '../../validation/cohort/sites.js';
import { DEFAULT_SITE_EFFECTS, drawSites, siteCohortOptions } from '../../validation/cohort/sites.js';
import type { CohortFormat, CohortManifestFile } from './cohort-files.js';
import { cohortFiles, cohortFormat, cohortManifest, readCohort, writeCohort } from './cohort-files.js';
import type { CohortTables } from '../../validation/study/options.js';
import type { ExtractFiles } from './read-extract.js';
import { readExtract } from './read-extract.js';
import { writeDirectoryAtomic } from './temporaries.js';

/** The schema id of `sites.json`. */
export const SITES_SCHEMA = 'ewskit.sites/1';

/** `sites.json`: the study's seed, the effect distributions and each site's draws and cohort directory. */
export interface SitesManifest {
  readonly schema: typeof SITES_SCHEMA;
  readonly seed: number;
  readonly model: SiteEffectModel;
  readonly sites: readonly (SiteEffects & { readonly directory: string; readonly rows: CohortManifestFile['rows'] })[];
  readonly note: string;
}

/**
 * Generate the sites of a study, each a cohort directory under `given`, with `sites.json`. Runs in the generator's
 * time per site.
 *
 * @param sites a count (`site-1` …) or the sites' names
 * @param options the base cohort's options (profile, encounters per site, oximeter bias …); `seed` seeds the study
 * @throws {Error} when `given` is a file
 */
export async function writeSiteCohorts(
  given: string,
  sites: number | readonly string[],
  options: CohortOptions,
  format: CohortFormat = 'arrow',
  onProgress?: (site: string, done: number, total: number) => void,
  model: SiteEffectModel = DEFAULT_SITE_EFFECTS,
): Promise<SitesManifest> {
  const target = resolve(given);
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new Error(`writeSiteCohorts: "${given}" is a file, not a directory; a file is never replaced`);
  const seed = options.seed ?? 1;
  const drawn = drawSites(sites, seed, model);
  return writeDirectoryAtomic(
    target,
    async (dir) => {
      const written = [];
      for (const effects of drawn) {
        const manifest = await writeCohort(
          join(dir, effects.site),
          siteCohortOptions(options, effects),
          onProgress && ((d, t) => onProgress(effects.site, d, t)),
          format,
        );
        written.push({ ...effects, directory: effects.site, rows: manifest.rows });
      }
      const manifest: SitesManifest = {
        schema: SITES_SCHEMA,
        seed,
        model,
        sites: written,
        note: 'Each site is the base profile shifted by its draws: baseline log-odds of deterioration + riskShift, mean age + ageShift, comorbidity mean × comorbidityMultiplier, chance of an uncharted vital × missingnessMultiplier, oximeter over-reading × oximeterMultiplier; its cohort.json holds the profile it ran with. A new site is one more draw from the same distributions.',
      };
      writeFileSync(join(dir, 'sites.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      return manifest;
    },
    'writeSiteCohorts',
  );
}

/**
 * The sites of a multi-site study directory: those `sites.json` lists, or else every subdirectory holding a
 * `cohort.json`, in name order — each read as `validate --cohort` reads a cohort (Arrow directly; Parquet and CSV
 * through the extract readers).
 *
 * @throws {Error} when the directory holds no site
 */
export async function readSiteCohorts(given: string): Promise<{ site: string; cohort: CohortTables }[]> {
  if (!existsSync(given) || !statSync(given).isDirectory()) throw new Error(`readSiteCohorts: "${given}" is not a directory of sites.`);
  const listed = existsSync(join(given, 'sites.json'))
    ? (JSON.parse(readFileSync(join(given, 'sites.json'), 'utf8')) as SitesManifest).sites.map((s) => ({ site: s.site, dir: join(given, s.directory) }))
    : readdirSync(given)
        .filter((name) => existsSync(join(given, name, 'cohort.json')))
        .sort()
        .map((name) => ({ site: name, dir: join(given, name) }));
  if (listed.length === 0) throw new Error(`readSiteCohorts: "${given}" holds no site (no sites.json, and no subdirectory with a cohort.json).`);
  const out: { site: string; cohort: CohortTables }[] = [];
  for (const { site, dir } of listed) {
    const cohort: CohortTables =
      cohortFormat(dir) === 'arrow' ? readCohort(dir) : { ...(await readExtract(cohortFiles(dir) as ExtractFiles)), manifest: cohortManifest(dir) };
    out.push({ site, cohort });
  }
  return out;
}
