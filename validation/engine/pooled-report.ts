/**
 * One stage as a whole engine report: the sites' shared count tables (`summarise --count-tables`: `score_counts` per
 * group of each grouping of the study, packed; Table 1's `characteristics`, the flow's counts, the scores' definitions)
 * added into the counts of all their patients together — as grids, never an object per cell — and the engine report
 * computed from them: flow, Table 1, every score's discrimination, rules, calibration and comparisons (a model's from
 * its probability buckets), and each grouping's groups with their paired differences from the reference
 * (Holm-adjusted over all of them, simultaneous intervals), the alert measures, and the units of analysis the study
 * asked for — the numbers `validate` gives on all the sites' rows
 * together. Disclosure control is off: the tables were shared outside it, and an output checker must
 * see the result before release.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { SiteSummary } from '../meta/site-summary.js';
import type { EngineCounts, EngineReport } from './engine-study.js';
import { engineReportOf, NOT_COUNTED_ALERTS, sumEngineCounts } from './engine-study.js';
import { sumGrids } from '../study/packed-counts.js';
import { unpackAlertCounts } from '../study/packed-alerts.js';
import type { CountGrid } from '../study/count-grids.js';
import { rowsOfGrids } from '../study/count-grids.js';
import type { EngineFlow } from '../study/flow-counts.js';
import { addFlowCounts } from '../study/flow-counts.js';
import type { SharedCountTables } from '../meta/one-stage.js';

type GroupingTables = NonNullable<SharedCountTables['moreGroupings']>[number];

const FN = 'pooledReport';

/**
 * The sites' count tables added: the counts of all their patients as one cohort (a patient seen at two sites keeps one
 * Poisson weight per replicate; in the flow's patient counts it is counted at each). Each site labelled its sets
 * against its own extract end: the flow's extract end is theirs when they agree, else null. Runs in O(table cells).
 *
 * @throws {TypeError} naming the site whose summary lacks count tables, or the field where two sites' tables differ
 */
export function pooledCounts(summaries: readonly SiteSummary[]): EngineCounts {
  const { counts, grids } = pooledGrids(summaries);
  return {
    ...counts,
    scoreCounts: rowsOfGrids(grids.scoreCounts, counts.scoreCounts.definition),
    ...(counts.moreGroupings === undefined
      ? {}
      : {
          moreGroupings: counts.moreGroupings.map((g, k) => ({ ...g, scoreCounts: rowsOfGrids(grids.moreGroupings[k] ?? [], g.scoreCounts.definition) })),
        }),
  };
}

