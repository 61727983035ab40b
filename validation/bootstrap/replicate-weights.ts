/**
 * How often each patient (cluster) counts in bootstrap replicate b. Two schemes, one interface:
 *
 * - `multinomial` — draw P patients with replacement from one seeded stream (the classic cluster bootstrap; the
 *   replicates depend on the order of the patients and must be drawn in sequence, in one place).
 * - `poisson` — patient p counts Poisson(1) times in replicate b, the count a pure function of (the patient's key, b,
 *   seed): the same wherever and in whatever order it is computed — in JavaScript or in SQL, in one process or in
 *   partitions whose count tables are added afterwards. Weights of different patients are independent, so a
 *   replicate's total weight varies around P (Hanley & MacGibbon, Comput Methods Programs Biomed 2006; Chamandy et
 *   al., "Estimating uncertainty for massive data streams", Google 2012).
 *
 * The Poisson weight, exactly (so that SQL can reproduce it; unsigned 32-bit arithmetic, × and + modulo 2³²):
 *
 *   k1, k2 = hex digits 1–8 and 9–16 of md5(key) as unsigned integers     (key: the patient key as text, UTF-8)
 *   mix(h) = murmur3's finaliser: h ^= h >> 16; h ×= 0x85ebca6b; h ^= h >> 13; h ×= 0xc2b2ae35; h ^= h >> 16
 *   h = mix(mix(mix(seed ^ k1) ^ k2) ^ (b × 0x9e3779b1))                    (seed mod 2³², b = 0…B−1)
 *   weight = #{ j : h ≥ T_j },  T_j = ⌊F(j) · 2³²⌋ with F the Poisson(1) distribution function, j = 0…11
 *
 * so P(weight = w) is Poisson(1)'s to within 2⁻³² (weights above 12, probability < 10⁻¹⁰, are 12).
 */
import { createRandom } from '../stats/random.js';
import { md5Prefix } from '../stats/md5.js';

/** The bootstrap schemes (`bootstrap.method` of `validate`). */
export const BOOTSTRAP_METHODS = ['poisson', 'multinomial'] as const;
export type BootstrapMethod = (typeof BOOTSTRAP_METHODS)[number];

/**
 * T_j = ⌊F(j) · 2³²⌋ for j = 0…11, F the Poisson(1) distribution function, computed once to 60 significant digits
 * (F(j) = e⁻¹ Σ_{i ≤ j} 1/i!): e.g. T_0 = ⌊2³² / e⌋ = 1,580,030,168.
 */
export const POISSON_THRESHOLDS: readonly number[] = [
  1580030168, 3160060337, 3950075421, 4213413783, 4279248373, 4292415291, 4294609777, 4294923276, 4294962463, 4294966817, 4294967252, 4294967292,
];

/** murmur3's 32-bit finaliser (a bijection with full avalanche). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The two key words of a patient key (md5 of its text). */
export function keyWords(key: string | number): [number, number] {
  return md5Prefix(String(key));
}

/** The hash of (key words, seed, replicate) as the module comment defines it, an unsigned 32-bit integer. */
export function replicateHash(k1: number, k2: number, b: number, seed: number): number {
  return mix32(mix32(mix32((seed >>> 0) ^ k1) ^ k2) ^ Math.imul(b, 0x9e3779b1));
}

/** Poisson(1) by inverse distribution function from a uniform unsigned 32-bit h. */
export function poissonOf(h: number): number {
  let w = 0;
  for (const t of POISSON_THRESHOLDS) w += h >= t ? 1 : 0;
  return w;
}

/**
 * Patient p's weight in replicate b of the Poisson bootstrap.
 *
 * @example poissonWeight('patient-17', 0, 1); // 0, 1, 2, … — the same in SQL (see docs/design.md)
 */
export function poissonWeight(key: string | number, b: number, seed: number): number {
  const [k1, k2] = keyWords(key);
  return poissonOf(replicateHash(k1, k2, b, seed));
}

/** Fills `weights` (one per patient) with replicate b's counts; replicates must be asked for in order 0, 1, 2, … */
export type ReplicateWeights = (b: number, weights: Float64Array | Int32Array) => void;

/**
 * The weights of every replicate for P patients.
 *
 * @param method `poisson` (needs `keys`) or `multinomial`
 * @param patients P
 * @param seed the bootstrap seed
 * @param keys per patient index, its key (the patient id as text) — what the Poisson weight hashes
 * @returns a function filling replicate b's weights; multinomial replicates are drawn in sequence from one stream
 *   exactly as ewskit always drew them (same seed → same resamples as before the Poisson scheme existed)
 */
export function replicateWeights(method: BootstrapMethod, patients: number, seed: number, keys?: readonly (string | number)[]): ReplicateWeights {
  if (method === 'multinomial') {
    const rng = createRandom(seed);
    return (_b, weights) => {
      weights.fill(0);
      for (let d = 0; d < patients; d++) {
        const p = rng.int(patients);
        weights[p] = (weights[p] as number) + 1;
      }
    };
  }
  if (keys === undefined || keys.length !== patients)
    throw new TypeError(`replicateWeights: the Poisson bootstrap needs one key per patient (${patients}); received ${keys?.length ?? 'none'}.`);
  const k1 = new Uint32Array(patients);
  const k2 = new Uint32Array(patients);
  keys.forEach((key, p) => {
    const [a, c] = keyWords(key);
    k1[p] = a;
    k2[p] = c;
  });
  // The part of the hash before the replicate, once per patient.
  const s = seed >>> 0;
  const pre = Uint32Array.from(k1, (a, p) => mix32(mix32(s ^ a) ^ (k2[p] as number)));
  const t = POISSON_THRESHOLDS;
  return (b, weights) => {
    const salt = Math.imul(b, 0x9e3779b1);
    for (let p = 0; p < patients; p++) {
      const h = mix32((pre[p] as number) ^ salt);
      // Unrolled to the thresholds that matter for speed; the rest are rare (P(h ≥ T_3) ≈ 1.9 %).
      let w = (h >= (t[0] as number) ? 1 : 0) + (h >= (t[1] as number) ? 1 : 0) + (h >= (t[2] as number) ? 1 : 0);
      if (h >= (t[3] as number)) w = poissonOf(h);
      weights[p] = w;
    }
  };
}
