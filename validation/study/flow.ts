/**
 * The flow of observation sets (TRIPOD+AI "Participants"): from the extract to the study's labelled sets, then to
 * each score's analysed sets, every exclusion by reason, with counts by outcome and by group, each count under the
 * same disclosure rules as every other. Exclusions are mutually exclusive: a set is counted once, at the first
 * step that removes it.
 */
import type { FlowCounts, FlowExclusion, FlowSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { columnValues } from './analysis-set.js';
import { valuesAt } from './attributes.js';
import { LABEL_EXCLUSIONS } from './label-outcomes.js';
import type { Settings } from './options.js';
import { groupLabels } from './subgroups.js';

const MISSING_GROUP = '(missing)';

/** What a step knows of its sets' outcomes: their labels, that all are positive, or nothing. */
type OutcomeKnown = 'labels' | 'positive' | 'unknown';

/** Why score `s` cannot score a set: a flagged value first (it names the value's problem), else the missing inputs. */
function reasonOf(flags: unknown, missing: unknown): string {
  if (typeof flags === 'string' && flags !== '') {
    return `flagged value: ${flags
      .split(';')
      .map((f) => {
        const [reason, field] = f.split(':');
        return `${field ?? '?'} (${reason ?? '?'})`;
      })
      .join(', ')}`;
  }
  if (typeof missing === 'string' && missing !== '') return `missing ${missing.split(';').join(', ')}`;
  return 'not scored';
}

/** Scored-row indices by reason, largest first (ties by name). */
function byReason(rows: Iterable<number>, reason: (i: number) => string): [string, number[]][] {
  const out = new Map<string, number[]>();
  for (const i of rows) {
    const r = reason(i);
    let list = out.get(r);
    if (list === undefined) out.set(r, (list = []));
    list.push(i);
  }
  return [...out].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
}

/** The flow section. Runs in O(n · (groupings + scores)). */
export function flow(settings: Settings, set: AnalysisSet): FlowSection {
  const { scored, labelled, patientIds } = set;
  const sdc = settings.disclosure;
  const groupings = settings.groupBy.map((by) => {
    const labels = groupLabels(by, set, settings.cohort, settings.skinToneBands);
    const present = [...new Set(labels.filter((g): g is string => g !== null))].sort();
    const names = labels.includes(null) ? [...present, MISSING_GROUP] : present;
    return { by, labels, names };
  });

  const counts = (rows: readonly number[], outcome: OutcomeKnown): FlowCounts => {
    let positive = 0;
    for (const i of rows) if (labelled.labels[i] === 1) positive++;
    if (outcome === 'positive') positive = rows.length;
    return {
      sets: sdc.count(rows.length),
      positive: outcome === 'unknown' ? null : sdc.count(positive),
      negative: outcome === 'unknown' ? null : sdc.count(rows.length - positive),
      byGroup: Object.fromEntries(
        groupings.map(({ by, labels, names }) => {
          const n = new Map<string, number>(names.map((g) => [g, 0]));
          for (const i of rows) {
            const g = labels[i] ?? MISSING_GROUP;
            n.set(g, (n.get(g) ?? 0) + 1);
          }
          return [by, Object.fromEntries([...n].map(([g, c]) => [g, sdc.count(c)]))];
        }),
      ),
    };
  };
  const exclusion = (reason: string, rows: readonly number[], outcome: OutcomeKnown): FlowExclusion => ({ reason, ...counts(rows, outcome) });

  // The study's exclusions, in the labeller's order, then sets of no known patient.
  const steps: number[][] = LABEL_EXCLUSIONS.map(() => []);
  const noPatient: number[] = [];
  for (let i = 0; i < scored.numRows; i++) {
    const code = labelled.exclusion[i] ?? 0;
    if (code > 0) steps[code]?.push(i);
    else if (patientIds[i] === null || patientIds[i] === undefined) noPatient.push(i);
  }
  const outcomeOf: Record<(typeof LABEL_EXCLUSIONS)[number], OutcomeKnown> = {
    labelled: 'labels',
    'no encounter or time': 'unknown',
    'at or after the event': 'unknown',
    'shortly before the event': 'positive',
    censored: 'unknown',
  };
  const excluded = LABEL_EXCLUSIONS.map((reason, code) => ({ reason, rows: steps[code] ?? [] }))
    .filter(({ reason, rows }) => reason !== 'labelled' && rows.length > 0)
    .map(({ reason, rows }) => exclusion(reason, rows, outcomeOf[reason]));
  if (noPatient.length > 0) excluded.push(exclusion('no patient id', noPatient, 'labels'));

  const distinct = (values: readonly unknown[] | null): number => {
    const seen = new Set(values);
    seen.delete(null);
    seen.delete(undefined);
    return seen.size;
  };
  return {
    extract: {
      patients: sdc.count(distinct(patientIds)),
      encounters: sdc.count(distinct(columnValues(scored, 'encounter_id'))),
      sets: sdc.count(scored.numRows),
    },
    excluded,
    labelled: counts(set.rows, 'labels'),
    scores: settings.scores.map((d, s) => {
      const values = set.values[s] ?? new Float64Array(0);
      const kept: number[] = [];
      const dropped: number[] = [];
      set.rows.forEach((i, k) => (Number.isFinite(values[k] ?? NaN) ? kept : dropped).push(i));
      // The reasons, read only where the score has no value.
      const flags = valuesAt(scored, `${d.id}_flags`, dropped) ?? [];
      const missing = valuesAt(scored, `${d.id}_missing`, dropped) ?? [];
      const at = new Map(dropped.map((i, j) => [i, j]));
      return {
        id: d.id,
        excluded: byReason(dropped, (i) => reasonOf(flags[at.get(i) ?? -1], missing[at.get(i) ?? -1])).map(([reason, rows]) =>
          exclusion(reason, rows, 'labels'),
        ),
        analysed: counts(kept, 'labels'),
      };
    }),
  };
}
