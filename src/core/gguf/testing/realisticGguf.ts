// Realistic GGUF test files: metadata like convert_hf_to_gguf.py writes for llama / qwen3 / gemma3
// (vocabulary-sized tokenizer arrays, so the header is MBs), tensors in a converter's order with
// F32 norms and K-quant weights, and gguf-split style parts.
import { writeGguf, type GgufToWrite, type KvValue, type TensorToWrite } from './writeGguf.ts';

export type TestArch = 'llama' | 'qwen3' | 'gemma3' | 'glm4moe';

export interface RealisticOptions {
  arch: TestArch;
  layers: number;
  hidden?: number;
  vocab?: number;
  /** extra NextN/MTP blocks after the decoder (glm4moe style) */
  nextn?: number;
  name?: string;
}

export interface RealisticGguf {
  file: GgufToWrite;
  /** every F32 norm tensor's values, by GGUF name */
  norms: Map<string, Float32Array>;
}

const T = { F32: 0, Q8_0: 8, Q4_K: 12, Q6_K: 14 } as const;

const u32 = (value: number): KvValue => ({ kind: 'u32', value });
const f32 = (value: number): KvValue => ({ kind: 'f32', value });
const str = (value: string): KvValue => ({ kind: 'string', value });

function normValues(seed: number, width: number): Float32Array {
  const out = new Float32Array(width);
  for (let i = 0; i < width; i++) out[i] = 1 + 0.25 * Math.sin(seed * 12.9898 + i * 78.233) + (i === 3 ? 7.5 : 0);
  return out;
}

function tokenizerKv(vocab: number): [string, KvValue][] {
  const tokens: string[] = [];
  for (let i = 0; i < vocab; i++) tokens.push(i % 997 === 0 ? `Ġtoken_${i}_é漢字🙂` : `tok${i}`);
  const merges: string[] = [];
  for (let i = 0; i < vocab / 2; i++) merges.push(`t${i % 50} o${i}`);
  return [
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.pre', str('qwen2')],
    ['tokenizer.ggml.tokens', { kind: 'array', of: 'string', items: tokens }],
    ['tokenizer.ggml.scores', { kind: 'array', of: 'f32', items: tokens.map((_, i) => -i) }],
    ['tokenizer.ggml.token_type', { kind: 'array', of: 'i32', items: tokens.map((_, i) => (i < 3 ? 3 : 1)) }],
    ['tokenizer.ggml.merges', { kind: 'array', of: 'string', items: merges }],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
    ['tokenizer.ggml.add_bos_token', { kind: 'bool', value: false }],
    ['tokenizer.chat_template', str('{% for message in messages %}{{ message.content }}{% endfor %}'.repeat(40))],
  ];
}

export function realisticGguf(opts: RealisticOptions): RealisticGguf {
  const { arch, layers } = opts;
  const hidden = opts.hidden ?? 256;
  const vocab = opts.vocab ?? 2048;
  const nextn = opts.nextn ?? 0;
  const heads = 4;
  const headDim = hidden / heads;
  const kvHeads = 2;
  const ffn = hidden * 2;
  const blocks = layers + nextn;
  const kv: [string, KvValue][] = [
    ['general.architecture', str(arch)],
    ['general.type', str('model')],
    ['general.name', str(opts.name ?? `Test ${arch}`)],
    ['general.size_label', str('1B')],
    ['general.tags', { kind: 'array', of: 'string', items: ['text-generation'] }],
    [`${arch}.block_count`, u32(blocks)],
    [`${arch}.context_length`, u32(32768)],
    [`${arch}.embedding_length`, u32(hidden)],
    [`${arch}.feed_forward_length`, u32(ffn)],
    [`${arch}.attention.head_count`, u32(heads)],
    [`${arch}.attention.head_count_kv`, u32(kvHeads)],
    [`${arch}.rope.freq_base`, f32(1_000_000)],
    [`${arch}.attention.layer_norm_rms_epsilon`, f32(1e-6)],
  ];
  if (arch !== 'llama')
    kv.push([`${arch}.attention.key_length`, u32(headDim)], [`${arch}.attention.value_length`, u32(headDim)]);
  if (nextn > 0) kv.push([`${arch}.nextn_predict_layers`, u32(nextn)]);
  kv.push(...tokenizerKv(vocab), ['general.quantization_version', u32(2)], ['general.file_type', u32(15)]);

  const norms = new Map<string, Float32Array>();
  const tensors: TensorToWrite[] = [{ name: 'token_embd.weight', shape: [vocab, hidden], type: T.Q4_K }];
  const norm = (name: string, width: number): void => {
    const values = normValues(norms.size + 1, width);
    norms.set(name, values);
    tensors.push({ name, shape: [width], type: T.F32, data: new Uint8Array(values.buffer.slice(0)) });
  };
  for (let b = 0; b < blocks; b++) {
    const p = `blk.${b}`;
    norm(`${p}.attn_norm.weight`, hidden);
    tensors.push(
      { name: `${p}.ffn_down.weight`, shape: [hidden, ffn], type: T.Q6_K },
      { name: `${p}.ffn_gate.weight`, shape: [ffn, hidden], type: T.Q4_K },
      { name: `${p}.ffn_up.weight`, shape: [ffn, hidden], type: T.Q4_K },
    );
    norm(`${p}.ffn_norm.weight`, hidden);
    if (arch === 'gemma3') {
      norm(`${p}.post_attention_norm.weight`, hidden);
      norm(`${p}.post_ffw_norm.weight`, hidden);
    }
    if (arch !== 'llama') {
      norm(`${p}.attn_q_norm.weight`, headDim);
      norm(`${p}.attn_k_norm.weight`, headDim);
    }
    tensors.push(
      { name: `${p}.attn_k.weight`, shape: [kvHeads * headDim, hidden], type: T.Q4_K },
      { name: `${p}.attn_output.weight`, shape: [hidden, hidden], type: T.Q4_K },
      { name: `${p}.attn_q.weight`, shape: [hidden, hidden], type: T.Q4_K },
      { name: `${p}.attn_v.weight`, shape: [kvHeads * headDim, hidden], type: T.Q6_K },
    );
    if (b >= layers) {
      norm(`${p}.nextn.enorm.weight`, hidden);
      norm(`${p}.nextn.hnorm.weight`, hidden);
      tensors.push({ name: `${p}.nextn.eh_proj.weight`, shape: [hidden, 2 * hidden], type: T.Q8_0 });
      norm(`${p}.nextn.shared_head_norm.weight`, hidden);
    }
  }
  norm('output_norm.weight', hidden);
  if (arch !== 'gemma3') tensors.push({ name: 'output.weight', shape: [vocab, hidden], type: T.Q6_K });
  return { file: { kv, tensors }, norms };
}

/** gguf-split style: tensors cut into `parts` runs; model KV only in the first part. */
export function splitGguf(file: GgufToWrite, parts: number): GgufToWrite[] {
  const per = Math.ceil(file.tensors.length / parts);
  const out: GgufToWrite[] = [];
  for (let i = 0; i < parts; i++) {
    const split: [string, KvValue][] = [
      ['split.no', { kind: 'u16', value: i }],
      ['split.count', { kind: 'u16', value: parts }],
      ['split.tensors.count', { kind: 'i32', value: file.tensors.length }],
    ];
    out.push({
      ...file,
      kv: i === 0 ? [...file.kv, ...split] : split,
      tensors: file.tensors.slice(i * per, (i + 1) * per),
    });
  }
  return out;
}

export { writeGguf };
