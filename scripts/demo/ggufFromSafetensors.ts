// A GGUF converter for the family fixtures, the way llama.cpp's convert_hf_to_gguf.py (+ llama-quantize
// and gguf-split) would write them, and independent of NormScope's GGUF reader: its own HF → GGUF
// name table (the inverse of what the reader matches, written out per architecture from
// gguf-py's tensor_mapping.py), its own shift rule, and writeGguf for the bytes.
//
// What matters for norms, as the converter does it:
// - every tensor is upcast to F32 first when it is BF16 (ModelBase keeps F16/F32 as they are);
// - Gemma-style families add 1 to every `…norm.weight` in F32 (`data_torch + 1`), so the file
//   holds the applied γ; DeepSeek V2/V3 drop the MTP layers (skip_mtp), GLM-4.5 keeps them as
//   blk.N.* + blk.N.nextn.* with block_count = layers + nextn;
// - 1-D tensors and any `*_norm.weight` (also 2-D per-head q/k norms) are written F32; the other
//   weights take the file's quantization (K-quants fall back where a row is not whole 256-blocks).
import { decodeTensor, encodeBf16, encodeF32 } from '../../src/core/dtypes.ts';
import {
  tensorByteSize,
  writeGguf,
  type GgufToWrite,
  type KvValue,
  type TensorToWrite,
} from '../../src/core/gguf/testing/writeGguf.ts';
import { parseSafetensorsFile } from '../../src/core/safetensors.ts';
import type { FamilySpec } from '../../src/core/testdata/families.ts';
import type { NormDtype } from '../../src/core/types.ts';

export type GgufQuant = 'Q4_K_M' | 'Q8_0' | 'BF16';

/** ggml type ids (gguf-py constants GGMLQuantizationType) */
const G = { F32: 0, F16: 1, Q5_0: 6, Q8_0: 8, Q4_K: 12, Q6_K: 14, BF16: 30 } as const;
/** llama_ftype of the whole file */
const FILE_TYPE: Record<GgufQuant, number> = { Q4_K_M: 15, Q8_0: 7, BF16: 32 };

interface ArchConversion {
  /** llama.cpp's architecture name (general.architecture) */
  arch: string;
  /** per-layer HF tail (after `<block>.N.`, without .weight/.bias) → GGUF kind (after `blk.N.`) */
  block: Readonly<Record<string, string>>;
  /** HF block prefixes, the layer number follows */
  blocks: readonly string[];
  /** whole HF names (without .weight/.bias) → GGUF names */
  top: Readonly<Record<string, string>>;
  /** the converter adds 1 to every `…norm.weight` */
  normPlusOne?: boolean;
  /** drop blocks ≥ num_hidden_layers (DeepSeek V2/V3: skip_mtp) */
  skipMtp?: boolean;
  /** keep MTP blocks and write ARCH.nextn_predict_layers */
  nextn?: boolean;
  epsKey?: 'layer_norm_rms_epsilon' | 'layer_norm_epsilon';
}

const LLAMA_TOP = { 'model.embed_tokens': 'token_embd', 'model.norm': 'output_norm', lm_head: 'output' };
const ATTN = {
  'self_attn.q_proj': 'attn_q',
  'self_attn.k_proj': 'attn_k',
  'self_attn.v_proj': 'attn_v',
  'self_attn.o_proj': 'attn_output',
};
const MLP = { 'mlp.gate_proj': 'ffn_gate', 'mlp.up_proj': 'ffn_up', 'mlp.down_proj': 'ffn_down' };
const PRE_POST = { input_layernorm: 'attn_norm', post_attention_layernorm: 'ffn_norm' };
const QK = { 'self_attn.q_norm': 'attn_q_norm', 'self_attn.k_norm': 'attn_k_norm' };
const MOE = {
  'mlp.gate': 'ffn_gate_inp',
  'mlp.gate.e_score_correction': 'exp_probs_b',
  'mlp.shared_experts.gate_proj': 'ffn_gate_shexp',
  'mlp.shared_experts.up_proj': 'ffn_up_shexp',
  'mlp.shared_experts.down_proj': 'ffn_down_shexp',
  // merged per layer from mlp.experts.<e>.<w>_proj
  'mlp.experts.gate_proj': 'ffn_gate_exps',
  'mlp.experts.up_proj': 'ffn_up_exps',
  'mlp.experts.down_proj': 'ffn_down_exps',
};
const NEXTN = {
  enorm: 'nextn.enorm',
  hnorm: 'nextn.hnorm',
  eh_proj: 'nextn.eh_proj',
  'shared_head.norm': 'nextn.shared_head_norm',
  'shared_head.head': 'nextn.shared_head_head',
  embed_tokens: 'nextn.embed_tokens',
};

