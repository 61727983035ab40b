/**
 * The one table of the command line's options: what each option means, what it takes, its default and its allowed
 * values. The parser (`parseFlags`) checks arguments against it and the help (`ewskit COMMAND --help`) is written from
 * it, so an option, its default and its allowed values are spelled once. Enumerated values are the library's own
 * `as const` arrays (the ones its options are checked against), so the command line and the library never disagree.
 */
import { MISSING_POLICIES } from '../../scores/definition/observation.js';
import { OXIMETER_BIAS_NAMES } from '../../validation/cohort/oximeter.js';
import { ESCALATION_TRIGGERS } from '../../validation/ward/monitoring.js';
import { META_TESTS, PREDICTION_RULES, TAU2_METHODS } from '../../validation/meta/random-effects.js';
import { BOOTSTRAP_METHODS } from '../../validation/bootstrap/replicate-weights.js';
import { COHORT_FORMATS } from '../io/cohort-files.js';
import { ENGINES } from '../../validation/engine/study-sql.js';
import { DISCLOSURE_POLICIES } from '../../validation/disclosure/policy.js';
import { CENSORED_HANDLING, CLUSTER_LEVELS, FOLLOW_UPS, MISSING_ANALYSES, RECALIBRATION_METHODS, UNIT_NAMES } from '../../validation/report/vocabulary.js';

/** One option of one command. */
export interface OptionSpec {
  readonly name: string;
  /** The placeholder of its value in the usage line (`FILE`, `N`); absent for a switch, which takes no value. */
  readonly value?: string;
  /** What it does, in a sentence. */
  readonly meaning: string;
  /** The value used when the option is not given, as the user would type it (what `Flags.value` returns). */
  readonly default?: string;
  /** The default in words, when it is not a value one could type (`every output`). */
  readonly defaultText?: string;
  /** The only values it accepts (checked by the parser). */
  readonly choices?: readonly string[];
  /** It may be given more than once; its values are collected in order. */
  readonly repeatable?: boolean;
  /** The command cannot run without it. */
  readonly required?: boolean;
}

/** One command: its one-line purpose, its options, and what its help adds after them. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** The usage line's arguments, when they are not simply the options in order (validate's two kinds of input). */
  readonly usage?: string;
  readonly options: readonly OptionSpec[];
  /** Paragraphs printed after the options: inputs, files, examples. */
  readonly notes?: readonly string[];
  /** Arguments given without a flag (combine's summary files): their placeholder and meaning, and how many at least. */
  readonly positional?: { readonly value: string; readonly meaning: string; readonly min: number };
}

/** The models `ewskit fit` fits (the command line's own vocabulary: each is one library function). */
export const FIT_MODELS = ['apollo-style', 'news2-age-comorbidity'] as const;

const FORCE: OptionSpec = { name: 'force', meaning: 'replace outputs that already exist (never an input).' };
const QUIET: OptionSpec = { name: 'quiet', meaning: 'no progress lines on stderr.' };
const SEED: OptionSpec = { name: 'seed', value: 'N', default: '1', meaning: 'seed of everything random: the same inputs and seed give the same bytes.' };
const B_OPTION: OptionSpec = {
  name: 'B',
  value: 'N',
  default: '1000',
  meaning: 'bootstrap replicates of the patient-clustered intervals; 0 for none; at most 100,000 (each replicate is held in memory).',
};
const VALIDATE_B: OptionSpec = {
  ...B_OPTION,
  defaultText: '1000, raised when the subgroup contrasts need more to reach the level after Holm’s adjustment (stated in the report)',
};
const SCORE_OPTION: OptionSpec = {
  name: 'score',
  value: 'ID',
  repeatable: true,
  default: 'news2',
  meaning: 'a built-in score (see "ewskit scores"; news2, apollo-style, …) or a score definition file (.json); repeat for several.',
};

