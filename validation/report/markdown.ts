/**
 * The validation report as a readable Markdown summary: Table 1, discrimination and calibration per score, the
 * paired comparisons, and the subgroup table. Suppressed cells print as "‹suppressed›" with a footnote of the rules.
 */
import { isSuppressed } from '../study/disclosure.js';
import type { ValidationReport } from '../study/validate.js';

type Json = Record<string, unknown>;

const SUPPRESSED = '‹suppressed›';

function num(v: unknown, digits = 3): string {
  if (isSuppressed(v)) return SUPPRESSED;
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) && (digits === 0 || Math.abs(v) >= 1) ? v.toLocaleString('en-GB') : v.toFixed(digits);
  return String(v);
}

function ci(v: unknown, digits = 3): string {
  if (!Array.isArray(v)) return '';
  return ` (${num(v[0], digits)} to ${num(v[1], digits)})`;
}

function cell(v: unknown, pick: (x: Json) => string): string {
  if (isSuppressed(v)) return SUPPRESSED;
  if (v === null || v === undefined) return '—';
  return pick(v as Json);
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/**
 * Render a validation report as Markdown. Runs in O(size of the report).
 *
 * @example renderMarkdown(validate({ cohort, scores: [news2] })); // => '# Validation report …'
 */
export function renderMarkdown(report: ValidationReport): string {
  const c = report.cohort as Json;
  const settings = report.settings as Json;
  const outcome = settings.outcome as Json;
  const boot = settings.bootstrap as Json | false;
  const out: string[] = [];
  out.push('# Validation report', '');
  out.push(
    `Outcome: ${Array.isArray(outcome.eventTypes) ? outcome.eventTypes.join(', ') : 'any event'} within ${outcome.horizonHours} h of an observation set. ` +
      `Intervals: ${Math.round((settings.level as number) * 100)} %, DeLong and ${boot === false ? 'no bootstrap' : `patient-clustered bootstrap (B = ${boot.B}, seed ${boot.seed})`}.`,
    '',
  );
  out.push('## Table 1 — cohort', '');
  out.push(
    table(['', 'n'], [
      ['Patients', num(c.patients, 0)],
      ['Encounters', num(c.encounters, 0)],
      ['Observation sets', num(c.observationSets, 0)],
      ['Analysed sets (every score present, outcome known)', num(c.analysedSets, 0)],
      ['Events', num(c.events, 0)],
      ['Sets followed by an event within the horizon', num(c.positiveSets, 0)],
      ['Follow-up (patient-days)', num(c.followUpDays, 1)],
    ]),
    '',
  );
  if (c.source !== null && c.source !== undefined) out.push(`Cohort: ${String(c.source)}.`, '');
  const miss = c.missingness as Record<string, number>;
  if (Object.keys(miss).length > 0) {
    out.push(`Missing values: ${Object.entries(miss).map(([k, v]) => `${k} ${(100 * v).toFixed(1)} %`).join(' · ')}.`, '');
  }
  out.push('## Discrimination and calibration', '');
  out.push(
    table(
      ['Score', 'AUROC (DeLong CI)', 'Bootstrap CI', 'Average precision', 'O/E', 'Calibration-in-the-large', 'Slope', 'Brier', 'Eavg'],
      report.scores.map((s) => {
        const a = s.auroc;
        const k = s.calibration;
        return [
          `${s.name as string}${s.illustrative === true && !/illustrative/i.test(s.name as string) ? ' (illustrative)' : ''}`,
          cell(a, (x) => `${num(x.auc)}${ci(x.delongCi)}`),
          cell(a, (x) => cell(x.bootstrap, (b) => ci(b.ci).trim())),
          num(s.averagePrecision),
          cell(k, (x) => num(x.observedExpected)),
          cell(k, (x) => cell(x.calibrationInTheLarge, (e) => `${num(e.estimate)}${ci(e.ci)}`)),
          cell(k, (x) => cell(x.slope, (e) => `${num(e.estimate)}${ci(e.ci)}`)),
          cell(k, (x) => num(x.brier, 4)),
          cell(k, (x) => num(x.eavg, 4)),
        ];
      }),
    ),
    '',
  );
  out.push('## Clinical thresholds', '');
  out.push(
    table(
      ['Score', 'Threshold', 'Sensitivity', 'Specificity', 'PPV', 'Alert rate'],
      report.scores.flatMap((s) =>
        (s.thresholds as Json[]).map((t) => [
          s.name as string,
          t.label as string,
          cell(t.sensitivity, (x) => `${num(x.value)}${ci(x.ci)}`),
          cell(t.specificity, (x) => `${num(x.value)}${ci(x.ci)}`),
          cell(t.ppv, (x) => `${num(x.value)}${ci(x.ci)}`),
          cell(t.alertRate, (x) => num(x.value)),
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
          `${cmp.a as string} − ${cmp.b as string}`,
          cell(cmp.cell, (x) => num(x.difference)),
          cell(cmp.cell, (x) => cell(x.delong, (d) => ci(d.ci).trim())),
          cell(cmp.cell, (x) => cell(x.delong, (d) => (typeof d.p === 'number' ? (d.p < 0.001 ? '<0.001' : d.p.toFixed(3)) : '—'))),
          cell(cmp.cell, (x) => cell(x.bootstrap, (b) => ci(b.ci).trim())),
        ]),
      ),
      '',
    );
  }
  for (const sg of report.subgroups) {
    out.push(`## Subgroups by ${sg.by as string} (reference: ${sg.reference as string})`, '');
    const ids = (settings.scores as Json[]).map((s) => s.id as string);
    out.push(
      table(
        ['Group', 'Patients', 'Patients with an event', 'Positive sets', ...ids.flatMap((id) => [`${id} AUROC`, `Δ vs reference`, `${id} sensitivity`, `Δ vs reference`])],
        (sg.groups as Json[]).map((g) => [
          g.group as string,
          num(g.patients, 0),
          num(g.eventPatients, 0),
          num(g.positiveSets, 0),
          ...ids.flatMap((id) => {
            const v = (g.scores as Json)[id];
            return [
              cell(v, (x) => cell(x.auroc, (a) => num(a.auc))),
              cell(v, (x) => cell((x.differenceFromReference as Json).auroc, (d) => `${num(d.estimate)}${ci(d.ci)}`)),
              cell(v, (x) => cell(x.sensitivity, (sv) => num(sv.value))),
              cell(v, (x) => cell((x.differenceFromReference as Json).sensitivity, (d) => `${num(d.estimate)}${ci(d.ci)}`)),
            ];
          }),
        ]),
      ),
      '',
    );
  }
  if (report.units.length > 0) {
    out.push('## Other units of analysis', '');
    const ids = (settings.scores as Json[]).map((x) => x.id as string);
    out.push(
      table(
        ['Unit', ...ids.map((id) => `${id} AUROC (DeLong CI)`)],
        report.units.map((u) => [
          u.unit as string,
          ...ids.map((id) => cell((u.scores as Json)[id], (x) => cell(x.auroc, (a) => `${num(a.auc)}${ci(a.delongCi)}`))),
        ]),
      ),
      '',
    );
  }
  const d = report.disclosure;
  out.push(`Disclosure control: ${d.rules.join('; ')}. Cells suppressed: ${Object.entries(d.suppressedCells).map(([k, v]) => `${v} (${k})`).join(', ') || 'none'}.`, '');
  return out.join('\n');
}
