/**
 * The catalogue of built-in scores, by id.
 */
import type { ScoreDefinition } from '../definition/definition.js';
import apolloStyleJson from './apollo-style.json';
import news2AgeComorbidityJson from './news2-age-comorbidity.json';
import { cart } from './cart.js';
import { loadScore } from '../load/load-score.js';
import { kindOf } from '../kinds/kind-of.js';
import type { ModelScore } from '../definition/model.js';
import { mews } from './mews.js';
import { news } from './news.js';
import { news2 } from './news2.js';
import { qsofa } from './qsofa.js';

/**
 * The Apollo-style severity score: a model-based definition fitted by `ewskit fit` on a synthetic india-apollo
 * derivation cohort (profile, seed and generator version in its `derivation`). Illustrative until the centre
 * supplies its own definition — the Apollo Hospitals score itself is not public.
 */
export const apolloStyle = loadScore(apolloStyleJson) as ModelScore;

/**
 * The reference comparator: NEWS2's points, age and comorbidity count in one logistic model, fitted like the
 * Apollo-style score (`ewskit fit --model news2-age-comorbidity`). Beside a fitted score it shows how much of that
 * score's gain over NEWS2 is age and comorbidity. SpO2 on Scale 1 for everyone.
 */
export const news2AgeComorbidity = loadScore(news2AgeComorbidityJson) as ModelScore;

const BUILT_IN: readonly ScoreDefinition[] = [news2, news, mews, qsofa, cart, apolloStyle, news2AgeComorbidity];

/** Metadata of one catalogue entry. */
export interface ScoreInfo {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly kind: ScoreDefinition['kind'];
  readonly source: string;
  readonly parameters: readonly string[];
  readonly risks: readonly string[];
}

/**
 * The built-in scores with their metadata. Runs in O(scores).
 *
 * @returns one entry per built-in score
 * @example listScores().map((s) => s.id); // => ['news2', 'news', 'mews', 'qsofa', 'cart', 'apollo_style', 'news2_age_comorbidity']
 */
export function listScores(): ScoreInfo[] {
  return BUILT_IN.map((s) => ({
    id: s.id,
    name: s.name,
    version: s.version,
    kind: s.kind,
    source: s.source,
    parameters: kindOf(s).fields(s),
    risks: kindOf(s).riskLabels(s),
  }));
}

/**
 * A score id as users type it on the command line: words joined by hyphens (`apollo-style`); the id itself, with
 * underscores, names its output columns (`apollo_style_total`). `getScore` finds either spelling.
 */
export function typedId(id: string): string {
  return id.replace(/_/g, '-');
}

/**
 * A built-in score by id, or `undefined`.
 *
 * @example getScore('news2')?.name; // => 'NEWS2'
 */
export function getScore(id: string): ScoreDefinition | undefined {
  const wanted = id.replace(/-/g, '_'); // "apollo-style" finds "apollo_style"
  return BUILT_IN.find((s) => s.id === wanted);
}
