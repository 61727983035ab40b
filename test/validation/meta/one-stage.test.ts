/**
 * One-stage pooling: the sites' count tables added give the pooled AUROC, sensitivity and specificity — and their
 * patient-clustered intervals — of `validate` on every site's rows together, to the last bit for a points score; a
 * patient seen at two sites keeps one Poisson weight, so the pooled intervals stay clustered by patient.
 */
import { escape, fromArrow } from 'arquero';
import type { Table } from 'apache-arrow';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { mews } from '../../../scores/catalogue/mews.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { cohortScoreCounts } from '../../../validation/study/count-tables.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { drawSites, siteCohortOptions } from '../../../validation/cohort/sites.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { combineSummaries } from '../../../validation/meta/combine.js';
import { concatCohorts } from '../../../validation/meta/iecv.js';
import { oneStage } from '../../../validation/meta/one-stage.js';
import { summariseSite } from '../../../validation/meta/site-summary.js';
import type { SiteSummary } from '../../../validation/meta/site-summary.js';
import type { CohortTables } from '../../../validation/study/options.js';
import { validate } from '../../../validation/study/validate.js';
import { pooledReport } from '../../../validation/engine/pooled-report.js';
import { engineReport, jsEngineCounts } from '../../../validation/engine/engine-study.js';

const B = 150;
const seed = 6;
const sites = drawSites(3, 21).map((e) => ({
  site: e.site,
  cohort: generateCohort({ ...siteCohortOptions({ profile: 'india-apollo' }, e), encounters: 500 }),
}));

/** The report's AUROC and first rule's sensitivity and specificity of NEWS2, released (disclosure off). */
function pooledByValidate(cohort: CohortTables) {
  const r = validate({ cohort, scores: [news2], bootstrap: { B, seed }, disclosure: { policy: 'none' } });
  const s = r.scores[0];
  const a = s?.auroc;
  const t = s?.thresholds[0];
  if (a === undefined || isSuppressed(a) || !a.defined || t === undefined) throw new Error('expected NEWS2 results');
  const cell = (c: unknown) => c as { estimate: number; ci: readonly [number, number] };
  const nb = s?.netBenefit
    .filter((n) => n.rule === t.label)
    .map((n) => ({ threshold: n.threshold, cell: n.cell as { netBenefit: { estimate: number; ci: readonly [number, number] } } }));
  return {
    auroc: { estimate: a.estimate, ci: a.ci },
    sensitivity: cell(t.sensitivity),
    specificity: cell(t.specificity),
    ppv: cell(t.ppv),
    npv: cell(t.npv),
    alertRate: cell(t.alertRate),
    netBenefit: nb ?? [],
    rule: t.label,
  };
}

