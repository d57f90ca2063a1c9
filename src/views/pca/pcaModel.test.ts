import { describe, expect, it } from 'vitest';
import { layerPca } from '../../core/pca';
import { leftOut, markerPath, MARKERS, nearestPoint, pcaLayout } from './pcaModel';
import type { PcaData } from './pcaModel';

// two models of 4 layers in 3-D: model 1 is model 0 shifted, so the first component separates them
const rows = (shift: number) =>
  Array.from({ length: 4 }, (_, l) => [1 + shift + 0.1 * l, 1 - 0.05 * l, 0.5 + 0.01 * (l % 2)]);
const pca = layerPca([
  ...rows(0).map((vector, layer) => ({ model: 0, layer, vector })),
  ...rows(2).map((vector, layer) => ({ model: 2, layer: 3 - layer, vector: rows(2)[3 - layer]! })),
]);
const data: PcaData = { norm: 'input', ...pca };
const names = new Map([
  [0, 'base'],
  [2, 'other'],
]);

describe('pca layout', () => {
  const layout = pcaLayout(data, names);

  it('labels the axes with the explained variance of the worker’s PCA', () => {
    expect(layout.axes.map((a) => a.ratio)).toEqual(data.explainedVarianceRatio);
    expect(layout.axes[0].label).toBe(`PC1 (${(100 * data.explainedVarianceRatio[0]).toFixed(1)}%)`);
    expect(data.explainedVarianceRatio[0]).toBeGreaterThan(0.9);
  });

  it('one series per model, in model order, each joined in layer order with its own colour and marker', () => {
    expect(layout.series.map((s) => [s.model, s.name])).toEqual([
      [0, 'base'],
      [2, 'other'],
    ]);
    expect(layout.series[1]!.points.map((p) => p.layer)).toEqual([0, 1, 2, 3]);
    expect(layout.series[0]!.color).not.toBe(layout.series[1]!.color);
    expect(layout.series[0]!.marker).toBe(MARKERS[0]);
    expect(layout.points).toHaveLength(8);
  });

  it("'cube' fills [−1, 1] on every axis; 'equal' keeps one scale", () => {
    for (let k = 0; k < 3; k++) {
      const coords = layout.points.map((p) => p.pos[k]!);
      expect(Math.min(...coords)).toBeCloseTo(-1, 12);
      expect(Math.max(...coords)).toBeCloseTo(1, 12);
    }
    const eq = pcaLayout(data, names, 'equal');
    expect(eq.axes[0].half).toBe(1);
    expect(eq.axes[1].half).toBeLessThan(0.5);
    // distances: the ratio of PC1 to PC2 spread is kept
    const spread = (k: number) =>
      Math.max(...eq.points.map((p) => p.xyz[k]!)) - Math.min(...eq.points.map((p) => p.xyz[k]!));
    expect(eq.axes[1].half / eq.axes[0].half).toBeCloseTo(Math.max(0.02, spread(1) / spread(0)), 9);
  });

  it('places ticks at their score values', () => {
    const axis = layout.axes[0];
    const [a, b] = axis.ticks;
    const p0 = layout.points[0]!,
      p7 = layout.points[7]!;
    const slope = (p7.pos[0] - p0.pos[0]) / (p7.xyz[0] - p0.xyz[0]);
    expect(b!.coord - a!.coord).toBeCloseTo(slope * (b!.value - a!.value), 9);
  });
});

describe('hover and markers', () => {
  it('finds the nearest point within reach, skipping off-screen ones', () => {
    const screen: ([number, number] | null)[] = [[10, 10], null, [30, 12], [100, 100]];
    expect(nearestPoint(screen, 28, 10, 8)).toBe(2);
    expect(nearestPoint(screen, 60, 60, 8)).toBeNull();
  });
  it('draws closed SVG paths for every marker and the star', () => {
    for (const shape of [...MARKERS, 'star' as const]) expect(markerPath(shape, 5)).toMatch(/^M.*Z$/);
    expect(markerPath('star', 5).match(/L/g)).toHaveLength(9);
  });
  it('says which models were left out and why', () => {
    const loaded = [
      { index: 0, name: 'base', hiddenSize: 3 },
      { index: 1, name: 'phi', hiddenSize: 2 },
      { index: 2, name: 'other', hiddenSize: 3 },
      { index: 3, name: 'nopost', hiddenSize: 3 },
    ];
    expect(leftOut(loaded, data)).toEqual(['phi (hidden size 2, not 3)', 'nopost (no input norm)']);
  });
});
