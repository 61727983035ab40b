/**
 * An attacker against the report's disclosure control. For small random cohorts (10–300 encounters, skewed groups,
 * rare events) it runs the whole report, collects every released count with its place, writes down the linear
 * relations a reader can see in the report's structure — the 2×2 tables add up to the score's sets, the flow's steps
 * add up, groups add up to their totals, Table 1's levels add up to its columns and Overall = Event + No event, the
 * same number in two tables is the same number — and solves them for the suppressed counts by Gauss–Jordan
 * elimination. It must recover none. The relations are written here from the report's documented shape, not taken
 * from the code that protects it; the solver is this file's own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mews } from '../../../scores/catalogue/mews.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import type { Cell, FlowCounts, ValidationReport } from '../../../validation/report/types.js';
import { isSuppressed } from '../../../validation/study/disclosure.js';
import { validate } from '../../../validation/study/validate.js';

/** A cell of the report: a released count (its value) or a suppressed one (an unknown). */
type Term = { known: number } | { unknown: string };

/** Relations `total = Σ parts` over the report's cells, and the places of the unknowns. */
class Attacker {
  readonly relations: { total: Term; parts: Term[]; where: string }[] = [];

  term(cell: Cell<number> | null | undefined, place: string): Term | null {
    if (cell === null || cell === undefined) return null;
    return isSuppressed(cell) ? { unknown: place } : { known: cell };
  }

  /** total = Σ parts; skipped when any cell is absent from the report. */
  sum(where: string, total: [Cell<number> | null | undefined, string], parts: [Cell<number> | null | undefined, string][]): void {
    const t = this.term(...total);
    const ps = parts.map((p) => this.term(...p));
    if (t === null || ps.some((p) => p === null)) return;
    this.relations.push({ total: t, parts: ps as Term[], where });
  }

  /** The unknowns the relations determine. */
  recovered(): string[] {
    const names = [...new Set(this.relations.flatMap((r) => [r.total, ...r.parts]).flatMap((t) => ('unknown' in t ? [t.unknown] : [])))];
    const index = new Map(names.map((n, i) => [n, i]));
    // Each relation as a row over the unknowns (total +1, parts −1); the knowns only move the right-hand side.
    const rows = this.relations
      .map((r) => {
        const row = new Array<number>(names.length).fill(0);
        [r.total, ...r.parts].forEach((t, k) => {
          const c = 'unknown' in t ? (index.get(t.unknown) ?? 0) : -1;
          if (c >= 0) row[c] = (row[c] ?? 0) + (k === 0 ? 1 : -1);
        });
        return row;
      })
      .filter((row) => row.some((x) => x !== 0));
    // Gauss–Jordan with partial pivoting.
    let rank = 0;
    const pivotRow = new Map<number, number>();
    for (let col = 0; col < names.length && rank < rows.length; col++) {
      let best = -1;
      for (let r = rank; r < rows.length; r++)
        if (Math.abs(rows[r]?.[col] ?? 0) > 1e-9 && (best < 0 || Math.abs(rows[r]?.[col] ?? 0) > Math.abs(rows[best]?.[col] ?? 0))) best = r;
      if (best < 0) continue;
      [rows[rank], rows[best]] = [rows[best] as number[], rows[rank] as number[]];
      const pivot = rows[rank] as number[];
      const p = pivot[col] as number;
      for (let c = 0; c < names.length; c++) pivot[c] = (pivot[c] as number) / p;
      rows.forEach((row, r) => {
        if (r === rank) return;
        const f = row[col] as number;
        if (Math.abs(f) > 1e-9) for (let c = 0; c < names.length; c++) row[c] = (row[c] as number) - f * (pivot[c] as number);
      });
      pivotRow.set(col, rank++);
    }
    return [...pivotRow].filter(([col, r]) => (rows[r] ?? []).every((x, c) => c === col || Math.abs(x) <= 1e-9)).map(([col]) => names[col] as string);
  }
}

