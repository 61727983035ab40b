/**
 * Combine site summaries (`ewskit.summary/1`) into one multi-site answer (`ewskit.combined/1`): for every measure of
 * every score, the per-site rows and a random-effects summary on the pooling scale — REML τ² and the
 * Hartung–Knapp–Sidik–Jonkman interval by default, the prediction interval for a new site, τ, I² and Cochran's Q
 * (Riley et al., BMJ 2016;353:i3140; Debray et al., BMJ 2017;356:i6460) — back-transformed to the measure's own scale.
 * Per-site calibration-in-the-large and slope sit beside the summary, the heterogeneity a reader must see before
 * trusting a pooled number. Summaries that did not measure the same thing refuse to combine, naming the field and
 * the sites.
 */
import type { MetaTest, PredictionRule, RandomEffectsResult, Tau2Method } from './random-effects.js';
import { randomEffects } from './random-effects.js';
import type { PoolingScale, SiteMeasure, SiteMeasureName, SiteSummary } from './site-summary.js';
import { SUMMARY_SCHEMA } from './site-summary.js';
import type { OneStageResult, SharedCountTables } from './one-stage.js';
import type { CaseMixDistance, CaseMixMoments } from './membership.js';
import { caseMixDistance } from './membership.js';
import { oneStage } from './one-stage.js';

/** The schema id of combined reports this version writes. */
export const COMBINED_SCHEMA = 'ewskit.combined/1';

export interface CombineOptions {
  /** τ² estimator (default REML). */
  readonly method?: Tau2Method;
  /** Interval of the summary (default `knha`: Hartung–Knapp–Sidik–Jonkman). */
  readonly test?: MetaTest;
  /**
   * How the sites' score definitions must agree: `exact` (default: id, version and SHA-256 of the definition), or
   * `id-and-version` — internal–external cross-validation, where each site validates its own fold's fit.
   */
  readonly definitions?: 'exact' | 'id-and-version';
  /** The prediction interval's distribution (`randomEffects`' `prediction`; default `test`, as metafor). */
  readonly prediction?: PredictionRule;
}

/** One site's row of a measure, on the measure's own scale and on the pooling scale. */
export interface CombinedSiteRow {
  readonly site: string;
  readonly estimate: number;
  readonly ci: readonly [number, number] | null;
  readonly y: number;
  readonly se: number;
  /** Its share of the random-effects weight (null when the measure was not pooled). */
  readonly weight: number | null;
}

/** The random-effects summary of a measure, back-transformed to its own scale (`estimate`, `ci`, `pi`). */
export interface PooledMeasure {
  readonly k: number;
  readonly estimate: number;
  readonly ci: readonly [number, number];
  readonly pi: readonly [number, number] | null;
  /** On the pooling scale: the summary, its SE, τ², τ, I², H², Q. */
  readonly pooled: Omit<RandomEffectsResult, 'weights' | 'k' | 'method' | 'test'>;
}

export interface CombinedMeasure {
  readonly score: string;
  readonly measure: SiteMeasureName;
  readonly rule: string | null;
  readonly threshold: number | null;
  readonly scale: PoolingScale;
  readonly sites: readonly CombinedSiteRow[];
  /** Sites whose value is undefined for this measure (suppressed, on the scale's edge, no bootstrap …): kept out, with why. */
  readonly excluded: readonly { readonly site: string; readonly reason: string; readonly message: string }[];
  /** Null when no site defines the measure. */
  readonly summary: PooledMeasure | null;
}

/** What each site contributed: its size (as released) and whether its summary may leave its environment. */
export interface CombinedSite {
  readonly site: string;
  readonly patients: unknown;
  readonly encounters: unknown;
  readonly analysedSets: unknown;
  readonly positiveSets: unknown;
  readonly policy: string;
  readonly releasable: boolean;
}

