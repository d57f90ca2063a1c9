import { describe, expect, it } from 'vitest';
import { rgb } from 'd3-color';
import { cellAt, colorScaleFor, heatmapPixels, layerTicks } from './heatmapModel';

describe('heatmapModel', () => {
  it('centres the Pearson scale on 0 and gives raw cosine its own range', () => {
    const r = colorScaleFor('pearson', [-0.02, 0.05, Number.NaN], 'auto');
    expect(r.domain).toEqual([-0.05, 0.05]);
    expect(colorScaleFor('pearson', [0.3], 'fixed').domain).toEqual([-1, 1]);
    const c = colorScaleFor('cosine', [0.94, 0.99], 'auto');
    expect(c.domain).toEqual([0.94, 0.99]);
  });

  it('paints each cell with its scale colour (within one lookup step) and NaN grey', () => {
    const scale = colorScaleFor('pearson', [-1, 1], 'fixed');
    const px = heatmapPixels([-1, 0, 1, Number.NaN], 2, 2, scale);
    for (const [k, v] of [
      [0, -1],
      [1, 0],
      [2, 1],
    ] as const) {
      const want = rgb(scale.color(v));
      expect(Math.abs(px[k * 4]! - want.r)).toBeLessThanOrEqual(1);
      expect(Math.abs(px[k * 4 + 1]! - want.g)).toBeLessThanOrEqual(1);
      expect(Math.abs(px[k * 4 + 2]! - want.b)).toBeLessThanOrEqual(1);
      expect(px[k * 4 + 3]).toBe(255);
    }
    expect(Array.from(px.slice(12, 16))).toEqual([200, 200, 200, 255]);
  });

  it('scales of one ramp share a lookup table, whatever their domain', () => {
    for (const [metric, values] of [
      ['pearson', [-0.02, 0.05]],
      ['cosine', [0.94, 0.99]],
      ['cosine', [0.5, 0.6]],
    ] as const) {
      const scale = colorScaleFor(metric, values, 'auto');
      const [lo, hi] = scale.domain;
      const px = heatmapPixels([lo, (lo + hi) / 2, hi], 1, 3, scale);
      for (const [k, v] of [
        [0, lo],
        [1, (lo + hi) / 2],
        [2, hi],
      ] as const) {
        const want = rgb(scale.color(v));
        expect(Math.abs(px[k * 4]! - want.r)).toBeLessThanOrEqual(1);
        expect(Math.abs(px[k * 4 + 1]! - want.g)).toBeLessThanOrEqual(1);
        expect(Math.abs(px[k * 4 + 2]! - want.b)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('finds the cell under a point and keeps ticks readable', () => {
    expect(cellAt(0, 0, 100, 50, 10, 20)).toEqual([0, 0]);
    expect(cellAt(99.9, 49.9, 100, 50, 10, 20)).toEqual([9, 19]);
    expect(cellAt(-1, 0, 100, 50, 10, 20)).toBeNull();
    expect(layerTicks(46)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(layerTicks(128).at(-1)).toBe(120);
  });
});