/** Families with a clear llama.cpp mapping, by fixture id. */
export const GGUF_CONVERSIONS: Readonly<Record<string, ArchConversion>> = {
  llama: { arch: 'llama', blocks: ['model.layers.'], top: LLAMA_TOP, block: { ...PRE_POST, ...ATTN, ...MLP } },
  qwen3: { arch: 'qwen3', blocks: ['model.layers.'], top: LLAMA_TOP, block: { ...PRE_POST, ...ATTN, ...QK, ...MLP } },
  gemma3: {
    arch: 'gemma3',
    blocks: ['model.layers.'],
    top: LLAMA_TOP,
    normPlusOne: true,
    block: {
      input_layernorm: 'attn_norm',
      post_attention_layernorm: 'post_attention_norm',
      pre_feedforward_layernorm: 'ffn_norm',
      post_feedforward_layernorm: 'post_ffw_norm',
      ...ATTN,
      ...QK,
      ...MLP,
    },
  },
  'deepseek-v3': {
    arch: 'deepseek2',
    blocks: ['model.layers.'],
    top: LLAMA_TOP,
    skipMtp: true,
    block: {
      ...PRE_POST,
      ...MLP,
      ...MOE,
      'self_attn.q_a_proj': 'attn_q_a',
      'self_attn.q_a_layernorm': 'attn_q_a_norm',
      'self_attn.q_b_proj': 'attn_q_b',
      'self_attn.kv_a_proj_with_mqa': 'attn_kv_a_mqa',
      'self_attn.kv_a_layernorm': 'attn_kv_a_norm',
      'self_attn.kv_b_proj': 'attn_kv_b',
      'self_attn.o_proj': 'attn_output',
    },
  },
  olmo2: {
    arch: 'olmo2',
    blocks: ['model.layers.'],
    top: LLAMA_TOP,
    block: {
      post_attention_layernorm: 'post_attention_norm',
      post_feedforward_layernorm: 'post_ffw_norm',
      ...ATTN,
      ...QK,
      ...MLP,
    },
  },
  'glm4-moe': {
    arch: 'glm4moe',
    blocks: ['model.layers.'],
    top: LLAMA_TOP,
    nextn: true,
    block: { ...PRE_POST, ...ATTN, ...QK, ...MLP, ...MOE, ...NEXTN },
  },
  phi3: {
    arch: 'phi3',
    blocks: ['model.layers.'],
    top: LLAMA_TOP,
    block: {
      ...PRE_POST,
      'self_attn.qkv_proj': 'attn_qkv',
      'self_attn.o_proj': 'attn_output',
      'mlp.gate_up_proj': 'ffn_up',
      'mlp.down_proj': 'ffn_down',
    },
  },
  'falcon-40b': {
    arch: 'falcon',
    blocks: ['transformer.h.'],
    top: { 'transformer.word_embeddings': 'token_embd', 'transformer.ln_f': 'output_norm', lm_head: 'output' },
    epsKey: 'layer_norm_epsilon',
    block: {
      ln_attn: 'attn_norm_2',
      ln_mlp: 'attn_norm',
      'self_attention.query_key_value': 'attn_qkv',
      'self_attention.dense': 'attn_output',
      'mlp.dense_h_to_4h': 'ffn_up',
      'mlp.dense_4h_to_h': 'ffn_down',
    },
  },
  'command-r-plus': {
    arch: 'command-r',
    blocks: ['model.layers.'],
    top: LLAMA_TOP,
    epsKey: 'layer_norm_epsilon',
    block: { input_layernorm: 'attn_norm', ...ATTN, ...QK, ...MLP },
  },
};

