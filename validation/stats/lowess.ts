/**
 * LOWESS smoothing (Cleveland, JASA 1979;74:829–36), following the algorithm of R's `lowess()` (its C routine
 * `clowess`): tricube weights over the ⌊f·n⌋ nearest points, a weighted linear fit where the points are spread
 * enough, ties sharing one fitted value, and points within `delta` of the last fit interpolated linearly.
 * Robustness iterations are not needed here (`rms::val.prob` uses `iter = 0`) and are not implemented.
 */

export interface LowessOptions {
  /** Smoother span: the share of points in each local fit (default 2/3, as R). */
  f?: number;
  /** Points closer than this to the last fitted one are interpolated (default 1 % of the range of x, as R). */
  delta?: number;
}

const cube = (x: number): number => x * x * x;

/** The fitted value at xs from points nleft..nright (0-based, inclusive), or null when every weight is zero. */
function lowest(x: Float64Array, y: Float64Array, xs: number, nleft: number, nright: number, w: Float64Array): number | null {
  const n = x.length;
  const range = (x[n - 1] ?? NaN) - (x[0] ?? NaN);
  const h = Math.max(xs - (x[nleft] ?? NaN), (x[nright] ?? NaN) - xs);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  let j = nleft;
  while (j < n) {
    w[j] = 0;
    const r = Math.abs((x[j] ?? NaN) - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1 : cube(1 - cube(r / h));
      a += w[j] ?? NaN;
    } else if ((x[j] ?? NaN) > xs) break;
    j++;
  }
  const nrt = j - 1; // the rightmost point used (past nright when there are ties)
  if (a <= 0) return null;
  for (j = nleft; j <= nrt; j++) w[j] = (w[j] ?? NaN) / a;
  if (h > 0) {
    let centre = 0;
    for (j = nleft; j <= nrt; j++) centre += (w[j] ?? NaN) * (x[j] ?? NaN);
    let b = xs - centre;
    let c = 0;
    for (j = nleft; j <= nrt; j++) c += (w[j] ?? NaN) * ((x[j] ?? NaN) - centre) * ((x[j] ?? NaN) - centre);
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (j = nleft; j <= nrt; j++) w[j] = (w[j] ?? NaN) * (b * ((x[j] ?? NaN) - centre) + 1);
    }
  }
  let ys = 0;
  for (j = nleft; j <= nrt; j++) ys += (w[j] ?? NaN) * (y[j] ?? NaN);
  return ys;
}

/**
 * LOWESS fit of y on x, evaluated at every x. Runs in O(n·f·n) in the worst case (less with `delta`).
 *
 * @returns `{ x, y }` sorted by x (as R's `lowess()` returns them)
 * @example lowess([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]).y; // => [2, 4, 6, 8, 10] (a straight line is its own smooth)
 */
export function lowess(xIn: ArrayLike<number>, yIn: ArrayLike<number>, options: LowessOptions = {}): { x: Float64Array; y: Float64Array } {
  if (xIn.length !== yIn.length) throw new TypeError(`lowess: "x" has ${xIn.length} values but "y" has ${yIn.length}.`);
  const n = xIn.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (xIn[a] ?? NaN) - (xIn[b] ?? NaN) || a - b);
  const x = Float64Array.from(order, (i) => xIn[i] ?? NaN);
  const y = Float64Array.from(order, (i) => yIn[i] ?? NaN);
  const ys = new Float64Array(n);
  if (n === 0) return { x, y: ys };
  if (n === 1) {
    ys[0] = y[0] ?? NaN;
    return { x, y: ys };
  }
  const f = options.f ?? 2 / 3;
  const delta = options.delta ?? 0.01 * ((x[n - 1] ?? NaN) - (x[0] ?? NaN));
  const ns = Math.max(2, Math.min(n, Math.floor(f * n + 1e-7)));
  const w = new Float64Array(n);
  let nleft = 0;
  let nright = ns - 1;
  let last = -1;
  let i = 0;
  for (;;) {
    if (nright < n - 1) {
      const d1 = (x[i] ?? NaN) - (x[nleft] ?? NaN);
      const d2 = (x[nright + 1] ?? NaN) - (x[i] ?? NaN);
      if (d1 > d2) {
        nleft++;
        nright++;
        continue;
      }
    }
    const fitted = lowest(x, y, x[i] ?? NaN, nleft, nright, w);
    ys[i] = fitted ?? y[i] ?? NaN;
    if (last < i - 1) {
      const denom = (x[i] ?? NaN) - (x[last] ?? NaN);
      for (let j = last + 1; j < i; j++) {
        const alpha = ((x[j] ?? NaN) - (x[last] ?? NaN)) / denom;
        ys[j] = alpha * (ys[i] ?? NaN) + (1 - alpha) * (ys[last] ?? NaN);
      }
    }
    last = i;
    const cut = (x[last] ?? NaN) + delta;
    for (i = last + 1; i < n; i++) {
      if ((x[i] ?? NaN) > cut) break;
      if (x[i] === x[last]) {
        ys[i] = ys[last] ?? NaN;
        last = i;
      }
    }
    i = Math.max(last + 1, i - 1);
    if (last >= n - 1) break;
  }
  return { x, y: ys };
}
