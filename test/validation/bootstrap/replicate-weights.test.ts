/**
 * The Poisson bootstrap's weights: MD5 against RFC 1321's own test suite, the hash against an independent BigInt
 * murmur3 finaliser, the thresholds against the Poisson(1) distribution function computed here in exact integer
 * arithmetic, the weights' distribution and independence, and the property that makes them usable in SQL and across
 * partitions: a patient's weight depends on nothing but its key, the replicate and the seed.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Hex, md5Prefix } from '../../../validation/stats/md5.js';
import { createRandom } from '../../../validation/stats/random.js';
import { mix32, POISSON_THRESHOLDS, poissonOf, poissonWeight, replicateHash, replicateWeights } from '../../../validation/bootstrap/replicate-weights.js';

describe('md5Hex', () => {
  it('gives RFC 1321 appendix A.5 test suite digests', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('a')).toBe('0cc175b9c0f1b6a831c399e269772661');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(md5Hex('abcdefghijklmnopqrstuvwxyz')).toBe('c3fcd3d76192e4007dfb496cca67e13b');
    expect(md5Hex('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')).toBe('d174ab98d277d9f5a5611c2c9f419d9f');
    expect(md5Hex('1234567890'.repeat(8))).toBe('57edf4a22be3c955ac49da2e2107b67a');
  });

  it('equals Node’s MD5 of the UTF-8 bytes for any text (padding at every length, multi-byte characters)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(md5Hex(s)).toBe(createHash('md5').update(s, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the first 16 hex digits as two unsigned big-endian words, as SQL reads the hex', () => {
    // md5('abc') = 90015098 3cd24fb0 …
    expect(md5Prefix('abc')).toEqual([0x90015098, 0x3cd24fb0]);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const hex = md5Hex(s);
        expect(md5Prefix(s)).toEqual([parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8, 16), 16)]);
      }),
    );
  });
});

/** murmur3's fmix32 in BigInt arithmetic, written from the reference (SMHasher MurmurHash3.cpp), independent of mix32. */
function fmix32Big(h: number): number {
  const M = 0xffffffffn;
  let x = BigInt(h >>> 0);
  x ^= x >> 16n;
  x = (x * 0x85ebca6bn) & M;
  x ^= x >> 13n;
  x = (x * 0xc2b2ae35n) & M;
  x ^= x >> 16n;
  return Number(x);
}

describe('the replicate hash', () => {
  it('mix32 is murmur3’s fmix32 (0 → 0; equal to an independent BigInt version on any word)', () => {
    expect(mix32(0)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (h) => {
        expect(mix32(h)).toBe(fmix32Big(h));
      }),
    );
  });

  it('is mix(mix(mix(seed ^ k1) ^ k2) ^ (b · 0x9e3779b1 mod 2³²)), as docs/design.md states for SQL', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.nat(100_000), fc.nat(), (k1, k2, b, seed) => {
        const salt = Number((BigInt(b) * 0x9e3779b1n) & 0xffffffffn);
        const expected = fmix32Big((fmix32Big((fmix32Big((seed ^ k1) >>> 0) ^ k2) >>> 0) ^ salt) >>> 0);
        expect(replicateHash(k1, k2, b, seed)).toBe(expected);
      }),
    );
  });
});

describe('the Poisson(1) thresholds', () => {
  it('are ⌊F(j) · 2³²⌋, F computed here in exact integer arithmetic to 60 digits', () => {
    const scale = 10n ** 60n;
    // e⁻¹ = Σ (−1)^k / k!, to 60 digits (the terms beyond k = 60 are below 10⁻⁸⁰).
    let inverseE = 0n;
    let factorial = 1n;
    for (let k = 0n; k < 60n; k++) {
      if (k > 0n) factorial *= k;
      inverseE += (k % 2n === 0n ? 1n : -1n) * (scale / factorial);
    }
    let cdf = 0n;
    factorial = 1n;
    const expected: number[] = [];
    for (let j = 0n; j < 12n; j++) {
      if (j > 0n) factorial *= j;
      cdf += inverseE / factorial;
      expected.push(Number((cdf * 2n ** 32n) / scale));
    }
    expect(POISSON_THRESHOLDS).toEqual(expected);
  });

  it('turn a uniform word into 0, 1, 2 … at the right edges', () => {
    const [t0, t1, t2] = POISSON_THRESHOLDS as [number, number, number];
    expect([poissonOf(0), poissonOf(t0 - 1), poissonOf(t0), poissonOf(t1 - 1), poissonOf(t1), poissonOf(t2)]).toEqual([0, 0, 1, 1, 2, 3]);
    expect(poissonOf(0xffffffff)).toBe(12);
  });
});

