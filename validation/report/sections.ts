/**
 * The report's sections, each a function that adds its section to the document (document.ts) from the typed report:
 * Table 1, the flow, discrimination and calibration, thresholds, comparisons, subgroups, missing data, TRIPOD+AI and
 * the output-checking summary. Every renderer (Markdown, HTML) walks the document these build; none builds its own
 * text. Suppressed cells print as "‹suppressed›". Adding a section is one function here and its place in `SECTIONS`.
 */
import { isSuppressed } from '../disclosure/disclosure.js';
import type { ReportDocument } from './document.js';
import { DocumentBuilder } from './document.js';
import { figurePlace } from './figures.js';
import { format, headlineHeaders, renderHeadlines } from './format.js';
import type {
  AlertsSection,
  CategoryCell,
  Cell,
  CharacteristicRow,
  ContinuousCell,
  ContrastCell,
  EstimateCell,
  FlowCounts,
  PairedRuleMetric,
  ProportionCell,
  UndefinedCell,
  UnitSection,
  ValidationReport,
} from './types.js';

const SUPPRESSED = '‹suppressed›';

/** A count or a number: "‹suppressed›" when suppressed, "—" when absent. */
function num(v: Cell<number> | null, digits = 3): string {
  if (v === null) return '—';
  if (isSuppressed(v)) return SUPPRESSED;
  return format.number(v, digits);
}

/** A count with its share of `of` ("123 (4.5 %)"), the share only when both are released. */
function share(part: Cell<number>, of: Cell<number>): string {
  if (isSuppressed(part) || isSuppressed(of) || of === 0) return num(part, 0);
  return `${num(part, 0)} (${((100 * part) / of).toFixed(1)} %)`;
}

/** A cell rendered by `pick`, or the placeholder for a suppressed or absent cell. */
function cell<T>(v: Cell<T> | null, pick: (x: T) => string): string {
  if (v === null) return '—';
  if (isSuppressed(v)) return SUPPRESSED;
  return pick(v);
}

/** An estimate with its interval, or "—" when undefined. */
function est(v: EstimateCell | ProportionCell | UndefinedCell | null, withEstimate = true): string {
  if (v === null || !v.defined) return '—';
  return withEstimate ? format.estimate(v) : format.interval(v.ci).trim();
}

/** A difference with its simultaneous interval and adjusted p-value (never a pointwise interval beside an adjusted p). */
function contrast(v: ContrastCell | UndefinedCell | null): string {
  if (v === null || !v.defined) return '—';
  return `${format.estimate({ defined: true, estimate: v.estimate, ci: v.simultaneousCi })} (${pValue(v.adjustedP)})`;
}

