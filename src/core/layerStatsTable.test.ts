import { describe, expect, it } from 'vitest';
import { layerStatsSeries, layerStatsTable } from './layerStatsTable';
import type { LoadedModel } from './types';

function model(layers: { input?: number[]; post?: number[] }[], hiddenSize: number): LoadedModel {
  return {
    hiddenSize,
    layers: layers.map((l, index) => ({
      index,
      extra: false,
      label: String(index),
      input: l.input && Float32Array.from(l.input),
      post: l.post && Float32Array.from(l.post),
    })),
    extraLayers: [{ index: 9, extra: true, label: '9 (MTP)', input: Float32Array.from([100, 100]) }],
  } as unknown as LoadedModel;
}

describe('layerStatsTable', () => {
  const a = model([{ input: [1, 3], post: [0, 0] }, { input: [2, 2] }], 2);
  const b = model([{ post: [-1, 1, 0, 4] }], 4);

  it('gives mean, population std, min, max, ‖γ‖ per layer (hand case) and √d', () => {
    const s = layerStatsSeries([a], 0, 'input');
    expect(s).toEqual({
      model: 0,
      norm: 'input',
      layers: [0, 1],
      mean: [2, 2],
      std: [1, 0],
      min: [1, 2],
      max: [3, 2],
      l2: [Math.sqrt(10), Math.sqrt(8)],
      sqrtD: Math.SQRT2,
    });
  });

  it('lists each model × role present, NaN for layers without the role, extra layers left out', () => {
    const table = layerStatsTable([a, b]);
    expect(table.map((s) => [s.model, s.norm])).toEqual([
      [0, 'input'],
      [0, 'post'],
      [1, 'post'],
    ]);
    expect(table[1]!.mean).toEqual([0, NaN]);
    expect(table[2]!.std).toEqual([Math.sqrt(3.5)]); // values −1,1,0,4: mean 1, squares 4+0+1+9 = 14, /4
    expect(table[2]!.sqrtD).toBe(2);
    expect(table[0]!.max).toEqual([3, 2]); // the MTP block's 100s are not decoder layers
  });
});
