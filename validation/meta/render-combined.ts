/**
 * The combined multi-site report as a document (Markdown and one self-contained HTML page with a forest plot per
 * score): who contributed, then per score the random-effects summary of each measure with its interval, the prediction
 * interval for a new site, τ and I², and every site's row — so heterogeneity is read beside the pooled number, never
 * instead of it. Same combined report → same bytes.
 */
import type { ReportDocument } from '../report/document.js';
import { DocumentBuilder } from '../report/document.js';
import { characteristicRows } from '../report/sections.js';
import { LABEL_EXCLUSIONS } from '../outcomes/label-outcomes.js';
import { documentToMarkdown } from '../report/markdown.js';
import type { FigureSpec } from '../report/figures.js';
import { drawn, withheldFigure } from '../report/figures.js';
import { isSuppressed } from '../disclosure/disclosure.js';
import type { CombinedMeasure, CombinedReport } from './combine.js';
import type { SiteMeasureName } from './site-summary.js';

const MEASURE_LABEL: Readonly<Record<SiteMeasureName, string>> = {
  auroc: 'AUROC',
  oe: 'O/E',
  citl: 'calibration intercept',
  slope: 'calibration slope',
  sensitivity: 'sensitivity',
  specificity: 'specificity',
  netBenefit: 'net benefit',
};

/** A measure's name with its rule and threshold. */
export function measureLabel(m: Pick<CombinedMeasure, 'measure' | 'rule' | 'threshold'>): string {
  const base = MEASURE_LABEL[m.measure];
  if (m.measure === 'netBenefit') return `${base}, ${m.rule ?? ''}, pₜ = ${m.threshold ?? ''}`;
  return m.rule === null ? base : `${base}, ${m.rule}`;
}

const f3 = (x: number): string => x.toFixed(3);
const interval = (ci: readonly [number, number] | null): string => (ci === null ? '—' : `${f3(ci[0])} to ${f3(ci[1])}`);
const count = (c: unknown): string => (isSuppressed(c) ? 'suppressed' : typeof c === 'number' ? c.toLocaleString('en-GB') : '—');