export interface CombinedReport {
  readonly schema: typeof COMBINED_SCHEMA;
  readonly sites: readonly CombinedSite[];
  /** What every site shared: score definitions, outcome, level, disclosure policy. */
  readonly common: {
    readonly definitions: SiteSummary['definitions'];
    readonly outcome: SiteSummary['settings']['outcome'];
    readonly level: number;
    readonly disclosure: { readonly policy: string; readonly minCount: number };
  };
  readonly method: {
    readonly tau2: Tau2Method;
    readonly test: MetaTest;
    readonly prediction: PredictionRule;
    readonly definitions: 'exact' | 'id-and-version';
    readonly description: string;
  };
  readonly measures: readonly CombinedMeasure[];
  /**
   * Internal–external cross-validation only: per held-out site, the AUROC of the membership model (case mix alone
   * telling it from the sites fitted on; Debray et al. 2015). Absent when combined from summaries (it needs rows).
   */
  readonly caseMix?: readonly { readonly site: string; readonly membershipAuroc: number | null }[];
  /**
   * Combined from summaries that carry case-mix moments (ewskit 0.3 on): per site, how far its case mix is from the
   * other sites' together — the Mahalanobis distance and the binormal membership AUROC Φ(Δ/√2) (`caseMixDistance`),
   * from the sites' released means and covariances. Absent when no summary carries them.
   */
  readonly caseMixDistance?: readonly { readonly site: string; readonly encounters: number | null; readonly distance: CaseMixDistance }[];
  /**
   * When every site shared its count tables: the one-stage pooled AUROC, sensitivity and specificity (all sites'
   * patients as one cohort, `validate`'s own statistics); null otherwise. Not released by the sites' disclosure control.
   */
  readonly oneStage: OneStageResult | null;
  /** True when every site's summary is releasable: the combined report is made of their released values only. */
  readonly releasable: boolean;
  readonly warnings: readonly string[];
}

const INVERSE: Readonly<Record<PoolingScale, (x: number) => number>> = {
  logit: (x) => 1 / (1 + Math.exp(-x)),
  log: Math.exp,
  identity: (x) => x,
};

type DefinitionMatch = 'exact' | 'id-and-version';

/**
 * The rule a measure belongs to, as sites are matched on it: its label; in cross-validation the label before its
 * cut-off (each fold's fit has its own cut-offs: "orange zone (p ≥ 0.021)" is "orange zone" at every site).
 */
const ruleOf = (rule: string | null, match: DefinitionMatch): string | null => {
  if (rule === null || match === 'exact') return rule;
  const at = rule.indexOf(' (');
  return at < 0 ? rule : `${rule.slice(0, at)} (each fold’s cut-off)`;
};

/** How a score's rules are matched across sites: by label, unless its definition differs between sites (each fold's fit). */
type MatchOf = (score: string) => DefinitionMatch;

const keyOf = (m: Pick<SiteMeasure, 'score' | 'measure' | 'rule' | 'threshold'>, match: MatchOf): string =>
  JSON.stringify([m.score, m.measure, ruleOf(m.rule, match(m.score)), m.threshold]);

/** Per score: `exact` when every site ran the same definition (same SHA-256) or the mode is exact; else `id-and-version`. */
function matchOf(summaries: readonly SiteSummary[], mode: DefinitionMatch): MatchOf {
  const same = (score: string) => new Set(summaries.map((s) => s.definitions.find((d) => d.id === score)?.sha256)).size === 1;
  return (score) => (mode === 'exact' || same(score) ? 'exact' : 'id-and-version');
}

/** A refusal: the field, and what each site has. */
function differ(field: string, summaries: readonly SiteSummary[], value: (s: SiteSummary) => unknown): void {
  const seen = summaries.map((s) => [s.site, JSON.stringify(value(s))] as const);
  const first = seen[0];
  const other = seen.find(([, v]) => v !== first?.[1]);
  if (first !== undefined && other !== undefined)
    throw new RangeError(
      `combineSummaries: the sites differ in "${field}" and cannot be combined: site "${first[0]}" has ${first[1]}, site "${other[0]}" has ${other[1]}.`,
    );
}

/** Refuse summaries that did not measure the same thing. */
function checkCompatible(summaries: readonly SiteSummary[], definitions: DefinitionMatch): void {
  if (summaries.length === 0) throw new RangeError('combineSummaries: "summaries" expected at least one site summary; received none.');
  summaries.forEach((s, i) => {
    if (s?.schema !== SUMMARY_SCHEMA)
      throw new RangeError(
        `combineSummaries: summary ${i + 1} (site "${String(s?.site)}") has schema ${JSON.stringify(s?.schema)}; expected "${SUMMARY_SCHEMA}".`,
      );
  });
  const twice = summaries.find((s, i) => summaries.findIndex((t) => t.site === s.site) !== i);
  if (twice !== undefined) throw new RangeError(`combineSummaries: the site "${twice.site}" is given twice; each site must be summarised once.`);
  differ('reportSchema', summaries, (s) => s.reportSchema);
  if (definitions === 'exact') differ('definitions (score id, version and SHA-256)', summaries, (s) => s.definitions.map((d) => [d.id, d.version, d.sha256]));
  else differ('definitions (score id and version)', summaries, (s) => s.definitions.map((d) => [d.id, d.version]));
  const o = (s: SiteSummary) => s.settings.outcome;
  differ('settings.outcome.horizonHours', summaries, (s) => o(s).horizonHours);
  differ('settings.outcome.eventTypes', summaries, (s) => o(s).eventTypes);
  differ('settings.outcome.unit', summaries, (s) => o(s).unit);
  differ('settings.outcome.followUp', summaries, (s) => o(s).followUp);
  differ('settings.outcome.censoring.censored', summaries, (s) => o(s).censoring.censored);
  differ('settings.outcome.excludeBeforeEventMinutes', summaries, (s) => o(s).excludeBeforeEventMinutes);
  differ('settings.level', summaries, (s) => s.settings.level);
  differ('settings.netBenefitThresholds', summaries, (s) => s.settings.netBenefitThresholds);
  differ('settings.intervals.cluster', summaries, (s) => s.settings.intervals.cluster);
  differ('disclosure.policy', summaries, (s) => s.disclosure.policy);
  differ('disclosure.minCount', summaries, (s) => s.disclosure.minCount);
}

