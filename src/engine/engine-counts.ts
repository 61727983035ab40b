/**
 * Run the study's SQL where the data lives — DuckDB embedded in this process (reading a cohort's Parquet or CSV files
 * itself, so nothing is held in JavaScript but the answer), or a PostgreSQL server — and bring back only the count
 * tables: `score_counts` and the flow's counts. The drivers (`@duckdb/node-api`, `pg`) are optional peer dependencies,
 * loaded only when an engine is asked for.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScoreDefinition } from '../../scores/definition/definition.js';
import type { MissingPolicy } from '../../scores/definition/observation.js';
import { kindOf } from '../../scores/kinds/kind-of.js';
import { quoteIdent, quoteString } from '../../scores/sql/sql-text.js';
import type { LabelOptions } from '../../validation/outcomes/label-outcomes.js';
import type { GroupPart, StudySqlDialect } from '../../validation/engine/study-sql.js';
import { groupingSource } from '../../validation/study/subgroups.js';
import { studySql } from '../../validation/engine/study-sql.js';
import type { EngineCounts, EngineFlow } from '../../validation/engine/engine-study.js';
import { countedScores, withPairScores } from '../../validation/study/count-tables.js';
import type {
  CharacteristicCountRow,
  CharacteristicCountTable,
  CharacteristicPatientsRow,
  CharacteristicTotalRow,
  CharacteristicVariable,
} from '../../validation/study/characteristic-counts.js';
import { ENCOUNTER_VARIABLES, groupColumn, setVariables, sortCharacteristicCounts } from '../../validation/study/characteristic-counts.js';
import type { PairCountTable } from '../../validation/study/pair-counts.js';
import { sortPairCounts } from '../../validation/study/pair-counts.js';
import { cohortFormat } from '../io/cohort-files.js';

/** The tables a PostgreSQL study reads (names, optionally schema-qualified: `ehr.observations`). */
export interface EngineTables {
  readonly observations: string;
  readonly events: string;
  /** Omit when there is none: follow-up then ends at the extract's end only. */
  readonly encounters?: string;
  /** One row per patient (for a grouping by a patient's column, e.g. ethnicity). */
  readonly patients?: string;
}

/** Where the data is: a cohort directory for DuckDB, or a PostgreSQL database and its tables. */
export type EngineSource =
  | {
      readonly engine: 'duckdb';
      readonly cohort: string;
      /** DuckDB's memory limit (e.g. '4GB'); default DuckDB's own (80 % of RAM). */ readonly memoryLimit?: string;
    }
  | { readonly engine: 'postgres'; readonly database: string; readonly tables?: EngineTables };

/** What the engine computes: the study's scores, outcome and bootstrap. */
export interface EngineCountOptions {
  readonly source: EngineSource;
  readonly scores: readonly ScoreDefinition[];
  readonly outcome?: LabelOptions;
  readonly missing?: MissingPolicy;
  readonly B: number;
  readonly seed: number;
  readonly resolution?: number;
  /**
   * One grouping, as `validate`'s `groupBy`: a column of the observations, patients or encounters, a derived grouping
   * (`skin_tone_band`, `nhs_ethnic_group`, `nhs_ethnic_group_2021`, `condition`) or an intersection ("ethnicity,sex").
   */
  readonly groupBy?: string;
  /** Events allowed to match no observation set (default 0, as `validate`): one that joins nothing would become a negative. */
  readonly maxUnmatchedEvents?: number;
}

type Rows = Record<string, unknown>[];
interface Session {
  readonly dialect: StudySqlDialect;
  readonly encounters: boolean;
  /** The columns of each table the engine has (observations, events, and patients and encounters when present). */
  readonly columns: Readonly<Record<string, readonly string[]>>;
  /** How the observations' `on_oxygen` is stored. */
  readonly oxygenType: 'boolean' | 'number';
  query(sql: string): Promise<Rows>;
  close(): Promise<void>;
}

const FN = 'engineCounts';

/** A driver, or an error that says which package to install. */
async function load<T>(name: string, engine: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    throw new Error(`${FN}: the ${engine} engine needs the npm package "${name}" (npm install ${name}); it could not be loaded: ${(e as Error).message}`);
  }
}

/** A relation name, each part quoted (`ehr.obs` → `"ehr"."obs"`). */
const relation = (name: string): string => name.split('.').map(quoteIdent).join('.');

