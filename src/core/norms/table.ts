// The architecture table: for each family (or naming scheme), where its decoder blocks live and
// which per-layer tensors are norm weights γ, with the role each plays. Data only; matcher.ts reads
// it. Names were checked against llama.cpp's gguf-py/gguf/tensor_mapping.py and the transformers
// modeling files. One more architecture is one more entry.
import type { NormRole } from '../types.ts';

/** How wide a role's vector is, in terms of the config. */
export type WidthRule =
  | 'hidden' // the residual stream
  | 'head_dim' // one head, shared by all heads
  | 'q_heads' // num_attention_heads × head_dim (hidden-wide q norms, or [heads, head_dim] flattened)
  | 'kv_heads' // num_key_value_heads × head_dim
  | 'q_lora_rank'
  | 'kv_lora_rank';

export interface NormRule {
  /** the tensor name after `<block prefix><layer>.`, parameter name included (`….weight`) */
  tail: string;
  role: NormRole;
  /** the stored value w is applied as w + shift (Gemma's (1 + w): shift 1); 0 when absent */
  shift?: number;
  /** default: hidden for input/post/attn_out/ffn_out, head_dim for q/k, the ranks for q_a/kv_a */
  width?: WidthRule;
  /** some checkpoints of the family lack it (a config switch): no warning when it is absent */
  optional?: boolean;
  /** only some layers have it (attention layers of a hybrid): no warning for the others */
  sparse?: boolean;
  /** one tensor per head, `<tail>.<head>.weight`; the pieces concatenate in head order */
  perHead?: boolean;
}

export interface ArchEntry {
  /** short id, shown as the norm family */
  id: string;
  /** config model_type values (top level or text_config) that select this entry */
  modelTypes: readonly string[];
  /**
   * Decoder block prefixes, each followed by the layer number. Prefixes starting with `model.`
   * also match inside multimodal wrappers (`language_model.model.`, `model.language_model.`,
   * `model.text_model.`) and bare (`layers.N…`, as embedding models save them).
   */
  blocks: readonly string[];
  norms: readonly NormRule[];
  /** prefixes of MTP blocks numbered apart from the decoder (`mtp.layers.K.`), shown as num_hidden_layers + K */
  mtpBlocks?: readonly string[];
  /** the family has no γ at all (non-parametric LayerNorm) */
  noNorms?: boolean;
  notes: string;
}

const w = (name: string) => `${name}.weight`;
const rule = (name: string, role: NormRole, extra: Omit<NormRule, 'tail' | 'role'> = {}): NormRule => ({
  tail: w(name),
  role,
  ...extra,
});
const shifted = (rules: readonly NormRule[], shift: number): NormRule[] => rules.map((r) => ({ ...r, shift }));

const PRE_POST = [rule('input_layernorm', 'input'), rule('post_attention_layernorm', 'post')];
const QK_HEAD = [rule('self_attn.q_norm', 'q'), rule('self_attn.k_norm', 'k')];
/** gemma2/3/3n, the sandwich: norms before and after both attention and MLP */
const SANDWICH = [
  rule('input_layernorm', 'input'),
  rule('post_attention_layernorm', 'attn_out'),
  rule('pre_feedforward_layernorm', 'post'),
  rule('post_feedforward_layernorm', 'ffn_out'),
];
/** BERT-style post-LN encoder; old TF-converted saves name the scale `gamma` */
const BERT_OUT = (['weight', 'gamma'] as const).flatMap((p) => [
  { tail: `attention.output.LayerNorm.${p}`, role: 'attn_out' as const },
  { tail: `output.LayerNorm.${p}`, role: 'ffn_out' as const },
]);

