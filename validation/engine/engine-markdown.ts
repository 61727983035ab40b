/**
 * The engine report as Markdown: settings, flow, and per score its discrimination and threshold measures and its
 * calibration (a model's O/E, intercept and slope; a points score's observed risk by pooled range) with their intervals — released values only (a suppressed cell shows its rule).
 */
import { isSuppressed } from '../disclosure/disclosure.js';
import { characteristicRows } from '../report/sections.js';
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
 * Render an engine report as Markdown. Runs in O(report size).
 *
 * @example engineMarkdown(engineReport(counts, { scores: [news2] })).startsWith('# ewskit engine report');
 */
export function engineMarkdown(report: EngineReport): string {
  const s = report.settings;
  const pct = Math.round(s.level * 100);
  const lines = [
    `# ewskit engine report (${report.engine})`,
    '',
    `Scores: ${s.scores.join(', ')}. Outcome: an event${s.eventTypes === null ? '' : ` of type ${s.eventTypes.join(' or ')}`} within ${s.horizonHours} h; follow-up ${s.followUp}${s.followUpEndsAtDischarge ? ', ending at discharge' : ''}; censored sets ${s.censored === 'exclude' ? 'excluded' : 'counted as no event'}; extract end ${s.extractEnd ?? 'none'}${s.extractEndInferred ? ' (inferred: the latest time in the extract)' : ''}.`,
    `Intervals: ${pct} % percentile intervals from ${s.bootstrap.B.toLocaleString('en-GB')} Poisson-bootstrap replicates clustered by patient (seed ${s.bootstrap.seed}). Computed where the data lives; only count tables left the ${report.engine === 'js' ? 'process' : 'database'}.`,
    '',
    '## Flow',
    '',
    '| step | sets |',
    '|---|---:|',
    `| observation sets | ${count(report.flow.observationSets)} |`,
    ...report.flow.steps.map((st) => `| ${st.step} | ${count(st.sets)} |`),
    `| — of the labelled: followed by an event | ${count(report.flow.positive)} |`,
    `| — of the labelled: not | ${count(report.flow.negative)} |`,
    `| censored (at discharge or the extract's end) | ${count(report.flow.censored)} |`,
    `| labelled, no patient id (not analysed) | ${count(report.flow.withoutPatient)} |`,
    `| analysis sets | ${count(report.flow.analysisSets)} |`,
    `| patients | ${count(report.flow.patients)} |`,
    `| patients with an event | ${count(report.flow.eventPatients)} |`,
    '',
  ];
  const t = report.characteristics;
  const table = (title: string, rows: readonly (readonly string[])[]): void => {
    if (rows.length === 0) return;
    lines.push(`## ${title}`, '', `| | ${t.columns.join(' | ')} |`, `|---|${t.columns.map(() => '---').join('|')}|`);
    for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
    lines.push('');
  };
  const totals = (label: string, cells: readonly unknown[]) => [label, ...cells.map(count)];
  table('Characteristics of the analysed encounters', [totals('encounters', t.totals.encounters), ...characteristicRows(t.encounters)]);
  table('Score inputs over the analysed sets', [totals('sets', t.totals.sets), ...characteristicRows(t.sets)]);
  for (const sc of report.scores) {
    lines.push(
      `## ${sc.score}`,
      '',
      `Analysable sets ${count(sc.sets)}, of which followed by an event ${count(sc.positive)}; patients ${count(sc.patients)}.${sc.exact ? '' : ' A model: its AUROC is computed on probability buckets of 1/10,000.'}`,
      '',
      `AUROC ${estimate(sc.auroc)}`,
      '',
    );
    if (sc.calibration !== null) {
      const c = sc.calibration;
      lines.push(
        `Calibration (the model's probabilities; fitted on its probability buckets, each at its sets' mean probability): observed / expected ${estimate(c.observedExpected)}; calibration-in-the-large ${estimate(c.calibrationInTheLarge)} (0 is ideal); slope ${estimate(c.slope)} (1 is ideal).`,
        '',
      );
    }
    if (sc.observedRisk.length > 0) {
      lines.push(
        'Observed risk by score (ranges pooled from the top down to hold at least 10 events and 10 non-events each):',
        '',
        '| score | sets | events | observed risk |',
        '|---|---:|---:|---|',
      );
      for (const r of sc.observedRisk) {
        const range = r.scores[0] === r.scores[1] ? `${r.scores[0]}` : `${r.scores[0]}–${r.scores[1]}`;
        if (isSuppressed(r.cell)) lines.push(`| ${range} | suppressed (${r.cell.rule}) | | |`);
        else lines.push(`| ${range} | ${count(r.cell.sets)} | ${count(r.cell.events)} | ${estimate(r.cell.risk, true)} |`);
      }
      lines.push('');
    }
    if (sc.thresholds.length > 0) {
      lines.push('| rule | sensitivity | specificity | PPV | NPV | alert rate |', '|---|---|---|---|---|---|');
      for (const t of sc.thresholds)
        lines.push(
          `| ${t.rule} | ${estimate(t.sensitivity, true)} | ${estimate(t.specificity, true)} | ${estimate(t.ppv, true)} | ${estimate(t.npv, true)} | ${estimate(t.alertRate, true)} |`,
        );
      lines.push('');
      const thresholds = sc.thresholds[0]?.netBenefit.map((n) => n.threshold) ?? [];
      if (thresholds.length > 0) {
        lines.push(`| net benefit | ${thresholds.map((p) => `p = ${p}`).join(' | ')} |`, `|---|${thresholds.map(() => '---').join('|')}|`);
        for (const t of sc.thresholds) lines.push(`| ${t.rule} | ${t.netBenefit.map((n) => estimate(n.value)).join(' | ')} |`);
        lines.push('');
      }
    }
  }
  if (report.comparisons.length > 0) {
    lines.push(
      '## Comparisons of scores',
      '',
      `Each pair on the sets both can score, paired (the same replicates for both scores): the AUROC difference a − b (${pct} % interval; bootstrap p), and each score at its first clinical cut-off with the difference b − a.`,
      '',
      '| a | b | sets | AUROC a − b | rules | sensitivity a / b / b − a | specificity a / b / b − a | alert rate a / b / b − a |',
      '|---|---|---:|---|---|---|---|---|',
    );
    for (const c of report.comparisons) {
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
      lines.push(`| ${c.a} | ${c.b} | ${count(c.sets)} | ${auroc} | ${rules} | ${metric('sensitivity')} | ${metric('specificity')} | ${metric('alertRate')} |`);
    }
    lines.push('');
  }
  if (report.groups !== null) {
    lines.push(
      `## By ${report.groups.by}`,
      '',
      `Each group’s measures with intervals from the same replicates (clustered by patient), and its paired difference from the reference group (${report.groups.reference}): estimate (${Math.round(report.settings.level * 100)} % interval; Holm-adjusted p over the ${report.groups.contrasts} released AUROC, sensitivity, calibration-in-the-large and slope contrasts). Calibration in a group: of a model, against its probability; of a points score, against the score-to-risk mapping fitted on every other group.`,
      '',
      '| group | score | sets | events | patients | AUROC | Δ AUROC | rule | sensitivity | Δ sensitivity | specificity | calibration-in-the-large | Δ | slope | Δ |',
      '|---|---|---:|---:|---:|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const level of report.groups.levels)
      for (const g of level.scores)
        lines.push(
          `| ${level.group} | ${g.score} | ${count(g.sets)} | ${count(g.positive)} | ${count(g.patients)} | ${estimate(g.auroc)} | ${contrast(g.differenceFromReference.auroc)} | ${g.rule ?? '—'} | ${estimate(g.sensitivity, true)} | ${contrast(g.differenceFromReference.sensitivity, true)} | ${estimate(g.specificity, true)} | ${estimate(g.calibrationInTheLarge)} | ${contrast(g.differenceFromReference.calibrationInTheLarge)} | ${estimate(g.slope)} | ${contrast(g.differenceFromReference.slope)} |`,
        );
    lines.push('');
  }
  lines.push(
    '## Not in this report yet',
    '',
    `${report.notYet.join('; ')} — run ewskit validate with --engine js (the default) for the full report.`,
    '',
    '## Disclosure control',
    '',
    `Policy ${report.disclosure.policy}${report.disclosure.policy === 'none' ? ': NOT FOR RELEASE.' : `: ${report.disclosure.rules.join('; ')}.`}`,
    '',
  );
  return lines.join('\n');
}
