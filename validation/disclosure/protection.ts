/**
 * Protecting the suppressed counts of a ledger (disclosure.ts): the cell-suppression programme that chooses secondary
 * suppressions at least cost, checked by the audit's feasible intervals (lp-audit.ts); without the solver, Gauss–Jordan
 * elimination stands in (no suppressed count worked out exactly). Works on the ledger's entries and relations, which
 * it reads and marks; the ledger decides when (at `resolve`).
 */
import type { AuditedCell, DisclosureAudit } from './audit-types.js';
import type { AuditBounds, AuditRelation, FeasibleInterval, LpSolver } from './lp-audit.js';
import { Audit } from './lp-audit.js';
import type { Policy } from './policy.js';
import { DEPENDS, INSIDE, SECONDARY } from './policy.js';

/** One cell of the ledger. */
export interface Entry {
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

/** What protection reads of the ledger (its own arrays and maps, shared by reference). */
export interface LedgerState {
  readonly rules: Policy;
  readonly entries: readonly Entry[];
  readonly relations: readonly (readonly number[])[];
  /** Relations `total ≤ Σ parts`. */
  readonly atMost: readonly (readonly number[])[];
  /** Relations `total ≥ Σ parts`. */
  readonly atLeast: readonly (readonly number[])[];
  /** Per count shown inside statistics, the statistics that hold it. */
  readonly containers: ReadonlyMap<number, readonly number[]>;
  /** Per count, how many statistics are derived from it. */
  readonly derived: ReadonlyMap<number, number>;
  /** Per entry, where it sits in the report (a JSON path). */
  readonly paths: ReadonlyMap<number, string>;
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

/** Secondary suppression and the audit over one ledger. */
export class Protection {
  /** The audit's result, once `auditByLp` ran. */
  audit: DisclosureAudit | null = null;

  constructor(private readonly ledger: LedgerState) {}

  /**
   * A statistic holding counts (an observed-risk row, a Table 1 cell) hides them when it is suppressed: they become
   * unknowns to protect like any suppressed count; and suppressing one of them suppresses the statistic.
   */
  hide(statistic: number): void {
    const s = this.ledger.entries[statistic] as Entry;
    if (s.rule === null) {
      s.rule = DEPENDS;
      s.kind = 'dependant';
    }
    for (const d of s.deps) {
      const e = this.ledger.entries[d] as Entry;
      if (!e.inner || e.rule !== null) continue;
      e.rule = INSIDE;
      e.kind = 'dependant';
      for (const c of this.ledger.containers.get(d) ?? []) this.hide(c);
    }
  }

  /**
   * What suppressing count `id` withholds, to choose the counts that protect at least cost: the cells it takes with it
   * (itself and each statistic derived from it — a column's total takes every share in the column), each weighed by
   * the count's order of magnitude (1 + log10(1 + n): a zero weighs 1, a count of 9 weighs 2, of 99 3). Measured on
   * seeded reports (bench/disclosure.bench.ts), this withheld fewer numbers than pricing by the count itself (τ-ARGUS's
   * default) or by cells alone.
   */
  private cost(id: number): number {
    const n = this.ledger.entries[id]?.n ?? 0;
    return (1 + Math.log10(1 + n)) * (1 + (this.ledger.derived.get(id) ?? 0));
  }

  /** Least cost first (see `cost`), then the order counts were made. */
  private readonly byCost = (a: number, b: number): number => {
    const ca = this.cost(a);
    const cb = this.cost(b);
    return ca === cb ? a - b : ca < cb ? -1 : 1;
  };

  /** Suppress count `id` secondarily, with every statistic that shows it. */
  private suppressSecondary(id: number): void {
    const e = this.ledger.entries[id] as Entry;
    e.rule = SECONDARY;
    e.kind = 'secondary';
    for (const c of this.ledger.containers.get(id) ?? []) this.hide(c);
  }

  /**
   * Whether count `id` must not be worked out: a suppressed count, or a count not shown (a total the relations need)
   * that is itself small. A count not shown that is not small is only an unknown: working it out discloses nothing.
   */
  private sensitive(id: number): boolean {
    const e = this.ledger.entries[id];
    if (e === undefined || e.rule === null) return false;
    return !e.hidden || (e.n !== null && this.ledger.rules.primary(e.n) !== null);
  }

