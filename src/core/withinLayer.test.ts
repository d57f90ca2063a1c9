import { describe, expect, it } from 'vitest';
import { seededRandom } from './random';
import type { LoadedModel } from './types';
import { withinLayerDiffs, withinLayerPair, withinLayerSummary } from './withinLayer';
import { completeModel } from './testing/completeModel';

function model(layers: [number[] | undefined, number[] | undefined][]): LoadedModel {
  return completeModel({
    dtype: 'F32',
    layers: layers.map(([input, post], index) => ({
      index,
      extra: false,
      label: String(index),
      input: input && Float32Array.from(input),
      post: post && Float32Array.from(post),
    })),
  });
}

/** Naive float64 Pearson, written out independently of metrics.ts. */
function naivePearson(x: number[], y: number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length,
    my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  x.forEach((v, i) => {
    sxy += (v - mx) * (y[i]! - my);
    sxx += (v - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe('within-layer diffs', () => {
  it('computes input − post and its mean/std (hand case)', () => {
    const m = model([
      [
        [1, 2, 3, 4],
        [0.5, 0.5, 0.5, 0.5],
      ],
      [[1, 1, 1, 1], undefined],
    ]);
    expect(Array.from(withinLayerDiffs(m)[0]!)).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(withinLayerDiffs(m)[1]).toBeNull();
    const s = withinLayerSummary(m);
    expect(s.mean[0]).toBe(2);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 15); // population std of 0.5..3.5
    expect(s.mean[1]).toBeNaN();
  });

  it('correlates the diffs same-index and across all layer pairs', () => {
    // model b's diff at layer 0 is 2×(a's layer-1 diff) + 1, so r(a1, b0) = 1; hand pair r(a0,b0) = −1
    const a = model([
      [
        [3, 2, 1],
        [0, 0, 0],
      ],
      [
        [1, 2, 4],
        [0, 0, 0],
      ],
    ]);
    const b = model([
      [
        [3, 5, 9],
        [0, 0, 0],
      ],
      [
        [1, 1, 2],
        [1, 0, 0],
      ],
      [
        [5, 0, 1],
        [0, 0, 0],
      ],
    ]);
    const res = withinLayerPair([a, b], 0, 1);
    expect(res.rows).toBe(2);
    expect(res.cols).toBe(3);
    expect(res.pearson).toHaveLength(2);
    expect(res.pearson[0]).toBeCloseTo(naivePearson([3, 2, 1], [3, 5, 9]), 14);
    expect(res.matrix[1 * 3 + 0]).toBeCloseTo(1, 6);
    expect(res.pearson[1]).toBeCloseTo(naivePearson([1, 2, 4], [0, 1, 2]), 14);
  });

  it('matches naive float64 Pearson on random 512-d layers, matrix and same-index agreeing', () => {
    const rand = seededRandom(9);
    const layer = () =>
      [Array.from({ length: 512 }, () => 0.5 + rand()), Array.from({ length: 512 }, () => 1 + rand())] as [
        number[],
        number[],
      ];
    const a = model(Array.from({ length: 4 }, layer)),
      b = model(Array.from({ length: 5 }, layer));
    const res = withinLayerPair([a, b], 0, 1);
    const diff = (m: LoadedModel, l: number) => Array.from(m.layers[l]!.input!, (x, k) => x - m.layers[l]!.post![k]!);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 5; j++) expect(res.matrix[i * 5 + j]).toBeCloseTo(naivePearson(diff(a, i), diff(b, j)), 6);
      expect(res.pearson[i]).toBeCloseTo(naivePearson(diff(a, i), diff(b, i)), 13);
    }
  });

  it('rejects models of different widths and marks missing layers NaN', () => {
    const a = model([
      [
        [1, 2, 3],
        [0, 0, 1],
      ],
      [[1, 2, 3], undefined],
    ]);
    expect(withinLayerPair([a, a], 0, 1).pearson[1]).toBeNaN();
    expect(withinLayerPair([a, a], 0, 1).matrix[3]).toBeNaN();
    expect(() =>
      withinLayerPair(
        [
          a,
          model([
            [
              [1, 2],
              [1, 2],
            ],
          ]),
        ],
        0,
        1,
      ),
    ).toThrow(/hidden size/);
  });
});
