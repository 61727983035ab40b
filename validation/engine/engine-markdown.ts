/**
 * The engine report as a document, Markdown and an HTML page: settings, flow, Table 1, and per score its discrimination and threshold measures and its
 * calibration (a model's O/E, intercept and slope; a points score's observed risk by pooled range) with their intervals, the groups, and the units
 * of analysis and alert measures when counted — released values only (a suppressed cell shows its rule).
 */
import { isSuppressed } from '../disclosure/disclosure.js';
import { alertTables, characteristicRows, unitTable } from '../report/sections.js';
import type { ReportDocument } from '../report/document.js';
import { DocumentBuilder } from '../report/document.js';
import { documentToMarkdown } from '../report/markdown.js';
import { documentHtml } from '../report/html.js';
import { EWSKIT_VERSION } from '../report/provenance.js';
import type { EngineEstimate, EngineReport } from './engine-study.js';

const count = (c: unknown): string => (isSuppressed(c) ? `suppressed (${c.rule})` : typeof c === 'number' ? c.toLocaleString('en-GB') : '—');
const estimate = (e: EngineEstimate | null, percent = false): string => {
  if (e === null) return 'undefined';
  if (isSuppressed(e)) return `suppressed (${e.rule})`;
  const f = (x: number): string => (percent ? `${(100 * x).toFixed(1)} %` : x.toFixed(3)).replace(/^-(0\.0+)( %)?$/, '$1$2');
  return e.ci === null ? f(e.estimate) : `${f(e.estimate)} (${f(e.ci[0])} to ${f(e.ci[1])})`;
};

/** A difference from the reference: estimate (interval; adjusted p), or why not. */
const contrast = (c: unknown, percent = false): string => {
  if (c === null || c === undefined) return '—';
  if (isSuppressed(c)) return `suppressed (${c.rule})`;
  const d = c as { defined: boolean; estimate?: number; ci?: readonly [number, number]; adjustedP?: number };
  if (!d.defined || d.estimate === undefined || d.ci === undefined) return 'undefined';
  const f = (x: number): string => (percent ? `${(100 * x).toFixed(1)}` : x.toFixed(3)).replace(/^-(0\.0+)$/, '$1');
  const p = d.adjustedP === undefined ? '' : `; p = ${d.adjustedP < 0.001 ? '< 0.001' : d.adjustedP.toFixed(3)}`;
  return `${f(d.estimate)}${percent ? ' pts' : ''} (${f(d.ci[0])} to ${f(d.ci[1])}${p})`;
};

/**
 * The engine report as a document (headings, paragraphs, tables): the one source of its Markdown and its HTML page.
 * Runs in O(report size).
 *
 * @example engineDocument(engineReport(counts, { scores: [news2] })).title; // 'ewskit engine report (js)'
 */
