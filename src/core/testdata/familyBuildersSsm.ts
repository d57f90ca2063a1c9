// Family fixtures built by a function: state-space models (Mamba, PLaMo 2), BERT-style encoders, and OLMo (1) with no γ.
import {
  BF16,
  F32,
  type FamilySpec,
  H,
  HD,
  I,
  L,
  NH,
  NKV,
  type T,
  V,
  attn,
  decoder,
  gated,
  llamaConfig,
  norm,
  t,
} from './familyParts.ts';

export function mamba(id: string, modelType: string, arch: string, mixerNorm: boolean): FamilySpec {
  const tensors: T[] = [t('backbone.embeddings.weight', [V, H], 'BF16')];
  for (let i = 0; i < L; i++) {
    const p = `backbone.layers.${i}.`;
    tensors.push(norm(`${p}norm.weight`, H, BF16));
    if (modelType === 'nemotron_h' && i === 1)
      tensors.push(
        t(`${p}mixer.q_proj.weight`, [NH * HD, H], 'BF16'),
        t(`${p}mixer.o_proj.weight`, [H, NH * HD], 'BF16'),
      );
    else if (modelType === 'nemotron_h' && i === 2)
      tensors.push(t(`${p}mixer.up_proj.weight`, [I, H], 'BF16'), t(`${p}mixer.down_proj.weight`, [H, I], 'BF16'));
    else {
      tensors.push(
        t(`${p}mixer.in_proj.weight`, [4 * H, H], 'BF16'),
        t(`${p}mixer.conv1d.weight`, [2 * H, 1, 4], 'BF16'),
        t(`${p}mixer.A_log`, [mixerNorm ? 8 : 2 * H, ...(mixerNorm ? [] : [16])], 'F32'),
        t(`${p}mixer.D`, [mixerNorm ? 8 : 2 * H], 'F32'),
        t(`${p}mixer.out_proj.weight`, [H, 2 * H], 'BF16'),
      );
      if (mixerNorm) tensors.push(norm(`${p}mixer.norm.weight`, 2 * H, BF16));
    }
  }
  tensors.push(norm('backbone.norm_f.weight', H, BF16), t('lm_head.weight', [V, H], 'BF16'));
  return {
    id,
    config: {
      architectures: [arch],
      model_type: modelType,
      hidden_size: H,
      num_hidden_layers: L,
      intermediate_size: 2 * H,
      state_size: 16,
      vocab_size: V,
      ...(modelType === 'nemotron_h' ? { hybrid_override_pattern: 'M*-M', num_attention_heads: NH, head_dim: HD } : {}),
    },
    tensors,
    expect: { entry: 'mamba', roles: ['input'], widths: { input: H }, tensorCount: L },
  };
}

