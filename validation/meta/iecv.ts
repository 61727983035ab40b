/**
 * Internal–external cross-validation (Steyerberg & Harrell, J Clin Epidemiol 2016;69:245–7; Royston, Parmar &
 * Sylvester 2004): for each site, fit the score on every other site and validate it on the one left out; then
 * meta-analyse the held-out sites' measures as `combineSummaries` does any sites' — random effects, HKSJ interval and
 * the prediction interval for a new site. It answers "does a score fitted this way transport to a site it never saw?",
 * the honest form of "the fitted score generalises".
 */
import { Table } from 'apache-arrow';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { CohortTables, ValidateOptions } from '../study/options.js';
import type { CombinedReport, CombineOptions } from './combine.js';
import { combineSummaries } from './combine.js';
import type { SiteSummary } from './site-summary.js';
import { summariseSite } from './site-summary.js';
import type { MembershipCell } from './membership.js';
import { membershipModel } from './membership.js';

/** One site of the cross-validation. */
export interface IecvSite {
  readonly site: string;
  readonly cohort: CohortTables;
}

export interface IecvOptions {
  readonly sites: readonly IecvSite[];
  /** Fit the score on a derivation cohort (every site but `heldOut`). */
  readonly fit: (derivation: CohortTables, heldOut: string) => ScoreDefinition;
  /** Scores validated beside the fitted one at each held-out site (a comparator such as NEWS2); default none. */
  readonly comparators?: readonly ScoreDefinition[];
  /** The study's options at each held-out site (bootstrap, outcome, disclosure …), as for `validate`. */
  readonly study?: Omit<ValidateOptions, 'cohort' | 'scores'>;
  readonly combine?: CombineOptions;
  /** Called as each fold starts. */
  readonly onFold?: (heldOut: string, fold: number, folds: number) => void;
}

export interface IecvResult {
  /** Per fold: the site left out, the sites fitted on, and the fitted definition. */
  readonly folds: readonly {
    readonly heldOut: string;
    readonly fittedOn: readonly string[];
    readonly model: ScoreDefinition;
    /** How well case mix alone tells the held-out site from the sites fitted on (Debray et al. 2015). */
    readonly membership: MembershipCell;
  }[];
  readonly summaries: readonly SiteSummary[];
  /** The held-out sites combined; each site's fitted definition is its own fold's (same id and version). */
  readonly combined: CombinedReport;
}

/** The rows of several cohorts as one cohort (their tables' batches in order; ids must not collide across sites). */
export function concatCohorts(cohorts: readonly CohortTables[]): CohortTables {
  const table = (pick: (c: CohortTables) => Table | undefined): Table | undefined => {
    const parts = cohorts.map(pick);
    if (parts.some((p) => p === undefined)) return undefined;
    return new Table((parts as Table[]).flatMap((p) => p.batches));
  };
  const observations = table((c) => c.observations) as Table;
  const events = table((c) => c.events) as Table;
  const patients = table((c) => c.patients);
  const encounters = table((c) => c.encounters);
  return { observations, events, ...(patients === undefined ? {} : { patients }), ...(encounters === undefined ? {} : { encounters }) };
}

/**
 * Run internal–external cross-validation. Runs in O(sites × (fit + study)).
 *
 * @throws {RangeError} for fewer than two sites or a site named twice
 * @example internalExternalValidation({ sites, fit: (c) => fitSeverityModel(c, APOLLO_TEMPLATE) }).combined.measures[0];
 */
export function internalExternalValidation(options: IecvOptions): IecvResult {
  const { sites } = options;
  if (sites.length < 2) throw new RangeError(`internalExternalValidation: "sites" expected at least two sites (one to leave out); received ${sites.length}.`);
  const twice = sites.find((s, i) => sites.findIndex((t) => t.site === s.site) !== i);
  if (twice !== undefined) throw new RangeError(`internalExternalValidation: the site "${twice.site}" is given twice.`);
  const folds: { heldOut: string; fittedOn: string[]; model: ScoreDefinition; membership: MembershipCell }[] = [];
  const summaries: SiteSummary[] = [];
  sites.forEach((held, k) => {
    options.onFold?.(held.site, k + 1, sites.length);
    const others = sites.filter((s) => s.site !== held.site);
    const derivation = concatCohorts(others.map((s) => s.cohort));
    const model = options.fit(derivation, held.site);
    folds.push({ heldOut: held.site, fittedOn: others.map((s) => s.site), model, membership: membershipModel(held.cohort, derivation) });
    summaries.push(summariseSite({ ...options.study, cohort: held.cohort, scores: [model, ...(options.comparators ?? [])], site: held.site }));
  });
  const combined = combineSummaries(summaries, { ...options.combine, definitions: 'id-and-version' });
  const caseMix = folds.map((f) => ({ site: f.heldOut, membershipAuroc: f.membership.defined ? f.membership.auroc : null }));
  return { folds, summaries, combined: { ...combined, caseMix } };
}
