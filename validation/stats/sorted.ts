/** Small helpers over sorted arrays, shared by the metrics. */

/**
 * The first index whose value is ≥ v in an ascending array (binary search). Runs in O(log n).
 *
 * @example lowerBound(Float64Array.of(1, 3, 5), 3); // => 1
 */
export function lowerBound(values: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? NaN) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first index whose value is > v in an ascending array: the number of values ≤ v. Runs in O(log n).
 *
 * @example upperBound(Float64Array.of(1, 3, 5), 3); // => 2
 */
export function upperBound(values: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? NaN) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * R's default (type 7) quantile of ascending values: linear interpolation between order statistics.
 *
 * @example quantile7(Float64Array.of(1, 2, 3, 4), 0.5); // => 2.5
 */
export function quantile7(sorted: ArrayLike<number>, prob: number): number {
  const h = (sorted.length - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] ?? NaN) + (h - lo) * ((sorted[hi] ?? NaN) - (sorted[lo] ?? NaN));
}
