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
import { renderMarkdown } from '../../../validation/report/markdown.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { validate } from '../../../validation/study/validate.js';

/** A cell of the report: a released count (its value) or a suppressed one (an unknown). */
type Term = { known: number } | { unknown: string };

/** Relations `total = Σ parts` over the report's cells, and the places of the unknowns. */
class Attacker {
  readonly relations: { total: Term; parts: Term[]; where: string }[] = [];
  /** Relations `total ≤ Σ parts` (structure a reader knows: one encounter can have several events). */
  readonly atMost: { total: Term; parts: Term[]; op: '<=' | '>=' }[] = [];
  /** Each unknown's rule, as the report prints it. */
  readonly rules = new Map<string, string>();
  /** Each known count, by its place. */
  readonly values = new Map<string, number>();

  term(cell: Cell<number> | null | undefined, place: string): Term | null {
    if (cell === null || cell === undefined) return null;
    if (isSuppressed(cell)) {
      this.rules.set(place, cell.rule);
      return { unknown: place };
    }
    this.values.set(place, cell);
    return { known: cell };
  }

  /** total ≤ Σ parts (op '<='), or total ≥ Σ parts (op '>='). */
  atMostSum(total: [Cell<number> | null | undefined, string], parts: [Cell<number> | null | undefined, string][], op: '<=' | '>=' = '<='): void {
    const t = this.term(...total);
    const ps = parts.map((p) => this.term(...p));
    if (t === null || ps.some((p) => p === null)) return;
    this.atMost.push({ total: t, parts: ps as Term[], op });
  }

