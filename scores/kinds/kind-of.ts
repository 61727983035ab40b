/**
 * Choosing the kind object of a definition. Beside it, each way of running a score keeps its own table by kind
 * (`kernel/batch-kinds.ts`, `sql/sql.ts`, `evaluate/score-observation.ts`); nothing else reads `kind`.
 */
import type { ScoreDefinition } from '../definition/definition.js';
import { bandedKind } from './banded.js';
import type { ClinicalCut, DefinitionOf, KindName, ScoreKind } from './kind.js';
import { modelKind } from './model.js';

/** Every kind, by name. */
const KINDS: { readonly [K in KindName]: ScoreKind<DefinitionOf<K>> } = { banded: bandedKind, model: modelKind } as never;

/** Every kind's name (`'banded'`, `'model'`), from the registry: what a definition's `kind` may be. */
export const KIND_NAMES = Object.keys(KINDS) as readonly KindName[];

/**
 * The kind object of a definition.
 *
 * @example kindOf(news2).clinicalCuts(news2); // => [{ label: 'NEWS2 ≥ 5 (medium)', cut: 5 }, { label: 'NEWS2 ≥ 7 (high)', cut: 7 }]
 */
export function kindOf(def: ScoreDefinition): ScoreKind {
  // Each kind object takes definitions of its own kind; the union is dispatched here, once.
  return KINDS[def.kind] as unknown as ScoreKind;
}

/**
 * The clinical cut-offs of a score: banded — the lowest total of each risk band above the first; model — zone bounds.
 *
 * @example clinicalCuts(news2).map((c) => c.cut); // => [5, 7]
 */
export function clinicalCuts(def: ScoreDefinition): readonly ClinicalCut[] {
  return kindOf(def).clinicalCuts(def);
}
