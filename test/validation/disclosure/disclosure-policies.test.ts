/**
 * The named disclosure policies, each shown by its rules on a whole report: every count released under it obeys
 * them. Counts are found by their documented places in the report (docs/report.md), not by asking the ledger.
 */
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { renderMarkdown } from '../../../validation/report/markdown.js';
import type { ValidationReport } from '../../../validation/report/types.js';
import { Disclosure, isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { REPORT_COUNT_KEYS } from '../../helpers/report-counts.js';
import { validate } from '../../../validation/study/validate.js';

/** Every count of the report, with its place: the documented count fields, group counts and column totals. */
function counts(report: ValidationReport): { place: string; value: unknown }[] {
  const out: { place: string; value: unknown }[] = [];
  const COUNT_KEYS = REPORT_COUNT_KEYS;
  const walk = (v: unknown, place: string, countsHere: boolean): void => {
    if (isSuppressed(v)) return;
    if (typeof v === 'number') {
      if (countsHere) out.push({ place, value: v });
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${place}[${i}]`, countsHere));
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      // Group counts and column totals are counts wherever they sit; settings, provenance and the summary are not.
      if (['settings', 'disclosure', 'tripod', 'missingness'].includes(k)) continue;
      walk(
        x,
        `${place}.${k}`,
        COUNT_KEYS.has(k) ||
          k === 'byGroup' ||
          k === 'totals' ||
          (countsHere && place.endsWith('byGroup')) ||
          place.includes('.byGroup.') ||
          place.includes('.totals'),
      );
    }
  };
  walk(report, '$', false);
  return out.filter(({ place }) => !/\.(ci|naiveCi|estimate|share|missing|median|q1|q3)(\[|$)/.test(place));
}

const cohort = generateCohort({ encounters: 400, seed: 17 });
const run = (policy: 'ewskit' | 'opensafely' | 'midpoint6' | 'none') =>
  validate({ cohort, scores: [news2], bootstrap: false, groupBy: ['ethnicity'], disclosure: { policy } });

describe('disclosure policies: each shown by its rules', () => {
  it('finds the counts (so the rules below are tested on something)', () => {
    expect(counts(run('none')).length).toBeGreaterThan(200);
  });

  it('ewskit: no released count from 1 to 9; some suppressed secondarily', () => {
    const report = run('ewskit');
    for (const { place, value } of counts(report)) expect(value === 0 || (value as number) >= 10, `${place} = ${String(value)}`).toBe(true);
    expect(report.disclosure.policy).toBe('ewskit');
    expect(report.disclosure.tables.reduce((t, x) => t + x.suppressedSecondary, 0)).toBeGreaterThan(0);
  });

  it('opensafely: no released count of 7 or fewer, every released count a multiple of 5', () => {
    const report = run('opensafely');
    const found = counts(report);
    expect(found.length).toBeGreaterThan(50);
    for (const { place, value } of found) {
      expect((value as number) > 7, `${place} = ${String(value)}`).toBe(true);
      expect((value as number) % 5, `${place} = ${String(value)}`).toBe(0);
    }
    expect(report.disclosure.tables.reduce((t, x) => t + x.rounded, 0)).toBeGreaterThan(0);
  });

  it('midpoint6: every count is 0 or the midpoint of its band of 6 (3, 9, 15, …), and nothing is suppressed for its size', () => {
    const report = run('midpoint6');
    const open = counts(run('none'));
    const found = counts(report);
    for (const { place, value } of found) expect(value === 0 || ((value as number) - 3) % 6 === 0, `${place} = ${String(value)}`).toBe(true);
    // 1–6 → 3, 7–12 → 9: the rounding of each open count, by hand.
    const byPlace = new Map(found.map(({ place, value }) => [place, value]));
    for (const { place, value } of open.slice(0, 100)) {
      const v = value as number;
      if (byPlace.has(place)) expect(byPlace.get(place)).toBe(v === 0 ? 0 : Math.ceil(v / 6) * 6 - 3);
    }
  });

  it('midpoint6: a report whose rounded totals narrow a small count below four values is not releasable, and says why', () => {
    // 30 encounters: the rounded bands of a row's cells and its total narrow some counts below 10 to fewer than four
    // values (the audit's finding on this seeded cohort; the cells it lists are those).
    const tiny = validate({
      cohort: generateCohort({ profile: 'uk-leicester', encounters: 30, seed: 37 }),
      scores: [news2],
      bootstrap: false,
      groupBy: ['ethnicity'],
      disclosure: { policy: 'midpoint6' },
    });
    const a = tiny.disclosure.audit;
    expect(a?.unprotected).toBeGreaterThan(0);
    expect(a?.cells.filter((c) => c.required > 0 && (c.max ?? Infinity) - c.min < 3)).toHaveLength(a?.unprotected ?? -1);
    expect(tiny.disclosure.releasable).toBe(false);
    expect(renderMarkdown(tiny).split('\n')[2]).toMatch(/NOT FOR RELEASE — the disclosure audit found \d+ counts it could not protect/);
  });

  it('none: everything released, and every output says it is not for release', () => {
    const report = run('none');
    expect(report.disclosure.releasable).toBe(false);
    expect(report.disclosure.suppressedCells).toEqual({});
    const md = renderMarkdown(report);
    expect(md.split('\n')[2]).toMatch(/NOT FOR RELEASE/);
    expect(md.trimEnd().split('\n').at(-1)).toMatch(/NOT FOR RELEASE/);
    expect(run('ewskit').disclosure.releasable).toBe(true);
    expect(renderMarkdown(run('ewskit'))).not.toMatch(/NOT FOR RELEASE/);
  });

  it('Table 1: a small missing count withholds its share, not the median beside it', () => {
    const released = run('ewskit');
    const truth = run('none');
    const kept: string[] = [];
    released.characteristics.sets.forEach((row, r) =>
      row.cells.forEach((cell, col) => {
        if (isSuppressed(cell) || !('quartiles' in cell) || !isSuppressed(cell.missing) || cell.quartiles === null || isSuppressed(cell.quartiles)) return;
        const t = truth.characteristics.sets[r]?.cells[col];
        const total = truth.characteristics.totals.sets[col];
        if (t === undefined || isSuppressed(t) || !('quartiles' in t) || typeof total !== 'number' || isSuppressed(t.missing)) return;
        // The true missing count, from the uncontrolled report: its share times the column's sets.
        kept.push(`${row.variable}[${col}]: ${Math.round(t.missing * total)} missing`);
        // Its quartiles are the uncontrolled report's.
        expect(cell.quartiles).toEqual(t.quartiles);
      }),
    );
    expect(kept.length, kept.join('; ')).toBeGreaterThan(0);
  });

  it('the output-checking summary lists every table with what was suppressed and why', () => {
    const report = run('ewskit');
    const tables = report.disclosure.tables.map((t) => t.table);
    for (const t of ['flow', 'characteristics', 'cohort', 'thresholds: NEWS2', 'subgroups: ethnicity', 'outcomes']) expect(tables).toContain(t);
    expect(renderMarkdown(report)).toContain('## Output checking');
    expect(report.disclosure.relations).toBeGreaterThan(50);
  });

  it('rejects an unknown policy, naming it', () => {
    expect(() => validate({ cohort, scores: [news2], disclosure: { policy: 'strict' as never } })).toThrow(
      /validate: option "disclosure.policy" expected 'ewskit', 'opensafely', 'midpoint6' or 'none'; received string "strict"/,
    );
  });
});

/** The value at a JSON path of the report (`flow.scores[0].excluded[4].positive`). */
function at(report: unknown, path: string): unknown {
  let v: unknown = report;
  for (const token of path.match(/[^.[\]]+/g) ?? []) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[token] : undefined;
  return v;
}

describe('the audit lists every count not released exactly, where it is, with an interval that holds its true value', () => {
  const truth = run('none');
  for (const policy of ['ewskit', 'midpoint6'] as const)
    it(`${policy}: each listed count's path leads to it in the report, and its true value lies in its feasible interval`, () => {
      const report = run(policy);
      const audit = report.disclosure.audit;
      if (audit === null) throw new Error('expected an audit (the test setup loads the solver)');
      expect(audit.cells.length).toBeGreaterThan(0);
      let checked = 0;
      for (const c of audit.cells) {
        if (c.path === null) continue;
        const shown = at(report, c.path);
        // Under a policy that suppresses, the count is suppressed where it sits (or inside a suppressed statistic);
        // under midpoint6, released in its band.
        if (policy === 'ewskit') expect(isSuppressed(shown) || shown === undefined, c.path).toBe(true);
        else expect(c.suppressed).toBe('rounded');
        const value = at(truth, c.path);
        if (typeof value !== 'number') continue;
        expect(value, c.path).toBeGreaterThanOrEqual(c.min);
        if (c.max !== null) expect(value, c.path).toBeLessThanOrEqual(c.max);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
      // midpoint6 suppresses nothing for its size: the audit reports how far the bands narrow a small count (its
      // width stated per policy), never suppresses.
      if (policy === 'midpoint6') expect(audit.addedSuppressions).toBe(0);
      expect(audit.protectionWidth).toBe(3);
    });
});

describe('Disclosure: the ledger on a table by hand', () => {
  it('a 2×2 table with one small cell: its row and column partners are suppressed, and a total is never the only unknown', () => {
    const sdc = new Disclosure();
    const table = { table: '2×2' };
    sdc.declareTable({ name: '2×2', dimensions: ['row', 'column'], margins: 'rows and columns add up to their margins, the margins to the total' });
    // Cells a=4, b=40, c=50, d=60; rows a+b=44, c+d=110; columns a+c=54, b+d=100; total 154.
    const [a, b, c, d] = [4, 40, 50, 60].map((n) => sdc.count(n, table));
    const [r1, r2, c1, c2, t] = [44, 110, 54, 100, 154].map((n) => sdc.count(n, table));
    sdc.relation(r1, [a, b]);
    sdc.relation(r2, [c, d]);
    sdc.relation(c1, [a, c]);
    sdc.relation(c2, [b, d]);
    sdc.relation(t, [r1, r2]);
    sdc.relation(t, [c1, c2]);
    const out = sdc.resolve({ a, b, c, d, r1, r2, c1, c2, t });
    expect(isSuppressed(out.a)).toBe(true);
    // a is protected: with a suppressed, at least one more cell in its row and in its column.
    const suppressed = Object.entries(out)
      .filter(([, v]) => isSuppressed(v))
      .map(([k]) => k);
    expect(suppressed.some((k) => ['b', 'r1'].includes(k))).toBe(true);
    expect(suppressed.some((k) => ['c', 'c1'].includes(k))).toBe(true);
    // The cheapest protection: the 2×2 rectangle a, b, c, d — not the margins.
    expect(suppressed.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a declared relation that does not hold for the true counts stops the report, naming its counts', () => {
    const sdc = new Disclosure();
    sdc.declareTable({ name: 't', dimensions: ['x'], margins: 'total = a + b' });
    const [total, a, b] = [50, 20, 20].map((n) => sdc.count(n, { table: 't' }));
    sdc.relation(total, [a, b]); // 50 ≠ 20 + 20: a defect of the code that declared it
    expect(() => sdc.resolve({ total, a, b })).toThrow(/a declared relation does not hold: total \(50\) is the sum of a, b \(40\)/);
  });

  it('a total the report does not show, and that is not small, is an unknown — not a count to protect', () => {
    // The extract's groups are not shown: 100 = 60 + 40 tells a reader nothing, so 60 and 40 stay released (the
    // ledger used to treat the hidden 100 as a suppressed count and suppress the 40 to hide it).
    const sdc = new Disclosure();
    sdc.declareTable({ name: 't', dimensions: ['step'], margins: 'the hidden total is the sum of the steps' });
    const hidden = sdc.count(100, { hidden: true });
    const [a, b] = [60, 40].map((n) => sdc.count(n, { table: 't' }));
    sdc.relation(hidden, [a, b]);
    expect(sdc.resolve({ a, b })).toEqual({ a: 60, b: 40 });
    // Small, it is protected like a suppressed count: units of no group, 30 − 24 = 6, would be a small count given away
    // by subtraction, so the total or the part goes too.
    const small = new Disclosure();
    small.declareTable({ name: 't', dimensions: ['group'], margins: 'the total is the groups and the units of no group (not shown)' });
    const total = small.count(30, { table: 't' });
    const part = small.count(24, { table: 't' });
    small.remainder(total, [part]);
    const out = small.resolve({ total, part });
    expect([out.total, out.part].filter(isSuppressed)).toHaveLength(1);
    expect(small.summary().audit?.cells.find((c) => c.table === '(not shown)')).toMatchObject({ required: 3, suppressed: 'not shown', min: 0 });
  });

  it('a statistic derived from a suppressed count is suppressed with it', () => {
    const sdc = new Disclosure();
    sdc.declareTable({ name: 'rates', dimensions: ['count (events, sets)', 'statistic (rate)'], margins: 'none' });
    const events = sdc.count(5, { table: 'rates' });
    const sets = sdc.count(200, { table: 'rates' });
    const rate = sdc.release(0.025, { events: 50, patients: 50 }, { table: 'rates', dependsOn: [events, sets] });
    const out = sdc.resolve({ events, sets, rate });
    expect(out.rate).toEqual({ suppressed: true, rule: 'derived from a suppressed count' });
    expect(out.sets).toBe(200);
  });

  it('a count in no declared table, or a relation between tables never linked, stops the report', () => {
    const stray = new Disclosure();
    stray.count(12);
    expect(() => stray.resolve({})).toThrow(/structure is not declared: a count belongs to no table/);
    const undeclared = new Disclosure();
    undeclared.count(12, { table: 'flow' });
    expect(() => undeclared.resolve({})).toThrow(/table "flow" was never declared/);
    const unlinked = new Disclosure();
    unlinked.declareTable({ name: 'a', dimensions: ['x'], margins: '' });
    unlinked.declareTable({ name: 'b', dimensions: ['x'], margins: '' });
    const [x, y] = [unlinked.count(12, { table: 'a' }), unlinked.count(12, { table: 'b' })];
    unlinked.relation(x, [y]);
    expect(() => unlinked.resolve({})).toThrow(/a relation joins tables "a" and "b", which were never linked/);
    unlinked.link('a', 'b', 'the same count');
    expect(unlinked.resolve({ x, y })).toEqual({ x: 12, y: 12 });
    expect(unlinked.summary().links).toEqual([{ tables: ['a', 'b'], meaning: 'the same count' }]);
  });

  it('every count and statistic of a whole report is in a declared table with dimensions, and each link names two declared tables', () => {
    const report = validate({ cohort, scores: [news2], bootstrap: false, groupBy: ['ethnicity', ['ethnicity', 'sex']], units: ['first'], missing: 'both' });
    const declared = new Set(report.disclosure.tables.map((t) => t.table));
    for (const t of report.disclosure.tables) expect(t.dimensions.length, t.table).toBeGreaterThan(0);
    for (const l of report.disclosure.links) for (const t of l.tables) expect(declared.has(t) || t.startsWith('bands: '), t).toBe(true);
    // The cross-table relations of the issue, each declared: Table 1 ↔ flow (column totals, missing inputs),
    // subgroups ↔ flow (sets, positive sets, patients).
    const pairs = report.disclosure.links.map((l) => l.tables.join(' ↔ '));
    expect(pairs).toContain('characteristics ↔ flow');
    expect(pairs).toContain('flow ↔ subgroups: ethnicity');
  });
});
