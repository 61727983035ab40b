/**
 * The validation report as a readable Markdown summary: Table 1, discrimination and calibration per score, the
 * paired comparisons, and the subgroup table. Suppressed cells print as "‹suppressed›" with a footnote of the rules.
 * Typed end to end: every field read here is a field of `ValidationReport`.
 */
import { isSuppressed } from '../study/disclosure.js';
import { format, HEADLINE_METRICS, renderHeadline } from '../study/score-metrics.js';
import type { BootstrapCell, Cell, EstimateCell, ProportionCell, UndefinedCell, ValidationReport } from './types.js';

const SUPPRESSED = '‹suppressed›';

/** A count or a number: "‹suppressed›" when suppressed, "—" when absent. */
function num(v: Cell<number> | null, digits = 3): string {
  if (v === null) return '—';
  if (isSuppressed(v)) return SUPPRESSED;
  return Number.isInteger(v) && (digits === 0 || Math.abs(v) >= 1) ? v.toLocaleString('en-GB') : v.toFixed(digits);
}

/** A cell rendered by `pick`, or the placeholder for a suppressed or absent cell. */
function cell<T>(v: Cell<T> | null, pick: (x: T) => string): string {
  if (v === null) return '—';
  if (isSuppressed(v)) return SUPPRESSED;
  return pick(v);
}

/** An estimate with its interval, or "—" when undefined. */
function est(v: EstimateCell | ProportionCell | UndefinedCell | BootstrapCell | null, withEstimate = true): string {
  if (v === null || !v.defined) return '—';
  return withEstimate ? format.estimate(v) : format.interval(v.ci).trim();
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
}

function pValue(p: number | null): string {
  if (p === null) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/**
 * Render a validation report as Markdown. Runs in O(size of the report).
 *
 * @example renderMarkdown(validate({ cohort, scores: [news2] })); // => '# Validation report …'
 */
export function renderMarkdown(report: ValidationReport): string {
  const c = report.cohort;
  const { outcome, bootstrap: boot, level } = report.settings;
  const ids = report.settings.scores.map((s) => s.id);
  const out: string[] = [];
  out.push('# Validation report', '');
  out.push(
    `Outcome: ${outcome.eventTypes === 'all' ? 'any event' : outcome.eventTypes.join(', ')} within ${outcome.horizonHours} h of an observation set. ` +
      `Intervals: ${Math.round(level * 100)} %, DeLong and ${boot === false ? 'no bootstrap' : `patient-clustered bootstrap (B = ${boot.B}, seed ${boot.seed})`}.`,
    '',
  );
  out.push('## Table 1 — cohort', '');
  out.push(
    table(
      ['', 'n'],
      [
        ['Patients', num(c.patients, 0)],
        ['Encounters', num(c.encounters, 0)],
        ['Observation sets', num(c.observationSets, 0)],
        ['Analysed sets (every score present, outcome known)', num(c.analysedSets, 0)],
        ['Events', num(c.events, 0)],
        ['Sets followed by an event within the horizon', num(c.positiveSets, 0)],
        ['Follow-up (patient-days)', num(c.followUpDays, 1)],
      ],
    ),
    '',
  );
  if (c.source !== null) out.push(`Cohort: ${c.source}.`, '');
  const miss = Object.entries(c.missingness);
  if (miss.length > 0) out.push(`Missing values: ${miss.map(([k, v]) => `${k} ${(100 * v).toFixed(1)} %`).join(' · ')}.`, '');

  out.push('## Discrimination and calibration', '');
  out.push(
    table(
      ['Score', ...HEADLINE_METRICS.flatMap((m) => m.columns.map((col) => col.header))],
      report.scores.map((s) => [
        `${s.name}${s.illustrative === true && !/illustrative/i.test(s.name) ? ' (illustrative)' : ''}`,
        ...HEADLINE_METRICS.flatMap((m) => renderHeadline(m, s, SUPPRESSED)),
      ]),
    ),
    '',
  );
  out.push('## Clinical thresholds', '');
  out.push(
    table(
      ['Score', 'Threshold', 'Sensitivity', 'Specificity', 'PPV', 'Alert rate'],
      report.scores.flatMap((s) =>
        s.thresholds.map((t) => [
          s.name,
          t.label,
          cell(t.sensitivity, (x) => est(x)),
          cell(t.specificity, (x) => est(x)),
          cell(t.ppv, (x) => est(x)),
          cell(t.alertRate, (x) => (x.defined ? format.number(x.estimate) : '—')),
        ]),
      ),
    ),
    '',
  );
  if (report.comparisons.length > 0) {
    out.push('## Paired comparisons (ΔAUROC = first − second)', '');
    out.push(
      table(
        ['Scores', 'ΔAUROC', 'DeLong CI', 'p', 'Bootstrap CI'],
        report.comparisons.map((cmp) => [
          `${cmp.a} − ${cmp.b}`,
          cell(cmp.cell, (x) => (x.defined ? format.number(x.estimate) : '—')),
          cell(cmp.cell, (x) => (x.defined ? format.interval(x.delong.ci).trim() : '—')),
          cell(cmp.cell, (x) => (x.defined ? pValue(x.delong.p) : '—')),
          cell(cmp.cell, (x) => (x.defined ? est(x.bootstrap, false) : '—')),
        ]),
      ),
      '',
    );
  }
  for (const sg of report.subgroups) {
    out.push(`## Subgroups by ${sg.by} (reference: ${sg.reference})`, '');
    out.push(
      table(
        [
          'Group',
          'Patients',
          'Patients with an event',
          'Positive sets',
          ...ids.flatMap((id) => [`${id} AUROC`, `Δ vs reference`, `${id} sensitivity`, `Δ vs reference`]),
        ],
        sg.groups.map((g) => [
          g.group,
          num(g.patients, 0),
          num(g.eventPatients, 0),
          num(g.positiveSets, 0),
          ...ids.flatMap((id) => {
            const v = g.scores[id] ?? null;
            return [
              cell(v, (x) => (x.auroc.defined ? format.number(x.auroc.estimate) : '—')),
              cell(v, (x) => est(x.differenceFromReference.auroc)),
              cell(v, (x) => (x.sensitivity.value.defined ? format.number(x.sensitivity.value.estimate) : '—')),
              cell(v, (x) => est(x.differenceFromReference.sensitivity)),
            ];
          }),
        ]),
      ),
      '',
    );
  }
  if (report.units.length > 0) {
    out.push('## Other units of analysis', '');
    out.push(
      table(
        ['Unit', ...ids.map((id) => `${id} AUROC (DeLong CI)`)],
        report.units.map((u) => [u.unit, ...ids.map((id) => cell(u.scores[id] ?? null, (x) => est(x.auroc)))]),
      ),
      '',
    );
  }
  const d = report.disclosure;
  out.push(
    `Disclosure control: ${d.rules.join('; ')}. Cells suppressed: ${
      Object.entries(d.suppressedCells)
        .map(([k, v]) => `${v} (${k})`)
        .join(', ') || 'none'
    }.`,
    '',
  );
  return out.join('\n');
}
