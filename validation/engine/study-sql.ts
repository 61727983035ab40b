/**
 * The study as SQL: scoring (`toSQL`), outcome labelling (horizon, first event, follow-up end, censoring, the
 * pre-event window — the rules of `labelSets`, written once more in SQL), the Poisson bootstrap's weights
 * (`poissonWeightsSql`) and the `score_counts` table, in one query per table, so that only count tables leave the
 * database. DuckDB and PostgreSQL run the same text but for the dialect's time function and the weights' bit
 * operations; Spark SQL is written too (checked for its syntax only: no Spark here).
 *
 * The engine sees three relations, named by the runner: `ewskit_observations` (a set per row: `patient_id`,
 * `encounter_id`, `observed_at` and the scores' inputs), `ewskit_events` (`encounter_id`, `event_at`, `event_type`)
 * and, when the cohort has one, `ewskit_encounters` (`encounter_id`, `discharged_at`, `admitted_at`). Times are SQL
 * timestamps; they are compared as milliseconds since the epoch, as `labelSets` compares them.
 *
 * Source: `validation/outcomes/label-outcomes.ts` (the rules, in the same order: no encounter or time; at or after
 * the encounter's first chosen event; shortly before it; censored at discharge (linked follow-up); censored at the
 * extract's end); `validation/study/count-tables.ts` (the table).
 */
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { MissingPolicy } from '../../scores/definition/observation.js';
import { keyword } from '../../scores/definition/errors.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { toLayeredSQL } from '../../scores/sql/sql.js';
import { quoteIdent, quoteString, sparkText } from '../../scores/sql/sql-text.js';
import { poissonWeightParts } from '../bootstrap/weights-sql.js';
import { pairComplementId, redScoreId, scorePairs, wholeOption } from '../study/count-tables.js';
import type { LabelOptions } from '../outcomes/label-outcomes.js';
import { CENSORED_HANDLING, FOLLOW_UPS } from '../report/vocabulary.js';
import { GROUPS_2001 } from '../codes/ethnic-category.js';
import { BY_CATEGORY } from '../codes/conditions.js';
import type { GroupDerivation } from '../study/subgroups.js';
import type { SkinToneBand } from '../report/types.js';
import { DEFAULT_SKIN_TONE_BANDS } from '../study/options.js';