/** The text model's names: multimodal wrappers unwrapped, towers left to the mmproj file. */
function textName(name: string): string | null {
  if (/^(model\.)?(vision_tower|multi_modal_projector|vision_model|visual)\./.test(name)) return null;
  return name
    .replace(/^model\.language_model\./, 'model.')
    .replace(/^language_model\.model\./, 'model.')
    .replace(/^language_model\.lm_head/, 'lm_head');
}

interface HfTensor {
  name: string;
  dtype: NormDtype;
  shape: number[];
  bytes: Uint8Array;
}

function readRepoTensors(files: Record<string, Uint8Array | string>): Map<string, HfTensor> {
  const out = new Map<string, HfTensor>();
  for (const [path, data] of Object.entries(files)) {
    if (!path.endsWith('.safetensors') || typeof data === 'string') continue;
    for (const t of parseSafetensorsFile(data).tensors)
      out.set(t.name, {
        name: t.name,
        dtype: t.dtype as NormDtype,
        shape: t.shape,
        bytes: data.subarray(t.start, t.end),
      });
  }
  return out;
}

const num = (c: Record<string, unknown>, ...keys: string[]): number | null => {
  for (const k of keys) if (typeof c[k] === 'number') return c[k] as number;
  return null;
};

/** the type a weight gets in a file of quantization q (llama-quantize's choice, simplified) */
function weightType(q: GgufQuant, gguf: string, shape: readonly number[]): number {
  const row = shape[shape.length - 1] as number;
  if (q === 'BF16') return G.BF16;
  if (q === 'Q8_0') return row % 32 === 0 ? G.Q8_0 : G.F16;
  const k = /(^output|attn_v|ffn_down)/.test(gguf.replace(/^blk\.\d+\./, '')) ? G.Q6_K : G.Q4_K;
  if (row % 256 === 0) return k;
  return row % 32 === 0 ? G.Q5_0 : G.F16; // a K-quant needs whole 256-element rows
}

const BYTES: Record<number, [number, number]> = { [G.Q5_0]: [32, 22], [G.F16]: [1, 2] };

function sizeOf(type: number, shape: readonly number[]): number {
  const own = BYTES[type];
  if (own) return (shape.reduce((a, b) => a * b, 1) / own[0]) * own[1];
  return tensorByteSize(type, shape);
}

function filler(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + seed * 17) & 0x7f;
  return out;
}

const u32 = (value: number): KvValue => ({ kind: 'u32', value });
const f32 = (value: number): KvValue => ({ kind: 'f32', value });
const str = (value: string): KvValue => ({ kind: 'string', value });

function tokenizerKv(vocab: number): [string, KvValue][] {
  // three control tokens, 256 byte tokens, then words
  const tokenKind = (i: number): 'control' | 'byte' | 'word' => {
    if (i < 3) return 'control';
    return i < 259 ? 'byte' : 'word';
  };
  const tokens = Array.from({ length: vocab }, (_, i) => {
    const kind = tokenKind(i);
    if (kind === 'control') return ['<unk>', '<s>', '</s>'][i]!;
    return kind === 'byte' ? `<0x${(i - 3).toString(16).toUpperCase().padStart(2, '0')}>` : `▁tok${i}`;
  });
  const TOKEN_TYPE = { control: 3, byte: 6, word: 1 };
  return [
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.pre', str('default')],
    ['tokenizer.ggml.tokens', { kind: 'array', of: 'string', items: tokens }],
    ['tokenizer.ggml.token_type', { kind: 'array', of: 'i32', items: tokens.map((_, i) => TOKEN_TYPE[tokenKind(i)]) }],
    [
      'tokenizer.ggml.merges',
      { kind: 'array', of: 'string', items: Array.from({ length: vocab / 2 }, (_, i) => `▁t ok${i}`) },
    ],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
  ];
}

