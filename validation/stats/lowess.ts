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
  const range = (x[n - 1] as number) - (x[0] as number);
  const h = Math.max(xs - (x[nleft] as number), (x[nright] as number) - xs);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  let j = nleft;
  while (j < n) {
    w[j] = 0;
    const r = Math.abs((x[j] as number) - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1 : cube(1 - cube(r / h));
      a += w[j] as number;
    } else if ((x[j] as number) > xs) break;
    j++;
  }
  const nrt = j - 1; // the rightmost point used (past nright when there are ties)
  if (a <= 0) return null;
  for (j = nleft; j <= nrt; j++) w[j] = (w[j] as number) / a;
  if (h > 0) {
    let centre = 0;
    for (j = nleft; j <= nrt; j++) centre += (w[j] as number) * (x[j] as number);
    let b = xs - centre;
    let c = 0;
    for (j = nleft; j <= nrt; j++) c += (w[j] as number) * ((x[j] as number) - centre) * ((x[j] as number) - centre);
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (j = nleft; j <= nrt; j++) w[j] = (w[j] as number) * (b * ((x[j] as number) - centre) + 1);
    }
  }
  let ys = 0;
  for (j = nleft; j <= nrt; j++) ys += (w[j] as number) * (y[j] as number);
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
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (xIn[a] as number) - (xIn[b] as number) || a - b);
  const x = Float64Array.from(order, (i) => xIn[i] as number);
  const y = Float64Array.from(order, (i) => yIn[i] as number);
  const ys = new Float64Array(n);
  if (n === 0) return { x, y: ys };
  if (n === 1) {
    ys[0] = y[0] as number;
    return { x, y: ys };
  }
  const f = options.f ?? 2 / 3;
  const delta = options.delta ?? 0.01 * ((x[n - 1] as number) - (x[0] as number));
  const ns = Math.max(2, Math.min(n, Math.floor(f * n + 1e-7)));
  const w = new Float64Array(n);
  let nleft = 0;
  let nright = ns - 1;
  let last = -1;
  let i = 0;
  for (;;) {
    if (nright < n - 1) {
      const d1 = (x[i] as number) - (x[nleft] as number);
      const d2 = (x[nright + 1] as number) - (x[i] as number);
      if (d1 > d2) {
        nleft++;
        nright++;
        continue;
      }
    }
    const fitted = lowest(x, y, x[i] as number, nleft, nright, w);
    ys[i] = fitted ?? (y[i] as number);
    if (last < i - 1) {
      const denom = (x[i] as number) - (x[last] as number);
      for (let j = last + 1; j < i; j++) {
        const alpha = ((x[j] as number) - (x[last] as number)) / denom;
        ys[j] = alpha * (ys[i] as number) + (1 - alpha) * (ys[last] as number);
      }
    }
    last = i;
    const cut = (x[last] as number) + delta;
    for (i = last + 1; i < n; i++) {
      if ((x[i] as number) > cut) break;
      if (x[i] === x[last]) {
        ys[i] = ys[last] as number;
        last = i;
      }
    }
    i = Math.max(last + 1, i - 1);
    if (last >= n - 1) break;
  }
  return { x, y: ys };
}