export function plamo2(): FamilySpec {
  const tensors: T[] = [t('model.embed_tokens.weight', [V, H], 'BF16')];
  for (let i = 0; i < L; i++) {
    const p = `model.layers.layers.${i}.`;
    tensors.push(
      norm(`${p}pre_mixer_norm.weight`, H, BF16),
      norm(`${p}post_mixer_norm.weight`, H, BF16),
      norm(`${p}pre_mlp_norm.weight`, H, BF16),
      norm(`${p}post_mlp_norm.weight`, H, BF16),
    );
    if (i % 2 === 1)
      tensors.push(
        t(`${p}mixer.qkv_proj.weight`, [(NH + 2 * NKV) * HD, H], 'BF16'),
        norm(`${p}mixer.q_weight`, [NH, HD], BF16),
        norm(`${p}mixer.k_weight`, [NKV, HD], BF16),
        t(`${p}mixer.o_proj.weight`, [H, NH * HD], 'BF16'),
      );
    else
      tensors.push(
        t(`${p}mixer.in_proj.weight`, [4 * H, H], 'BF16'),
        norm(`${p}mixer.dt_norm_weight`, 16, BF16),
        norm(`${p}mixer.B_norm_weight`, 16, BF16),
        norm(`${p}mixer.C_norm_weight`, 16, BF16),
        t(`${p}mixer.out_proj.weight`, [H, 2 * H], 'BF16'),
      );
    tensors.push(t(`${p}mlp.gate_up_proj.weight`, [2 * I, H], 'BF16'), t(`${p}mlp.down_proj.weight`, [H, I], 'BF16'));
  }
  tensors.push(norm('model.norm.weight', H, BF16));
  return {
    id: 'plamo2',
    config: {
      architectures: ['Plamo2ForCausalLM'],
      model_type: 'plamo2',
      hidden_size: H,
      num_hidden_layers: L,
      num_attention_heads: NH,
      num_key_value_heads: NKV,
      hidden_size_per_head: HD,
      head_dim: HD,
      mamba_step: 2,
      vocab_size: V,
    },
    tensors,
    expect: {
      entry: 'plamo2',
      roles: ['input', 'post', 'attn_out', 'ffn_out', 'q', 'k'],
      widths: { input: H, post: H, attn_out: H, ffn_out: H, q: NH * HD, k: NKV * HD },
      shifts: { input: 1, attn_out: 1 / 5, post: 1, ffn_out: 1 / 5 ** 1.5 },
      tensorCount: 4 * L + 2 * (L / 2),
    },
  };
}

export function bert(id: string, modelType: string, arch: string, root: string, param: 'weight' | 'gamma'): FamilySpec {
  const o = F32;
  const bias = param === 'gamma' ? 'beta' : 'bias';
  const tensors: T[] = [
    t(`${root}embeddings.word_embeddings.weight`, [V, H], 'F32'),
    t(`${root}embeddings.position_embeddings.weight`, [64, H], 'F32'),
    norm(`${root}embeddings.LayerNorm.${param}`, H, o),
    norm(`${root}embeddings.LayerNorm.${bias}`, H, o),
  ];
  for (let i = 0; i < L; i++) {
    const p = `${root}encoder.layer.${i}.`;
    tensors.push(
      t(`${p}attention.self.query.weight`, [H, H], 'F32'),
      t(`${p}attention.self.query.bias`, [H], 'F32'),
      t(`${p}attention.output.dense.weight`, [H, H], 'F32'),
      norm(`${p}attention.output.LayerNorm.${param}`, H, o),
      norm(`${p}attention.output.LayerNorm.${bias}`, H, o),
      t(`${p}intermediate.dense.weight`, [I, H], 'F32'),
      t(`${p}output.dense.weight`, [H, I], 'F32'),
      norm(`${p}output.LayerNorm.${param}`, H, o),
      norm(`${p}output.LayerNorm.${bias}`, H, o),
    );
  }
  if (root) tensors.push(t(`${root}pooler.dense.weight`, [H, H], 'F32'));
  if (modelType === 'roberta')
    tensors.push(t('lm_head.dense.weight', [H, H], 'F32'), norm('lm_head.layer_norm.weight', H, o));
  return {
    id,
    config: {
      architectures: [arch],
      model_type: modelType,
      hidden_size: H,
      num_hidden_layers: L,
      num_attention_heads: NH,
      intermediate_size: I,
      vocab_size: V,
      layer_norm_eps: 1e-12,
    },
    tensors,
    expect: { entry: 'bert', roles: ['attn_out', 'ffn_out'], widths: { attn_out: H, ffn_out: H }, tensorCount: 2 * L },
  };
}

/** OLMo (1): a real family with no γ at all. */
export const OLMO1: FamilySpec = {
  id: 'olmo',
  config: llamaConfig('olmo', 'OlmoForCausalLM'),
  tensors: decoder({ ...BF16, head: true }, (p) => [
    ...attn(`${p}self_attn.`, BF16),
    ...gated(`${p}mlp.`, BF16),
  ]).filter((x) => x.name !== 'model.norm.weight'),
  expect: { entry: 'olmo', roles: [], widths: {}, tensorCount: 0 },
};