function combineMeasure(key: string, summaries: readonly SiteSummary[], level: number, options: Required<CombineOptions>, match: MatchOf): CombinedMeasure {
  const rows: CombinedSiteRow[] = [];
  const excluded: { site: string; reason: string; message: string }[] = [];
  let meta: SiteMeasure | undefined;
  for (const s of summaries) {
    const m = s.measures.find((x) => keyOf(x, match) === key);
    if (m === undefined) {
      excluded.push({ site: s.site, reason: 'absent', message: 'the site has no such measure (its analysis planned other rules)' });
      continue;
    }
    meta ??= m;
    if (m.value.defined) rows.push({ site: s.site, estimate: m.value.estimate, ci: m.value.ci, y: m.value.y, se: m.value.se, weight: null });
    else excluded.push({ site: s.site, reason: m.value.reason, message: m.value.message });
  }
  const m = meta as SiteMeasure;
  const base = { score: m.score, measure: m.measure, rule: ruleOf(m.rule, match(m.score)), threshold: m.threshold, scale: m.scale };
  if (rows.length === 0) return { ...base, sites: rows, excluded, summary: null };
  const re = randomEffects(
    rows.map((r) => r.y),
    rows.map((r) => r.se ** 2),
    { method: options.method, test: options.test, level, prediction: options.prediction },
  );
  const back = INVERSE[m.scale];
  const { weights, k, method: _method, test: _test, ...pooled } = re;
  return {
    ...base,
    sites: rows.map((r, i) => ({ ...r, weight: weights[i] ?? null })),
    excluded,
    summary: {
      k,
      estimate: back(re.estimate),
      ci: [back(re.ci[0]), back(re.ci[1])],
      pi: re.pi === null ? null : [back(re.pi[0]), back(re.pi[1])],
      pooled,
    },
  };
}

/**
 * Combine site summaries by random-effects meta-analysis of each measure. Runs in O(sites × measures × iterations).
 *
 * @param summaries one `ewskit.summary/1` per site (from `summariseSite` or `ewskit summarise`)
 * @param options τ² estimator (`REML` or `DL`) and interval (`knha` or `z`)
 * @returns the combined report, schema `ewskit.combined/1`
 * @throws {RangeError} when the summaries differ in schema, score definitions, outcome, level, net-benefit thresholds,
 *   clustering or disclosure policy (naming the field and two sites), or a site is named twice
 * @example combineSummaries([leicester, apollo]).measures[0].summary?.estimate;
 */
