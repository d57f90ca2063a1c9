// Family fixtures built by a function (variants of one family: wrapped, MTP, sizes); and OLMo (1), with no γ.
import {
  BF16,
  EXPERTS,
  F32,
  type FamilySpec,
  GEMMA_SHIFT,
  H,
  HD,
  I,
  L,
  MOE_I,
  NH,
  type Opts,
  type T,
  V,
  attn,
  decoder,
  experts,
  gated,
  hidden4,
  llamaConfig,
  norm,
  prePost,
  qk,
  sandwich,
  siglipTower,
  t,
} from './familyParts.ts';
export function qwen3Next(id: string, wrapped: boolean): FamilySpec {
  const text = llamaConfig(wrapped ? 'qwen3_5_text' : 'qwen3_next', 'Qwen3NextForCausalLM', {
    full_attention_interval: 4,
    linear_num_value_heads: 4,
    linear_value_head_dim: 32,
    num_experts: EXPERTS,
    num_nextn_predict_layers: 1,
  });
  const root = wrapped ? 'model.language_model.' : 'model.';
  const block = (p: string, i: number): T[] => [
    ...prePost(p, BF16),
    ...(i % 4 === 3
      ? [...attn(`${p}self_attn.`, BF16), ...qk(`${p}self_attn.`, BF16)]
      : [
          t(`${p}linear_attn.in_proj_qkvz.weight`, [4 * H, H], 'BF16'),
          norm(`${p}linear_attn.norm.weight`, 32, F32),
          t(`${p}linear_attn.A_log`, [4], 'F32'),
          t(`${p}linear_attn.out_proj.weight`, [H, 128], 'BF16'),
        ]),
    t(`${p}mlp.gate.weight`, [EXPERTS, H], 'BF16'),
    ...experts(`${p}mlp.experts.`, BF16),
    ...gated(`${p}mlp.shared_expert.`, BF16),
  ];
  const tensors = [
    ...decoder({ ...BF16, root, head: !wrapped }, block),
    ...block('mtp.layers.0.', 3),
    norm('mtp.pre_fc_norm_embedding.weight', H, BF16),
    norm('mtp.pre_fc_norm_hidden.weight', H, BF16),
    t('mtp.fc.weight', [H, 2 * H], 'BF16'),
    norm('mtp.norm.weight', H, BF16),
  ];
  if (wrapped) {
    tensors.push(t('lm_head.weight', [V, H], 'BF16'));
    for (let i = 0; i < 2; i++)
      tensors.push(
        norm(`model.visual.blocks.${i}.norm1.weight`, 128, BF16),
        norm(`model.visual.blocks.${i}.norm2.weight`, 128, BF16),
        t(`model.visual.blocks.${i}.attn.qkv.weight`, [384, 128], 'BF16'),
      );
  }
  const config = wrapped
    ? {
        architectures: ['Qwen3_5ForConditionalGeneration'],
        model_type: 'qwen3_5',
        text_config: text,
        vision_config: { model_type: 'qwen3_5', depth: 2, hidden_size: 128 },
      }
    : text;
  return {
    id,
    config,
    tensors,
    expect: {
      entry: 'qwen3-next',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: HD, k: HD },
      extraLayers: [L],
      shifts: { input: 1, post: 1, q: 1, k: 1 },
      tensorCount: 2 * L + 2 + 4,
    },
  };
}

export function gemma3(id: string, modelType: string, root: string): FamilySpec {
  const text = llamaConfig('gemma3_text', 'Gemma3ForCausalLM', {
    head_dim: HD,
    num_attention_heads: NH,
    query_pre_attn_scalar: HD,
  });
  const wrapped = modelType === 'gemma3';
  const tensors = decoder({ ...BF16, root, head: false }, (p) => [
    ...sandwich(p, BF16),
    ...attn(`${p}self_attn.`, BF16),
    ...qk(`${p}self_attn.`, BF16),
    ...gated(`${p}mlp.`, BF16),
  ]);
  if (wrapped) {
    const vision = root === 'model.language_model.' ? 'model.vision_tower.vision_model.' : 'vision_tower.vision_model.';
    const proj = root === 'model.language_model.' ? 'model.multi_modal_projector.' : 'multi_modal_projector.';
    tensors.push(
      ...siglipTower(vision, BF16),
      norm(`${proj}mm_soft_emb_norm.weight`, 128, BF16),
      t(`${proj}mm_input_projection_weight`, [128, H], 'BF16'),
    );
  }
  return {
    id,
    config: wrapped
      ? {
          architectures: ['Gemma3ForConditionalGeneration'],
          model_type: 'gemma3',
          text_config: text,
          vision_config: { model_type: 'siglip_vision_model', hidden_size: 128, num_hidden_layers: 2 },
        }
      : text,
    tensors,
    expect: {
      entry: 'gemma3',
      roles: ['input', 'post', 'attn_out', 'ffn_out', 'q', 'k'],
      widths: { input: H, post: H, attn_out: H, ffn_out: H, q: HD, k: HD },
      shifts: GEMMA_SHIFT,
      tensorCount: 6 * L,
    },
  };
}