/** What a study reads: a cohort directory or an extract, the scores and the groupings (validate and summarise). */
const STUDY_INPUTS: readonly OptionSpec[] = [
  { name: 'cohort', value: 'DIR', meaning: 'a cohort directory written by ewskit synth.' },
  {
    name: 'observations',
    value: 'FILE',
    meaning:
      'your extract’s observations: FHIR NDJSON (a file or a folder of Observation*.ndjson) or Bundle, CSV, Parquet or Arrow; long (one row per value) or wide (one row per set).',
  },
  { name: 'events', value: 'FILE', meaning: 'the outcomes: encounter_id, event_type, event_time (names by the mapping).' },
  { name: 'patients', value: 'FILE', meaning: 'one row per patient (patient_id, ethnic_category, sex, …): for Table 1 and groups.' },
  {
    name: 'encounters',
    value: 'FILE',
    meaning: 'one row per encounter (encounter_id, patient_id, admitted_at, discharged_at, …); with it, rows of any other encounter are rejected.',
  },
  { name: 'map', value: 'FILE', meaning: 'the mapping file (ewskit.mapping/1; see below).' },
  { name: 'strict', meaning: 'stop at the first rejected record or flagged value of any kind, naming its place (an extract or a cohort).' },
  { name: 'rejects', value: 'FILE.csv', meaning: 'write every rejected record (table, place, reason with the value): row-level, it stays with you.' },
  SCORE_OPTION,
  {
    name: 'by',
    value: 'COLUMN',
    repeatable: true,
    meaning:
      'compare groups by a column (ethnicity, sex, skin_tone_band, nhs_ethnic_group, nhs_ethnic_group_2021, condition, …); a,b for intersectional groups; repeat for several.',
  },
  {
    name: 'reference',
    value: 'COLUMN=GROUP',
    repeatable: true,
    defaultText: 'the group with the most patients',
    meaning: 'the reference group of a --by column.',
  },
];

/** The study's design and analysis options (validate and summarise). */
const STUDY_DESIGN: readonly OptionSpec[] = [
  VALIDATE_B,
  {
    name: 'bootstrap',
    value: 'METHOD',
    choices: BOOTSTRAP_METHODS,
    default: 'poisson',
    meaning:
      'how the bootstrap resamples patients: poisson weights each Poisson(1) from a hash of (patient id, replicate, seed), the same replicates in any row order, partition or SQL engine; multinomial draws them with replacement (the classic scheme; both cover alike in the coverage simulation).',
  },
  SEED,
  { name: 'horizon', value: 'HOURS', default: '24', meaning: 'a set is positive when an event follows within this many hours.' },
  {
    name: 'event',
    value: 'TYPE',
    repeatable: true,
    defaultText: 'every type in the events table',
    meaning: 'the outcome’s event types; repeat for several.',
  },
  { name: 'min-count', value: 'N', default: '10', meaning: 'the smallest count released (disclosure control).' },
  {
    name: 'rising-by',
    value: 'N',
    meaning: 'add the rule "rising by ≥ N from the previous set" to each points score’s alert measures (ΔNEWS2).',
  },
  {
    name: 'unit',
    value: 'UNIT',
    repeatable: true,
    choices: UNIT_NAMES,
    meaning: 'units of analysis beside every set: first set per encounter, highest per 24 h, or the sets every score can score.',
  },
  {
    name: 'cluster',
    value: 'LEVEL',
    default: 'patient',
    choices: CLUSTER_LEVELS,
    meaning: 'what the bootstrap resamples together: every set of a patient, or of an encounter.',
  },
  {
    name: 'recalibration',
    value: 'METHOD',
    default: 'logistic',
    choices: RECALIBRATION_METHODS,
    meaning: 'how a points score is mapped to probabilities (cross-fitted by patient) for calibration and net benefit.',
  },
  { name: 'pool-min-events', value: 'N', default: '10', meaning: 'events and non-events each range of pooled score values must hold.' },
  {
    name: 'missing',
    value: 'POLICY',
    default: 'none',
    choices: MISSING_ANALYSES,
    meaning: 'none: complete-case, each score on the sets it can score; zero: missing inputs score 0; both: the two side by side.',
  },
  {
    name: 'follow-up',
    value: 'KIND',
    default: 'in-hospital',
    choices: FOLLOW_UPS,
    meaning:
      'in-hospital: the outcome is an in-hospital event, so discharge alive within the horizon is no event (a negative); linked: events after discharge are recorded too (a linked register), so discharge censors.',
  },
  {
    name: 'censored',
    value: 'RULE',
    default: 'exclude',
    choices: CENSORED_HANDLING,
    meaning: 'sets whose outcome is unknown (follow-up ends within the horizon, no event): excluded, or counted as no event.',
  },
  {
    name: 'extract-end',
    value: 'DATE',
    defaultText: 'the latest time in the extract, stated in the report',
    meaning: 'when the extract was taken: encounters still open (no discharge time) are followed to here.',
  },
  { name: 'exclude-before-event', value: 'MINUTES', default: '0', meaning: 'drop sets charted this close before their event (measured at the event).' },
  {
    name: 'disclosure',
    value: 'POLICY',
    default: 'ewskit',
    choices: DISCLOSURE_POLICIES,
    meaning:
      'ewskit: no count 1–9 (see --min-count), secondary suppression; opensafely: counts ≤ 7 redacted, rounded to 5; midpoint6: midpoints of bands of 6; none: not for release.',
  },
];

