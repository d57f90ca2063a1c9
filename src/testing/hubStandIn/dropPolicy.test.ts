import { describe, expect, it } from 'vitest';
import { createDropDecider } from './dropPolicy.ts';

describe('drop decider', () => {
  it('dropEvery never drops the same range three times in a row', () => {
    const d = createDropDecider();
    const faults = { dropEvery: 1, dropRandom: 0, dropSeed: 1 };
    expect([1, 2, 3, 4].map(() => d.shouldDrop('f 0-9', faults))).toEqual([true, true, false, true]);
  });

  it('dropRandom drops about p of the answers, the same range as often as chance says, repeatably', () => {
    const faults = { dropEvery: 0, dropRandom: 0.2, dropSeed: 42 };
    const run = () => {
      const d = createDropDecider(42);
      return Array.from({ length: 10_000 }, () => d.shouldDrop('same range', faults));
    };
    const a = run();
    expect(run()).toEqual(a);
    const rate = a.filter(Boolean).length / a.length;
    expect(rate).toBeGreaterThan(0.18);
    expect(rate).toBeLessThan(0.22);
    // runs of ≥ 3 drops of one range happen (dropEvery never allows them): ~ 10⁴ · 0.8 · 0.2³ ≈ 64
    let longest = 0;
    let run3 = 0;
    for (const dropped of a) {
      run3 = dropped ? run3 + 1 : 0;
      longest = Math.max(longest, run3);
    }
    expect(longest).toBeGreaterThanOrEqual(3);
  });
});
