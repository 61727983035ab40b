/**
 * Statistical disclosure control for reports leaving a trusted research environment, after the common output
 * rules (e.g. the SDC Handbook; UK Data Service and NHS TRE practice): no count, rate, statistic or curve point
 * derived from fewer than `minCount` (default 10) patients or events. A suppressed cell keeps its place in the report
 * and says which rule suppressed it; the report lists every rule applied and how many cells each suppressed.
 */

import type { DisclosureSummary } from '../report/types.js';

/** A cell that was not released. */
export interface Suppressed {
  readonly suppressed: true;
  readonly rule: string;
}

export type Released<T> = T | Suppressed;

/** True for a suppressed cell. */
export function isSuppressed(v: unknown): v is Suppressed {
  return typeof v === 'object' && v !== null && (v as { suppressed?: unknown }).suppressed === true;
}

/** What a cell was derived from. */
export interface CellBasis {
  readonly patients?: number;
  readonly events?: number;
  /** Other counts that must each reach the minimum (e.g. a proportion's numerator and its complement). */
  readonly counts?: readonly number[];
}

/** Applies the output rules and keeps the tally. With `minCount: 0` (disclosure off) everything is released. */
export class Disclosure {
  readonly minCount: number;
  private readonly tally = new Map<string, number>();

  /**
   * @param options `minCount` (default 10; 0 switches control off); `caller`, the public function whose option this
   *   is, named in the error message (default 'Disclosure')
   * @throws {RangeError} for a minimum that is not a whole number ≥ 0
   * @example new Disclosure({ minCount: 10 }).count(4); // => { suppressed: true, rule: 'a cell count below 10' }
   */
  constructor(options: { minCount?: number; caller?: string } = {}) {
    const minCount = options.minCount ?? 10;
    if (!Number.isInteger(minCount) || minCount < 0) {
      const where = options.caller === undefined ? 'Disclosure: option "minCount"' : `${options.caller}: option "disclosure.minCount"`;
      throw new RangeError(`${where} expected a whole number ≥ 0; received ${String(minCount)}.`);
    }
    this.minCount = minCount;
  }

  /** The first rule the basis breaks, or null. */
  private broken(basis: CellBasis): string | null {
    const m = this.minCount;
    if (m === 0) return null;
    if (basis.patients !== undefined && basis.patients < m) return `fewer than ${m} patients`;
    if (basis.events !== undefined && basis.events < m) return `fewer than ${m} events`;
    if (basis.counts?.some((c) => c > 0 && c < m)) return `a cell count below ${m}`;
    return null;
  }

  /** Release `value`, or a suppressed cell naming the rule. */
  release<T>(value: T, basis: CellBasis): Released<T> {
    const rule = this.broken(basis);
    if (rule === null) return value;
    this.tally.set(rule, (this.tally.get(rule) ?? 0) + 1);
    return { suppressed: true, rule };
  }

  /** A count, released only when it (if non-zero) reaches the minimum. */
  count(n: number): Released<number> {
    return this.release(n, { counts: [n] });
  }

  /** The rules applied and how many cells each suppressed. */
  summary(): DisclosureSummary {
    const m = this.minCount;
    return {
      minCount: m,
      rules:
        m === 0
          ? ['disclosure control off']
          : [
              `no count below ${m} (zero is released)`,
              `no rate, statistic or curve point derived from fewer than ${m} patients or ${m} events`,
              'no patient or encounter identifier',
            ],
      suppressedCells: Object.fromEntries(this.tally),
    };
  }
}
