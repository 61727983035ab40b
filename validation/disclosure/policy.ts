/**
 * The named disclosure policies and their rules — what each releases, rounds and audits — following the SDC Handbook,
 * OpenSAFELY and ACRO/SACRO practice. The ledger that applies them is disclosure.ts; the audit, lp-audit.ts.
 */
import type { AuditBounds } from './lp-audit.js';

/** The named disclosure policies, spelled once (their type, check, CLI values and help come from here). */
export const DISCLOSURE_POLICIES = ['ewskit', 'opensafely', 'midpoint6', 'none'] as const;

/** A named disclosure policy. */
export type DisclosurePolicyName = (typeof DISCLOSURE_POLICIES)[number];

/** A policy's rules. */
export interface Policy {
  readonly name: DisclosurePolicyName;
  /** The smallest patients/events count a statistic may be derived from. */
  readonly minBasis: number;
  /** Why a count is not released, or null. */
  primary(n: number): string | null;
  /** The released value of a count. */
  round(n: number): number;
  readonly rules: readonly string[];
  /** Whether secondary suppression applies (policies that suppress). */
  readonly secondary: boolean;
  /** What a reader knows of a count `n` the policy released: the interval of true values its released value allows. */
  released(n: number): AuditBounds;
  /** What a reader knows of a count the policy suppressed for its size (primary): its a-priori interval. */
  readonly primaryBounds: AuditBounds;
  /**
   * The audit's protection width: a count the audit protects must have a feasible interval (max − min) at least this
   * wide; 0 width is a recovered count.
   */
  readonly protectionWidth: number;
  /** Which counts the audit checks: those suppressed for their size, or (a policy that only rounds) small true counts. */
  readonly audits: 'primary' | 'small';
}

export const SECONDARY = 'secondary: would reveal a suppressed cell by subtraction';
export const DEPENDS = 'derived from a suppressed count';
export const INSIDE = 'part of a suppressed cell';

export function policyOf(name: DisclosurePolicyName, minCount: number): Policy {
  switch (name) {
    case 'ewskit':
      return {
        name,
        minBasis: minCount,
        primary: (n) => (n > 0 && n < minCount ? `a count below ${minCount}` : null),
        round: (n) => n,
        secondary: true,
        released: (n) => ({ lower: n, upper: n }),
        primaryBounds: { lower: 1, upper: Math.max(1, minCount - 1) },
        // A third of the a-priori interval 1…threshold − 1 (3 at the default threshold: a reader cannot tell 1 from 4).
        protectionWidth: Math.max(0, Math.floor((minCount - 1) / 3)),
        audits: 'primary',
        rules: [
          `no count from 1 to ${minCount - 1} (zero is released)`,
          `no rate, statistic or curve point derived from fewer than ${minCount} patients or ${minCount} events, or from a suppressed count`,
          'secondary suppression: no suppressed count can be worked out from released counts by addition or subtraction (within a table, across tables, overall against subgroups)',
          'no patient or encounter identifier',
        ],
      };
    case 'opensafely':
      return {
        name,
        minBasis: 8,
        primary: (n) => (n <= 7 ? 'a count of 7 or fewer (redacted)' : null),
        round: (n) => Math.round(n / 5) * 5,
        secondary: true,
        // A released count r is a true count of 8 or more that rounds to r: r − 2 … r + 2.
        released: (n) => {
          const r = Math.round(n / 5) * 5;
          return { lower: Math.max(8, r - 2), upper: r + 2 };
        },
        primaryBounds: { lower: 0, upper: 7 },
        protectionWidth: 3,
        audits: 'primary',
        rules: [
          'every count of 7 or fewer is redacted (zero included)',
          'every released count is rounded to the nearest 5',
          'no rate, statistic or curve point derived from 7 or fewer patients or events, or from a redacted count',
          'secondary suppression: no redacted count can be worked out from the released (unrounded) relations',
          'no patient or encounter identifier',
        ],
      };
    case 'midpoint6':
      return {
        name,
        minBasis: 10,
        primary: () => null,
        round: (n) => (n === 0 ? 0 : Math.ceil(n / 6) * 6 - 3),
        secondary: false,
        // A released midpoint m is a true count in its band m − 2 … m + 3 (3 → 1–6); zero is zero.
        released: (n) => (n === 0 ? { lower: 0, upper: 0 } : { lower: Math.ceil(n / 6) * 6 - 5, upper: Math.ceil(n / 6) * 6 }),
        primaryBounds: { lower: 0, upper: 0 },
        protectionWidth: 3,
        audits: 'small',
        rules: [
          'every count is rounded to the midpoint of its band of 6 (1–6 → 3, 7–12 → 9, …; zero stays 0)',
          'no rate, statistic or curve point derived from fewer than 10 patients or 10 events',
          'no patient or encounter identifier',
        ],
      };
    case 'none':
      return {
        name,
        minBasis: 0,
        primary: () => null,
        round: (n) => n,
        secondary: false,
        released: (n) => ({ lower: n, upper: n }),
        primaryBounds: { lower: 0, upper: 0 },
        protectionWidth: 0,
        audits: 'primary',
        rules: ['disclosure control off (policy "none"): NOT FOR RELEASE outside the trusted research environment'],
      };
  }
}
