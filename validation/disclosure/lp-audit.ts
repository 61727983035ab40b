/**
 * The disclosure audit by linear programming: what an attacker who reads every released number of a report, knows
 * every relation between them (the sums a table's structure implies, the same count in two tables, patients of groups,
 * events that happen once per encounter) and knows the policy's bounds (a suppressed count lies in 1…threshold − 1
 * because zeros are released; every count is ≥ 0; a rounded count lies within its rounding band) can work out about
 * each protected count: its smallest and largest feasible value. The solver is HiGHS (Huangfu & Hall, Math. Prog.
 * Comp. 2018), compiled to WebAssembly (npm `highs`), loaded once with {@link loadDisclosureAudit}.
 *
 * Each count is solved over its component: the counts not known exactly that relations link to it (a count known
 * exactly is a constant and links nothing), with only the relations that hold them; the LP minimises (then
 * maximises) the count subject to those relations (equalities, "total ≤ Σ parts", "total ≥ Σ parts") and the
 * bounds. A component of one count is solved directly. The LP relaxation's bounds are rounded inward
 * to whole numbers (a count is an integer): a valid interval for the integer attacker too, possibly wider than the
 * integer hull by less than one count at each end.
 */

/** A linear programme over counts the audit keeps and re-solves: rows fixed, column bounds changing. */
export interface AuditModel {
  /** Change what is known of column `col`. */
  setBounds(col: number, lower: number, upper: number): void;
  /** The smallest and largest feasible value of column `col` (null for a side without an optimum: unbounded). */
  range(col: number): { min: number | null; max: number | null };
  /** One side of it: the smallest ('min') or largest ('max') feasible value (null: unbounded). */
  bound(col: number, side: 'min' | 'max'): number | null;
  /** Free the solver's memory. */
  dispose(): void;
}

/** A linear-programming solver, as the audit uses it. */
export interface LpSolver {
  /** The solver's name and version, for the report ("HiGHS 1.x"). */
  readonly name: string;
  /**
   * Build a model: `rows[i]` is Σ coefficient · column (= or ≤) its rhs over column indices; column bounds as given. Each
   * `range` re-solves it with that column as the objective, warm-started from the last basis.
   */
  model(rows: readonly AuditRelation[], lower: Float64Array, upper: Float64Array): AuditModel;
  /** The solution minimising Σ cost · column over the rows and bounds, or null when there is none (infeasible). */
  minimise(rows: readonly AuditRelation[], lower: Float64Array, upper: Float64Array, cost: Float64Array): Float64Array | null;
}

/** A relation between counts: Σ coefficient · count (= or ≤) rhs (default 0). */
export interface AuditRelation {
  readonly terms: readonly (readonly [id: number, coefficient: number])[];
  readonly sense: '=' | '<=';
  readonly rhs?: number;
}

/** The npm package of the LP solver. */
const HIGHS = 'highs';

/** HiGHS's `simplex_strategy` for the primal simplex. */
const PRIMAL_SIMPLEX = 4;

let loaded: LpSolver | null = null;
let loading: Promise<LpSolver> | null = null;

/**
 * Load the LP solver the disclosure audit uses (HiGHS as WebAssembly; ~3.5 MB, compiled once per process). Every
 * `validate` with a disclosure policy after this resolves is audited; the CLI calls it before every study.
 *
 * @returns the solver (the same one on every call)
 * @example await loadDisclosureAudit(); const report = validate({ cohort }); report.disclosure.audit?.narrowest;
 */
