/**
 * One-stage pooling from count tables: when every site shares its `score_counts` (computed with the same Poisson
 * bootstrap — B, seed, keys hashed from pseudonyms shared across sites), the tables add, cell by cell, into the table
 * of all sites' patients together, and the pooled AUROC, sensitivity and specificity with their patient-clustered
 * intervals follow from it exactly as `validate` computes them on all the rows (the same statistics on the same
 * replicate counts) — and, when the tables hold the red-score flags and the pairs' common-set scores, the red-score
 * rule, the observed risk per pooled range and the paired comparisons of scores. A patient seen at two sites keeps one
 * weight per replicate, so the pooled intervals stay clustered by patient. Points scores are exact; a model's
 * probabilities are in the table's buckets (1/resolution wide), so its pooled AUROC is the bucketed one (said so), and
 * its calibration is fitted on the buckets, each at its sets' mean probability.
 */
import { aucStatistic, netBenefitStatistic, proportionStatistic } from '../bootstrap/count-statistics.js';
import type { DenseCounts } from '../bootstrap/group-bootstrap.js';
import { percentileInterval } from '../bootstrap/group-bootstrap.js';
import type { CountTableDefinition, ScoreCountTable } from '../study/count-tables.js';
import { pairScoreId, redScoreId, scorePairs } from '../study/count-tables.js';
import type { CountGrid } from '../study/count-grids.js';
import { denseFromGrids, gridMeans } from '../study/count-grids.js';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { PairedComparison } from './pooled-measures.js';
import type { CharacteristicCountTable } from '../study/characteristic-counts.js';
import type { EngineFlow } from '../study/flow-counts.js';
import type { PairCountTable } from '../study/pair-counts.js';
import { addFlowCounts } from '../study/flow-counts.js';
import { addCharacteristicCounts } from '../study/characteristic-counts.js';
import { characteristicsFromCounts } from '../study/characteristics.js';
import { Disclosure } from '../disclosure/disclosure.js';
import type { CharacteristicsSection } from '../report/types.js';
import { bucketCalibration, pairedComparison, pooledObservedRisk } from './pooled-measures.js';
import type { PackedAlertCounts } from '../study/packed-alerts.js';
import type { UnitCountTable } from '../study/units.js';
import type { PackedScoreCounts } from '../study/packed-counts.js';
import { sumGrids } from '../study/packed-counts.js';

/** An alerting rule on a score's value: alert when value ≥ cut. */
export interface ValueRule {
  readonly score: string;
  readonly label: string;
  readonly cut: number;
}

/** The count tables a site shares (`summarise --count-tables`), with the value rules its report planned. */
export interface SharedCountTables {
  /** `score_counts`: packed for travel in a summary (`packScoreCounts`), or the table itself. */
  readonly scoreCounts: ScoreCountTable | PackedScoreCounts;
  readonly rules: readonly ValueRule[];
  /** Which scores are probabilistic (their values are buckets of the probability). */
  readonly probabilistic: readonly string[];
  /** Scores of the study whose tables were not shared (summaries of ewskit 0.2 left models out). */
  readonly leftOut?: readonly string[];
  /** Table 1's count table (`characteristics`), when shared. */
  readonly characteristics?: CharacteristicCountTable;
  /** The flow's counts (every score of the study; per group of `scoreCounts`' grouping, when it has one), when shared. */
  readonly flow?: EngineFlow;
  /** The pooled scores' definitions, when shared: what a pooled engine report reads their rules from. */
  readonly definitions?: readonly ScoreDefinition[];
  /** Each pair of pooled scores' joint counts (`pair_counts`), when shared: the paired DeLong test's. */
  readonly pairCounts?: PairCountTable;
  /** Each further grouping of the study (after `scoreCounts`' own): its `score_counts` per group and its flow, when shared. */
  readonly moreGroupings?: readonly { readonly scoreCounts: ScoreCountTable | PackedScoreCounts; readonly flow: EngineFlow }[];
  /**
   * The alert measures' count table, packed (`packAlertCounts`: per score and rule, each replicate's sums and lead
   * times; NEWS2's monitoring compliance), when shared (summaries from ewskit 0.3 on).
   */
  readonly alertCounts?: PackedAlertCounts;
  /** The units' count table (`unitCounts`), when the site's study asked for other units of analysis. */
  readonly unitCounts?: UnitCountTable;
}

export interface OneStageEstimate {
  readonly estimate: number;
  readonly ci: readonly [number, number] | null;
}

