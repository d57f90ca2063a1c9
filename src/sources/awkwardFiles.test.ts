// Issue 16: awkward but legal files load, honestly (non-finite values, a missing layer, constant
// norms, an absurd config), through the same catalogue path the Hub's uses.
import { describe, expect, it } from 'vitest';
import { encodeBf16, decodeTensor } from '../core/dtypes';
import { serializeSafetensors } from '../core/safetensors';
import { roleRows } from '../core/pairs';
import { buildFigureExport } from '../core/exportFigures';
import { similarityMatrices } from '../core/metrics';
import { loadOneLocalModel, localFile, syntheticGamma } from './testing/localFile';

const HIDDEN = 32;

interface Opts {
  layers: number;
  skip?: number[];
  value?: (layer: number, role: number) => Float32Array;
  config?: Record<string, unknown>;
  dtype?: 'BF16' | 'F32';
}

function folder(name: string, o: Opts): File[] {
  const tensors = [];
  const enc = (v: Float32Array) => (o.dtype === 'F32' ? new Uint8Array(v.buffer.slice(0)) : encodeBf16(v));
  for (let l = 0; l < o.layers; l++) {
    if (o.skip?.includes(l)) continue;
    for (const [r, n] of ['input_layernorm', 'post_attention_layernorm'].entries())
      tensors.push({
        name: `model.layers.${l}.${n}.weight`,
        dtype: o.dtype ?? 'BF16',
        shape: [HIDDEN],
        data: enc(o.value ? o.value(l, r) : syntheticGamma(HIDDEN, l, r)),
      });
  }
  const config = JSON.stringify(
    o.config ?? {
      model_type: 'llama',
      architectures: ['LlamaForCausalLM'],
      hidden_size: HIDDEN,
      num_hidden_layers: o.layers,
    },
  );
  return [
    localFile(config, `${name}/config.json`),
    localFile(serializeSafetensors(tensors, { format: 'pt' }), `${name}/model.safetensors`),
  ];
}

describe('awkward but legal files', () => {
  it('a missing layer keeps its index: its row is empty and the others stay in place', async () => {
    const m = await loadOneLocalModel(folder('gap', { layers: 6, skip: [3] }));
    expect(m.layers.map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(m.layers[3]!.input).toBeUndefined();
    expect(m.layers[4]!.input).toEqual(decodeTensor(encodeBf16(syntheticGamma(HIDDEN, 4, 0)), 'BF16'));
    expect(m.warnings.join(' ')).toMatch(/No norm tensors for layer 3\..*Layer 3 keeps its index/);
    const whole = await loadOneLocalModel(folder('whole', { layers: 6 }));
    const s = similarityMatrices(roleRows(m, 'input'), roleRows(whole, 'input'));
    expect(s.rows).toBe(6);
    expect(s.pearson[4 * 6 + 4]).toBe(1);
    expect(s.pearson[3 * 6 + 3]).toBeNaN();
  });

  it('non-finite values are reported per layer with their count, that layer left empty, nothing throws', async () => {
    const bad = (l: number, r: number) => {
      const v = syntheticGamma(HIDDEN, l, r);
      if (l === 1 && r === 0) [v[0], v[5]] = [NaN, Infinity];
      if (l === 4 && r === 1) v[2] = -Infinity;
      return v;
    };
    const m = await loadOneLocalModel(folder('nan', { layers: 6, value: bad, dtype: 'F32' }));
    expect(m.layers).toHaveLength(6);
    expect(m.layers[1]!.input).toBeUndefined();
    expect(m.layers[1]!.post).toEqual(syntheticGamma(HIDDEN, 1, 1));
    expect(m.layers[4]!.post).toBeUndefined();
    const text = m.warnings.join(' ');
    expect(text).toMatch(/layer 1 input: 2 non-finite values/);
    expect(text).toMatch(/layer 4 post: 1 non-finite value\b/);
    const fig = buildFigureExport([m, m]);
    expect(fig.pca).not.toBeNull();
    expect(fig.stats[0]!.mean[1]).toBeNull();
    expect(fig.stats[0]!.mean[0]).toBeCloseTo(syntheticGamma(HIDDEN, 0, 0).reduce((s, x) => s + x, 0) / HIDDEN, 6);
  });

  it('constant norms load, with a note that Pearson carries no information for them', async () => {
    const m = await loadOneLocalModel(folder('ones', { layers: 4, value: () => new Float32Array(HIDDEN).fill(1) }));
    expect(m.layers).toHaveLength(4);
    expect(m.warnings.join(' ')).toMatch(/constant.*no information/i);
  });

  it('an absurd config is overruled by the tensors, with a note', async () => {
    const config = {
      model_type: 'llama',
      architectures: ['LlamaForCausalLM'],
      hidden_size: -1,
      num_hidden_layers: 1e9,
    };
    const m = await loadOneLocalModel(folder('absurd', { layers: 4, config }));
    expect(m.layers).toHaveLength(4);
    expect(m.hiddenSize).toBe(HIDDEN);
    expect(m.warnings.join(' ')).toMatch(/config\.json says 1000000000 layers.*4/);
  });
});