export function gemma3n(): FamilySpec {
  const text = llamaConfig('gemma3n_text', 'Gemma3nForCausalLM', {
    altup_num_inputs: 4,
    laurel_rank: 16,
    hidden_size_per_layer_input: 32,
  });
  const tensors = decoder({ ...BF16, root: 'model.language_model.', head: false }, (p) => [
    ...sandwich(p, BF16),
    ...attn(`${p}self_attn.`, BF16),
    ...qk(`${p}self_attn.`, BF16),
    ...gated(`${p}mlp.`, BF16),
    t(`${p}laurel.linear_left.weight`, [16, H], 'BF16'),
    norm(`${p}laurel.post_laurel_norm.weight`, H, BF16),
    norm(`${p}post_per_layer_input_norm.weight`, H, BF16),
    norm(`${p}altup.router_norm.weight`, H, BF16),
    t(`${p}per_layer_input_gate.weight`, [32, H], 'BF16'),
  ]);
  tensors.push(
    norm('model.language_model.per_layer_projection_norm.weight', 32, BF16),
    t('model.vision_tower.timm_model.conv_stem.conv.weight', [64, 3, 3, 3], 'BF16'),
    norm('model.embed_vision.soft_embedding_norm.weight', 128, BF16),
  );
  for (let i = 0; i < 2; i++) tensors.push(norm(`model.audio_tower.conformer.${i}.norm.weight`, 128, BF16));
  return {
    id: 'gemma3n',
    config: {
      architectures: ['Gemma3nForConditionalGeneration'],
      model_type: 'gemma3n',
      text_config: text,
      vision_config: { model_type: 'gemma3n_vision' },
      audio_config: { model_type: 'gemma3n_audio' },
    },
    tensors,
    expect: {
      entry: 'gemma3n',
      roles: ['input', 'post', 'attn_out', 'ffn_out', 'q', 'k'],
      widths: { input: H, post: H, attn_out: H, ffn_out: H, q: HD, k: HD },
      tensorCount: 6 * L,
    },
  };
}

export function deepseek(id: string, modelType: string, qLora: number | null, mtp: boolean): FamilySpec {
  const KV = 64;
  const NOPE = 32;
  const ROPE = 16;
  const VH = 32;
  const layers = mtp ? L + 1 : L;
  const block = (p: string, i: number): T[] => {
    const a = `${p}self_attn.`;
    const out = [
      ...prePost(p, BF16),
      ...(qLora === null
        ? [t(`${a}q_proj.weight`, [NH * (NOPE + ROPE), H], 'BF16')]
        : [
            t(`${a}q_a_proj.weight`, [qLora, H], 'BF16'),
            norm(`${a}q_a_layernorm.weight`, qLora, BF16),
            t(`${a}q_b_proj.weight`, [NH * (NOPE + ROPE), qLora], 'BF16'),
          ]),
      t(`${a}kv_a_proj_with_mqa.weight`, [KV + ROPE, H], 'BF16'),
      norm(`${a}kv_a_layernorm.weight`, KV, BF16),
      t(`${a}kv_b_proj.weight`, [NH * (NOPE + VH), KV], 'BF16'),
      t(`${a}o_proj.weight`, [H, NH * VH], 'BF16'),
    ];
    if (i === 0) out.push(...gated(`${p}mlp.`, BF16));
    else
      out.push(
        t(`${p}mlp.gate.weight`, [EXPERTS, H], 'BF16'),
        ...(modelType === 'deepseek_v2' ? [] : [t(`${p}mlp.gate.e_score_correction_bias`, [EXPERTS], 'F32')]),
        ...experts(`${p}mlp.experts.`, BF16),
        ...gated(`${p}mlp.shared_experts.`, BF16, MOE_I),
      );
    if (i >= L)
      out.push(
        norm(`${p}enorm.weight`, H, BF16),
        norm(`${p}hnorm.weight`, H, BF16),
        t(`${p}eh_proj.weight`, [H, 2 * H], 'BF16'),
        norm(`${p}shared_head.norm.weight`, H, BF16),
        t(`${p}shared_head.head.weight`, [V, H], 'BF16'),
        t(`${p}embed_tokens.weight`, [V, H], 'BF16'),
      );
    return out;
  };
  const perLayer = qLora === null ? 3 : 4;
  return {
    id,
    config: llamaConfig(modelType, modelType === 'deepseek_v2' ? 'DeepseekV2ForCausalLM' : 'DeepseekV3ForCausalLM', {
      head_dim: undefined,
      q_lora_rank: qLora,
      kv_lora_rank: KV,
      qk_nope_head_dim: NOPE,
      qk_rope_head_dim: ROPE,
      v_head_dim: VH,
      n_routed_experts: EXPERTS,
      first_k_dense_replace: 1,
      ...(mtp ? { num_nextn_predict_layers: 1 } : {}),
    }),
    tensors: decoder({ ...BF16, layers }, block),
    expect: {
      entry: 'deepseek-mla',
      roles: qLora === null ? ['input', 'post', 'kv_a'] : ['input', 'post', 'q_a', 'kv_a'],
      widths: { ...hidden4, kv_a: KV, ...(qLora === null ? {} : { q_a: qLora }) },
      ...(mtp ? { extraLayers: [L] } : {}),
      tensorCount: perLayer * layers,
    },
  };
}

