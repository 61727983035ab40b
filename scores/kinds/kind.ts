/**
 * What a kind of score — banded (points per parameter, summed: NEWS2, MEWS …) or model (a logistic model's
 * probability: the Apollo-style score) — is, as the rest of ewskit sees it: its plan, the columns it adds, its value,
 * inputs, risk labels and clinical cut-offs. One object per kind (`banded.ts`, `model.ts`), chosen in `kind-of.ts`.
 *
 * How each kind *runs* lives with each way of running it, one table per path keyed by kind, in the manner of
 * apache-arrow's visitors: the kernel's part and Arrow columns (`kernel/batch-kinds.ts`), the SQL
 * (`sql/sql.ts`), the single-observation evaluator (`evaluate/score-observation.ts`). Each table is typed over every
 * kind, so a kind missing from one does not compile; and the bedside evaluator carries no kernel or Arrow code.
 * This folder sits below all three and imports only definitions and plans.
 */
import type { RedFlagRule, ScoreDefinition } from '../definition/definition.js';
import type { ScorePlan } from '../plan/compile.js';
import type { ModelPlan } from '../plan/model-plan.js';

/** Any compiled score. */
export type AnyPlan = ScorePlan | ModelPlan;

/** The kind names, from the definitions' `kind` field. */
export type KindName = ScoreDefinition['kind'];

/** The definition of a kind, by name. */
export type DefinitionOf<K extends KindName> = Extract<ScoreDefinition, { kind: K }>;

/** A clinical cut-off: alert when the score's value ≥ `cut`. */
export interface ClinicalCut {
  readonly label: string;
  readonly cut: number;
}

/** What differs between kinds of score, for a definition `D` of that kind compiled to a plan `P`. */
export interface ScoreKind<D extends ScoreDefinition = ScoreDefinition, P extends AnyPlan = AnyPlan> {
  readonly name: D['kind'];
  /** The compiled plan of a definition (cached per definition object). */
  plan(def: D): P;
  /** The names of the output columns the score adds, in order. */
  outputColumns(def: D): string[];
  /** The output column holding the value a score reports per row (total or probability). */
  valueColumn(def: D): string;
  /** The input fields the score reads, in definition order. */
  fields(def: D): readonly string[];
  /**
   * The input fields without which the score has no value under the complete-case policy (no fallback parameter, no
   * imputation): a row missing one is never scored.
   */
  requiredFields(def: D): readonly string[];
  /** Risk bands (banded) or zones (model), lowest first. */
  riskLabels(def: D): readonly string[];
  /** "risk band" or "risk zone". */
  readonly riskName: string;
  /** Clinical cut-offs: banded — the lowest total of each risk band above the first; model — the zone bounds. */
  clinicalCuts(def: D): readonly ClinicalCut[];
  /** Whether the value is a probability (calibration is then the model's own) or a points total. */
  readonly probabilistic: boolean;
  /** The red-score rule (a single parameter scoring at least `minPoints`), when the score has one. */
  redFlag(def: D): RedFlagRule | null;
  /** Whether the score is illustrative, and where a fitted score's weights came from. */
  provenance(def: D): { readonly illustrative: boolean; readonly derivation: Readonly<Record<string, unknown>> | null };
  /** Why a row has no value, for summaries. */
  readonly noValue: string;
}
