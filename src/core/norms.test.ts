import { describe, expect, it } from 'vitest';
import { discoverNorms, hiddenSizeFromConfig, numLayersFromConfig } from './norms.ts';

function llamaNames(prefix: string, layers: number, extra: string[] = []): string[] {
  const out = [`${prefix}embed_tokens.weight`, `${prefix}norm.weight`, ...extra];
  for (let i = 0; i < layers; i++) {
    out.push(
      `${prefix}layers.${i}.input_layernorm.weight`,
      `${prefix}layers.${i}.post_attention_layernorm.weight`,
      `${prefix}layers.${i}.self_attn.q_proj.weight`,
      `${prefix}layers.${i}.mlp.down_proj.weight`,
    );
  }
  return out;
}

describe('discoverNorms', () => {
  it('finds llama-style norms under every prefix, in numeric layer order', () => {
    for (const prefix of ['model.', '', 'language_model.model.', 'model.language_model.']) {
      const names = llamaNames(prefix, 12).reverse();
      const d = discoverNorms(names, { num_hidden_layers: 12, model_type: 'llama' });
      expect(d.family).toBe('llama');
      expect(d.layers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(d.tensors).toHaveLength(24);
      expect(d.tensors[0]).toMatchObject({ layer: 0, role: 'input', extra: false });
      expect(d.tensors[1]).toMatchObject({ layer: 0, role: 'post' });
      expect(d.warnings).toEqual([]);
    }
  });

  it('keeps the shard file from a weight map', () => {
    const map = new Map([
      ['model.layers.0.input_layernorm.weight', 'a.safetensors'],
      ['model.layers.0.post_attention_layernorm.weight', 'b.safetensors'],
    ]);
    const d = discoverNorms(map, { num_hidden_layers: 1 });
    expect(d.tensors.map((t) => t.file)).toEqual(['a.safetensors', 'b.safetensors']);
  });

  it('marks GLM MTP layer 46 as an extra labelled "46 (MTP)"', () => {
    const names = llamaNames('model.', 47, ['model.layers.46.enorm.weight', 'model.layers.46.eh_proj.weight']);
    const d = discoverNorms(names, { num_hidden_layers: 46, model_type: 'glm4_moe' });
    expect(d.layers).toHaveLength(46);
    expect(d.extraLayers).toEqual([46]);
    expect(d.labels.get(46)).toBe('46 (MTP)');
    expect(d.tensors.filter((t) => t.extra).map((t) => t.layer)).toEqual([46, 46]);
  });

  it('labels DeepSeek layer 61 as MTP from num_nextn_predict_layers', () => {
    const d = discoverNorms(llamaNames('model.', 62), { num_hidden_layers: 61, num_nextn_predict_layers: 1 });
    expect(d.labels.get(61)).toBe('61 (MTP)');
  });

  it('labels an unexplained extra block as extra', () => {
    const d = discoverNorms(llamaNames('model.', 3), { num_hidden_layers: 2 });
    expect(d.labels.get(2)).toBe('2 (extra)');
  });

  it('orders layers numerically, not alphabetically', () => {
    const names = [
      'model.layers.10.input_layernorm.weight',
      'model.layers.2.input_layernorm.weight',
      'model.layers.1.input_layernorm.weight',
    ];
    expect(discoverNorms(names, {}).layers).toEqual([1, 2, 10]);
  });

  it('reads GPT-2 ln_1/ln_2 with and without the transformer. prefix, ignoring biases', () => {
    for (const prefix of ['', 'transformer.']) {
      const names: string[] = [`${prefix}ln_f.weight`];
      for (let i = 0; i < 3; i++) {
        for (const n of ['ln_1', 'ln_2']) names.push(`${prefix}h.${i}.${n}.weight`, `${prefix}h.${i}.${n}.bias`);
      }
      const d = discoverNorms(names, { n_layer: 3, model_type: 'gpt2' });
      expect(d.family).toBe('gpt2');
      expect(d.tensors).toHaveLength(6);
      expect(d.tensors.every((t) => t.name.endsWith('.weight'))).toBe(true);
      expect(d.tensors.filter((t) => t.role === 'post').map((t) => t.name)).toContain(`${prefix}h.1.ln_2.weight`);
    }
  });

  it('reads GPT-NeoX, Falcon new arch and Meta consolidated names', () => {
    const neox = discoverNorms(
      [
        'gpt_neox.layers.0.input_layernorm.weight',
        'gpt_neox.layers.0.input_layernorm.bias',
        'gpt_neox.layers.0.post_attention_layernorm.weight',
      ],
      { num_hidden_layers: 1 },
    );
    expect(neox.family).toBe('gpt-neox');
    expect(neox.tensors).toHaveLength(2);
    const falcon = discoverNorms(
      ['transformer.h.0.ln_attn.weight', 'transformer.h.0.ln_mlp.weight', 'transformer.h.0.ln_mlp.bias'],
      {},
    );
    expect(falcon.family).toBe('falcon');
    expect(falcon.tensors.map((t) => t.role)).toEqual(['input', 'post']);
    const meta = discoverNorms(['layers.0.attention_norm.weight', 'layers.0.ffn_norm.weight', 'norm.weight'], {
      n_layers: 1,
    });
    expect(meta.family).toBe('meta-consolidated');
    expect(meta.tensors.map((t) => t.role)).toEqual(['input', 'post']);
  });

  it('flags Gemma-style (1 + w) norms per tensor and per role', () => {
    const d = discoverNorms(llamaNames('model.', 2), { num_hidden_layers: 2, model_type: 'gemma' });
    expect(d.family).toBe('gemma');
    expect(d.zeroCentred).toBe(true);
    expect(d.shiftedRoles.get('input')).toBe(1);
    expect(d.shifts.get('model.layers.1.post_attention_layernorm.weight')).toBe(1);
    expect(discoverNorms(llamaNames('model.', 2), { model_type: 'llama', num_hidden_layers: 2 }).zeroCentred).toBe(
      false,
    );
  });

  it('warns only about roles the architecture should have, and about gaps', () => {
    const cohere = discoverNorms(['model.layers.0.input_layernorm.weight', 'model.layers.1.input_layernorm.weight'], {
      num_hidden_layers: 2,
      model_type: 'cohere',
    });
    expect(cohere.warnings).toEqual([]);
    const llamaWithoutPost = discoverNorms(
      ['model.layers.0.input_layernorm.weight', 'model.layers.1.input_layernorm.weight'],
      { num_hidden_layers: 2, model_type: 'llama' },
    );
    expect(llamaWithoutPost.warnings).toEqual(['llama layers should have a post norm, but none was found.']);
    const gaps = discoverNorms(
      [
        'model.layers.0.input_layernorm.weight',
        'model.layers.0.post_attention_layernorm.weight',
        'model.layers.2.input_layernorm.weight',
      ],
      { num_hidden_layers: 3, model_type: 'llama' },
    );
    expect(gaps.warnings).toContain('No norm tensors for layer 1.');
    expect(gaps.warnings).toContain('Layer 2 lacks the post norm.');
  });

  it('names the model_type and the norm-like tensors of an unknown architecture', () => {
    const d = discoverNorms(
      ['encoder.block.0.layer.0.layer_norm.weight', 'encoder.block.0.layer.0.SelfAttention.q.weight', 'shared.weight'],
      { model_type: 't5', architectures: ['T5ForConditionalGeneration'] },
    );
    expect(d.family).toBe('unknown');
    expect(d.tensors).toEqual([]);
    expect(d.unknownMessage).toBe(
      'No per-layer norm weights recognised for model_type "t5" (T5ForConditionalGeneration). Norm-like tensors: encoder.block.0.layer.0.layer_norm.weight.',
    );
    expect(d.normLikeTensors).toEqual(['encoder.block.0.layer.0.layer_norm.weight']);
  });
});

describe('config helpers', () => {
  it('reads hidden size under its various names, including text_config', () => {
    expect(hiddenSizeFromConfig({ hidden_size: 4096 })).toBe(4096);
    expect(hiddenSizeFromConfig({ n_embd: 768 })).toBe(768);
    expect(hiddenSizeFromConfig({ d_model: 512 })).toBe(512);
    expect(hiddenSizeFromConfig({ text_config: { hidden_size: 2560 }, vision_config: { hidden_size: 1152 } })).toBe(
      2560,
    );
    expect(hiddenSizeFromConfig({})).toBeNull();
    expect(numLayersFromConfig({ text_config: { num_hidden_layers: 34 } })).toBe(34);
    expect(numLayersFromConfig({ n_layer: 12 })).toBe(12);
  });
});
