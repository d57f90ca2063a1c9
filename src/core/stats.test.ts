import { describe, expect, it } from 'vitest';
import { histogram, layerStats, permutationPValue, quantiles, sampleMoments } from './stats';

describe('layerStats', () => {
  it('computes numpy-style statistics by hand', () => {
    const s = layerStats(new Float32Array([1, 2, 3, 4]));
    expect(s).toEqual({ mean: 2.5, std: Math.sqrt(1.25), min: 1, max: 4, l2: Math.sqrt(30) });
  });

  it('keeps the small spread of γ ≈ 1 ± 0.01 (two-pass variance)', () => {
    const v = Float32Array.from({ length: 4096 }, (_, i) => (i % 2 ? 1 + 2 ** -10 : 1 - 2 ** -10));
    const s = layerStats(v);
    expect(s.mean).toBe(1);
    expect(s.std).toBe(2 ** -10); // exact: every deviation is ±2^-10
    expect([s.min, s.max]).toEqual([1 - 2 ** -10, 1 + 2 ** -10]);
  });

  it('handles negatives, a single value and the empty vector', () => {
    expect(layerStats([-3, 4])).toEqual({ mean: 0.5, std: 3.5, min: -3, max: 4, l2: 5 });
    expect(layerStats([7])).toEqual({ mean: 7, std: 0, min: 7, max: 7, l2: 7 });
    const empty = layerStats([]);
    expect(empty.mean).toBeNaN();
    expect(empty.l2).toBe(0);
  });
});

describe('histogram', () => {
  const sample = [-0.3, 0, 0.1, 0.2, 0.5, 0.99, 1.0, 2.0, 2.5, NaN];

  it('bins half-open intervals, the last one closed, and reports what it left out', () => {
    const h = histogram(sample, 4, 0, 2);
    expect(Array.from(h.edges)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(Array.from(h.values)).toEqual([3, 2, 1, 1]); // 1.0 opens bin 2; 2.0 closes bin 3
    expect([h.inRange, h.below, h.above, h.nan, h.density]).toEqual([7, 1, 1, 1, false]);
  });

  it('density integrates to one over the range', () => {
    const h = histogram(sample, 4, 0, 2, { density: true });
    expect(h.values[0]).toBeCloseTo(3 / 0.5 / 7, 15);
    expect(Array.from(h.values).reduce((s, d) => s + d * 0.5, 0)).toBeCloseTo(1, 14);
  });

  it('follows the linspace edges where decimal steps round (numpy: 0.3 lands in [0.2, 0.3))', () => {
    // edge 3 is 3·0.1 = 0.30000000000000004 > 0.3, and edge 7 is 0.7000000000000001 > 0.7
    const h = histogram([0.1, 0.2, 0.3, 0.7], 10, 0, 1);
    expect(Array.from(h.values)).toEqual([0, 1, 2, 0, 0, 0, 1, 0, 0, 0]);
    expect(h.edges[10]).toBe(1);
  });

  it('matches the ridge-plot setting of the reference scripts (60 bins over [-0.2, 2.0])', () => {
    const h = histogram(
      Float32Array.from({ length: 4096 }, (_, i) => i / 2048),
      60,
      -0.2,
      2.0,
      { density: true },
    );
    expect(h.edges).toHaveLength(61);
    expect(h.inRange + h.above).toBe(4096);
    const area = Array.from(h.values).reduce(
      (s, d, b) => s + d * ((h.edges[b + 1] as number) - (h.edges[b] as number)),
      0,
    );
    expect(area).toBeCloseTo(1, 12);
  });

  it('rejects bad bins and ranges', () => {
    expect(() => histogram([1], 0, 0, 1)).toThrow(/positive whole number of bins/);
    expect(() => histogram([1], 2.5, 0, 1)).toThrow(/bins/);
    expect(() => histogram([1], 4, 1, 1)).toThrow(/lo < hi/);
    expect(() => histogram([1], 4, 0, Infinity)).toThrow(/finite/);
  });
});

describe('quantiles', () => {
  it('interpolates linearly like numpy.quantile', () => {
    // sorted: 1 1 2 3 4 5 6 9; position (n−1)q = 7q
    const q = quantiles([3, 1, 4, 1, 5, 9, 2, 6], [0, 0.1, 0.25, 0.5, 0.9, 1]);
    expect(q[0]).toBe(1);
    expect(q[1]).toBe(1); // between 1 and 1
    expect(q[2]).toBe(1.75); // 1 + 0.75·(2 − 1)
    expect(q[3]).toBe(3.5);
    expect(q[4]).toBeCloseTo(6.9, 14); // 6 + 0.3·(9 − 6)
    expect(q[5]).toBe(9);
  });

  it('returns NaN for empty or NaN-holding data and rejects q outside [0, 1]', () => {
    expect(quantiles([], [0.5])).toEqual([NaN]);
    expect(quantiles([1, NaN, 3], [0, 0.5])).toEqual([NaN, NaN]);
    expect(quantiles([5], [0, 0.5, 1])).toEqual([5, 5, 5]);
    expect(() => quantiles([1, 2], [1.5])).toThrow(/\[0, 1\]/);
    expect(() => quantiles([1, 2], [NaN])).toThrow(/\[0, 1\]/);
  });

  it('does not reorder the caller’s data', () => {
    const data = new Float32Array([3, 1, 2]);
    quantiles(data, [0.5]);
    expect(Array.from(data)).toEqual([3, 1, 2]);
  });
});

describe('permutationPValue', () => {
  it('counts the observed arrangement as a draw: never 0, 1 when every draw reaches it', () => {
    expect(permutationPValue(0, 999)).toBe(0.001);
    expect(permutationPValue(999, 999)).toBe(1);
    expect(permutationPValue(49, 199)).toBe(0.25);
  });
});

describe('sampleMoments', () => {
  it('gives the mean and the n − 1 sd of the finite values, worked by hand', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, sample variance 32/7
    const m = sampleMoments([2, 4, NaN, 4, 4, 5, Infinity, 5, 7, 9]);
    expect(m.count).toBe(8);
    expect(m.mean).toBe(5);
    expect(m.sd).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });
  it('has no sd below two values', () => {
    expect(sampleMoments([3])).toEqual({ mean: 3, sd: NaN, count: 1 });
    expect(sampleMoments([])).toEqual({ mean: NaN, sd: NaN, count: 0 });
  });
});