describe('combineSummaries with count tables: one-stage pooling', () => {
  const summaries = sites.map((s) =>
    summariseSite({ cohort: s.cohort, scores: [news2], bootstrap: { B, seed }, disclosure: { policy: 'none' }, site: s.site, countTables: true }),
  );
  const combined = combineSummaries(summaries);

  it('equals validate on all sites’ rows together: AUROC, sensitivity and specificity with their clustered intervals', () => {
    const expected = pooledByValidate(concatCohorts(sites.map((s) => s.cohort)));
    const got = combined.oneStage?.scores[0];
    expect(got?.exact).toBe(true);
    expect(got?.auroc).toEqual({ estimate: expected.auroc.estimate, ci: expected.auroc.ci });
    const t = got?.thresholds.find((x) => x.rule === expected.rule);
    expect(t?.sensitivity).toEqual({ estimate: expected.sensitivity.estimate, ci: expected.sensitivity.ci });
    expect(t?.specificity).toEqual({ estimate: expected.specificity.estimate, ci: expected.specificity.ci });
    for (const k of ['ppv', 'npv', 'alertRate'] as const) expect(t?.[k]).toEqual({ estimate: expected[k].estimate, ci: expected[k].ci });
    expect(expected.netBenefit.length).toBeGreaterThan(0);
    for (const nb of expected.netBenefit)
      expect(t?.netBenefit.find((x) => x.threshold === nb.threshold)?.value).toEqual({ estimate: nb.cell.netBenefit.estimate, ci: nb.cell.netBenefit.ci });
    expect(combined.oneStage?.releasable).toBe(false);
  });

  it('Table 1 of all sites’ patients together is validate’s on all the rows (the sites’ characteristics tables added)', () => {
    const all = validate({ cohort: concatCohorts(sites.map((s) => s.cohort)), scores: [news2], bootstrap: false, disclosure: { policy: 'none' } });
    expect(combined.oneStage?.characteristics).toEqual(all.characteristics);
    expect(all.characteristics.encounters.length).toBeGreaterThan(0);
    // Grouped: each site's table by sex, added, is the pooled table by sex.
    const grouped = sites.map((s) =>
      summariseSite({
        cohort: s.cohort,
        scores: [news2],
        groupBy: ['sex'],
        bootstrap: { B: 20, seed },
        disclosure: { policy: 'none' },
        site: s.site,
        countTables: true,
      }),
    );
    const pooled = combineSummaries(grouped).oneStage?.characteristics;
    const bySex = validate({
      cohort: concatCohorts(sites.map((s) => s.cohort)),
      scores: [news2],
      groupBy: ['sex'],
      bootstrap: false,
      disclosure: { policy: 'none' },
    });
    expect(pooled?.columns.length).toBeGreaterThan(3);
    expect(pooled).toEqual(bySex.characteristics);
  });

  it('the flow of all sites’ sets together is validate’s on all the rows (the sites’ flow counts added)', () => {
    const all = validate({ cohort: concatCohorts(sites.map((s) => s.cohort)), scores: [news2], bootstrap: false, disclosure: { policy: 'none' } });
    const flow = combined.oneStage?.flow;
    if (flow === null || flow === undefined) throw new Error('expected a pooled flow');
    const total = flow.byCode.reduce((t, c) => t + c.sets, 0);
    const analysis = flow.scores.find((r) => r.score === '' && r.group === '');
    const score = flow.scores.find((r) => r.score === 'news2' && r.group === '');
    expect(total).toBe(all.flow.extract.sets);
    expect([analysis?.sets, analysis?.positive]).toEqual([all.flow.labelled.sets, all.flow.labelled.positive]);
    expect([score?.sets, score?.positive]).toEqual([all.flow.scores[0]?.analysed.sets, all.flow.scores[0]?.analysed.positive]);
    // No patient is at two of these sites: the patients add to validate's count.
    expect(analysis?.patients).toBe(all.flow.extract.patients);
    // And it is the sites' own flows added: each site's analysis sets, summed.
    expect(analysis?.sets).toBe(summaries.reduce((t, s) => t + (s.countTables?.flow?.scores.find((r) => r.score === '')?.sets ?? 0), 0));
  });

  it('the whole engine report of all sites’ patients, subgroups included, from their count tables (pooledReport)', () => {
    const grouped = sites.map((s) =>
      summariseSite({
        cohort: s.cohort,
        scores: [news2, mews],
        groupBy: ['sex'],
        bootstrap: { B: 40, seed },
        disclosure: { policy: 'none' },
        site: s.site,
        countTables: true,
      }),
    );
    const pooled = pooledReport(grouped);
    const all = concatCohorts(sites.map((s) => s.cohort));
    // The engine report of all the rows in one process: equal to validate's own numbers (test/src/engine/engines.test.ts).
    const whole = engineReport(jsEngineCounts({ cohort: all, scores: [news2, mews], groupBy: 'sex', B: 40, seed }), {
      scores: [news2, mews],
      disclosure: { policy: 'none' },
    });
    expect(pooled.groups?.levels.map((l) => l.group)).toEqual(['F', 'M']);
    for (const k of ['flow', 'characteristics', 'scores', 'comparisons', 'groups', 'alerts'] as const) expect(pooled[k], k).toEqual(whole[k]);
    // And the subgroup table is validate's: each group's AUROC and its difference from the reference.
    const v = validate({ cohort: all, scores: [news2, mews], groupBy: ['sex'], bootstrap: { B: 40, seed }, disclosure: { policy: 'none' } });
    // The alert measures too: every rule's burden, repeats, first-alert PPV, episode sensitivity and lead time with
    // their intervals, and NEWS2's monitoring compliance, from the sites' alert count tables added.
    expect(pooled.alerts).toEqual(v.alerts);
    expect(pooled.alerts?.scores.map((x) => x.rules.length)).toEqual([3, 1]); // NEWS2 ≥ 5, ≥ 7 and its red score; MEWS ≥ 5
    for (const row of v.subgroups[0]?.groups ?? []) {
      const theirs = (row.scores.news2 as { auroc: { estimate: number; ci: unknown } }).auroc;
      expect(pooled.groups?.levels.find((l) => l.group === row.group)?.scores[0]?.auroc).toEqual({ estimate: theirs.estimate, ci: theirs.ci });
    }
    // A site without count tables is named.
    const plain = summariseSite({
      cohort: sites[0]?.cohort as CohortTables,
      scores: [news2],
      bootstrap: { B: 10, seed },
      disclosure: { policy: 'none' },
      site: 'plain',
    });
    expect(() => pooledReport([plain])).toThrow(/pooledReport: site "plain" shared no count tables/);
    // A site whose summary predates the alert count table (ewskit 0.2): no pooled alert measures, and the site named.
    const [first, ...rest] = grouped as [SiteSummary, ...SiteSummary[]];
    const { alertCounts: _old, ...older } = first.countTables ?? ({} as NonNullable<SiteSummary['countTables']>);
    const mixed = pooledReport([{ ...first, countTables: older }, ...rest]);
    expect(mixed.alerts).toBeNull();
    expect(mixed.notYet).toContain(`the alert measures (not shared by site "${first.site}": summaries from ewskit 0.2 hold no alert count table)`);
  });

  it('two groupings (sex and admission type): each site shares both, and the pooled report holds both sections of the engine report of all rows', () => {
    const scores = [news2, mews];
    const grouped = sites.map((s) =>
      summariseSite({
        cohort: s.cohort,
        scores,
        groupBy: ['sex', 'admission_type'],
        bootstrap: { B: 30, seed },
        disclosure: { policy: 'none' },
        site: s.site,
        countTables: true,
      }),
    );
    expect(grouped[0]?.countTables?.moreGroupings?.length).toBe(1);
    const pooled = pooledReport(JSON.parse(JSON.stringify(grouped)) as typeof grouped);
    const all = concatCohorts(sites.map((s) => s.cohort));
    const whole = engineReport(jsEngineCounts({ cohort: all, scores, groupBy: ['sex', 'admission_type'], B: 30, seed }), {
      scores,
      disclosure: { policy: 'none' },
    });
    expect(pooled.moreGroups.map((g) => g.by)).toEqual(['admission_type']);
    for (const k of ['flow', 'characteristics', 'scores', 'comparisons', 'groups', 'moreGroups'] as const) expect(pooled[k], k).toEqual(whole[k]);
    // A site that counted other groupings is named.
    const other = summariseSite({
      cohort: sites[0]?.cohort as CohortTables,
      scores,
      groupBy: ['sex'],
      bootstrap: { B: 30, seed },
      disclosure: { policy: 'none' },
      site: 'other',
      countTables: true,
    });
    expect(() => pooledReport([...grouped.slice(1), other])).toThrow(/pooledReport: site "other" counted further groupings none, site "site-2" admission_type/);
  });

  it('a model too (Apollo-style): its packed buckets give the engine report of all rows, calibration included, and its AUROC is validate’s to within the buckets’ ties', () => {
    const scores = [news2, apolloStyle];
    const grouped = sites.map((s) =>
      summariseSite({
        cohort: s.cohort,
        scores,
        groupBy: ['sex'],
        bootstrap: { B: 40, seed },
        disclosure: { policy: 'none' },
        site: s.site,
        countTables: true,
      }),
    );
    // Shared packed, through JSON as a file would carry them.
    const read = grouped.map((g) => JSON.parse(JSON.stringify(g)) as typeof g);
    expect(read[0]?.countTables?.leftOut).toEqual([]);
    expect(read[0]?.countTables?.probabilistic).toEqual(['apollo_style', 'apollo_style|news2']);
    const pooled = pooledReport(read);
    const all = concatCohorts(sites.map((s) => s.cohort));
    const whole = engineReport(jsEngineCounts({ cohort: all, scores, groupBy: 'sex', B: 40, seed }), { scores, disclosure: { policy: 'none' } });
    for (const k of ['flow', 'characteristics', 'comparisons'] as const) expect(pooled[k], k).toEqual(whole[k]);
    const model = pooled.scores.find((x) => x.score === 'apollo_style');
    const theirs = whole.scores.find((x) => x.score === 'apollo_style');
    expect(model?.exact).toBe(false);
    expect({ ...model, calibration: null }).toEqual({ ...theirs, calibration: null });
    // The calibration fits read Σp per bucket, added across sites in another order: equal to rounding.
    const cal = (r: typeof model, k: 'observedExpected' | 'calibrationInTheLarge' | 'slope') =>
      r?.calibration?.[k] as { estimate: number; ci: [number, number] };
    for (const k of ['observedExpected', 'calibrationInTheLarge', 'slope'] as const) {
      expect(cal(model, k).estimate).toBeCloseTo(cal(theirs, k).estimate, 10);
      expect(cal(model, k).ci[0]).toBeCloseTo(cal(theirs, k).ci[0], 10);
      expect(cal(model, k).ci[1]).toBeCloseTo(cal(theirs, k).ci[1], 10);
    }
    // Each group's AUROC of the model too.
    for (const level of whole.groups?.levels ?? [])
      expect(pooled.groups?.levels.find((l) => l.group === level.group)?.scores[1]?.auroc).toEqual(level.scores[1]?.auroc);
    // The combined report's one-stage section gives the same model AUROC and calibration.
    const section = combineSummaries(read).oneStage?.scores.find((x) => x.score === 'apollo_style');
    expect(section?.auroc?.estimate).toBe((theirs?.auroc as { estimate: number }).estimate);
    expect(section?.calibration?.slope?.estimate).toBeCloseTo(cal(theirs, 'slope').estimate, 10);
    // validate's exact AUROC differs from the bucketed one only through pairs (event, non-event) in one bucket, which
    // the buckets count as ties (½) and the exact values order (0 or 1): |exact − bucketed| ≤ ½ Σ_b pos_b · neg_b / (P · N).
    const exact = validate({ cohort: all, scores: [apolloStyle], bootstrap: false, disclosure: { policy: 'none' } }).scores[0]?.auroc as { estimate: number };
    const cells = cohortScoreCounts({ cohort: all, scores: [apolloStyle], B: 0, seed }).rows;
    const P = cells.reduce((t, r) => t + r.positive, 0);
    const N = cells.reduce((t, r) => t + r.negative, 0);
    const bound = (0.5 * cells.reduce((t, r) => t + r.positive * r.negative, 0)) / (P * N);
    expect(bound).toBeGreaterThan(0);
    expect(Math.abs(exact.estimate - section!.auroc!.estimate)).toBeLessThanOrEqual(bound);
  });

  it('other units of analysis: the sites’ unit tables added give validate’s units on all rows — Obuchowski’s interval from the within-patient pairs', () => {
    const scores = [news2, apolloStyle];
    const units = ['first', 'highest-24h', 'common'] as const;
    const withUnits = sites.map((s) =>
      summariseSite({
        cohort: s.cohort,
        scores,
        units: [...units],
        bootstrap: { B: 20, seed },
        disclosure: { policy: 'none' },
        site: s.site,
        countTables: true,
      }),
    );
    // The sites share no patient (each patient is one cluster at one site): the pooled clusters are validate's.
    const keys = sites.map((s) => new Set(Array.from(s.cohort.patients?.getChild('patient_id') ?? [], String)));
    expect(keys.reduce((t, k) => t + k.size, 0)).toBe(new Set(keys.flatMap((k) => [...k])).size);
    const pooled = pooledReport(withUnits);
    const v = validate({ cohort: concatCohorts(sites.map((s) => s.cohort)), scores, units: [...units], bootstrap: false, disclosure: { policy: 'none' } });
    expect(pooled.units.map((u) => u.unit)).toEqual(v.units.map((u) => u.unit));
    type UnitCell = { sets: number; positiveSets: number; auroc: { defined: boolean; estimate: number; ci: [number, number] } };
    v.units.forEach((u, i) => {
      const want = u.scores.news2 as unknown as UnitCell;
      const got = pooled.units[i]?.scores.news2 as unknown as UnitCell;
      expect([got.sets, got.positiveSets]).toEqual([want.sets, want.positiveSets]);
      expect(got.auroc.estimate, u.unit).toBe(want.auroc.estimate);
      expect(Math.abs(got.auroc.ci[0] - want.auroc.ci[0])).toBeLessThan(1e-12);
      expect(Math.abs(got.auroc.ci[1] - want.auroc.ci[1])).toBeLessThan(1e-12);
      // The model's units are counted in its buckets of 1/10,000: the same units, its AUROC the bucketed one.
      const model = pooled.units[i]?.scores.apollo_style as unknown as UnitCell;
      const exact = u.scores.apollo_style as unknown as UnitCell;
      expect([model.sets, model.positiveSets]).toEqual([exact.sets, exact.positiveSets]);
      // Pairs of an event and a non-event unit in one bucket count as ties (½): the exact AUROC lies within
      // ½ Σ_b pos_b · neg_b / (P · N) of the bucketed one, computed here from the sites' bucket counts added.
      const cells = new Map<number, [number, number]>();
      for (const w of withUnits) {
        const c = w.countTables?.unitCounts?.units[i]?.scores.find((x) => x.score === 'apollo_style');
        c?.values.forEach((b, k) => {
          const t = cells.get(b) ?? [0, 0];
          cells.set(b, [t[0] + (c.pos[k] ?? 0), t[1] + (c.neg[k] ?? 0)]);
        });
      }
      const P = [...cells.values()].reduce((t, c) => t + c[0], 0);
      const N = [...cells.values()].reduce((t, c) => t + c[1], 0);
      expect([P, P + N]).toEqual([exact.positiveSets, exact.sets]);
      const bound = (0.5 * [...cells.values()].reduce((t, c) => t + c[0] * c[1], 0)) / (P * N);
      expect(Math.abs(model.auroc.estimate - exact.auroc.estimate)).toBeLessThanOrEqual(bound + 1e-15);
    });
  });

  it('the summaries say they hold count tables, and the two-stage summary is still there', () => {
    expect(summaries.every((s) => s.header.countTables && s.countTables !== undefined)).toBe(true);
    expect(summaries[0]?.header.statement).toMatch(/count tables/);
    expect(combined.measures.find((m) => m.measure === 'auroc')?.summary?.k).toBe(3);
  });

  it('without count tables from every site there is no one-stage pooling, and the report says why', () => {
    const plain = summariseSite({
      cohort: sites[0]?.cohort as CohortTables,
      scores: [news2],
      bootstrap: { B, seed },
      disclosure: { policy: 'none' },
      site: 'plain',
    });
    const c = combineSummaries([plain, ...summaries.slice(1)]);
    expect(c.oneStage).toBeNull();
    expect(c.warnings.join(' ')).toMatch(/count tables from 2 of 3 sites: no one-stage pooling/);
  });
});

