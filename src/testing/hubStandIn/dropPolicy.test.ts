import { describe, expect, it } from 'vitest';
import { dropAtRandom } from './dropPolicy.ts';

describe('dropRandom', () => {
  it('drops about p of the answers, the same range as often as chance says, repeatably per period', () => {
    const faults = { dropRandom: 0.2, dropSeed: 42 };
    const run = () => {
      const period = {};
      return Array.from({ length: 10_000 }, () => dropAtRandom(period, faults));
    };
    const a = run();
    expect(run()).toEqual(a);
    const rate = a.filter(Boolean).length / a.length;
    expect(rate).toBeGreaterThan(0.18);
    expect(rate).toBeLessThan(0.22);
    // runs of ≥ 3 drops happen (dropEvery never allows them for one range): ~ 10⁴ · 0.8 · 0.2³ ≈ 64
    let longest = 0;
    let current = 0;
    for (const dropped of a) {
      current = dropped ? current + 1 : 0;
      longest = Math.max(longest, current);
    }
    expect(longest).toBeGreaterThanOrEqual(3);
    expect(dropAtRandom({}, { dropRandom: 0, dropSeed: 1 })).toBe(false);
  });
});