/** The combined report as a document. Runs in O(sites × measures). */
export function combinedDocument(report: CombinedReport): ReportDocument {
  const names = new Map(report.common.definitions.map((d) => [d.id, d.name]));
  const b = new DocumentBuilder(`Multi-site validation — ${report.common.definitions.map((d) => d.name).join(', ')}`);
  if (!report.releasable) b.paragraph('**NOT FOR RELEASE**: a site summary was not releasable (see the sites table).');
  b.paragraph(
    `${report.sites.length} site${report.sites.length === 1 ? '' : 's'}; outcome within ${report.common.outcome.horizonHours} h (${Array.isArray(report.common.outcome.eventTypes) ? report.common.outcome.eventTypes.join(', ') : 'any event'}); ${Math.round(report.common.level * 100)} % intervals; disclosure policy ${report.common.disclosure.policy} at every site. Method: ${report.method.description}.`,
  );
  for (const w of report.warnings) b.paragraph(`Warning: ${w}.`);
  b.section('sites', 'Sites');
  b.table(
    ['Site', 'Patients', 'Encounters', 'Analysed sets', 'Positive sets', 'Releasable'],
    report.sites.map((s) => [s.site, count(s.patients), count(s.encounters), count(s.analysedSets), count(s.positiveSets), s.releasable ? 'yes' : 'no']),
  );
  if (report.oneStage !== null) {
    const o = report.oneStage;
    b.section('one-stage', 'One stage: all sites’ patients as one cohort');
    b.paragraph(
      `**Not yet checked for release**: computed from the sites’ count tables, outside their disclosure control. The tables added are the table of every site’s patients together, so these are the values \`validate\` gives on all the rows, with patient-clustered intervals from the same Poisson replicates (B = ${o.B}, seed ${o.seed}); a patient seen at several sites under one pseudonym is one cluster.${o.scores.some((sc) => !sc.exact) ? ' A model’s probabilities are shared in buckets of 1/10,000: its AUROC is the bucketed one (pairs in one bucket count as ties), and its calibration is fitted on the buckets, each at its sets’ mean probability.' : ''}${o.leftOut.length === 0 ? '' : ` Not pooled in one stage (their summaries, from ewskit 0.2, did not share model probabilities): ${o.leftOut.join(', ')}.`}`,
    );
    const names = new Map(report.common.definitions.map((d) => [d.id, d.name]));
    const cell = (e: { estimate: number; ci: readonly [number, number] | null } | null) => (e === null ? 'undefined' : `${f3(e.estimate)} (${interval(e.ci)})`);
    b.table(
      ['Score', 'Measure', 'Pooled (95 % CI)', 'Sets', 'Positive sets'],
      o.scores.flatMap((sc) => [
        [names.get(sc.score) ?? sc.score, 'AUROC', cell(sc.auroc), sc.sets.toLocaleString('en-GB'), sc.positive.toLocaleString('en-GB')],
        ...sc.thresholds.flatMap((t) => [
          [names.get(sc.score) ?? sc.score, `sensitivity, ${t.rule}`, cell(t.sensitivity), '', ''],
          [names.get(sc.score) ?? sc.score, `specificity, ${t.rule}`, cell(t.specificity), '', ''],
          [names.get(sc.score) ?? sc.score, `PPV, ${t.rule}`, cell(t.ppv), '', ''],
          [names.get(sc.score) ?? sc.score, `NPV, ${t.rule}`, cell(t.npv), '', ''],
          [names.get(sc.score) ?? sc.score, `alert rate, ${t.rule}`, cell(t.alertRate), '', ''],
          ...t.netBenefit.map((nb) => [names.get(sc.score) ?? sc.score, `net benefit, ${t.rule}, pₜ = ${nb.threshold}`, cell(nb.value), '', '']),
        ]),
        // A model's calibration on all sites' sets; a points score's, its observed risk per pooled range of values.
        ...(sc.calibration === null
          ? []
          : [
              [names.get(sc.score) ?? sc.score, 'observed / expected events', cell(sc.calibration.observedExpected), '', ''],
              [names.get(sc.score) ?? sc.score, 'calibration-in-the-large (0 is ideal)', cell(sc.calibration.calibrationInTheLarge), '', ''],
              [names.get(sc.score) ?? sc.score, 'calibration slope (1 is ideal)', cell(sc.calibration.slope), '', ''],
            ]),
        ...sc.observedRisk.map((r) => [
          names.get(sc.score) ?? sc.score,
          `observed risk, score ${r.range[0] === r.range[1] ? r.range[0] : `${r.range[0]}–${r.range[1]}`}`,
          cell(r.risk),
          r.sets.toLocaleString('en-GB'),
          r.events.toLocaleString('en-GB'),
        ]),
      ]),
    );
    const flow = o.flow;
    if (flow !== null) {
      const n = (x: number) => x.toLocaleString('en-GB');
      const ofCode = (code: number) => flow.byCode.filter((c) => c.code === code).reduce((t, c) => t + c.sets, 0);
      const analysis = flow.scores.filter((r) => r.group === '');
      b.paragraph('The flow of all sites’ sets together (the sites’ flow counts added; a patient seen at two sites is counted at each).');
      b.table(
        ['Step', 'Sets', 'Positive sets', 'Patients'],
        [
          ['observation sets', n(flow.byCode.reduce((t, c) => t + c.sets, 0)), '', ''],
          ...LABEL_EXCLUSIONS.map((step, code) => [step, n(ofCode(code)), code === 0 ? n(flow.byCode.find((c) => c.code === 0)?.positive ?? 0) : '', '']),
          ...analysis.map((r) => [
            r.score === '' ? 'analysis sets (labelled, with a patient)' : `analysable by ${names.get(r.score) ?? r.score}`,
            n(r.sets),
            n(r.positive),
            n(r.patients),
          ]),
        ],
      );
    }
    const t1 = o.characteristics;
    if (t1 !== null) {
      b.paragraph(
        'Table 1 of all sites’ patients together (the sites’ characteristics tables added): the analysed encounters, each at its first analysed set, and the score inputs over the analysed sets.',
      );
      const totals = (label: string, cells: readonly unknown[]) => [label, ...cells.map((c) => (typeof c === 'number' ? c.toLocaleString('en-GB') : '—'))];
      if (t1.encounters.length > 0) b.table(['Encounters', ...t1.columns], [totals('encounters', t1.totals.encounters), ...characteristicRows(t1.encounters)]);
      if (t1.sets.length > 0) b.table(['Sets', ...t1.columns], [totals('sets', t1.totals.sets), ...characteristicRows(t1.sets)]);
    }
    if (o.comparisons.length > 0) {
      b.paragraph(
        'Each pair of scores on the sets both can score, paired (the same replicates): the AUROC difference a − b, and each at its first clinical cut-off with b − a.',
      );
      b.table(
        ['a', 'b', 'Measure', 'Pooled (95 % CI)', 'Sets'],
        o.comparisons.flatMap((c) => {
          const [a, bName] = [names.get(c.a) ?? c.a, names.get(c.b) ?? c.b];
          const r = c.rules;
          return [
            [
              a,
              bName,
              `AUROC a − b${c.auroc?.p === null || c.auroc === null ? '' : ` (p = ${c.auroc.p < 0.001 ? '< 0.001' : c.auroc.p.toFixed(3)})`}`,
              cell(c.auroc),
              c.sets.toLocaleString('en-GB'),
            ],
            ...(r === null
              ? []
              : (['sensitivity', 'specificity', 'alertRate'] as const).flatMap((m) => [
                  [a, bName, `${m === 'alertRate' ? 'alert rate' : m}, ${r.ruleA}`, cell(r[m].a), ''],
                  [a, bName, `${m === 'alertRate' ? 'alert rate' : m}, ${r.ruleB}`, cell(r[m].b), ''],
                  [a, bName, `${m === 'alertRate' ? 'alert rate' : m}, b − a`, cell(r[m].difference), ''],
                ])),
            // At equal workload: b at the cut-off where it alerts on no more of the sets than a at its rule.
            ...(c.matchedAlertRate === null
              ? []
              : [
                  [
                    a,
                    bName,
                    `sensitivity, ${c.matchedAlertRate.ruleA} (alerts on ${(100 * c.matchedAlertRate.alertRate).toFixed(1)} %)`,
                    cell(c.matchedAlertRate.sensitivityA),
                    '',
                  ],
                  [
                    a,
                    bName,
                    `sensitivity, b ${c.matchedAlertRate.cutB === null ? '(no cut-off matches)' : `≥ ${c.matchedAlertRate.cutB}`} (alerts on ${(100 * c.matchedAlertRate.alertRateB).toFixed(1)} %)`,
                    cell(c.matchedAlertRate.sensitivityB),
                    '',
                  ],
                  [a, bName, 'sensitivity at equal workload, b − a', cell(c.matchedAlertRate.difference), ''],
                ]),
          ];
        }),
      );
    }
  }
  // Beside case mix, each site's performance: every score's AUROC, and O/E where the score has one (a model).
  const siteEstimate = (site: string, score: string, measure: string) =>
    report.measures.find((m) => m.score === score && m.measure === measure)?.sites.find((r) => r.site === site)?.estimate;
  const performance = report.common.definitions.flatMap((d) =>
    (['auroc', 'oe'] as const)
      .filter((measure) => report.measures.some((m) => m.score === d.id && m.measure === measure))
      .map((measure) => ({ header: `${d.name} ${measure === 'auroc' ? 'AUROC' : 'O/E'}`, cell: (site: string) => siteEstimate(site, d.id, measure) })),
  );
  const performanceCells = (site: string): string[] =>
    performance.map((p) => {
      const v = p.cell(site);
      return v === undefined ? '—' : f3(v);
    });
  if (report.caseMix !== undefined) {
    b.section('case-mix', 'Case mix and transportability');
    b.paragraph(
      'Membership model (Debray et al. 2015): the AUROC with which case mix at the first set (age, comorbidity count, first vital signs) tells each held-out site from the sites its fold was fitted on. Near 0.5 the held-out site resembles them, and its performance speaks to reproducibility; near 1 it differs, and it speaks to transportability.',
    );
    b.table(
      ['Held-out site', 'Membership AUROC', ...performance.map((p) => p.header)],
      report.caseMix.map((c) => [c.site, c.membershipAuroc === null ? 'undefined' : f3(c.membershipAuroc), ...performanceCells(c.site)]),
    );
  }
  if (report.caseMixDistance !== undefined) {
    b.section('case-mix-distance', 'Case mix: how far each site is from the others');
    b.paragraph(
      'From each site’s released means and covariances of case mix at the first set (age, comorbidity count, first vital signs): the Mahalanobis distance Δ of the site’s mean from the other sites’ together, and Φ(Δ/√2) — the AUROC a linear discriminant would reach if case mix were normal with a common covariance (the membership model of Debray et al. 2015, in closed form). Near 0.5 the site resembles the others and its performance speaks to reproducibility; towards 1 it differs, and it speaks to transportability. Case mix is not normal: read it as a distance on the AUROC scale.',
    );
    b.table(
      ['Site', 'Encounters', 'Mahalanobis Δ', 'Membership AUROC (binormal)', ...performance.map((p) => p.header)],
      report.caseMixDistance.map((c) => [
        c.site,
        c.encounters === null ? '—' : String(c.encounters),
        c.distance.defined ? f3(c.distance.mahalanobis) : `undefined (${c.distance.reason})`,
        c.distance.defined ? f3(c.distance.auroc) : '—',
        ...performanceCells(c.site),
      ]),
    );
  }
  for (const def of report.common.definitions) {
    const measures = report.measures.filter((m) => m.score === def.id);
    b.section(`meta-analysis:${def.id}`, `${def.name} across sites`);
    b.paragraph(
      'The summary is the random-effects mean; the prediction interval is where the measure is expected to fall at a new site like these. τ is the between-site SD on the pooling scale (logit for AUROC, sensitivity and specificity; log for O/E).',
    );
    b.table(
      ['Measure', 'Sites', 'Summary', 'CI', 'Prediction interval', 'τ', 'I² %', 'Kept out'],
      measures.map((m) => {
        const s = m.summary;
        return [
          measureLabel(m),
          String(s?.k ?? 0),
          s === null ? '—' : f3(s.estimate),
          s === null ? '—' : interval(s.ci),
          s === null ? '—' : interval(s.pi),
          s?.pooled.tau === null || s === null ? '—' : f3(s.pooled.tau),
          s?.pooled.i2 === null || s === null ? '—' : s.pooled.i2.toFixed(1),
          m.excluded.length === 0 ? '—' : m.excluded.map((e) => `${e.site} (${e.reason})`).join('; '),
        ];
      }),
    );
    const headline = measures.filter((m) => m.measure !== 'netBenefit');
    b.paragraph(`Per site (${names.get(def.id) ?? def.id}): estimate (CI) and share of the random-effects weight.`);
    b.table(
      ['Measure', ...report.sites.map((s) => s.site)],
      headline.map((m) => [
        measureLabel(m),
        ...report.sites.map((site) => {
          const r = m.sites.find((x) => x.site === site.site);
          if (r === undefined) return m.excluded.find((e) => e.site === site.site)?.reason ?? '—';
          return `${f3(r.estimate)} (${interval(r.ci)}) · ${r.weight === null ? '—' : `${(100 * r.weight).toFixed(0)} %`}`;
        }),
      ]),
    );
  }
  return b.build();
}