/** The engines a study runs in: in this process, or where the data lives. */
export const ENGINES = ['js', 'duckdb', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/** The SQL dialects the study is written in (`spark`, Spark SQL 3.4+, is written and checked for its syntax only: no Spark here). */
export const STUDY_SQL_DIALECTS = ['duckdb', 'postgres', 'spark'] as const;
export type StudySqlDialect = (typeof STUDY_SQL_DIALECTS)[number];

/** What the study's SQL is made from. */
export interface StudySqlOptions {
  readonly dialect: StudySqlDialect;
  /** Points scores and models; their value columns are `<id>_total` and `<id>_probability`. */
  readonly scores: readonly ScoreDefinition[];
  readonly outcome?: LabelOptions;
  /** Whether the engine has `ewskit_encounters` (follow-up ends at discharge). */
  readonly encounters: boolean;
  /**
   * One grouping: a column of the observations, or of the patients (`ewskit_patients`, joined by `patient_id`) or the
   * encounters (joined by `encounter_id`) — its value as text is the group; a set with none is in "(none)".
   */
  readonly group?: GroupPart | readonly GroupPart[];
  readonly missing?: MissingPolicy;
  /** How `on_oxygen` is stored: `'boolean'` (default) or `'number'` (0/1). */
  readonly oxygenType?: 'boolean' | 'number';
  /** Poisson replicates (0: the data's own counts only). */
  readonly B: number;
  readonly seed: number;
  /** Probability buckets per unit (default 10,000). */
  readonly resolution?: number;
  /** The bands of a `skin-tone` grouping (default the report's: Monk 1–3, 4–7, 8–10). */
  readonly skinToneBands?: readonly SkinToneBand[];
  /**
   * Table 1's variables (`characteristics`): the encounters' — each with the table it is read from, as `validate`
   * reads it (the observations first, then the patients, then the encounters) — and the sets' (score inputs, columns
   * of the observations). Omit for no Table 1 (its queries are then empty).
   */
  readonly characteristics?: {
    readonly encounters: readonly {
      readonly variable: string;
      readonly type: 'continuous' | 'categorical';
      readonly table: 'observations' | 'patients' | 'encounters';
    }[];
    readonly sets: readonly { readonly variable: string; readonly type: 'continuous' | 'categorical' }[];
  };
}

/**
 * One column of a grouping: where it is read (a column of the observations, the patients or the encounters) and how
 * its label is made (`groupingSource`: as it is, or a band, census group or condition). Several parts make an
 * intersectional grouping ("Asian × F"), as `validate`'s "ethnicity,sex".
 */
export interface GroupPart {
  readonly column: string;
  readonly table: 'observations' | 'patients' | 'encounters';
  readonly derive?: GroupDerivation;
}

/** The study's queries: each returns one table, and only counts. */
export interface StudySql {
  /** The labelled, scored sets, one row each (a query to build on; never fetched whole). */
  readonly labelled: string;
  /** `score_counts`: score, grp (the group; "" without a grouping), value, replicate, positive, negative, sum. */
  readonly scoreCounts: string;
  /** The flow: one row per exclusion code (0…5, as `labelSets` gives it) with sets, positive sets, censored sets and sets without a patient. */
  readonly flow: string;
  /**
   * One row per group ("" overall): for k = 0 the analysis set, for k = 1… score k − 1's analysable sets — `sets_k`,
   * `positive_k`, `patients_k`, `event_patients_k`.
   */
  readonly scoreFlow: string;
  /** The extract's end used (ms) and whether it was inferred. */
  readonly extractEnd: string;
  /** Events whose encounter matches no observation set (`unmatched`), of all events (`events`): a join check. */
  readonly unmatchedEvents: string;
  /**
   * `pair_counts`: per pair of scores (a before b), the sets both can score per (a's value, b's value) — a
   * probability in its bucket — with positive and negative sets (`a`, `b`, `value_a`, `value_b`, `positive`,
   * `negative`): the paired DeLong test's joint counts. Empty text with one score.
   */
  readonly pairCounts: string;
  /**
   * Table 1's counts, one query per unit (`encounters`, `sets`): units per value of each variable (`v_<j>`, the one
   * with `gv_<j>` = 0; all `gv` = 1 for the column totals), outcome (`ewskit_y`) and group (`ewskit_grp`, null for
   * none), in `n`. Empty text without `characteristics`.
   */
  readonly characteristics: Readonly<Record<'encounters' | 'sets', string>>;
  /**
   * Per unit, the distinct patients with a value of each continuous variable (`p_<j>`), overall (`gy` = `gg` = 1),
   * per outcome (`gy` = 0) and per group (`gg` = 0). Empty text without `characteristics` or continuous variables.
   */
  readonly characteristicPatients: Readonly<Record<'encounters' | 'sets', string>>;
}

/** Milliseconds since the epoch of a timestamp column, as a double. */
const MS: Readonly<Record<StudySqlDialect, (x: string) => string>> = {
  duckdb: (x) => `CAST(epoch_ms(${x}) AS DOUBLE)`,
  spark: (x) => `CAST(unix_millis(${x}) AS DOUBLE)`,
  postgres: (x) => `CAST(EXTRACT(EPOCH FROM ${x}) * 1000 AS DOUBLE PRECISION)`,
};
const DOUBLE: Readonly<Record<StudySqlDialect, string>> = { duckdb: 'DOUBLE', postgres: 'DOUBLE PRECISION', spark: 'DOUBLE' };

/**
 * The study's SQL for one engine. Runs in O(size of the score definitions).
 *
 * @throws {RangeError} naming the option when the dialect, follow-up, censoring, horizon, B, seed or resolution is out of range
 * @example studySql({ dialect: 'duckdb', scores: [news2], encounters: true, B: 1000, seed: 1 }).scoreCounts;
 */
export function studySql(options: StudySqlOptions): StudySql {
  const fn = 'studySql';
  const dialect = keyword(fn, 'dialect', STUDY_SQL_DIALECTS, options.dialect, 'duckdb');
  const o = options.outcome ?? {};
  const horizon = o.horizonHours ?? 24;
  if (!(typeof horizon === 'number' && horizon > 0))
    throw new RangeError(`${fn}: option "horizonHours" expected a positive number; received ${String(horizon)}.`);
  const followUp = keyword(fn, 'followUp', FOLLOW_UPS, o.followUp, 'in-hospital');
  const censored = keyword(fn, 'censored', CENSORED_HANDLING, o.censored, 'exclude');
  const before = o.excludeBeforeEventMinutes ?? 0;
  if (!(typeof before === 'number' && before >= 0))
    throw new RangeError(`${fn}: option "excludeBeforeEventMinutes" expected a number ≥ 0; received ${String(before)}.`);
  if (o.extractEnd !== undefined && !(typeof o.extractEnd === 'number' && Number.isFinite(o.extractEnd)))
    throw new RangeError(`${fn}: option "extractEnd" expected a time in ms; received ${String(o.extractEnd)}.`);
  const whole = (name: string, v: number, min: number): number => wholeOption(fn, name, v, min);

  const B = whole('B', options.B, 0);
  const seed = whole('seed', options.seed, 0);
  const resolution = whole('resolution', options.resolution ?? 10_000, 1);
  if (options.scores.length === 0) throw new RangeError(`${fn}: option "scores" expected at least one score; received none.`);
  const ms = MS[dialect];
  // PostgreSQL's planner pulls subqueries and CTEs referenced once up into the query and substitutes each column's
  // expression wherever it is used: the score's total, used four times below, would be computed four times, and its
  // nested layers copied into each (a plan of gigabytes, seen on the first try). OFFSET 0 keeps each step a step.
  const fence = dialect === 'postgres' ? ' OFFSET 0' : '';
  const dbl = DOUBLE[dialect];
  const h = horizon * 3_600_000;
  const gap = before * 60_000;

  const scored = toLayeredSQL(options.scores, {
    dialect,
    table: 'ewskit_observations',
    oxygenType: options.oxygenType ?? 'boolean',
    ...(options.missing === undefined ? {} : { missing: options.missing }),
  });
  const values = options.scores.map((d) => quoteIdent(kindOf(d).valueColumn(d)));
  const wanted = o.eventTypes === undefined ? '' : ` AND ty IN (${o.eventTypes.length === 0 ? 'NULL' : o.eventTypes.map(quoteString).join(', ')})`;
  const encounterTimes = options.encounters
    ? ` UNION ALL SELECT ${ms('discharged_at')} FROM ewskit_encounters UNION ALL SELECT ${ms('admitted_at')} FROM ewskit_encounters`
    : '';
  const given = o.extractEnd === undefined ? 'NULL' : `CAST(${String(o.extractEnd)} AS ${dbl})`;
  // Each CTE is one step of labelSets: the chosen events' first time per encounter, the discharge, the extract's end.
  // The group of each set: a column of the set, or of its patient or encounter (the first row of each id: ids are unique).
  const g = options.group === undefined ? undefined : Array.isArray(options.group) ? (options.group as readonly GroupPart[]) : [options.group as GroupPart];
  // Each part's label (null for none) — a column of the set, or of its patient or encounter (the first row of each id:
  // ids are unique) — derived as validate derives it; a set missing any part has no group ("(none)").
  const labels = (g ?? []).map((part, k) =>
    groupLabelSql(
      part.derive ?? 'plain',
      part.table === 'observations' ? `CAST(s.${quoteIdent(part.column)} AS TEXT)` : `ewskit_gj${k}.g`,
      dialect,
      options.skinToneBands ?? DEFAULT_SKIN_TONE_BANDS,
    ),
  );
  const groupExpr =
    g === undefined
      ? `CAST('' AS TEXT)`
      : labels.length === 1
        ? `COALESCE(${labels[0] as string}, '(none)')`
        : `CASE WHEN ${labels.map((l) => `(${l}) IS NULL`).join(' OR ')} THEN '(none)' ELSE ${labels.map((l) => `(${l})`).join(` || ' × ' || `)} END`;
  const groupJoin = (g ?? [])
    .map((part, k) => {
      if (part.table === 'observations') return '';
      const key = part.table === 'patients' ? 'patient_id' : 'encounter_id';
      return ` LEFT JOIN (SELECT CAST(${key} AS TEXT) AS id, MIN(CAST(${quoteIdent(part.column)} AS TEXT)) AS g FROM ewskit_${part.table} GROUP BY 1) AS ewskit_gj${k} ON ewskit_gj${k}.id = CAST(s.${key} AS TEXT)`;
    })
    .join('');
  const ctes = [
    `ewskit_scored AS (SELECT s.*, CAST(s.encounter_id AS TEXT) AS ewskit_e, ${ms('s.observed_at')} AS ewskit_t, ${groupExpr} AS ewskit_group FROM (${scored}${fence}) AS s${groupJoin}${fence})`,
    `ewskit_ev AS (SELECT CAST(encounter_id AS TEXT) AS e, ${ms('event_at')} AS t, event_type AS ty FROM ewskit_events)`,
    `ewskit_first AS (SELECT e, MIN(t) AS first_event FROM ewskit_ev WHERE e IS NOT NULL AND t IS NOT NULL${wanted} GROUP BY e)`,
    options.encounters
      ? `ewskit_discharge AS (SELECT CAST(encounter_id AS TEXT) AS e, MAX(${ms('discharged_at')}) AS d FROM ewskit_encounters WHERE discharged_at IS NOT NULL GROUP BY 1)`
      : `ewskit_discharge AS (SELECT CAST(NULL AS TEXT) AS e, CAST(NULL AS ${dbl}) AS d WHERE 1 = 0)`,
    `ewskit_end AS (SELECT COALESCE(${given}, (SELECT MAX(t) FROM (SELECT ${ms('observed_at')} AS t FROM ewskit_observations UNION ALL SELECT ${ms('event_at')} FROM ewskit_events${encounterTimes}) AS times)) AS end_t, ${o.extractEnd === undefined ? 'TRUE' : 'FALSE'} AS inferred${fence})`,
  ];
  const t = 'x.ewskit_t';
  const fe = 'f.first_event';
  const positive = `(${fe} IS NOT NULL AND ${fe} <= ${t} + ${h})`;
  const dischargedInHorizon = `(dis.d IS NOT NULL AND (n.end_t IS NULL OR dis.d <= n.end_t) AND dis.d < ${t} + ${h})`;
  const stillOpen = `((dis.d IS NULL OR (n.end_t IS NOT NULL AND dis.d > n.end_t)) AND n.end_t IS NOT NULL AND n.end_t < ${t} + ${h})`;
  // The exclusion code, as LABEL_EXCLUSIONS numbers it; 4 and 5 are censoring (counted even when kept as negatives).
  const code = [
    `CASE WHEN x.ewskit_e IS NULL OR ${t} IS NULL THEN 1`,
    `WHEN ${fe} IS NOT NULL AND ${t} >= ${fe} THEN 2`,
    ...(gap > 0 ? [`WHEN ${positive} AND ${fe} - ${t} < ${gap} THEN 3`] : []),
    `WHEN ${positive} THEN 0`,
    ...(followUp === 'linked' ? [`WHEN ${dischargedInHorizon} THEN 4`] : []),
    `WHEN ${stillOpen} THEN 5`,
    'ELSE 0 END',
  ].join(' ');
  const label =
    censored === 'exclude'
      ? `CASE WHEN ewskit_code = 0 THEN ewskit_positive END`
      : `CASE WHEN ewskit_code = 0 THEN ewskit_positive WHEN ewskit_code IN (4, 5) THEN 0 END`;
  const labelledCte = `ewskit_coded AS (SELECT x.*, ${code} AS ewskit_code, CASE WHEN ${positive} THEN 1 ELSE 0 END AS ewskit_positive FROM ewskit_scored AS x LEFT JOIN ewskit_first AS f ON f.e = x.ewskit_e LEFT JOIN ewskit_discharge AS dis ON dis.e = x.ewskit_e CROSS JOIN ewskit_end AS n${fence})`;
  const labelled = `ewskit_labelled AS (SELECT *, ${label} AS ewskit_label FROM ewskit_coded${fence})`;
  // The analysis rows, narrowed to what the counts read: an engine that keeps a CTE read twice keeps these columns only.
  // Each score's red-score flag, counted as a 0/1 pseudo-score (redScoreId) on the score's analysable sets.
  const reds = options.scores.flatMap((d, s) =>
    kindOf(d).redFlag(d) === null ? [] : [{ id: redScoreId(d.id), flag: quoteIdent(`${d.id}_red_flag`), value: values[s] as string }],
  );
  const analysis = `ewskit_analysis AS (SELECT patient_id, ewskit_label, ewskit_group, ${[...values, ...reds.map((r) => r.flag)].join(', ')} FROM ewskit_labelled WHERE ewskit_label IS NOT NULL AND patient_id IS NOT NULL${fence})`;
  const bucket = (d: ScoreDefinition, v: string): string => (kindOf(d).probabilistic ? `FLOOR(${v} * ${resolution}) / ${resolution}` : v);
  // Per patient, score and value: positive and negative sets and Σ score — the cells the replicates weight.
  const cells = `ewskit_cells AS (${options.scores
    .map(
      (d, s) =>
        `SELECT CAST(patient_id AS TEXT) AS key, ${quoteString(d.id)} AS score, ewskit_group AS grp, CAST(${bucket(d, `CAST(${values[s] as string} AS ${dbl})`)} AS ${dbl}) AS value, SUM(ewskit_label) AS pos, SUM(1 - ewskit_label) AS neg, SUM(CAST(${values[s] as string} AS ${dbl})) AS total FROM ewskit_analysis WHERE ${values[s] as string} IS NOT NULL GROUP BY 1, 2, 3, 4`,
    )
    .concat(
      reds.map((r) => {
        const flag = `CAST(CASE WHEN ${r.flag} THEN 1 ELSE 0 END AS ${dbl})`;
        return `SELECT CAST(patient_id AS TEXT) AS key, ${quoteString(r.id)} AS score, ewskit_group AS grp, ${flag} AS value, SUM(ewskit_label) AS pos, SUM(1 - ewskit_label) AS neg, SUM(${flag}) AS total FROM ewskit_analysis WHERE ${r.value} IS NOT NULL GROUP BY 1, 2, 3, 4`;
      }),
      // Each pair: a on the sets b cannot score (a!b, and b!a) — usually few — from which a|b = a − a!b is derived
      // (withPairScores), rather than a second copy of nearly every cell of a.
      scorePairs(options.scores.length).flatMap(([a, b]) =>
        [
          [a, b],
          [b, a],
        ].map(([x, y]) => {
          const d = options.scores[x as number] as ScoreDefinition;
          const v = values[x as number] as string;
          const other = (options.scores[y as number] as ScoreDefinition).id;
          return `SELECT CAST(patient_id AS TEXT) AS key, ${quoteString(pairComplementId(d.id, other))} AS score, ewskit_group AS grp, CAST(${bucket(d, `CAST(${v} AS ${dbl})`)} AS ${dbl}) AS value, SUM(ewskit_label) AS pos, SUM(1 - ewskit_label) AS neg, SUM(CAST(${v} AS ${dbl})) AS total FROM ewskit_analysis WHERE ${v} IS NOT NULL AND ${values[y as number] as string} IS NULL GROUP BY 1, 2, 3, 4`;
        }),
      ),
    )
    .join(' UNION ALL ')})`;
  const withAll = (...more: string[]): string => `WITH ${[...ctes, labelledCte, labelled, ...more].join(',\n')}`;
  const own = `SELECT score, grp, value, -1 AS replicate, CAST(SUM(pos) AS ${dbl}) AS positive, CAST(SUM(neg) AS ${dbl}) AS negative, CAST(SUM(total) AS ${dbl}) AS sum FROM ewskit_cells GROUP BY score, grp, value`;
  // Each cell's weight in each replicate, computed where it is used: the patient's part of the hash joined once (a
  // table of patients), then every (cell, replicate) hashed on the fly and added up — no table of patients ×
  // replicates and no join against one, so nothing grows with B but the arithmetic (a join of the cells against a
  // table of weights ran DuckDB out of memory at a million encounters).
  const parts = poissonWeightParts({ seed, dialect });
  const crossed = `SELECT x.score AS score, x.grp AS grp, x.value AS value, x.pos AS pos, x.neg AS neg, x.total AS total, p.c AS c, r.b AS b FROM ewskit_cells AS x JOIN (${parts.perPatient('SELECT DISTINCT key FROM ewskit_cells')}${fence}) AS p ON p.key = x.key CROSS JOIN ${parts.replicates(Math.max(1, B))} AS r`;
  const replicated =
    B === 0
      ? ''
      : ` UNION ALL SELECT score, grp, value, CAST(b AS INTEGER) AS replicate, CAST(SUM(weight * pos) AS ${dbl}) AS positive, CAST(SUM(weight * neg) AS ${dbl}) AS negative, CAST(SUM(weight * total) AS ${dbl}) AS sum FROM (${parts.weighted(crossed)}) AS w WHERE weight > 0 GROUP BY score, grp, value, b`;
  // Per score, overall (group "") and, with a grouping, per group: sets, events, patients, patients with an event — in
  // one pass over the analysis rows (a union of one aggregate per score read them once each, and kept them all).
  // Column k: the analysis set (k = 0) or score k − 1's analysable sets.
  const conditions = ['TRUE', ...values.map((v) => `${v} IS NOT NULL`)];
  const flowColumns = conditions.flatMap((c, k) => [
    `CAST(SUM(CASE WHEN ${c} THEN 1 ELSE 0 END) AS ${dbl}) AS sets_${k}`,
    `CAST(SUM(CASE WHEN ${c} THEN ewskit_label ELSE 0 END) AS ${dbl}) AS positive_${k}`,
    `CAST(COUNT(DISTINCT CASE WHEN ${c} THEN patient_id END) AS ${dbl}) AS patients_${k}`,
    `CAST(COUNT(DISTINCT CASE WHEN ${c} AND ewskit_label = 1 THEN patient_id END) AS ${dbl}) AS event_patients_${k}`,
  ]);
  const scoreFlow =
    g === undefined
      ? `SELECT CAST('' AS TEXT) AS grp, ${flowColumns.join(', ')} FROM ewskit_analysis`
      : `SELECT CASE WHEN GROUPING(ewskit_group) = 1 THEN '' ELSE ewskit_group END AS grp, ${flowColumns.join(', ')} FROM ewskit_analysis GROUP BY GROUPING SETS ((), (ewskit_group))`;
  // Each pair's joint counts on the sets both can score (the paired DeLong test's), one aggregate per pair.
  const pairs = scorePairs(options.scores.length).map(([x, y]) => {
    const [da, db] = [options.scores[x] as ScoreDefinition, options.scores[y] as ScoreDefinition];
    const [va, vb] = [values[x] as string, values[y] as string];
    return `SELECT ${quoteString(da.id)} AS a, ${quoteString(db.id)} AS b, CAST(${bucket(da, `CAST(${va} AS ${dbl})`)} AS ${dbl}) AS value_a, CAST(${bucket(db, `CAST(${vb} AS ${dbl})`)} AS ${dbl}) AS value_b, CAST(SUM(ewskit_label) AS ${dbl}) AS positive, CAST(SUM(1 - ewskit_label) AS ${dbl}) AS negative FROM ewskit_analysis WHERE ${va} IS NOT NULL AND ${vb} IS NOT NULL GROUP BY 3, 4`;
  });
  const table1 = characteristicQueries(options.characteristics, g !== undefined, withAll, fence, dbl);
  const queries: StudySql = {
    labelled: `${withAll(analysis)}\nSELECT * FROM ewskit_labelled`,
    scoreCounts: `${withAll(analysis, cells)}\nSELECT score, grp, value, replicate, positive, negative, sum FROM (${own}${replicated}) AS counts`,
    // Per exclusion code as labelSets reports it (a censored set kept as a negative is labelled: code 0).
    flow: `${withAll()}\nSELECT CASE WHEN ewskit_label IS NULL THEN ewskit_code ELSE 0 END AS code, CAST(COUNT(*) AS ${dbl}) AS sets, CAST(SUM(CASE WHEN ewskit_label = 1 THEN 1 ELSE 0 END) AS ${dbl}) AS positive, CAST(SUM(CASE WHEN ewskit_code IN (4, 5) THEN 1 ELSE 0 END) AS ${dbl}) AS censored, CAST(SUM(CASE WHEN patient_id IS NULL THEN 1 ELSE 0 END) AS ${dbl}) AS without_patient FROM ewskit_labelled GROUP BY 1 ORDER BY 1`,
    scoreFlow: `${withAll(analysis)}\n${scoreFlow}`,
    extractEnd: `WITH ${ctes.slice(4).join(',\n')}\nSELECT end_t, inferred FROM ewskit_end`,
    characteristics: table1.characteristics,
    characteristicPatients: table1.patients,
    pairCounts:
      pairs.length === 0 ? '' : `${withAll(analysis)}\nSELECT a, b, value_a, value_b, positive, negative FROM (${pairs.join(' UNION ALL ')}) AS pairs`,
    unmatchedEvents: `SELECT CAST(SUM(CASE WHEN o.e IS NULL THEN 1 ELSE 0 END) AS ${dbl}) AS unmatched, CAST(COUNT(*) AS ${dbl}) AS events FROM ewskit_events AS ev LEFT JOIN (SELECT DISTINCT CAST(encounter_id AS TEXT) AS e FROM ewskit_observations) AS o ON o.e = CAST(ev.encounter_id AS TEXT)`,
  };
  if (dialect !== 'spark') return queries;
  // Spark's spelling: backtick identifiers, its type names.
  const spark = (q: string): string => (q === '' ? q : sparkText(q));
  return {
    ...(Object.fromEntries(Object.entries(queries).map(([k, q]) => [k, typeof q === 'string' ? spark(q) : q])) as unknown as StudySql),
    characteristics: { encounters: spark(table1.characteristics.encounters), sets: spark(table1.characteristics.sets) },
    characteristicPatients: { encounters: spark(table1.patients.encounters), sets: spark(table1.patients.sets) },
  };
}

/**
 * A grouping part's label in SQL from its text `raw`, as `groupLabels` makes it in JavaScript: the text itself; a
 * Monk skin-tone band; the NHS ethnic group of a category code (2001 or 2021 census, codes trimmed and upper-cased,
 * unknown codes none); the condition of an ICD-10 primary diagnosis (malformed codes none). Null where there is none.
 */
export function groupLabelSql(derive: GroupDerivation, raw: string, dialect: StudySqlDialect, bands: readonly SkinToneBand[]): string {
  if (derive === 'plain') return raw;
  const matches = (x: string, pattern: string): string =>
    dialect === 'duckdb'
      ? `regexp_matches(${x}, ${quoteString(pattern)})`
      : dialect === 'postgres'
        ? `${x} ~ ${quoteString(pattern)}`
        : `${x} RLIKE ${quoteString(pattern)}`;
  if (derive === 'skin-tone') {
    // A number only when the text is one (JavaScript's Number() gives NaN, no band, for anything else; SQL would fail).
    const text = `TRIM(${raw})`;
    const x = `CAST(${text} AS ${DOUBLE[dialect]})`;
    return `CASE WHEN ${matches(text, '^[0-9]+([.][0-9]+)?$')} THEN CASE ${bands.map((b) => `WHEN ${x} >= ${b.min} AND ${x} <= ${b.max} THEN ${quoteString(b.label)}`).join(' ')} END END`;
  }
  const code = `UPPER(TRIM(${raw}))`;
  if (derive === 'nhs-2001' || derive === 'nhs-2021') {
    const map = Object.entries(GROUPS_2001).map(([c, group]) => (derive === 'nhs-2021' && c === 'R' ? [c, 'Asian'] : [c, group]));
    return `CASE ${code} ${map.map(([c, group]) => `WHEN ${quoteString(c as string)} THEN ${quoteString(group as string)}`).join(' ')} END`;
  }
  // ICD10's pattern: a letter, two digits, then an optional dot and one or two more (the dot as [.], no backslash that a
  // dialect's string literal might eat).
  const category = `SUBSTRING(${code}, 1, 3)`;
  return `CASE WHEN ${code} IS NULL OR NOT (${matches(code, '^[A-Z][0-9]{2}([.]?[0-9A-Z]{1,2})?$')}) THEN NULL WHEN ${code} IN ('R651', 'R65.1') THEN 'Sepsis' ${Object.entries(
    BY_CATEGORY,
  )
    .map(([c, group]) => `WHEN ${category} = ${quoteString(c)} THEN ${quoteString(group)}`)
    .join(' ')} ELSE 'Other' END`;
}

/**
 * Table 1's queries (see `StudySql.characteristics`): the analysis rows with each variable (`ewskit_t1`), the
 * encounters at their first analysed set (the earliest; ties in time broken by the group and the values, nulls last),
 * event encounters those with any positive analysed set; then per unit one pass with a grouping set per variable.
 */
function characteristicQueries(
  spec: StudySqlOptions['characteristics'],
  grouped: boolean,
  withAll: (...more: string[]) => string,
  fence: string,
  dbl: string,
): { characteristics: Record<'encounters' | 'sets', string>; patients: Record<'encounters' | 'sets', string> } {
  const none = { characteristics: { encounters: '', sets: '' }, patients: { encounters: '', sets: '' } };
  if (spec === undefined) return none;
  const cast = (type: 'continuous' | 'categorical', x: string): string => (type === 'continuous' ? `CAST(${x} AS ${dbl})` : x);
  // An encounter variable from the patients or the encounters table: its value for the set's patient or encounter (the first row of each id).
  const joins = spec.encounters.flatMap((v, j) =>
    v.table === 'observations'
      ? []
      : [
          ` LEFT JOIN (SELECT CAST(${v.table === 'patients' ? 'patient_id' : 'encounter_id'} AS TEXT) AS id, MIN(${quoteIdent(v.variable)}) AS v FROM ewskit_${v.table} GROUP BY 1) AS ewskit_a${j} ON ewskit_a${j}.id = CAST(x.${v.table === 'patients' ? 'patient_id' : 'encounter_id'} AS TEXT)`,
        ],
  );
  const encounterColumns = spec.encounters.map(
    (v, j) => `${cast(v.type, v.table === 'observations' ? `x.${quoteIdent(v.variable)}` : `ewskit_a${j}.v`)} AS e_${j}`,
  );
  const setColumns = spec.sets.map((v, j) => `${cast(v.type, `x.${quoteIdent(v.variable)}`)} AS v_${j}`);
  const group = grouped ? `CASE WHEN x.ewskit_group = '(none)' THEN NULL ELSE x.ewskit_group END` : 'CAST(NULL AS TEXT)';
  const rows = `ewskit_t1 AS (SELECT x.patient_id AS ewskit_pid, x.ewskit_e AS ewskit_enc, x.ewskit_t AS ewskit_time, x.ewskit_label AS ewskit_y, ${group} AS ewskit_grp${[...encounterColumns, ...setColumns].map((c) => `, ${c}`).join('')} FROM ewskit_labelled AS x${joins.join('')} WHERE x.ewskit_label IS NOT NULL AND x.patient_id IS NOT NULL${fence})`;
  const e = spec.encounters.map((_, j) => `e_${j}`);
  const firstOrder = ['ewskit_time', 'ewskit_grp NULLS LAST', ...e.map((c) => `${c} NULLS LAST`)].join(', ');
  const encounters = `ewskit_t1e AS (SELECT ewskit_pid, ewskit_grp, ewskit_y${e.map((c, j) => `, ${c} AS v_${j}`).join('')} FROM (SELECT ewskit_pid, ewskit_grp, MAX(ewskit_y) OVER (PARTITION BY ewskit_enc) AS ewskit_y, ROW_NUMBER() OVER (PARTITION BY ewskit_enc ORDER BY ${firstOrder}) AS ewskit_rn${e.map((c) => `, ${c}`).join('')} FROM ewskit_t1) AS z WHERE ewskit_rn = 1${fence})`;
  const counts = (from: string, variables: readonly unknown[]): string => {
    const v = variables.map((_, j) => `v_${j}`);
    const sets = ['(ewskit_y, ewskit_grp)', ...v.map((c) => `(${c}, ewskit_y, ewskit_grp)`)].join(', ');
    const flags = v.map((c, j) => `GROUPING(${c}) AS gv_${j}, `).join('');
    return `SELECT ${flags}${v.map((c) => `${c}, `).join('')}ewskit_y, ewskit_grp, CAST(COUNT(*) AS ${dbl}) AS n FROM ${from} GROUP BY GROUPING SETS (${sets})`;
  };
  // Distinct patients with a value, per column: first one row per (patient, outcome, group) with whether it has a
  // value, then per patient and column, then counted — plain aggregates, which spill to disk (COUNT(DISTINCT …) under
  // GROUPING SETS held every patient of every set in memory and ran DuckDB out of it at a million encounters).
  const patients = (from: string, variables: readonly { readonly type: string }[]): string => {
    const continuous = variables.flatMap((x, j) => (x.type === 'continuous' ? [j] : []));
    if (continuous.length === 0) return '';
    const h = (f: (j: number) => string) => continuous.map((j) => `, ${f(j)}`).join('');
    const per = `SELECT ewskit_pid, ewskit_y${grouped ? ', ewskit_grp' : ''}${h((j) => `MAX(CASE WHEN v_${j} IS NOT NULL THEN 1 ELSE 0 END) AS h_${j}`)} FROM ${from} GROUP BY ewskit_pid, ewskit_y${grouped ? ', ewskit_grp' : ''}`;
    const columns = `SELECT GROUPING(ewskit_y) AS gy, ${grouped ? 'GROUPING(ewskit_grp) AS gg, ewskit_y, ewskit_grp' : 'CAST(1 AS INTEGER) AS gg, ewskit_y, CAST(NULL AS TEXT) AS ewskit_grp'}, ewskit_pid${h((j) => `MAX(h_${j}) AS h_${j}`)} FROM (${per}) AS per GROUP BY GROUPING SETS ((ewskit_pid), (ewskit_pid, ewskit_y)${grouped ? ', (ewskit_pid, ewskit_grp)' : ''})`;
    return `SELECT gy, gg, ewskit_y, ewskit_grp${h((j) => `CAST(SUM(h_${j}) AS ${dbl}) AS p_${j}`)} FROM (${columns}) AS q GROUP BY gy, gg, ewskit_y, ewskit_grp`;
  };
  const setsFrom = `(SELECT ewskit_pid, ewskit_grp, ewskit_y${spec.sets.map((_, j) => `, v_${j}`).join('')} FROM ewskit_t1) AS t`;
  return {
    characteristics: {
      encounters: `${withAll(rows, encounters)}\n${counts('ewskit_t1e', spec.encounters)}`,
      sets: `${withAll(rows)}\n${counts(setsFrom, spec.sets)}`,
    },
    patients: {
      encounters: patients('ewskit_t1e', spec.encounters) === '' ? '' : `${withAll(rows, encounters)}\n${patients('ewskit_t1e', spec.encounters)}`,
      sets: patients(setsFrom, spec.sets) === '' ? '' : `${withAll(rows)}\n${patients(setsFrom, spec.sets)}`,
    },
  };
}
