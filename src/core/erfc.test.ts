import { describe, expect, it } from 'vitest';
import { erfc, normalInterval } from './erfc';

describe('erfc', () => {
  it('matches tabulated values and the reflection erfc(−x) = 2 − erfc(x)', () => {
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
    ];
    for (const [x, y] of table) expect(Math.abs(erfc(x) - y) / y).toBeLessThan(1e-13);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 15);
  });

  it('agrees with Simpson integration of the Gaussian density around the switch point', () => {
    const density = (t: number) => (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t);
    for (const x of [0.3, 1.7, 2.49, 2.5, 2.51, 3.3, 4.2]) {
      const upper = x + 12,
        steps = 20000,
        h = (upper - x) / steps;
      let s = density(x) + density(upper);
      for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * density(x + i * h);
      expect(Math.abs(erfc(x) - (s * h) / 3) / erfc(x)).toBeLessThan(1e-11);
    }
  });
});

describe('normalInterval', () => {
  it('keeps precision in both tails and sums to one over a partition', () => {
    expect(normalInterval(-Infinity, Infinity, 1)).toBe(1);
    expect(normalInterval(-1, 1, 1)).toBeCloseTo(1 - erfc(1 / Math.SQRT2), 14);
    // 10σ to 11σ, far below the double epsilon of 1; scipy.stats.norm.sf(10) − norm.sf(11)
    expect(Math.abs(normalInterval(10, 11, 1) / 7.61966195820302e-24 - 1)).toBeLessThan(1e-9);
    expect(normalInterval(-11, -10, 1)).toBe(normalInterval(10, 11, 1));
    const cuts = [-Infinity, -2, -0.3, 0, 0.7, 3, Infinity];
    let total = 0;
    for (let i = 0; i + 1 < cuts.length; i++) total += normalInterval(cuts[i]!, cuts[i + 1]!, 0.8);
    expect(total).toBeCloseTo(1, 14);
  });
});
