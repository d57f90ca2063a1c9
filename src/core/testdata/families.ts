// Realistic checkpoints of every family in the architecture table, small (4 layers, hidden 256,
// head_dim 64) but with the real tensor names, shapes and dtypes: attention/MLP/MoE weights,
// biases where the family has them, embeddings, final norm, vision towers and projectors of
// multimodal wrappers, MTP blocks, mamba mixer norms. Used by the unit tests (names + config) and
// by scripts/demo/familyRepos.ts (real safetensors repos).
import type { NormDtype, NormRole } from '../types.ts';

export interface FixtureTensor {
  name: string;
  shape: number[];
  dtype: NormDtype;
}

export interface FamilyExpectation {
  /** NormDiscovery.family */
  entry: string;
  /** roles in the decoder layers, NORM_ROLES order */
  roles: NormRole[];
  /** expected width per role (what config.json implies and the tensors have) */
  widths: Partial<Record<NormRole, number>>;
  extraLayers?: number[];
  /** roles stored as γ − shift */
  shifts?: Partial<Record<NormRole, number>>;
  /** number of discovered tensors (decoder + extras) */
  tensorCount: number;
}

export interface FamilySpec {
  /** fixture id; the repo is normscope-families/<id> */
  id: string;
  config: Record<string, unknown>;
  tensors: FixtureTensor[];
  expect: FamilyExpectation;
}

export const L = 4;
export const H = 256;
export const HD = 64;
export const NH = 4;
export const NKV = 2;
const I = 256;
const V = 256;
const EXPERTS = 4;
const MOE_I = 64;

type T = FixtureTensor;
const t = (name: string, shape: number[], dtype: NormDtype): T => ({ name, shape, dtype });

interface Opts {
  dtype: NormDtype;
}

/** Tensors of a llama-style attention block under prefix p (`…self_attn.`). */
function attn(p: string, o: Opts & { bias?: boolean; oBias?: boolean; heads?: number; kv?: number; hd?: number }): T[] {
  const nh = o.heads ?? NH;
  const kv = o.kv ?? NKV;
  const hd = o.hd ?? HD;
  const out = [
    t(`${p}q_proj.weight`, [nh * hd, H], o.dtype),
    t(`${p}k_proj.weight`, [kv * hd, H], o.dtype),
    t(`${p}v_proj.weight`, [kv * hd, H], o.dtype),
    t(`${p}o_proj.weight`, [H, nh * hd], o.dtype),
  ];
  if (o.bias)
    out.push(
      t(`${p}q_proj.bias`, [nh * hd], o.dtype),
      t(`${p}k_proj.bias`, [kv * hd], o.dtype),
      t(`${p}v_proj.bias`, [kv * hd], o.dtype),
    );
  if (o.oBias) out.push(t(`${p}o_proj.bias`, [H], o.dtype));
  return out;
}

function gated(p: string, o: Opts, inter = I): T[] {
  return [
    t(`${p}gate_proj.weight`, [inter, H], o.dtype),
    t(`${p}up_proj.weight`, [inter, H], o.dtype),
    t(`${p}down_proj.weight`, [H, inter], o.dtype),
  ];
}

function experts(p: string, o: Opts, n = EXPERTS): T[] {
  const out: T[] = [];
  for (let e = 0; e < n; e++) out.push(...gated(`${p}${e}.`, o, MOE_I));
  return out;
}

function norm(name: string, width: number | number[], o: Opts): T {
  return t(name, Array.isArray(width) ? width : [width], o.dtype);
}

/** Pre-norm decoder with `model.` layout; `layer` gives the block's tensors after the prefix. */
function decoder(
  o: Opts & { root?: string; layers?: number; finalNorm?: string; embed?: string; head?: boolean },
  layer: (p: string, i: number) => T[],
): T[] {
  const root = o.root ?? 'model.';
  const out: T[] = [t(`${root}${o.embed ?? 'embed_tokens'}.weight`, [V, H], o.dtype)];
  for (let i = 0; i < (o.layers ?? L); i++) out.push(...layer(`${root}layers.${i}.`, i));
  out.push(norm(`${root}${o.finalNorm ?? 'norm'}.weight`, H, o));
  if (o.head !== false) out.push(t('lm_head.weight', [V, H], o.dtype));
  return out;
}

