// Two 8B-shaped checkpoints of real layout for the deep-check bench (issue 14), generated on the fly:
// Llama-3-8B names and shapes (32 layers, hidden 4096, intermediate 14336, 8 KV heads, vocabulary
// 128256, BF16, 4 shards with an index, tokenizer.json of 128256 byte-level BPE tokens). Shards are
// virtual files (src/testing/hubStandIn/virtualFiles.ts): every byte is computed from a seed when a
// range is asked for. Embedding rows carry shared token structure (per token string) × the model's
// mixing; matrices are seeded noise with a per-layer std; "ft" = "base" + small updates.
import { mountVirtualFile } from '../../src/testing/hubStandIn/virtualFiles.ts';
import { writeStaticRepo } from '../demo/staticHub.ts';
import { bpeTokenizer, tokenLatent } from '../demo/deepRepos.ts';

export const SHAPE_8B = { hidden: 4096, inter: 14336, layers: 32, heads: 32, kvHeads: 8, headDim: 128, vocab: 128256 };
const LATENT = 24;

interface VTensor {
  name: string;
  shape: number[];
  id: number;
  /** offsets within the data region */
  begin: number;
  end: number;
  std: number;
}

function hash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Approximately normal, zero mean, unit variance (a triangular draw: two 16-bit halves of one hash). */
function noise(seed: number, idx: number): number {
  const h = hash(seed, idx);
  return (((h & 0xffff) + (h >>> 16)) / 65536 - 1) * Math.sqrt(6);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bf16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

function layerTensors(l: number): [string, number[]][] {
  const { hidden: H, inter: I, heads, kvHeads, headDim } = SHAPE_8B;
  const p = `model.layers.${l}.`;
  return [
    [`${p}input_layernorm.weight`, [H]],
    [`${p}mlp.down_proj.weight`, [H, I]],
    [`${p}mlp.gate_proj.weight`, [I, H]],
    [`${p}mlp.up_proj.weight`, [I, H]],
    [`${p}post_attention_layernorm.weight`, [H]],
    [`${p}self_attn.k_proj.weight`, [kvHeads * headDim, H]],
    [`${p}self_attn.o_proj.weight`, [H, heads * headDim]],
    [`${p}self_attn.q_proj.weight`, [heads * headDim, H]],
    [`${p}self_attn.v_proj.weight`, [kvHeads * headDim, H]],
  ];
}

/** Shard contents as Meta-Llama-3-8B splits them (roughly): 4 shards of ~4–5 GB. */
function shardLists(): [string, number[]][][] {
  const { hidden: H, vocab: V, layers } = SHAPE_8B;
  const shards: [string, number[]][][] = [[['model.embed_tokens.weight', [V, H]]], [], [], []];
  for (let l = 0; l < layers; l++) shards[Math.min(3, Math.floor((l + 2) / 9))]!.push(...layerTensors(l));
  shards[3]!.push(['model.norm.weight', [H]], ['lm_head.weight', [V, H]]);
  return shards;
}

interface Shard {
  file: string;
  header: Uint8Array;
  tensors: VTensor[];
  size: number;
}

/** A tensor's seed offset from its name, the same in both models (a fine-tune keeps its base's values). */
function nameId(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function buildShard(list: [string, number[]][], file: string): Shard {
  const tensors: VTensor[] = [];
  let at = 0;
  const json: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (const [name, shape] of list) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 2;
    const layer = Number(/layers\.(\d+)\./.exec(name)?.[1] ?? 0);
    const std = 0.02 * (1 + 0.6 * Math.sin((Math.PI * layer) / 31));
    tensors.push({ name, shape, id: nameId(name), begin: at, end: at + bytes, std });
    json[name] = { dtype: 'BF16', shape, data_offsets: [at, at + bytes] };
    at += bytes;
  }
  let text = JSON.stringify(json);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const body = new TextEncoder().encode(text);
  const header = new Uint8Array(8 + body.length);
  new DataView(header.buffer).setBigUint64(0, BigInt(body.length), true);
  header.set(body, 8);
  return { file, header, tensors, size: header.length + at };
}

interface ModelSeed {
  /** the model's own seed: "ft" shares base's values and adds its updates */
  base: number;
  update: number | null;
  mix: Float32Array;
  tokens: string[];
}

function value(m: ModelSeed, t: VTensor, idx: number, latent: Float64Array | null): number {
  const [, cols = 1] = t.shape;
  let v: number;
  if (t.shape.length === 1) v = 0.4 + (0.8 * (t.id % 32)) / 32 + 0.1 * noise(m.base + t.id, idx);
  else if (latent) {
    const j = idx % cols;
    let s = 0;
    for (let l = 0; l < LATENT; l++) s += latent[l]! * m.mix[l * cols + j]!;
    v = 0.02 * (0.8 * s + 0.6 * noise(m.base + t.id, idx));
  } else v = t.std * noise(m.base + t.id, idx);
  if (m.update !== null) v += 0.05 * (t.shape.length === 1 ? 0.1 : t.std) * noise(m.update + t.id, idx);
  return v;
}

/** BF16 bits of elements [from, to) of one tensor. */
function elements(m: ModelSeed, t: VTensor, from: number, to: number): Uint16Array {
  const out = new Uint16Array(to - from);
  const cols = t.shape[1] ?? 1;
  const isEmbed = t.name === 'model.embed_tokens.weight';
  let row = -1;
  let latent: Float64Array | null = null;
  for (let i = from; i < to; i++) {
    if (isEmbed && Math.floor(i / cols) !== row) {
      row = Math.floor(i / cols);
      latent = tokenLatent(m.tokens[row] ?? `#${row}`);
    }
    out[i - from] = bf16Bits(value(m, t, i, latent));
  }
  return out;
}

function filler(m: ModelSeed, shard: Shard) {
  const dataStart = shard.header.length;
  return (start: number, end: number): Uint8Array => {
    const out = new Uint8Array(end - start);
    if (start < dataStart) out.set(shard.header.subarray(start, Math.min(end, dataStart)), 0);
    for (const t of shard.tensors) {
      const s = Math.max(start, dataStart + t.begin);
      const e = Math.min(end, dataStart + t.end);
      if (s >= e) continue;
      const first = Math.floor((s - dataStart - t.begin) / 2);
      const last = Math.ceil((e - dataStart - t.begin) / 2);
      const bits = elements(m, t, first, last);
      const bytes = new Uint8Array(bits.buffer);
      const skip = s - (dataStart + t.begin + first * 2);
      out.set(bytes.subarray(skip, skip + (e - s)), s - start);
    }
    return out;
  };
}

/** Writes base and ft (a fine-tune of base) into `root`; their shards are virtual. */
export function writeVirtual8b(root: string, org = 'normscope-bench'): { repos: string[]; fileBytes: number[] } {
  const tok = bpeTokenizer(SHAPE_8B.vocab, 'bench-8b');
  const mixRng = (seed: number) =>
    Float32Array.from({ length: LATENT * SHAPE_8B.hidden }, (_, i) => noise(seed, i) / Math.sqrt(LATENT));
  const baseSeed = 0x8b00;
  const models: [string, ModelSeed][] = [
    ['llama3-8b-like', { base: baseSeed, update: null, mix: mixRng(baseSeed), tokens: tok.tokens }],
    ['llama3-8b-like-ft', { base: baseSeed, update: 0xf7, mix: mixRng(baseSeed), tokens: tok.tokens }],
  ];
  const repos: string[] = [];
  const fileBytes: number[] = [];
  for (const [name, seed] of models) {
    const repo = `${org}/${name}`;
    const shards = shardLists().map((list, i, all) =>
      buildShard(list, `model-0000${i + 1}-of-0000${all.length}.safetensors`),
    );
    const weightMap: Record<string, string> = {};
    for (const s of shards) for (const t of s.tensors) weightMap[t.name] = s.file;
    const total = shards.reduce((n, s) => n + s.size - s.header.length, 0);
    const written = writeStaticRepo(root, {
      repo,
      files: {
        'model.safetensors.index.json': JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }),
        'tokenizer.json': tok.json,
      },
      config: {
        architectures: ['LlamaForCausalLM'],
        model_type: 'llama',
        hidden_size: SHAPE_8B.hidden,
        intermediate_size: SHAPE_8B.inter,
        num_hidden_layers: SHAPE_8B.layers,
        num_attention_heads: SHAPE_8B.heads,
        num_key_value_heads: SHAPE_8B.kvHeads,
        vocab_size: SHAPE_8B.vocab,
        rms_norm_eps: 1e-5,
        rope_theta: 500000,
        torch_dtype: 'bfloat16',
        tie_word_embeddings: false,
      },
    });
    for (const s of shards) mountVirtualFile(root, repo, written.sha, s.file, s.size, filler(seed, s));
    repos.push(repo);
    fileBytes.push(written.totalBytes + shards.reduce((n, s) => n + s.size, 0));
  }
  return { repos, fileBytes };
}
