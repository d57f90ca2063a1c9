import { describe, expect, it } from 'vitest';
import {
  gaussian,
  identityOrder,
  sampleWithoutReplacement,
  seededRandom,
  shuffledOrder,
  shuffleInPlace,
  standardNormal,
} from './random';

describe('seededRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
  it('is mulberry32: the first draw of seed 0 worked by hand', () => {
    // s = 0x6d2b79f5; t = imul(s ^ s>>>15, s|1); t ^= t + imul(t ^ t>>>7, t|61); (t ^ t>>>14) >>> 0
    let t = 0x6d2b79f5;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    expect(seededRandom(0)()).toBe(((t ^ (t >>> 14)) >>> 0) / 2 ** 32);
    expect(seededRandom(0)()).toBeCloseTo(0.26642920868471265, 15);
  });
});

describe('shuffles', () => {
  it('Fisher–Yates draws j = ⌊u·(k+1)⌋ from the top: a scripted u gives a known order', () => {
    // u = 0 always swaps k with 0: [0,1,2,3] → k=3: [3,1,2,0] → k=2: [2,1,3,0] → k=1: [1,2,3,0]
    const order = identityOrder(4);
    shuffleInPlace(order, () => 0);
    expect(Array.from(order)).toEqual([1, 2, 3, 0]);
    // u just below 1 never moves anything
    const kept = [0, 1, 2, 3];
    shuffleInPlace(kept, () => 0.999999);
    expect(kept).toEqual([0, 1, 2, 3]);
  });
  it('is uniform over the 6 orders of 3 (chi-square, 6000 draws)', () => {
    const random = seededRandom(11);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = Array.from(shuffledOrder(3, random)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(20.5); // χ²(5) 0.999 quantile
  });
});

describe('sampleWithoutReplacement', () => {
  it('swaps place i with i + ⌊u·(n−i)⌋ from the front: a scripted u gives a known sample', () => {
    // u = 0.5 on [a,b,c,d,e]: i=0 → j=2: [c,b,a,d,e]; i=1 → j=1+⌊0.5·4⌋=3: [c,d,a,b,e]
    expect(sampleWithoutReplacement(['a', 'b', 'c', 'd', 'e'], 2, () => 0.5)).toEqual(['c', 'd']);
    expect(sampleWithoutReplacement([1, 2], 5, () => 0)).toEqual([1, 2]);
  });
  it('gives every item the same chance k/n (5000 draws of 2 of 5)', () => {
    const random = seededRandom(21),
      hits = [0, 0, 0, 0, 0];
    for (let t = 0; t < 5000; t++) for (const x of sampleWithoutReplacement([0, 1, 2, 3, 4], 2, random)) hits[x]!++;
    for (const h of hits) expect(Math.abs(h - 2000)).toBeLessThan(150); // sd ≈ 35
  });
});

describe('normals', () => {
  it('is Box–Muller on 1 − u and v', () => {
    const draws = [0.75, 0.125];
    let i = 0;
    expect(standardNormal(() => draws[i++]!)).toBe(Math.sqrt(-2 * Math.log(0.25)) * Math.cos(Math.PI / 4));
  });
  it('has mean 0 and variance 1 over many draws', () => {
    const normal = gaussian(3);
    const xs = Array.from({ length: 40_000 }, normal);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });
});
