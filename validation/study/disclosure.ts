/**
 * Statistical disclosure control for reports leaving a trusted research environment, applied once, to the whole
 * report, after everything is computed. While the report is built, every count and every statistic is a *pending
 * cell*: `count(n)` and `release(value, basis)` record it in a ledger and return a placeholder, and the code that
 * makes a table declares the linear relations its counts obey (`relation(total, parts)`: rows, columns, totals, the
 * same number in two tables). `resolve(report)` then decides every cell in one place:
 *
 * 1. **Primary**: a count the policy does not release (e.g. 1–9 under `ewskit`), or a statistic derived from too few
 *    patients or events, is suppressed.
 * 2. **Secondary** (complementary suppression): while any suppressed count can be worked out from released numbers
 *    through the declared relations — a relation with a single unknown, or any combination of relations
 *    (Gauss–Jordan elimination over the unknowns) — the smallest released count of such a relation is suppressed too.
 * 3. **Dependants**: a rate, share, curve point or statistic whose numerator or denominator is suppressed is
 *    suppressed with it.
 * 4. **Rounding** (policies that round): released counts are rounded.
 *
 * Each decision names its rule; `summary()` lists the rules and, per table, what was suppressed or rounded and why
 * (the output-checking summary). Policies follow the SDC Handbook, OpenSAFELY and ACRO/SACRO practice.
 */

import type { DisclosureSummary, TableCheck } from '../report/types.js';

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

/** What a statistic was derived from. */
export interface CellBasis {
  readonly patients?: number;
  readonly events?: number;
  /** Other counts that must each pass the policy (e.g. a proportion's numerator and its complement). */
  readonly counts?: readonly number[];
}

/** The named disclosure policies. */
export type DisclosurePolicyName = 'ewskit' | 'opensafely' | 'midpoint6' | 'none';

/** A policy's rules. */
interface Policy {
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
}

const SECONDARY = 'secondary: would reveal a suppressed cell by subtraction';
const DEPENDS = 'derived from a suppressed count';
const INSIDE = 'part of a suppressed cell';

function policyOf(name: DisclosurePolicyName, minCount: number): Policy {
  switch (name) {
    case 'ewskit':
      return {
        name,
        minBasis: minCount,
        primary: (n) => (n > 0 && n < minCount ? `a count below ${minCount}` : null),
        round: (n) => n,
        secondary: true,
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
        rules: ['disclosure control off (policy "none"): NOT FOR RELEASE outside the trusted research environment'],
      };
  }
}

/** A placeholder for a cell decided by `resolve`. */
class PendingCell {
  constructor(readonly id: number) {}
}

interface Entry {
  /** The count, or null for a statistic. */
  readonly n: number | null;
  readonly value: unknown;
  readonly table: string;
  /** Kept out of the report (a total the relations need, not shown). */
  readonly hidden: boolean;
  /** Shown only inside the value of a statistic that depends on it (it is hidden when that value is suppressed). */
  inner: boolean;
  readonly deps: readonly number[];
  rule: string | null;
  kind: 'primary' | 'secondary' | 'dependant' | null;
}

/** Options of one cell. */
export interface CellOptions {
  /** The table the cell belongs to, for the output-checking summary (default "report"). */
  readonly table?: string;
  /** Counts the value is derived from: it is suppressed when any of them is. */
  readonly dependsOn?: readonly unknown[];
  /** A count the relations need that the report does not show (e.g. a column total). */
  readonly hidden?: boolean;
}

const tolerance = 1e-9;

/**
 * The suppressed unknowns a system of relations determines: Gauss–Jordan elimination over the unknowns (released
 * counts moved to the right-hand side); an unknown is determined when its pivot row has no other unknown.
 */
