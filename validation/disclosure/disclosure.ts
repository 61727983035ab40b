/**
 * Statistical disclosure control for reports leaving a trusted research environment, applied once, to the whole
 * report, after everything is computed. While the report is built, every count and every statistic is a *pending
 * cell*: `count(n)` and `release(value, basis)` record it in a ledger and return a placeholder, and the code that
 * makes a table declares the linear relations its counts obey (`relation(total, parts)`: rows, columns, totals, the
 * same number in two tables). `resolve(report)` then decides every cell in one place:
 *
 * 1. **Primary**: a count the policy does not release (e.g. 1–9 under `ewskit`), or a statistic derived from too few
 *    patients or events, is suppressed.
 * 2. **Secondary** (complementary suppression), by protection.ts with the audit (lp-audit.ts): every suppressed count's
 *    feasible interval under every released count, declared relation and bound; while one is narrower than the policy's protection width,
 *    the cell-suppression programme picks the released counts whose suppression widens it at least cost (`perturbation`).
 *    Without the solver loaded, Gauss–Jordan elimination over the relations stands in (no suppressed count worked out
 *    exactly), and the report is not marked releasable.
 * 3. **Dependants**: a rate, share, curve point or statistic whose numerator or denominator is suppressed is
 *    suppressed with it.
 * 4. **Rounding** (policies that round): released counts are rounded.
 *
 * Each decision names its rule; `summary()` lists the rules and, per table, what was suppressed or rounded and why
 * (the output-checking summary). The policies themselves are policy.ts; this file is the ledger.
 */

import type { DisclosureSummary, TableCheck, TableLink } from './audit-types.js';
import { describeValue, oneOf } from '../../scores/definition/errors.js';
import type { LpSolver } from './lp-audit.js';
import { disclosureAuditSolver } from './lp-audit.js';
import type { DisclosurePolicyName, Policy } from './policy.js';
import { DEPENDS, DISCLOSURE_POLICIES, policyOf } from './policy.js';
import type { Entry } from './protection.js';
import { Protection } from './protection.js';

export type { DisclosurePolicyName } from './policy.js';
export { DISCLOSURE_POLICIES } from './policy.js';

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

/**
 * A table of the report as disclosure control knows it, declared where the table is made: every count and statistic
 * belongs to one, and the relations between its counts are its margins.
 */
export interface TableDeclaration {
  /** Its name in the output-checking summary. */
  readonly name: string;
  /** What its cells are counted by (e.g. step × outcome × group). */
  readonly dimensions: readonly string[];
  /** Its margins and hierarchy, in words: which of its counts are sums of which. */
  readonly margins: string;
}

/** A placeholder for a cell decided by `resolve`. */
class PendingCell {
  constructor(readonly id: number) {}
}

/** Options of one cell. */
export interface CellOptions {
  /** The declared table the cell belongs to ({@link Disclosure.declareTable}); a shown cell must name one. */
  readonly table?: string;
  /** Counts the value is derived from: it is suppressed when any of them is. */
  readonly dependsOn?: readonly unknown[];
  /** A count the relations need that the report does not show (e.g. a column total). */
  readonly hidden?: boolean;
}

/** The ledger of one report's cells, and the policy that decides them. */
export class Disclosure {
  readonly minCount: number;
  readonly policy: DisclosurePolicyName;
  private readonly rules: Policy;
  private readonly entries: Entry[] = [];
  private readonly relations: number[][] = [];
  /** Relations `total ≤ Σ parts` (a total whose members may count in several parts). */
  private readonly atMost: number[][] = [];
  /** Relations `total ≥ Σ parts` (parts that are some of the total's members, each counted once). */
  private readonly atLeast: number[][] = [];
  private readonly solver: LpSolver | null;
  private readonly tables = new Map<string, TableDeclaration>();
  /** Declared pairs of tables (names joined by a tab, in order), and what ties them. */
  private readonly links = new Map<string, string>();
  /** Per entry, where it sits in the report (a JSON path), found at `resolve`. */
  private readonly paths = new Map<number, string>();
  /** Per count shown inside statistics, the statistics that hold it (made once, at `resolve`). */
  private readonly containers = new Map<number, number[]>();
  /** Per count, how many statistics are derived from it (made once, at `resolve`). */
  private readonly derived = new Map<number, number>();
  /** Secondary suppression and the audit, over this ledger. */
  private readonly protection: Protection;
  private resolved = false;

