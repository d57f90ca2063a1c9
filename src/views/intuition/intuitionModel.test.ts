import { describe, expect, it } from 'vitest';
import { cosine, pearson } from '../../core/metrics';
import { gammaVector, testModel } from '../kit2d/testModels';
import {
  diagonalOf,
  highestCosineLayer,
  intuitionLayout,
  parseSeed,
  resolveLayer,
  sampleAt,
  SAMPLE_SIZE,
} from './intuitionModel';
import type { DiagonalPoint } from './intuitionModel';

const diagonal: DiagonalPoint[] = [
  { layer: 0, cosine: 0.2, pearson: 0.01 },
  { layer: 1, cosine: 0.97, pearson: -0.02 },
  { layer: 2, cosine: NaN, pearson: NaN },
  { layer: 3, cosine: 0.99, pearson: 0.03 },
];

describe('intuition layer and seed', () => {
  it('defaults to the highest raw cosine, skipping layers without values', () => {
    expect(highestCosineLayer(diagonal)).toBe(3);
    expect(resolveLayer('', diagonal)).toBe(3);
    expect(resolveLayer('1', diagonal)).toBe(1);
    expect(resolveLayer('2', diagonal)).toBe(3); // NaN layer: not selectable
    expect(resolveLayer('9', diagonal)).toBe(3);
    expect(resolveLayer('x', diagonal)).toBe(3);
    expect(highestCosineLayer([])).toBeNull();
  });
  it('parses seeds', () => {
    expect(parseSeed('')).toBe(1);
    expect(parseSeed('7')).toBe(7);
    expect(parseSeed('-3')).toBe(1);
    expect(parseSeed('1.5')).toBe(1);
  });
});

describe('intuitionLayout', () => {
  const a = gammaVector(4096, 0.35, 0.03, 1);
  const b = gammaVector(4096, 0.8, 0.05, 2);
  const layout = intuitionLayout({ a, b, diagonal, layer: 3, seed: 5 });

  it('prints cos and r over all dimensions, not the sample', () => {
    expect(layout.cos).toBeCloseTo(cosine(a, b), 12);
    expect(layout.r).toBeCloseTo(pearson(a, b), 12);
    expect(layout.raw.stat[0]).toBe(`cos = ${cosine(a, b).toFixed(4)} (all 4096 dims)`);
    expect(layout.centred.stat[0]).toBe(`r = ${pearson(a, b).toFixed(4)} (all 4096 dims)`);
    // unrelated vectors: the means alone explain the cosine
    expect(Math.abs(layout.cosAtZeroR - layout.cos)).toBeLessThan(0.002);
  });

  it('draws two bars per sampled dimension, the centred ones around zero', () => {
    // n/4 per quartile, as the seed's script draws: 4 × 12 = 48 of the "50"
    const n = 4 * Math.floor(SAMPLE_SIZE / 4);
    expect(layout.dims).toHaveLength(n);
    expect(new Set(layout.dims).size).toBe(n);
    expect(layout.raw.bars).toHaveLength(2 * n);
    for (const bar of layout.raw.bars) {
      expect(bar.value).toBe(bar.series === 0 ? a[bar.dim] : b[bar.dim]);
      expect(bar.y + bar.height).toBeCloseTo(layout.raw.zeroY, 9); // positive γ rises from 0
    }
    const centred = layout.centred.bars.filter((x) => x.series === 1);
    expect(centred.reduce((s, x) => s + x.value, 0) / centred.length).toBeLessThan(0.05);
    expect(layout.centred.bars.some((x) => x.value < 0)).toBe(true);
  });

  it('marks γ = 1 in (a) and the layer in (c); a new seed draws other dimensions', () => {
    expect(layout.raw.initY).not.toBeNull();
    expect(layout.raw.initY!).toBeLessThan(layout.raw.zeroY);
    expect(layout.centred.initY).toBeNull();
    expect(layout.perLayer.marker).not.toBeNull();
    expect(layout.perLayer.paths.map((p) => p.points.length)).toEqual([3, 3]); // the NaN layer leaves a gap
    const other = intuitionLayout({ a, b, diagonal, layer: 3, seed: 6 });
    expect(other.dims).not.toEqual(layout.dims);
    expect(other.cos).toBe(layout.cos);
  });

  it('finds the sampled dimension under the pointer', () => {
    const slot = layout.raw.slots[7]!;
    expect(sampleAt(layout.raw, (slot.x0 + slot.x1) / 2)).toBe(7);
    expect(sampleAt(layout.raw, -10)).toBeNull();
  });

  it('refuses vectors of different length', () => {
    expect(() => intuitionLayout({ a, b: b.subarray(0, 10), diagonal, layer: 3, seed: 1 })).toThrow(/differ in length/);
  });
});

describe('diagonalOf', () => {
  it('pairs same-index layers up to the shorter model and leaves gaps for missing roles', () => {
    const v = (s: number) => gammaVector(64, 0.5, 0.1, s);
    const a = testModel('a', [{ input: v(1) }, { input: v(2) }, { post: v(3) }]);
    const b = testModel('b', [{ input: v(1) }, { input: v(4) }, { input: v(5) }, { input: v(6) }]);
    const d = diagonalOf(a, b, 'input');
    expect(d).toHaveLength(3);
    expect(d[0]!.pearson).toBeCloseTo(1, 12);
    expect(d[1]!.cosine).toBeCloseTo(cosine(v(2), v(4)), 12);
    expect(Number.isNaN(d[2]!.cosine)).toBe(true);
  });
});
