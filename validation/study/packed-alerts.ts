/**
 * The alert measures' count table packed for travel in a site summary (format `ewskit.packed-alert-counts/1`): per
 * score and rule, the sums of each bootstrap replicate (the data first) as the count tables' token stream when they are
 * whole numbers (counts, and ward time in milliseconds from whole-millisecond times), else as 64-bit floats; the
 * distinct lead times as 64-bit floats and their counts per replicate as tokens; NEWS2's monitoring compliance sums as
 * tokens. Lossless: {@link unpackAlertCounts} gives back the table {@link packAlertCounts} was given.
 */
import type { AlertCountTable, ScoreAlertCounts } from './alerts.js';
import type { ComplianceCounts, RuleCounts } from '../ward/alert-measures.js';
import { RULE_COUNT_FIELDS } from '../ward/alert-measures.js';
import { packFloats, packWholeNumbers, unpackFloats, unpackWholeNumbers } from './packed-counts.js';

/** The format id of a packed alert count table. */
export const PACKED_ALERTS_FORMAT = 'ewskit.packed-alert-counts/1';

/** A number array packed: whole numbers ≥ 0 as tokens, anything else as 64-bit floats. */
export interface PackedNumbers {
  readonly encoding: 'whole' | 'float64';
  readonly data: string;
}

/** One rule's counts, packed. */
export interface PackedRuleCounts {
  readonly label: string;
  /** (B + 1) × 9 sums, row by row (`RULE_COUNT_FIELDS`). */
  readonly sums: PackedNumbers;
  /** The distinct lead times (hours), ascending, as 64-bit floats. */
  readonly leads: string;
  /** (B + 1) × leads counts. */
  readonly leadCounts: PackedNumbers;
  readonly patientsWithAlert: number;
  readonly patientsWithEpisode: number;
  readonly patientsDetected: number;
}

/** A packed alert count table (`ewskit.packed-alert-counts/1`). */
export interface PackedAlertCounts extends Omit<AlertCountTable, 'scores'> {
  readonly format: typeof PACKED_ALERTS_FORMAT;
  readonly scores: readonly {
    readonly score: string;
    readonly sets: number;
    readonly episodes: number;
    readonly rules: readonly PackedRuleCounts[];
    readonly monitoring: { readonly bands: number; readonly sums: PackedNumbers; readonly patients: readonly (readonly number[])[] } | null;
  }[];
}

const FN = 'unpackAlertCounts';

function packNumbers(values: Float64Array): PackedNumbers {
  const whole = values.every((v) => Number.isSafeInteger(v) && v >= 0);
  return whole ? { encoding: 'whole', data: packWholeNumbers(values) } : { encoding: 'float64', data: packFloats(values) };
}

function unpackNumbers(p: PackedNumbers, length: number, field: string, shape: string): Float64Array {
  if (p.encoding === 'whole') return unpackWholeNumbers(p.data, length, FN, field, shape);
  if (p.encoding !== 'float64') throw new TypeError(`${FN}: field "${field}.encoding" expected "whole" or "float64"; received ${JSON.stringify(p.encoding)}.`);
  const values = unpackFloats(p.data, FN, field);
  if (values.length !== length) throw new TypeError(`${FN}: field "${field}" expected ${length} numbers (${shape}); received ${values.length}.`);
  return values;
}

/**
 * The alert count table packed for a site summary. Runs in O(table size).
 *
 * @example JSON.stringify(packAlertCounts(run.alertCounts)).length; // far smaller than the arrays as JSON
 */
export function packAlertCounts(table: AlertCountTable): PackedAlertCounts {
  const { scores, ...settings } = table;
  return {
    format: PACKED_ALERTS_FORMAT,
    ...settings,
    scores: scores.map((s) => ({
      score: s.score,
      sets: s.sets,
      episodes: s.episodes,
      rules: s.rules.map(({ label, counts: c }) => ({
        label,
        sums: packNumbers(c.sums),
        leads: packFloats(c.leads),
        leadCounts: packNumbers(c.leadCounts),
        patientsWithAlert: c.patientsWithAlert,
        patientsWithEpisode: c.patientsWithEpisode,
        patientsDetected: c.patientsDetected,
      })),
      monitoring: s.monitoring === null ? null : { bands: s.monitoring.bands, sums: packNumbers(s.monitoring.sums), patients: s.monitoring.patients },
    })),
  };
}

/**
 * A packed alert count table read back (from a summary's JSON).
 *
 * @throws {TypeError} naming the field when the format is another, or a packed array is malformed or of the wrong length
 */
export function unpackAlertCounts(packed: PackedAlertCounts): AlertCountTable {
  if (packed.format !== PACKED_ALERTS_FORMAT)
    throw new TypeError(`${FN}: field "format" expected "${PACKED_ALERTS_FORMAT}"; received ${JSON.stringify(packed.format)}.`);
  const { format: _format, scores, ...settings } = packed;
  const rows = packed.B + 1;
  return {
    ...settings,
    scores: scores.map((s, i): ScoreAlertCounts => ({
      score: s.score,
      sets: s.sets,
      episodes: s.episodes,
      rules: s.rules.map((r, k) => {
        const at = `scores[${i}].rules[${k}]`;
        const leads = unpackFloats(r.leads, FN, `${at}.leads`);
        const counts: RuleCounts = {
          sums: unpackNumbers(r.sums, rows * RULE_COUNT_FIELDS.length, `${at}.sums`, `(B + 1) × ${RULE_COUNT_FIELDS.length} sums`),
          leads,
          leadCounts: unpackNumbers(r.leadCounts, rows * leads.length, `${at}.leadCounts`, '(B + 1) × lead times'),
          patientsWithAlert: r.patientsWithAlert,
          patientsWithEpisode: r.patientsWithEpisode,
          patientsDetected: r.patientsDetected,
        };
        return { label: r.label, counts };
      }),
      monitoring:
        s.monitoring === null
          ? null
          : ({
              bands: s.monitoring.bands,
              sums: unpackNumbers(s.monitoring.sums, rows * s.monitoring.bands * 4, `scores[${i}].monitoring.sums`, '(B + 1) × bands × 2 periods × 2'),
              patients: s.monitoring.patients,
            } satisfies ComplianceCounts),
    })),
  };
}