/** The sites' counts added, `score_counts` as grids (the counts' own tables hold their definitions, no rows). */
function pooledGrids(summaries: readonly SiteSummary[]): { counts: EngineCounts; grids: { scoreCounts: CountGrid[]; moreGroupings: CountGrid[][] } } {
  if (summaries.length === 0) throw new RangeError(`${FN}: "summaries" expected at least one site summary; received none.`);
  // Every site's tables checked first, so a site without them is named before any work.
  const shared = summaries.map((s) => {
    const t = s.countTables;
    if (t === undefined || t.flow === undefined || t.characteristics === undefined || t.definitions === undefined)
      throw new TypeError(
        `${FN}: site "${s.site}" shared no count tables with the flow, Table 1 and its scores' definitions (summarise it with --count-tables, ewskit 0.2 or later).`,
      );
    return { ...t, flow: t.flow, characteristics: t.characteristics };
  });
  // score_counts added as grids (no rows: the counts below carry its definition, the grids its cells); the other
  // tables added as the engines add them.
  const models = (shared[0] as (typeof shared)[number]).probabilistic;
  const main = sumGrids(
    shared.map((t) => t.scoreCounts),
    models,
    {},
    FN,
  );
  const scoreCounts = { definition: main.definition, rows: [] };
  const part = (t: (typeof shared)[number]): EngineCounts => ({
    engine: 'js',
    scoreCounts,
    probabilistic: t.probabilistic,
    flow: t.flow,
    characteristics: t.characteristics,
    ...(t.pairCounts === undefined ? {} : { pairCounts: t.pairCounts }),
    // The alert measures' tables add when every site shared one (a site without leaves the pooled report without them).
    ...(t.alertCounts === undefined ? {} : { alertCounts: unpackAlertCounts(t.alertCounts) }),
    ...(t.unitCounts === undefined ? {} : { unitCounts: t.unitCounts }),
  });
  // Each further grouping's tables, added likewise; every site must have counted the same groupings.
  const groupings = (shared[0] as (typeof shared)[number]).moreGroupings ?? [];
  summaries.forEach((s, k) => {
    const mine = (shared[k] as (typeof shared)[number]).moreGroupings ?? [];
    const names = (g: readonly { scoreCounts: { definition: { groupBy: string | null } } }[]) =>
      g.map((x) => x.scoreCounts.definition.groupBy).join(', ') || 'none';
    if (names(mine) !== names(groupings))
      throw new TypeError(
        `${FN}: site "${s.site}" counted further groupings ${names(mine)}, site "${(summaries[0] as SiteSummary).site}" ${names(groupings)}; summarise every site with the same --by options.`,
      );
  });
  const more = groupings.map((_, g) =>
    sumGrids(
      shared.map((t) => (t.moreGroupings?.[g] as GroupingTables).scoreCounts),
      models,
      {},
      FN,
    ),
  );
  const moreGroupings = groupings.map((_, g) => ({
    scoreCounts: { definition: (more[g] as (typeof more)[number]).definition, rows: [] },
    flow: shared.map((t) => (t.moreGroupings?.[g] as GroupingTables).flow).reduce((a, b) => addFlowCounts(a, b, scoreCounts.definition.scores)),
  }));
  const grids = { scoreCounts: main.grids, moreGroupings: more.map((m) => m.grids) };
  const added = {
    ...shared.slice(1).reduce((sum, t) => sumEngineCounts(sum, part(t)), part(shared[0] as (typeof shared)[number])),
    scoreCounts,
    ...(moreGroupings.length === 0 ? {} : { moreGroupings }),
  };
  // Each site labelled against its own extract end: the pooled flow has one only when they agree.
  const ends = new Set(shared.map((t) => t.flow.extractEnd));
  if (ends.size === 1) return { counts: added, grids };
  const noEnd = (flow: EngineFlow): EngineFlow => ({ ...flow, extractEnd: null, extractEndInferred: false });
  return {
    counts: {
      ...added,
      flow: noEnd(added.flow),
      ...(moreGroupings.length === 0 ? {} : { moreGroupings: moreGroupings.map((g) => ({ ...g, flow: noEnd(g.flow) })) }),
    },
    grids,
  };
}

/**
 * The one-stage engine report of site summaries that all shared their count tables (disclosure off: not for release
 * until checked). The scores are the sites' (points scores and models); the groupings, the sites' (their tables are
 * kept per each one's groups). Runs in O(sites · B · values + B · values · (rules + groups)).
 *
 * @throws {TypeError} as {@link pooledCounts}
 * @example pooledReport(summaries).groups?.levels.map((l) => l.group);
 */
export function pooledReport(summaries: readonly SiteSummary[], options: { readonly reference?: string } = {}): EngineReport {
  const { counts, grids } = pooledGrids(summaries);
  const first = summaries[0] as SiteSummary;
  const scores = (first.countTables?.definitions ?? []) as readonly ScoreDefinition[];
  const o = first.settings.outcome;
  const by = counts.scoreCounts.definition.groupBy;
  const report = engineReportOf(counts, grids, {
    scores,
    outcome: {
      horizonHours: o.horizonHours,
      ...(o.eventTypes === 'all' ? {} : { eventTypes: o.eventTypes }),
      followUp: o.followUp,
      censored: o.censoring.censored,
    },
    ...(by === null ? {} : { groupBy: by }),
    ...(options.reference === undefined ? {} : { reference: options.reference }),
    level: first.settings.level,
    netBenefitThresholds: first.settings.netBenefitThresholds,
    disclosure: { policy: 'none' },
  });
  // The alert measures need every site's table: name the sites whose summaries did not share one.
  const without = summaries.filter((s) => s.countTables?.alertCounts === undefined).map((s) => `"${s.site}"`);
  const alertsLine = `the alert measures (not shared by site ${without.join(', ')}: summaries from ewskit 0.2 hold no alert count table)`;
  return without.length === 0 ? report : { ...report, notYet: report.notYet.map((n) => (n === NOT_COUNTED_ALERTS ? alertsLine : n)) };
}