/** The relations a reader sees in the report. */
function attack(report: ValidationReport): string[] {
  const a = new Attacker();
  const f = report.flow;
  const groupings = report.settings.groupBy;
  const steps = (c: FlowCounts, at: string) => {
    a.sum(
      `${at}: outcomes`,
      [c.sets, `${at}.sets`],
      [
        [c.positive, `${at}.positive`],
        [c.negative, `${at}.negative`],
      ],
    );
    for (const by of groupings) {
      const groups = Object.entries(c.byGroup[by] ?? {});
      a.sum(
        `${at}: groups`,
        [c.sets, `${at}.sets`],
        groups.map(([g, v]) => [v, `${at}.${by}.${g}`]),
      );
    }
  };
  const adds = (total: FlowCounts, tAt: string, parts: [FlowCounts, string][]) => {
    for (const key of ['sets', 'positive', 'negative'] as const)
      a.sum(
        `${tAt} = parts (${key})`,
        [total[key], `${tAt}.${key}`],
        parts.map(([p, at]) => [p[key], `${at}.${key}`]),
      );
    for (const by of groupings)
      for (const g of Object.keys(total.byGroup[by] ?? {}))
        a.sum(
          `${tAt} = parts (${g})`,
          [total.byGroup[by]?.[g], `${tAt}.${by}.${g}`],
          parts.map(([p, at]) => [p.byGroup[by]?.[g], `${at}.${by}.${g}`]),
        );
  };
  // The flow.
  f.excluded.forEach((x, i) => steps(x, `flow.excluded[${i}]`));
  steps(f.labelled, 'flow.labelled');
  a.sum(
    'flow: extract',
    [f.extract.sets, 'flow.extract.sets'],
    [...f.excluded.map((x, i): [Cell<number>, string] => [x.sets, `flow.excluded[${i}].sets`]), [f.labelled.sets, 'flow.labelled.sets']],
  );
  f.scores.forEach((s, k) => {
    s.excluded.forEach((x, i) => steps(x, `flow.scores[${k}].excluded[${i}]`));
    steps(s.analysed, `flow.scores[${k}].analysed`);
    adds(f.labelled, 'flow.labelled', [
      ...s.excluded.map((x, i): [FlowCounts, string] => [x, `flow.scores[${k}].excluded[${i}]`]),
      [s.analysed, `flow.scores[${k}].analysed`],
    ]);
  });
  // The same number in two tables.
  const same = (x: [Cell<number> | null | undefined, string], y: [Cell<number> | null | undefined, string]) => a.sum('same', x, [y]);
  const c = report.cohort;
  same([c.observationSets, 'cohort.observationSets'], [f.extract.sets, 'flow.extract.sets']);
  same([c.analysedSets, 'cohort.analysedSets'], [f.labelled.sets, 'flow.labelled.sets']);
  same([c.positiveSets, 'cohort.positiveSets'], [f.labelled.positive, 'flow.labelled.positive']);
  same([c.patients, 'cohort.patients'], [f.extract.patients, 'flow.extract.patients']);
  same([c.encounters, 'cohort.encounters'], [f.extract.encounters, 'flow.extract.encounters']);
  const censored = f.excluded.findIndex((x) => x.reason === 'censored');
  if (censored >= 0) same([c.censored, 'cohort.censored'], [f.excluded[censored]?.sets, `flow.excluded[${censored}].sets`]);
  // Each score: its sets are the flow's; its 2×2 tables add up; its observed-risk rows add up.
  report.scores.forEach((s, k) => {
    const flowScore = f.scores[k];
    same([s.sets.analysed, `scores[${k}].analysed`], [flowScore?.analysed.sets, `flow.scores[${k}].analysed.sets`]);
    same([s.sets.positive, `scores[${k}].positive`], [flowScore?.analysed.positive, `flow.scores[${k}].analysed.positive`]);
    a.sum(
      'incomplete',
      [s.sets.incomplete, `scores[${k}].incomplete`],
      (flowScore?.excluded ?? []).map((x, i) => [x.sets, `flow.scores[${k}].excluded[${i}].sets`]),
    );
    s.thresholds.forEach((t, j) => {
      const at = `scores[${k}].thresholds[${j}]`;
      a.sum(
        '2×2',
        [s.sets.analysed, `scores[${k}].analysed`],
        [
          [t.counts.tp, `${at}.tp`],
          [t.counts.fp, `${at}.fp`],
          [t.counts.tn, `${at}.tn`],
          [t.counts.fn, `${at}.fn`],
        ],
      );
      a.sum(
        '2×2 positives',
        [s.sets.positive, `scores[${k}].positive`],
        [
          [t.counts.tp, `${at}.tp`],
          [t.counts.fn, `${at}.fn`],
        ],
      );
    });
    const risk = s.observedRisk ?? [];
    const part = (key: 'sets' | 'events') =>
      risk.map((r, j): [Cell<number>, string] => [isSuppressed(r.cell) ? r.cell : r.cell[key], `scores[${k}].observedRisk[${j}].${key}`]);
    if (risk.length > 0) {
      a.sum('observed risk sets', [s.sets.analysed, `scores[${k}].analysed`], part('sets'));
      a.sum('observed risk events', [s.sets.positive, `scores[${k}].positive`], part('events'));
    }
  });
  // Subgroups: a group's sets are the flow's; positive sets add up to the labelled positives (when every set has a group).
  report.subgroups.forEach((sg) => {
    const byFlow = f.labelled.byGroup[sg.by] ?? {};
    sg.groups.forEach((g) => same([g.observationSets, `subgroups.${sg.by}.${g.group}.sets`], [byFlow[g.group], `flow.labelled.${sg.by}.${g.group}`]));
    const missing = byFlow['(missing)'];
    if (missing === undefined || missing === 0)
      a.sum(
        'subgroup positives',
        [f.labelled.positive, 'flow.labelled.positive'],
        sg.groups.map((g) => [g.positiveSets, `subgroups.${sg.by}.${g.group}.positive`]),
      );
  });
  // Table 1: levels add up to the column's units; Overall = Event + No event; Overall = Σ groups (every unit in a group).
  const t1 = report.characteristics;
  const groupColumns = t1.columns.slice(3);
  for (const [unit, rows, totals] of [
    ['encounters', t1.encounters, t1.totals.encounters],
    ['sets', t1.sets, t1.totals.sets],
  ] as const) {
    const columnsRelate = (cells: readonly (Cell<number> | undefined)[], at: string) => {
      a.sum(
        `${at}: overall`,
        [cells[0], `${at}[0]`],
        [
          [cells[1], `${at}[1]`],
          [cells[2], `${at}[2]`],
        ],
      );
      for (const by of groupings) {
        const cols = groupColumns.map((name, j) => ({ name, j: j + 3 })).filter(({ name }) => name.startsWith(`${by}: `));
        const covered = Object.keys(f.labelled.byGroup[by] ?? {}).every((g) => g !== '(missing)');
        if (covered && unit === 'sets')
          a.sum(
            `${at}: groups`,
            [cells[0], `${at}[0]`],
            cols.map(({ j }) => [cells[j], `${at}[${j}]`]),
          );
      }
    };
    columnsRelate(totals, `characteristics.${unit}.totals`);
    if (unit === 'sets') {
      same([totals[0], 'characteristics.sets.totals[0]'], [f.labelled.sets, 'flow.labelled.sets']);
      same([totals[1], 'characteristics.sets.totals[1]'], [f.labelled.positive, 'flow.labelled.positive']);
    }
    const byVariable = new Map<string, typeof rows>();
    for (const r of rows) if (r.level !== null) byVariable.set(r.variable, [...(byVariable.get(r.variable) ?? []), r]);
    for (const [variable, levels] of byVariable) {
      totals.forEach((total, col) =>
        a.sum(
          `${unit}.${variable} column`,
          [total, `characteristics.${unit}.totals[${col}]`],
          levels.map((l) => {
            const v = l.cells[col];
            return [v === undefined || isSuppressed(v) ? v : 'n' in v ? v.n : undefined, `characteristics.${unit}.${variable}.${l.level}[${col}]`];
          }),
        ),
      );
      for (const l of levels)
        columnsRelate(
          l.cells.map((v) => (v === undefined || isSuppressed(v) ? v : 'n' in v ? v.n : undefined)),
          `characteristics.${unit}.${variable}.${l.level}`,
        );
    }
  }
  // Outcomes: the composite's events are the sum of its types'; Table 1's events are the composite's.
  const composite = report.outcomes.find((o) => o.outcome.startsWith('composite: '));
  if (composite !== undefined) {
    const types = composite.outcome.slice('composite: '.length).split(', ');
    a.sum(
      'composite events',
      [composite.events, 'outcomes.composite.events'],
      report.outcomes.filter((o) => types.includes(o.outcome)).map((o) => [o.events, `outcomes.${o.outcome}.events`]),
    );
    same([c.events, 'cohort.events'], [composite.events, 'outcomes.composite.events']);
  }
  // A suppressed observed-risk row is recovered only when both its counts are (then its risk is too).
  const recovered = a.recovered();
  return recovered.filter((name) => {
    const row = /^(.*observedRisk\[\d+\])\.(sets|events)$/.exec(name);
    return row === null || (recovered.includes(`${row[1]}.sets`) && recovered.includes(`${row[1]}.events`));
  });
}