describe('oneStage: a patient seen at two sites', () => {
  it('splitting one cohort by encounter into two sites (patients in both) gives, added, the whole cohort’s clustered intervals', () => {
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 900, seed: 13 });
    const encounters = Array.from(cohort.encounters.getChild('encounter_id') ?? [], String);
    const half = new Set(encounters.filter((_, i) => i % 2 === 0));
    const part = (t: Table, keep: boolean): Table =>
      tableFromIPC(
        fromArrow(t as never)
          .filter(escape((d: { encounter_id: string }) => half.has(String(d.encounter_id)) === keep))
          .toArrowIPC(),
      );
    const site = (keep: boolean): CohortTables => ({
      observations: part(cohort.observations, keep),
      events: part(cohort.events, keep),
      encounters: part(cohort.encounters, keep),
      patients: cohort.patients,
    });
    // Readmitted patients have encounters at both "sites".
    const bySite = [site(true), site(false)];
    const patientsOf = (c: CohortTables) => new Set(Array.from(c.encounters?.getChild('patient_id') ?? [], String));
    const [a, b] = bySite.map(patientsOf) as [Set<string>, Set<string>];
    expect([...a].filter((p) => b.has(p)).length).toBeGreaterThan(10);
    const summaries = bySite.map((c, i) =>
      summariseSite({ cohort: c, scores: [news2], bootstrap: { B, seed }, disclosure: { policy: 'none' }, site: `half-${i}`, countTables: true }),
    );
    const got = oneStage(
      summaries.map((s) => s.countTables).filter((t) => t !== undefined),
      0.95,
    ).scores[0];
    const expected = pooledByValidate(cohort);
    expect(got?.auroc?.estimate).toBe(expected.auroc.estimate);
    expect(got?.auroc?.ci).toEqual(expected.auroc.ci);
    // The alert measures' replicates hash the same patient keys: added, they are validate's on the whole cohort.
    const whole = validate({ cohort, scores: [news2], bootstrap: { B, seed }, disclosure: { policy: 'none' } });
    expect(pooledReport(summaries).alerts).toEqual(whole.alerts);
  });
});

