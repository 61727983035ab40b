/**
 * The report's output-checking summary and disclosure audit, as written to the report (`disclosure` in
 * `ewskit.report`, docs/report.md). Defined here, below the study and the report, so that the disclosure control that
 * fills them and the report that carries them do not import each other.
 */
import type { DisclosurePolicyName } from './policy.js';

/** What an output checker reads first: the policy, its rules, and per table what was suppressed or rounded. */
export interface DisclosureSummary {
  /** The named policy applied: 'ewskit' (default), 'opensafely', 'midpoint6' or 'none'. */
  readonly policy: DisclosurePolicyName;
  /** The smallest count released (0 under 'none'). */
  readonly minCount: number;
  readonly rules: readonly string[];
  /** How many cells each rule suppressed. */
  readonly suppressedCells: Readonly<Record<string, number>>;
  /** How many linear relations between the report's counts (sums, totals, the same count in two tables) were declared and protected. */
  readonly relations: number;
  /** Per table of the report: cells shown, suppressed (primary, secondary, dependants) and rounded. */
  readonly tables: readonly TableCheck[];
  /** Pairs of tables whose counts are related, each declared once with what ties them. */
  readonly links: readonly TableLink[];
  /** The audit by linear programming of what a reader can work out about each protected count; null when not run. */
  readonly audit: DisclosureAudit | null;
  /**
   * True only when the report may leave the trusted research environment: a policy other than 'none', audited (see
   * `audit`), and — under a policy that suppresses — every audited count protected.
   */
  readonly releasable: boolean;
}

/**
 * The disclosure audit: for each count the policy protects (suppressed for its size; under 'midpoint6', each count
 * below 10), the smallest and largest value a reader can work out from every released count, every declared relation
 * (sums, totals, the same count in two tables, patients of groups, events once per encounter) and the policy's bounds
 * (a suppressed count is 1 … threshold − 1; any count ≥ 0; a rounded count lies in its band).
 */
export interface DisclosureAudit {
  /** The solver and what was solved. */
  readonly method: string;
  /** A count is protected when its feasible interval (max − min) is at least this wide. */
  readonly protectionWidth: number;
  /** Counts audited for protection (`cells` with `required` > 0). */
  readonly audited: number;
  /** Audited counts narrower than the protection width (0 under a policy that suppresses, unless nothing around them could be). */
  readonly unprotected: number;
  /** The narrowest feasible interval's width, or null with nothing to audit. */
  readonly narrowest: number | null;
  /** Counts the audit suppressed beyond the elimination's secondary suppression. */
  readonly addedSuppressions: number;
  /**
   * Counts suppressed to protect another (by the elimination or the audit) that the audit released again: the
   * relations and bounds work them out exactly, so their suppression protected nothing.
   */
  readonly releasedAgain: number;
  /** Relations the audit used (equalities and "at most" relations). */
  readonly relations: number;
  /** Time the audit took. */
  readonly seconds: number;
  /** Every audited count: its table and feasible interval. */
  readonly cells: readonly AuditedCell[];
}

/** One count not released exactly: where it is, why, and the interval a reader can narrow it to. */
export interface AuditedCell {
  readonly table: string;
  /** Where it sits in the report (a JSON path such as `subgroups[0].groups[2].patients`); null when only inside a statistic that is not shown. */
  readonly path: string | null;
  /**
   * Why it is not released exactly: 'primary' (its size), 'secondary' (suppressed to protect another), 'dependant'
   * (inside a suppressed statistic), 'rounded' (a small count released in a band, under 'midpoint6'), 'not shown' (a
   * count the relations need that the report does not show — units of no group — audited when small).
   */
  readonly suppressed: 'primary' | 'secondary' | 'dependant' | 'rounded' | 'not shown';
  /** The smallest value a reader can work out. */
  readonly min: number;
  /** The largest; null when no upper bound can be worked out. */
  readonly max: number | null;
  /**
   * The width its interval must reach: the protection width for a count suppressed for its size, and for a count
   * suppressed to protect one whose interval was narrower than that (and not exact); 0 for a count listed only.
   */
  readonly required: number;
}

/** Two tables whose counts are related, and how (declared once per pair). */
export interface TableLink {
  readonly tables: readonly [string, string];
  readonly meaning: string;
}

/** One table of the output-checking summary. */
export interface TableCheck {
  readonly table: string;
  /** What its cells are counted by, as declared where the table is made. */
  readonly dimensions: readonly string[];
  /** Its margins and hierarchy, in words. */
  readonly margins: string;
  /** Cells shown. */
  readonly cells: number;
  /** Counts below the policy's threshold, and statistics from too few patients or events. */
  readonly suppressedPrimary: number;
  /** Counts suppressed so that no suppressed count can be worked out by addition or subtraction. */
  readonly suppressedSecondary: number;
  /** Statistics suppressed because a count they derive from was. */
  readonly suppressedDependants: number;
  /** Released counts changed by rounding. */
  readonly rounded: number;
}