export function determinedUnknowns(rows: readonly (readonly number[])[], unknowns: number): number[] {
  const m: Float64Array[] = rows.map((r) => Float64Array.from(r));
  const pivotRowOf = new Int32Array(unknowns).fill(-1);
  let rank = 0;
  for (let col = 0; col < unknowns && rank < m.length; col++) {
    let best = -1;
    for (let r = rank; r < m.length; r++)
      if (Math.abs(m[r]?.[col] ?? 0) > tolerance && (best < 0 || Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[best]?.[col] ?? 0))) best = r;
    if (best < 0) continue;
    const swap = m[rank] as Float64Array;
    m[rank] = m[best] as Float64Array;
    m[best] = swap;
    const pivot = m[rank] as Float64Array;
    const p = pivot[col] ?? 1;
    for (let c = 0; c < unknowns; c++) pivot[c] = (pivot[c] ?? 0) / p;
    for (let r = 0; r < m.length; r++) {
      const row = m[r] as Float64Array;
      const f = row[col] ?? 0;
      if (r === rank || Math.abs(f) <= tolerance) continue;
      for (let c = 0; c < unknowns; c++) row[c] = (row[c] ?? 0) - f * (pivot[c] ?? 0);
    }
    pivotRowOf[col] = rank++;
  }
  const out: number[] = [];
  for (let col = 0; col < unknowns; col++) {
    const r = pivotRowOf[col] ?? -1;
    if (r < 0) continue;
    const row = m[r] as Float64Array;
    let others = false;
    for (let c = 0; c < unknowns; c++) if (c !== col && Math.abs(row[c] ?? 0) > tolerance) others = true;
    if (!others) out.push(col);
  }
  return out;
}

/** The ledger of one report's cells, and the policy that decides them. */
export class Disclosure {
  readonly minCount: number;
  readonly policy: DisclosurePolicyName;
  private readonly rules: Policy;
  private readonly entries: Entry[] = [];
  private readonly relations: number[][] = [];
  private resolved = false;

  /**
   * @param options `policy` (default 'ewskit'); `minCount` (ewskit's threshold, default 10; 0 means policy 'none');
   *   `caller`, the public function whose option this is, named in the error message (default 'Disclosure')
   * @throws {RangeError} for a minimum that is not a whole number ≥ 0, or an unknown policy
   * @example new Disclosure({ policy: 'opensafely' }).policy; // => 'opensafely'
   */
  constructor(options: { minCount?: number; policy?: DisclosurePolicyName; caller?: string } = {}) {
    const where = (o: string) => (options.caller === undefined ? `Disclosure: option "${o}"` : `${options.caller}: option "disclosure.${o}"`);
    const minCount = options.minCount ?? 10;
    if (!Number.isInteger(minCount) || minCount < 0) throw new RangeError(`${where('minCount')} expected a whole number ≥ 0; received ${String(minCount)}.`);
    const policy = options.policy ?? (minCount === 0 ? 'none' : 'ewskit');
    if (!['ewskit', 'opensafely', 'midpoint6', 'none'].includes(policy))
      throw new RangeError(`${where('policy')} expected 'ewskit', 'opensafely', 'midpoint6' or 'none'; received ${String(policy)}.`);
    this.policy = policy;
    this.rules = policyOf(policy, Math.max(1, minCount));
    this.minCount = policy === 'none' ? 0 : policy === 'ewskit' ? minCount : policy === 'opensafely' ? 8 : 10;
  }

  private add(entry: Omit<Entry, 'kind' | 'inner'>): never {
    if (this.resolved) throw new Error('Disclosure: this ledger was already resolved; make a new Disclosure for another report.');
    this.entries.push({ ...entry, inner: false, kind: entry.rule === null || entry.hidden ? null : 'primary' });
    return new PendingCell(this.entries.length - 1) as never;
  }

  private idOf(cell: unknown): number | null {
    return cell instanceof PendingCell ? cell.id : null;
  }

  /** A count: pending until `resolve`, released or suppressed by the policy (and the relations it is in). */
  count(n: number, options: CellOptions = {}): Released<number> {
    return this.add({
      n,
      value: n,
      table: options.table ?? 'report',
      hidden: options.hidden === true,
      deps: [],
      // A count the report does not show is unknown to a reader from the start.
      rule: options.hidden === true ? 'not published' : this.rules.primary(n),
    });
  }

  /**
   * A count shown inside a released value (the sets and events of an observed-risk row): a pending count typed as a
   * number, resolved where it sits. The value holding it must list it in `dependsOn`.
   */
  inner(n: number, options: CellOptions = {}): number {
    const cell = this.count(n, options);
    const id = this.idOf(cell);
    if (id !== null) (this.entries[id] as Entry).inner = true;
    return cell as unknown as number;
  }