export interface ConvertOptions {
  quant: GgufQuant;
  /** general.name */
  name: string;
  /** tokenizer size (a few thousand tokens make a realistic header) */
  vocab?: number;
}

/** One family fixture repo (its safetensors files and config) → the GGUF llama.cpp would write. */
export function ggufFromSafetensors(
  spec: FamilySpec,
  files: Record<string, Uint8Array | string>,
  opts: ConvertOptions,
): GgufToWrite {
  const conv = GGUF_CONVERSIONS[spec.id];
  if (!conv) throw new Error(`no GGUF conversion for ${spec.id}`);
  const config = ((spec.config.text_config as Record<string, unknown> | undefined) ?? spec.config) as Record<
    string,
    unknown
  >;
  const layers = num(config, 'num_hidden_layers', 'n_layer') as number;
  const nextn = conv.nextn ? (num(config, 'num_nextn_predict_layers') ?? 0) : 0;
  const hidden = num(config, 'hidden_size') as number;
  const heads = num(config, 'num_attention_heads') as number;
  const a = conv.arch;

  const tensors: TensorToWrite[] = [];
  const experts = new Map<string, { shape: number[]; count: number }>();
  const put = (gguf: string, hf: HfTensor, shapeOverride?: number[]) => {
    const shape = shapeOverride ?? hf.shape;
    const isNorm = hf.name.endsWith('norm.weight');
    if (shape.length <= 1 || gguf.endsWith('_norm.weight') || gguf.endsWith('norm.weight')) {
      // upcast (BF16 → F32 is exact; F16 → F32 exact), then the converter's + 1 in float32
      let v = decodeTensor(hf.bytes, hf.dtype);
      if (conv.normPlusOne && isNorm) v = v.map((x) => Math.fround(x + 1));
      tensors.push({ name: gguf, shape, type: G.F32, data: encodeF32(v) });
      return;
    }
    const type = weightType(opts.quant, gguf, shape);
    let data: Uint8Array;
    if (type !== G.BF16) data = filler(sizeOf(type, shape), tensors.length);
    else data = hf.dtype === 'BF16' ? hf.bytes.slice() : encodeBf16(decodeTensor(hf.bytes, hf.dtype));
    tensors.push({ name: gguf, shape, type, data });
  };

  for (const hf of readRepoTensors(files).values()) {
    const name = textName(hf.name);
    if (name === null) continue;
    const param = (['bias', 'weight'] as const).find((p) => name.endsWith(`.${p}`)) ?? null;
    const base = param ? name.slice(0, -(param.length + 1)) : name;
    const top = conv.top[base];
    if (top) {
      put(`${top}.${param ?? 'weight'}`, hf);
      continue;
    }
    const prefix = conv.blocks.find((p) => base.startsWith(p));
    if (!prefix) continue;
    const m = /^(\d+)\.(.+)$/.exec(base.slice(prefix.length));
    if (!m) continue;
    const bid = Number(m[1]);
    let tail = m[2] as string;
    if (bid >= layers && (conv.skipMtp || !conv.nextn)) continue;
    if (tail === 'mlp.gate.e_score_correction_bias') tail = 'mlp.gate.e_score_correction';
    const expert = /^mlp\.experts\.(\d+)\.(gate_proj|up_proj|down_proj)$/.exec(tail);
    if (expert) {
      // merged into one [experts, out, in] tensor per layer, written once all experts are seen
      const key = `blk.${bid}.${conv.block[`mlp.experts.${expert[2]}`]}.weight`;
      const e = experts.get(key) ?? { shape: hf.shape, count: 0 };
      e.count++;
      experts.set(key, e);
      const total = num(config, 'n_routed_experts', 'num_experts', 'num_local_experts') as number;
      if (e.count === total) put(key, hf, [total, ...hf.shape]);
      continue;
    }
    const kind = conv.block[tail];
    if (!kind) continue;
    put(`blk.${bid}.${kind}.${tail === 'mlp.gate.e_score_correction' ? 'bias' : (param ?? 'weight')}`, hf);
  }
  // the converter writes blocks in order; keep the HF order within a block, globals first/last
  const rank = (n: string) => {
    if (n.startsWith('token_embd')) return -1;
    return n.startsWith('blk.') ? Number(n.split('.')[1]) : 1e9;
  };
  tensors.sort((x, y) => rank(x.name) - rank(y.name));

  const kv: [string, KvValue][] = [
    ['general.architecture', str(a)],
    ['general.type', str('model')],
    ['general.name', str(opts.name)],
    ['general.basename', str(spec.id)],
    ['general.size_label', str('3M')],
    [`${a}.block_count`, u32(layers + nextn)],
    [`${a}.context_length`, u32(4096)],
    [`${a}.embedding_length`, u32(hidden)],
    [`${a}.feed_forward_length`, u32(num(config, 'intermediate_size') ?? 4 * hidden)],
    [`${a}.attention.head_count`, u32(heads)],
    [`${a}.attention.head_count_kv`, u32(a === 'deepseek2' ? 1 : (num(config, 'num_key_value_heads') ?? heads))],
    [`${a}.rope.freq_base`, f32(10000)],
    [`${a}.attention.${conv.epsKey ?? 'layer_norm_rms_epsilon'}`, f32(1e-5)],
  ];
  const headDim = num(config, 'head_dim');
  if (a === 'deepseek2') {
    const kvRank = num(config, 'kv_lora_rank') as number;
    const qRank = num(config, 'q_lora_rank');
    if (qRank !== null) kv.push([`${a}.attention.q_lora_rank`, u32(qRank)]);
    kv.push(
      [`${a}.attention.kv_lora_rank`, u32(kvRank)],
      [`${a}.attention.key_length`, u32(kvRank + (num(config, 'qk_rope_head_dim') as number))],
      [`${a}.attention.value_length`, u32(kvRank)],
      [`${a}.leading_dense_block_count`, u32(num(config, 'first_k_dense_replace') ?? 0)],
      [`${a}.expert_count`, u32(num(config, 'n_routed_experts') as number)],
    );
  } else if (headDim !== null) {
    kv.push([`${a}.attention.key_length`, u32(headDim)], [`${a}.attention.value_length`, u32(headDim)]);
  }
  if (nextn > 0) kv.push([`${a}.nextn_predict_layers`, u32(nextn)]);
  kv.push(...tokenizerKv(opts.vocab ?? 3000));
  if (opts.quant !== 'BF16') kv.push(['general.quantization_version', u32(2)]);
  kv.push(['general.file_type', u32(FILE_TYPE[opts.quant])]);
  return { kv, tensors };
}