  /** Suppress counts until no suppressed count is determined by the relations. */
  secondary(): void {
    const suppressed = (id: number) => this.ledger.entries[id]?.rule !== null;
    const containers = this.ledger.containers;
    const hide = (statistic: number): void => this.hide(statistic);
    const suppress = (relation: readonly number[]) => {
      // The released count of the relation that withholds least (see `cost`).
      const candidates = relation.filter((id) => !suppressed(id));
      candidates.sort(this.byCost);
      const pick = candidates[0];
      if (pick === undefined) return false;
      const e = this.ledger.entries[pick] as Entry;
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
        for (const r of this.ledger.relations) {
          const unknown = r.filter(suppressed);
          if (unknown.length === 1 && this.sensitive(unknown[0] as number) && suppress(r)) changed = true;
        }
      }
      // Then any combination of relations.
      const target = this.determined(suppressed);
      if (target === null) return;
      // Suppress the smallest released count whose suppression leaves the target undetermined (a count of a relation
      // that holds the target first, then of any relation that holds an unknown).
      const near = [...new Set(this.ledger.relations.filter((r) => r.includes(target)).flat())].filter((id) => !suppressed(id));
      const far = [...new Set(this.ledger.relations.filter((r) => r.some(suppressed)).flat())].filter((id) => !suppressed(id) && !near.includes(id));
      const candidates = [...near.sort(this.byCost), ...far.sort(this.byCost)];
      let done = false;
      for (const id of candidates) {
        const e = this.ledger.entries[id] as Entry;
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
        const around = new Set(this.ledger.relations.filter((r) => r.includes(target)).flat());
        const next = this.ledger.relations.filter((r) => r.some((id) => around.has(id) && suppressed(id))).flat();
        const pick = [...new Set(next)].filter((id) => !suppressed(id)).sort(this.byCost)[0] ?? candidates[0];
        if (pick === undefined) return;
        const e = this.ledger.entries[pick] as Entry;
        e.rule = SECONDARY;
        e.kind = 'secondary';
        for (const c of containers.get(pick) ?? []) hide(c);
      }
    }
  }

