import { describe, expect, it } from 'vitest';
import { buildFigureExport } from '../../core/exportFigures';
import { layerStats } from '../../core/stats';
import { gammaVector, growingModel, testModel } from '../kit2d/testModels';
import { scaleObservations, statsLayout, statsReadout } from './statsModel';

const models = [
  growingModel('org/a', 8, 256, 1),
  growingModel('org/b', 6, 256, 2),
  testModel('org/single', [{ input: gammaVector(128, 1, 0.1, 3) }, { input: gammaVector(128, 1.2, 0.1, 4) }]),
];
const stats = buildFigureExport(models).stats;
const info = models.map((m, index) => ({ index, name: m.repo.slice(4), hiddenSize: m.hiddenSize }));

describe('statsLayout', () => {
  it('lays the five statistics in rows and the roles in columns, models overlaid', () => {
    const layout = statsLayout(stats, info, [0, 1, 2]);
    expect(layout.roles).toEqual(['input', 'post']);
    expect(layout.panels).toHaveLength(10);
    const meanInput = layout.panels.find((p) => p.role === 'input' && p.metric === 'mean')!.layout;
    expect(meanInput.paths.map((p) => p.key)).toEqual(['0', '1', '2']);
    expect(meanInput.paths[0]!.points[3]!.value).toBeCloseTo(layerStats(models[0]!.layers[3]!.input!).mean, 12);
    // the single-norm model has no post line; differing layer counts share one x axis
    const meanPost = layout.panels.find((p) => p.role === 'post' && p.metric === 'mean')!.layout;
    expect(meanPost.paths.map((p) => p.key)).toEqual(['0', '1']);
    expect(meanPost.xDomain).toEqual([0, 7]);
  });
  it('draws √d for every width shown in the ‖γ‖ panels', () => {
    const layout = statsLayout(stats, info, [0, 2]);
    const l2 = layout.panels.find((p) => p.role === 'input' && p.metric === 'l2')!.layout;
    expect(l2.refLines.map((r) => r.label)).toEqual(['√256 = 16.0', '√128 = 11.3']);
  });
  it('hides models outside the subset and drops a role no shown model has', () => {
    const layout = statsLayout(stats, info, [2]);
    expect(layout.roles).toEqual(['input']);
    expect(layout.panels).toHaveLength(5);
  });
});

describe('statsReadout and scale observations', () => {
  it('reads every statistic at a layer, only where the layer exists', () => {
    const rows = statsReadout(stats, info, [0, 1, 2], 7);
    expect(rows.map((r) => `${r.model}:${r.role}`)).toEqual(['0:input', '0:post']);
    const s = layerStats(models[0]!.layers[7]!.post!);
    expect(rows[1]!.values.l2).toBeCloseTo(s.l2, 10);
    expect(rows[1]!.values.max).toBeCloseTo(s.max, 10);
  });
  it('measures the ‖γ‖ range against √d and its trend with depth', () => {
    const obs = scaleObservations(stats, info, [0]);
    expect(obs).toHaveLength(2);
    const post = obs.find((o) => o.role === 'post')!;
    expect(post.depthTrend).toBeGreaterThan(0.9);
    expect(post.sentence).toMatch(
      /^a, pre-MLP: ‖γ‖ from [\d.]+ \(L0\) to [\d.]+ \(L7\), [\d.]+–[\d.]+ × √256, rising steadily with depth \(r with layer (0\.9\d|1\.00)\)\.$/,
    );
  });
});