/** A small cohort with skewed groups and rare events. */
const cohortArb = fc.record({
  encounters: fc.integer({ min: 10, max: 300 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  white: fc.double({ min: 0.5, max: 0.97, noNaN: true }),
  shift: fc.double({ min: -2, max: 0.5, noNaN: true }),
  groupBy: fc.constantFrom(['ethnicity'], ['sex'], ['skin_tone_band'], ['ethnicity', 'sex']),
  mews: fc.boolean(),
});

describe('disclosure control survives an attacker who subtracts', () => {
  it('a hand-made leak is recovered by the attacker (so the attacker can fail)', () => {
    const cohort = generateCohort({ encounters: 1200, seed: 3 });
    const report = validate({ cohort, scores: [news2], bootstrap: false, groupBy: ['ethnicity'] });
    // Suppress the first released 2×2 count by hand, leaving its row's other counts released: recoverable.
    const t = report.scores[0]?.thresholds[0];
    if (t === undefined || isSuppressed(t.counts.tp) || [t.counts.fp, t.counts.tn, t.counts.fn, report.scores[0]?.sets.analysed].some(isSuppressed))
      throw new Error('expected a fully released 2×2 table in this cohort');
    const leaky = {
      ...report,
      scores: [{ ...report.scores[0], thresholds: [{ ...t, counts: { ...t.counts, tp: { suppressed: true as const, rule: 'by hand' } } }] }],
    };
    expect(attack(leaky as unknown as ValidationReport)).toContain('scores[0].thresholds[0].tp');
  });

  it('recovers no suppressed count from the released numbers, across small random cohorts', () => {
    fc.assert(
      fc.property(cohortArb, (c) => {
        const rest = (1 - c.white) / 4;
        const cohort = generateCohort({
          encounters: c.encounters,
          seed: c.seed,
          profile: { extends: 'uk-leicester', ethnicity: { White: c.white, Asian: rest, Black: rest, Mixed: rest, Other: rest }, deteriorationShift: c.shift },
        });
        let report: ValidationReport;
        try {
          report = validate({ cohort, scores: c.mews ? [news2, mews] : [news2], bootstrap: false, groupBy: c.groupBy });
        } catch (e) {
          // Too small for a grouping with two groups: nothing to attack.
          if (e instanceof RangeError && /at least two groups/.test(e.message)) return;
          throw e;
        }
        const recovered = attack(report);
        expect(recovered, `recovered ${recovered.join(', ')}`).toEqual([]);
      }),
      // 60 cohorts in the suite; EWSKIT_ATTACK_RUNS=2000 for the long run (README, "Disclosure control").
      { numRuns: Number(process.env.EWSKIT_ATTACK_RUNS ?? 60), seed: Number(process.env.EWSKIT_ATTACK_SEED ?? 20261129) },
    );
  });
});