const prePost = (p: string, o: Opts, bias = false): T[] => [
  norm(`${p}input_layernorm.weight`, H, o),
  norm(`${p}post_attention_layernorm.weight`, H, o),
  ...(bias ? [norm(`${p}input_layernorm.bias`, H, o), norm(`${p}post_attention_layernorm.bias`, H, o)] : []),
];
const sandwich = (p: string, o: Opts): T[] => [
  norm(`${p}input_layernorm.weight`, H, o),
  norm(`${p}post_attention_layernorm.weight`, H, o),
  norm(`${p}pre_feedforward_layernorm.weight`, H, o),
  norm(`${p}post_feedforward_layernorm.weight`, H, o),
];
const qk = (p: string, o: Opts, q = HD, k = HD): T[] => [
  norm(`${p}q_norm.weight`, q, o),
  norm(`${p}k_norm.weight`, k, o),
];

function llamaConfig(modelType: string, arch: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: [arch],
    model_type: modelType,
    hidden_size: H,
    intermediate_size: I,
    num_hidden_layers: L,
    num_attention_heads: NH,
    num_key_value_heads: NKV,
    head_dim: HD,
    vocab_size: V,
    rms_norm_eps: 1e-6,
    ...extra,
  };
}

/** A vision tower (SigLIP-like) and projector: the decoys of multimodal wrappers. */
function siglipTower(prefix: string, o: Opts, layers = 2): T[] {
  const out: T[] = [t(`${prefix}embeddings.patch_embedding.weight`, [128, 3, 14, 14], o.dtype)];
  for (let i = 0; i < layers; i++) {
    const p = `${prefix}encoder.layers.${i}.`;
    out.push(
      norm(`${p}layer_norm1.weight`, 128, o),
      norm(`${p}layer_norm1.bias`, 128, o),
      norm(`${p}layer_norm2.weight`, 128, o),
      norm(`${p}layer_norm2.bias`, 128, o),
      t(`${p}self_attn.q_proj.weight`, [128, 128], o.dtype),
      t(`${p}mlp.fc1.weight`, [256, 128], o.dtype),
    );
  }
  out.push(norm(`${prefix}post_layernorm.weight`, 128, o), norm(`${prefix}post_layernorm.bias`, 128, o));
  return out;
}

const BF16: Opts = { dtype: 'BF16' };
const F16: Opts = { dtype: 'F16' };
const F32: Opts = { dtype: 'F32' };
const hidden4 = { input: H, post: H };

