/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna, 2018) seeded through SplitMix32, so the same seed
 * gives the same stream on every platform. All randomness in ewskit comes from here; nothing uses the platform's unseeded generator.
 */

/** A seeded source of random numbers. */
export interface Random {
  /** A uniform number in [0, 1), 32 bits of randomness. */
  next(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** A normal variate with the given mean and standard deviation (Box–Muller, polar form). */
  normal(mean?: number, sd?: number): number;
  /** True with probability p. */
  bernoulli(p: number): boolean;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded random source (xoshiro128**). Runs in O(1) per draw.
 *
 * @param seed any finite number; its integer part (mod 2³²) seeds the stream
 * @returns a {@link Random}
 * @throws {RangeError} when the seed is not a finite number
 * @example createRandom(1).next(); // the same value on every run and platform
 */
export function createRandom(seed: number): Random {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`createRandom: argument "seed" expected a finite number; received ${String(seed)}.`);
  }
  const init = splitmix32(Math.trunc(seed) >>> 0);
  let a = init(),
    b = init(),
    c = init(),
    d = init();
  if ((a | b | c | d) === 0) a = 1;
  let spare: number | null = null;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    bernoulli: (p) => next() < p,
    normal(mean = 0, sd = 1) {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return mean + sd * z;
      }
      let u: number, v: number, s: number;
      do {
        u = 2 * next() - 1;
        v = 2 * next() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * f;
      return mean + sd * u * f;
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