export interface OneStageScore {
  readonly score: string;
  /** True for a points score; false for a model (its AUROC from probability buckets). */
  readonly exact: boolean;
  readonly sets: number;
  readonly positive: number;
  readonly auroc: OneStageEstimate | null;
  readonly thresholds: readonly {
    readonly rule: string;
    readonly cut: number;
    readonly sensitivity: OneStageEstimate | null;
    readonly specificity: OneStageEstimate | null;
    readonly ppv: OneStageEstimate | null;
    readonly npv: OneStageEstimate | null;
    readonly alertRate: OneStageEstimate | null;
    /** Net benefit at each of the study's threshold probabilities. */
    readonly netBenefit: readonly { readonly threshold: number; readonly value: OneStageEstimate | null }[];
  }[];
  /** A points score's observed risk per pooled range of its values (as `validate` pools them); empty for a model. */
  readonly observedRisk: ReturnType<typeof pooledObservedRisk>;
  /**
   * A model's calibration on all sites' sets (null for a points score, whose calibration would be model updating):
   * O/E, calibration-in-the-large and slope, fitted on its probability buckets, each at its sets' mean probability.
   */
  readonly calibration: {
    readonly observedExpected: OneStageEstimate | null;
    readonly calibrationInTheLarge: OneStageEstimate | null;
    readonly slope: OneStageEstimate | null;
  } | null;
}

export interface OneStageResult {
  readonly B: number;
  readonly seed: number;
  readonly level: number;
  readonly scores: readonly OneStageScore[];
  /** Every pair of pooled scores compared on the sets both can score (when the tables hold the pairs' scores). */
  readonly comparisons: readonly PairedComparison[];
  /** Scores of the study not pooled in one stage (their tables were not shared). */
  readonly leftOut: readonly string[];
  /**
   * Table 1 of all sites' patients together (the sites' `characteristics` tables added), as `validate` gives it on all
   * the rows with disclosure off; null unless every site shared the table. A patient seen at two sites is counted at
   * each in the quartiles' patient counts (which only the disclosure basis reads).
   */
  readonly characteristics: CharacteristicsSection | null;
  /**
   * The flow of all sites' sets together (the sites' flow counts added): sets by why they have no label, the analysis
   * set and each score's analysable sets, events and patients, as `validate` counts them on all the rows — patients
   * added across sites, so a patient seen at two sites is counted at each. Each site labelled its sets against its
   * own extract end; `extractEnd` is theirs when they agree, else null. Null unless every site shared its flow.
   */
  readonly flow: EngineFlow | null;
  /** Computed from count tables outside the sites' disclosure control: an output checker must see it before release. */
  readonly releasable: false;
  readonly note: string;
}

/** The sites' flow counts added, or null unless every site shared them. */
function pooledFlow(shared: readonly SharedCountTables[]): EngineFlow | null {
  const flows = shared.map((s) => s.flow);
  if (flows.length === 0 || flows.some((f) => f === undefined)) return null;
  const all = flows as EngineFlow[];
  const order = ['', ...(all[0]?.scores ?? []).map((r) => r.score).filter((id, k, ids) => id !== '' && ids.indexOf(id) === k)];
  const added = all.reduce((a, b) => addFlowCounts(a, b, order));
  const ends = new Set(all.map((f) => f.extractEnd));
  return ends.size === 1 ? added : { ...added, extractEnd: null, extractEndInferred: false };
}

/** Table 1 of the sites' `characteristics` tables added (disclosure off: one-stage output is checked before release), or null. */
function pooledCharacteristics(shared: readonly SharedCountTables[]): CharacteristicsSection | null {
  const tables = shared.map((s) => s.characteristics);
  if (tables.some((t) => t === undefined)) return null;
  const sdc = new Disclosure({ policy: 'none', caller: 'oneStage' });
  const section = characteristicsFromCounts(
    (tables as CharacteristicCountTable[]).reduce((a, b) => addCharacteristicCounts(a, b)),
    sdc,
    { relateSetTotals: true },
  );
  return sdc.resolve(section) as CharacteristicsSection;
}

/**
 * Add the sites' count tables and compute the pooled measures: AUROC, and at each value rule sensitivity, specificity,
 * PPV, NPV, alert rate and net benefit at each threshold probability. Runs in O(table cells + B · values).
 *
 * @throws {TypeError} when the tables differ in definition (B, seed, scores, horizon, resolution), naming the field
 */
export function oneStage(shared: readonly SharedCountTables[], level: number, netBenefitThresholds: readonly number[] = []): OneStageResult {
  if (shared.length === 0) throw new RangeError('oneStage: "shared" expected at least one site’s count tables; received none.');
  // The sites' tables added and their groups collapsed, as grids (no row objects): the whole cohort's counts.
  const first = shared[0] as SharedCountTables;
  const { definition, grids } = sumGrids(
    shared.map((s) => s.scoreCounts),
    first.probabilistic,
    { collapseGroups: true },
    'oneStage',
  );
  return {
    ...pooledMeasures(new Map(grids.map((g) => [g.score, g])), definition, first.rules, first.probabilistic, level, netBenefitThresholds),
    leftOut: first.leftOut ?? [],
    characteristics: pooledCharacteristics(shared),
    flow: pooledFlow(shared),
    releasable: false,
    note: 'one-stage: the sites’ count tables added — all sites’ patients as one cohort, intervals from the same Poisson replicates, clustered by (pseudonymised) patient across sites. Computed outside the sites’ disclosure control: check before release.',
  };
}

