import { describe, expect, it } from 'vitest';
import { sampleByQuartile } from './sampling';

describe('sampleByQuartile', () => {
  const d = 400;
  const a = Float32Array.from({ length: d }, (_, i) => i / d);
  const b = Float32Array.from({ length: d }, (_, i) => i / d);

  it('takes n/4 distinct dimensions from each quartile, sorted by mean', () => {
    const picked = sampleByQuartile(a, b, 48, 1);
    expect(picked).toHaveLength(48);
    expect(new Set(picked).size).toBe(48);
    for (let q = 0; q < 4; q++) {
      expect(picked.filter((i) => i >= (q * d) / 4 && i < ((q + 1) * d) / 4)).toHaveLength(12);
    }
    expect([...picked].sort((x, y) => x - y)).toEqual(picked);
  });

  it('is reproducible from its seed', () => {
    expect(sampleByQuartile(a, b, 20, 5)).toEqual(sampleByQuartile(a, b, 20, 5));
    expect(sampleByQuartile(a, b, 20, 5)).not.toEqual(sampleByQuartile(a, b, 20, 6));
  });
});