  /** What a reader knows of count `id` now: its released band, the policy's a-priori interval, or only ≥ 0. */
  private boundsOf(id: number): AuditBounds {
    const e = this.ledger.entries[id] as Entry;
    if (e.n === null) return { lower: 0, upper: Number.POSITIVE_INFINITY };
    if (e.rule === null) return this.ledger.rules.released(e.n);
    if (e.kind === 'primary' && !e.hidden) return this.ledger.rules.primaryBounds;
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
  auditByLp(solver: LpSolver): number {
    const started = performance.now();
    const relations: AuditRelation[] = [
      ...this.ledger.relations.map((r): AuditRelation => ({ terms: r.map((id, k) => [id, k === 0 ? 1 : -1] as const), sense: '=' })),
      ...this.ledger.atMost.map((r): AuditRelation => ({ terms: r.map((id, k) => [id, k === 0 ? 1 : -1] as const), sense: '<=' })),
      ...this.ledger.atLeast.map((r): AuditRelation => ({ terms: r.map((id, k) => [id, k === 0 ? -1 : 1] as const), sense: '<=' })),
    ];
    const all = [...this.ledger.relations, ...this.ledger.atMost, ...this.ledger.atLeast];
    const bounds = (id: number): AuditBounds => this.boundsOf(id);
    const isTarget = (e: Entry, id: number): boolean =>
      e.n !== null &&
      (this.ledger.rules.audits === 'primary'
        ? (!e.hidden && e.kind === 'primary') || (e.hidden && this.ledger.rules.secondary && this.sensitive(id))
        : !e.hidden && e.rule === null && e.n > 0 && e.n < 10);
    // Every count the audit protects needs the policy's protection width: a count suppressed for its size from the
    // start; a count suppressed to protect one is checked once the small ones are protected (below).
    const needs = (): number => this.ledger.rules.protectionWidth;
    const targets: number[] = [];
    const isQueued = new Set<number>();
    const enqueueNew = (): void => {
      this.ledger.entries.forEach((e, id) => {
        if (!isQueued.has(id) && isTarget(e, id)) {
          isQueued.add(id);
          targets.push(id);
        }
      });
    };
    enqueueNew();
    const width = this.ledger.rules.protectionWidth;
    const audit = new Audit(solver, relations, bounds);
    const rowsOf = new Map<number, number[]>();
    relations.forEach((r, i) => {
      for (const [id] of r.terms) {
        const list = rowsOf.get(id) ?? [];
        if (list[list.length - 1] !== i) list.push(i);
        rowsOf.set(id, list);
      }
    });
    const wasSuppressed = this.ledger.entries.map((e) => e.rule !== null);
    const intervals = new Map<number, { min: number; max: number }>();
    let added = 0;
    /** Counts released again: suppressed to protect another, yet worked out exactly, so protecting nothing. */
    let releasedAgain = 0;
    const settled = new Set<number>();
    try {
      if (this.ledger.rules.secondary) {
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
            this.ledger.entries.forEach((e, id) => {
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
          const unsettled = this.ledger.entries.flatMap((e, id) =>
            e.kind === 'secondary' && e.n !== null && !e.hidden && !isQueued.has(id) && !settled.has(id) ? [id] : [],
          );
          for (const id of unsettled) settled.add(id);
          const widths = audit.intervals(unsettled);
          const again: number[] = [];
          let more = false;
          for (const id of unsettled) {
            const w = this.widthOf(widths.get(id));
            if (w === 0 && (this.ledger.containers.get(id) ?? []).length === 0) again.push(id);
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
      const others = this.ledger.entries.flatMap((e, id) => (!isQueued.has(id) && e.n !== null && !e.hidden && e.rule !== null ? [id] : []));
      for (const [id, i] of audit.intervals([...targets, ...others])) intervals.set(id, i);
    } finally {
      audit.dispose();
    }
    const listed = [...targets, ...[...intervals.keys()].filter((id) => !isQueued.has(id)).sort((a, b) => a - b)];
    const cells: AuditedCell[] = listed.map((t) => {
      const e = this.ledger.entries[t] as Entry;
      const i = intervals.get(t) ?? { min: 0, max: Number.POSITIVE_INFINITY };
      return {
        table: e.table ?? '(not shown)',
        path: this.ledger.paths.get(t) ?? null,
        suppressed: e.hidden ? 'not shown' : e.rule === null ? 'rounded' : (e.kind ?? 'dependant'),
        min: i.min,
        max: Number.isFinite(i.max) ? i.max : null,
        required: isQueued.has(t) ? needs() : 0,
      };
    });
    const shortfall = targets.filter((t) => this.widthOf(intervals.get(t)) < needs()).length;
    const widths = targets
      .filter((t) => this.ledger.entries[t]?.kind === 'primary' || this.ledger.rules.audits === 'small')
      .map((t) => this.widthOf(intervals.get(t)));
    this.audit = {
      method: `linear programming (${solver.name}): the smallest and largest value of each ${this.ledger.rules.audits === 'primary' ? 'suppressed count' : 'count below 10'} consistent with every released count, every declared relation between counts and the policy's bounds (LP relaxation, bounds rounded inward to whole numbers)`,
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
    const e = this.ledger.entries[id] as Entry;
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
    const t = this.ledger.entries[target] as Entry;
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
      const e = this.ledger.entries[id] as Entry;
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
        if (c === undefined) rhs -= coefficient * (this.ledger.entries[id]?.n ?? 0);
        else terms.push([c, coefficient]);
      }
      return { terms, sense: row.sense, rhs };
    });
    released.forEach((id, k) => {
      const x = at.get(id) as number;
      const over = ids.length + 2 * k;
      // A released zero moves only when nothing else will: the policy releases zeros, and a reader reads every
      // suppressed count as 1 or more.
      const price = this.ledger.entries[id]?.n === 0 ? ZERO_PRICE * this.cost(id) : this.cost(id);
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
      const released = ids.filter((id) => this.ledger.entries[id]?.rule === null && this.ledger.entries[id]?.n !== null && !this.ledger.entries[id]?.hidden);
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
      .map(
        (r) =>
          r
            .filter((id) => this.ledger.entries[id]?.rule === null && this.ledger.entries[id]?.n !== null && !this.ledger.entries[id]?.hidden)
            .sort(byInformation)[0],
      )
      .filter((id): id is number => id !== undefined);
    return opened.length > 0 ? [...new Set(opened)] : [best];
  }

  /** A suppressed count the relations determine (`only`: whether that one still is), or null. */
  private determined(suppressed: (id: number) => boolean, only?: number): number | null {
    const involved = this.ledger.relations.filter((r) => r.some(suppressed));
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
}