/** What validate's and summarise's help say after the options. */
const STUDY_NOTES: readonly string[] = [
  'The mapping file (--map, JSON, "schema": "ewskit.mapping/1") names your columns ("columns": {"encounter_id": "SpellID"}), adds local codes ("codes": {"RR": "respiratory_rate"}) and says how times are written ("time": {"format": "iso|dmy|mdy|epoch-ms|epoch-s", "zone": "UTC"}), and the CSV delimiter and decimal mark — globally or per table ("tables": {"events": {"time": {"format": "dmy"}}}). Nothing is guessed from the data: see docs/ingest.md.',
  'Ethnicity from NHS ethnic category codes (A–Z, in a patients column ethnic_category): --by nhs_ethnic_group groups them as the 2001 census, --by nhs_ethnic_group_2021 as the 2021 census; Z (not stated) is no group.',
  'Conditions from ICD-10 primary diagnoses (an encounters column primary_diagnosis): --by condition groups them as COPD (J44), Sepsis (A40, A41, R65.1), Heart failure (I50) and Other; a missing or malformed code is no group.',
  'Reading an extract prints rows read, kept and rejected per file, every reason with its count and first place (on your terminal only); the report carries only counts, through disclosure control.',
  'Exits with 1, writing no report, when the events table has no event of the chosen types after reading.',
];

