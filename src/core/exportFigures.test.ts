import { describe, expect, it } from 'vitest';
import { fineTuneDiff } from './diff';
import { decodeTensor, encodeBf16 } from './dtypes';
import { buildFigureExport, figuresAtPositions } from './exportFigures';
import { buildExport } from './exportJson';
import { layerPca } from './pca';
import { seededRandom } from './random';
import type { LoadedModel } from './types';
import { withinLayerSameIndex } from './withinLayer';
import { completeModel } from './testing/completeModel';

const rand = seededRandom(12);
const bf16 = (v: number[]) => decodeTensor(encodeBf16(v), 'BF16');
const vector = (d: number, mean: number) => bf16(Array.from({ length: d }, () => mean + 0.1 * rand()));

function model(d: number, layers: number, options: { post?: boolean; base?: LoadedModel } = {}): LoadedModel {
  const jitter = (v: Float32Array) => bf16(Array.from(v, (x, k) => (k % 5 === 0 ? x + 0.01 : x)));
  return completeModel({
    repo: `r${d}x${layers}`,
    sha: 's',
    extraLayers: [{ index: layers, extra: true, label: `${layers} (MTP)`, input: vector(d, 5) }],
    layers: Array.from({ length: layers }, (_, index) => {
      const from = options.base?.layers[index];
      const postOf = (p: Float32Array | undefined) => (p ? jitter(p) : vector(d, 1));
      return {
        index,
        extra: false,
        label: String(index),
        input: from?.input ? jitter(from.input) : vector(d, 0.5 + index / 10),
        post: options.post === false ? undefined : postOf(from?.post),
      };
    }),
  });
}