export function glm4Moe(): FamilySpec {
  const layers = L + 1;
  return {
    id: 'glm4-moe',
    config: llamaConfig('glm4_moe', 'Glm4MoeForCausalLM', {
      use_qk_norm: true,
      n_routed_experts: EXPERTS,
      first_k_dense_replace: 1,
      num_nextn_predict_layers: 1,
      head_dim: HD,
    }),
    tensors: decoder({ ...BF16, layers }, (p, i) => [
      ...prePost(p, BF16),
      ...attn(`${p}self_attn.`, { ...BF16, bias: true }),
      ...qk(`${p}self_attn.`, BF16),
      ...(i === 0
        ? gated(`${p}mlp.`, BF16)
        : [
            t(`${p}mlp.gate.weight`, [EXPERTS, H], 'BF16'),
            t(`${p}mlp.gate.e_score_correction_bias`, [EXPERTS], 'F32'),
            ...experts(`${p}mlp.experts.`, BF16),
            ...gated(`${p}mlp.shared_experts.`, BF16, MOE_I),
          ]),
      ...(i >= L
        ? [
            norm(`${p}enorm.weight`, H, BF16),
            norm(`${p}hnorm.weight`, H, BF16),
            t(`${p}eh_proj.weight`, [H, 2 * H], 'BF16'),
            norm(`${p}shared_head.norm.weight`, H, BF16),
          ]
        : []),
    ]),
    expect: {
      entry: 'glm4_moe',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: HD, k: HD },
      extraLayers: [L],
      tensorCount: 4 * layers,
    },
  };
}

export function falcon(id: string, big: boolean): FamilySpec {
  const tensors: T[] = [t('transformer.word_embeddings.weight', [V, H], 'BF16')];
  for (let i = 0; i < L; i++) {
    const p = `transformer.h.${i}.`;
    if (big)
      tensors.push(
        norm(`${p}ln_attn.weight`, H, BF16),
        norm(`${p}ln_attn.bias`, H, BF16),
        norm(`${p}ln_mlp.weight`, H, BF16),
        norm(`${p}ln_mlp.bias`, H, BF16),
      );
    else tensors.push(norm(`${p}input_layernorm.weight`, H, BF16), norm(`${p}input_layernorm.bias`, H, BF16));
    tensors.push(
      t(`${p}self_attention.query_key_value.weight`, [(NH + 2) * HD, H], 'BF16'),
      t(`${p}self_attention.dense.weight`, [H, H], 'BF16'),
      t(`${p}mlp.dense_h_to_4h.weight`, [I, H], 'BF16'),
      t(`${p}mlp.dense_4h_to_h.weight`, [H, I], 'BF16'),
    );
  }
  tensors.push(
    norm('transformer.ln_f.weight', H, BF16),
    norm('transformer.ln_f.bias', H, BF16),
    t('lm_head.weight', [V, H], 'BF16'),
  );
  return {
    id,
    config: {
      architectures: ['FalconForCausalLM'],
      model_type: 'falcon',
      hidden_size: H,
      num_hidden_layers: L,
      num_attention_heads: NH,
      new_decoder_architecture: big,
      parallel_attn: true,
      vocab_size: V,
    },
    tensors,
    expect: {
      entry: 'falcon',
      roles: big ? ['input', 'post'] : ['input'],
      widths: hidden4,
      tensorCount: (big ? 2 : 1) * L,
    },
  };
}

export function gpt2Like(
  id: string,
  modelType: string,
  arch: string,
  root: '' | 'transformer.',
  o: Opts,
  entry: string,
): FamilySpec {
  const tensors: T[] = [t(`${root}wte.weight`, [V, H], o.dtype), t(`${root}wpe.weight`, [64, H], o.dtype)];
  for (let i = 0; i < L; i++) {
    const p = `${root}h.${i}.`;
    tensors.push(
      norm(`${p}ln_1.weight`, H, o),
      norm(`${p}ln_1.bias`, H, o),
      t(`${p}attn.c_attn.weight`, [H, 3 * H], o.dtype),
      t(`${p}attn.c_attn.bias`, [3 * H], o.dtype),
      t(`${p}attn.c_proj.weight`, [H, H], o.dtype),
      norm(`${p}ln_2.weight`, H, o),
      norm(`${p}ln_2.bias`, H, o),
      t(`${p}mlp.c_fc.weight`, [H, I], o.dtype),
      t(`${p}mlp.c_proj.weight`, [I, H], o.dtype),
    );
  }
  tensors.push(norm(`${root}ln_f.weight`, H, o), norm(`${root}ln_f.bias`, H, o));
  return {
    id,
    config: {
      architectures: [arch],
      model_type: modelType,
      n_embd: H,
      n_layer: L,
      n_head: NH,
      n_positions: 64,
      vocab_size: V,
    },
    tensors,
    expect: { entry, roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  };
}
