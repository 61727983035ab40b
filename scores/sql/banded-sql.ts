/**
 * The banded kind's part of the SQL: points per parameter from the same lookup tables as the kernel (as runs of
 * `WHEN slot BETWEEN a AND b`), the total under the missing-value policy, the red score, the risk band, and the
 * missing and flags lists.
 */
import type { ScorePlan } from '../plan/compile.js';
import { NOT_ON_CHART } from '../plan/compile.js';
import type { MissingPolicy } from '../definition/observation.js';
import { bandedOutputColumns } from '../kinds/banded.js';
import type { ScoreSql } from './sql-text.js';
import { B, caseOf, flagEntry, ordered, quoteIdent, quoteString } from './sql-text.js';

export function bandedSql(g: number, plan: ScorePlan, map: readonly number[], columns: readonly string[], policy: MissingPolicy): ScoreSql {
  const names = bandedOutputColumns(plan.definition);
  const u = (k: number): number => map[k] ?? NaN;
  const C = (name: string) => `c${g}.${quoteIdent(name)}`;
  const D = (name: string) => `d${g}.${quoteIdent(name)}`;
  const layerC: string[] = [];
  // Effective missing/flagged per input (a fallback pair is missing only when both are; codes off the chart flag).
  const missing = new Map<number, string>(map.map((x) => [x, B.missing(x)]));
  const flagged = new Map<number, string>(map.map((x) => [x, B.flagged(x)]));
  plan.parameters.forEach((p, j) => {
    const segment = p.conditions.map((c, ci) => `${B.slot(u(c))} * ${(p.strides[ci] ?? NaN) * p.segment}`).join(' + ');
    const index = segment === '' ? B.slot(u(p.input)) : `(${segment} + ${B.slot(u(p.input))})`;
    const primary = caseOf(index, p.table, (v) => v >= 0, String);
    const offChart = (table: Int8Array, idx: string) =>
      caseOf(
        idx,
        table,
        (v) => v === NOT_ON_CHART,
        () => 'TRUE',
      );
    if (p.fallback === undefined) {
      layerC.push(`${primary} AS ${quoteIdent(`p${j}`)}`);
      if (p.table.includes(NOT_ON_CHART)) flagged.set(u(p.input), `(${flagged.get(u(p.input))} OR COALESCE(${offChart(p.table, index)}, FALSE))`);
      return;
    }
    const fb = p.fallback;
    const fbIndex = B.slot(u(fb.input));
    layerC.push(`CASE WHEN ${B.missing(u(p.input))} THEN ${caseOf(fbIndex, fb.table, (v) => v >= 0, String)} ELSE ${primary} END AS ${quoteIdent(`p${j}`)}`);
    if (fb.table.includes(NOT_ON_CHART))
      flagged.set(u(fb.input), `(${flagged.get(u(fb.input))} OR (${B.missing(u(p.input))} AND COALESCE(${offChart(fb.table, fbIndex)}, FALSE)))`);
    const both = `(${B.missing(u(p.input))} AND ${B.missing(u(fb.input))})`;
    missing.set(u(p.input), both);
    missing.set(u(fb.input), both);
  });
  for (const x of new Set(map)) {
    layerC.push(`${missing.get(x)} AS ${quoteIdent(`m${x}`)}`, `${flagged.get(x)} AS ${quoteIdent(`f${x}`)}`);
  }
  const points = plan.parameters.map((_, j) => C(`p${j}`));
  const anyMissing = [...new Set(map)].map((x) => C(`m${x}`)).join(' OR ');
  const anyFlag = [...new Set(map)].map((x) => C(`f${x}`)).join(' OR ');
  const complete = `(NOT (${anyMissing} OR ${anyFlag}))`;
  const total =
    policy === 'zero'
      ? `CASE WHEN NOT (${anyFlag}) THEN ${points.map((p) => `COALESCE(${p}, 0)`).join(' + ')} END`
      : `CASE WHEN ${complete} THEN ${points.join(' + ')} END`;
  const red = Number.isFinite(plan.redMin) ? `(${points.map((p) => `COALESCE(${p}, -1) >= ${plan.redMin}`).join(' OR ')})` : 'FALSE';
  const layerD = [`${total} AS "t"`, `${red} AS "red"`, `${complete} AS "complete"`];
  const risks = plan.definition.risks;
  const risk =
    plan.definition.rules.length === 0
      ? 'CAST(NULL AS VARCHAR)'
      : caseOf(
          `(${D('t')} * 2 + CASE WHEN ${D('red')} THEN 1 ELSE 0 END)`,
          plan.riskOf,
          (v) => v >= 0,
          (v) => quoteString(risks[v] as string),
        );
  const order = ordered(plan.inputs, map);
  const missingList = `NULLIF(concat_ws(';', ${order.map((x) => `CASE WHEN ${C(`m${x}`)} THEN ${quoteString(columns[x] as string)} END`).join(', ')}), '')`;
  const flagList = `NULLIF(concat_ws(';', ${order.map((x) => flagEntry(C(`f${x}`), x, columns[x] as string)).join(', ')}), '')`;
  const at = (k: number) => names[k] as string;
  return {
    layers: [`LATERAL (SELECT ${layerC.join(', ')}) AS c${g}`, `LATERAL (SELECT ${layerD.join(', ')}) AS d${g}`],
    outputs: [
      [D('t'), at(0)],
      [risk, at(1)],
      [D('red'), at(2)],
      [D('complete'), at(3)],
      ...points.map((p, j): [string, string] => [p, at(4 + j)]),
      [missingList, at(names.length - 2)],
      [flagList, at(names.length - 1)],
    ],
  };
}