export async function loadDisclosureAudit(): Promise<LpSolver> {
  if (loaded !== null) return loaded;
  loading ??= (async () => {
    // The solver is loaded by a name a bundler does not follow: `ewskit` stays bundleable for the browser (HiGHS's
    // loader imports Node built-ins), and the audit — a trusted research environment's step — runs in Node.
    const specifier: string = HIGHS;
    const { default: highsLoader } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('highs');
    const highs = await highsLoader();
    const OPTIMAL = 7;
    const INFEASIBLE = 8;
    const { minimize, maximize } = highs.constants.objectiveSense;
    const build = (rows: readonly AuditRelation[], lower: Float64Array, upper: Float64Array, cost: Float64Array, primal: boolean) => {
      const numCols = lower.length;
      // Rows as compressed sparse rows: each relation's terms, a repeated column merged.
      const starts = [0];
      const indices: number[] = [];
      const values: number[] = [];
      for (const r of rows) {
        const merged = new Map<number, number>();
        for (const [col, c] of r.terms) merged.set(col, (merged.get(col) ?? 0) + c);
        for (const [col, c] of [...merged].sort((a, b) => a[0] - b[0])) {
          if (c === 0) continue;
          indices.push(col);
          values.push(c);
        }
        starts.push(indices.length);
      }
      const model = highs.createModel();
      model.options.set({ output_flag: false, presolve: 'off', ...(primal ? { simplex_strategy: PRIMAL_SIMPLEX } : {}) });
      model.passModel({
        numCols,
        numRows: rows.length,
        colCost: cost,
        colLower: lower,
        colUpper: Float64Array.from(upper, (u) => (Number.isFinite(u) ? u : highs.infinity)),
        rowLower: rows.map((r) => (r.sense === '=' ? (r.rhs ?? 0) : -highs.infinity)),
        rowUpper: rows.map((r) => r.rhs ?? 0),
        matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
      });
      return model;
    };
    const solver: LpSolver = {
      name: `HiGHS ${highs.version.string}`,
      minimise(rows, lower, upper, cost) {
        const model = build(rows, lower, upper, cost, false);
        try {
          model.changeObjectiveSense(minimize);
          model.run();
          return model.getModelStatus() === OPTIMAL ? Float64Array.from(model.getSolution().colValue) : null;
        } finally {
          model.dispose();
        }
      },
      model(rows, lower, upper) {
        // One model, many objectives (each count's minimum, then maximum): the primal simplex keeps the last basis
        // feasible and starts from it (measured: half the time of HiGHS's default, dual, on the audit's components).
        const model = build(rows, lower, upper, new Float64Array(lower.length), true);
        let previous = -1;
        const optimum = (sense: typeof minimize): number | null => {
          model.changeObjectiveSense(sense);
          model.run();
          const status = model.getModelStatus();
          if (status === INFEASIBLE) throw new Error('disclosure audit: the relations have no solution; a declared relation does not hold.');
          return status === OPTIMAL ? model.getObjectiveValue() : null;
        };
        return {
          setBounds(col, lo, up) {
            model.changeColBounds(col, lo, Number.isFinite(up) ? up : highs.infinity);
          },
          range(col) {
            if (previous >= 0) model.changeColCost(previous, 0);
            model.changeColCost(col, 1);
            previous = col;
            return { min: optimum(minimize), max: optimum(maximize) };
          },
          bound(col, side) {
            if (previous >= 0) model.changeColCost(previous, 0);
            model.changeColCost(col, 1);
            previous = col;
            return optimum(side === 'min' ? minimize : maximize);
          },
          dispose() {
            model.dispose();
          },
        };
      },
    };
    loaded = solver;
    return solver;
  })();
  return loading;
}

/** The loaded solver, or null when {@link loadDisclosureAudit} has not finished. */
export function disclosureAuditSolver(): LpSolver | null {
  return loaded;
}

/** What the attacker knows of one count: its bounds (equal when the count is released exactly). */
export interface AuditBounds {
  readonly lower: number;
  readonly upper: number;
}

/** A count's feasible interval, inward-rounded to whole numbers. */
export interface FeasibleInterval {
  readonly min: number;
  readonly max: number;
}

const INTEGER_SLACK = 1e-6;

/**
 * One report's audit over every count that appears in a relation. What a reader knows of a count changes with
 * `update` (a count newly suppressed becomes free within its bounds) and `assume` (a trial); `interval` solves for
 * one count over its *component*: the counts not known exactly that are linked to it through relations (a count
 * known exactly is a constant and links nothing), and only the relations that hold them — a small LP however large
 * the report. A component of one count is solved directly from its relations; a larger one by the LP solver.
 */