describe('one stage pools the red-score rule, the observed risk and the comparisons of scores', () => {
  const scores = [news2, mews];
  const summaries = sites.map((s) =>
    summariseSite({ cohort: s.cohort, scores, bootstrap: { B, seed }, disclosure: { policy: 'none' }, site: s.site, countTables: true }),
  );
  const pooled = combineSummaries(summaries).oneStage;
  const all = validate({ cohort: concatCohorts(sites.map((s) => s.cohort)), scores, bootstrap: { B, seed }, disclosure: { policy: 'none' } });
  const same = (c: unknown) => ({ estimate: (c as { estimate: number }).estimate, ci: (c as { ci: unknown }).ci });

  it('the red-score rule: every rule of validate on all sites’ rows, with the same interval', () => {
    const theirs = all.scores[0]?.thresholds ?? [];
    const mine = pooled?.scores.find((s) => s.score === 'news2')?.thresholds ?? [];
    expect(mine.map((t) => t.rule)).toEqual(theirs.map((t) => t.label));
    const red = theirs.find((t) => t.label.startsWith('red score'));
    expect(red).toBeDefined();
    const got = mine.find((t) => t.rule === red?.label);
    expect(got?.sensitivity).toEqual(same(red?.sensitivity));
    expect(got?.specificity).toEqual(same(red?.specificity));
    // The pooled scores are the study's, not the tables' pseudo-scores.
    expect(pooled?.scores.map((s) => s.score)).toEqual(['news2', 'mews']);
  });

  it('a points score’s observed risk per pooled range: validate’s ranges, counts, risks and intervals', () => {
    type Row = { scores: [number, number]; cell: { sets: number; events: number; risk: unknown } };
    const theirs = (all.scores[0] as unknown as { observedRisk: Row[] }).observedRisk;
    const mine = pooled?.scores[0]?.observedRisk ?? [];
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.map((r) => r.range)).toEqual(theirs.map((r) => r.scores));
    mine.forEach((r, i) => {
      const t = theirs[i] as Row;
      expect([r.sets, r.events, r.risk]).toEqual([t.cell.sets, t.cell.events, same(t.cell.risk)]);
    });
  });

  it('the comparison of two scores on the sets both can score: validate’s AUROC difference, interval and p; its paired rules to 1e-12', () => {
    const theirs = all.comparisons[0];
    const mine = pooled?.comparisons[0];
    expect([mine?.a, mine?.b, mine?.sets]).toEqual([theirs?.a, theirs?.b, theirs?.sets]);
    const t = theirs?.cell as { estimate: number; ci: unknown; p: number };
    expect(mine?.auroc).toEqual({ estimate: t.estimate, ci: t.ci, p: t.p });
    type Metric = Record<'a' | 'b' | 'difference', { estimate: number; ci: [number, number] }>;
    const tr = theirs?.rules as unknown as Record<'sensitivity' | 'specificity' | 'alertRate', Metric>;
    for (const m of ['sensitivity', 'specificity', 'alertRate'] as const)
      for (const side of ['a', 'b', 'difference'] as const) {
        const got = mine?.rules?.[m][side] as { estimate: number; ci: [number, number] };
        const want = tr[m][side];
        for (const [x, y] of [
          [got.estimate, want.estimate],
          [got.ci[0], want.ci[0]],
          [got.ci[1], want.ci[1]],
        ])
          expect(Math.abs((x as number) - (y as number)), `${m} ${side}`).toBeLessThanOrEqual(1e-12 * Math.abs(y as number));
      }
    // At equal workload: validate's matched-alert-rate comparison on all sites' rows, to the last bit (the same counts).
    const tm = theirs?.matchedAlertRate as unknown as { defined: boolean; cutB: number | null; alertRate: number } & Record<
      'sensitivityA' | 'sensitivityB' | 'difference',
      { estimate: number; ci: unknown }
    >;
    const mm = mine?.matchedAlertRate;
    expect(tm.defined).toBe(true);
    expect([mm?.cutB, mm?.alertRate]).toEqual([tm.cutB, tm.alertRate]);
    for (const k of ['sensitivityA', 'sensitivityB', 'difference'] as const) expect(mm?.[k]).toEqual({ estimate: tm[k].estimate, ci: tm[k].ci });
  });
});
