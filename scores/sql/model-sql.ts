/**
 * The model kind's part of the SQL: each term's contribution (linear pieces evaluated in SQL, bands and categories
 * from the lookup tables), the linear predictor, the probability and the risk zone, with the missing, imputed and
 * flags lists.
 */
import type { ModelPlan } from '../plan/model-plan.js';
import { modelOutputColumns } from '../kinds/model.js';
import type { ScoreSql } from './sql-text.js';
import { B, caseOf, flagEntry, num, ordered, quoteIdent, quoteString } from './sql-text.js';

export function modelSql(g: number, plan: ModelPlan, map: readonly number[], columns: readonly string[]): ScoreSql {
  const def = plan.definition;
  const names = modelOutputColumns(def);
  const u = (k: number): number => map[k] ?? NaN;
  const C = (name: string) => `c${g}.${quoteIdent(name)}`;
  const D = (name: string) => `d${g}.${quoteIdent(name)}`;
  const layerC = plan.terms.map((t, j) => {
    const term = def.terms[j];
    const k = u(t.input);
    let observed: string;
    if (term?.type === 'linear') {
      const pieces = term.slopes.map(
        (s, i) => `${num(s)} * (LEAST(GREATEST(${B.value(k)}, ${num(term.knots[i] ?? NaN)}), ${num(term.knots[i + 1] ?? NaN)}) - ${num(term.knots[i] ?? NaN)})`,
      );
      observed = `CASE WHEN ${B.slot(k)} > 0 THEN ${pieces.join(' + ')} END`;
    } else {
      observed = caseOf(B.slot(k), t.table, (v) => !Number.isNaN(v), num);
    }
    const c = t.imputeSlot >= 0 ? `CASE WHEN ${B.missing(k)} THEN ${num(t.table[t.imputeSlot] ?? NaN)} ELSE ${observed} END` : observed;
    return `${c} AS ${quoteIdent(`w${j}`)}`;
  });
  const voidExpr = plan.terms.map((t) => `${B.flagged(u(t.input))}${t.imputeSlot < 0 ? ` OR ${B.missing(u(t.input))}` : ''}`).join(' OR ');
  const lp = `CASE WHEN NOT (${voidExpr}) THEN ${num(def.intercept)} + ${plan.terms.map((_, j) => C(`w${j}`)).join(' + ')} END`;
  // Escalation: per input, whether it holds an extreme value (the same per-slot table as the kernel's).
  const extremeOf = new Map<number, string>();
  plan.terms.forEach((t) => {
    if (t.extreme.includes(1))
      extremeOf.set(
        u(t.input),
        `COALESCE(${caseOf(
          B.slot(u(t.input)),
          t.extreme,
          (v) => v === 1,
          () => 'TRUE',
        )}, FALSE)`,
      );
  });
  const escalated = [...extremeOf.values()].join(' OR ') || 'FALSE';
  const layerD = [`${lp} AS "lp"`, `${escalated} AS "esc"`];
  const probability = `(1 / (1 + EXP(-${D('lp')})))`;
  const zones = def.zones;
  const ez = plan.escalateZone;
  // The zone by probability, unless an extreme value raises it to at least zone ez (also when there is no probability).
  const zone = `CASE WHEN ${D('esc')} AND (${D('lp')} IS NULL OR ${probability} < ${num(zones[ez]?.min ?? NaN)}) THEN ${quoteString(
    zones[ez]?.label as string,
  )} ${zones
    .slice(1)
    .map((_, i) => zones.length - 1 - i)
    .map((z) => `WHEN ${probability} >= ${num(zones[z]?.min ?? NaN)} THEN ${quoteString(zones[z]?.label as string)}`)
    .join(' ')} WHEN ${D('lp')} IS NOT NULL THEN ${quoteString(zones[0]?.label as string)} END`;
  const order = ordered(plan.inputs, map);
  const imputable = new Set(plan.terms.filter((t) => t.imputeSlot >= 0).map((t) => u(t.input)));
  const list = (pick: (x: number) => boolean, when: (x: number) => string, value: (x: number) => string) =>
    `NULLIF(concat_ws(';', ${
      order
        .filter(pick)
        .map((x) => `CASE WHEN ${when(x)} THEN ${value(x)} END`)
        .join(', ') || 'NULL'
    }), '')`;
  const anyMissing = order.map((x) => B.missing(x)).join(' OR ');
  const anyFlag = order.map((x) => B.flagged(x)).join(' OR ');
  const at = (k: number) => names[k] as string;
  return {
    layers: [`LATERAL (SELECT ${layerC.join(', ')}) AS c${g}`, `LATERAL (SELECT ${layerD.join(', ')}) AS d${g}`],
    outputs: [
      [probability, at(0)],
      [D('lp'), at(1)],
      [zone, at(2)],
      [`(NOT (${anyMissing} OR ${anyFlag}))`, at(3)],
      ...plan.terms.map((_, j): [string, string] => [C(`w${j}`), at(4 + j)]),
      [
        list(
          () => true,
          B.missing,
          (x) => quoteString(columns[x] as string),
        ),
        at(names.length - 4),
      ],
      [
        list(
          (x) => imputable.has(x),
          B.missing,
          (x) => quoteString(columns[x] as string),
        ),
        at(names.length - 3),
      ],
      [`NULLIF(concat_ws(';', ${order.map((x) => flagEntry(B.flagged(x), x, columns[x] as string)).join(', ')}), '')`, at(names.length - 2)],
      [
        list(
          (x) => extremeOf.has(x),
          (x) => extremeOf.get(x) as string,
          (x) => quoteString(columns[x] as string),
        ),
        at(names.length - 1),
      ],
    ],
  };
}
