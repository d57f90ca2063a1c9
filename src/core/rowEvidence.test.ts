import { describe, expect, it } from 'vitest';
import {
  ROW_MIN_ROWS,
  ROW_SHARED_MIN_R,
  compareRowSamples,
  summarizeRowEvidence,
  type SampledMatrix,
} from './rowEvidence';
import { decodeTensor, encodeBf16 } from './dtypes';
import { seededRandom } from './sampling';
import type { MatrixKind } from './rowSampling';

function gaussian(seed: number): () => number {
  const u = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const bf16 = (v: Float32Array) => decodeTensor(encodeBf16(v), 'BF16');

function matrix(
  name: string,
  layer: number,
  kind: MatrixKind,
  rows: number,
  cols: number,
  fill: (k: number, i: number) => number,
  firstRow = 0,
): SampledMatrix {
  const values = new Float32Array(rows * cols);
  for (let k = 0; k < rows; k++) for (let i = 0; i < cols; i++) values[k * cols + i] = fill(k, i);
  return {
    name,
    layer,
    kind,
    rowIds: Array.from({ length: rows }, (_, k) => firstRow + k),
    cols,
    values: bf16(values),
  };
}

/** A model sample: embeddings plus o_proj and down_proj for `layers` layers. */
function model(seed: number, layers: number, rows = 8, cols = 64): SampledMatrix[] {
  const g = gaussian(seed);
  const out = [matrix('model.embed_tokens.weight', -1, 'embedding', rows, cols * 2, () => 0.02 * g())];
  for (let l = 0; l < layers; l++) {
    out.push(matrix(`model.layers.${l}.self_attn.o_proj.weight`, l, 'attention', rows, cols, () => 0.02 * g(), 10));
    out.push(matrix(`model.layers.${l}.mlp.down_proj.weight`, l, 'mlp', rows, cols, () => 0.02 * g(), 100));
  }
  return out;
}

/** A fine-tune: a small update on a few values, stored in BF16 again. */
function fineTune(sample: SampledMatrix[], seed: number, share = 0.01, size = 0.05): SampledMatrix[] {
  const u = seededRandom(seed);
  return sample.map((m) => {
    const v = Float32Array.from(m.values, (x) => (u() < share ? x * (1 + size * (u() - 0.5)) : x));
    return { ...m, values: bf16(v) };
  });
}

describe('compareRowSamples', () => {
  it('a fine-tune: rows nearly identical, shared', () => {
    const a = model(1, 6);
    const e = compareRowSamples(a, fineTune(a, 2));
    expect(e.label).toBe('shared');
    expect(e.meanPearson).toBeGreaterThan(0.99);
    expect(e.decoderMeanPearson).toBeGreaterThan(0.99);
    expect(e.embeddingMeanPearson).toBeGreaterThan(0.99);
    expect(e.identicalRowShare).toBeGreaterThan(0.3);
    expect(e.identicalElementShare).toBeGreaterThan(0.98);
    expect(e.pValue).toBeLessThanOrEqual(0.01);
    expect(e.z).toBeGreaterThan(5);
    expect(Math.abs(e.nullMean)).toBeLessThan(0.05);
    expect(e.layers.map((l) => l.label)).toEqual(['emb', '0', '1', '2', '3', '4', '5']);
    expect(e.layers.every((l) => l.shared)).toBe(true);
    expect(e.summary).toMatch(
      /^attention\/MLP rows: mean r (0\.99\d|1\.000) over 6 layers, \d+% rows identical; embeddings: mean r/,
    );
    expect(e.tensors).toHaveLength(13);
    expect(e.skipped).toEqual([]);
  });

  it('identical models: r = 1, all rows identical', () => {
    const a = model(3, 3);
    const e = compareRowSamples(a, a);
    expect(e.label).toBe('shared');
    expect(e.meanPearson).toBeCloseTo(1, 12);
    expect(e.meanCosine).toBeCloseTo(1, 12);
    expect(e.identicalRowShare).toBe(1);
    expect(e.summary).toContain('100% rows identical');
  });

  it('unrelated models: r ≈ 0, no evidence, like unrelated models', () => {
    const e = compareRowSamples(model(1, 12), model(99, 12));
    expect(e.label).toBe('no-evidence');
    expect(Math.abs(e.meanPearson)).toBeLessThan(0.05);
    expect(e.identicalRowShare).toBe(0);
    expect(e.pValue).toBeGreaterThan(0.05);
    expect(e.summary).toMatch(
      /^attention\/MLP rows: mean r -?0\.0\d\d over 12 layers, like unrelated models; embeddings: mean r/,
    );
    expect(e.layers.some((l) => l.shared)).toBe(false);
  });

  it('embeddings reused, layers retrained: inconclusive, naming the layer', () => {
    const a = model(5, 8);
    const b = model(6, 8).map((m) => (m.layer === -1 ? (a[0] as SampledMatrix) : m));
    const e = compareRowSamples(a, b);
    expect(e.label).toBe('inconclusive');
    expect(e.layers.find((l) => l.label === 'emb')?.shared).toBe(true);
    expect(e.reasons.join(' ')).toMatch(/layers only \(emb\)/);
  });

  it('column structure shared without ancestry lifts the null too: not "shared"', () => {
    // both models have a large value in column 3 of every row (an outlier dimension at the same index)
    const spike = (seed: number) => {
      const g = gaussian(seed);
      return [0, 1, 2, 3].map((l) =>
        matrix(`model.layers.${l}.mlp.down_proj.weight`, l, 'mlp', 16, 64, (_, i) => (i === 3 ? 1 : 0) + 0.02 * g()),
      );
    };
    const e = compareRowSamples(spike(1), spike(2));
    expect(e.meanPearson).toBeGreaterThan(ROW_SHARED_MIN_R); // raw r is high…
    expect(e.label).not.toBe('shared'); // …but shuffled pairs are just as high
    expect(e.pValue).toBeGreaterThan(0.05);
  });

  it('too few rows: inconclusive', () => {
    const a = [
      matrix('model.layers.0.mlp.up_proj.weight', 0, 'mlp', ROW_MIN_ROWS - 1, 32, (k, i) => Math.sin(k * 7 + i)),
    ];
    const e = compareRowSamples(a, a);
    expect(e.label).toBe('inconclusive');
    expect(e.reasons[0]).toMatch(/Only 7 usable row pairs/);
  });

  it('skips tensors sampled differently or missing, and constant rows', () => {
    const a = model(7, 2);
    const b = fineTune(a, 8);
    b[1] = { ...(b[1] as SampledMatrix), rowIds: (b[1] as SampledMatrix).rowIds.map((r) => r + 1) };
    b.push(matrix('model.layers.9.mlp.up_proj.weight', 9, 'mlp', 4, 8, () => 1));
    a.push(matrix('model.layers.1.mlp.up_proj.weight', 1, 'mlp', 4, 8, () => 1));
    b.push(a[a.length - 1] as SampledMatrix);
    const e = compareRowSamples(a, b);
    expect(e.skipped.sort()).toEqual(['model.layers.0.self_attn.o_proj.weight', 'model.layers.9.mlp.up_proj.weight']);
    const constant = e.tensors.find((t) => t.name === 'model.layers.1.mlp.up_proj.weight');
    expect(constant).toMatchObject({ rows: 4, usableRows: 0, identicalRows: 4 });
    expect(Number.isNaN(constant!.meanPearson)).toBe(true);
    expect(e.label).toBe('shared');
  });

  it('is deterministic for a seed and runs fewer shuffles on big samples', () => {
    const a = model(11, 3);
    const b = model(12, 3);
    expect(compareRowSamples(a, b, { seed: 4 })).toEqual(compareRowSamples(a, b, { seed: 4 }));
    const big = [
      matrix('model.layers.0.mlp.up_proj.weight', 0, 'mlp', 512, 4096, (k, i) => Math.sin(k * 13.1 + i * 0.7)),
    ];
    const e = compareRowSamples(big, big);
    expect(e.permutations).toBeLessThan(200);
    expect(e.permutations).toBeGreaterThanOrEqual(100);
  });

  it('summary without decoder layers', () => {
    const a = model(1, 0, 16);
    const e = compareRowSamples(a, model(2, 0, 16));
    expect(e.summary).toMatch(/^embedding rows: mean r -?0\.\d{3}, like unrelated models$/);
    expect(summarizeRowEvidence({ ...e, layers: [] })).toBe('no comparable rows');
  });
});