  /**
   * @param options `policy` (default 'ewskit'); `minCount` (ewskit's threshold, default 10; 0 means policy 'none');
   *   `caller`, the public function whose option this is, named in the error message (default 'Disclosure')
   * @throws {RangeError} for a minimum that is not a whole number ≥ 0, or an unknown policy
   * @example new Disclosure({ policy: 'opensafely' }).policy; // => 'opensafely'
   */
  constructor(options: { minCount?: number; policy?: DisclosurePolicyName; caller?: string; solver?: LpSolver | null } = {}) {
    const where = (o: string) => (options.caller === undefined ? `Disclosure: option "${o}"` : `${options.caller}: option "disclosure.${o}"`);
    const minCount = options.minCount ?? 10;
    if (!Number.isInteger(minCount) || minCount < 0) throw new RangeError(`${where('minCount')} expected a whole number ≥ 0; received ${String(minCount)}.`);
    const policy = options.policy ?? (minCount === 0 ? 'none' : 'ewskit');
    if (!(DISCLOSURE_POLICIES as readonly unknown[]).includes(policy))
      throw new RangeError(`${where('policy')} expected ${oneOf(DISCLOSURE_POLICIES)}; received ${describeValue(policy)}.`);
    this.policy = policy;
    this.rules = policyOf(policy, Math.max(1, minCount));
    this.minCount = policy === 'none' ? 0 : policy === 'ewskit' ? minCount : policy === 'opensafely' ? 8 : 10;
    this.solver = options.solver === undefined ? disclosureAuditSolver() : options.solver;
    const { rules, entries, relations, atMost, atLeast, containers, derived, paths } = this;
    this.protection = new Protection({ rules, entries, relations, atMost, atLeast, containers, derived, paths });
  }

  /**
   * Declare a table of the report (where it is made). Declaring the same table again with the same dimensions is a
   * no-op.
   * @throws {Error} when a table of that name was declared with other dimensions
   */
  declareTable(table: TableDeclaration): void {
    const known = this.tables.get(table.name);
    if (known !== undefined && known.dimensions.join('\t') !== table.dimensions.join('\t'))
      throw new Error(
        `Disclosure.declareTable: table "${table.name}" was declared with dimensions ${known.dimensions.join(' × ')}; received ${table.dimensions.join(' × ')}.`,
      );
    this.tables.set(table.name, table);
  }

  /**
   * Declare, once per pair, that counts of tables `a` and `b` are related, and how (the same count in both, a total
   * of one is a margin of the other, …). A relation between counts of two tables that were never linked is refused at
   * `resolve`.
   */
  link(a: string, b: string, meaning: string): void {
    const key = [a, b].sort().join('\t');
    const known = this.links.get(key);
    this.links.set(key, known === undefined || known === meaning ? meaning : `${known}; ${meaning}`);
  }

  /**
   * Every declared relation holds for the true counts (a relation that does not is a defect of the code that declared
   * it, and would make the audit's model of a reader wrong).
   * @throws {Error} naming the first relation that does not hold, by its counts' places in the report
   */
  private checkRelations(): void {
    const n = (id: number): number => this.entries[id]?.n ?? Number.NaN;
    const where = (id: number): string => this.paths.get(id) ?? `${this.entries[id]?.table ?? 'a count not shown'} #${id}`;
    const check = (list: readonly (readonly number[])[], sense: string, holds: (total: number, sum: number) => boolean): void => {
      for (const [total, ...parts] of list) {
        const sum = parts.reduce((a, id) => a + n(id), 0);
        if (total !== undefined && !holds(n(total), sum))
          throw new Error(
            `Disclosure.resolve: a declared relation does not hold: ${where(total)} (${n(total)}) ${sense} the sum of ${parts.map(where).join(', ')} (${sum}).`,
          );
      }
    };
    check(this.relations, 'is', (t, sum) => t === sum);
    check(this.atMost, 'is at most', (t, sum) => t <= sum);
    check(this.atLeast, 'is at least', (t, sum) => t >= sum);
  }

