/**
 * Statistical disclosure control for reports leaving a trusted research environment, applied once, to the whole
 * report, after everything is computed. While the report is built, every count and every statistic is a *pending
 * cell*: `count(n)` and `release(value, basis)` record it in a ledger and return a placeholder, and the code that
 * makes a table declares the linear relations its counts obey (`relation(total, parts)`: rows, columns, totals, the
 * same number in two tables). `resolve(report)` then decides every cell in one place:
 *
 * 1. **Primary**: a count the policy does not release (e.g. 1–9 under `ewskit`), or a statistic derived from too few
 *    patients or events, is suppressed.
 * 2. **Secondary** (complementary suppression), by the audit (lp-audit.ts): every suppressed count's feasible interval
 *    under every released count, declared relation and bound; while one is narrower than the policy's protection width,
 *    the cell-suppression programme picks the released counts whose suppression widens it at least cost (`perturbation`).
 *    Without the solver loaded, Gauss–Jordan elimination over the relations stands in (no suppressed count worked out
 *    exactly), and the report is not marked releasable.
 * 3. **Dependants**: a rate, share, curve point or statistic whose numerator or denominator is suppressed is
 *    suppressed with it.
 * 4. **Rounding** (policies that round): released counts are rounded.
 *
 * Each decision names its rule; `summary()` lists the rules and, per table, what was suppressed or rounded and why
 * (the output-checking summary). Policies follow the SDC Handbook, OpenSAFELY and ACRO/SACRO practice.
 */

import type { AuditedCell, DisclosureAudit, DisclosureSummary, TableCheck, TableLink } from './audit-types.js';
import { describeValue, oneOf } from '../../scores/definition/errors.js';
import type { AuditBounds, AuditRelation, FeasibleInterval, LpSolver } from './lp-audit.js';
import { Audit, disclosureAuditSolver } from './lp-audit.js';
import type { DisclosurePolicyName, Policy } from './policy.js';
import { DEPENDS, DISCLOSURE_POLICIES, INSIDE, policyOf, SECONDARY } from './policy.js';

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

interface Entry {
  /** The count, or null for a statistic. */
  readonly n: number | null;
  readonly value: unknown;
  /** Its declared table; null for a hidden count the relations need. */
  readonly table: string | null;
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
  /** The declared table the cell belongs to ({@link Disclosure.declareTable}); a shown cell must name one. */
  readonly table?: string;
  /** Counts the value is derived from: it is suppressed when any of them is. */
  readonly dependsOn?: readonly unknown[];
  /** A count the relations need that the report does not show (e.g. a column total). */
  readonly hidden?: boolean;
}

const tolerance = 1e-9;

/** Most counts the audit tries, one by one, to protect one count. */
const MAX_TRIALS = 12;

/** How far (relations away) the audit looks for counts to suppress. */
const MAX_LEVELS = 6;

/** How far (relations away) the cell-suppression programme lets released counts change. */
const PERTURBATION_LEVELS = 3;

/** How much more the cell-suppression programme pays to move a released zero than a count of 1. */
const ZERO_PRICE = 1000;

