import { describe, expect, it } from 'vitest';
import { ridgeView, robustRange } from './ridge';
import { seededRandom } from './random';
import type { LoadedModel } from './types';

function model(layers: number[][]): LoadedModel {
  return {
    hiddenSize: layers[0]!.length,
    layers: layers.map((v, index) => ({ index, extra: false, label: String(index), input: Float32Array.from(v) })),
  } as unknown as LoadedModel;
}

describe('ridgeView', () => {
  it('hand case: density over all values, area = share inside the range', () => {
    const m = model([[0, 0.25, 0.5, 0.75, 1]]);
    const full = ridgeView([m], [0], 'input', { bins: 4, range: [0, 1], layerStep: 1 });
    expect(full.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(full.series[0]!.layers[0]!.density).toEqual([0.8, 0.8, 0.8, 1.6]); // the last bin includes 1
    const half = ridgeView([m], [0], 'input', { bins: 2, range: [0, 0.5], layerStep: 1 });
    const layer = half.series[0]!.layers[0]!;
    expect(layer.density).toEqual([0.8, 1.6]);
    expect(layer.above).toBeCloseTo(0.4, 15);
    expect(layer.density.reduce((s, x) => s + x * 0.25, 0)).toBeCloseTo(0.6, 15);
    expect(half.maxDensity).toBe(1.6);
  });

  it('shares one grid across models and keeps every layerStep-th layer', () => {
    const rand = seededRandom(2);
    const a = model(Array.from({ length: 7 }, (_, l) => Array.from({ length: 2000 }, () => 0.1 * l + rand() * 0.1)));
    const b = model(Array.from({ length: 4 }, () => Array.from({ length: 2000 }, () => 1 + rand())));
    const view = ridgeView([a, b], [0, 1], 'input', { bins: 30, layerStep: 3 });
    expect(view.series.map((s) => s.layers.map((l) => l.layer))).toEqual([
      [0, 3, 6],
      [0, 3],
    ]);
    expect(view.edges).toHaveLength(31);
    expect(view.lo).toBeLessThan(0.01);
    expect(view.hi).toBeGreaterThan(1.99);
    // naive reference for one layer: count by floor((x − lo)/width), clamped into the last bin at hi
    const width = (view.hi - view.lo) / 30;
    const values = a.layers[3]!.input!;
    const counts = new Array<number>(30).fill(0);
    for (const x of values)
      if (x >= view.lo && x <= view.hi) counts[Math.min(29, Math.floor((x - view.lo) / width))]!++;
    view.series[0]!.layers[1]!.density.forEach((dens, i) =>
      expect(dens).toBeCloseTo(counts[i]! / values.length / width, 6),
    );
  });

  it('takes a robust range that ignores a few outlier channels', () => {
    const v = Array.from({ length: 5000 }, (_, i) => (i < 3 ? 100 : (i % 1000) / 1000));
    const [lo, hi] = robustRange([v], 0.001);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(robustRange([[2, 2, 2]], 0.001)).toEqual([1.98, 2.02]);
    expect(() => ridgeView([model([[1]])], [0], 'input', { layerStep: 0 })).toThrow(/layerStep/);
  });
});
