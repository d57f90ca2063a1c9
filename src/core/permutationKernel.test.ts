import { describe, expect, it } from 'vitest';
import { centerToUnitLength, standardizeRows } from './permutationKernel';

describe('centerToUnitLength', () => {
  it('centres and scales one segment in place, worked by hand, leaving the rest alone', () => {
    // [1, 2, 3]: mean 2, centred [−1, 0, 1], length √2
    const v = Float64Array.from([9, 1, 2, 3, 9]);
    expect(centerToUnitLength(v, 1, 3)).toBe(true);
    expect(Array.from(v)).toEqual([9, -1 / Math.SQRT2, 0, 1 / Math.SQRT2, 9]);
  });
  it('turns a constant or NaN segment into zeros and says so', () => {
    const v = Float64Array.from([5, 5, 5, NaN, 1]);
    expect(centerToUnitLength(v, 0, 3)).toBe(false);
    expect(centerToUnitLength(v, 3, 2)).toBe(false);
    expect(Array.from(v)).toEqual([0, 0, 0, 0, 0]);
  });
  it('keeps γ-like rows near a large mean exact enough that a row with itself gives r = 1', () => {
    const row = Float32Array.from({ length: 4096 }, (_, k) => 1 + 0.01 * Math.sin(k));
    const { values, valid } = standardizeRows([row, row], 4096);
    expect(valid).toEqual([true, true]);
    let r = 0;
    for (let k = 0; k < 4096; k++) r += values[k]! * values[4096 + k]!;
    expect(r).toBeCloseTo(1, 12);
  });
});