async function duckdbSession(source: Extract<EngineSource, { engine: 'duckdb' }>): Promise<Session> {
  const dir = resolve(source.cohort);
  if (!existsSync(dir)) throw new Error(`${FN}: no cohort directory at "${source.cohort}".`);
  const format = cohortFormat(dir);
  if (format === 'arrow')
    throw new Error(
      `${FN}: the duckdb engine reads Parquet or CSV cohorts (DuckDB reads Arrow IPC files only through an extension it would download); "${source.cohort}" is stored as arrow — write it with ewskit synth --format parquet, or use --engine js`,
    );
  const file = (name: string): string => join(dir, `${name}.${format}`);
  for (const name of ['observations', 'events']) if (!existsSync(file(name))) throw new Error(`${FN}: the cohort "${source.cohort}" has no ${name}.${format}.`);
  const reader = (name: string): string =>
    format === 'parquet' ? `read_parquet(${quoteString(file(name))})` : `read_csv(${quoteString(file(name))}, header = true, auto_detect = true)`;
  const { DuckDBInstance } = await load<typeof import('@duckdb/node-api')>('@duckdb/node-api', 'duckdb');
  // Beyond its memory limit DuckDB spills to a temporary directory of our own, removed when the study ends.
  const spill = mkdtempSync(join(tmpdir(), 'ewskit-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:', {
    ...(source.memoryLimit === undefined ? {} : { memory_limit: source.memoryLimit }),
    temp_directory: spill,
    preserve_insertion_order: 'false',
  });
  const con = await instance.connect();
  const encounters = existsSync(file('encounters'));
  const present = ['observations', 'events', ...(encounters ? ['encounters'] : []), ...(existsSync(file('patients')) ? ['patients'] : [])];
  for (const name of present) await con.run(`CREATE VIEW ewskit_${name} AS SELECT * FROM ${reader(name)}`);
  const columns: Record<string, string[]> = {};
  for (const name of present)
    columns[name] = (await con.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_name = 'ewskit_${name}'`))
      .getRowObjectsJS()
      .map((r) => String(r.column_name));
  const types = (
    await con.runAndReadAll(`SELECT data_type FROM information_schema.columns WHERE table_name = 'ewskit_observations' AND column_name = 'on_oxygen'`)
  ).getRowObjectsJS();
  return {
    dialect: 'duckdb',
    encounters,
    columns,
    oxygenType: String(types[0]?.data_type ?? 'BOOLEAN') === 'BOOLEAN' ? 'boolean' : 'number',
    query: async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJS() as Rows,
    close: async () => {
      con.closeSync();
      instance.closeSync();
      rmSync(spill, { recursive: true, force: true });
    },
  };
}

async function postgresSession(source: Extract<EngineSource, { engine: 'postgres' }>): Promise<Session> {
  const pg = await load<typeof import('pg')>('pg', 'postgres');
  const Client = pg.Client ?? (pg as unknown as { default: typeof import('pg') }).default.Client;
  const client = new Client({ connectionString: source.database });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`${FN}: could not connect to the database given (${(e as Error).message}).`);
  }
  const tables = source.tables ?? { observations: 'observations', events: 'events', encounters: 'encounters', patients: 'patients' };
  const exists = async (name: string): Promise<boolean> =>
    (await client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [relation(name)])).rows[0]?.ok === true;
  for (const key of ['observations', 'events'] as const)
    if (!(await exists(tables[key]))) {
      await client.end();
      throw new Error(`${FN}: the database has no table "${tables[key]}" (the ${key}); name it with tables.${key}.`);
    }
  const encounters = tables.encounters !== undefined && (await exists(tables.encounters));
  const patients = tables.patients !== undefined && (await exists(tables.patients));
  const present: [string, string][] = [
    ['observations', tables.observations],
    ['events', tables.events],
    ...(encounters ? [['encounters', tables.encounters as string] as [string, string]] : []),
    ...(patients ? [['patients', tables.patients as string] as [string, string]] : []),
  ];
  const columns: Record<string, string[]> = {};
  for (const [name, table] of present) {
    await client.query(`CREATE TEMPORARY VIEW ewskit_${name} AS SELECT * FROM ${relation(table)}`);
    columns[name] = (await client.query(`SELECT * FROM ewskit_${name} LIMIT 0`)).fields.map((f) => f.name);
  }
  const oxygen = await client.query(`SELECT data_type FROM information_schema.columns WHERE table_name = 'ewskit_observations' AND column_name = 'on_oxygen'`);
  return {
    dialect: 'postgres',
    encounters,
    columns,
    oxygenType: String(oxygen.rows[0]?.data_type ?? 'boolean') === 'boolean' ? 'boolean' : 'number',
    query: async (sql) => (await client.query(sql)).rows as Rows,
    close: async () => client.end(),
  };
}

/**
 * Table 1's count table from the engine's two queries per unit: each row of a variable's grouping set becomes a cell
 * (a continuous value as a number, a level as text, null for none); the rows of no variable are the column totals.
 */
async function characteristicRows(
  session: Session,
  sql: ReturnType<typeof studySql>,
  spec: {
    encounters: readonly { variable: string; type: CharacteristicVariable['type'] }[];
    sets: readonly CharacteristicVariable[];
  },
  by: string | undefined,
): Promise<CharacteristicCountTable> {
  const rows: CharacteristicCountRow[] = [];
  const totals: CharacteristicTotalRow[] = [];
  const patients: CharacteristicPatientsRow[] = [];
  const variables: CharacteristicVariable[] = [];
  const groupsOf = (g: unknown): (string | null)[] => (by === undefined ? [] : [g === null || g === undefined ? null : String(g)]);
  for (const unit of ['encounters', 'sets'] as const) {
    const vars = spec[unit].map((v) => ({ unit, variable: v.variable, type: v.type }));
    variables.push(...vars);
    for (const r of await session.query(sql.characteristics[unit])) {
      const j = vars.findIndex((_, k) => number(r[`gv_${k}`]) === 0);
      const outcome = number(r.ewskit_y) === 1 ? 1 : 0;
      const units = number(r.n);
      if (j < 0) {
        totals.push({ unit, outcome, groups: groupsOf(r.ewskit_grp), units });
        continue;
      }
      const v = vars[j] as CharacteristicVariable;
      const raw = r[`v_${j}`];
      const value = raw === null || raw === undefined ? null : v.type === 'continuous' ? number(raw) : String(raw);
      rows.push({ unit, variable: v.variable, value, outcome, groups: groupsOf(r.ewskit_grp), units });
    }
    if (sql.characteristicPatients[unit] === '') continue;
    for (const r of await session.query(sql.characteristicPatients[unit])) {
      const gy = number(r.gy);
      const gg = number(r.gg);
      let column: string;
      if (gy === 1 && gg === 1) column = 'Overall';
      else if (gy === 0) column = number(r.ewskit_y) === 1 ? 'Event' : 'No event';
      else if (by === undefined || r.ewskit_grp === null || r.ewskit_grp === undefined) continue;
      else column = groupColumn(by, String(r.ewskit_grp));
      vars.forEach((v, j) => {
        const n = number(r[`p_${j}`] ?? 0);
        if (v.type === 'continuous' && n > 0) patients.push({ unit, variable: v.variable, column, patients: n });
      });
    }
  }
  return sortCharacteristicCounts({
    definition: { table: 'characteristics', version: 1, groupBy: by === undefined ? [] : [by], variables },
    rows,
    totals,
    patients,
  });
}

const number = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : (v as number));

/**
 * The study's count tables computed in an engine: `score_counts` (no grouping) and the flow. Only counts cross from
 * the engine to this process. Runs in the engine in O(rows + B · patient cells).
 *
 * @throws {Error} naming the package to install when the driver is missing, the table or file that is missing, or the
 *   database that refused the connection; {RangeError} for options out of range (as `studySql`)
 * @example await engineCounts({ source: { engine: 'duckdb', cohort: 'cohort/' }, scores: [news2], B: 1000, seed: 1 });
 */
export async function engineCounts(options: EngineCountOptions): Promise<EngineCounts> {
  const source = options.source;
  const session = source.engine === 'duckdb' ? await duckdbSession(source) : source.engine === 'postgres' ? await postgresSession(source) : null;
  if (session === null)
    throw new RangeError(`${FN}: option "source.engine" expected 'duckdb' or 'postgres'; received ${JSON.stringify((source as { engine: unknown }).engine)}.`);
  try {
    // The grouping: each of its columns (several for an intersection, "ethnicity,sex") read from its table in
    // validate's order — the observations, then the patients, then the encounters — and derived as validate derives it.
    const by = options.groupBy;
    let group: GroupPart[] | undefined;
    if (by !== undefined)
      group = by.split(',').map((name): GroupPart => {
        const { source, derive } = groupingSource(name.trim());
        const table = (['observations', 'patients', 'encounters'] as const).find((t) => session.columns[t]?.includes(source));
        if (table === undefined)
          throw new TypeError(
            `${FN}: option "groupBy" names "${name.trim()}"${source === name.trim() ? '' : ` (read from the column "${source}")`}, which is a column of none of the observations, patients or encounters tables.`,
          );
        return { column: source, table, derive };
      });
    // Table 1's variables, each read where validate reads it: the encounters' from the observations, else the
    // patients, else the encounters table; the sets' (score inputs) from the observations.
    const tableOf = (column: string) => (['observations', 'patients', 'encounters'] as const).find((t) => session.columns[t]?.includes(column));
    const characteristics = {
      encounters: ENCOUNTER_VARIABLES.flatMap(([variable, type]) => {
        const table = tableOf(variable);
        return table === undefined ? [] : [{ variable, type, table }];
      }),
      sets: setVariables(options.scores).filter((v) => session.columns.observations?.includes(v.variable) === true),
    };
    const sql = studySql({
      dialect: session.dialect,
      characteristics,
      scores: options.scores,
      encounters: session.encounters,
      ...(group === undefined ? {} : { group }),
      oxygenType: session.oxygenType,
      B: options.B,
      seed: options.seed,
      ...(options.outcome === undefined ? {} : { outcome: options.outcome }),
      ...(options.missing === undefined ? {} : { missing: options.missing }),
      ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
    });
    // The join check validate makes: an event whose encounter matches no set would silently become a negative.
    const joined = (await session.query(sql.unmatchedEvents))[0] ?? {};
    const unmatched = number(joined.unmatched ?? 0);
    const allowed = options.maxUnmatchedEvents ?? 0;
    if (unmatched > allowed)
      throw new RangeError(
        `${FN}: ${unmatched} of ${number(joined.events ?? 0)} rows of the events table have an encounter_id that matches no observation set; expected at most ${allowed} (option "maxUnmatchedEvents"). Check that both tables come from the same extract and use the same identifiers.`,
      );
    const counts = await session.query(sql.scoreCounts);
    const flowRows = await session.query(sql.flow);
    const perScore = await session.query(sql.scoreFlow);
    const end = (await session.query(sql.extractEnd))[0];
    const table1 = await characteristicRows(session, sql, characteristics, by);
    // Each pair's joint counts, for the paired DeLong test.
    const joint: PairCountTable = sortPairCounts({
      definition: { table: 'pair_counts', version: 1, resolution: options.resolution ?? 10_000 },
      rows:
        sql.pairCounts === ''
          ? []
          : (await session.query(sql.pairCounts)).map((r) => ({
              a: String(r.a),
              b: String(r.b),
              valueA: number(r.value_a),
              valueB: number(r.value_b),
              positive: number(r.positive),
              negative: number(r.negative),
            })),
    });
    // The pairs come back as complements (a!b); a|b = a − a!b.
    const raw = counts.map((r) => ({
      score: String(r.score),
      value: number(r.value),
      group: String(r.grp),
      replicate: number(r.replicate),
      positive: number(r.positive),
      negative: number(r.negative),
      sum: number(r.sum),
    }));
    const rows = withPairScores(
      raw,
      options.scores.map((d) => d.id),
    );
    const flow: EngineFlow = {
      byCode: flowRows.map((r) => ({
        code: number(r.code),
        sets: number(r.sets),
        positive: number(r.positive),
        censored: number(r.censored),
        withoutPatient: number(r.without_patient),
      })),
      // One row per group, one column set per score: as rows, in the order the in-process engine gives — the analysis
      // set, then each score — each overall, then by group (sorted).
      scores: ['', ...options.scores.map((d) => d.id)].flatMap((score, k) =>
        [...perScore]
          .map((r) => ({
            score,
            group: String(r.grp),
            sets: number(r[`sets_${k}`] ?? 0),
            positive: number(r[`positive_${k}`] ?? 0),
            patients: number(r[`patients_${k}`] ?? 0),
            eventPatients: number(r[`event_patients_${k}`] ?? 0),
          }))
          .filter((r) => r.group === '' || r.sets > 0)
          .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)),
      ),
      extractEnd: end?.end_t === null || end?.end_t === undefined ? null : number(end.end_t),
      extractEndInferred: end?.inferred === true,
      followUpEndsAtDischarge: session.encounters,
    };
    return {
      engine: source.engine,
      scoreCounts: {
        definition: {
          table: 'score_counts',
          version: 1,
          scores: countedScores(options.scores),
          groupBy: options.groupBy ?? null,
          horizonHours: options.outcome?.horizonHours ?? 24,
          B: options.B,
          seed: options.seed,
          resolution: options.resolution ?? 10_000,
        },
        rows,
      },
      probabilistic: options.scores.filter((d) => kindOf(d).probabilistic).map((d) => d.id),
      flow,
      characteristics: table1,
      pairCounts: joint,
    };
  } finally {
    await session.close();
  }
}