  /** A statistic (or any value): released when its basis passes the policy and nothing it depends on is suppressed. */
  release<T>(value: T, basis: CellBasis, options: CellOptions = {}): Released<T> {
    return this.add({
      n: null,
      value,
      table: options.table ?? 'report',
      hidden: false,
      deps: (options.dependsOn ?? []).map((c) => this.idOf(c)).filter((id): id is number => id !== null && this.entries[id]?.hidden !== true),
      rule: this.statisticRule(basis),
    });
  }

  /** Declare that `total` is the sum of `parts` (all counts of this ledger; anything else is ignored). */
  relation(total: unknown, parts: readonly unknown[]): void {
    const t = this.idOf(total);
    const ps = parts.map((p) => this.idOf(p)).filter((id): id is number => id !== null);
    if (t === null || ps.length === 0) return;
    this.relations.push([t, ...ps]);
  }

  /** Whether a statistic with this basis is released by the policy (before anything it depends on). */
  passes(basis: CellBasis): boolean {
    return this.statisticRule(basis) === null;
  }

  private statisticRule(basis: CellBasis): string | null {
    const m = this.rules.minBasis;
    if (m === 0) return null;
    if (basis.patients !== undefined && basis.patients < m) return `fewer than ${m} patients`;
    if (basis.events !== undefined && basis.events < m) return `fewer than ${m} events`;
    if (basis.counts?.some((c) => this.rules.primary(c) !== null && c > 0)) return `a count below ${m}`;
    return null;
  }

  /** Suppress counts until no suppressed count is determined by the relations. */
  private secondary(): void {
    const suppressed = (id: number) => this.entries[id]?.rule !== null;
    // A statistic holding counts (an observed-risk row, a Table 1 cell) hides them when it is suppressed: they become
    // unknowns to protect like any suppressed count; and suppressing one of them suppresses the statistic.
    const containers = new Map<number, number[]>();
    this.entries.forEach((e, id) => {
      for (const d of e.deps) if (this.entries[d]?.inner === true) containers.set(d, [...(containers.get(d) ?? []), id]);
    });
    const hide = (statistic: number): void => {
      const s = this.entries[statistic] as Entry;
      if (s.rule === null) {
        s.rule = DEPENDS;
        s.kind = 'dependant';
      }
      for (const d of s.deps) {
        const e = this.entries[d] as Entry;
        if (!e.inner || e.rule !== null) continue;
        e.rule = INSIDE;
        e.kind = 'dependant';
        for (const c of containers.get(d) ?? []) hide(c);
      }
    };
    this.entries.forEach((e, id) => {
      if (e.n === null && e.rule !== null && e.deps.some((d) => this.entries[d]?.inner === true)) hide(id);
    });
    const suppress = (relation: readonly number[]) => {
      // The smallest released count of the relation (non-zero first): the least information lost.
      const candidates = relation.filter((id) => !suppressed(id));
      candidates.sort((a, b) => {
        const na = this.entries[a]?.n ?? 0;
        const nb = this.entries[b]?.n ?? 0;
        return (na === 0 ? 1 : 0) - (nb === 0 ? 1 : 0) || na - nb || a - b;
      });
      const pick = candidates[0];
      if (pick === undefined) return false;
      const e = this.entries[pick] as Entry;
      e.rule = SECONDARY;
      e.kind = 'secondary';
      for (const c of containers.get(pick) ?? []) hide(c);
      return true;
    };
    for (;;) {
      // Singletons first (cheap): a relation with exactly one unknown gives it away.
      let changed = true;
      while (changed) {
        changed = false;
        for (const r of this.relations) if (r.filter(suppressed).length === 1 && suppress(r)) changed = true;
      }
      // Then any combination of relations.
      const target = this.determined(suppressed);
      if (target === null) return;
      // Suppress the smallest released count whose suppression leaves the target undetermined (a count of a relation
      // that holds the target first, then of any relation that holds an unknown).
      const size = (id: number) => {
        const n = this.entries[id]?.n ?? 0;
        return n === 0 ? Number.POSITIVE_INFINITY : n;
      };
      const near = [...new Set(this.relations.filter((r) => r.includes(target)).flat())].filter((id) => !suppressed(id));
      const far = [...new Set(this.relations.filter((r) => r.some(suppressed)).flat())].filter((id) => !suppressed(id) && !near.includes(id));
      const candidates = [...near.sort((a, b) => size(a) - size(b) || a - b), ...far.sort((a, b) => size(a) - size(b) || a - b)];
      let done = false;
      for (const id of candidates) {
        const e = this.entries[id] as Entry;
        e.rule = SECONDARY;
        if (this.determined(suppressed, target) !== target) {
          e.kind = 'secondary';
          for (const c of containers.get(id) ?? []) hide(c);
          done = true;
          break;
        }
        e.rule = null;
      }
      if (!done) {
        // No single count breaks it (the target is reached along several paths): suppress the smallest count of a
        // relation next to the target's own, and look again. Each round suppresses one more count, so this ends.
        const around = new Set(this.relations.filter((r) => r.includes(target)).flat());
        const next = this.relations.filter((r) => r.some((id) => around.has(id) && suppressed(id))).flat();
        const pick = [...new Set(next)].filter((id) => !suppressed(id)).sort((a, b) => size(a) - size(b) || a - b)[0] ?? candidates[0];
        if (pick === undefined) return;
        const e = this.entries[pick] as Entry;
        e.rule = SECONDARY;
        e.kind = 'secondary';
        for (const c of containers.get(pick) ?? []) hide(c);
      }
    }
  }