export class Audit {
  private readonly column = new Map<number, number>();
  /** Rows over columns. */
  private readonly rows: AuditRelation[];
  /** Per column, the rows that hold it. */
  private readonly rowsOf: number[][];
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;

  /**
   * @param solver the loaded LP solver
   * @param relations over ledger ids
   * @param bounds what a reader knows of each id now
   */
  constructor(
    private readonly solver: LpSolver,
    relations: readonly AuditRelation[],
    private readonly bounds: (id: number) => AuditBounds,
  ) {
    for (const r of relations) for (const [id] of r.terms) if (!this.column.has(id)) this.column.set(id, this.column.size);
    this.lower = new Float64Array(this.column.size);
    this.upper = new Float64Array(this.column.size);
    for (const [id, col] of this.column) {
      const b = bounds(id);
      this.lower[col] = b.lower;
      this.upper[col] = b.upper;
    }
    this.rows = relations.map((r): AuditRelation => ({
      terms: r.terms.map(([id, c]) => [this.column.get(id) as number, c] as const),
      sense: r.sense,
      rhs: r.rhs ?? 0,
    }));
    this.rowsOf = Array.from({ length: this.column.size }, () => []);
    this.rows.forEach((r, i) => {
      for (const [col] of r.terms) {
        const list = this.rowsOf[col] as number[];
        if (list[list.length - 1] !== i) list.push(i);
      }
    });
  }

  /** Read count `id`'s bounds again (after its suppression). */
  update(id: number): void {
    const b = this.bounds(id);
    this.assume(id, b.lower, b.upper);
  }

  /** Set what a reader would know of count `id` (a trial; `update` reads its bounds back). */
  assume(id: number, lower: number, upper: number): void {
    const col = this.column.get(id);
    if (col === undefined) return;
    this.lower[col] = lower;
    this.upper[col] = upper;
  }

  private fixed(col: number): boolean {
    return this.lower[col] === this.upper[col];
  }

  /**
   * The feasible interval of count `id`. With `known`, an interval it is known to contain (relaxing bounds only widens
   * intervals): a side already at the count's own bound cannot move, so only the other side is solved.
   */
  interval(id: number, known?: FeasibleInterval): FeasibleInterval {
    const own = this.bounds(id);
    const col = this.column.get(id);
    if (col === undefined || own.lower === own.upper) return { min: own.lower, max: own.upper };
    const { cols, rows } = this.component(col);
    const lo = Float64Array.from(cols, (c) => this.lower[c] ?? 0);
    const up = Float64Array.from(cols, (c) => this.upper[c] ?? Number.POSITIVE_INFINITY);
    const side = known === undefined ? null : known.min <= own.lower ? 'max' : known.max >= own.upper ? 'min' : null;
    const r =
      cols.length === 1
        ? single(rows, lo[0] ?? 0, up[0] ?? Number.POSITIVE_INFINITY)
        : side === null
          ? this.solve(rows, lo, up)
          : this.solveSide(rows, lo, up, side, known as FeasibleInterval);
    return this.rounded(r, own);
  }

  /**
   * The feasible intervals of several counts at once: one model per component, each count's minimum and maximum
   * solved on it in turn (warm-started from the last basis) — the same intervals as `interval`, one by one.
   */
  intervals(ids: Iterable<number>): Map<number, FeasibleInterval> {
    const out = new Map<number, FeasibleInterval>();
    const wanted = new Map<number, number>();
    for (const id of ids) {
      const own = this.bounds(id);
      const col = this.column.get(id);
      if (col === undefined || own.lower === own.upper) out.set(id, { min: own.lower, max: own.upper });
      else wanted.set(col, id);
    }
    const done = new Set<number>();
    for (const [col, id] of wanted) {
      if (done.has(col)) continue;
      const { cols, rows } = this.component(col);
      if (cols.length === 1) {
        done.add(col);
        out.set(id, this.rounded(single(rows, this.lower[col] ?? 0, this.upper[col] ?? Number.POSITIVE_INFINITY), this.bounds(id)));
        continue;
      }
      const model = this.solver.model(
        rows,
        Float64Array.from(cols, (c) => this.lower[c] ?? 0),
        Float64Array.from(cols, (c) => this.upper[c] ?? Number.POSITIVE_INFINITY),
      );
      try {
        cols.forEach((c, k) => {
          const other = wanted.get(c);
          if (other === undefined || done.has(c)) return;
          done.add(c);
          out.set(other, this.rounded(model.range(k), this.bounds(other)));
        });
      } finally {
        model.dispose();
      }
    }
    return out;
  }