/** The combined report as Markdown. */
export function combinedMarkdown(report: CombinedReport): string {
  return documentToMarkdown(combinedDocument(report));
}

/** The measures of a score's forest plot: AUROC, O/E, intercept, slope, and sensitivity and specificity at its first rule. */
function forestMeasures(report: CombinedReport, score: string): CombinedMeasure[] {
  const of = report.measures.filter((m) => m.score === score && m.summary !== null);
  const firstRule = of.find((m) => m.measure === 'sensitivity')?.rule ?? null;
  return of.filter(
    (m) => ['auroc', 'oe', 'citl', 'slope'].includes(m.measure) || ((m.measure === 'sensitivity' || m.measure === 'specificity') && m.rule === firstRule),
  );
}

/** One forest plot per score: a panel per measure, a row per site, then the summary and the prediction interval. */
export function combinedFigures(report: CombinedReport): FigureSpec[] {
  return report.common.definitions.map((def) => {
    const meta = {
      id: `sites-${def.id.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`,
      section: 'meta-analysis' as const,
      by: def.id,
      title: `${def.name} across sites`,
      description:
        'Each site’s estimate with its patient-clustered interval (dots), the random-effects summary with its interval (square) and the prediction interval for a new site (dashed), per measure; grey dashed lines mark ideal calibration (O/E 1, intercept 0, slope 1).',
    };
    const measures = forestMeasures(report, def.id);
    const rows = ['Summary', 'New site (PI)'];
    // Where a measure is ideal: O/E 1, calibration intercept 0 and slope 1 (drawn dashed).
    const ideal: Partial<Record<string, number>> = { oe: 1, citl: 0, slope: 1 };
    const values = measures.flatMap((m) => {
      const label = MEASURE_LABEL[m.measure];
      const s = m.summary;
      // Every row carries its measure's ideal value (shown) or, without one, its own estimate (hidden), so every panel's
      // scale has a finite extent for the reference line.
      const ref = (estimate: number) => ({ ref: ideal[m.measure] ?? estimate, showRef: ideal[m.measure] !== undefined });
      const sites = m.sites.map((r) => ({
        measure: label,
        row: r.site,
        kind: 'site',
        estimate: r.estimate,
        lo: r.ci?.[0] ?? r.estimate,
        hi: r.ci?.[1] ?? r.estimate,
        ...ref(r.estimate),
      }));
      if (s === null) return sites;
      return [
        ...sites,
        { measure: label, row: rows[0], kind: 'summary', estimate: s.estimate, lo: s.ci[0], hi: s.ci[1], ...ref(s.estimate) },
        ...(s.pi === null ? [] : [{ measure: label, row: rows[1], kind: 'prediction', estimate: s.estimate, lo: s.pi[0], hi: s.pi[1], ...ref(s.estimate) }]),
      ];
    });
    if (values.length === 0) return withheldFigure(meta, 'no measure was defined at any site');
    const y = { field: 'row', type: 'nominal', title: null, sort: [...report.sites.map((s) => s.site), ...rows] };
    const x = { field: 'lo', type: 'quantitative', title: 'Estimate (95 % CI)', scale: { zero: false } };
    const interval = (kind: string, mark: Record<string, unknown>) => ({
      mark: { type: 'rule', ...mark },
      transform: [{ filter: `datum.kind === '${kind}'` }],
      encoding: { y, x, x2: { field: 'hi' } },
    });
    const dot = (kind: string, shape: string, size: number) => ({
      mark: { type: 'point', filled: true, shape, size },
      transform: [{ filter: `datum.kind === '${kind}'` }],
      encoding: { y, x: { field: 'estimate', type: 'quantitative' } },
    });
    return drawn(meta, null, {
      data: { values },
      facet: { column: { field: 'measure', type: 'nominal', title: null, sort: measures.map((m) => MEASURE_LABEL[m.measure]) } },
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: 150,
        height: { step: 16 },
        layer: [
          {
            mark: { type: 'rule', color: '#999', strokeDash: [3, 3] },
            encoding: { x: { field: 'ref', type: 'quantitative' }, opacity: { condition: { test: 'datum.showRef', value: 1 }, value: 0 } },
          },
          interval('site', {}),
          interval('summary', { strokeWidth: 2 }),
          interval('prediction', { strokeDash: [4, 3] }),
          dot('site', 'circle', 30),
          dot('summary', 'square', 90),
        ],
      },
    });
  });
}