/** Every command's options, in the order the help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'demo',
    summary:
      'run the study on a built-in synthetic cohort (NEWS2 vs Apollo-style): prints the scores, example rows and the report, and writes the report as an HTML page (its path printed last).',
    options: [
      { name: 'encounters', value: 'N', default: '2000', meaning: 'encounters in the seeded uk-leicester cohort.' },
      SEED,
      { ...B_OPTION, default: '200' },
      { ...SCORE_OPTION, defaultText: 'news2 and apollo-style' },
      { name: 'html', value: 'FILE', defaultText: 'ewskit-demo/report.html in the system temporary directory', meaning: 'where to write the HTML report.' },
      FORCE,
      QUIET,
    ],
  },
  {
    name: 'synth',
    summary: 'write a synthetic EPR cohort: patients, encounters, observations, events and truth as Arrow files, with cohort.json.',
    options: [
      { name: 'out', value: 'DIR', required: true, meaning: 'the cohort directory (written whole, or not at all).' },
      {
        name: 'profile',
        value: 'NAME',
        default: 'uk-leicester',
        meaning: 'uk-leicester (the Leicester hospitals’ catchment), uk-leicester-city (the city’s ethnic mix), india-apollo, or a profile file (.json).',
      },
      { name: 'encounters', value: 'N', default: '1000', meaning: 'encounters to generate.' },
      SEED,
      {
        name: 'oximeter-bias',
        value: 'KIND',
        default: 'literature',
        choices: OXIMETER_BIAS_NAMES,
        meaning: 'pulse oximeters over-read with darker skin as published (literature), or read true (none).',
      },
      {
        name: 'escalation-effect',
        value: 'SHARE',
        default: '0',
        meaning: 'how much a clinical response lowers the hazard of an event for 24 h (0–1; 0: none, the natural history).',
      },
      {
        name: 'escalation-trigger',
        value: 'POLICY',
        default: 'urgent',
        choices: ESCALATION_TRIGGERS,
        meaning: 'which sets trigger a response: urgent (NEWS2 ≥ 5 or a red score), emergency (≥ 7) or red (a red score).',
      },
      {
        name: 'format',
        value: 'FORMAT',
        choices: COHORT_FORMATS,
        default: 'arrow',
        meaning:
          'how the tables are stored: Arrow IPC files, Parquet, or CSV (what a database loads: psql \\copy … CSV HEADER); ewskit validate reads all three from the cohort directory.',
      },
      {
        name: 'sites',
        value: 'N|NAMES',
        meaning:
          'a multi-site study: N sites (site-1 …) or a comma-separated list of names, each a cohort directory under --out with --encounters encounters, shifted by drawn site effects (baseline risk, case mix, observation practice, oximeter mix), and sites.json with the draws.',
      },
      { name: 'batch', value: 'N', default: '5000', meaning: 'encounters generated and written per batch (bounds memory).' },
      FORCE,
      QUIET,
    ],
  },
  {
    name: 'score',
    summary:
      'score a file of observations (Arrow IPC, CSV, Parquet or FHIR) batch by batch, memory bounded by the batch, and write the input with the score columns.',
    options: [
      {
        name: 'in',
        value: 'FILE',
        required: true,
        meaning: 'observations: Arrow IPC, CSV, Parquet, or FHIR NDJSON/Bundle (measurements assembled into sets).',
      },
      { name: 'out', value: 'FILE', required: true, meaning: 'the scored table: .arrow (Arrow IPC file), .arrows (Arrow IPC stream) or .parquet.' },
      SCORE_OPTION,
      {
        name: 'missing',
        value: 'POLICY',
        default: 'none',
        choices: MISSING_POLICIES,
        meaning: 'none: the charts’ policy (a set missing an input has no total); zero: missing inputs score 0 (a research option).',
      },
      { name: 'columns', value: 'LIST', defaultText: 'every output', meaning: 'only these outputs, comma-separated (total,risk,…).' },
      { name: 'map', value: 'FILE', meaning: 'the mapping file (ewskit.mapping/1): local codes, column names, time and decimal formats.' },
      { name: 'batch', value: 'N', default: '65536', meaning: 'rows per batch.' },
      FORCE,
      QUIET,
    ],
  },
  {
    name: 'validate',
    summary:
      'the study: discrimination, calibration, thresholds, comparisons and subgroups, with patient-clustered intervals and disclosure control — on a cohort written by synth or on your own extract.',
    usage: '(--cohort DIR | --observations FILE --events FILE [extract options] | --engine postgres --database URL) [options]',
    options: [
      ...STUDY_INPUTS,
      {
        name: 'engine',
        value: 'ENGINE',
        default: 'js',
        choices: ENGINES,
        meaning:
          'where the study runs: js in this process (the full report); duckdb embedded, reading a Parquet or CSV cohort directory itself (larger than memory); postgres on a server (--database, --tables). duckdb and postgres bring back only count tables and write the engine report (ewskit.engine-report/2: flow, Table 1, AUROC and the clinical cut-offs’ measures with clustered intervals, calibration and paired comparisons, overall and by one --by column; --out, --md and --html).',
      },
      {
        name: 'database',
        value: 'URL',
        meaning: 'with --engine postgres: the server, postgres://user@host:port/db (the password from PGPASSWORD or ~/.pgpass, not the command line).',
      },
      {
        name: 'tables',
        value: 'SPEC',
        defaultText: 'observations=observations,events=events,encounters=encounters,patients=patients',
        meaning:
          'with --engine postgres: the tables to read, observations=NAME,events=NAME[,encounters=NAME][,patients=NAME] (schema.table allowed; encounters end follow-up at discharge, patients give --by its columns).',
      },
      {
        name: 'memory-limit',
        value: 'SIZE',
        defaultText: 'DuckDB’s own (80 % of memory)',
        meaning: 'with --engine duckdb: DuckDB’s memory limit, e.g. 4GB (it spills to disk beyond).',
      },
      { name: 'out', value: 'FILE', meaning: 'the report as JSON (ewskit.report), with its output-checking summary beside it (.checks.json).' },
      { name: 'md', value: 'FILE', meaning: 'the report as Markdown.' },
      { name: 'html', value: 'FILE', meaning: 'the report as one self-contained web page with its figures.' },
      { name: 'figures', value: 'DIR', meaning: 'every figure as a standalone SVG, with a manifest (ewskit-figures.json).' },
      ...STUDY_DESIGN,
      FORCE,
      QUIET,
    ],
    notes: STUDY_NOTES,
  },
  {
    name: 'summarise',
    summary:
      'one site of a multi-site study: the study on its cohort or extract, kept as a site summary (ewskit.summary/1) — released estimates with clustered SEs on the pooling scale, case mix, settings — for ewskit combine.',
    usage: '--site NAME --out FILE (--cohort DIR | --observations FILE --events FILE [extract options]) [options]',
    options: [
      { name: 'site', value: 'NAME', required: true, meaning: 'the site’s name, as the combined report shows it (no patient data).' },
      {
        name: 'out',
        value: 'FILE',
        required: true,
        meaning: 'the site summary (ewskit.summary/1, .json), with its output-checking summary beside it (.checks.json).',
      },
      {
        name: 'count-tables',
        meaning:
          'add the study’s count tables (every score’s, models too, per group; Table 1’s; the flow’s; the alert measures’; with the Poisson bootstrap’s replicates) so that combine can pool all sites’ patients in one stage — small counts included: share only where a governance agreement allows.',
      },
      ...STUDY_INPUTS,
      ...STUDY_DESIGN,
      FORCE,
      QUIET,
    ],
    notes: [
      'Each measure is the released value of the report the study would write, with its standard error on the scale meta-analysis pools on: logit AUROC, log O/E, calibration intercept and slope (models), logit sensitivity and specificity at each alerting rule, net benefit. A value the report suppressed, or one on the edge of its scale (a sensitivity of 1), is kept out with its reason.',
      ...STUDY_NOTES,
    ],
  },
  {
    name: 'combine',
    summary:
      'combine site summaries: a random-effects summary of every measure (REML τ², Hartung–Knapp–Sidik–Jonkman interval), the prediction interval for a new site, τ and I², and every site’s row, with forest plots.',
    usage: 'SUMMARY.json [SUMMARY.json …] [--out FILE] [--md FILE] [--html FILE] [--pooled-out FILE] [--pooled-md FILE] [--pooled-html FILE] [options]',
    positional: { value: 'SUMMARY.json', meaning: 'site summaries written by ewskit summarise', min: 1 },
    options: [
      { name: 'out', value: 'FILE', meaning: 'the combined report as JSON (ewskit.combined/1).' },
      { name: 'md', value: 'FILE', meaning: 'the combined report as Markdown.' },
      { name: 'html', value: 'FILE', meaning: 'the combined report as one self-contained web page with a forest plot per score.' },
      {
        name: 'pooled-out',
        value: 'FILE',
        meaning:
          'when every site shared its count tables (summarised with count tables): the one-stage engine report of all sites’ patients together (flow, Table 1, points scores and models, comparisons, the subgroups of each of the sites’ groupings) as JSON — disclosure control off, check before release.',
      },
      { name: 'pooled-md', value: 'FILE', meaning: 'the one-stage engine report as Markdown.' },
      { name: 'pooled-html', value: 'FILE', meaning: 'the one-stage engine report as one self-contained web page.' },
      {
        name: 'method',
        value: 'TAU2',
        default: 'REML',
        choices: TAU2_METHODS,
        meaning: 'how the between-site variance τ² is estimated: restricted maximum likelihood, or DerSimonian–Laird.',
      },
      {
        name: 'test',
        value: 'TEST',
        default: 'knha',
        choices: META_TESTS,
        meaning: 'the summary’s interval and the prediction interval: Hartung–Knapp–Sidik–Jonkman (t with k − 1 df), or the normal approximation.',
      },
      {
        name: 'prediction',
        value: 'RULE',
        default: 'k-2',
        choices: PREDICTION_RULES,
        meaning:
          'the prediction interval’s distribution: k-2 — Student’s t with k − 2 df (Higgins et al. 2009, Riley et al. 2011), wider with few sites, none with two; test — that of --test, as R’s metafor (too narrow with few sites).',
      },
      FORCE,
    ],
    notes: [
      'Summaries must agree in report schema, score definitions (id, version, SHA-256), outcome (horizon, event types, follow-up, censored sets), level, net-benefit thresholds, clustering and disclosure policy: otherwise combine refuses, naming the field and two sites. A site named twice is refused. With one site there is no τ² and no prediction interval (said in the report).',
    ],
  },
  {
    name: 'pseudonymise',
    summary:
      'replace patient and encounter keys by keyed pseudonyms (HMAC-SHA-256 with a secret the sites share and never release), in a cohort directory or one CSV, Arrow or Parquet file, so that sites agree on who is who.',
    usage: '--key FILE (--cohort DIR | --in FILE [--columns LIST]) --out PATH [--force] | --make-key FILE',
    options: [
      { name: 'key', value: 'FILE', meaning: 'the secret (at least 32 bytes): the same file at every site; it never leaves them.' },
      {
        name: 'make-key',
        value: 'FILE',
        meaning: 'write a new random 256-bit secret (64 hex digits) to FILE, readable by its owner only; never replaces one.',
      },
      { name: 'cohort', value: 'DIR', meaning: 'a cohort directory (any format synth writes): every table’s patient_id and encounter_id.' },
      { name: 'in', value: 'FILE', meaning: 'one table: CSV or TSV, Arrow IPC (.arrow, .arrows) or Parquet; the output keeps its format.' },
      {
        name: 'columns',
        value: 'LIST',
        default: 'patient_id,encounter_id',
        meaning: 'with --in: the key columns to replace, comma-separated (each must exist).',
      },
      { name: 'out', value: 'PATH', meaning: 'the pseudonymised cohort directory (--cohort) or file (--in): never an input.' },
      FORCE,
    ],
    notes: [
      'A pseudonym is the first 128 bits (32 hex digits) of HMAC-SHA-256(secret, domain ‖ 0x00 ‖ key as written), the domain patient for patient_id, encounter for encounter_id, else the column’s name. Every row and every other value is kept; an empty key stays empty and is counted. The key’s fingerprint (printed, and written into a cohort’s cohort.json) lets sites check they hold the same secret without showing it.',
      'This is pseudonymisation, not anonymisation: dates, ages and other values are unchanged, and anyone with the secret can link a known key to its pseudonym. See docs/multi-site.md.',
    ],
  },
  {
    name: 'fit',
    summary:
      'fit the Apollo-style template (or the NEWS2 + age + comorbidity reference comparator) on a synthetic derivation cohort and write the definition (.json).',
    options: [
      { name: 'out', value: 'FILE', required: true, meaning: 'where to write the fitted definition (.json).' },
      {
        name: 'model',
        value: 'ID',
        default: 'apollo-style',
        choices: FIT_MODELS,
        meaning: 'the template to fit.',
      },
      { name: 'profile', value: 'NAME', default: 'india-apollo', meaning: 'the derivation cohort’s profile (uk-leicester, india-apollo or a .json file).' },
      { name: 'encounters', value: 'N', default: '20000', meaning: 'encounters in the derivation cohort (at least 100).' },
      { ...SEED, default: '2024' },
      { name: 'ridge', value: 'λ', default: '1', meaning: 'ridge penalty of the constrained logistic regression (≥ 0).' },
      {
        name: 'iecv',
        value: 'DIR',
        meaning:
          'internal–external cross-validation over the sites of DIR (a multi-site study from ewskit synth, or one cohort directory per site): fit on all sites but one, validate on that one, for each; --out is then the meta-analysis of the held-out sites (ewskit.combined/1).',
      },
      { name: 'md', value: 'FILE', meaning: 'with --iecv: the cross-validation’s report as Markdown.' },
      { name: 'html', value: 'FILE', meaning: 'with --iecv: the report as one web page with forest plots.' },
      { name: 'B', value: 'N', default: '200', meaning: 'with --iecv: bootstrap replicates at each held-out site (0: none).' },
      {
        name: 'score',
        value: 'ID',
        repeatable: true,
        default: 'news2',
        meaning: 'with --iecv: a comparator validated beside each fold’s fit (built-in id or .json); repeat for several.',
      },
      FORCE,
      QUIET,
    ],
  },
  { name: 'scores', summary: 'list the built-in scores: the id you type, name, version and source.', options: [] },
  {
    name: 'bench',
    summary:
      'measure scoring throughput as a ratio to a memory floor timed in the same run (the floor reads the same columns and writes the same outputs), so the ratio, not the machine’s speed, is compared; with --compare, exit 1 when a score slowed by more than --max-slowdown.',
    options: [
      SCORE_OPTION,
      { name: 'rows', value: 'N', default: '1000000', meaning: 'rows of the seeded table (at least 1000): every input uniform over its plausible range.' },
      { name: 'missing-rate', value: 'R', default: '0', meaning: 'share of every input cell that is null (0 ≤ R < 1): 0.05 times the null path.' },
      { name: 'rounds', value: 'N', default: '5', meaning: 'rounds of (floor, kernel) timings with tinybench; the ratio is their median.' },
      SEED,
      { name: 'json', value: 'FILE', meaning: 'write the run (ewskit.bench/1) here: a baseline for a later --compare.' },
      { name: 'compare', value: 'BASELINE.json', meaning: 'a run written earlier by --json (any machine): compare each score’s ratio with it.' },
      {
        name: 'max-slowdown',
        value: 'S',
        default: '0.1',
        meaning: 'the share of the baseline’s ratio a score may lose before the command fails (0.1 = 10 %).',
      },
      FORCE,
      QUIET,
    ],
    notes: [
      'The ratio is kernel rows/s ÷ floor rows/s, each the median time of a tinybench task, and its median over rounds. A result compares with a baseline of the same score, score version and missing rate; rows and seed may differ but are best kept equal.',
    ],
  },
];

/** The exit codes every command shares. */
export const EXIT_CODES =
  '0 success; 1 a failure while running (a missing file, a wrong column, no events); 2 a usage error (unknown command, option or value).';