/** Most rounds of suppression for one count; one still narrower is reported unprotected (and the report is not releasable). */
const MAX_ROUNDS = 8;

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
  private audit: DisclosureAudit | null = null;
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

  /** Per count shown inside statistics, the statistics that hold it (made once, at `resolve`). */
  private containers = new Map<number, number[]>();

  /**
   * A statistic holding counts (an observed-risk row, a Table 1 cell) hides them when it is suppressed: they become
   * unknowns to protect like any suppressed count; and suppressing one of them suppresses the statistic.
   */
  private hide(statistic: number): void {
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
      for (const c of this.containers.get(d) ?? []) this.hide(c);
    }
  }

  /** Per count, how many statistics are derived from it (made once, at `resolve`). */
  private readonly derived = new Map<number, number>();

  /**
   * What suppressing count `id` withholds, to choose the counts that protect at least cost: the cells it takes with it
   * (itself and each statistic derived from it — a column's total takes every share in the column), each weighed by
   * the count's order of magnitude (1 + log10(1 + n): a zero weighs 1, a count of 9 weighs 2, of 99 3). Measured on
   * seeded reports (bench/disclosure.bench.ts), this withheld fewer numbers than pricing by the count itself (τ-ARGUS's
   * default) or by cells alone.
   */
  private cost(id: number): number {
    const n = this.entries[id]?.n ?? 0;
    return (1 + Math.log10(1 + n)) * (1 + (this.derived.get(id) ?? 0));
  }

  /** Least cost first (see `cost`), then the order counts were made. */
  private readonly byCost = (a: number, b: number): number => {
    const ca = this.cost(a);
    const cb = this.cost(b);
    return ca === cb ? a - b : ca < cb ? -1 : 1;
  };

  /** Suppress count `id` secondarily, with every statistic that shows it. */
  private suppressSecondary(id: number): void {
    const e = this.entries[id] as Entry;
    e.rule = SECONDARY;
    e.kind = 'secondary';
    for (const c of this.containers.get(id) ?? []) this.hide(c);
  }

  /**
   * Whether count `id` must not be worked out: a suppressed count, or a count not shown (a total the relations need)
   * that is itself small. A count not shown that is not small is only an unknown: working it out discloses nothing.
   */
  private sensitive(id: number): boolean {
    const e = this.entries[id];
    if (e === undefined || e.rule === null) return false;
    return !e.hidden || (e.n !== null && this.rules.primary(e.n) !== null);
  }

  /** Suppress counts until no suppressed count is determined by the relations. */
  private secondary(): void {
    const suppressed = (id: number) => this.entries[id]?.rule !== null;
    const containers = this.containers;
    const hide = (statistic: number): void => this.hide(statistic);
    const suppress = (relation: readonly number[]) => {
      // The released count of the relation that withholds least (see `cost`).
      const candidates = relation.filter((id) => !suppressed(id));
      candidates.sort(this.byCost);
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
        for (const r of this.relations) {
          const unknown = r.filter(suppressed);
          if (unknown.length === 1 && this.sensitive(unknown[0] as number) && suppress(r)) changed = true;
        }
      }
      // Then any combination of relations.
      const target = this.determined(suppressed);
      if (target === null) return;
      // Suppress the smallest released count whose suppression leaves the target undetermined (a count of a relation
      // that holds the target first, then of any relation that holds an unknown).
      const near = [...new Set(this.relations.filter((r) => r.includes(target)).flat())].filter((id) => !suppressed(id));
      const far = [...new Set(this.relations.filter((r) => r.some(suppressed)).flat())].filter((id) => !suppressed(id) && !near.includes(id));
      const candidates = [...near.sort(this.byCost), ...far.sort(this.byCost)];
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
        const pick = [...new Set(next)].filter((id) => !suppressed(id)).sort(this.byCost)[0] ?? candidates[0];
        if (pick === undefined) return;
        const e = this.entries[pick] as Entry;
        e.rule = SECONDARY;
        e.kind = 'secondary';
        for (const c of containers.get(pick) ?? []) hide(c);
      }
    }
  }

  /** What a reader knows of count `id` now: its released band, the policy's a-priori interval, or only ≥ 0. */
  private boundsOf(id: number): AuditBounds {
    const e = this.entries[id] as Entry;
    if (e.n === null) return { lower: 0, upper: Number.POSITIVE_INFINITY };
    if (e.rule === null) return this.rules.released(e.n);
    if (e.kind === 'primary' && !e.hidden) return this.rules.primaryBounds;
    return { lower: 0, upper: Number.POSITIVE_INFINITY };
  }

  /**
   * The audit (see lp-audit.ts): every suppressed count's feasible interval under the relations and the bounds (a
   * policy that only rounds: every count below 10). Under a policy that suppresses, while a count's interval is
   * narrower than the protection width, the counts the cell-suppression programme picks are suppressed too (else, when
   * it finds none, the cheapest count nearby that widens it) and its interval is worked out again. Suppressing a count
   * only widens intervals, so a count once protected stays protected; each round suppresses more, so this ends. Then
   * every count suppressed to protect another is checked: worked out exactly, it protected nothing and is released
   * again; narrower than the width, it is protected in turn.
   */
  private auditByLp(solver: LpSolver): number {
    const started = performance.now();
    const relations: AuditRelation[] = [
      ...this.relations.map((r): AuditRelation => ({ terms: r.map((id, k) => [id, k === 0 ? 1 : -1] as const), sense: '=' })),
      ...this.atMost.map((r): AuditRelation => ({ terms: r.map((id, k) => [id, k === 0 ? 1 : -1] as const), sense: '<=' })),
      ...this.atLeast.map((r): AuditRelation => ({ terms: r.map((id, k) => [id, k === 0 ? -1 : 1] as const), sense: '<=' })),
    ];
    const all = [...this.relations, ...this.atMost, ...this.atLeast];
    const bounds = (id: number): AuditBounds => this.boundsOf(id);
    const isTarget = (e: Entry, id: number): boolean =>
      e.n !== null &&
      (this.rules.audits === 'primary'
        ? (!e.hidden && e.kind === 'primary') || (e.hidden && this.rules.secondary && this.sensitive(id))
        : !e.hidden && e.rule === null && e.n > 0 && e.n < 10);
    // Every count the audit protects needs the policy's protection width: a count suppressed for its size from the
    // start; a count suppressed to protect one is checked once the small ones are protected (below).
    const needs = (): number => this.rules.protectionWidth;
    const targets: number[] = [];
    const isQueued = new Set<number>();
    const enqueueNew = (): void => {
      this.entries.forEach((e, id) => {
        if (!isQueued.has(id) && isTarget(e, id)) {
          isQueued.add(id);
          targets.push(id);
        }
      });
    };
    enqueueNew();
    const width = this.rules.protectionWidth;
    const audit = new Audit(solver, relations, bounds);
    const rowsOf = new Map<number, number[]>();
    relations.forEach((r, i) => {
      for (const [id] of r.terms) {
        const list = rowsOf.get(id) ?? [];
        if (list[list.length - 1] !== i) list.push(i);
        rowsOf.set(id, list);
      }
    });
    const wasSuppressed = this.entries.map((e) => e.rule !== null);
    const intervals = new Map<number, { min: number; max: number }>();
    let added = 0;
    /** Counts released again: suppressed to protect another, yet worked out exactly, so protecting nothing. */
    let releasedAgain = 0;
    const settled = new Set<number>();
    try {
      if (this.rules.secondary) {
        const rounds = new Map<number, number>();
        const protectedNow = new Set<number>();
        for (;;) {
          // Every count to protect not yet known wide enough, checked at once (intervals only widen as counts are
          // suppressed: one wide enough stays so); each one narrower is given the counts that protect it, and all
          // are checked again, until none is narrower or none can be protected more.
          const open = targets.filter((t) => !protectedNow.has(t) && (rounds.get(t) ?? 0) < MAX_ROUNDS);
          const now = audit.intervals(open);
          const narrow = open.filter((t) => {
            if (this.widthOf(now.get(t)) >= needs()) protectedNow.add(t);
            return !protectedNow.has(t);
          });
          for (const target of narrow) {
            rounds.set(target, (rounds.get(target) ?? 0) + 1);
            let picks = this.perturbation(target, needs(), relations, rowsOf, solver, PERTURBATION_LEVELS);
            if (picks === null) picks = this.protectingCounts(target, needs(), audit.interval(target), all, audit);
            // Nothing left to suppress around it: its interval is as wide as the relations allow.
            if (picks === null || picks.length === 0) {
              if (picks === null) rounds.set(target, MAX_ROUNDS);
              continue;
            }
            for (const pick of picks) this.suppressSecondary(pick);
            added += picks.length;
            enqueueNew();
            // The newly suppressed counts (the pick, and counts inside statistics it hides) are free now.
            this.entries.forEach((e, id) => {
              if (e.rule !== null && !wasSuppressed[id]) {
                wasSuppressed[id] = true;
                audit.update(id);
              }
            });
          }
          if (narrow.length > 0) continue;
          // Every count suppressed to protect another: worked out exactly, its suppression protects nothing (the
          // relations and bounds already fix it), so it is released again — and every protected count is checked
          // again; narrower than the width but not exact, it is protected in turn.
          const unsettled = this.entries.flatMap((e, id) =>
            e.kind === 'secondary' && e.n !== null && !e.hidden && !isQueued.has(id) && !settled.has(id) ? [id] : [],
          );
          for (const id of unsettled) settled.add(id);
          const widths = audit.intervals(unsettled);
          const again: number[] = [];
          let more = false;
          for (const id of unsettled) {
            const w = this.widthOf(widths.get(id));
            if (w === 0 && (this.containers.get(id) ?? []).length === 0) again.push(id);
            else if (w < needs()) {
              isQueued.add(id);
              targets.push(id);
              more = true;
            }
          }
          for (const id of again) this.unsuppress(id, audit, true);
          if (again.length > 0 && [...audit.intervals(targets).values()].some((i) => this.widthOf(i) < needs()))
            for (const id of again) this.unsuppress(id, audit, false);
          else releasedAgain += again.length;
          if (!more) break;
        }
      }
      // Every interval as it stands at the end (earlier ones can only have widened), and every other count not
      // released exactly (suppressed to protect another, or inside a suppressed statistic), listed with its own.
      const others = this.entries.flatMap((e, id) => (!isQueued.has(id) && e.n !== null && !e.hidden && e.rule !== null ? [id] : []));
      for (const [id, i] of audit.intervals([...targets, ...others])) intervals.set(id, i);
    } finally {
      audit.dispose();
    }
    const listed = [...targets, ...[...intervals.keys()].filter((id) => !isQueued.has(id)).sort((a, b) => a - b)];
    const cells: AuditedCell[] = listed.map((t) => {
      const e = this.entries[t] as Entry;
      const i = intervals.get(t) ?? { min: 0, max: Number.POSITIVE_INFINITY };
      return {
        table: e.table ?? '(not shown)',
        path: this.paths.get(t) ?? null,
        suppressed: e.hidden ? 'not shown' : e.rule === null ? 'rounded' : (e.kind ?? 'dependant'),
        min: i.min,
        max: Number.isFinite(i.max) ? i.max : null,
        required: isQueued.has(t) ? needs() : 0,
      };
    });
    const shortfall = targets.filter((t) => this.widthOf(intervals.get(t)) < needs()).length;
    const widths = targets.filter((t) => this.entries[t]?.kind === 'primary' || this.rules.audits === 'small').map((t) => this.widthOf(intervals.get(t)));
    this.audit = {
      method: `linear programming (${solver.name}): the smallest and largest value of each ${this.rules.audits === 'primary' ? 'suppressed count' : 'count below 10'} consistent with every released count, every declared relation between counts and the policy's bounds (LP relaxation, bounds rounded inward to whole numbers)`,
      protectionWidth: width,
      audited: targets.length,
      unprotected: shortfall,
      narrowest: widths.length === 0 ? null : Math.min(...widths),
      addedSuppressions: added,
      releasedAgain,
      relations: relations.length,
      seconds: Math.round((performance.now() - started) / 10) / 100,
      cells,
    };
    return added;
  }

  /** Release secondary count `id` again (`on`), or suppress it again (`on` false: undo). */
  private unsuppress(id: number, audit: Audit, on: boolean): void {
    const e = this.entries[id] as Entry;
    e.rule = on ? null : SECONDARY;
    e.kind = on ? null : 'secondary';
    audit.update(id);
  }

  private widthOf(i: { min: number; max: number } | undefined): number {
    return i === undefined ? Number.POSITIVE_INFINITY : i.max - i.min;
  }

  /**
   * The counts to suppress for `target`, chosen as output-checking tools choose them (the cell-suppression linear
   * programme of Fischetti & Salazar, Math. Prog. 2001, as in τ-ARGUS): the cheapest second table — every relation and
   * bound holding — whose target lies `need` away from its true value; a released count may differ from its own at a
   * price per unit (its `cost`), and those that must differ are the counts to suppress. Suppressing them, both tables
   * are consistent with everything released, so the target's interval is at least `need` wide. Over the counts up to
   * `levels` relations away (every relation that holds one of them included; counts beyond held at their values).
   * None when such a table exists already (the target is protected); null when none exists there.
   */
  private perturbation(
    target: number,
    need: number,
    relations: readonly AuditRelation[],
    rowsOf: ReadonlyMap<number, readonly number[]>,
    solver: LpSolver,
    levels: number,
  ): number[] | null {
    const t = this.entries[target] as Entry;
    const v = t.n ?? 0;
    const ids = [target];
    const at = new Map<number, number>([[target, 0]]);
    let frontier = [target];
    for (let l = 0; l < levels && frontier.length > 0; l++) {
      const next: number[] = [];
      for (const id of frontier)
        for (const r of rowsOf.get(id) ?? [])
          for (const [j] of (relations[r] as AuditRelation).terms)
            if (!at.has(j)) {
              at.set(j, ids.length);
              ids.push(j);
              next.push(j);
            }
      frontier = next;
    }
    const rowIds = new Set<number>();
    for (const id of ids) for (const r of rowsOf.get(id) ?? []) rowIds.add(r);
    const isReleased = (id: number): boolean => {
      const e = this.entries[id] as Entry;
      return e.rule === null && e.n !== null && !e.hidden;
    };
    // Columns: a value per count, then per released count its excess and shortfall against its released band.
    const released = ids.filter(isReleased);
    const cols = ids.length + 2 * released.length;
    const lower = new Float64Array(cols);
    const upper = new Float64Array(cols).fill(Number.POSITIVE_INFINITY);
    const cost = new Float64Array(cols);
    ids.forEach((id, c) => {
      if (isReleased(id)) return;
      const b = this.boundsOf(id);
      lower[c] = b.lower;
      upper[c] = b.upper;
    });
    const rows: AuditRelation[] = [...rowIds].map((r) => {
      const row = relations[r] as AuditRelation;
      let rhs = row.rhs ?? 0;
      const terms: (readonly [number, number])[] = [];
      for (const [id, coefficient] of row.terms) {
        const c = at.get(id);
        if (c === undefined) rhs -= coefficient * (this.entries[id]?.n ?? 0);
        else terms.push([c, coefficient]);
      }
      return { terms, sense: row.sense, rhs };
    });
    released.forEach((id, k) => {
      const x = at.get(id) as number;
      const over = ids.length + 2 * k;
      // A released zero moves only when nothing else will: the policy releases zeros, and a reader reads every
      // suppressed count as 1 or more.
      const price = this.entries[id]?.n === 0 ? ZERO_PRICE * this.cost(id) : this.cost(id);
      cost[over] = price;
      cost[over + 1] = price;
      const band = this.boundsOf(id);
      const terms = [[x, 1] as const, [over, -1] as const, [over + 1, 1] as const];
      if (band.lower === band.upper) rows.push({ terms, sense: '=', rhs: band.lower });
      else {
        rows.push({ terms, sense: '<=', rhs: band.upper });
        rows.push({ terms: terms.map(([c, a]) => [c, -a] as const), sense: '<=', rhs: -band.lower });
      }
    });
    const own = this.boundsOf(target);
    // Up or down, whichever is cheaper.
    let best: { picks: number[]; price: number } | null = null;
    for (const [lo, hi] of [
      [v + need, own.upper],
      [own.lower, v - need],
    ] as const) {
      if (lo > hi) continue;
      const l = Float64Array.from(lower);
      const u = Float64Array.from(upper);
      l[0] = lo;
      u[0] = hi;
      const x = solver.minimise(rows, l, u, cost);
      if (x === null) continue;
      let price = 0;
      const picks: number[] = [];
      released.forEach((id, k) => {
        const moved = (x[ids.length + 2 * k] ?? 0) + (x[ids.length + 2 * k + 1] ?? 0);
        if (moved <= 1e-7) return;
        picks.push(id);
        price += moved * (cost[ids.length + 2 * k] ?? 0);
      });
      if (best === null || price < best.price) best = { picks, price };
    }
    return best?.picks ?? null;
  }

  /**
   * The fallback where the cell-suppression programme finds no table: among the released counts of the relations
   * nearest to `target` (breadth-first through the relations, up to six levels from the first that holds any), cheapest
   * first (`cost`), the first whose suppression alone gives the target the width it needs — each tried on the model —
   * else the cheapest that widens it at all, else the cheapest count of every relation that holds it. None when no
   * relation around it holds a released count.
   */
  private protectingCounts(target: number, need: number, now: FeasibleInterval, relations: readonly (readonly number[])[], audit: Audit): number[] {
    const current = this.widthOf(now);
    const byInformation = this.byCost;
    const seen = new Set<number>([target]);
    let frontier = [target];
    const candidates: number[] = [];
    let levels = 0;
    while (frontier.length > 0 && levels < MAX_LEVELS) {
      const touching = relations.filter((r) => r.some((id) => frontier.includes(id)));
      const ids = [...new Set(touching.flat())].filter((id) => !seen.has(id));
      for (const id of ids) seen.add(id);
      const released = ids.filter((id) => this.entries[id]?.rule === null && this.entries[id]?.n !== null && !this.entries[id]?.hidden);
      if (released.length > 0 || candidates.length > 0) levels++;
      candidates.push(...released.sort(byInformation));
      frontier = ids;
    }
    if (candidates.length === 0) return [];
    let best = candidates[0] as number;
    let bestWidth = -1;
    for (const id of candidates.slice(0, MAX_TRIALS)) {
      const released = this.boundsOf(id);
      audit.assume(id, 0, Number.POSITIVE_INFINITY);
      const w = this.widthOf(audit.interval(target, now));
      audit.assume(id, released.lower, released.upper);
      if (w >= need) return [id];
      // The cheapest count that widens it at all (candidates come cheapest first).
      if (w > current && bestWidth <= current) {
        bestWidth = w;
        best = id;
      }
    }
    if (bestWidth > current) return [best];
    // No one count widens it: it is pinned by several relations at once. Open each of them — the smallest released
    // count of every relation that holds the target.
    const opened = relations
      .filter((r) => r.includes(target))
      .map((r) => r.filter((id) => this.entries[id]?.rule === null && this.entries[id]?.n !== null && !this.entries[id]?.hidden).sort(byInformation)[0])
      .filter((id): id is number => id !== undefined);
    return opened.length > 0 ? [...new Set(opened)] : [best];
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
    const found = determinedUnknowns(rows, unknowns.length)
      .map((c) => unknowns[c] as number)
      .filter((id) => this.sensitive(id));
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
          if (e.n === null && e.rule !== null && e.deps.some((d) => this.entries[d]?.inner === true)) this.hide(id);
        });
        if (this.solver === null) this.secondary();
      }
      if (this.solver !== null && this.policy !== 'none') {
        const started = performance.now();
        let added = 0;
        added += this.auditByLp(this.solver);
        if (this.audit !== null) this.audit = { ...this.audit, addedSuppressions: added, seconds: Math.round((performance.now() - started) / 10) / 100 };
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
      audit: this.audit,
      // Releasable only under a policy that protects, once the audit has found every count it checks protected (under
      // a policy that only rounds, no small count narrowed below the width by the rounded totals).
      releasable: this.policy !== 'none' && this.audit !== null && this.audit.unprotected === 0,
    };
  }
}
