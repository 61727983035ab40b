/**
 * The report's reporting sections: outcomes per event type, how missing inputs were handled (with the zero-imputed
 * sensitivity analysis beside the primary one), and the TRIPOD+AI section — provenance, data dates and a map of the
 * checklist's topics to where the report answers them.
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { scoreTable } from '../../scores/kernel/score-table.js';
import { canonicalJson, EWSKIT_VERSION, sha256 } from '../report/provenance.js';
import type { Cell, FlowSection, MissingDataSection, ModelInputsRow, OutcomeRow, ReportSettings, TripodSection, UnitSection } from '../report/types.js';
import type { AnalysisSet } from './analysis-set.js';
import { columnValues, labelOptionsOf } from './analysis-set.js';
import { labelSets, observationKeys } from '../outcomes/label-outcomes.js';
import type { Settings } from './options.js';
import { scoredRows, unitCell } from './units.js';

/**
 * Events, encounters with an event and positive sets per event type (every event recorded, not only the first),
 * then the composite the study predicts. Runs in O(n · types).
 */
export function outcomeRows(settings: Settings, set: AnalysisSet): { rows: OutcomeRow[]; chosenEvents: Cell<number> } {
  const sdc = settings.disclosure;
  const table = { table: 'outcomes' };
  sdc.declareTable({
    name: 'outcomes',
    dimensions: ['event type (each type, then the composite of the chosen types)', 'count (events, encounters with one, positive sets)'],
    margins:
      "a type's encounters are at most its events, and equal to them for an event that happens once per encounter (death); the composite's events are the sum of its types', its encounters and positive sets at most the sum of its types' and at least each type's",
  });
  const types = (columnValues(settings.cohort.events, 'event_type') ?? []).map((t) => (t === null || t === undefined ? null : String(t)));
  const encounters = columnValues(settings.cohort.events, 'encounter_id') ?? [];
  const options = labelOptionsOf(settings);
  const row = (outcome: string, wanted: readonly string[]): OutcomeRow => {
    const rows = types.flatMap((t, i) => (t !== null && wanted.includes(t) ? [i] : []));
    return {
      outcome,
      events: sdc.count(rows.length, table),
      encounters: sdc.count(new Set(rows.map((i) => String(encounters[i]))).size, table),
      positiveSets: sdc.count(labelSets(set.scored, settings.cohort.events, { ...options, eventTypes: wanted }).positives, table),
    };
  };
  const all = [...new Set(types.filter((t): t is string => t !== null))].sort();
  const chosen = settings.outcome.eventTypes ?? all;
  const perType = all.map((t) => row(t, [t]));
  // What a reader knows from the events themselves: an encounter with an event has at least one (encounters ≤
  // events), and an event that happens once per encounter — death — has as many events as encounters (declared as
  // equal whenever they are: the strongest reader assumes it).
  for (const r of [...perType]) sdc.relationOf(r.encounters, [r.events]);
  if (chosen.length <= 1) {
    const only = perType.find((r) => r.outcome === chosen[0]);
    return { rows: perType, chosenEvents: only?.events ?? sdc.count(0, table) };
  }
  const composite = row(`composite: ${chosen.join(', ')}`, chosen);
  // Each event row has one type: the composite's events are the sum of its types'. Its encounters and positive sets
  // are at most the sum of its types' (one encounter can have several types), and at least each type's.
  const members = perType.filter((r) => chosen.includes(r.outcome));
  sdc.relation(
    composite.events,
    members.map((r) => r.events),
  );
  sdc.relationOf(
    composite.encounters,
    members.map((r) => r.encounters),
  );
  sdc.relationOf(
    composite.positiveSets,
    members.map((r) => r.positiveSets),
  );
  for (const r of members) {
    sdc.relationOf(r.encounters, [composite.encounters]);
    sdc.relationOf(r.positiveSets, [composite.positiveSets]);
  }
  sdc.relationOf(composite.encounters, [composite.events]);
  return { rows: [...perType, composite], chosenEvents: composite.events };
}

/**
 * Per model-based score: its analysed sets, how many of them had an input imputed by the definition's own rule, and
 * how many a single extreme value escalated (`escalated_by`). Runs in O(n · model scores).
 */
function modelInputs(settings: Settings, set: AnalysisSet, flow: FlowSection): ModelInputsRow[] {
  const sdc = settings.disclosure;
  const table = { table: 'missing data' };
  sdc.declareTable({
    name: 'missing data',
    dimensions: [
      'score',
      'count (analysed sets, sets with an imputed input, escalated sets)',
      'unit side by side (complete-case, zero-imputed): sets, positive sets, AUROC',
    ],
    margins: 'a model score’s sets with an imputed input, and its escalated sets, are at most its analysed sets (the flow’s cell)',
  });
  sdc.link('missing data', 'flow', 'a model score’s analysed sets are the flow’s analysed sets of the score (the same cell)');
  return settings.scores.flatMap((d, s) => {
    if (d.kind !== 'model') return [];
    const values = set.values[s] ?? new Float64Array(0);
    const imputed = columnValues(set.scored, `${d.id}_imputed`) ?? [];
    const escalated = columnValues(set.scored, `${d.id}_escalated_by`) ?? [];
    let analysed = 0;
    let withImputed = 0;
    let withEscalation = 0;
    set.rows.forEach((row, k) => {
      if (!Number.isFinite(values[k] ?? Number.NaN)) return;
      analysed++;
      if (imputed[row] !== null && imputed[row] !== undefined) withImputed++;
      if (escalated[row] !== null && escalated[row] !== undefined) withEscalation++;
    });
    const row = {
      score: d.id,
      analysed: flow.scores[s]?.analysed.sets ?? sdc.count(analysed, table),
      withImputed: sdc.count(withImputed, table),
      escalated: sdc.count(withEscalation, table),
    };
    sdc.relationOf(row.withImputed, [row.analysed]);
    sdc.relationOf(row.escalated, [row.analysed]);
    return [row];
  });
}