/** gguf-split: tensors cut into runs, model KV only in part 1, split.* KV in every part. */
export function splitGgufFile(file: GgufToWrite, parts: number): GgufToWrite[] {
  const per = Math.ceil(file.tensors.length / parts);
  return Array.from({ length: parts }, (_, i) => {
    const split: [string, KvValue][] = [
      ['split.no', { kind: 'u16', value: i }],
      ['split.count', { kind: 'u16', value: parts }],
      ['split.tensors.count', { kind: 'i32', value: file.tensors.length }],
    ];
    return { kv: i === 0 ? [...file.kv, ...split] : split, tensors: file.tensors.slice(i * per, (i + 1) * per) };
  });
}

/** The Gemma 3 vision projector file (mmproj-*.gguf): a `clip` model whose v.blk.* norms are decoys. */
export function gemma3Mmproj(spec: FamilySpec, files: Record<string, Uint8Array | string>, name: string): GgufToWrite {
  const tensors: TensorToWrite[] = [];
  let blocks = 0;
  for (const hf of readRepoTensors(files).values()) {
    const m =
      /(?:^|\.)vision_tower\.vision_model\.(.+)$/.exec(hf.name) ?? /(?:^|\.)multi_modal_projector\.(.+)$/.exec(hf.name);
    if (!m) continue;
    const rest = m[1] as string;
    const layer = /^encoder\.layers\.(\d+)\.(layer_norm1|layer_norm2|self_attn\.q_proj|mlp\.fc1)\.(weight|bias)$/.exec(
      rest,
    );
    const kind: Record<string, string> = {
      layer_norm1: 'ln1',
      layer_norm2: 'ln2',
      'self_attn.q_proj': 'attn_q',
      'mlp.fc1': 'ffn_up',
    };
    let gguf: string | null = null;
    if (layer) {
      gguf = `v.blk.${layer[1]}.${kind[layer[2] as string]}.${layer[3]}`;
      blocks = Math.max(blocks, Number(layer[1]) + 1);
    } else if (rest === 'embeddings.patch_embedding.weight') gguf = 'v.patch_embd.weight';
    else if (rest.startsWith('post_layernorm.')) gguf = `v.post_ln.${rest.split('.')[1]}`;
    else if (rest === 'mm_soft_emb_norm.weight') gguf = 'mm.soft_emb_norm.weight';
    else if (rest === 'mm_input_projection_weight') gguf = 'mm.input_projection.weight';
    if (!gguf) continue;
    const v = decodeTensor(hf.bytes, hf.dtype);
    const isNorm = hf.shape.length === 1;
    // only the projector's soft_emb_norm is a Gemma norm (+1); SigLIP's LayerNorms are plain
    const values = gguf === 'mm.soft_emb_norm.weight' ? v.map((x) => Math.fround(x + 1)) : v;
    tensors.push(
      isNorm
        ? { name: gguf, shape: hf.shape, type: G.F32, data: encodeF32(values) }
        : { name: gguf, shape: hf.shape, type: G.F16, data: filler(sizeOf(G.F16, hf.shape), tensors.length) },
    );
  }
  const vision = (spec.config.vision_config ?? {}) as Record<string, unknown>;
  return {
    kv: [
      ['general.architecture', str('clip')],
      ['general.type', str('mmproj')],
      ['general.name', str(name)],
      ['general.file_type', u32(1)],
      ['clip.has_vision_encoder', { kind: 'bool', value: true }],
      ['clip.projector_type', str('gemma3')],
      ['clip.vision.block_count', u32(blocks)],
      ['clip.vision.embedding_length', u32(num(vision, 'hidden_size') ?? 128)],
      ['clip.vision.attention.layer_norm_epsilon', f32(1e-6)],
    ],
    tensors,
  };
}

export interface GgufRepoFiles {
  /** file name → bytes */
  files: Record<string, Uint8Array>;
  name: string;
}

/** The files of a `<id>-GGUF` repo: Q4_K_M and Q8_0 (same norms, different weights), mmproj for gemma3, a split BF16 set on request. */
export function ggufRepoFiles(
  spec: FamilySpec,
  files: Record<string, Uint8Array | string>,
  opts: { splitBf16?: boolean } = {},
): GgufRepoFiles {
  const name = spec.id
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('-');
  const out: Record<string, Uint8Array> = {};
  for (const quant of ['Q4_K_M', 'Q8_0'] as const)
    out[`${name}-${quant}.gguf`] = writeGguf(ggufFromSafetensors(spec, files, { quant, name })).bytes;
  if (opts.splitBf16) {
    const parts = splitGgufFile(ggufFromSafetensors(spec, files, { quant: 'BF16', name }), 2);
    parts.forEach((p, i) => (out[`${name}-BF16-0000${i + 1}-of-00002.gguf`] = writeGguf(p).bytes));
  }
  if (spec.id === 'gemma3') out[`mmproj-${name}-F16.gguf`] = writeGguf(gemma3Mmproj(spec, files, name)).bytes;
  return { files: out, name };
}
