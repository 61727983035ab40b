/**
 * The flow of observation sets (TRIPOD+AI "Participants"): from the extract to the study's labelled sets, then to
 * each score's analysed sets, every exclusion by reason, with counts by outcome and by group, each count under the
 * same disclosure rules as every other. Exclusions are mutually exclusive: a set is counted once, at the first
 * step that removes it.
 */
import type { Disclosure } from '../disclosure/disclosure.js';
import type { FlowCounts, FlowExclusion, FlowSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { columnValues } from './analysis-set.js';
import { valuesAt } from './attributes.js';
import { LABEL_EXCLUSIONS } from '../outcomes/label-outcomes.js';
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

/**
 * The inputs a score's exclusion reason names as missing (as `reasonOf` writes it); none for a flagged value or "not
 * scored".
 *
 * @example missingInputsOf('missing respiratory_rate, temperature'); // => ['respiratory_rate', 'temperature']
 */
export function missingInputsOf(reason: string): string[] {
  return reason.startsWith('missing ') ? reason.slice('missing '.length).split(', ') : [];
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

/** The flow's cells all belong to its one declared table. */
const FLOW = { table: 'flow' } as const;

/** A grouping of the flow's columns: each set's group label and the groups in order. */
interface FlowGrouping {
  readonly by: string;
  readonly labels: readonly (string | null)[];
  readonly names: readonly string[];
}

/** The flow's counts as pending cells of the ledger, with the relations each step and each sum of steps obey. */
class FlowCounter {
  private readonly table = FLOW;
  constructor(
    private readonly sdc: Disclosure,
    private readonly groupings: readonly FlowGrouping[],
    private readonly labels: ArrayLike<number>,
  ) {}

  /** One step's sets, outcomes and groups; within it, positive + negative = sets and the groups add up to the sets. */
  counts(rows: readonly number[], outcome: OutcomeKnown, byGroup = true): FlowCounts {
    const { sdc, table } = this;
    let positive = 0;
    for (const i of rows) if (this.labels[i] === 1) positive++;
    if (outcome === 'positive') positive = rows.length;
    const c: FlowCounts = {
      sets: sdc.count(rows.length, table),
      positive: outcome === 'unknown' ? null : sdc.count(positive, table),
      negative: outcome === 'unknown' ? null : sdc.count(rows.length - positive, table),
      byGroup: Object.fromEntries(
        (byGroup ? this.groupings : []).map(({ by, labels, names }) => {
          const n = new Map<string, number>(names.map((g) => [g, 0]));
          for (const i of rows) {
            const g = labels[i] ?? MISSING_GROUP;
            n.set(g, (n.get(g) ?? 0) + 1);
          }
          return [by, Object.fromEntries([...n].map(([g, k]) => [g, sdc.count(k, table)]))];
        }),
      ),
    };
    if (c.positive !== null && c.negative !== null) sdc.relation(c.sets, [c.positive, c.negative]);
    for (const groups of Object.values(c.byGroup)) sdc.relation(c.sets, Object.values(groups));
    return c;
  }

  /** An exclusion step: its reason and its counts. */
  exclusion(reason: string, rows: readonly number[], outcome: OutcomeKnown, byGroup = true): FlowExclusion {
    return { reason, ...this.counts(rows, outcome, byGroup) };
  }

  /** Across steps: `total` is the sum of `parts`, count by count (sets, outcomes, every group). */
  sumOf(total: FlowCounts, parts: readonly FlowCounts[]): void {
    const { sdc } = this;
    sdc.relation(
      total.sets,
      parts.map((p) => p.sets),
    );
    for (const key of ['positive', 'negative'] as const) {
      const t = total[key];
      if (t !== null && parts.every((p) => p[key] !== null))
        sdc.relation(
          t,
          parts.map((p) => p[key]),
        );
    }
    for (const { by, names } of this.groupings)
      for (const g of names) {
        const cells = parts.map((p) => p.byGroup[by]?.[g]);
        // Parts not counted by group (a score's exclusions): their total in the group is the rest, not shown — and
        // protected when small (the labelled sets less the analysed give it to anyone).
        if (cells.every((c) => c !== undefined)) sdc.relation(total.byGroup[by]?.[g], cells);
        else sdc.remainder(total.byGroup[by]?.[g], cells);
      }
  }

  /** The extract's sets by group: not shown (hidden counts), but they tie the exclusions and the labelled sets. */
  extractGroups(sets: FlowCounts['sets'], numRows: number): FlowCounts {
    const { sdc } = this;
    const c: FlowCounts = {
      sets,
      positive: null,
      negative: null,
      byGroup: Object.fromEntries(
        this.groupings.map(({ by, labels, names }) => {
          const n = new Map<string, number>(names.map((g) => [g, 0]));
          for (let i = 0; i < numRows; i++) {
            const g = labels[i] ?? MISSING_GROUP;
            n.set(g, (n.get(g) ?? 0) + 1);
          }
          return [by, Object.fromEntries([...n].map(([g, k]) => [g, sdc.count(k, { hidden: true })]))];
        }),
      ),
    };
    for (const groups of Object.values(c.byGroup)) sdc.relation(sets, Object.values(groups));
    return c;
  }
}

/** What a reader knows of the outcome of the sets each study exclusion removes. */
const OUTCOME_OF: Record<(typeof LABEL_EXCLUSIONS)[number], OutcomeKnown> = {
  labelled: 'labels',
  'no encounter or time': 'unknown',
  'at or after the event': 'unknown',
  'shortly before the event': 'positive',
  'censored at discharge': 'unknown',
  'censored at the extract end': 'unknown',
};

/** The study's exclusions, in the labeller's order, then sets of no known patient. */
function studyExclusions(counter: FlowCounter, set: AnalysisSet): FlowExclusion[] {
  const { scored, labelled, patientIds } = set;
  const steps: number[][] = LABEL_EXCLUSIONS.map(() => []);
  const noPatient: number[] = [];
  for (let i = 0; i < scored.numRows; i++) {
    const code = labelled.exclusion[i] ?? 0;
    if (code > 0) steps[code]?.push(i);
    else if (patientIds[i] === null || patientIds[i] === undefined) noPatient.push(i);
  }
  const excluded = LABEL_EXCLUSIONS.map((reason, code) => ({ reason, rows: steps[code] ?? [] }))
    .filter(({ reason, rows }) => reason !== 'labelled' && rows.length > 0)
    .map(({ reason, rows }) => counter.exclusion(reason, rows, OUTCOME_OF[reason]));
  if (noPatient.length > 0) excluded.push(counter.exclusion('no patient id', noPatient, 'labels'));
  return excluded;
}

/** Distinct non-null values. */
function distinct(values: readonly unknown[] | null): number {
  const seen = new Set(values);
  seen.delete(null);
  seen.delete(undefined);
  return seen.size;
}

/** One score's flow from the labelled sets: its exclusions by reason, then its analysed sets (which they add up to). */
function scoreFlow(
  counter: FlowCounter,
  set: AnalysisSet,
  d: Settings['scores'][number],
  s: number,
  labelledCounts: FlowCounts,
): FlowSection['scores'][number] {
  const values = set.values[s] ?? new Float64Array(0);
  const kept: number[] = [];
  const dropped: number[] = [];
  set.rows.forEach((i, k) => (Number.isFinite(values[k] ?? NaN) ? kept : dropped).push(i));
  // The reasons, read only where the score has no value.
  const flags = valuesAt(set.scored, `${d.id}_flags`, dropped) ?? [];
  const missing = valuesAt(set.scored, `${d.id}_missing`, dropped) ?? [];
  const at = new Map(dropped.map((i, j) => [i, j]));
  const scoreExcluded = byReason(dropped, (i) => reasonOf(flags[at.get(i) ?? -1], missing[at.get(i) ?? -1])).map(([reason, rows]) =>
    // By reason overall and by outcome; by group only their total (the labelled sets less the analysed): the
    // missing inputs by group are Table 1's, and both by reason and by group would tie the two tables cell by cell.
    counter.exclusion(reason, rows, 'labels', false),
  );
  const analysed = counter.counts(kept, 'labels');
  // The labelled sets are the sum of the score's exclusions and its analysed sets.
  counter.sumOf(labelledCounts, [...scoreExcluded, analysed]);
  return { id: d.id, excluded: scoreExcluded, analysed };
}

/** The flow section. Runs in O(n · (groupings + scores)). */
export function flow(settings: Settings, set: AnalysisSet): FlowSection {
  const { scored, patientIds } = set;
  const sdc = settings.disclosure;
  const groupings = settings.groupBy.map((by): FlowGrouping => {
    const labels = groupLabels(by, set, settings.cohort, settings.skinToneBands);
    const present = [...new Set(labels.filter((g): g is string => g !== null))].sort();
    const names = labels.includes(null) ? [...present, MISSING_GROUP] : present;
    return { by, labels, names };
  });
  sdc.declareTable({
    name: 'flow',
    dimensions: [
      'step (the extract; the study’s exclusions by reason; the labelled sets; per score, its exclusions by reason and its analysed sets)',
      'outcome (positive, negative)',
      'group of each grouping',
    ],
    margins:
      "each step's positive and negative sets add up to its sets, and each grouping's groups do too; the extract is the sum of the study's exclusions and the labelled sets (its groups not shown); the labelled sets are the sum of each score's exclusions and its analysed sets, outcome by outcome and group by group",
  });
  const counter = new FlowCounter(sdc, groupings, set.labelled.labels);
  const excluded = studyExclusions(counter, set);
  const table = FLOW;
  const extract = {
    patients: sdc.count(distinct(patientIds), table),
    encounters: sdc.count(distinct(columnValues(scored, 'encounter_id')), table),
    sets: sdc.count(scored.numRows, table),
  };
  const labelledCounts = counter.counts(set.rows, 'labels');
  // The extract is the sum of the study's exclusions and the labelled sets; its groups' totals are not shown.
  counter.sumOf(counter.extractGroups(extract.sets, scored.numRows), [...excluded, labelledCounts]);
  return {
    extract,
    excluded,
    labelled: labelledCounts,
    scores: settings.scores.map((d, s) => scoreFlow(counter, set, d, s, labelledCounts)),
  };
}
