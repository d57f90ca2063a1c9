import { describe, expect, it } from 'vitest';
import { seededRandom, shuffledOrder } from '../random';
import { fixedPointTail, logRencontresPmf } from './rencontres';
import { maxWeightMatching } from './hungarian';

describe('rencontres distribution', () => {
  it('matches hand-derived counts: D(4) = 9, permutations of 4 by fixed points 9, 8, 6, 0, 1', () => {
    const pmf = Array.from(logRencontresPmf(4), Math.exp);
    [9, 8, 6, 0, 1].forEach((count, j) => expect(pmf[j]).toBeCloseTo(count / 24, 14));
  });
  it('sums to one and tends to Poisson(1) for large k', () => {
    const pmf = Array.from(logRencontresPmf(200), Math.exp);
    expect(pmf.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(pmf[3]).toBeCloseTo(Math.exp(-1) / 6, 12);
  });
  it('tail of a sum of two layers matches brute-force enumeration of all 3!·3! pairs', () => {
    // fixed points of permutations of 3: 0 → 2, 1 → 3, 3 → 1 (of 6)
    const f3 = [2, 3, 0, 1];
    for (let t = 0; t <= 6; t++) {
      let hits = 0;
      for (let x = 0; x <= 3; x++) for (let y = 0; y <= 3; y++) if (x + y >= t) hits += f3[x]! * f3[y]!;
      expect(fixedPointTail([3, 3], t).p).toBeCloseTo(hits / 36, 14);
    }
  });
  it('keeps the size of tails far below float64 range in log10', () => {
    // all 100 units of a layer fixed: p = 1/100!, log10 = −157.97; four such layers: ≈ −631.9
    const { log10p } = fixedPointTail([100, 100, 100, 100], 400);
    expect(log10p).toBeCloseTo(-4 * 157.97000365471578, 6);
  });
  it('is what a simulation of uniform permutations gives', () => {
    const random = seededRandom(3);
    let atLeast3 = 0;
    const draws = 20000;
    for (let d = 0; d < draws; d++) {
      let fixed = 0;
      for (const k of [10, 20]) {
        fixed += shuffledOrder(k, random).filter((v, i) => v === i).length;
      }
      if (fixed >= 3) atLeast3++;
    }
    const exact = fixedPointTail([10, 20], 3).p;
    expect(Math.abs(atLeast3 / draws - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / draws));
  });
});

describe('maxWeightMatching', () => {
  it('finds the optimum that brute force finds on small random matrices', () => {
    const random = seededRandom(11);
    const perms = (n: number): number[][] =>
      n === 1
        ? [[0]]
        : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + (trial % 6);
      const score = Float64Array.from({ length: n * n }, () => random() * 2 - 1);
      const total = (m: ArrayLike<number>) => Array.from(m).reduce((s, j, i) => s + score[i * n + j]!, 0);
      const best = Math.max(...perms(n).map(total));
      expect(total(maxWeightMatching(score, n))).toBeCloseTo(best, 12);
    }
  });
  it('recovers a planted permutation', () => {
    const n = 200,
      random = seededRandom(5);
    const planted = Array.from({ length: n }, (_, i) => (i * 71 + 3) % n);
    const score = Float64Array.from({ length: n * n }, (_, at) =>
      planted[Math.floor(at / n)] === at % n ? 0.5 + random() * 0.1 : random() * 0.6 - 0.3,
    );
    expect(Array.from(maxWeightMatching(score, n))).toEqual(planted);
  });
});
