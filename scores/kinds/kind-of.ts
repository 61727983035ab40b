/**
 * Choosing the kind object of a definition or a plan: the one place that reads `kind`.
 */
import type { ScoreDefinition } from '../definition/definition.js';
import type { AnyPlan, KernelPart } from '../kernel/kernel.js';
import { bandedKind } from './banded.js';
import type { ClinicalCut, ScoreKind } from './kind.js';
import { modelKind } from './model.js';

/** Every kind, by name. */
const KINDS = { banded: bandedKind, model: modelKind } as const;

/**
 * The kind object of a definition.
 *
 * @example kindOf(news2).clinicalCuts(news2); // => [{ label: 'NEWS2 ≥ 5 (medium)', cut: 5 }, { label: 'NEWS2 ≥ 7 (high)', cut: 7 }]
 */
export function kindOf(def: ScoreDefinition): ScoreKind {
  // Each kind object takes definitions of its own kind; the union is dispatched here, once.
  return KINDS[def.kind] as unknown as ScoreKind;
}

/** The kernel part of a compiled plan (a plan carries its definition). */
export function kernelPartOf(plan: AnyPlan): KernelPart<AnyPlan> {
  return kindOf(plan.definition).kernel;
}

/**
 * The clinical cut-offs of a score: banded — the lowest total of each risk band above the first; model — zone bounds.
 *
 * @example clinicalCuts(news2).map((c) => c.cut); // => [5, 7]
 */
export function clinicalCuts(def: ScoreDefinition): readonly ClinicalCut[] {
  return kindOf(def).clinicalCuts(def);
}