export function engineDocument(report: EngineReport): ReportDocument {
  const s = report.settings;
  const pct = Math.round(s.level * 100);
  const d = new DocumentBuilder(`ewskit engine report (${report.engine})`);
  d.paragraph(
    `Scores: ${s.scores.join(', ')}. Outcome: an event${s.eventTypes === null ? '' : ` of type ${s.eventTypes.join(' or ')}`} within ${s.horizonHours} h; follow-up ${s.followUp}${s.followUpEndsAtDischarge ? ', ending at discharge' : ''}; censored sets ${s.censored === 'exclude' ? 'excluded' : 'counted as no event'}; extract end ${s.extractEnd ?? 'none'}${s.extractEndInferred ? ' (inferred: the latest time in the extract)' : ''}.`,
  );
  d.paragraph(
    `Intervals: ${pct} % percentile intervals from ${s.bootstrap.B.toLocaleString('en-GB')} Poisson-bootstrap replicates clustered by patient (seed ${s.bootstrap.seed}). Computed where the data lives; only count tables left the ${report.engine === 'js' ? 'process' : 'database'}.`,
  );
  d.section('flow', 'Flow').table(
    ['step', 'sets'],
    [
      ['observation sets', count(report.flow.observationSets)],
      ...report.flow.steps.map((st) => [st.step, count(st.sets)]),
      ['— of the labelled: followed by an event', count(report.flow.positive)],
      ['— of the labelled: not', count(report.flow.negative)],
      ["censored (at discharge or the extract's end)", count(report.flow.censored)],
      ['labelled, no patient id (not analysed)', count(report.flow.withoutPatient)],
      ['analysis sets', count(report.flow.analysisSets)],
      ['patients', count(report.flow.patients)],
      ['patients with an event', count(report.flow.eventPatients)],
    ],
  );
  const t = report.characteristics;
  const totals = (label: string, cells: readonly unknown[]) => [label, ...cells.map(count)];
  if (t.encounters.length > 0)
    d.section('characteristics-encounters', 'Characteristics of the analysed encounters').table(
      ['', ...t.columns],
      [totals('encounters', t.totals.encounters), ...characteristicRows(t.encounters)],
    );
  if (t.sets.length > 0)
    d.section('characteristics-sets', 'Score inputs over the analysed sets').table(
      ['', ...t.columns],
      [totals('sets', t.totals.sets), ...characteristicRows(t.sets)],
    );
  for (const sc of report.scores) {
    d.section(`score-${sc.score}`, sc.score);
    d.paragraph(
      `Analysable sets ${count(sc.sets)}, of which followed by an event ${count(sc.positive)}; patients ${count(sc.patients)}.${sc.exact ? '' : ' A model: its AUROC is computed on probability buckets of 1/10,000.'}`,
    );
    d.paragraph(`AUROC ${estimate(sc.auroc)}`);
    if (sc.calibration !== null) {
      const c = sc.calibration;
      d.paragraph(
        `Calibration (the model's probabilities; fitted on its probability buckets, each at its sets' mean probability): observed / expected ${estimate(c.observedExpected)}; calibration-in-the-large ${estimate(c.calibrationInTheLarge)} (0 is ideal); slope ${estimate(c.slope)} (1 is ideal).`,
      );
    }
    if (sc.observedRisk.length > 0) {
      d.paragraph('Observed risk by score (ranges pooled from the top down to hold at least 10 events and 10 non-events each):');
      d.table(
        ['score', 'sets', 'events', 'observed risk'],
        sc.observedRisk.map((r) => {
          const range = r.scores[0] === r.scores[1] ? `${r.scores[0]}` : `${r.scores[0]}–${r.scores[1]}`;
          return isSuppressed(r.cell)
            ? [range, `suppressed (${r.cell.rule})`, '', '']
            : [range, count(r.cell.sets), count(r.cell.events), estimate(r.cell.risk, true)];
        }),
      );
    }
    if (sc.thresholds.length > 0) {
      d.table(
        ['rule', 'sensitivity', 'specificity', 'PPV', 'NPV', 'alert rate'],
        sc.thresholds.map((x) => [
          x.rule,
          estimate(x.sensitivity, true),
          estimate(x.specificity, true),
          estimate(x.ppv, true),
          estimate(x.npv, true),
          estimate(x.alertRate, true),
        ]),
      );
      const thresholds = sc.thresholds[0]?.netBenefit.map((n) => n.threshold) ?? [];
      if (thresholds.length > 0)
        d.table(
          ['net benefit', ...thresholds.map((p) => `p = ${p}`)],
          sc.thresholds.map((x) => [x.rule, ...x.netBenefit.map((n) => estimate(n.value))]),
        );
    }
  }
  if (report.comparisons.length > 0) {
    d.section('comparisons', 'Comparisons of scores');
    d.paragraph(
      `Each pair on the sets both can score, paired (the same replicates for both scores): the AUROC difference a − b (${pct} % interval; bootstrap p) — beside it the DeLong test, which treats the sets as independent and so is narrower — and each score at its first clinical cut-off with the difference b − a.`,
    );
    d.table(
      [
        'a',
        'b',
        'sets',
        'AUROC a − b',
        'DeLong (sets as independent)',
        'rules',
        'sensitivity a / b / b − a',
        'specificity a / b / b − a',
        'alert rate a / b / b − a',
      ],
      report.comparisons.map((c) => {
        const auroc =
          c.auroc === null
            ? 'undefined'
            : isSuppressed(c.auroc)
              ? `suppressed (${c.auroc.rule})`
              : `${estimate(c.auroc)}${c.auroc.p === null ? '' : `; p = ${c.auroc.p < 0.001 ? '< 0.001' : c.auroc.p.toFixed(3)}`}`;
        const r = c.rules;
        const metric = (m: 'sensitivity' | 'specificity' | 'alertRate'): string =>
          r === null || isSuppressed(r) ? '—' : `${estimate(r[m].a, true)} / ${estimate(r[m].b, true)} / ${estimate(r[m].difference, true)}`;
        const rules = r === null ? 'no cut-off' : isSuppressed(r) ? `suppressed (${r.rule})` : `${r.ruleA} vs ${r.ruleB}`;
        const d = c.delong;
        const delong =
          d === null
            ? '—'
            : isSuppressed(d)
              ? `suppressed (${d.rule})`
              : `${d.ci[0].toFixed(3)} to ${d.ci[1].toFixed(3)}${d.p === null ? '' : `; p = ${d.p < 0.001 ? '< 0.001' : d.p.toFixed(3)}`}`;
        return [c.a, c.b, count(c.sets), auroc, delong, rules, metric('sensitivity'), metric('specificity'), metric('alertRate')];
      }),
    );
  }
  const matched = report.comparisons.filter((c) => c.matchedAlertRate !== null);
  if (matched.length > 0) {
    d.paragraph(
      'At equal workload: b at the cut-off where it alerts on no more of the common sets than a at its first clinical cut-off (chosen once, on all the data), each one’s sensitivity and b − a, paired.',
    );
    d.table(
      ['a', 'b', 'a’s rule', 'alert rate a', 'b’s cut-off', 'alert rate b', 'sensitivity a', 'sensitivity b', 'b − a'],
      matched.map((c) => {
        const m = c.matchedAlertRate;
        if (m === null || isSuppressed(m)) return [c.a, c.b, m === null ? '—' : `suppressed (${m.rule})`, '', '', '', '', '', ''];
        const pctOf = (x: number) => `${(100 * x).toFixed(1)} %`;
        return [
          c.a,
          c.b,
          m.ruleA,
          pctOf(m.alertRate),
          m.cutB === null ? 'none' : `≥ ${m.cutB}`,
          pctOf(m.alertRateB),
          estimate(m.sensitivityA, true),
          estimate(m.sensitivityB, true),
          estimate(m.difference, true),
        ];
      }),
    );
  }
  for (const [k, groups] of [...(report.groups === null ? [] : [report.groups]), ...(report.moreGroups ?? [])].entries()) {
    d.section(k === 0 ? 'groups' : `groups-${k + 1}`, `By ${groups.by}`);
    d.paragraph(
      `Each group’s measures with intervals from the same replicates (clustered by patient), and its paired difference from the reference group (${groups.reference}): estimate (${pct} % interval; Holm-adjusted p over the ${groups.contrasts} released AUROC, sensitivity, calibration-in-the-large and slope contrasts${report.moreGroups?.length ? ' of every grouping' : ''}). Calibration in a group: of a model, against its probability; of a points score, against the score-to-risk mapping fitted on every other group.`,
    );
    d.table(
      [
        'group',
        'score',
        'sets',
        'events',
        'patients',
        'AUROC',
        'Δ AUROC',
        'rule',
        'sensitivity',
        'Δ sensitivity',
        'specificity',
        'calibration-in-the-large',
        'Δ',
        'slope',
        'Δ',
      ],
      groups.levels.flatMap((level) =>
        level.scores.map((g) => [
          level.group,
          g.score,
          count(g.sets),
          count(g.positive),
          count(g.patients),
          estimate(g.auroc),
          contrast(g.differenceFromReference.auroc),
          g.rule ?? '—',
          estimate(g.sensitivity, true),
          contrast(g.differenceFromReference.sensitivity, true),
          estimate(g.specificity, true),
          estimate(g.calibrationInTheLarge),
          contrast(g.differenceFromReference.calibrationInTheLarge),
          estimate(g.slope),
          contrast(g.differenceFromReference.slope),
        ]),
      ),
    );
  }
  if (report.units.length > 0) {
    d.section('units', 'Other units of analysis');
    unitTable(d, report.units, s.scores);
  }
  if (report.alerts !== null) alertTables(d, report.alerts, s.horizonHours, s.bootstrap.B === 0 ? null : s.bootstrap.B);
  d.section('not-yet', 'Not in this report yet').paragraph(
    `${report.notYet.join('; ')} — the full report has them: ewskit validate on rows in one process (--engine js, the default), at each site when sites share only counts.`,
  );
  d.section('disclosure', 'Disclosure control').paragraph(
    `Policy ${report.disclosure.policy}${report.disclosure.policy === 'none' ? ': NOT FOR RELEASE.' : `: ${report.disclosure.rules.join('; ')}.`}`,
  );
  return d.build();
}

/**
 * Render an engine report as Markdown. Runs in O(report size).
 *
 * @example engineMarkdown(engineReport(counts, { scores: [news2] })).startsWith('# ewskit engine report');
 */
export function engineMarkdown(report: EngineReport): string {
  return documentToMarkdown(engineDocument(report));
}

/**
 * The engine report as one self-contained HTML page (no script, no fetch; the full report's page style). Deterministic.
 *
 * @example writeFileSync('report.html', engineHtml(engineReport(counts, { scores: [news2] })));
 */
export function engineHtml(report: EngineReport): string {
  return documentHtml(engineDocument(report), [], {
    title: `ewskit engine report (${report.engine})`,
    footer: `ewskit ${EWSKIT_VERSION} · ${report.schema} · engine ${report.engine} · computed from count tables only${report.disclosure.policy === 'none' ? ' · NOT FOR RELEASE' : ''}`,
  });
}