function pValue(p: number | null): string {
  if (p === null) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** A continuous Table 1 cell's missing share: nothing when none is missing, the suppression mark when suppressed. */
function missingShare(m: Cell<number>): string {
  if (isSuppressed(m)) return `; missing ${SUPPRESSED}`;
  return m > 0 ? `; missing ${(100 * m).toFixed(1)} %` : '';
}

/** The warning a report that is not releasable carries at its top and foot, with why. */
function notForRelease(d: ValidationReport['disclosure']): string {
  const why =
    d.policy === 'none'
      ? 'disclosure control off (policy "none")'
      : d.audit === null
        ? 'the disclosure audit did not run (its solver was not loaded)'
        : `the disclosure audit found ${d.audit.unprotected} count${d.audit.unprotected === 1 ? '' : 's'} it could not protect`;
  return `**NOT FOR RELEASE — ${why}.** This report may hold small counts; it must not leave the trusted research environment.`;
}

/** The disclosure audit in one sentence, or what its absence means. */
function auditSentence(a: ValidationReport['disclosure']['audit']): string {
  if (a === null) return ' Not audited by linear programming (the solver was not loaded): not releasable.';
  return ` Audit by linear programming: ${format.number(a.audited, 0)} counts audited against every released count, relation and bound; narrowest feasible interval ${a.narrowest === null ? '—' : format.number(a.narrowest, 0)} (protection width ${format.number(a.protectionWidth, 0)}); ${format.number(a.addedSuppressions, 0)} counts suppressed by the audit; ${format.number(a.unprotected, 0)} unprotected.`;
}

/** AUROC per score for each unit (a row per unit), with the sets and positive sets when `counts`. */
export function unitTable(d: DocumentBuilder, units: readonly UnitSection[], ids: readonly string[], counts = false): void {
  d.table(
    ['Analysis', ...ids.flatMap((id) => [...(counts ? [`${id} sets`, `${id} positive`] : []), `${id} AUROC (clustered CI, Obuchowski)`])],
    units.map((u) => [
      u.unit,
      ...ids.flatMap((id) => {
        const v = u.scores[id] ?? null;
        return [...(counts ? [cell(v, (x) => format.number(x.sets, 0)), cell(v, (x) => format.number(x.positiveSets, 0))] : []), cell(v, (x) => est(x.auroc))];
      }),
    ]),
  );
}

/** Before the first section: the release warning, the outcome and the intervals, the study's warnings. */
function preamble(d: DocumentBuilder, report: ValidationReport): void {
  const { outcome, bootstrap: boot, level } = report.settings;
  if (!report.disclosure.releasable) d.paragraph(notForRelease(report.disclosure));
  d.paragraph(
    `Outcome: ${outcome.eventTypes === 'all' ? 'any event' : outcome.eventTypes.join(', ')} within ${outcome.horizonHours} h of an observation set. ` +
      `Intervals: ${Math.round(level * 100)} %, ${boot === false ? 'no bootstrap (AUROC: Obuchowski, clustered by patient)' : `patient-clustered bootstrap (B = ${boot.B}, seed ${boot.seed}; ${boot.method === 'poisson' ? 'each patient, with all their sets, weighted Poisson(1) by a hash of its id' : 'patients resampled with all their sets'})`}. ` +
      'Intervals marked naive (DeLong, Wilson) assume independent observation sets and are too narrow; they are shown for reference only.',
  );
  for (const w of report.settings.warnings) d.paragraph(`**Warning:** ${w}.`);
}

/** Table 1 — the cohort: counts, the extract's reading, outcomes per event type. */
function cohortSection(d: DocumentBuilder, report: ValidationReport): void {
  const c = report.cohort;
  const { outcome } = report.settings;
  d.section('cohort', 'Table 1 — cohort');
  d.table(
    ['', 'n'],
    [
      ['Patients', num(c.patients, 0)],
      ['Encounters', num(c.encounters, 0)],
      ['Observation sets', num(c.observationSets, 0)],
      ['Labelled sets (outcome known: an event within the horizon, or none)', num(c.analysedSets, 0)],
      ['Events', num(c.events, 0)],
      ['Sets followed by an event within the horizon', num(c.positiveSets, 0)],
      ...(outcome.followUp === 'in-hospital'
        ? [['Negative sets discharged alive within the horizon (no in-hospital event: counted negative)', num(c.dischargedNegatives, 0)]]
        : []),
      ...(outcome.eventTypes === 'all'
        ? []
        : [['Negative sets with a competing event within the horizon (another event type first: counted negative)', num(c.competingNegatives, 0)]]),
      [
        `Censored sets (outcome unknown: ${outcome.followUp === 'linked' ? 'discharge or ' : ''}the extract's end within the horizon, no event; ${outcome.censoring.censored === 'exclude' ? 'excluded' : 'counted negative'})`,
        num(c.censored, 0),
      ],
      ['Encounters without a discharge time (followed to the extract’s end)', num(c.openEncounters, 0)],
      ...(outcome.excludeBeforeEventMinutes > 0
        ? [[`Sets within ${outcome.excludeBeforeEventMinutes} min before their event (left out)`, num(c.excludedBeforeEvent, 0)]]
        : []),
      ['Follow-up (patient-days)', num(c.followUpDays, 1)],
    ],
  );
  if (c.source !== null) d.paragraph(`Cohort: ${c.source}.`);
  const miss = Object.entries(c.missingness);
  if (miss.length > 0) d.paragraph(`Missing values: ${miss.map(([k, v]) => `${k} ${(100 * v).toFixed(1)} %`).join(' · ')}.`);
  if (c.reading.length > 0) {
    d.paragraph('Reading the extract (records; reasons as kinds, without values):');
    d.table(
      ['File', 'Read', 'Kept', 'Rejected', 'Rejected, by reason'],
      c.reading.map((r) => [
        r.table,
        num(r.read, 0),
        num(r.kept, 0),
        num(r.rejected, 0),
        Object.entries(r.byReason)
          .map(([why, n]) => `${num(n, 0)} × ${why}`)
          .join('; ') || '—',
      ]),
    );
  }
  if (report.outcomes.length > 0) {
    d.table(
      ['Outcome', 'Events', 'Encounters with one', `Sets followed by one within ${outcome.horizonHours} h`],
      report.outcomes.map((o) => [o.outcome, num(o.events, 0), num(o.encounters, 0), num(o.positiveSets, 0)]),
    );
  }
}

/** The flow, step by step, with the groups of the first grouping as columns. */
function flowSection(d: DocumentBuilder, report: ValidationReport): void {
  const f = report.flow;
  const by = report.settings.groupBy[0];
  const groups = by === undefined ? [] : Object.keys(f.labelled.byGroup[by] ?? {});
  const row = (step: string, c: FlowCounts): string[] => [
    step,
    num(c.sets, 0),
    num(c.positive, 0),
    num(c.negative, 0),
    ...groups.map((g) => num(by === undefined ? null : (c.byGroup[by]?.[g] ?? null), 0)),
  ];
  const names = new Map(report.settings.scores.map((s) => [s.id, s.name]));
  d.section('flow', 'Flow of observation sets');
  d.paragraph(
    `The extract: ${num(f.extract.patients, 0)} patients, ${num(f.extract.encounters, 0)} encounters, ${num(f.extract.sets, 0)} observation sets. Each set is counted once, at the first step that excludes it; "—" where a step leaves the outcome unknown.`,
  );
  d.table(
    ['Step', 'Sets', 'Positive', 'Negative', ...groups.map((g) => `${by ?? ''}: ${g}`)],
    [
      ...f.excluded.map((x) => row(`Excluded: ${x.reason}`, x)),
      row('**Labelled sets of a known patient**', f.labelled),
      ...f.scores.flatMap((s) => [
        ...s.excluded.map((x) => row(`${names.get(s.id) ?? s.id} cannot score: ${x.reason}`, x)),
        row(`**${names.get(s.id) ?? s.id}: analysed**`, s.analysed),
      ]),
    ],
  );
}

/**
 * Table 1's rows as text: the variable (and level; a continuous variable's "median [IQR]"), then per column a count
 * and share, or the median and quartiles with the share missing — shared by the report and the engine report.
 */
export function characteristicRows(list: readonly CharacteristicRow[]): string[][] {
  const show = (v: Cell<CategoryCell | ContinuousCell>): string =>
    cell(v, (x) =>
      'share' in x
        ? `${format.number(x.n, 0)} (${(100 * x.share).toFixed(1)} %)`
        : x.quartiles === null
          ? 'not recorded'
          : `${cell(x.quartiles, (q) => `${format.number(q.median, 1)} [${format.number(q.q1, 1)}–${format.number(q.q3, 1)}]`)}${missingShare(x.missing)}`,
    );
  return list.map((r) => [r.level === null ? `${r.variable}, median [IQR]` : `${r.variable}: ${r.level}`, ...r.cells.map(show)]);
}

/** Table 1 proper: encounter characteristics, then the score inputs per set, and each score's analysed sets. */
function characteristicsSections(d: DocumentBuilder, report: ValidationReport): void {
  const t = report.characteristics;
  const rows = characteristicRows;
  if (t.encounters.length > 0)
    d.section('characteristics-encounters', 'Characteristics of the analysed encounters').table(['', ...t.columns], rows(t.encounters));
  if (t.sets.length > 0) d.section('characteristics-sets', 'Score inputs over the analysed sets').table(['', ...t.columns], rows(t.sets));
  d.paragraph(
    `Each score is analysed on the sets it can score: ${report.scores
      .map((s) => `${s.name} ${num(s.sets.analysed, 0)} (positive ${num(s.sets.positive, 0)}; cannot score ${num(s.sets.incomplete, 0)})`)
      .join(' · ')}.`,
  );
}

/** The headline metrics per score, and each score's caveats. */
function discriminationSection(d: DocumentBuilder, report: ValidationReport): void {
  d.section('discrimination', 'Discrimination and calibration');
  d.table(
    ['Score', ...headlineHeaders()],
    report.scores.map((s) => [
      `${s.name}${s.illustrative === true && !/illustrative/i.test(s.name) ? ' (illustrative)' : ''}`,
      ...renderHeadlines(s, SUPPRESSED),
    ]),
  );
  for (const s of report.scores) for (const c of s.caveats) d.paragraph(`**${s.name}:** ${c}`);
}

function thresholdsSection(d: DocumentBuilder, report: ValidationReport): void {
  d.section('thresholds', 'Clinical thresholds');
  d.table(
    ['Score', 'Threshold', 'Sensitivity (clustered CI)', 'Specificity', 'PPV', 'NPV', 'Alert rate'],
    report.scores.flatMap((s) =>
      s.thresholds.map((t) => [
        s.name,
        t.label,
        cell(t.sensitivity, (x) => est(x)),
        cell(t.specificity, (x) => est(x)),
        cell(t.ppv, (x) => est(x)),
        cell(t.npv, (x) => est(x)),
        cell(t.alertRate, (x) => est(x)),
      ]),
    ),
  );
}

function observedRiskSection(d: DocumentBuilder, report: ValidationReport): void {
  const pointsScores = report.scores.filter((s) => s.observedRisk !== null);
  if (pointsScores.length === 0) return;
  d.section('observed-risk', 'Calibration of points scores: observed risk by score value');
  d.paragraph(
    `A points score has no probabilities; its calibration is the observed risk at each score value (sparse top values pooled until a range holds ${report.settings.pooling.minEvents} events and ${report.settings.pooling.minNonEvents} non-events), with clustered intervals.`,
  );
  d.table(
    ['Score', 'Score values', 'Sets', 'Events', 'Observed risk (clustered CI)'],
    pointsScores.flatMap((s) =>
      (s.observedRisk ?? []).map((r) => [
        s.name,
        r.scores[0] === r.scores[1] ? format.number(r.scores[0], 0) : `${format.number(r.scores[0], 0)}–${format.number(r.scores[1], 0)}`,
        cell(r.cell, (x) => format.number(x.sets, 0)),
        cell(r.cell, (x) => format.number(x.events, 0)),
        cell(r.cell, (x) => est(x.risk)),
      ]),
    ),
  );
}

function netBenefitSection(d: DocumentBuilder, report: ValidationReport): void {
  const rules = report.scores.flatMap((s) => s.netBenefit.map((nb) => ({ score: s.name, ...nb })));
  if (rules.length === 0) return;
  d.section('net-benefit', 'Net benefit of each alerting rule');
  d.table(
    ['Score', 'Rule', 'pₜ', 'Net benefit (clustered CI)', 'Treat all'],
    rules.map((r) => [
      r.score,
      r.rule,
      format.number(r.threshold, 2),
      cell(r.cell, (x) => est(x.netBenefit)),
      cell(r.cell, (x) => format.number(x.treatAll, 4)),
    ]),
  );
}

function comparisonsSection(d: DocumentBuilder, report: ValidationReport): void {
  if (report.comparisons.length === 0) return;
  d.section('comparisons', 'Paired comparisons (ΔAUROC = first − second)');
  d.table(
    ['Scores', 'Sets both can score', 'ΔAUROC', 'Clustered CI', 'p (clustered)', 'DeLong CI (naive)', 'DeLong p (naive)'],
    report.comparisons.map((cmp) => [
      `${cmp.a} − ${cmp.b}`,
      num(cmp.sets, 0),
      cell(cmp.cell, (x) => (x.defined ? format.number(x.estimate) : '—')),
      cell(cmp.cell, (x) => (x.defined ? format.interval(x.ci).trim() || '—' : '—')),
      cell(cmp.cell, (x) => (x.defined ? pValue(x.p) : '—')),
      cell(cmp.cell, (x) => (x.defined ? format.interval(x.naive.ci).trim() : '—')),
      cell(cmp.cell, (x) => (x.defined ? pValue(x.naive.p) : '—')),
    ]),
  );
}

function equalWorkloadSection(d: DocumentBuilder, report: ValidationReport): void {
  if (report.comparisons.length === 0) return;
  d.section('equal-workload', 'Paired comparisons at equal workload');
  d.paragraph(
    'The second score at the cut-off where it alerts on the common sets no more often than the first at its first clinical cut-off; sensitivities with patient-clustered intervals, the difference paired.',
  );
  d.table(
    ['Scores', 'First: rule (alert rate)', 'Second: cut-off (alert rate)', 'Sensitivity, first', 'Sensitivity, second', 'Difference (second − first)'],
    report.comparisons.map((cmp) => [
      `${cmp.a} vs ${cmp.b}`,
      ...(isSuppressed(cmp.matchedAlertRate)
        ? new Array<string>(5).fill(SUPPRESSED)
        : !cmp.matchedAlertRate.defined
          ? [cmp.matchedAlertRate.message, '—', '—', '—', '—']
          : [
              `${cmp.matchedAlertRate.ruleA} (${(100 * cmp.matchedAlertRate.alertRate).toFixed(1)} %)`,
              cmp.matchedAlertRate.cutB === null
                ? 'none'
                : `≥ ${format.number(cmp.matchedAlertRate.cutB, 4)} (${(100 * cmp.matchedAlertRate.alertRateB).toFixed(1)} %)`,
              est(cmp.matchedAlertRate.sensitivityA),
              est(cmp.matchedAlertRate.sensitivityB),
              est(cmp.matchedAlertRate.difference),
            ]),
    ]),
  );
}

function likeForLikeSection(d: DocumentBuilder, report: ValidationReport): void {
  if (report.comparisons.length === 0) return;
  d.section('like-for-like', 'Like for like: each score at its first clinical cut-off on the same sets');
  d.paragraph(
    'On the sets both scores can score (each score’s own section uses all the sets it can score, so its rates there describe another population); the difference is second − first, paired (patients resampled once for both). Net benefit is TP/n − FP/n · pₜ/(1 − pₜ) of the same rule, a false alert weighed by the threshold probability pₜ.',
  );
  const metricRows: [string, 'sensitivity' | 'specificity' | 'alertRate'][] = [
    ['Sensitivity', 'sensitivity'],
    ['Specificity', 'specificity'],
    ['Alert rate', 'alertRate'],
  ];
  d.table(
    ['Scores', 'Rules (first; second)', 'Metric', 'First', 'Second', 'Difference (second − first)'],
    report.comparisons.flatMap((cmp) => {
      const r = cmp.rules;
      if (isSuppressed(r)) return [[`${cmp.a} vs ${cmp.b}`, SUPPRESSED, '—', '—', '—', '—']];
      if (!r.defined) return [[`${cmp.a} vs ${cmp.b}`, r.message, '—', '—', '—', '—']];
      const metrics: [string, PairedRuleMetric][] = [
        ...metricRows.map(([label, key]): [string, PairedRuleMetric] => [label, r[key]]),
        ...r.netBenefit.map((nb): [string, PairedRuleMetric] => [`Net benefit at pₜ = ${format.number(nb.threshold, 2)}`, nb]),
      ];
      return metrics.map(([label, m]) => [`${cmp.a} vs ${cmp.b}`, `${r.ruleA}; ${r.ruleB}`, label, est(m.a), est(m.b), est(m.difference)]);
    }),
  );
}

function subgroupSections(d: DocumentBuilder, report: ValidationReport): void {
  const ids = report.settings.scores.map((s) => s.id);
  if (report.subgroups.length > 0) {
    const m = report.settings.multiplicity;
    d.paragraph(
      `Subgroup differences from the reference group are paired (patients resampled once with all their sets). p-values (2 (k + 1) / (B + 1)) are ${m.method}-adjusted over the ${m.contrasts} released contrasts of this report${m.smallestAdjustedP === null ? '' : ` (the smallest reachable: ${m.smallestAdjustedP.toFixed(3)})`}, and the intervals beside them are simultaneous over the same ${m.contrasts} contrasts (bootstrap max-T). Calibration intercept (0 ideal; above 0, more events than predicted) and slope (1 ideal) are against a model's probabilities, or — for a points score — against the risk the same score carries in every other group (a logistic mapping fitted leaving the group out).`,
    );
  }
  for (const sg of report.subgroups) {
    d.section(figurePlace({ section: 'subgroups', by: sg.by }), `Subgroups by ${sg.by} (reference: ${sg.reference})`);
    d.table(
      [
        'Group',
        'Patients',
        'Patients with an event',
        'Positive sets',
        ...ids.flatMap((id) => [
          `${id} AUROC`,
          'Δ (adj. p)',
          `${id} sensitivity`,
          'Δ (adj. p)',
          `${id} calibration intercept`,
          'Δ (adj. p)',
          `${id} calibration slope`,
          'Δ (adj. p)',
        ]),
      ],
      sg.groups.map((g) => [
        g.group,
        num(g.patients, 0),
        num(g.eventPatients, 0),
        num(g.positiveSets, 0),
        ...ids.flatMap((id) => {
          const v = g.scores[id] ?? null;
          return [
            cell(v, (x) => est(x.auroc)),
            cell(v, (x) => contrast(x.differenceFromReference.auroc)),
            cell(v, (x) => cell(x.sensitivity.value, (y) => est(y))),
            cell(v, (x) => cell(x.differenceFromReference.sensitivity, (y) => contrast(y))),
            cell(v, (x) => est(x.calibrationInTheLarge)),
            cell(v, (x) => contrast(x.differenceFromReference.calibrationInTheLarge)),
            cell(v, (x) => est(x.slope)),
            cell(v, (x) => contrast(x.differenceFromReference.slope)),
          ];
        }),
      ]),
    );
    const notes = sg.groups.filter((g) => g.precision !== null);
    if (notes.length > 0) d.paragraph(`Precision: ${notes.map((g) => `${g.group} — ${g.precision}`).join('; ')}.`);
  }
}

function unitsSection(d: DocumentBuilder, report: ValidationReport): void {
  if (report.units.length === 0) return;
  d.section('units', 'Other units of analysis');
  unitTable(
    d,
    report.units,
    report.settings.scores.map((s) => s.id),
  );
}

/** A share as a percentage with its interval ("12.3 % (9.8 to 15.0)"). */
function percent(v: EstimateCell | UndefinedCell): string {
  if (!v.defined) return '—';
  const ci = v.ci === null ? '' : ` (${(100 * v.ci[0]).toFixed(1)} to ${(100 * v.ci[1]).toFixed(1)})`;
  return `${(100 * v.estimate).toFixed(1)} %${ci}`;
}

/** What each score's rules do on the ward; NEWS2's monitoring compliance by band. */
function alertsSection(d: DocumentBuilder, report: ValidationReport): void {
  const boot = report.settings.bootstrap;
  alertTables(d, report.alerts, report.settings.outcome.horizonHours, boot === false ? null : boot.B);
}

/**
 * The section "Alerts on the ward" of a report's alert measures (the full report's and the engine report's): each
 * score's rules, NEWS2's monitoring compliance by band. Nothing when no score has a rule. `B`: the bootstrap's
 * replicates, null for none.
 */
export function alertTables(d: DocumentBuilder, a: AlertsSection, horizonHours: number, B: number | null): void {
  if (a.scores.every((s) => s.rules.length === 0 && s.monitoring === null)) return;
  d.section('alerts', 'Alerts on the ward');
  d.paragraph(
    `Each rule over each score's analysed sets. Alert burden: alerts per patient-day (ward time ${a.wardTime}) and per 100 sets. ` +
      'Repeat alerts: the share of alerts whose previous set in the encounter also alerted. First-alert PPV: of encounters with an alert, the share whose first alert was followed by the event within the horizon. ' +
      `Episode sensitivity: of encounters with an event (episodes), the share with an alert within ${horizonHours} h before it (an episode with no set in that window is missed). ` +
      'Lead time: from the first alert in that window to the event, median (IQR) over the detected episodes. ' +
      `Intervals: ${B === null ? 'none (no bootstrap)' : `patient-clustered bootstrap (B = ${B}; percentile; the median's interval for lead time)`}.`,
  );
  for (const s of a.scores) {
    if (s.rules.length === 0) continue;
    d.table(
      [
        `${s.id}: rule`,
        'Alerts',
        'Per patient-day',
        'Per 100 sets',
        'Repeat alerts',
        'First-alert PPV',
        `Episode sensitivity (episodes: ${num(s.episodes, 0)})`,
        'Lead time, h: median (IQR) [CI of the median]',
      ],
      s.rules.map((r) => [
        r.rule,
        num(r.alerts, 0),
        cell(r.perPatientDay, (x) => est(x)),
        cell(r.per100Sets, (x) => est(x)),
        cell(r.repeatAlertRate, percent),
        cell(r.firstAlertPpv, percent),
        cell(r.episodeSensitivity, percent),
        cell(r.leadTimeHours, (x) =>
          x.defined
            ? `${x.median.toFixed(1)} (${x.q1.toFixed(1)}–${x.q3.toFixed(1)})${x.ci === null ? '' : ` [${x.ci[0].toFixed(1)} to ${x.ci[1].toFixed(1)}]`}`
            : '—',
        ),
      ]),
    );
  }
  for (const s of a.scores) {
    if (s.monitoring === null) continue;
    d.paragraph(
      `${s.id}: monitoring compliance — the share of sets whose next set came within the interval the band asks for (RCP 2017 Chart 4; + ${a.toleranceMinutes} min), by when it fell due (night 22:00–06:00).`,
    );
    const bands = [...new Set(s.monitoring.map((m) => m.band))];
    d.table(
      ['NEWS2 band', 'Interval (h)', 'Sets followed by a set', 'On time', 'By day', 'By night'],
      bands.map((b) => {
        const row = (period: string) => s.monitoring?.find((m) => m.band === b && m.period === period);
        const all = row('all');
        return [
          b,
          String(all?.intervalHours ?? '—'),
          all === undefined ? '—' : num(all.sets, 0),
          all === undefined ? '—' : cell(all.compliance, percent),
          ...(['day', 'night'] as const).map((p) => {
            const r = row(p);
            return r === undefined ? '—' : `${cell(r.compliance, percent)} of ${num(r.sets, 0)}`;
          }),
        ];
      }),
    );
  }
}

function missingDataSection(d: DocumentBuilder, report: ValidationReport): void {
  const md = report.missingData;
  d.section('missing-data', 'Missing data').paragraph(md.statement);
  if (md.models.length > 0)
    d.table(
      ['Model score', 'Analysed sets', 'With an imputed input', 'Escalated by a single extreme value'],
      md.models.map((r) => [r.score, num(r.analysed, 0), share(r.withImputed, r.analysed), share(r.escalated, r.analysed)]),
    );
  if (md.sideBySide !== null)
    unitTable(
      d,
      [md.sideBySide.completeCase, md.sideBySide.zeroImputed],
      report.settings.scores.map((s) => s.id),
      true,
    );
}

/** Provenance and the TRIPOD+AI map. */
function tripodSection(d: DocumentBuilder, report: ValidationReport): void {
  const t = report.tripod;
  d.section('tripod', 'TRIPOD+AI');
  d.paragraph(
    `ewskit ${t.ewskitVersion}. Observation sets from ${t.dataDates.firstSet ?? '—'} to ${t.dataDates.lastSet ?? '—'}; follow-up ends ${t.dataDates.followUpEnds}.`,
  );
  d.table(
    ['Score', 'Version', 'SHA-256 of the definition'],
    t.definitions.map((def) => [def.name, def.version, `\`${def.sha256}\``]),
  );
  d.table(
    ['TRIPOD+AI topic', 'Where this report answers it'],
    t.items.map((i) => [i.topic, i.answer]),
  );
}

/** What an output checker reads first: the policy, its rules, and per table what was suppressed or rounded. */
function outputCheckingSection(d: DocumentBuilder, report: ValidationReport): void {
  const dc = report.disclosure;
  d.section('output-checking', 'Output checking');
  d.paragraph(
    `Disclosure policy: ${dc.policy}. ${dc.rules.map((r) => `${r.charAt(0).toUpperCase()}${r.slice(1)}.`).join(' ')} Relations protected: ${format.number(dc.relations, 0)}.${auditSentence(dc.audit)}`,
  );
  d.table(
    ['Table', 'Cells', 'Suppressed (primary)', 'Suppressed (secondary)', 'Suppressed (derived)', 'Rounded'],
    dc.tables.map((t) => [
      t.table,
      ...[t.cells, t.suppressedPrimary, t.suppressedSecondary, t.suppressedDependants, t.rounded].map((n) => format.number(n, 0)),
    ]),
  );
  d.paragraph(
    `Cells suppressed, by rule: ${
      Object.entries(dc.suppressedCells)
        .map(([k, v]) => `${v} (${k})`)
        .join(', ') || 'none'
    }.`,
  );
  if (!dc.releasable) d.paragraph(notForRelease(dc));
}

/** The report's sections, in reading order: each adds its section (or none, when it has nothing to show). */
const SECTIONS: readonly ((d: DocumentBuilder, report: ValidationReport) => void)[] = [
  preamble,
  cohortSection,
  flowSection,
  characteristicsSections,
  discriminationSection,
  thresholdsSection,
  observedRiskSection,
  netBenefitSection,
  comparisonsSection,
  equalWorkloadSection,
  likeForLikeSection,
  subgroupSections,
  unitsSection,
  alertsSection,
  missingDataSection,
  tripodSection,
  outputCheckingSection,
];

/**
 * The report as a document (sections of paragraphs and tables), which every renderer walks. Runs in O(size of the
 * report); reads only the report.
 *
 * @example reportDocument(report).sections.map((s) => s.id); // => ['cohort', 'flow', …, 'output-checking']
 */
export function reportDocument(report: ValidationReport): ReportDocument {
  const d = new DocumentBuilder('Validation report');
  for (const add of SECTIONS) add(d, report);
  return d.build();
}