describe('replicateWeights', () => {
  const P = 40_000;
  const keys = Array.from({ length: P }, (_, i) => `patient-${i}`);

  it('draws Poisson(1): frequencies of 0–4 and the mean within 5 standard errors over 200,000 weights', () => {
    const weightsOf = replicateWeights('poisson', P, 11, keys);
    const w = new Float64Array(P);
    const freq = new Array<number>(13).fill(0);
    let sum = 0;
    for (let b = 0; b < 5; b++) {
      weightsOf(b, w);
      for (const x of w) {
        freq[x] = (freq[x] as number) + 1;
        sum += x;
      }
    }
    const n = 5 * P;
    let factorial = 1;
    for (let j = 0; j <= 4; j++) {
      if (j > 0) factorial *= j;
      const p = Math.exp(-1) / factorial;
      expect(Math.abs((freq[j] as number) - n * p), `weight ${j}`).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
    }
    // Poisson(1): mean 1, variance 1, so the mean of n weights has SE 1/√n.
    expect(Math.abs(sum / n - 1)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('gives a patient independent weights in different replicates, and neighbouring patients independent weights', () => {
    const weightsOf = replicateWeights('poisson', P, 3, keys);
    const a = new Float64Array(P);
    const b = new Float64Array(P);
    weightsOf(0, a);
    weightsOf(1, b);
    const corr = (x: Float64Array, y: Float64Array): number => {
      const mx = x.reduce((s, v) => s + v, 0) / x.length;
      const my = y.reduce((s, v) => s + v, 0) / y.length;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      x.forEach((v, i) => {
        sxy += (v - mx) * ((y[i] as number) - my);
        sxx += (v - mx) ** 2;
        syy += ((y[i] as number) - my) ** 2;
      });
      return sxy / Math.sqrt(sxx * syy);
    };
    // Under independence r has SE ≈ 1/√P = 0.005.
    expect(Math.abs(corr(a, b))).toBeLessThan(5 / Math.sqrt(P));
    expect(Math.abs(corr(a.subarray(1), a.subarray(0, P - 1)))).toBeLessThan(5 / Math.sqrt(P));
  });

  it('gives each patient the weight of its key alone: any subset, in any order, gets the weights it has in the whole', () => {
    const whole = new Float64Array(200);
    const all = keys.slice(0, 200);
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: 1 }), fc.nat(50), fc.nat(), (part, b, seed) => {
        replicateWeights('poisson', all.length, seed, all)(b, whole);
        const mine = new Float64Array(part.length);
        replicateWeights('poisson', part.length, seed, part)(b, mine);
        part.forEach((k, i) => {
          expect(mine[i]).toBe(whole[all.indexOf(k)]);
          expect(poissonWeight(k, b, seed)).toBe(mine[i]);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('multinomial: P draws with replacement from the seeded stream, in sequence, as ewskit always drew them', () => {
    const weightsOf = replicateWeights('multinomial', 50, 9);
    const w = new Int32Array(50);
    const rng = createRandom(9);
    for (let b = 0; b < 3; b++) {
      weightsOf(b, w);
      const expected = new Int32Array(50);
      for (let d = 0; d < 50; d++) {
        const p = rng.int(50);
        expected[p] = (expected[p] as number) + 1;
      }
      expect(w).toEqual(expected);
      expect(w.reduce((s, x) => s + x, 0)).toBe(50);
    }
  });

  it('refuses the Poisson scheme without one key per patient', () => {
    expect(() => replicateWeights('poisson', 3, 1, ['a', 'b'])).toThrow(/replicateWeights: the Poisson bootstrap needs one key per patient \(3\); received 2/);
  });
});