export const NORM_ARCHITECTURES: readonly ArchEntry[] = [
  {
    id: 'llama',
    modelTypes: [
      'llama',
      'llama4',
      'llama4_text',
      'mistral',
      'mistral3',
      'ministral',
      'mixtral',
      'qwen2',
      'qwen2_moe',
      'qwen2_vl',
      'qwen2_5_vl',
      'phi3',
      'phimoe',
      'granite',
      'granitemoe',
      'granitemoeshared',
      'granitemoehybrid',
      'minicpm',
      'baichuan',
      'arcee',
      'ernie4_5',
      'ernie4_5_moe',
      'smollm3',
      'seed_oss',
      'gpt_oss',
      'starcoder2',
      'deepseek',
      'solar_open',
      'internlm3',
      'yi',
      'llava',
      'idefics3',
      'smolvlm',
      'exaone_moe',
    ],
    blocks: ['model.layers.'],
    norms: PRE_POST,
    notes:
      'Pre-norm decoders: input_layernorm before attention, post_attention_layernorm before the MLP/MoE. LayerNorm with bias in starcoder2 and phimoe; GPT-OSS attention sinks and granite-hybrid mamba.norm are not norms.',
  },
  {
    id: 'meta-consolidated',
    modelTypes: [],
    blocks: ['layers.'],
    norms: [rule('attention_norm', 'input'), rule('ffn_norm', 'post')],
    notes: 'Meta/Mistral native consolidated*.safetensors (no config.json model_type).',
  },
  {
    id: 'qwen3',
    modelTypes: ['qwen3', 'qwen3_moe', 'qwen3_vl', 'qwen3_vl_text', 'qwen3_vl_moe', 'qwen3_vl_moe_text'],
    blocks: ['model.layers.'],
    norms: [...PRE_POST, ...QK_HEAD],
    notes: 'Llama layout plus per-head q_norm/k_norm, head_dim wide.',
  },
  {
    id: 'glm4_moe',
    modelTypes: ['glm4_moe', 'glm4v_moe', 'glm4v_moe_text'],
    blocks: ['model.layers.'],
    norms: [...PRE_POST, ...QK_HEAD.map((r) => ({ ...r, optional: true }))],
    notes:
      'GLM-4.5/4.6: llama layout, q/k norms when use_qk_norm; MTP block at layer num_hidden_layers (enorm, hnorm, shared_head.norm).',
  },
  {
    id: 'deepseek-mla',
    modelTypes: ['deepseek_v2', 'deepseek_v3', 'kimi_k2', 'kimi_vl'],
    blocks: ['model.layers.'],
    norms: [
      ...PRE_POST,
      rule('self_attn.q_a_layernorm', 'q_a', { optional: true }),
      rule('self_attn.kv_a_layernorm', 'kv_a'),
    ],
    notes:
      'Multi-head latent attention: q_a (q_lora_rank wide; absent when q_lora_rank is null, e.g. V2-Lite) and kv_a (kv_lora_rank). V3/Kimi-K2 MTP at layer num_hidden_layers.',
  },
  {
    id: 'olmo2',
    modelTypes: ['olmo2', 'olmo3'],
    blocks: ['model.layers.'],
    norms: [
      rule('post_attention_layernorm', 'attn_out'),
      rule('post_feedforward_layernorm', 'ffn_out'),
      rule('self_attn.q_norm', 'q', { width: 'q_heads' }),
      rule('self_attn.k_norm', 'k', { width: 'kv_heads' }),
    ],
    notes: 'Post-norm only: no input or pre-MLP norm. q_norm/k_norm are hidden wide (k: kv_heads × head_dim).',
  },
  {
    id: 'exaone4',
    modelTypes: ['exaone4'],
    blocks: ['model.layers.'],
    norms: [rule('post_attention_layernorm', 'attn_out'), rule('post_feedforward_layernorm', 'ffn_out'), ...QK_HEAD],
    notes: 'EXAONE 4: OLMo 2-style post-norms with head_dim q/k norms.',
  },
  {
    id: 'gemma',
    modelTypes: ['gemma', 'paligemma'],
    blocks: ['model.layers.'],
    norms: shifted(PRE_POST, 1),
    notes: 'GemmaRMSNorm stores w and applies (1 + w).',
  },
  {
    id: 'gemma2',
    modelTypes: ['gemma2', 'paligemma'],
    blocks: ['model.layers.'],
    norms: shifted(SANDWICH, 1),
    notes:
      'Sandwich norms; post_attention_layernorm acts on the attention output (attn_out), pre_feedforward_layernorm before the MLP. Stored γ − 1.',
  },
  {
    id: 'gemma3',
    modelTypes: ['gemma3', 'gemma3_text'],
    blocks: ['model.layers.'],
    norms: shifted([...SANDWICH, ...QK_HEAD], 1),
    notes: 'Gemma 2 sandwich plus q/k norms (head_dim), all stored γ − 1; multimodal saves wrap the decoder.',
  },
  {
    id: 'gemma3n',
    modelTypes: ['gemma3n', 'gemma3n_text'],
    blocks: ['model.layers.'],
    norms: [...SANDWICH, ...QK_HEAD],
    notes:
      'Gemma 3 names, but plain RMSNorm (stores γ itself). AltUp, LAuReL and per-layer-input norms are not compared.',
  },
  {
    id: 'olmoe',
    modelTypes: ['olmoe'],
    blocks: ['model.layers.'],
    norms: [
      ...PRE_POST,
      rule('self_attn.q_norm', 'q', { width: 'q_heads' }),
      rule('self_attn.k_norm', 'k', { width: 'kv_heads' }),
    ],
    notes: 'Llama layout with hidden-wide q/k norms.',
  },
  {
    id: 'olmo',
    modelTypes: ['olmo'],
    blocks: ['model.layers.'],
    norms: [],
    noNorms: true,
    notes: 'OLMo (1) uses LayerNorm without weights: there is no γ to compare.',
  },
  {
    id: 'cohere',
    modelTypes: ['cohere', 'cohere2'],
    blocks: ['model.layers.'],
    norms: [
      rule('input_layernorm', 'input'),
      rule('self_attn.q_norm', 'q', { width: 'q_heads', optional: true }),
      rule('self_attn.k_norm', 'k', { width: 'kv_heads', optional: true }),
    ],
    notes:
      'Parallel block: one LayerNorm (no bias) per layer. Command-R+ adds per-head q/k norms stored [heads, head_dim], compared flattened.',
  },
  {
    id: 'glm4',
    modelTypes: ['glm4', 'glm4v', 'glm4v_text'],
    blocks: ['model.layers.'],
    norms: [
      rule('input_layernorm', 'input'),
      rule('post_self_attn_layernorm', 'attn_out'),
      rule('post_attention_layernorm', 'post'),
      rule('post_mlp_layernorm', 'ffn_out'),
    ],
    notes:
      'GLM-4-0414: sandwich norms named post_self_attn_layernorm (attn_out) and post_mlp_layernorm (ffn_out); here post_attention_layernorm is the pre-MLP norm.',
  },
  {
    id: 'qwen3-next',
    modelTypes: ['qwen3_next', 'qwen3_5', 'qwen3_5_text', 'qwen3_5_moe', 'qwen3_5_moe_text'],
    blocks: ['model.layers.'],
    mtpBlocks: ['mtp.layers.'],
    norms: shifted([...PRE_POST, ...QK_HEAD.map((r) => ({ ...r, sparse: true }))], 1),
    notes:
      'Qwen3-Next / Qwen3.5: (1 + w) RMSNorm; q/k norms only in the full-attention layers; linear_attn.norm (gated, plain γ) is not compared. MTP blocks under mtp.layers.',
  },
  {
    id: 'nemotron',
    modelTypes: ['nemotron'],
    blocks: ['model.layers.'],
    norms: shifted(PRE_POST, 1),
    notes: 'Nemotron layernorm1p: LayerNorm that applies (1 + w).',
  },
  {
    id: 'hunyuan',
    modelTypes: ['hunyuan_v1_dense', 'hunyuan_v1_moe', 'hunyuan'],
    blocks: ['model.layers.'],
    norms: [...PRE_POST, rule('self_attn.query_layernorm', 'q'), rule('self_attn.key_layernorm', 'k')],
    notes: 'Hunyuan: llama layout, q/k norms named query_layernorm/key_layernorm (head_dim).',
  },
  {
    id: 'persimmon',
    modelTypes: ['persimmon', 'fuyu'],
    blocks: ['model.layers.'],
    norms: [...PRE_POST, rule('self_attn.q_layernorm', 'q'), rule('self_attn.k_layernorm', 'k')],
    notes: 'Persimmon/Fuyu: LayerNorm with bias, q/k LayerNorm over head_dim.',
  },
  {
    id: 'stablelm',
    modelTypes: ['stablelm', 'stablelm_epoch'],
    blocks: ['model.layers.'],
    norms: [
      rule('input_layernorm', 'input'),
      rule('post_attention_layernorm', 'post', { optional: true }),
      { tail: 'self_attn.q_layernorm.norms', role: 'q', width: 'q_heads', optional: true, perHead: true },
      { tail: 'self_attn.k_layernorm.norms', role: 'k', width: 'kv_heads', optional: true, perHead: true },
    ],
    notes:
      'StableLM: LayerNorm with bias; parallel-residual models (2-12B) have no post norm; qk_layernorm keeps one LayerNorm per head (pieces concatenated).',
  },
  {
    id: 'apertus',
    modelTypes: ['apertus'],
    blocks: ['model.layers.'],
    norms: [rule('attention_layernorm', 'input'), rule('feedforward_layernorm', 'post'), ...QK_HEAD],
    notes: 'Apertus: attention_layernorm / feedforward_layernorm, head_dim q/k norms.',
  },
  {
    id: 'lfm2',
    modelTypes: ['lfm2', 'lfm2_moe', 'lfm2_vl'],
    blocks: ['model.layers.'],
    norms: [
      rule('operator_norm', 'input'),
      rule('ffn_norm', 'post'),
      rule('self_attn.q_layernorm', 'q', { sparse: true }),
      rule('self_attn.k_layernorm', 'k', { sparse: true }),
    ],
    notes:
      'LFM2: operator_norm before the conv/attention operator, ffn_norm before the MLP; q/k norms in attention layers only.',
  },
  {
    id: 'internlm2',
    modelTypes: ['internlm2'],
    blocks: ['model.layers.'],
    norms: [rule('attention_norm', 'input'), rule('ffn_norm', 'post')],
    notes: 'InternLM2: attention_norm / ffn_norm under model.layers.',
  },
  {
    id: 'jamba',
    modelTypes: ['jamba', 'falcon_h1'],
    blocks: ['model.layers.'],
    norms: [rule('input_layernorm', 'input'), rule('pre_ff_layernorm', 'post')],
    notes:
      'Jamba and Falcon-H1: pre_ff_layernorm before the MLP/MoE; mamba dt/b/c layernorms and mamba.norm (d_inner) are not compared.',
  },
  {
    id: 'mamba',
    modelTypes: ['mamba', 'mamba2', 'falcon_mamba', 'nemotron_h'],
    blocks: ['backbone.layers.'],
    norms: [rule('norm', 'input')],
    notes:
      'One norm per block (before the mixer). Nemotron-H blocks are mamba, attention or MLP, each with this norm. mixer.norm (gated, d_inner wide) is not compared.',
  },
  {
    id: 'plamo2',
    modelTypes: ['plamo2'],
    blocks: ['model.layers.layers.'],
    norms: [
      rule('pre_mixer_norm', 'input', { shift: 1 }),
      rule('post_mixer_norm', 'attn_out', { shift: 1 / 5 }),
      rule('pre_mlp_norm', 'post', { shift: 1 }),
      rule('post_mlp_norm', 'ffn_out', { shift: 1 / 5 ** 1.5 }),
      { tail: 'mixer.q_weight', role: 'q', width: 'q_heads', sparse: true },
      { tail: 'mixer.k_weight', role: 'k', width: 'kv_heads', sparse: true },
    ],
    notes:
      'PLaMo 2: RMSNorm with offsets (applied = w + 1, w + 1/5, w + 1, w + 5^-1.5); per-head q/k weights [heads, qk_dim] in attention layers.',
  },
  {
    id: 'gpt2',
    modelTypes: ['gpt2', 'gpt_bigcode', 'exaone', 'jais'],
    blocks: ['transformer.h.', 'h.'],
    norms: [rule('ln_1', 'input'), rule('ln_2', 'post')],
    notes: 'GPT-2 family: ln_1 / ln_2 LayerNorm with bias (EXAONE 3 uses the same names, RMSNorm).',
  },
  {
    id: 'gptj',
    modelTypes: ['gptj', 'codegen'],
    blocks: ['transformer.h.'],
    norms: [rule('ln_1', 'input')],
    notes: 'GPT-J / CodeGen: parallel block, one LayerNorm (ln_1) per layer.',
  },
  {
    id: 'phi',
    modelTypes: ['phi', 'phi-msft'],
    blocks: ['model.layers.', 'transformer.h.'],
    norms: [rule('input_layernorm', 'input'), rule('ln', 'input')],
    notes:
      'Phi-1.5/Phi-2: parallel block, one LayerNorm per layer (model.layers.N.input_layernorm, or transformer.h.N.ln in the original saves).',
  },
  {
    id: 'gpt-neox',
    modelTypes: ['gpt_neox'],
    blocks: ['gpt_neox.layers.'],
    norms: PRE_POST,
    notes: 'Pythia and friends; LayerNorm with bias, parallel residual.',
  },
  {
    id: 'bloom',
    modelTypes: ['bloom'],
    blocks: ['transformer.h.', 'h.'],
    norms: PRE_POST,
    notes: 'BLOOM: LayerNorm with bias; word_embeddings_layernorm is an embedding norm.',
  },
  {
    id: 'falcon',
    modelTypes: ['falcon', 'RefinedWeb', 'RefinedWebModel'],
    blocks: ['transformer.h.'],
    norms: [
      rule('input_layernorm', 'input'),
      rule('ln_attn', 'input'),
      rule('ln_mlp', 'post', { optional: true }),
      rule('post_attention_layernorm', 'post', { optional: true }),
    ],
    notes:
      'Falcon 7B: one input_layernorm (parallel block); 40B/180B: ln_attn before attention, ln_mlp before the MLP; RW-1B: llama-style pair.',
  },
  {
    id: 'chatglm',
    modelTypes: ['chatglm'],
    blocks: ['transformer.encoder.layers.'],
    norms: PRE_POST,
    notes: 'ChatGLM2/3, GLM-4 (original): transformer.encoder.layers.N.',
  },
  {
    id: 'dbrx',
    modelTypes: ['dbrx'],
    blocks: ['transformer.blocks.'],
    norms: [rule('norm_attn_norm.norm_1', 'input'), rule('norm_attn_norm.norm_2', 'post')],
    notes:
      'DBRX: norm_1 before attention, norm_2 before the MoE (llama.cpp files it as attn_output_norm, but it feeds the FFN).',
  },
  {
    id: 'mpt',
    modelTypes: ['mpt'],
    blocks: ['transformer.blocks.'],
    norms: [rule('norm_1', 'input'), rule('norm_2', 'post')],
    notes: 'MPT: norm_1 / norm_2 (LayerNorm, often without bias).',
  },
  {
    id: 'bert',
    modelTypes: ['bert', 'roberta', 'xlm-roberta', 'camembert', 'electra'],
    blocks: ['encoder.layer.', 'bert.encoder.layer.', 'roberta.encoder.layer.', 'electra.encoder.layer.'],
    norms: BERT_OUT,
    notes:
      'Post-LN encoders: attention.output.LayerNorm (attn_out) and output.LayerNorm (ffn_out); embeddings.LayerNorm is an embedding norm.',
  },
];

/** Roles whose vectors are hidden wide unless a rule says otherwise. */
export function defaultWidth(role: NormRole): WidthRule {
  if (role === 'q' || role === 'k') return 'head_dim';
  if (role === 'q_a') return 'q_lora_rank';
  if (role === 'kv_a') return 'kv_lora_rank';
  return 'hidden';
}