function llamaLike(
  id: string,
  modelType: string,
  arch: string,
  o: Opts,
  extra: { bias?: boolean; normBias?: boolean; config?: Record<string, unknown>; mlp?: (p: string) => T[] } = {},
): FamilySpec {
  return {
    id,
    config: llamaConfig(modelType, arch, extra.config),
    tensors: decoder(o, (p) => [
      ...prePost(p, o, extra.normBias),
      ...attn(`${p}self_attn.`, { ...o, bias: extra.bias }),
      ...(extra.mlp ? extra.mlp(p) : gated(`${p}mlp.`, o)),
    ]),
    expect: { entry: 'llama', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  };
}

const GEMMA_SHIFT = { input: 1, post: 1, attn_out: 1, ffn_out: 1, q: 1, k: 1 };

export const FAMILIES: readonly FamilySpec[] = [
  llamaLike('llama', 'llama', 'LlamaForCausalLM', BF16),
  llamaLike('mistral', 'mistral', 'MistralForCausalLM', BF16),
  llamaLike('mixtral', 'mixtral', 'MixtralForCausalLM', BF16, {
    config: { num_local_experts: EXPERTS, num_experts_per_tok: 2 },
    mlp: (p) => [
      t(`${p}block_sparse_moe.gate.weight`, [EXPERTS, H], 'BF16'),
      ...Array.from({ length: EXPERTS }, (_, e) => [
        t(`${p}block_sparse_moe.experts.${e}.w1.weight`, [MOE_I, H], 'BF16'),
        t(`${p}block_sparse_moe.experts.${e}.w2.weight`, [H, MOE_I], 'BF16'),
        t(`${p}block_sparse_moe.experts.${e}.w3.weight`, [MOE_I, H], 'BF16'),
      ]).flat(),
    ],
  }),
  llamaLike('qwen2', 'qwen2', 'Qwen2ForCausalLM', BF16, { bias: true }),
  llamaLike('qwen2moe', 'qwen2_moe', 'Qwen2MoeForCausalLM', BF16, {
    bias: true,
    config: { num_experts: EXPERTS, moe_intermediate_size: MOE_I, shared_expert_intermediate_size: I },
    mlp: (p) => [
      t(`${p}mlp.gate.weight`, [EXPERTS, H], 'BF16'),
      ...experts(`${p}mlp.experts.`, BF16),
      ...gated(`${p}mlp.shared_expert.`, BF16),
      t(`${p}mlp.shared_expert_gate.weight`, [1, H], 'BF16'),
    ],
  }),
  {
    ...llamaLike('qwen3', 'qwen3', 'Qwen3ForCausalLM', BF16),
    tensors: decoder(BF16, (p) => [
      ...prePost(p, BF16),
      ...attn(`${p}self_attn.`, BF16),
      ...qk(`${p}self_attn.`, BF16),
      ...gated(`${p}mlp.`, BF16),
    ]),
    expect: {
      entry: 'qwen3',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: HD, k: HD },
      tensorCount: 4 * L,
    },
  },
  {
    id: 'qwen3moe',
    config: llamaConfig('qwen3_moe', 'Qwen3MoeForCausalLM', { num_experts: EXPERTS, moe_intermediate_size: MOE_I }),
    tensors: decoder(BF16, (p) => [
      ...prePost(p, BF16),
      ...attn(`${p}self_attn.`, BF16),
      ...qk(`${p}self_attn.`, BF16),
      t(`${p}mlp.gate.weight`, [EXPERTS, H], 'BF16'),
      ...experts(`${p}mlp.experts.`, BF16),
    ]),
    expect: {
      entry: 'qwen3',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: HD, k: HD },
      tensorCount: 4 * L,
    },
  },
  qwen3Next('qwen3next', false),
  qwen3Next('qwen3_5', true),
  {
    id: 'gemma',
    config: llamaConfig('gemma', 'GemmaForCausalLM', { num_key_value_heads: 1 }),
    tensors: decoder({ ...BF16, head: false }, (p) => [
      ...prePost(p, BF16),
      ...attn(`${p}self_attn.`, { ...BF16, kv: 1 }),
      ...gated(`${p}mlp.`, BF16),
    ]),
    expect: {
      entry: 'gemma',
      roles: ['input', 'post'],
      widths: hidden4,
      shifts: { input: 1, post: 1 },
      tensorCount: 2 * L,
    },
  },
  {
    id: 'gemma2',
    config: llamaConfig('gemma2', 'Gemma2ForCausalLM'),
    tensors: decoder({ ...BF16, head: false }, (p) => [
      ...sandwich(p, BF16),
      ...attn(`${p}self_attn.`, BF16),
      ...gated(`${p}mlp.`, BF16),
    ]),
    expect: {
      entry: 'gemma2',
      roles: ['input', 'post', 'attn_out', 'ffn_out'],
      widths: { input: H, post: H, attn_out: H, ffn_out: H },
      shifts: { input: 1, post: 1, attn_out: 1, ffn_out: 1 },
      tensorCount: 4 * L,
    },
  },
  gemma3('gemma3', 'gemma3', 'model.language_model.'),
  gemma3('gemma3-legacy-wrapper', 'gemma3', 'language_model.model.'),
  gemma3('gemma3-text', 'gemma3_text', 'model.'),
  gemma3n(),
  {
    id: 'paligemma',
    config: {
      architectures: ['PaliGemmaForConditionalGeneration'],
      model_type: 'paligemma',
      text_config: llamaConfig('gemma', 'GemmaForCausalLM', { num_key_value_heads: 1 }),
      vision_config: { model_type: 'siglip_vision_model', hidden_size: 128, num_hidden_layers: 2 },
    },
    tensors: [
      ...decoder({ ...BF16, root: 'language_model.model.', head: false }, (p) => [
        ...prePost(p, BF16),
        ...attn(`${p}self_attn.`, { ...BF16, kv: 1 }),
        ...gated(`${p}mlp.`, BF16),
      ]),
      ...siglipTower('vision_tower.vision_model.', BF16),
      t('multi_modal_projector.linear.weight', [H, 128], 'BF16'),
    ],
    expect: {
      entry: 'gemma',
      roles: ['input', 'post'],
      widths: hidden4,
      shifts: { input: 1, post: 1 },
      tensorCount: 2 * L,
    },
  },
  {
    id: 'olmo2',
    config: llamaConfig('olmo2', 'Olmo2ForCausalLM', { num_key_value_heads: NKV }),
    tensors: decoder(BF16, (p) => [
      norm(`${p}post_attention_layernorm.weight`, H, BF16),
      norm(`${p}post_feedforward_layernorm.weight`, H, BF16),
      ...attn(`${p}self_attn.`, BF16),
      ...qk(`${p}self_attn.`, BF16, NH * HD, NKV * HD),
      ...gated(`${p}mlp.`, BF16),
    ]),
    expect: {
      entry: 'olmo2',
      roles: ['attn_out', 'ffn_out', 'q', 'k'],
      widths: { attn_out: H, ffn_out: H, q: NH * HD, k: NKV * HD },
      tensorCount: 4 * L,
    },
  },
  {
    id: 'olmoe',
    config: llamaConfig('olmoe', 'OlmoeForCausalLM', { num_key_value_heads: NH, num_experts: EXPERTS }),
    tensors: decoder(BF16, (p) => [
      ...prePost(p, BF16),
      ...attn(`${p}self_attn.`, { ...BF16, kv: NH }),
      ...qk(`${p}self_attn.`, BF16, NH * HD, NH * HD),
      t(`${p}mlp.gate.weight`, [EXPERTS, H], 'BF16'),
      ...experts(`${p}mlp.experts.`, BF16),
    ]),
    expect: {
      entry: 'olmoe',
      roles: ['input', 'post', 'q', 'k'],
      widths: { ...hidden4, q: NH * HD, k: NH * HD },
      tensorCount: 4 * L,
    },
  },
  {
    id: 'cohere',
    config: llamaConfig('cohere', 'CohereForCausalLM', { use_qk_norm: false, layer_norm_eps: 1e-5 }),
    tensors: decoder({ ...BF16, head: false }, (p) => [
      norm(`${p}input_layernorm.weight`, H, BF16),
      ...attn(`${p}self_attn.`, BF16),
      ...gated(`${p}mlp.`, BF16),
    ]),
    expect: { entry: 'cohere', roles: ['input'], widths: { input: H, q: NH * HD, k: NKV * HD }, tensorCount: L },
  },
  {
    id: 'command-r-plus',
    config: llamaConfig('cohere', 'CohereForCausalLM', { use_qk_norm: true, layer_norm_eps: 1e-5 }),
    tensors: decoder({ ...F16, head: false }, (p) => [
      norm(`${p}input_layernorm.weight`, H, F16),
      ...attn(`${p}self_attn.`, F16),
      norm(`${p}self_attn.q_norm.weight`, [NH, HD], F16),
      norm(`${p}self_attn.k_norm.weight`, [NKV, HD], F16),
      ...gated(`${p}mlp.`, F16),
    ]),
    expect: {
      entry: 'cohere',
      roles: ['input', 'q', 'k'],
      widths: { input: H, q: NH * HD, k: NKV * HD },
      tensorCount: 3 * L,
    },
  },
  deepseek('deepseek-v2-lite', 'deepseek_v2', null, false),
  deepseek('deepseek-v3', 'deepseek_v3', 96, true),
  deepseek('kimi-k2', 'kimi_k2', 96, false),
  {
    id: 'glm4',
    config: llamaConfig('glm4', 'Glm4ForCausalLM'),
    tensors: decoder(BF16, (p) => [
      norm(`${p}input_layernorm.weight`, H, BF16),
      norm(`${p}post_self_attn_layernorm.weight`, H, BF16),
      norm(`${p}post_attention_layernorm.weight`, H, BF16),
      norm(`${p}post_mlp_layernorm.weight`, H, BF16),
      ...attn(`${p}self_attn.`, { ...BF16, bias: true }),
      t(`${p}mlp.gate_up_proj.weight`, [2 * I, H], 'BF16'),
      t(`${p}mlp.down_proj.weight`, [H, I], 'BF16'),
    ]),
    expect: {
      entry: 'glm4',
      roles: ['input', 'post', 'attn_out', 'ffn_out'],
      widths: { input: H, post: H, attn_out: H, ffn_out: H },
      tensorCount: 4 * L,
    },
  },
  glm4Moe(),
  {
    id: 'phi2',
    config: {
      architectures: ['PhiForCausalLM'],
      model_type: 'phi',
      hidden_size: H,
      num_hidden_layers: L,
      num_attention_heads: NH,
      intermediate_size: I,
      vocab_size: V,
    },
    tensors: decoder({ ...F16, finalNorm: 'final_layernorm' }, (p) => [
      norm(`${p}input_layernorm.weight`, H, F16),
      norm(`${p}input_layernorm.bias`, H, F16),
      ...attn(`${p}self_attn.`, { ...F16, kv: NH, bias: true }).map((x) =>
        x.name.endsWith('o_proj.weight') ? { ...x, name: x.name.replace('o_proj', 'dense') } : x,
      ),
      t(`${p}mlp.fc1.weight`, [I, H], 'F16'),
      t(`${p}mlp.fc1.bias`, [I], 'F16'),
      t(`${p}mlp.fc2.weight`, [H, I], 'F16'),
      t(`${p}mlp.fc2.bias`, [H], 'F16'),
    ]),
    expect: { entry: 'phi', roles: ['input'], widths: { input: H }, tensorCount: L },
  },
  {
    id: 'phi2-msft',
    config: {
      architectures: ['PhiForCausalLM'],
      model_type: 'phi-msft',
      n_embd: H,
      n_layer: L,
      n_head: NH,
      vocab_size: V,
    },
    tensors: [
      t('transformer.embd.wte.weight', [V, H], 'F16'),
      ...Array.from({ length: L }, (_, i) => [
        norm(`transformer.h.${i}.ln.weight`, H, F16),
        norm(`transformer.h.${i}.ln.bias`, H, F16),
        t(`transformer.h.${i}.mixer.Wqkv.weight`, [3 * H, H], 'F16'),
        t(`transformer.h.${i}.mixer.out_proj.weight`, [H, H], 'F16'),
        t(`transformer.h.${i}.mlp.fc1.weight`, [I, H], 'F16'),
        t(`transformer.h.${i}.mlp.fc2.weight`, [H, I], 'F16'),
      ]).flat(),
      norm('lm_head.ln.weight', H, F16),
      norm('lm_head.ln.bias', H, F16),
      t('lm_head.linear.weight', [V, H], 'F16'),
    ],
    expect: { entry: 'phi', roles: ['input'], widths: { input: H }, tensorCount: L },
  },
  {
    ...llamaLike('phi3', 'phi3', 'Phi3ForCausalLM', BF16),
    tensors: decoder(BF16, (p) => [
      ...prePost(p, BF16),
      t(`${p}self_attn.qkv_proj.weight`, [(NH + 2 * NKV) * HD, H], 'BF16'),
      t(`${p}self_attn.o_proj.weight`, [H, NH * HD], 'BF16'),
      t(`${p}mlp.gate_up_proj.weight`, [2 * I, H], 'BF16'),
      t(`${p}mlp.down_proj.weight`, [H, I], 'BF16'),
    ]),
  },
  llamaLike('phimoe', 'phimoe', 'PhiMoEForCausalLM', BF16, {
    normBias: true,
    bias: true,
    config: { num_local_experts: EXPERTS },
    mlp: (p) => [
      t(`${p}block_sparse_moe.gate.weight`, [EXPERTS, H], 'BF16'),
      ...Array.from({ length: EXPERTS }, (_, e) => [
        t(`${p}block_sparse_moe.experts.${e}.w1.weight`, [MOE_I, H], 'BF16'),
        t(`${p}block_sparse_moe.experts.${e}.w2.weight`, [H, MOE_I], 'BF16'),
        t(`${p}block_sparse_moe.experts.${e}.w3.weight`, [MOE_I, H], 'BF16'),
      ]).flat(),
    ],
  }),
  falcon('falcon-7b', false),
  falcon('falcon-40b', true),
  {
    id: 'falcon-h1',
    config: llamaConfig('falcon_h1', 'FalconH1ForCausalLM', { mamba_d_ssm: 2 * H, mamba_rms_norm: true }),
    tensors: decoder({ ...BF16, finalNorm: 'final_layernorm' }, (p) => [
      norm(`${p}input_layernorm.weight`, H, BF16),
      norm(`${p}pre_ff_layernorm.weight`, H, BF16),
      ...attn(`${p}self_attn.`, BF16),
      t(`${p}mamba.in_proj.weight`, [4 * H, H], 'BF16'),
      norm(`${p}mamba.norm.weight`, 2 * H, BF16),
      t(`${p}mamba.A_log`, [8], 'F32'),
      t(`${p}mamba.D`, [8], 'F32'),
      t(`${p}mamba.out_proj.weight`, [H, 2 * H], 'BF16'),
      ...gated(`${p}feed_forward.`, BF16),
    ]),
    expect: { entry: 'jamba', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
  gpt2Like('gpt2', 'gpt2', 'GPT2LMHeadModel', '', F32, 'gpt2'),
  gpt2Like('gpt2-transformer-prefix', 'gpt2', 'GPT2LMHeadModel', 'transformer.', F32, 'gpt2'),
  gpt2Like('exaone', 'exaone', 'ExaoneForCausalLM', 'transformer.', BF16, 'gpt2'),
  {
    id: 'bloom',
    config: {
      architectures: ['BloomForCausalLM'],
      model_type: 'bloom',
      hidden_size: H,
      n_layer: L,
      n_head: NH,
      vocab_size: V,
    },
    tensors: [
      t('word_embeddings.weight', [V, H], 'BF16'),
      norm('word_embeddings_layernorm.weight', H, BF16),
      norm('word_embeddings_layernorm.bias', H, BF16),
      ...Array.from({ length: L }, (_, i) => [
        ...prePost(`h.${i}.`, BF16, true),
        t(`h.${i}.self_attention.query_key_value.weight`, [3 * H, H], 'BF16'),
        t(`h.${i}.self_attention.dense.weight`, [H, H], 'BF16'),
        t(`h.${i}.mlp.dense_h_to_4h.weight`, [I, H], 'BF16'),
        t(`h.${i}.mlp.dense_4h_to_h.weight`, [H, I], 'BF16'),
      ]).flat(),
      norm('ln_f.weight', H, BF16),
      norm('ln_f.bias', H, BF16),
    ],
    expect: { entry: 'bloom', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
  {
    id: 'gpt-neox',
    config: {
      architectures: ['GPTNeoXForCausalLM'],
      model_type: 'gpt_neox',
      hidden_size: H,
      num_hidden_layers: L,
      num_attention_heads: NH,
      vocab_size: V,
      use_parallel_residual: true,
    },
    tensors: [
      t('gpt_neox.embed_in.weight', [V, H], 'F16'),
      ...Array.from({ length: L }, (_, i) => [
        ...prePost(`gpt_neox.layers.${i}.`, F16, true),
        t(`gpt_neox.layers.${i}.attention.query_key_value.weight`, [3 * H, H], 'F16'),
        t(`gpt_neox.layers.${i}.attention.dense.weight`, [H, H], 'F16'),
        t(`gpt_neox.layers.${i}.mlp.dense_h_to_4h.weight`, [I, H], 'F16'),
        t(`gpt_neox.layers.${i}.mlp.dense_4h_to_h.weight`, [H, I], 'F16'),
      ]).flat(),
      norm('gpt_neox.final_layer_norm.weight', H, F16),
      norm('gpt_neox.final_layer_norm.bias', H, F16),
      t('embed_out.weight', [V, H], 'F16'),
    ],
    expect: { entry: 'gpt-neox', roles: ['input', 'post'], widths: hidden4, tensorCount: 2 * L },
  },
  {
    id: 'gptj',
    config: {
      architectures: ['GPTJForCausalLM'],
      model_type: 'gptj',
      n_embd: H,
      n_layer: L,
      n_head: NH,
      rotary_dim: 16,
      vocab_size: V,
    },
    tensors: [
      t('transformer.wte.weight', [V, H], 'F16'),
      ...Array.from({ length: L }, (_, i) => [
        norm(`transformer.h.${i}.ln_1.weight`, H, F16),
        norm(`transformer.h.${i}.ln_1.bias`, H, F16),
        t(`transformer.h.${i}.attn.q_proj.weight`, [H, H], 'F16'),
        t(`transformer.h.${i}.attn.out_proj.weight`, [H, H], 'F16'),
        t(`transformer.h.${i}.mlp.fc_in.weight`, [I, H], 'F16'),
        t(`transformer.h.${i}.mlp.fc_out.weight`, [H, I], 'F16'),
      ]).flat(),
      norm('transformer.ln_f.weight', H, F16),
      norm('transformer.ln_f.bias', H, F16),
      t('lm_head.weight', [V, H], 'F16'),
    ],
    expect: { entry: 'gptj', roles: ['input'], widths: { input: H }, tensorCount: L },
  },
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

function qwen3Next(id: string, wrapped: boolean): FamilySpec {
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

function gemma3(id: string, modelType: string, root: string): FamilySpec {
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

function gemma3n(): FamilySpec {
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

function deepseek(id: string, modelType: string, qLora: number | null, mtp: boolean): FamilySpec {
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

function glm4Moe(): FamilySpec {
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

function falcon(id: string, big: boolean): FamilySpec {
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

function gpt2Like(
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

function mamba(id: string, modelType: string, arch: string, mixerNorm: boolean): FamilySpec {
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

function plamo2(): FamilySpec {
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

function bert(id: string, modelType: string, arch: string, root: string, param: 'weight' | 'gamma'): FamilySpec {
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
