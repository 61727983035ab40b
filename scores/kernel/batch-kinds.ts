/**
 * How each kind of score runs in the batch path: its part of the generated kernel and the Arrow columns it adds —
 * one entry per kind, typed over every kind (`kinds/kind.ts`), so a new kind that lacks one does not compile. What a
 * kind *is* (plan, value, risk labels) is `kinds/`; this is the kernel's side of it.
 */
import type { ScoreDefinition } from '../definition/definition.js';
import type { MissingPolicy } from '../definition/observation.js';
import type { AnyPlan, DefinitionOf, KindName } from '../kinds/kind.js';
import { bandedColumns } from './banded-columns.js';
import { bandedKernel } from './banded-kernel.js';
import type { KernelPart } from './kernel-part.js';
import { modelColumns } from './model-columns.js';
import { modelKernel } from './model-kernel.js';
import type { ScoreColumns, ScoreDictionaries } from './output-columns.js';

/** The batch path of one kind of score, for definitions `D`. */
export interface BatchKind<D extends ScoreDefinition = ScoreDefinition> {
  /** The kernel generator's part. */
  readonly kernel: KernelPart<AnyPlan>;
  /** The Arrow fields the score adds and how to build them from the kernel's output for one batch. */
  arrowColumns(def: D, policy: MissingPolicy, dictionaries: ScoreDictionaries, nextDictionaryId: () => number): ScoreColumns;
  /** What the scored table's schema metadata records about the score (`ewskit.<id>`). */
  metadata(def: D, policy: MissingPolicy): Readonly<Record<string, string | number | boolean>>;
}

const BATCH_KINDS: { readonly [K in KindName]: BatchKind<DefinitionOf<K>> } = {
  banded: {
    kernel: bandedKernel as KernelPart<AnyPlan>,
    arrowColumns: bandedColumns,
    metadata: (def, policy) => ({ score: def.id, name: def.name, version: def.version, missingPolicy: policy }),
  },
  model: {
    kernel: modelKernel as KernelPart<AnyPlan>,
    arrowColumns: (def, _policy, dictionaries, id) => modelColumns(def, dictionaries, id),
    metadata: (def) => ({
      score: def.id,
      name: def.name,
      version: def.version,
      kind: 'model',
      outcome: def.outcome,
      horizonHours: def.horizonHours,
      illustrative: def.illustrative === true,
    }),
  },
};

/** The batch path of a definition's kind. */
export function batchKindOf(def: ScoreDefinition): BatchKind {
  // Each entry takes definitions of its own kind; the union is dispatched here, once.
  return BATCH_KINDS[def.kind] as BatchKind;
}

/** The kernel part of a compiled plan (a plan carries its definition). */
export function kernelPartOf(plan: AnyPlan): KernelPart<AnyPlan> {
  return batchKindOf(plan.definition).kernel;
}
