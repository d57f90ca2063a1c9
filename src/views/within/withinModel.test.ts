import { describe, expect, it } from 'vitest';
import { pearson } from '../../core/metrics';
import { withinLayerDiffs, withinLayerPair, withinLayerSummary } from '../../core/withinLayer';
import { bf16, gammaVector, gaussian, growingModel, testModel } from '../kit2d/testModels';
import { hasBothRoles, withinLayout } from './withinModel';
import { plotCellAt } from '../heatmap/heatmapModel';

const heatmapCellAt = (
  h: { plot: { x: number; y: number; width: number; height: number }; rows: number; cols: number },
  x: number,
  y: number,
) => plotCellAt(h.plot, h.rows, h.cols, x, y);

const base = growingModel('org/base', 9, 512, 1);
const normal = gaussian(7);
const nudge = (v: Float32Array | undefined) => (v ? bf16(Array.from(v, (x) => x + 2e-3 * normal())) : undefined);
const child = testModel(
  'org/child',
  base.layers.map((l) => ({ input: nudge(l.input), post: nudge(l.post) })),
);
const other = growingModel('org/other', 12, 512, 3);

function layoutOf(models: [typeof base, typeof base], positions: [number, number] = [0, 1]) {
  const pair = withinLayerPair(models, 0, 1);
  return {
    pair,
    layout: withinLayout({
      pair,
      summaries: [withinLayerSummary(models[0]), withinLayerSummary(models[1])],
      positions,
      names: ['a', 'b'],
      marker: 2,
    }),
  };
}

describe('withinLayout', () => {
  it('a derived pair has the same input − post pattern (r ≈ 1 on the diagonal)', () => {
    const { pair, layout } = layoutOf([base, child]);
    expect(layout.sameIndexMean).toBeGreaterThan(0.9);
    expect(layout.diagonalMean).toBeCloseTo(layout.sameIndexMean, 6);
    expect(layout.pearson.paths[0]!.points[4]!.value).toBeCloseTo(
      pearson(withinLayerDiffs(base)[4]!, withinLayerDiffs(child)[4]!),
      12,
    );
    expect(layout.pearson.yDomain[1]).toBeGreaterThan(0.95);
    expect(pair.rows).toBe(9);
  });

  it('an unrelated pair of different depths: r near 0, a rectangular heatmap, one x axis for (a) and (b)', () => {
    const { layout } = layoutOf([base, other], [0, 2]);
    expect(Math.abs(layout.sameIndexMean)).toBeLessThan(0.1);
    expect(layout.pearson.yDomain).toEqual([-0.2, 0.2]);
    expect(layout.pearson.paths[0]!.points).toHaveLength(9);
    expect(layout.mean.xDomain).toEqual([0, 11]);
    expect(layout.mean.paths.map((p) => p.key)).toEqual(['0', '2']);
    const h = layout.heatmap;
    expect(h.plot.height / h.plot.width).toBeCloseTo(9 / 12, 6);
    const cell = heatmapCellAt(h, h.plot.x + (10.5 / 12) * h.plot.width, h.plot.y + (3.5 / 9) * h.plot.height);
    expect(cell).toEqual([3, 10]);
    expect(heatmapCellAt(h, h.plot.x - 1, h.plot.y)).toBeNull();
  });

  it('needs both roles', () => {
    expect(hasBothRoles(base)).toBe(true);
    expect(hasBothRoles(testModel('x', [{ input: gammaVector(8, 1, 0.1, 1) }]))).toBe(false);
  });
});
