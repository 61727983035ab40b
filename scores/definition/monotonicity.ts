/**
 * Clinical safety of a model-based definition — *dominance*: for every input with a normal range
 * (`CLINICAL_RANGES`: NEWS2 Chart 1's 0-point ranges for vital signs, adult reference ranges for laboratory values),
 * each term's contribution is the same across the normal range, is never lower anywhere outside it, and does not fall
 * as the value moves further from normal on any side that is abnormal (both ways for respiration, heart rate,
 * temperature, systolic BP and white cell count; downwards for SpO2 and GCS; upwards for lactate and creatinine). For
 * ordered codes, risk does not fall along A < C < V < P < U, or from air to oxygen.
 *
 * Monotone *away from the fitted minimum* is not enough: if the minimum sits in abnormal territory (RR 8 lower than RR
 * 16), an abnormal value scores below normal. Holding the contribution flat across the normal range puts the minimum
 * there. A violation is reported with the JSON path of the coefficient that breaks the rule, e.g.
 * `terms[2].slopes[1]: risk changes inside the normal heart rate range 51–90 (slope 0.0363 between 51 and 90)`.
 */
import type { ModelScore, ModelTerm } from './model.js';
import type { CodeOrder, NumericRange } from './clinical-ranges.js';
import { CLINICAL_RANGES } from './clinical-ranges.js';
import type { FieldName } from './schema.js';
import { FIELDS } from './schema.js';

const fmt = (x: number): string => String(Number(x.toPrecision(4))).replace('-', '−');
const rangeText = (r: NumericRange): string =>
  Number.isFinite(r.low) && Number.isFinite(r.high) ? `${fmt(r.low)}–${fmt(r.high)}` : Number.isFinite(r.low) ? `≥ ${fmt(r.low)}` : `≤ ${fmt(r.high)}`;

/**
 * The sign constraint on each piece of a linear term: 0 (flat: the piece overlaps the normal range), +1 (slope ≥ 0:
 * wholly above it), −1 (slope ≤ 0: wholly below it), or null (free: the field has no normal range).
 *
 * @example pieceSigns({ field: 'heartRate', knots: [40, 51, 90, 130] }); // => [-1, 0, 1]
 */
export function pieceSigns(term: { readonly field: FieldName; readonly knots: readonly number[] }): (1 | -1 | 0 | null)[] {
  const rule = CLINICAL_RANGES[term.field];
  return term.knots.slice(1).map((upper, j) => {
    if (rule === undefined || rule.kind !== 'range') return null;
    const lower = term.knots[j] ?? Number.NaN;
    if (lower < rule.high && upper > rule.low) return 0;
    return lower >= rule.high ? 1 : -1;
  });
}

function linearProblems(term: Extract<ModelTerm, { type: 'linear' }>, path: string, rule: NumericRange): string[] {
  const out: string[] = [];
  pieceSigns(term).forEach((sign, j) => {
    const s = term.slopes[j] ?? 0;
    const between = `between ${fmt(term.knots[j] ?? NaN)} and ${fmt(term.knots[j + 1] ?? NaN)}`;
    if (sign === 0 && s !== 0)
      out.push(`${path}.slopes[${j}]: risk changes inside the normal ${rule.words} range ${rangeText(rule)} (slope ${fmt(s)} ${between})`);
    if (sign === 1 && s < 0) out.push(`${path}.slopes[${j}]: risk falls as ${rule.words} rises above ${fmt(rule.high)} (slope ${fmt(s)} ${between})`);
    if (sign === -1 && s > 0) out.push(`${path}.slopes[${j}]: risk falls as ${rule.words} falls below ${fmt(rule.low)} (slope ${fmt(s)} ${between})`);
  });
  return out;
}

function bandProblems(term: Extract<ModelTerm, { type: 'bands' }>, path: string, rule: NumericRange): string[] {
  const field = FIELDS[term.field];
  if (field === undefined || field.kind !== 'numeric') return [];
  const step = 10 ** -field.precision;
  const bandAt = (x: number) => term.bands.findIndex((b) => (b.min === undefined || x >= b.min - step / 2) && (b.max === undefined || x <= b.max + step / 2));
  const weight = (x: number) => term.bands[bandAt(x)]?.weight ?? 0;
  const [lo, hi] = field.possible;
  const normalLow = Math.max(rule.low, lo);
  const normalHigh = Math.min(rule.high, hi);
  const base = weight(normalLow);
  const out = new Set<string>();
  const reported = new Set<number>(); // one problem per band, at the first value where it differs
  for (let x = normalLow + step; x <= normalHigh + step / 2; x += step) {
    const b = bandAt(x);
    if (Math.abs(weight(x) - base) > 1e-12 && !reported.has(b)) {
      reported.add(b);
      out.add(
        `${path}.bands[${b}].weight: risk changes inside the normal ${rule.words} range ${rangeText(rule)} (${fmt(weight(x))} at ${fmt(x)}, ${fmt(base)} at ${fmt(normalLow)})`,
      );
    }
  }
  const walk = (from: number, to: number, dir: 1 | -1, words: string) => {
    let previous = weight(from);
    for (let x = from + dir * step; dir === 1 ? x <= to + step / 2 : x >= to - step / 2; x += dir * step) {
      const w = weight(x);
      if (w < previous - 1e-12)
        out.add(`${path}.bands[${bandAt(x)}].weight: risk falls as ${rule.words} ${words} (${fmt(w)} after ${fmt(previous)} at ${fmt(x)})`);
      previous = w;
    }
  };
  if (Number.isFinite(rule.high)) walk(normalHigh, hi, 1, `rises above ${fmt(rule.high)}`);
  if (Number.isFinite(rule.low)) walk(normalLow, lo, -1, `falls below ${fmt(rule.low)}`);
  return [...out];
}

function categoryProblems(term: Extract<ModelTerm, { type: 'categories' }>, path: string, rule: CodeOrder): string[] {
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
 * Every place where a model breaks dominance: risk that varies inside a normal range, or falls as a value moves away
 * from normal. Runs in O(terms · knots), bands in O(possible range at chart precision).
 *
 * @returns problems with JSON paths; empty for a safe definition
 * @example monotonicityProblems(apolloStyle); // => []
 */
export function monotonicityProblems(def: Pick<ModelScore, 'terms'>): string[] {
  return def.terms.flatMap((term, i) => {
    const rule = CLINICAL_RANGES[term.field];
    const path = `terms[${i}]`;
    if (rule === undefined) return [];
    if (rule.kind === 'range' && term.type === 'linear') return linearProblems(term, path, rule);
    if (rule.kind === 'range' && term.type === 'bands') return bandProblems(term, path, rule);
    if (rule.kind === 'order' && term.type === 'categories') return categoryProblems(term, path, rule);
    return [];
  });
}
