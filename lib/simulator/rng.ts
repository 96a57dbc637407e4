/**
 * Counter-based randomness: every draw is a pure function of (seed, keys), so a campaign's noise
 * on a day is the same whatever the policy did before it. Two policies run on one seed therefore
 * meet the same market (common random numbers), and their difference is the policy's alone.
 */

// murmur3's finaliser: a cheap, well-mixed 32-bit avalanche.
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of the seed and integer keys (negative keys are fine). */
export function hash32(seed: number, ...keys: number[]): number {
  let h = fmix((seed | 0) ^ 0x9e3779b9);
  for (const k of keys) h = fmix((h ^ (k | 0)) + 0x6d2b79f5 + Math.imul(h, 31));
  return h;
}

/** Uniform in [0, 1). */
export function uniform(seed: number, ...keys: number[]): number {
  return hash32(seed, ...keys) / 4294967296;
}

/** Standard normal (Box-Muller over two independent uniforms). */
export function normal(seed: number, ...keys: number[]): number {
  const u1 = 1 - uniform(seed, ...keys, 1); // (0, 1]: log stays finite
  const u2 = uniform(seed, ...keys, 2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Uniform in [lo, hi). */
export function between(lo: number, hi: number, seed: number, ...keys: number[]): number {
  return lo + (hi - lo) * uniform(seed, ...keys);
}

/** Independent streams, so adding a draw to one never shifts another. */
export const STREAM = {
  setup: 1,
  noise: 2,
  delivery: 3,
  drift: 4,
  restatement: 5,
  adsetSetup: 6,
  adsetNoise: 7,
  adsetDelivery: 8,
  metaValue: 9,
} as const;