  /** A suppressed count the relations determine (`only`: whether that one still is), or null. */
  private determined(suppressed: (id: number) => boolean, only?: number): number | null {
    const involved = this.relations.filter((r) => r.some(suppressed));
    const unknowns = [...new Set(involved.flat().filter(suppressed))];
    if (unknowns.length === 0) return null;
    const column = new Map(unknowns.map((id, c) => [id, c]));
    const rows = involved.map((r) => {
      const row = new Array<number>(unknowns.length).fill(0);
      r.forEach((id, k) => {
        const c = column.get(id);
        if (c !== undefined) row[c] = (row[c] ?? 0) + (k === 0 ? 1 : -1);
      });
      return row;
    });
    const found = determinedUnknowns(rows, unknowns.length).map((c) => unknowns[c] as number);
    if (only !== undefined) return found.includes(only) ? only : null;
    return found[0] ?? null;
  }

  /**
   * Decide every pending cell of `report` and return it with each placeholder replaced by its released value (a
   * count rounded as the policy says) or a suppressed cell naming its rule. Call once, when the report is complete.
   */
  resolve<T>(report: T): T {
    if (!this.resolved) {
      this.resolved = true;
      if (this.rules.secondary) this.secondary();
      for (const e of this.entries) {
        if (e.rule === null && e.deps.some((d) => this.entries[d]?.rule !== null)) {
          e.rule = DEPENDS;
          e.kind = 'dependant';
        }
      }
    }
    const walk = (v: unknown): unknown => {
      if (v instanceof PendingCell) {
        const e = this.entries[v.id] as Entry;
        if (e.rule !== null) return { suppressed: true, rule: e.rule } satisfies Suppressed;
        return e.n !== null ? this.rules.round(e.n) : walk(e.value);
      }
      if (Array.isArray(v)) return v.map(walk);
      if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype)
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(report) as T;
  }

  /** The rules applied and how many cells each suppressed; per table, what was suppressed or rounded. */
  summary(): DisclosureSummary {
    const tally = new Map<string, number>();
    const tables = new Map<string, { cells: number; suppressedPrimary: number; suppressedSecondary: number; suppressedDependants: number; rounded: number }>();
    for (const e of this.entries) {
      // Counts inside a statistic's value are counted with it.
      if (e.hidden || e.inner) continue;
      const t = tables.get(e.table) ?? { cells: 0, suppressedPrimary: 0, suppressedSecondary: 0, suppressedDependants: 0, rounded: 0 };
      t.cells++;
      if (e.rule !== null) {
        tally.set(e.rule, (tally.get(e.rule) ?? 0) + 1);
        if (e.kind === 'primary') t.suppressedPrimary++;
        else if (e.kind === 'secondary') t.suppressedSecondary++;
        else t.suppressedDependants++;
      } else if (e.n !== null && this.rules.round(e.n) !== e.n) t.rounded++;
      tables.set(e.table, t);
    }
    return {
      policy: this.policy,
      minCount: this.minCount,
      rules: this.rules.rules,
      suppressedCells: Object.fromEntries(tally),
      relations: this.relations.length,
      tables: [...tables].map(([table, t]): TableCheck => ({ table, ...t })),
      releasable: this.policy !== 'none',
    };
  }
}
