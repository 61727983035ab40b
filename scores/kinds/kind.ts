/**
 * One object per kind of score — banded (points per parameter, summed: NEWS2, MEWS …) and model (a logistic model's
 * probability: the Apollo-style score) — behind one interface, in the spirit of apache-arrow's visitors. Everything
 * that differs between the kinds is reached through this interface: the plan, the kernel's part, the Arrow output
 * columns, the SQL, the single-observation evaluator, risk labels and clinical cut-offs. A third kind is one more
 * object implementing {@link ScoreKind}, registered in `kind-of.ts`.
 */
import type { RedFlagRule, ScoreDefinition } from '../definition/definition.js';
import type { MissingPolicy, Observation, ObservationScore } from '../evaluate/types.js';
import type { ModelObservationScore } from '../evaluate/score-model-observation.js';
import type { AnyPlan, KernelPart } from '../kernel/kernel.js';
import type { ScoreColumns, ScoreDictionaries } from '../kernel/output-columns.js';
import type { ScoreSql } from '../sql/sql-text.js';

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
  /** The kernel generator's part for this kind. */
  readonly kernel: KernelPart<P>;
  /** The names of the output columns the score adds, in order. */
  outputColumns(def: D): string[];
  /** The Arrow fields the score adds and how to build them from the kernel's output for one batch. */
  arrowColumns(def: D, policy: MissingPolicy, dictionaries: ScoreDictionaries, nextDictionaryId: () => number): ScoreColumns;
  /** What the scored table's schema metadata records about the score (`ewskit.<id>`). */
  metadata(def: D, policy: MissingPolicy): Readonly<Record<string, string | number | boolean>>;
  /** The score's part of the SQL query: its LATERAL layers and output expressions. */
  sql(g: number, def: D, map: readonly number[], columns: readonly string[], policy: MissingPolicy): ScoreSql;
  /** Score one observation set by interpreting the definition directly (independent of the plan's tables). */
  evaluate(def: D, observation: Observation, policy: MissingPolicy): ObservationScore | ModelObservationScore;
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
