/**
 * The disclosure audit by linear programming: what an attacker who reads every released number of a report, knows
 * every relation between them (the sums a table's structure implies, the same count in two tables, patients of groups,
 * events that happen once per encounter) and knows the policy's bounds (a suppressed count lies in 1…threshold − 1
 * because zeros are released; every count is ≥ 0; a rounded count lies within its rounding band) can work out about
 * each protected count: its smallest and largest feasible value. The solver is HiGHS (Huangfu & Hall, Math. Prog.
 * Comp. 2018), compiled to WebAssembly (npm `highs`), loaded once with {@link loadDisclosureAudit}.
 *
 * One model holds every count that appears in a relation (a released count of a policy that does not round is a
 * column fixed at its value); each LP minimises (then maximises) one count subject to the relations (equalities, or
 * "total ≤ Σ parts") and the bounds, warm-started from the last solve. The LP relaxation's bounds are rounded inward
 * to whole numbers (a count is an integer): a valid interval for the integer attacker too, possibly wider than the
 * integer hull by less than one count at each end.
 */

/** A linear programme over counts the audit keeps and re-solves: rows fixed, column bounds changing. */
export interface AuditModel {
  /** Change what is known of column `col`. */
  setBounds(col: number, lower: number, upper: number): void;
  /** The smallest and largest feasible value of column `col` (null for a side without an optimum: unbounded). */
  range(col: number): { min: number | null; max: number | null };
  /** Free the solver's memory. */
  dispose(): void;
}

/** A linear-programming solver, as the audit uses it. */
export interface LpSolver {
  /** The solver's name and version, for the report ("HiGHS 1.x"). */
  readonly name: string;
  /**
   * Build a model: `rows[i]` is Σ coefficient · column (= or ≤) 0 over column indices; column bounds as given. Each
   * `range` re-solves it with that column as the objective, warm-started from the last basis.
   */
  model(rows: readonly AuditRelation[], lower: Float64Array, upper: Float64Array): AuditModel;
}

/** A relation between counts: Σ coefficient · count (= or ≤) 0. */
export interface AuditRelation {
  readonly terms: readonly (readonly [id: number, coefficient: number])[];
  readonly sense: '=' | '<=';
}

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
    const { default: highsLoader } = await import('highs');
    const highs = await highsLoader();
    const OPTIMAL = 7;
    const INFEASIBLE = 8;
    const { minimize, maximize } = highs.constants.objectiveSense;
    const solver: LpSolver = {
      name: `HiGHS ${highs.version.string}`,
      model(rows, lower, upper) {
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
        model.options.set({ output_flag: false, presolve: 'off' });
        model.passModel({
          numCols,
          numRows: rows.length,
          colCost: new Float64Array(numCols),
          colLower: lower,
          colUpper: Float64Array.from(upper, (u) => (Number.isFinite(u) ? u : highs.infinity)),
          rowLower: rows.map((r) => (r.sense === '=' ? 0 : -highs.infinity)),
          rowUpper: rows.map(() => 0),
          matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
        });
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
 * One report's audit: a model over every count that appears in a relation (its columns), built once; what a reader
 * knows of a count changes with `update` (a count newly suppressed becomes free within its bounds), and `interval`
 * solves for one count. A count in no relation keeps its own bounds. Dispose when done.
 */
export class Audit {
  private readonly column = new Map<number, number>();
  private readonly model: AuditModel;

  /**
   * @param solver the loaded LP solver
   * @param relations over ledger ids
   * @param bounds what a reader knows of each id now
   */
  constructor(
    solver: LpSolver,
    relations: readonly AuditRelation[],
    private readonly bounds: (id: number) => AuditBounds,
  ) {
    for (const r of relations) for (const [id] of r.terms) if (!this.column.has(id)) this.column.set(id, this.column.size);
    const lower = new Float64Array(this.column.size);
    const upper = new Float64Array(this.column.size);
    for (const [id, col] of this.column) {
      const b = bounds(id);
      lower[col] = b.lower;
      upper[col] = b.upper;
    }
    const rows = relations.map((r): AuditRelation => ({ terms: r.terms.map(([id, c]) => [this.column.get(id) as number, c] as const), sense: r.sense }));
    this.model = solver.model(rows, lower, upper);
  }

  /** Read count `id`'s bounds again (after its suppression). */
  update(id: number): void {
    const col = this.column.get(id);
    if (col === undefined) return;
    const b = this.bounds(id);
    this.model.setBounds(col, b.lower, b.upper);
  }

  /** Set what a reader would know of count `id` (a trial; `update` reads its bounds back). */
  assume(id: number, lower: number, upper: number): void {
    const col = this.column.get(id);
    if (col !== undefined) this.model.setBounds(col, lower, upper);
  }

  /** The feasible interval of count `id`. */
  interval(id: number): FeasibleInterval {
    const own = this.bounds(id);
    const col = this.column.get(id);
    if (col === undefined || own.lower === own.upper) return { min: own.lower, max: own.upper };
    const r = this.model.range(col);
    return {
      min: r.min === null ? own.lower : Math.ceil(r.min - INTEGER_SLACK),
      max: r.max === null ? Number.POSITIVE_INFINITY : Math.floor(r.max + INTEGER_SLACK),
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}