/** A command's entry in the table. */
export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The names of a command's options (what its parser accepts). */
export function optionNames(command: string): readonly string[] {
  return (commandSpec(command)?.options ?? []).map((o) => o.name);
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1] ?? ''}`;
}

/** How an option is written in a usage line: `--out FILE`, `[--B N]`, `[--cluster patient|encounter]`, `[--by COLUMN ...]`. */
function usageOf(o: OptionSpec): string {
  const value = o.choices !== undefined ? o.choices.join('|') : o.value;
  const text = `--${o.name}${value === undefined ? '' : ` ${value}`}${o.repeatable === true ? ' ...' : ''}`;
  return o.required === true ? text : `[${text}]`;
}

/** Words wrapped to a width, each line after the first indented. */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join(`\n${indent}`);
}

/** The usage line of a command: `ewskit NAME` and its options. */
export function usageLine(spec: CommandSpec): string {
  const args = spec.usage ?? spec.options.map(usageOf).join(' ');
  return wrap(`ewskit ${spec.name}${args === '' ? '' : ` ${args}`}`, 116, '    ');
}

/** `ewskit COMMAND --help`: usage, purpose, every option with its meaning, default and allowed values, and the exit codes. */
export function commandHelp(spec: CommandSpec): string {
  const width = Math.max(...spec.options.map((o) => `--${o.name}${o.value === undefined ? '' : ` ${o.value}`}`.length), 0);
  const options = spec.options.map((o) => {
    const head = `--${o.name}${o.value === undefined ? '' : ` ${o.value}`}`.padEnd(width);
    const extra = [
      o.required === true ? 'Required.' : '',
      o.choices !== undefined ? `One of: ${o.choices.join(', ')}.` : '',
      o.default !== undefined || o.defaultText !== undefined ? `Default: ${o.defaultText ?? o.default}.` : '',
      o.repeatable === true ? 'May be repeated.' : '',
    ].filter((t) => t !== '');
    return `  ${head}  ${wrap([o.meaning, ...extra].join(' '), 114 - width, ' '.repeat(width + 4))}`;
  });
  return [
    `Usage:\n  ${usageLine(spec)}`,
    '',
    wrap(
      spec.summary.replace(/^./, (c) => c.toUpperCase()),
      118,
      '',
    ),
    ...(spec.positional === undefined ? [] : ['', 'Arguments:', `  ${spec.positional.value} …  ${spec.positional.meaning} (at least ${spec.positional.min}).`]),
    ...(spec.options.length === 0 ? [] : ['', 'Options:', ...options]),
    ...(spec.notes ?? []).flatMap((n) => ['', wrap(n, 118, '')]),
    '',
    `Exit codes: ${EXIT_CODES}`,
  ].join('\n');
}