  /** An LP interval rounded inward to whole numbers (an open lower side is the count's own bound). */
  private rounded(r: { min: number | null; max: number | null }, own: AuditBounds): FeasibleInterval {
    return {
      // (+ 0: a −0 from the solver reads as 0)
      min: r.min === null ? own.lower : Math.ceil(r.min - INTEGER_SLACK) + 0,
      max: r.max === null ? Number.POSITIVE_INFINITY : Math.floor(r.max + INTEGER_SLACK),
    };
  }

  /**
   * The component of column `col`: the columns not known exactly linked to it through rows (first `col` itself), and
   * those rows over them, the known counts moved to the right-hand side.
   */
  private component(col: number): { cols: number[]; rows: AuditRelation[] } {
    const cols = [col];
    const local = new Map<number, number>([[col, 0]]);
    const rowSeen = new Set<number>();
    for (let k = 0; k < cols.length; k++)
      for (const r of this.rowsOf[cols[k] as number] ?? []) {
        if (rowSeen.has(r)) continue;
        rowSeen.add(r);
        for (const [c] of (this.rows[r] as AuditRelation).terms)
          if (!local.has(c) && !this.fixed(c)) {
            local.set(c, cols.length);
            cols.push(c);
          }
      }
    const rows: AuditRelation[] = [...rowSeen].map((r) => {
      const row = this.rows[r] as AuditRelation;
      let rhs = row.rhs ?? 0;
      const terms: (readonly [number, number])[] = [];
      for (const [c, coefficient] of row.terms) {
        const l = local.get(c);
        if (l === undefined) rhs -= coefficient * (this.lower[c] ?? 0);
        else terms.push([l, coefficient]);
      }
      return { terms, sense: row.sense, rhs };
    });
    return { cols, rows };
  }

  private solve(rows: readonly AuditRelation[], lower: Float64Array, upper: Float64Array): { min: number | null; max: number | null } {
    const model = this.solver.model(rows, lower, upper);
    try {
      return model.range(0);
    } finally {
      model.dispose();
    }
  }

  private solveSide(
    rows: readonly AuditRelation[],
    lower: Float64Array,
    upper: Float64Array,
    side: 'min' | 'max',
    known: FeasibleInterval,
  ): { min: number | null; max: number | null } {
    const model = this.solver.model(rows, lower, upper);
    try {
      const v = model.bound(0, side);
      return side === 'max' ? { min: known.min, max: v } : { min: v, max: Number.isFinite(known.max) ? known.max : null };
    } finally {
      model.dispose();
    }
  }

  /** Nothing to free: each component's model is freed after its solve. */
  dispose(): void {}
}

/** One unknown x within [lower, upper] and rows a·x (= or ≤) rhs: its interval, directly. */
function single(rows: readonly AuditRelation[], lower: number, upper: number): { min: number | null; max: number | null } {
  let min = lower;
  let max = upper;
  for (const r of rows) {
    const a = r.terms.reduce((t, [, c]) => t + c, 0);
    const rhs = r.rhs ?? 0;
    if (Math.abs(a) < 1e-12) {
      if (rhs < -1e-9 || (r.sense === '=' && Math.abs(rhs) > 1e-9))
        throw new Error('disclosure audit: the relations have no solution; a declared relation does not hold.');
      continue;
    }
    const x = rhs / a;
    if (r.sense === '=') {
      min = Math.max(min, x);
      max = Math.min(max, x);
    } else if (a > 0) max = Math.min(max, x);
    else min = Math.max(min, x);
  }
  if (min > max + 1e-6) throw new Error('disclosure audit: the relations have no solution; a declared relation does not hold.');
  return { min, max: Number.isFinite(max) ? max : null };
}