describe('buildFigureExport', () => {
  const base = model(64, 4);
  const tuned = model(64, 4, { base });
  const narrow = model(32, 4);
  const shorter = model(64, 3);
  const inputOnly = model(64, 4, { post: false });
  const models = [base, tuned, narrow, shorter, inputOnly];
  const out = buildFigureExport(models);

  it('has exactly the contract fields, and survives JSON with NaN as null', () => {
    expect(Object.keys(out).sort()).toEqual(['diff', 'pca', 'stats', 'withinLayer']);
    expect(Object.keys(out.stats[0]!)).toEqual(['model', 'norm', 'mean', 'std', 'min', 'max', 'l2']);
    expect(Object.keys(out.diff[0]!)).toEqual([
      'a',
      'b',
      'norm',
      'changedFraction',
      'meanAbsDiff',
      'updateScale',
      'updateScaleInterval',
      'uniformExplains',
      'uniformPValue',
      'uniformScale',
      'updateShape',
    ]);
    expect(Object.keys(out.pca!)).toEqual(['norm', 'explainedVarianceRatio', 'points']);
    expect(Object.keys(out.withinLayer[0]!)).toEqual(['a', 'b', 'pearson']);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('lists stats per model × present role, without the extra (MTP) blocks', () => {
    expect(out.stats.map((s) => [s.model, s.norm])).toEqual([
      [0, 'input'],
      [0, 'post'],
      [1, 'input'],
      [1, 'post'],
      [2, 'input'],
      [2, 'post'],
      [3, 'input'],
      [3, 'post'],
      [4, 'input'],
    ]);
    expect(Math.max(...out.stats[0]!.max.map(Number))).toBeLessThan(2); // the MTP vector sits at 5
  });

  it('diffs only same-shape pairs and matches fineTuneDiff', () => {
    expect(out.diff.map((d) => [d.a, d.b, d.norm])).toEqual([
      [0, 1, 'input'],
      [0, 1, 'post'],
      [0, 4, 'input'],
      [1, 4, 'input'],
    ]);
    const direct = fineTuneDiff(models, 0, 1, 'input');
    expect(out.diff[0]!.changedFraction).toEqual(direct.changedFraction);
    expect(out.diff[0]!.changedFraction[0]).toBeCloseTo(13 / 64, 15); // every fifth value moved by 0.01
    expect(out.diff[0]!.meanAbsDiff).toEqual(direct.meanAbsDiff);
    expect(out.diff[0]!.updateScale).toEqual(direct.updateScale);
    expect(out.diff[0]!.updateScaleInterval).toEqual(direct.updateScaleInterval);
    expect(out.diff[0]!.uniformExplains).toBe(direct.verdict!.uniformExplains);
    expect(out.diff[0]!.uniformPValue).toBe(direct.verdict!.test.pValue);
    expect(out.diff[0]!.uniformScale).toBe(direct.verdict!.test.uniform.sigma);
  });

  it('runs PCA over the most common hidden size on the input norm', () => {
    expect(out.pca!.norm).toBe('input');
    expect(new Set(out.pca!.points.map((p) => p.model))).toEqual(new Set([0, 1, 3, 4]));
    expect(out.pca!.points).toHaveLength(4 + 4 + 3 + 4);
    const items = [0, 1, 3, 4].flatMap((m) =>
      models[m]!.layers.map((l) => ({ model: m, layer: l.index, vector: l.input! })),
    );
    expect(out.pca).toEqual({ norm: 'input', ...layerPca(items) });
    expect(buildFigureExport([narrow], { pcaNorm: 'post' }).pca!.norm).toBe('post');
    expect(buildFigureExport([]).pca).toBeNull();
  });

  it('gives within-layer Pearson for same-width pairs that have both norms', () => {
    expect(out.withinLayer.map((w) => [w.a, w.b])).toEqual([
      [0, 1],
      [0, 3],
      [1, 3],
    ]);
    expect(out.withinLayer[0]!.pearson).toEqual(withinLayerSameIndex(models, 0, 1));
    expect(out.withinLayer[1]!.pearson).toHaveLength(3);
  });

  // timing lives in `npm run bench`; here only the shape at full size
  it('builds the whole export for 4 models × 48 layers × 4096', () => {
    const big = model(4096, 48);
    const four = [big, model(4096, 48, { base: big }), model(4096, 48), model(4096, 48)];
    const res = buildFigureExport(four);
    expect(res.pca!.points).toHaveLength(192);
    expect(res.diff).toHaveLength(12);
  });
});

describe('figures of the loaded models at their query positions (a failed model holds nothing back)', () => {
  it('renumbers stats, diffs, PCA points and within-layer pairs to query positions', () => {
    const a = model(64, 4);
    const b = model(64, 4, { base: a });
    const fig = figuresAtPositions(buildFigureExport([a, b]), [0, 2]);
    expect([...new Set(fig.stats.map((s) => s.model))]).toEqual([0, 2]);
    expect(fig.diff.every((d) => d.a === 0 && d.b === 2)).toBe(true);
    expect([...new Set(fig.pca!.points.map((p) => p.model))].sort()).toEqual([0, 2]);
    expect(fig.withinLayer.map((w) => [w.a, w.b])).toEqual([[0, 2]]);
    // the numbers themselves are those of the two models alone
    expect(fig.stats.map((s) => s.mean)).toEqual(buildFigureExport([a, b]).stats.map((s) => s.mean));
  });

  it('the export lists the loaded models with their index and the failed ones with file and reason', () => {
    const a = model(64, 2);
    const data = buildExport({
      permalink: 'p',
      hub: 'h',
      models: [a],
      positions: [1],
      failed: [{ index: 0, repo: 'x/broken', file: 'model.safetensors', reason: 'damaged' }],
      pairs: [],
      notComparable: [],
    });
    expect(data.models.map((m) => m.index)).toEqual([1]);
    expect(data.failed).toEqual([{ index: 0, repo: 'x/broken', file: 'model.safetensors', reason: 'damaged' }]);
  });
});

describe('figures never throw on non-finite values', () => {
  it('leaves a vector holding NaN or Inf out of the PCA instead of failing', () => {
    const a = model(32, 4);
    const b = model(32, 4);
    b.layers[2]!.input = Float32Array.from(b.layers[2]!.input!, (x, i) => (i === 3 ? NaN : x));
    b.layers[3]!.input = Float32Array.from(b.layers[3]!.input!, (x, i) => (i === 0 ? Infinity : x));
    const fig = buildFigureExport([a, b]);
    expect(fig.pca!.points.filter((p) => p.model === 1).map((p) => p.layer)).toEqual([0, 1]);
  });
});