  /** Every shown cell in a declared table, every relation across tables between linked tables: the problems, if not. */
  private structureProblems(): string[] {
    const problems = new Set<string>();
    for (const e of this.entries) {
      if (e.hidden) continue;
      if (e.table === null) problems.add(`a ${e.n === null ? 'statistic' : 'count'} belongs to no table`);
      else if (!this.tables.has(e.table)) problems.add(`table "${e.table}" was never declared`);
    }
    for (const r of [...this.relations, ...this.atMost, ...this.atLeast]) {
      const names = [...new Set(r.map((id) => this.entries[id]?.table).filter((t): t is string => t !== null && t !== undefined))].sort();
      for (let i = 0; i < names.length; i++)
        for (let j = i + 1; j < names.length; j++)
          if (!this.links.has(`${names[i]}\t${names[j]}`)) problems.add(`a relation joins tables "${names[i]}" and "${names[j]}", which were never linked`);
    }
    return [...problems];
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
      table: options.table ?? null,
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
      table: options.table ?? null,
      hidden: false,
      deps: (options.dependsOn ?? []).map((c) => this.idOf(c)).filter((id): id is number => id !== null && this.entries[id]?.hidden !== true),
      rule: this.statisticRule(basis),
    });
  }

  /**
   * Declare that `total` is the sum of `parts` and of a count not shown (units of no group): that count, hidden, with
   * its true value `total − Σ parts`, is returned. It is protected like a suppressed count when it is small.
   */
  remainder(total: unknown, parts: readonly unknown[]): unknown {
    const n = (c: unknown): number => {
      const id = this.idOf(c);
      return id === null ? (typeof c === 'number' ? c : 0) : (this.entries[id]?.n ?? 0);
    };
    const rest = this.count(n(total) - parts.reduce<number>((acc, p) => acc + n(p), 0), { hidden: true });
    this.relation(total, [...parts, rest]);
    return rest;
  }

  /** Declare that `total` is the sum of `parts` (all counts of this ledger; anything else is ignored). */
  relation(total: unknown, parts: readonly unknown[]): void {
    const t = this.idOf(total);
    const ps = parts.map((p) => this.idOf(p)).filter((id): id is number => id !== null);
    if (t === null || ps.length === 0) return;
    this.relations.push([t, ...ps]);
  }

  /**
   * Declare that `total` is at most the sum of `parts`: the members of the total each count in one part or more (the
   * patients of groups that a patient can belong to several of). Used by the audit; the elimination ignores it.
   */
  atMostSum(total: unknown, parts: readonly unknown[]): void {
    const t = this.idOf(total);
    const ps = parts.map((p) => this.idOf(p)).filter((id): id is number => id !== null);
    if (t === null || ps.length === 0) return;
    this.atMost.push([t, ...ps]);
  }

  /**
   * Declare that `total` is at least the sum of `parts`: the parts are disjoint sets of some of the total's members.
   * Used by the audit; the elimination ignores it.
   */
  atLeastSum(total: unknown, parts: readonly unknown[]): void {
    const t = this.idOf(total);
    const ps = parts.map((p) => this.idOf(p)).filter((id): id is number => id !== null);
    if (t === null || ps.length === 0) return;
    this.atLeast.push([t, ...ps]);
  }

  /**
   * Declare the relation the true counts obey between `total` and `parts`: their sum when it equals the total (a
   * reader may assume it), else "at most" (see {@link atMostSum}). For totals whose members can fall in several
   * parts, or in none that is shown.
   */
  relationOf(total: unknown, parts: readonly unknown[]): void {
    const value = (c: unknown): number | null => {
      const id = this.idOf(c);
      return id === null ? null : (this.entries[id]?.n ?? null);
    };
    const t = value(total);
    const sum = parts.reduce<number>((acc, p) => acc + (value(p) ?? Number.NaN), 0);
    if (t !== null && t === sum) this.relation(total, parts);
    else if (t !== null && t < sum) this.atMostSum(total, parts);
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

  /**
   * Decide every pending cell of `report` and return it with each placeholder replaced by its released value (a
   * count rounded as the policy says) or a suppressed cell naming its rule. Call once, when the report is complete.
   */
  resolve<T>(report: T): T {
    if (!this.resolved) {
      this.resolved = true;
      const problems = this.structureProblems();
      if (problems.length > 0) throw new Error(`Disclosure.resolve: the report's structure is not declared: ${problems.join('; ')}.`);
      this.locate(report, '');
      this.checkRelations();
      this.entries.forEach((e, id) => {
        for (const d of e.deps) {
          if (this.entries[d]?.inner === true) this.containers.set(d, [...(this.containers.get(d) ?? []), id]);
          this.derived.set(d, (this.derived.get(d) ?? 0) + 1);
        }
      });
      // With the solver, the audit chooses every secondary suppression (the cell-suppression programme, checked by
      // the feasible intervals); without it, the elimination alone makes sure no suppressed count is worked out
      // exactly by sums — and the report is not marked releasable.
      if (this.rules.secondary) {
        // A statistic suppressed for its basis hides the counts shown inside it.
        this.entries.forEach((e, id) => {
          if (e.n === null && e.rule !== null && e.deps.some((d) => this.entries[d]?.inner === true)) this.protection.hide(id);
        });
        if (this.solver === null) this.protection.secondary();
      }
      if (this.solver !== null && this.policy !== 'none') {
        const started = performance.now();
        let added = 0;
        added += this.protection.auditByLp(this.solver);
        if (this.protection.audit !== null)
          this.protection.audit = { ...this.protection.audit, addedSuppressions: added, seconds: Math.round((performance.now() - started) / 10) / 100 };
      }
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

  /** Record where each cell first sits in `v` (a JSON path from the report's root). */
  private locate(v: unknown, path: string): void {
    if (v instanceof PendingCell) {
      if (this.paths.has(v.id)) return;
      this.paths.set(v.id, path);
      this.locate(this.entries[v.id]?.value, path);
    } else if (Array.isArray(v)) v.forEach((x, i) => this.locate(x, `${path}[${i}]`));
    else if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype)
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) this.locate(x, path === '' ? k : `${path}.${k}`);
  }

  /** The rules applied and how many cells each suppressed; per table, what was suppressed or rounded. */
  summary(): DisclosureSummary {
    const tally = new Map<string, number>();
    const tables = new Map<string, { cells: number; suppressedPrimary: number; suppressedSecondary: number; suppressedDependants: number; rounded: number }>();
    for (const e of this.entries) {
      // Counts inside a statistic's value are counted with it.
      if (e.hidden || e.inner || e.table === null) continue;
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
      relations: this.relations.length + this.atMost.length + this.atLeast.length,
      tables: [...tables].map(([table, t]): TableCheck => ({
        table,
        dimensions: this.tables.get(table)?.dimensions ?? [],
        margins: this.tables.get(table)?.margins ?? '',
        ...t,
      })),
      links: [...this.links].map(([key, meaning]): TableLink => ({ tables: key.split('\t') as [string, string], meaning })),
      audit: this.protection.audit,
      // Releasable only under a policy that protects, once the audit has found every count it checks protected (under
      // a policy that only rounds, no small count narrowed below the width by the rounded totals).
      releasable: this.policy !== 'none' && this.protection.audit !== null && this.protection.audit.unprotected === 0,
    };
  }
}
