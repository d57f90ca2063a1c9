// The family table, second part (see families.ts).
import {
  BF16,
  EXPERTS,
  type FamilySpec,
  H,
  HD,
  I,
  L,
  MOE_I,
  NH,
  NKV,
  V,
  attn,
  decoder,
  gated,
  hidden4,
  llamaConfig,
  llamaLike,
  norm,
  prePost,
  qk,
  t,
} from './familyParts.ts';
import { bert, mamba, plamo2 } from './familyBuildersSsm.ts';

export const FAMILIES_REST: readonly FamilySpec[] = [
  llamaLike('starcoder2', 'starcoder2', 'Starcoder2ForCausalLM', BF16, {
    normBias: true,
    bias: true,
    mlp: (p) => [
      t(`${p}mlp.c_fc.weight`, [I, H], 'BF16'),
      t(`${p}mlp.c_fc.bias`, [I], 'BF16'),
      t(`${p}mlp.c_proj.weight`, [H, I], 'BF16'),
      t(`${p}mlp.c_proj.bias`, [H], 'BF16'),
    ],
  }),
  {
    id: 'stablelm-2-12b',
    config: llamaConfig('stablelm', 'StableLmForCausalLM', {
      qk_layernorm: true,
      use_parallel_residual: true,
      layer_norm_eps: 1e-5,
    }),
    tensors: decoder(BF16, (p) => [
      norm(`${p}input_layernorm.weight`, H, BF16),
      ...Array.from({ length: NH }, (_, h) => norm(`${p}self_attn.q_layernorm.norms.${h}.weight`, HD, BF16)),
      ...Array.from({ length: NKV }, (_, h) => norm(`${p}self_attn.k_layernorm.norms.${h}.weight`, HD, BF16)),
      ...attn(`${p}self_attn.`, BF16),
      ...gated(`${p}mlp.`, BF16),
    ]),
    expect: {
      entry: 'stablelm',
      roles: ['input', 'q', 'k'],
      widths: { input: H, post: H, q: NH * HD, k: NKV * HD },
      tensorCount: (1 + NH + NKV) * L,
    },
  },
  {
    id: 'persimmon',
    config: llamaConfig('persimmon', 'PersimmonForCausalLM', {
      num_key_value_heads: NH,
      head_dim: undefined,
      qk_layernorm: true,
    }),
    tensors: decoder({ ...BF16, finalNorm: 'final_layernorm' }, (p) => [
      ...prePost(p, BF16, true),
      norm(`${p}self_attn.q_layernorm.weight`, H / NH, BF16),
      norm(`${p}self_attn.q_layernorm.bias`, H / NH, BF16),
      norm(`${p}self_attn.k_layernorm.weight`, H / NH, BF16),
      norm(`${p}self_attn.k_layernorm.bias`, H / NH, BF16),
      t(`${p}self_attn.query_key_value.weight`, [3 * H, H], 'BF16'),
      t(`${p}self_attn.dense.weight`, [H, H], 'BF16'),
      t(`${p}mlp.dense_h_to_4h.weight`, [I, H], 'BF16'),
      t(`${p}mlp.dense_4h_to_h.weight`, [H, I], 'BF16'),
    ]),
    expect: {
      entry: 'persimmon',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: H / NH, k: H / NH },
      tensorCount: 4 * L,
    },
  },
  {
    id: 'internlm2',
    config: llamaConfig('internlm2', 'InternLM2ForCausalLM'),
    tensors: [
      t('model.tok_embeddings.weight', [V, H], 'BF16'),
      ...Array.from({ length: L }, (_, i) => [
        norm(`model.layers.${i}.attention_norm.weight`, H, BF16),
        norm(`model.layers.${i}.ffn_norm.weight`, H, BF16),
        t(`model.layers.${i}.attention.wqkv.weight`, [(NH + 2 * NKV) * HD, H], 'BF16'),
        t(`model.layers.${i}.attention.wo.weight`, [H, NH * HD], 'BF16'),
        t(`model.layers.${i}.feed_forward.w1.weight`, [I, H], 'BF16'),
        t(`model.layers.${i}.feed_forward.w2.weight`, [H, I], 'BF16'),
        t(`model.layers.${i}.feed_forward.w3.weight`, [I, H], 'BF16'),
      ]).flat(),
      norm('model.norm.weight', H, BF16),
      t('output.weight', [V, H], 'BF16'),
    ],
    expect: { entry: 'internlm2', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
  {
    id: 'exaone4',
    config: llamaConfig('exaone4', 'Exaone4ForCausalLM'),
    tensors: decoder(BF16, (p) => [
      norm(`${p}post_attention_layernorm.weight`, H, BF16),
      norm(`${p}post_feedforward_layernorm.weight`, H, BF16),
      ...attn(`${p}self_attn.`, BF16),
      ...qk(`${p}self_attn.`, BF16),
      ...gated(`${p}mlp.`, BF16),
    ]),
    expect: {
      entry: 'exaone4',
      roles: ['attn_out', 'ffn_out', 'q', 'k'],
      widths: { attn_out: H, ffn_out: H, q: HD, k: HD },
      tensorCount: 4 * L,
    },
  },
  llamaLike('granite', 'granite', 'GraniteForCausalLM', BF16),
  llamaLike('granitemoe', 'granitemoe', 'GraniteMoeForCausalLM', BF16, {
    config: { num_local_experts: EXPERTS },
    mlp: (p) => [
      t(`${p}block_sparse_moe.router.layer.weight`, [EXPERTS, H], 'BF16'),
      t(`${p}block_sparse_moe.input_linear.weight`, [EXPERTS, 2 * MOE_I, H], 'BF16'),
      t(`${p}block_sparse_moe.output_linear.weight`, [EXPERTS, H, MOE_I], 'BF16'),
    ],
  }),
  {
    ...llamaLike('granite-hybrid', 'granitemoehybrid', 'GraniteMoeHybridForCausalLM', BF16),
    config: llamaConfig('granitemoehybrid', 'GraniteMoeHybridForCausalLM', {
      layer_types: ['mamba', 'mamba', 'attention', 'mamba'],
      mamba_d_inner: 2 * H,
    }),
    tensors: decoder(BF16, (p, i) => [
      ...prePost(p, BF16),
      ...(i === 2
        ? attn(`${p}self_attn.`, BF16)
        : [
            t(`${p}mamba.in_proj.weight`, [4 * H, H], 'BF16'),
            norm(`${p}mamba.norm.weight`, 2 * H, BF16),
            t(`${p}mamba.out_proj.weight`, [H, 2 * H], 'BF16'),
          ]),
      t(`${p}shared_mlp.input_linear.weight`, [2 * I, H], 'BF16'),
      t(`${p}shared_mlp.output_linear.weight`, [H, I], 'BF16'),
    ]),
  },
  {
    id: 'jamba',
    config: llamaConfig('jamba', 'JambaForCausalLM', {
      attn_layer_period: 4,
      attn_layer_offset: 2,
      mamba_d_state: 16,
      mamba_expand: 2,
    }),
    tensors: decoder({ ...BF16, finalNorm: 'final_layernorm' }, (p, i) => [
      norm(`${p}input_layernorm.weight`, H, BF16),
      norm(`${p}pre_ff_layernorm.weight`, H, BF16),
      ...(i === 2
        ? attn(`${p}self_attn.`, BF16)
        : [
            t(`${p}mamba.in_proj.weight`, [4 * H, H], 'BF16'),
            norm(`${p}mamba.dt_layernorm.weight`, 16, BF16),
            norm(`${p}mamba.b_layernorm.weight`, 16, BF16),
            norm(`${p}mamba.c_layernorm.weight`, 16, BF16),
            t(`${p}mamba.out_proj.weight`, [H, 2 * H], 'BF16'),
          ]),
      ...gated(`${p}feed_forward.`, BF16),
    ]),
    expect: { entry: 'jamba', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
  mamba('mamba', 'mamba', 'MambaForCausalLM', false),
  mamba('mamba2', 'mamba2', 'Mamba2ForCausalLM', true),
  mamba('nemotron-h', 'nemotron_h', 'NemotronHForCausalLM', true),
  {
    ...llamaLike('nemotron', 'nemotron', 'NemotronForCausalLM', BF16, {
      normBias: true,
      mlp: (p) => [t(`${p}mlp.up_proj.weight`, [I, H], 'BF16'), t(`${p}mlp.down_proj.weight`, [H, I], 'BF16')],
    }),
    expect: {
      entry: 'nemotron',
      roles: ['input', 'post'],
      widths: hidden4,
      shifts: { input: 1, post: 1 },
      tensorCount: 2 * L,
    },
  },
  {
    id: 'hunyuan',
    config: llamaConfig('hunyuan_v1_dense', 'HunYuanDenseV1ForCausalLM', { use_qk_norm: true }),
    tensors: decoder(BF16, (p) => [
      ...prePost(p, BF16),
      ...attn(`${p}self_attn.`, BF16),
      norm(`${p}self_attn.query_layernorm.weight`, HD, BF16),
      norm(`${p}self_attn.key_layernorm.weight`, HD, BF16),
      ...gated(`${p}mlp.`, BF16),
    ]),
    expect: {
      entry: 'hunyuan',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: HD, k: HD },
      tensorCount: 4 * L,
    },
  },
  {
    id: 'lfm2',
    config: llamaConfig('lfm2', 'Lfm2ForCausalLM', { layer_types: ['conv', 'conv', 'full_attention', 'conv'] }),
    tensors: [
      t('model.embed_tokens.weight', [V, H], 'BF16'),
      norm('model.embedding_norm.weight', H, BF16),
      ...Array.from({ length: L }, (_, i) => {
        const p = `model.layers.${i}.`;
        return [
          norm(`${p}operator_norm.weight`, H, BF16),
          norm(`${p}ffn_norm.weight`, H, BF16),
          ...(i === 2
            ? [
                ...attn(`${p}self_attn.`, BF16).map((x) =>
                  x.name.endsWith('o_proj.weight') ? { ...x, name: x.name.replace('o_proj', 'out_proj') } : x,
                ),
                norm(`${p}self_attn.q_layernorm.weight`, HD, BF16),
                norm(`${p}self_attn.k_layernorm.weight`, HD, BF16),
              ]
            : [
                t(`${p}conv.in_proj.weight`, [3 * H, H], 'BF16'),
                t(`${p}conv.conv.weight`, [H, 1, 3], 'BF16'),
                t(`${p}conv.out_proj.weight`, [H, H], 'BF16'),
              ]),
          t(`${p}feed_forward.w1.weight`, [I, H], 'BF16'),
          t(`${p}feed_forward.w2.weight`, [H, I], 'BF16'),
          t(`${p}feed_forward.w3.weight`, [I, H], 'BF16'),
        ];
      }).flat(),
    ],
    expect: {
      entry: 'lfm2',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: HD, k: HD },
      tensorCount: 2 * L + 2,
    },
  },
  llamaLike('minicpm', 'minicpm', 'MiniCPMForCausalLM', BF16),
  {
    ...llamaLike('baichuan', 'baichuan', 'BaichuanForCausalLM', BF16),
    tensors: decoder(BF16, (p) => [
      ...prePost(p, BF16),
      t(`${p}self_attn.W_pack.weight`, [3 * H, H], 'BF16'),
      t(`${p}self_attn.o_proj.weight`, [H, H], 'BF16'),
      ...gated(`${p}mlp.`, BF16),
    ]),
  },
  {
    id: 'chatglm',
    config: {
      architectures: ['ChatGLMModel'],
      model_type: 'chatglm',
      hidden_size: H,
      num_layers: L,
      num_attention_heads: NH,
      kv_channels: HD,
      multi_query_group_num: NKV,
      padded_vocab_size: V,
    },
    tensors: [
      t('transformer.embedding.word_embeddings.weight', [V, H], 'BF16'),
      ...Array.from({ length: L }, (_, i) => [
        ...prePost(`transformer.encoder.layers.${i}.`, BF16),
        t(`transformer.encoder.layers.${i}.self_attention.query_key_value.weight`, [(NH + 2 * NKV) * HD, H], 'BF16'),
        t(`transformer.encoder.layers.${i}.self_attention.query_key_value.bias`, [(NH + 2 * NKV) * HD], 'BF16'),
        t(`transformer.encoder.layers.${i}.self_attention.dense.weight`, [H, NH * HD], 'BF16'),
        t(`transformer.encoder.layers.${i}.mlp.dense_h_to_4h.weight`, [2 * I, H], 'BF16'),
        t(`transformer.encoder.layers.${i}.mlp.dense_4h_to_h.weight`, [H, I], 'BF16'),
      ]).flat(),
      norm('transformer.encoder.final_layernorm.weight', H, BF16),
      t('transformer.output_layer.weight', [V, H], 'BF16'),
      t('transformer.rotary_pos_emb.inv_freq', [HD / 4], 'BF16'),
    ],
    expect: { entry: 'chatglm', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
  llamaLike('arcee', 'arcee', 'ArceeForCausalLM', BF16, {
    mlp: (p) => [t(`${p}mlp.up_proj.weight`, [I, H], 'BF16'), t(`${p}mlp.down_proj.weight`, [H, I], 'BF16')],
  }),
  llamaLike('ernie4_5', 'ernie4_5', 'Ernie4_5ForCausalLM', BF16),
  {
    id: 'dbrx',
    config: {
      architectures: ['DbrxForCausalLM'],
      model_type: 'dbrx',
      d_model: H,
      n_layers: L,
      n_heads: NH,
      vocab_size: V,
      attn_config: { kv_n_heads: NKV },
      ffn_config: { moe_num_experts: EXPERTS },
    },
    tensors: [
      t('transformer.wte.weight', [V, H], 'BF16'),
      ...Array.from({ length: L }, (_, i) => {
        const p = `transformer.blocks.${i}.`;
        return [
          norm(`${p}norm_attn_norm.norm_1.weight`, H, BF16),
          norm(`${p}norm_attn_norm.norm_2.weight`, H, BF16),
          t(`${p}norm_attn_norm.attn.Wqkv.weight`, [(NH + 2 * NKV) * HD, H], 'BF16'),
          t(`${p}norm_attn_norm.attn.out_proj.weight`, [H, H], 'BF16'),
          t(`${p}ffn.router.layer.weight`, [EXPERTS, H], 'BF16'),
          t(`${p}ffn.experts.mlp.w1`, [EXPERTS * MOE_I, H], 'BF16'),
          t(`${p}ffn.experts.mlp.v1`, [EXPERTS * MOE_I, H], 'BF16'),
          t(`${p}ffn.experts.mlp.w2`, [EXPERTS * MOE_I, H], 'BF16'),
        ];
      }).flat(),
      norm('transformer.norm_f.weight', H, BF16),
      t('lm_head.weight', [V, H], 'BF16'),
    ],
    expect: { entry: 'dbrx', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
  {
    id: 'mpt',
    config: {
      architectures: ['MPTForCausalLM'],
      model_type: 'mpt',
      d_model: H,
      n_layers: L,
      n_heads: NH,
      vocab_size: V,
      no_bias: true,
    },
    tensors: [
      t('transformer.wte.weight', [V, H], 'BF16'),
      ...Array.from({ length: L }, (_, i) => {
        const p = `transformer.blocks.${i}.`;
        return [
          norm(`${p}norm_1.weight`, H, BF16),
          norm(`${p}norm_2.weight`, H, BF16),
          t(`${p}attn.Wqkv.weight`, [3 * H, H], 'BF16'),
          t(`${p}attn.out_proj.weight`, [H, H], 'BF16'),
          t(`${p}ffn.up_proj.weight`, [I, H], 'BF16'),
          t(`${p}ffn.down_proj.weight`, [H, I], 'BF16'),
        ];
      }).flat(),
      norm('transformer.norm_f.weight', H, BF16),
    ],
    expect: { entry: 'mpt', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
  {
    ...llamaLike('gpt-oss', 'gpt_oss', 'GptOssForCausalLM', BF16),
    config: llamaConfig('gpt_oss', 'GptOssForCausalLM', { num_local_experts: EXPERTS }),
    tensors: decoder(BF16, (p) => [
      ...prePost(p, BF16),
      ...attn(`${p}self_attn.`, { ...BF16, bias: true, oBias: true }),
      t(`${p}self_attn.sinks`, [NH], 'BF16'),
      t(`${p}mlp.router.weight`, [EXPERTS, H], 'BF16'),
      t(`${p}mlp.router.bias`, [EXPERTS], 'BF16'),
      t(`${p}mlp.experts.gate_up_proj`, [EXPERTS, H, 2 * MOE_I], 'BF16'),
      t(`${p}mlp.experts.down_proj`, [EXPERTS, MOE_I, H], 'BF16'),
    ]),
  },
  llamaLike('smollm3', 'smollm3', 'SmolLM3ForCausalLM', BF16),
  llamaLike('seed-oss', 'seed_oss', 'SeedOssForCausalLM', BF16, { bias: true }),
  {
    id: 'apertus',
    config: llamaConfig('apertus', 'ApertusForCausalLM'),
    tensors: decoder(BF16, (p) => [
      norm(`${p}attention_layernorm.weight`, H, BF16),
      norm(`${p}feedforward_layernorm.weight`, H, BF16),
      ...attn(`${p}self_attn.`, BF16),
      ...qk(`${p}self_attn.`, BF16),
      t(`${p}mlp.up_proj.weight`, [I, H], 'BF16'),
      t(`${p}mlp.down_proj.weight`, [H, I], 'BF16'),
      t(`${p}mlp.act_fn.alpha_p`, [1], 'BF16'),
    ]),
    expect: {
      entry: 'apertus',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: HD, k: HD },
      tensorCount: 4 * L,
    },
  },
  plamo2(),
  bert('bert', 'bert', 'BertForMaskedLM', 'bert.', 'weight'),
  bert('bert-legacy-gamma', 'bert', 'BertForPreTraining', 'bert.', 'gamma'),
  bert('roberta', 'roberta', 'RobertaForMaskedLM', 'roberta.', 'weight'),
  bert('bert-bare', 'bert', 'BertModel', '', 'weight'),
  {
    id: 'llama4',
    config: {
      architectures: ['Llama4ForConditionalGeneration'],
      model_type: 'llama4',
      text_config: llamaConfig('llama4_text', 'Llama4ForCausalLM'),
      vision_config: { model_type: 'llama4_vision_model', hidden_size: 128, num_hidden_layers: 2 },
    },
    tensors: [
      ...decoder({ ...BF16, root: 'language_model.model.', head: false }, (p) => [
        ...prePost(p, BF16),
        ...attn(`${p}self_attn.`, BF16),
        t(`${p}feed_forward.router.weight`, [EXPERTS, H], 'BF16'),
        t(`${p}feed_forward.experts.gate_up_proj`, [EXPERTS, H, 2 * MOE_I], 'BF16'),
        t(`${p}feed_forward.experts.down_proj`, [EXPERTS, MOE_I, H], 'BF16'),
        ...gated(`${p}feed_forward.shared_expert.`, BF16),
      ]),
      t('language_model.lm_head.weight', [V, H], 'BF16'),
      ...[0, 1].flatMap((i) => [
        norm(`vision_model.model.layers.${i}.input_layernorm.weight`, 128, BF16),
        norm(`vision_model.model.layers.${i}.input_layernorm.bias`, 128, BF16),
        norm(`vision_model.model.layers.${i}.post_attention_layernorm.weight`, 128, BF16),
        t(`vision_model.model.layers.${i}.self_attn.q_proj.weight`, [128, 128], 'BF16'),
      ]),
      t('multi_modal_projector.linear_1.weight', [H, 128], 'BF16'),
    ],
    expect: { entry: 'llama', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
];
