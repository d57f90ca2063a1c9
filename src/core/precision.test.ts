import { describe, expect, it } from 'vitest';
import { decodeTensor, encodeBf16, encodeF16 } from './dtypes';
import { modelPrecision, precisionProfile } from './precision';
import { seededRandom } from './random';
import type { LoadedModel } from './types';

describe('precisionProfile', () => {
  it('hand case around 0.75: BF16 half-ulp 2^-9 swallows ±0.001 but not ±0.01; F16 keeps both', () => {
    const v = [0.749, 0.751, 0.74, 0.76];
    const p = precisionProfile([v], 4);
    expect(p.mean[0]).toBeCloseTo(0.75, 15);
    expect(p.std[0]).toBeCloseTo(Math.sqrt((2 * 0.001 ** 2 + 2 * 0.01 ** 2) / 4), 15);
    expect(p.l2[0]).toBeCloseTo(Math.hypot(...v), 15);
    expect(p.sqrtD).toBe(2);
    expect(p.bf16.ulpAtMean[0]).toBe(2 ** -8);
    expect(p.f16.ulpAtMean[0]).toBe(2 ** -11);
    expect(p.bf16.lostShare[0]).toBe(0.5);
    expect(p.f16.lostShare[0]).toBe(0);
    expect(p.bf16.stdInUlps[0]).toBeCloseTo(p.std[0]! * 256, 12);
  });

  it('agrees with actually rounding mean + δ in each format', () => {
    const rand = seededRandom(4);
    for (const [center, spread] of [
      [0.75, 0.004],
      [0.09, 0.0003],
      [1.4, 0.01],
    ] as const) {
      const v = Array.from({ length: 4000 }, () => center + spread * (rand() * 2 - 1));
      const p = precisionProfile([v], v.length);
      const mean = p.mean[0]!;
      for (const [encode, dtype, share] of [
        [encodeBf16, 'BF16', p.bf16.lostShare[0]],
        [encodeF16, 'F16', p.f16.lostShare[0]],
      ] as const) {
        const meanStored = decodeTensor(encode([mean]), dtype)[0]!;
        const sums = decodeTensor(encode(v.map((x) => meanStored + (x - mean))), dtype);
        const swamped = sums.filter((s) => s === meanStored).length / v.length;
        expect(Math.abs(swamped - share!)).toBeLessThan(0.01);
      }
    }
  });

  it('marks missing layers NaN and reads a model role', () => {
    const m = {
      hiddenSize: 2,
      layers: [
        { index: 0, extra: false, label: '0', input: Float32Array.from([1, 3]) },
        { index: 1, extra: false, label: '1' },
      ],
    } as unknown as LoadedModel;
    const p = modelPrecision([m], 0, 'input');
    expect(p.mean).toEqual([2, NaN]);
    expect(p.bf16.lostShare[1]).toBeNaN();
    expect(p.model).toBe(0);
    expect(() => modelPrecision([m], 1, 'input')).toThrow(/No loaded model/);
  });
});
