/**
 * One object per kind of score — banded (points per parameter, summed: NEWS2, MEWS …) and model (a logistic model's
 * probability: the Apollo-style score) — behind one interface. Everything that differs between the kinds lives
 * here; the kernel, the evaluator, SQL, the CLI and the harness ask the score's kind instead of branching on it.
 * A third kind is one more object implementing {@link ScoreKind}.
 */
import type { BandedScore, ScoreDefinition } from '../definition/definition.js';
import type { ModelScore } from '../definition/model.js';

/** A clinical cut-off: alert when the score's value ≥ `cut`. */
export interface ClinicalCut {
  readonly label: string;
  readonly cut: number;
}

/** What differs between kinds of score, for a definition of that kind. */
export interface ScoreKind<D extends ScoreDefinition = ScoreDefinition> {
  readonly name: D['kind'];
  /** The output column holding the value a score reports per row (total or probability). */
  valueColumn(def: D): string;
  /** What the value is called in prose ("total", "probability"). */
  readonly valueName: string;
  /** The input fields the score reads, in definition order. */
  fields(def: D): readonly string[];
  /** Risk bands (banded) or zones (model), lowest first. */
  riskLabels(def: D): readonly string[];
  /** "risk band" or "risk zone". */
  readonly riskName: string;
  /** Clinical cut-offs: banded — the lowest total of each risk band above the first; model — the zone bounds. */
  clinicalCuts(def: D): readonly ClinicalCut[];
  /** Whether the value is a probability (calibration is then the model's own) or a points total. */
  readonly probabilistic: boolean;
  /** The red-score rule's description, when the score has one. */
  redFlag(def: D): string | null;
  /** Why a row has no value, for summaries. */
  readonly noValue: string;
}

export const bandedKind: ScoreKind<BandedScore> = {
  name: 'banded',
  valueColumn: (def) => `${def.id}_total`,
  valueName: 'total',
  fields: (def) => def.parameters.map((p) => p.field),
  riskLabels: (def) => def.risks,
  riskName: 'risk band',
  clinicalCuts(def) {
    const firstRisk = def.risks[0];
    const cuts = new Map<number, string>();
    for (const r of def.rules) {
      if (r.risk === firstRisk || r.redFlag === true || r.totalMin === undefined) continue;
      if (!cuts.has(r.totalMin)) cuts.set(r.totalMin, `${def.name} ≥ ${r.totalMin} (${r.risk})`);
    }
    return [...cuts.entries()].sort((a, b) => a[0] - b[0]).map(([cut, label]) => ({ label, cut }));
  },
  probabilistic: false,
  redFlag: (def) => def.redFlag?.description ?? null,
  noValue: 'no total (incomplete or flagged)',
};

export const modelKind: ScoreKind<ModelScore> = {
  name: 'model',
  valueColumn: (def) => `${def.id}_probability`,
  valueName: 'probability',
  fields: (def) => def.terms.map((t) => t.field),
  riskLabels: (def) => def.zones.map((z) => z.label),
  riskName: 'risk zone',
  clinicalCuts: (def) => def.zones.slice(1).map((z) => ({ label: `${z.label} zone (p ≥ ${z.min})`, cut: z.min })),
  probabilistic: true,
  redFlag: () => null,
  noValue: 'no probability (flagged, or missing without imputation)',
};

/**
 * The kind object of a definition. The one place that reads `def.kind`.
 *
 * @example kindOf(news2).clinicalCuts(news2); // => [{ label: 'NEWS2 ≥ 5 (medium)', cut: 5 }, { label: 'NEWS2 ≥ 7 (high)', cut: 7 }]
 */
export function kindOf<D extends ScoreDefinition>(def: D): ScoreKind<D> {
  return (def.kind === 'model' ? modelKind : bandedKind) as unknown as ScoreKind<D>;
}

/**
 * The clinical cut-offs of a score: banded — the lowest total of each risk band above the first; model — zone bounds.
 *
 * @example clinicalCuts(news2).map((c) => c.cut); // => [5, 7]
 */
export function clinicalCuts(def: ScoreDefinition): readonly ClinicalCut[] {
  return kindOf(def).clinicalCuts(def);
}