/** How missing inputs were handled; with option `missing: 'both'`, complete-case and zero-imputed AUROC per score. */
export function missingData(settings: Settings, set: AnalysisSet, flow: FlowSection): MissingDataSection {
  const { scores, disclosure: sdc, level } = settings;
  const statement =
    settings.missing === 'zero'
      ? "Missing inputs were scored 0 (option missing: 'zero'), a sensitivity analysis: on the chart a set with a missing input has no score. Flagged values (out of range, unknown code) still leave a set unscored."
      : 'Complete-case, per score: a set with a missing or flagged input has no score (the charts’ policy) and is left out of that score’s analysis only, counted by reason in the flow. Nothing was imputed, except where a model-based definition states its own rule for a missing input (counted per score in models).';
  const models = modelInputs(settings, set, flow);
  if (!settings.missingSideBySide) return { policy: settings.missing, statement, models, sideBySide: null };
  settings.progress('zero-imputed sensitivity analysis');
  const zero = scoreTable(scores as ScoreDefinition[], settings.cohort.observations, { missing: 'zero' });
  const section = (unit: string, valuesOf: (d: ScoreDefinition, s: number) => Float64Array): UnitSection => ({
    unit,
    scores: Object.fromEntries(
      scores.map((d, s) => {
        const values = valuesOf(d, s);
        return [d.id, unitCell(set, scoredRows(values), values, sdc, level, 'missing data')] as const;
      }),
    ),
  });
  return {
    policy: settings.missing,
    statement,
    models,
    sideBySide: {
      completeCase: section('complete-case (missing inputs leave a set unscored)', (_, s) => set.values[s] ?? new Float64Array(0)),
      zeroImputed: section('zero-imputed (missing inputs scored 0; sensitivity analysis)', (d) => {
        const v = columnValues(zero, kindOf(d).valueColumn(d)) ?? [];
        return Float64Array.from(set.rows, (i) => (typeof v[i] === 'number' ? (v[i] as number) : Number.NaN));
      }),
    },
  };
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The TRIPOD+AI section: provenance, data dates and where the report answers each applicable topic. */
export function tripod(settings: Settings, set: AnalysisSet, reported: ReportSettings): TripodSection {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  // The times the labeller already read (cached per table): no second pass over the column.
  for (const ms of observationKeys('validate', set.scored).times) {
    if (!Number.isFinite(ms)) continue;
    first = Math.min(first, ms);
    last = Math.max(last, ms);
  }

  const source = settings.cohort.manifest;
  const outcome = reported.outcome;
  return {
    ewskitVersion: EWSKIT_VERSION,
    dataDates: {
      firstSet: Number.isFinite(first) ? isoDay(first) : null,
      lastSet: Number.isFinite(last) ? isoDay(last) : null,
      followUpEnds: outcome.censoring.followUpEnds,
    },
    definitions: settings.scores.map((d) => ({ id: d.id, name: d.name, version: d.version, sha256: sha256(canonicalJson(d)) })),
    items: [
      {
        topic: 'Data sources',
        answer:
          source === undefined || source === null
            ? 'the extract given to validate (no manifest): state its source in the paper'
            : `synthetic ${source.profile?.name ?? ''} cohort, seed ${String(source.seed)}, generator ${String(source.generatorVersion)} — not patients`,
      },
      { topic: 'Data dates', answer: 'tripod.dataDates (first and last observation set, end of follow-up)' },
      {
        topic: 'Eligibility',
        answer: `every observation set of the extract with an encounter, a time and a patient id; exclusions by reason in flow.excluded`,
      },
      {
        topic: 'Outcome',
        answer: `${outcome.eventTypes === 'all' ? 'any event' : outcome.eventTypes.join(', ')} within ${outcome.horizonHours} h of an observation set; per event type in outcomes; censoring in settings.outcome.censoring`,
      },
      { topic: 'Predictors', answer: 'the score definitions, with versions and SHA-256 in tripod.definitions; inputs described in characteristics.sets' },
      { topic: 'Sample size', answer: 'flow.labelled and each score’s flow.scores[].analysed (sets, positive sets); cohort.events' },
      {
        topic: 'Missing data',
        answer:
          'missingData.statement; imputed and escalated sets per model score in missingData.models; sets each score cannot score by reason in flow.scores[].excluded',
      },
      {
        topic: 'Analytical methods',
        answer: `settings.intervals (${reported.intervals.method}, clustered by ${reported.intervals.cluster}); calibration of points scores as observed risk per value`,
      },
      {
        topic: 'Model updating',
        answer: 'the calibration block of a points score is cross-fitted recalibration (settings.recalibration), flagged modelUpdating',
      },
      { topic: 'Fairness', answer: reported.groupBy.length > 0 ? `subgroups by ${reported.groupBy.join('; ')}` : 'no groupBy asked for: not assessed' },
      { topic: 'Participants', answer: 'flow (from the extract to each score’s analysed sets) and characteristics (overall, by outcome, by group)' },
      { topic: 'Model performance', answer: 'scores[] (discrimination, calibration, thresholds, net benefit), comparisons[], units[]' },
      { topic: 'Open science: code', answer: `ewskit ${EWSKIT_VERSION} (tripod.ewskitVersion); the settings block reproduces the run` },
    ],
  };
}
