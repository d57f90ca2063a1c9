import { describe, expect, it } from 'vitest';
import { strideCovering, surfaceView } from './surface';
import type { LoadedModel } from './types';

function model(layers: (number[] | undefined)[]): LoadedModel {
  return {
    hiddenSize: layers.find((l) => l)!.length,
    layers: layers.map((v, index) => ({ index, extra: false, label: String(index), post: v && Float32Array.from(v) })),
  } as unknown as LoadedModel;
}

describe('surfaceView', () => {
  const a = model([
    [0, 1, 2, 3, 4, 5],
    [10, 11, 12, 13, 14, 15],
  ]);
  const b = model([[-1, 0.5, 0.25, 0.125], undefined, [7, 7, 7, 7]]);

  it('cuts a window of dimensions with one colour domain for all models', () => {
    const view = surfaceView([a, b], [0, 1], 'post', { start: 1, count: 3 });
    expect(view.dims).toEqual([1, 2, 3]);
    expect(Array.from(view.grids[0]!.values)).toEqual([1, 2, 3, 11, 12, 13]);
    expect(Array.from(view.grids[1]!.values)).toEqual([0.5, 0.25, 0.125, NaN, NaN, NaN, 7, 7, 7]);
    expect(view.grids[1]!.layers).toEqual([0, 1, 2]);
    expect(view.domain).toEqual([0.125, 13]);
  });

  it('strides across the width; narrower models get NaN columns', () => {
    const view = surfaceView([a, b], [1, 0], 'post', { stride: strideCovering(6, 3), count: 3 });
    expect(strideCovering(6, 3)).toBe(2);
    expect(view.dims).toEqual([0, 2, 4]);
    expect(Array.from(view.grids[0]!.values.slice(0, 3))).toEqual([-1, 0.25, NaN]);
    expect(view.grids[0]!.model).toBe(1);
    expect(view.domain).toEqual([-1, 14]);
  });

  it('keeps a given domain, widens a flat one, and rejects bad windows', () => {
    expect(surfaceView([a], [0], 'post', { domain: [0, 2] }).domain).toEqual([0, 2]);
    expect(surfaceView([model([[3, 3]])], [0], 'post').domain).toEqual([2.5, 3.5]);
    expect(surfaceView([a], [0], 'input').domain).toEqual([0, 1]);
    expect(() => surfaceView([a], [0], 'post', { stride: 0 })).toThrow(/stride/);
    expect(() => surfaceView([a], [3], 'post')).toThrow(/No loaded model/);
  });
});