export function combineSummaries(summaries: readonly SiteSummary[], options: CombineOptions = {}): CombinedReport {
  const resolved: Required<CombineOptions> = {
    method: options.method ?? 'REML',
    test: options.test ?? 'knha',
    definitions: options.definitions ?? 'exact',
    prediction: options.prediction ?? 'k-2',
  };
  if (resolved.definitions !== 'exact' && resolved.definitions !== 'id-and-version')
    throw new RangeError(`combineSummaries: option "definitions" expected 'exact' or 'id-and-version'; received ${JSON.stringify(resolved.definitions)}.`);
  checkCompatible(summaries, resolved.definitions);
  const first = summaries[0] as SiteSummary;
  const level = first.settings.level;
  const keys: string[] = [];
  const match = matchOf(summaries, resolved.definitions);
  for (const s of summaries) for (const m of s.measures) if (!keys.includes(keyOf(m, match))) keys.push(keyOf(m, match));
  const measures = keys.map((key) => combineMeasure(key, summaries, level, resolved, match));
  const shared = summaries.map((s) => s.countTables).filter((t): t is SharedCountTables => t !== undefined);
  const pooled = shared.length === summaries.length ? oneStage(shared, level, first.settings.netBenefitThresholds) : null;
  // Case mix: each site's distance from the others, among the sites whose moments were released.
  const moments = summaries.map((s) => ({ site: s.site, m: s.caseMix }));
  const released = moments.filter((x): x is { site: string; m: CaseMixMoments } => x.m?.defined === true);
  const caseMixDistances =
    released.length === 0
      ? undefined
      : moments.map(({ site, m }) => ({
          site,
          encounters: m?.defined === true ? m.encounters : null,
          distance:
            m === undefined
              ? ({ defined: false, reason: 'not-shared', message: 'the summary holds no case-mix moments (ewskit 0.2)' } as const)
              : !m.defined
                ? ({ defined: false, reason: m.reason, message: m.message } as const)
                : caseMixDistance(
                    m,
                    released.filter((x) => x.site !== site).map((x) => x.m),
                  ),
        }));
  const warnings = [
    ...(caseMixDistances !== undefined && released.length < summaries.length
      ? [
          `case mix: ${summaries.length - released.length} of ${summaries.length} sites released no moments; each distance is from the sites that did (${released.map((x) => x.site).join(', ')})`,
        ]
      : []),
    ...(shared.length > 0 && shared.length < summaries.length
      ? [`count tables from ${shared.length} of ${summaries.length} sites: no one-stage pooling (it needs every site’s)`]
      : []),
    ...(pooled !== null
      ? ['one-stage pooling from the sites’ count tables is outside their disclosure control: an output checker must see it before release']
      : []),
    ...(summaries.length === 1 ? ['one site: no between-site variance (τ²) and no prediction interval; each summary is the site’s own estimate'] : []),
    ...(summaries.length === 2
      ? [
          `two sites: τ² rests on one degree of freedom; the intervals are very wide, as they should be${resolved.prediction === 'k-2' ? ', and t with k − 2 df has no prediction interval (--prediction test gives metafor’s, on t with 1 df)' : ''}`,
        ]
      : []),
    // Measured in the site-coverage benchmark (5 sites): t with k − 1 df held a new site's AUROC and O/E in 89–92 % of
    // studies at a nominal 95 %, t with k − 2 df in 93 % (Partlett & Riley, Stat Med 2017, on why).
    ...(summaries.length >= 3 && summaries.length <= 5 && resolved.prediction === 'test'
      ? [
          `${summaries.length} sites: the prediction interval (t with k − 1 df) tends to be too narrow this few — τ² often estimates at 0; read it as optimistic, prefer --prediction k-2 (t with k − 2 df), and look at the site rows`,
        ]
      : []),
    ...summaries.filter((s) => !s.disclosure.releasable).map((s) => `site "${s.site}": its summary is not releasable (see its disclosure block)`),
  ];
  return {
    schema: COMBINED_SCHEMA,
    sites: summaries.map((s) => ({
      site: s.site,
      patients: s.cohort.patients,
      encounters: s.cohort.encounters,
      analysedSets: s.cohort.analysedSets,
      positiveSets: s.cohort.positiveSets,
      policy: s.disclosure.policy,
      releasable: s.disclosure.releasable,
    })),
    common: {
      definitions: first.definitions,
      outcome: first.settings.outcome,
      level,
      disclosure: { policy: first.disclosure.policy, minCount: first.disclosure.minCount },
    },
    method: {
      tau2: resolved.method,
      test: resolved.test,
      prediction: resolved.prediction,
      definitions: resolved.definitions,
      description: `random effects on the pooling scale (logit AUROC, sensitivity and specificity; log O/E; calibration intercept, slope and net benefit as they are): τ² by ${resolved.method === 'REML' ? 'restricted maximum likelihood' : 'DerSimonian–Laird'}, the summary's interval by ${resolved.test === 'knha' ? 'Hartung–Knapp–Sidik–Jonkman (t with k − 1 df)' : 'the normal approximation'}, the prediction interval for a new site ${resolved.prediction === 'test' ? 'with the same distribution' : 'with t (k − 2 df)'}; back-transformed${resolved.definitions === 'exact' ? '' : '. Each site validated its own fit of the score (same id and version, fitted without that site: internal–external cross-validation)'}`,
    },
    measures,
    ...(caseMixDistances === undefined ? {} : { caseMixDistance: caseMixDistances }),
    oneStage: pooled,
    releasable: pooled === null && summaries.every((s) => s.disclosure.releasable),
    warnings,
  };
}