  /**
   * An LP attacker (HiGHS, from this file's own LP text): each count suppressed for its size lies in 1…9 (zeros are
   * released), any other unknown ≥ 0; the smallest and largest value of each such count over the relations. Returns
   * the counts narrower than `width`.
   */
  narrowed(highs: { solve(lp: string, options?: object): { Status: string; ObjectiveValue: number } }, width: number): string[] {
    const names = [...new Set([...this.relations, ...this.atMost].flatMap((r) => [r.total, ...r.parts]).flatMap((t) => ('unknown' in t ? [t.unknown] : [])))];
    const v = new Map(names.map((n, i) => [n, `u${i}`]));
    const row = (total: Term, parts: Term[]): { lhs: string; rhs: number } => {
      const coef = new Map<string, number>();
      let rhs = 0;
      [total, ...parts].forEach((t, k) => {
        const sign = k === 0 ? 1 : -1;
        if ('unknown' in t) coef.set(v.get(t.unknown) as string, (coef.get(v.get(t.unknown) as string) ?? 0) + sign);
        else rhs -= sign * t.known;
      });
      const lhs = [...coef]
        .filter(([, c]) => c !== 0)
        .map(([x, c]) => `${c > 0 ? '+' : '-'} ${Math.abs(c)} ${x}`)
        .join(' ');
      return { lhs, rhs };
    };
    const rows = [
      ...this.relations.map((r) => ({ ...row(r.total, r.parts), op: '=' })),
      ...this.atMost.map((r) => ({ ...row(r.total, r.parts), op: r.op })),
    ].filter((r) => r.lhs.length > 0);
    // A suppressed count's own rule; an observed-risk row or a Table 1 cell is a statistic whose rule is the row's,
    // not the size of each count in it.
    const small = names.filter((n) => /^a count below/.test(this.rules.get(n) ?? '') && !/observedRisk|^characteristics/.test(n));
    const bounds = names.map((n) => (small.includes(n) ? ` 1 <= ${v.get(n)} <= 9` : ` ${v.get(n)} >= 0`));
    const lp = (sense: string, x: string) =>
      [sense, ` obj: ${x}`, 'Subject To', ...rows.map((r, i) => ` c${i}: ${r.lhs} ${r.op} ${r.rhs}`), 'Bounds', ...bounds, 'End'].join('\n');
    return small.filter((n) => {
      const x = v.get(n) as string;
      const lo = highs.solve(lp('Minimize', x), { output_flag: false });
      const hi = highs.solve(lp('Maximize', x), { output_flag: false });
      if (lo.Status === 'Infeasible') {
        throw new Error(`the attacker's relations contradict the report (${n})`);
      }
      if (lo.Status !== 'Optimal' || hi.Status !== 'Optimal') return false;
      return Math.floor(hi.ObjectiveValue + 1e-6) - Math.ceil(lo.ObjectiveValue - 1e-6) < width;
    });
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
function attack(report: ValidationReport, truth?: ValidationReport | null): string[] {
  const mine = attacker(report);
  const recovered = mine.recoveredSmall;
  if (truth === undefined || truth === null) return recovered;
  // A count hidden only because a statistic around it is (a share whose denominator is suppressed, a cell of too few
  // patients) and that is not small itself — 0, or the threshold or more — discloses nothing when worked out. Its
  // true value is read at the same place of the same report without disclosure control.
  const { a } = attacker(truth);
  return recovered.filter((name) => {
    const rule = mine.a.rules.get(name) ?? '';
    if (/^a count below/.test(rule)) return true;
    const v = a.values.get(name);
    return v === undefined || (v >= 1 && v <= 9);
  });
}

/** The attacker with every relation a reader sees, and the small counts (not secondary ones) it works out exactly. */
function attacker(report: ValidationReport): { a: Attacker; recoveredSmall: string[] } {
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
      // A score's exclusions by reason are not counted by group.
      if (c.byGroup[by] === undefined) continue;
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
  // Table 1's sets without a value of a score input, column by column (the share times the column's sets, when both
  // are released): their columns relate as every count's do; every set the flow excludes for a missing input lacks
  // it (at least the sum of the rows naming it); a set lacking an input of a score with no fallback (NEWS2, MEWS) is
  // excluded for it or, first, for a flagged value (at most that sum with the flagged rows).
  for (const r of t1.sets) {
    if (r.level !== null) continue;
    const missing = t1.totals.sets.map((total, col): [Cell<number> | undefined, string] => {
      const v = r.cells[col];
      const place = `characteristics.sets.${r.variable}.missing[${col}]`;
      if (v === undefined) return [v, place];
      const share = isSuppressed(v) ? v : (v as { missing: Cell<number> }).missing;
      if (isSuppressed(share)) return [share, place];
      if (share === 0) return [0, place];
      return [isSuppressed(total) ? { suppressed: true, rule: 'a share of a suppressed total' } : Math.round(share * total), place];
    });
    a.sum(`${r.variable} missing: overall`, missing[0] as [Cell<number>, string], [missing[1] as [Cell<number>, string], missing[2] as [Cell<number>, string]]);
    for (const by of groupings) {
      const cols = groupColumns.map((name, j) => ({ name, j: j + 3 })).filter(({ name }) => name.startsWith(`${by}: `));
      if (Object.keys(f.labelled.byGroup[by] ?? {}).every((g) => g !== '(missing)'))
        a.sum(
          `${r.variable} missing: groups`,
          missing[0] as [Cell<number>, string],
          cols.map(({ j }) => missing[j] as [Cell<number>, string]),
        );
    }
    f.scores.forEach((fs, k) => {
      const naming = fs.excluded
        .map((x, i) => ({ x, i }))
        .filter(({ x }) => x.reason.startsWith('missing ') && x.reason.slice(8).split(', ').includes(r.variable));
      const flagged = fs.excluded.map((x, i) => ({ x, i })).filter(({ x }) => !x.reason.startsWith('missing '));
      if (naming.length === 0) return;
      // The flow's cell of a Table 1 column, named as the flow's relations above name it.
      const cellOf = (x: FlowCounts, at: string, col: number): [Cell<number> | null | undefined, string] => {
        if (col < 3) {
          const key = (['sets', 'positive', 'negative'] as const)[col] ?? 'sets';
          return [x[key], `${at}.${key}`];
        }
        const [by = '', g = ''] = (t1.columns[col] ?? '').split(': ');
        return [x.byGroup[by]?.[g], `${at}.${by}.${g}`];
      };
      missing.forEach((m, col) => {
        const parts = (rows: typeof naming) => rows.map(({ x, i }) => cellOf(x, `flow.scores[${k}].excluded[${i}]`, col));
        if (col < 3) {
          a.atMostSum(m, parts(naming), '>=');
          a.atMostSum(m, parts([...naming, ...flagged]), '<=');
        } else {
          // By group the flow shows only the score's analysed sets: the labelled are at least those and the missing.
          a.atMostSum(cellOf(f.labelled, 'flow.labelled', col), [m, cellOf(fs.analysed, `flow.scores[${k}].analysed`, col)], '>=');
        }
      });
    });
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
  // What a reader knows of events: an encounter with an event has one or more (encounters ≤ events); a death
  // happens once per encounter (deaths = encounters with a death).
  for (const o of report.outcomes) {
    if (o.outcome === 'death') same([o.encounters, `outcomes.${o.outcome}.encounters`], [o.events, `outcomes.${o.outcome}.events`]);
    else a.atMostSum([o.encounters, `outcomes.${o.outcome}.encounters`], [[o.events, `outcomes.${o.outcome}.events`]]);
  }
  // Patients of the groups add up to at most the cohort's patients (each patient has one ethnic group; some may not
  // be analysed) — with every patient analysed, a reader's 60 − 30 − 29 = 1.
  for (const sg of report.subgroups)
    if (!sg.by.includes(','))
      a.atMostSum(
        [c.patients, 'cohort.patients'],
        sg.groups.map((g) => [g.patients, `subgroups.${sg.by}.${g.group}.patients`]),
        '>=',
      );
  // A suppressed observed-risk row is recovered only when both its counts are (then its risk is too). A count
  // suppressed only to protect another (secondary: 0 or at least the threshold) discloses nothing small when worked
  // out; every other recovered count is a failure.
  const recovered = a.recovered();
  const recoveredSmall = recovered.filter((name) => {
    if (/^secondary/.test(a.rules.get(name) ?? '')) return false;
    const row = /^(.*observedRisk\[\d+\])\.(sets|events)$/.exec(name);
    return row === null || (recovered.includes(`${row[1]}.sets`) && recovered.includes(`${row[1]}.events`));
  });
  return { a, recoveredSmall };
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

/** The report of a generated small cohort; null when it is too small for a grouping with two groups (nothing to attack). */
function reportOf(c: typeof cohortArb extends fc.Arbitrary<infer T> ? T : never, control = true): ValidationReport | null {
  const rest = (1 - c.white) / 4;
  const cohort = generateCohort({
    encounters: c.encounters,
    seed: c.seed,
    profile: { extends: 'uk-leicester', ethnicity: { White: c.white, Asian: rest, Black: rest, Mixed: rest, Other: rest }, deteriorationShift: c.shift },
  });
  try {
    return validate({ cohort, scores: c.mews ? [news2, mews] : [news2], bootstrap: false, groupBy: c.groupBy, ...(control ? {} : { disclosure: false }) });
  } catch (e) {
    if (e instanceof RangeError && /at least two groups/.test(e.message)) return null;
    throw e;
  }
}

/** The pipe tables of a Markdown text: rows of cells (the header row first, the separator row left out). */
function markdownTables(md: string): string[][][] {
  const tables: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    if (current === null) tables.push((current = []));
    current.push(cells);
  }
  return tables;
}

/** A cell as a reader takes it: a whole count ("1,234" or "12 (3.4 %)"), a suppressed count, or nothing. */
function readCell(cell: string): number | 'S' | null {
  if (cell === '‹suppressed›') return 'S';
  const m = /^(\d{1,3}(?:,\d{3})*)(?: \(.*\))?$/.exec(cell);
  return m === null ? null : Number((m[1] as string).replace(/,/g, ''));
}

/**
 * A reader with only the Markdown (what a person sees), independent of the ledger's relations: in every row and
 * column of every table, a released count may be the total of the cells after it, or of all the others; a suppressed
 * cell is at least 1 (zeros are released). Where the guessed sum narrows a suppressed cell to fewer than four values,
 * it counts as a leak when the guess was right (the same line adds up in the report without disclosure control) and
 * the cell is a small count (1–9). Returns the leaks found.
 */
/** Right guesses (a line that adds up, with a suppressed cell in it) the Markdown reader has made: it is tested on something. */
let rightGuesses = 0;

function markdownLeaks(md: string, truthMd: string): string[] {
  const leaks: string[] = [];
  const tables = markdownTables(md);
  const truths = markdownTables(truthMd);
  tables.forEach((table, ti) => {
    const truth = truths[ti];
    if (truth === undefined || truth.length !== table.length || truth.some((r, i) => r.length !== table[i]?.length)) return;
    const width = table[0]?.length ?? 0;
    const lines: [string, number[][]][] = [
      ...table.slice(1).map((_, r): [string, number[][]] => [`table ${ti} row ${r + 1}`, Array.from({ length: width }, (_, c) => [r + 1, c])]),
      ...Array.from({ length: width }, (_, c): [string, number[][]] => [`table ${ti} column ${c}`, table.slice(1).map((_, r) => [r + 1, c])]),
    ];
    // A column whose header names a statistic holds no counts (a PPV of 1 prints as "1").
    const statistic = (table[0] ?? []).map((h) =>
      /sensitivity|specificity|ppv|npv|rate|auroc|risk|share|benefit|slope|intercept|o\/e|%|median|iqr|\bci\b/i.test(h),
    );
    const read = (rows: string[][], r: number, c: number) => (statistic[c] === true ? null : readCell(rows[r]?.[c] ?? ''));
    for (const [where, positions] of lines) {
      const shown = positions.map(([r, c]) => read(table, r as number, c as number));
      const real = positions.map(([r, c]) => read(truth, r as number, c as number));
      shown.forEach((total, i) => {
        if (typeof total !== 'number') return;
        const others = shown.map((_, j) => j).filter((j) => j !== i && shown[j] !== null);
        for (const parts of [others, others.filter((j) => j > i)]) {
          const unknown = parts.filter((j) => shown[j] === 'S');
          if (unknown.length === 0 || parts.some((j) => typeof real[j] !== 'number')) continue;
          const additive = real[i] === parts.reduce((a, j) => a + (real[j] as number), 0);
          if (!additive) continue;
          rightGuesses++;
          const rest = total - parts.reduce((a, j) => a + (typeof shown[j] === 'number' ? (shown[j] as number) : 0), 0);
          // One unknown is the rest exactly; several are each at least 1, so each at most the rest less the others' 1s.
          const hi = rest - (unknown.length - 1);
          const lo = unknown.length === 1 ? rest : 1;
          for (const j of unknown) {
            const v = real[j] as number;
            if (hi - lo < 3 && v >= 1 && v <= 9) leaks.push(`${where}: cell ${j} (${v}) narrowed to ${lo}–${hi}`);
          }
        }
      });
    }
  });
  return [...new Set(leaks)];
}

describe('disclosure control survives an attacker who subtracts', () => {
  it('a reader of the Markdown alone, guessing sums along rows and columns, narrows no small count to fewer than four values', () => {
    // The reader can fail: a table whose suppressed cell is its row's total minus the rest is caught.
    expect(markdownLeaks('| a | b | c |\n|---|---|---|\n| 20 | 15 | ‹suppressed› |\n', '| a | b | c |\n|---|---|---|\n| 20 | 15 | 5 |\n')).toEqual([
      'table 0 row 1: cell 2 (5) narrowed to 5–5',
    ]);
    fc.assert(
      fc.property(cohortArb, (c) => {
        const report = reportOf(c);
        const truth = reportOf(c, false);
        if (report === null || truth === null || !report.disclosure.releasable) return;
        const leaks = markdownLeaks(renderMarkdown(report), renderMarkdown(truth));
        expect(leaks, leaks.join('; ')).toEqual([]);
      }),
      { numRuns: Number(process.env.EWSKIT_ATTACK_RUNS ?? 12), seed: Number(process.env.EWSKIT_ATTACK_SEED ?? 20261206) },
    );
    expect(rightGuesses).toBeGreaterThan(1);
  });

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
        const report = reportOf(c);
        if (report === null) return;
        const recovered = attack(report, reportOf(c, false));
        expect(recovered, `recovered ${recovered.join(', ')}`).toEqual([]);
      }),
      // 60 cohorts in the suite; EWSKIT_ATTACK_RUNS=2000 for the long run (README, "Disclosure control").
      { numRuns: Number(process.env.EWSKIT_ATTACK_RUNS ?? 60), seed: Number(process.env.EWSKIT_ATTACK_SEED ?? 20261129) },
    );
  });

  it('an LP attacker with the bounds (a suppressed small count is 1–9) narrows no small count to fewer than 4 values, across small random cohorts', async () => {
    const { default: loader } = await import('highs');
    const highs = await loader();
    fc.assert(
      fc.property(cohortArb, (c) => {
        const report = reportOf(c);
        if (report === null) return;
        // The policy's protection width (ewskit, threshold 10): 3 — four values or more.
        expect(report.disclosure.audit?.protectionWidth).toBe(3);
        const narrowed = attacker(report).a.narrowed(highs, 3);
        // A report the audit could not protect (a cohort so small that every count around a small one is small too)
        // says so: it is not releasable. A releasable report has no count the attacker narrows.
        if (report.disclosure.releasable) expect(narrowed, `narrowed ${narrowed.join(', ')}`).toEqual([]);
        else expect(report.disclosure.audit?.unprotected).toBeGreaterThan(0);
      }),
      { numRuns: Number(process.env.EWSKIT_ATTACK_RUNS ?? 12), seed: Number(process.env.EWSKIT_ATTACK_SEED ?? 20261206) },
    );
  });

  it('the bounds attack the elimination alone misses: C + V = 2 with each at least 1 gives C = V = 1 (the attacker can fail)', async () => {
    const { default: loader } = await import('highs');
    const highs = await loader();
    const a = new Attacker();
    const C = { suppressed: true as const, rule: 'a count below 10' };
    a.sum(
      'consciousness',
      [939, 'total'],
      [
        [916, 'A'],
        [21, 'new confusion'],
        [C, 'C'],
        [C, 'V'],
      ],
    );
    expect(a.recovered()).toEqual([]); // one relation, two unknowns: no elimination finds them
    expect(a.narrowed(highs, 3).sort()).toEqual(['C', 'V']);
  });
});