/**
 * The pooled measures of one table's grids, one per score (one group): AUROC, each rule's measures, a points score's
 * observed risk, a model's calibration, and each pair's comparison. Runs in O(B · values · (rules + pairs)).
 */
export function pooledMeasures(
  byScore: ReadonlyMap<string, CountGrid>,
  definition: CountTableDefinition,
  rules: readonly ValueRule[],
  models: readonly string[],
  level: number,
  netBenefitThresholds: readonly number[],
): Pick<OneStageResult, 'B' | 'seed' | 'level' | 'scores' | 'comparisons'> {
  const { B, seed } = definition;
  const probabilistic = new Set(models);
  const perScore = denseFromGrids(byScore, B);
  // The scores themselves; a table may also hold their red-score flags and pairs' common-set scores (countedScores).
  const ids = definition.scores;
  const derived = new Set([...ids.map(redScoreId), ...ids.flatMap((a) => ids.map((b) => pairScoreId(a, b)))]);
  const own = ids.filter((id) => !derived.has(id));
  const scores = own.map((score): OneStageScore => {
    const { data, replicates } = perScore(score);
    const measure = (f: (c: DenseCounts) => number): OneStageEstimate | null => {
      const estimate = f(data);
      if (!Number.isFinite(estimate)) return null;
      const p = B === 0 ? null : percentileInterval(Float64Array.from(replicates, f), level);
      return { estimate, ci: p === null ? null : p.ci };
    };
    // The score's rules, then its red-score rule (read from its red flag's counts) when the table holds it.
    const ruleCounts = (r: ValueRule) => (r.score === score ? data : perScore(r.score).data);
    const ruleReplicates = (r: ValueRule) => (r.score === score ? replicates : perScore(r.score).replicates);
    const mine = rules.filter((r) => r.score === score || r.score === redScoreId(score));
    const measureOf = (r: ValueRule, f: (c: DenseCounts) => number): OneStageEstimate | null => {
      const estimate = f(ruleCounts(r));
      if (!Number.isFinite(estimate)) return null;
      const p = B === 0 ? null : percentileInterval(Float64Array.from(ruleReplicates(r), f), level);
      return { estimate, ci: p === null ? null : p.ci };
    };
    return {
      score,
      exact: !probabilistic.has(score),
      sets: (data.tailPos[0] ?? 0) + (data.tailNeg[0] ?? 0),
      positive: data.tailPos[0] ?? 0,
      auroc: measure((c) => aucStatistic(c, 0)),
      thresholds: mine.map((r) => ({
        rule: r.label,
        cut: r.cut,
        sensitivity: measureOf(r, (c) => proportionStatistic('sensitivity', [r.cut])(c, 0)),
        specificity: measureOf(r, (c) => proportionStatistic('specificity', [r.cut])(c, 0)),
        ppv: measureOf(r, (c) => proportionStatistic('ppv', [r.cut])(c, 0)),
        npv: measureOf(r, (c) => proportionStatistic('npv', [r.cut])(c, 0)),
        alertRate: measureOf(r, (c) => proportionStatistic('alertRate', [r.cut])(c, 0)),
        netBenefit: netBenefitThresholds.map((pt) => ({ threshold: pt, value: measureOf(r, (c) => netBenefitStatistic([r.cut], pt)(c, 0)) })),
      })),
      observedRisk: probabilistic.has(score) ? [] : pooledObservedRisk({ data, replicates }, level, B),
      calibration:
        probabilistic.has(score) && byScore.has(score)
          ? bucketCalibration(gridMeans(byScore.get(score) as CountGrid, B), { data, replicates }, level, B)
          : null,
    };
  });
  // Each pair compared on the sets both can score, when the tables hold the pair's scores.
  const firstCut = (id: string) => rules.find((r) => r.score === id);
  const comparisons = scorePairs(own.length)
    .map(([a, b]) => [own[a] as string, own[b] as string] as const)
    .filter(([a, b]) => ids.includes(pairScoreId(a, b)) && ids.includes(pairScoreId(b, a)))
    .map(([a, b]) => pairedComparison({ id: a, firstCut: firstCut(a) }, { id: b, firstCut: firstCut(b) }, perScore, level, B));
  return { B, seed, level, scores, comparisons };
}
