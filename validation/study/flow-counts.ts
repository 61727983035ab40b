/**
 * The flow as counts — the sets by why they have no label and the analysis set and each score's analysable sets,
 * events and patients (overall and per group) — computed from an analysis set in this process (engine `js`, a site's
 * shared count tables) as the engines compute them in SQL. Counts of disjoint sets of patients add.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { AnalysisSet } from './analysis-set.js';

/**
 * The flow's counts: per exclusion code of the labeller, and per score (the analysis set as score "") and group, the
 * sets, events and patients — what an engine returns, and what a site shares for one-stage pooling. Counts of disjoint
 * sets of patients add (`addFlowCounts`).
 */
export interface EngineFlow {
  /** Per exclusion code (an index into `LABEL_EXCLUSIONS`; 0 = labelled): sets, positive and censored sets, sets without a patient. */
  readonly byCode: readonly {
    readonly code: number;
    readonly sets: number;
    readonly positive: number;
    /** Sets censored (at discharge or the extract's end): excluded (their own code) or, with `censored: 'negative'`, labelled 0 (code 0). */
    readonly censored: number;
    readonly withoutPatient: number;
  }[];
  /**
   * The analysis set (score "") and each score's analysable sets, overall (group "") and per group of the grouping:
   * sets, positive sets, patients, patients with an event.
   */
  readonly scores: readonly {
    readonly score: string;
    readonly group: string;
    readonly sets: number;
    readonly positive: number;
    readonly patients: number;
    readonly eventPatients: number;
  }[];
  readonly extractEnd: number | null;
  readonly extractEndInferred: boolean;
  /** Whether the engine had an encounters table (follow-up ends at discharge). */
  readonly followUpEndsAtDischarge: boolean;
}

/**
 * The flow's counts of an analysis set: per exclusion code, and per score (and, with `group`, per group of each
 * analysis row; "" overall). Runs in O(n · (scores + 1) · (groups + 1)).
 */
export function flowCounts(
  set: AnalysisSet,
  scores: readonly ScoreDefinition[],
  group: readonly string[] | null,
  options: { readonly censoredNegative: boolean; readonly followUpEndsAtDischarge: boolean },
): EngineFlow {
  const l = set.labelled;
  const byCode = new Map<number, { sets: number; positive: number; withoutPatient: number }>();
  l.exclusion.forEach((code, i) => {
    const c = byCode.get(code) ?? { sets: 0, positive: 0, withoutPatient: 0 };
    c.sets++;
    if (l.labels[i] === 1) c.positive++;
    if (set.patientIds[i] === null || set.patientIds[i] === undefined) c.withoutPatient++;
    byCode.set(code, c);
  });
  const groups = group === null ? [] : [...new Set(group)].sort();
  const perScore = (values: Float64Array | null, only: string | null = null) => {
    const patients = new Set<number>();
    const withEvent = new Set<number>();
    let sets = 0;
    let positive = 0;
    set.labels.forEach((y, k) => {
      if (values !== null && !Number.isFinite(values[k] ?? NaN)) return;
      if (only !== null && group?.[k] !== only) return;
      sets++;
      positive += y;
      patients.add(set.patient[k] ?? -1);
      if (y === 1) withEvent.add(set.patient[k] ?? -1);
    });
    return { sets, positive, patients: patients.size, eventPatients: withEvent.size };
  };
  return {
    byCode: [...byCode.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([code, c]) => ({ code, ...c, censored: code === 4 || code === 5 ? c.sets : code === 0 && options.censoredNegative ? l.censored : 0 })),
    scores: [
      { score: '', group: '', ...perScore(null) },
      ...groups.map((g) => ({ score: '', group: g, ...perScore(null, g) })),
      ...scores.flatMap((d, s) => [
        { score: d.id, group: '', ...perScore(set.values[s] ?? null) },
        ...groups.filter((g) => perScore(set.values[s] ?? null, g).sets > 0).map((g) => ({ score: d.id, group: g, ...perScore(set.values[s] ?? null, g) })),
      ]),
    ],
    extractEnd: l.extractEnd,
    extractEndInferred: l.extractEndInferred,
    followUpEndsAtDischarge: options.followUpEndsAtDischarge,
  };
}

/**
 * Two flows of disjoint sets of patients added, code by code and score by score (patients add: no patient is in
 * both). The extract end and follow-up are the first's: the caller checks they agree where that matters (partitions of
 * one extract; sites each censor at their own end). `order` is the scores' order. Runs in O(rows).
 */
export function addFlowCounts(a: EngineFlow, b: EngineFlow, order: readonly string[]): EngineFlow {
  const byCode = new Map<number, EngineFlow['byCode'][number]>();
  for (const c of [...a.byCode, ...b.byCode]) {
    const d = byCode.get(c.code);
    byCode.set(
      c.code,
      d === undefined
        ? c
        : {
            code: c.code,
            sets: d.sets + c.sets,
            positive: d.positive + c.positive,
            censored: d.censored + c.censored,
            withoutPatient: d.withoutPatient + c.withoutPatient,
          },
    );
  }
  const scores = new Map<string, EngineFlow['scores'][number]>();
  for (const c of [...a.scores, ...b.scores]) {
    const key = `${c.score}\u0000${c.group}`;
    const d = scores.get(key);
    scores.set(
      key,
      d === undefined
        ? c
        : {
            ...d,
            sets: d.sets + c.sets,
            positive: d.positive + c.positive,
            patients: d.patients + c.patients,
            eventPatients: d.eventPatients + c.eventPatients,
          },
    );
  }
  return {
    ...a,
    byCode: [...byCode.values()].sort((x, y) => x.code - y.code),
    scores: [...scores.values()].sort((x, y) => order.indexOf(x.score) - order.indexOf(y.score) || (x.group < y.group ? -1 : x.group > y.group ? 1 : 0)),
  };
}
