// Seeded randomness for the whole app and its tests: one generator (mulberry32), one Fisher–Yates
// shuffle and one Box–Muller normal, so a seed means the same draws everywhere (nulls, the deep
// check, constructed models, the stand-in's drops).

/** A source of uniform draws in [0, 1). */
export type Random = () => number;

/** mulberry32: a small seeded PRNG, so a sample can be reproduced from its seed. */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates in place. Shuffling an already shuffled array is again uniform, so no reset is needed. */
export function shuffleInPlace(order: Int32Array | number[], random: Random): void {
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    const held = order[k] as number;
    order[k] = order[j] as number;
    order[j] = held;
  }
}

/**
 * k items drawn uniformly without replacement (all of them when there are fewer), by a partial
 * Fisher–Yates from the front: the first k places of `pool` (reordered in place) are the sample.
 */
export function sampleWithoutReplacement<T>(pool: T[], k: number, random: Random): T[] {
  const n = Math.min(k, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/** 0, 1, …, n−1. */
export function identityOrder(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, k) => k);
}

/** A uniform permutation of 0 … n−1. */
export function shuffledOrder(n: number, random: Random): Int32Array {
  const order = identityOrder(n);
  shuffleInPlace(order, random);
  return order;
}

/** One standard normal draw by Box–Muller (its cosine half); 1 − u keeps the log finite. */
export function standardNormal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Standard normal draws from a seed. */
export function gaussian(seed: number): () => number {
  const random = seededRandom(seed);
  return () => standardNormal(random);
}
