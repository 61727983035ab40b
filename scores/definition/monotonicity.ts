/**
 * Clinical safety of a model-based definition: its risk must not fall as a single vital sign worsens away from
 * normal, every other input held. "Normal" is the range that scores 0 on the NEWS2 chart (Royal College of
 * Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017, Chart 1): respiration rate 12–20/min, heart
 * rate 51–90/min, temperature 36.1–38.0 °C — worse both ways; SpO2 ≥ 96 % and systolic BP ≥ 111 mmHg — worse
 * downwards; consciousness A < C < V < P < U; supplemental oxygen ≥ air. A term may do anything inside the normal range.
 *
 * A violation is reported with the JSON path of the coefficient that breaks the rule, e.g.
 * `terms[2].slopes[3]: risk falls as heart rate rises above 90 (slope −0.116 between 130 and 180)`.
 */
import type { ModelScore, ModelTerm } from './model.js';
import type { FieldName } from './schema.js';
import { FIELDS } from './schema.js';

/** How a vital worsens: away from a normal range (numbers), or along an order of codes. */
export type SafeDirection =
  | { readonly kind: 'range'; readonly low: number; readonly high: number; readonly words: string }
  | { readonly kind: 'order'; readonly codes: readonly string[]; readonly words: string };

/** The vital signs a model's risk must not fall along, as they worsen (NEWS2 Chart 1's 0-point ranges). */
export const SAFE_DIRECTIONS: Readonly<Partial<Record<FieldName, SafeDirection>>> = {
  respiratoryRate: { kind: 'range', low: 12, high: 20, words: 'respiration rate' },
  heartRate: { kind: 'range', low: 51, high: 90, words: 'heart rate' },
  temperature: { kind: 'range', low: 36.1, high: 38, words: 'temperature' },
  spo2: { kind: 'range', low: 96, high: Number.POSITIVE_INFINITY, words: 'SpO2' },
  systolicBP: { kind: 'range', low: 111, high: Number.POSITIVE_INFINITY, words: 'systolic blood pressure' },
  consciousness: { kind: 'order', codes: ['A', 'C', 'V', 'P', 'U'], words: 'consciousness (A < C < V < P < U)' },
  onOxygen: { kind: 'order', codes: ['air', 'oxygen'], words: 'oxygen (air < oxygen)' },
};

const fmt = (x: number): string => String(Number(x.toPrecision(4))).replace('-', '−');

/** The monotonicity constraint on each piece of a linear term: +1 (slope ≥ 0), −1 (slope ≤ 0), 0 (slope = 0), or null (free). */
export function pieceSigns(term: { readonly field: FieldName; readonly knots: readonly number[] }): (1 | -1 | 0 | null)[] {
  const rule = SAFE_DIRECTIONS[term.field];
  return term.knots.slice(1).map((upper, j) => {
    if (rule === undefined || rule.kind !== 'range') return null;
    const lower = term.knots[j] ?? Number.NaN;
    const above = upper > rule.high; // the piece reaches above the normal range: risk must not fall as x rises
    const below = lower < rule.low; // … below it: risk must not fall as x falls
    return above && below ? 0 : above ? 1 : below ? -1 : null;
  });
}

function linearProblems(term: Extract<ModelTerm, { type: 'linear' }>, path: string, rule: Extract<SafeDirection, { kind: 'range' }>): string[] {
  const out: string[] = [];
  pieceSigns(term).forEach((sign, j) => {
    const s = term.slopes[j] ?? 0;
    const between = `between ${fmt(term.knots[j] ?? NaN)} and ${fmt(term.knots[j + 1] ?? NaN)}`;
    if ((sign === 1 || sign === 0) && s < 0)
      out.push(`${path}.slopes[${j}]: risk falls as ${rule.words} rises above ${fmt(rule.high)} (slope ${fmt(s)} ${between})`);
    if ((sign === -1 || sign === 0) && s > 0)
      out.push(`${path}.slopes[${j}]: risk falls as ${rule.words} falls below ${fmt(rule.low)} (slope ${fmt(s)} ${between})`);
  });
  return out;
}

function bandProblems(term: Extract<ModelTerm, { type: 'bands' }>, path: string, rule: Extract<SafeDirection, { kind: 'range' }>): string[] {
  const field = FIELDS[term.field];
  if (field === undefined || field.kind !== 'numeric') return [];
  const step = 10 ** -field.precision;
  const bandAt = (x: number) => term.bands.findIndex((b) => (b.min === undefined || x >= b.min - step / 2) && (b.max === undefined || x <= b.max + step / 2));
  const weight = (x: number) => term.bands[bandAt(x)]?.weight ?? 0;
  const out = new Set<string>();
  const walk = (from: number, to: number, dir: 1 | -1, words: string) => {
    let previous = weight(from);
    for (let x = from + dir * step; dir === 1 ? x <= to + step / 2 : x >= to - step / 2; x += dir * step) {
      const w = weight(x);
      if (w < previous - 1e-12)
        out.add(`${path}.bands[${bandAt(x)}].weight: risk falls as ${rule.words} ${words} (${fmt(w)} after ${fmt(previous)} at ${fmt(x)})`);
      previous = w;
    }
  };
  const [lo, hi] = field.plausible;
  if (Number.isFinite(rule.high)) walk(rule.high, hi, 1, `rises above ${fmt(rule.high)}`);
  walk(rule.low, lo, -1, `falls below ${fmt(rule.low)}`);
  return [...out];
}

function categoryProblems(term: Extract<ModelTerm, { type: 'categories' }>, path: string, rule: Extract<SafeDirection, { kind: 'order' }>): string[] {
  const out: string[] = [];
  let best = { code: rule.codes[0] ?? '', weight: term.weights[rule.codes[0] ?? ''] ?? 0 };
  for (const code of rule.codes.slice(1)) {
    const w = term.weights[code] ?? 0;
    if (w < best.weight - 1e-12)
      out.push(`${path}.weights.${code}: risk is lower for ${code} (${fmt(w)}) than for ${best.code} (${fmt(best.weight)}); ${rule.words}`);
    if (w > best.weight) best = { code, weight: w };
  }
  return out;
}

/**
 * Every place where a model's risk falls as a vital sign worsens away from normal. Runs in O(terms · knots), bands
 * in O(plausible range at chart precision).
 *
 * @returns problems with JSON paths; empty for a safe definition
 * @example monotonicityProblems(apolloStyle); // => []
 */
export function monotonicityProblems(def: Pick<ModelScore, 'terms'>): string[] {
  return def.terms.flatMap((term, i) => {
    const rule = SAFE_DIRECTIONS[term.field];
    const path = `terms[${i}]`;
    if (rule === undefined) return [];
    if (rule.kind === 'range' && term.type === 'linear') return linearProblems(term, path, rule);
    if (rule.kind === 'range' && term.type === 'bands') return bandProblems(term, path, rule);
    if (rule.kind === 'order' && term.type === 'categories') return categoryProblems(term, path, rule);
    return [];
  });
}
