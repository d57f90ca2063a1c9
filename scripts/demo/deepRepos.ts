// Stand-in repos for the deep check (issue 14): small llama-layout models with REAL layout (real
// tensor names, shapes, BF16, config.json, a byte-level BPE tokenizer.json) whose matrix VALUES have
// the structure the deep check relies on — and the structure that fools naive checks:
//   - embeddings = shared token structure (a low-rank latent per token STRING, the same for every
//     model, as co-occurrence statistics are) × a model's own mixing + per-dim scales with a few
//     outlier dims + heavy-tailed noise; so unrelated models with one tokenizer share token geometry
//     but no dimension correspondence;
//   - layer matrices: heavy-tailed, per-layer std following a recipe curve shared by every model of
//     the recipe (std curves of unrelated models correlate ≈ 0.98, the Pangu–Qwen trap).
// Models (org normscope-deep):
//   base          the foundation
//   finetune      base + small updates everywhere
//   disguised     base + continued-pretraining updates, then every norm folded into the matrices that
//                 read it (all γ = 1.0) and the hidden dimensions permuted consistently in every tensor,
//                 MLP units permuted within each layer
//   vocab-ext     base fine-tuned with 512 new tokens appended to the vocabulary (and tokenizer)
//   unrelated-a/b two independent models of the same recipe and tokenizer
//   other-tok     an independent model with another (SentencePiece-style) tokenizer
import { encodeBf16 } from '../../src/core/dtypes.ts';
import { shuffledOrder } from '../../src/core/random.ts';
import { serializeSafetensors, type SerializableTensor } from '../../src/core/safetensors.ts';
import { createRng, type Rng } from './random.ts';
import { writeStaticRepo, type StaticRepoSpec, type WrittenRepo } from './staticHub.ts';

export const DEEP_ORG = 'normscope-deep';
export const DEEP_SHAPE = { hidden: 256, heads: 4, kvHeads: 2, headDim: 64, inter: 512, layers: 6, vocab: 4096 };
const LATENT = 24;

interface Layer {
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  o: Float32Array;
  gate: Float32Array;
  up: Float32Array;
  down: Float32Array;
  inNorm: Float32Array;
  postNorm: Float32Array;
}

export interface DeepModel {
  vocab: number;
  embed: Float32Array;
  layers: Layer[];
  finalNorm: Float32Array;
  lmHead: Float32Array;
}

/** A scale mixture of normals (unit variance): heavy tails as trained weights have, at two draws a value. */
function heavy(rng: Rng): number {
  return rng.normal() * (rng.next() < 0.1 ? 2.2 : 0.8);
}

function matrix(rng: Rng, rows: number, cols: number, std: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = std * heavy(rng);
  return out;
}

/** The latent of a token string: the same in every model, whatever its id. */
export function tokenLatent(token: string): Float64Array {
  const rng = createRng(`latent:${token.replace(/^[Ġ▁]/, ' ')}`);
  return Float64Array.from({ length: LATENT }, () => rng.normal());
}

/** Per-layer std of the recipe: the same curve for every model of it. */
const recipeStd = (layer: number, layers: number) => 0.02 * (1 + 0.6 * Math.sin((Math.PI * layer) / (layers - 1)));

function embeddings(rng: Rng, tokens: readonly string[], hidden: number): Float32Array {
  const mix = matrix(rng, LATENT, hidden, 1 / Math.sqrt(LATENT));
  const scale = Float32Array.from({ length: hidden }, () => 0.6 + 0.8 * rng.next());
  for (let k = 0; k < 3; k++) scale[rng.int(hidden)] = 6 + 4 * rng.next(); // outlier dims
  const out = new Float32Array(tokens.length * hidden);
  tokens.forEach((tok, t) => {
    const z = tokenLatent(tok);
    for (let j = 0; j < hidden; j++) {
      let s = 0;
      for (let l = 0; l < LATENT; l++) s += (z[l] as number) * (mix[l * hidden + j] as number);
      out[t * hidden + j] = 0.02 * (scale[j] as number) * (0.8 * s + 0.6 * heavy(rng));
    }
  });
  return out;
}

function gamma(rng: Rng, hidden: number, depth: number): Float32Array {
  return Float32Array.from({ length: hidden }, () => Math.max(0.05, 0.4 + 0.8 * depth + 0.1 * rng.normal()));
}

export function foundationModel(seed: string, tokens: readonly string[]): DeepModel {
  const rng = createRng(`deep:${seed}`);
  const { hidden, heads, kvHeads, headDim, inter, layers } = DEEP_SHAPE;
  const list: Layer[] = [];
  for (let l = 0; l < layers; l++) {
    const s = recipeStd(l, layers);
    list.push({
      q: matrix(rng, heads * headDim, hidden, s),
      k: matrix(rng, kvHeads * headDim, hidden, s),
      v: matrix(rng, kvHeads * headDim, hidden, s),
      o: matrix(rng, hidden, heads * headDim, s),
      gate: matrix(rng, inter, hidden, s),
      up: matrix(rng, inter, hidden, s),
      down: matrix(rng, hidden, inter, s),
      inNorm: gamma(rng, hidden, l / layers),
      postNorm: gamma(rng, hidden, l / layers),
    });
  }
  return {
    vocab: tokens.length,
    embed: embeddings(rng, tokens, hidden),
    layers: list,
    finalNorm: gamma(rng, hidden, 1),
    lmHead: matrix(rng, tokens.length, hidden, 0.02),
  };
}

function perturb(x: Float32Array, rng: Rng, rel: number): Float32Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const std = Math.sqrt(ss / x.length) * rel;
  return x.map((v) => v + std * rng.normal());
}

/** The same model after training further: every tensor moved by `rel` of its own std. */
export function trainedFurther(m: DeepModel, seed: string, rel: number): DeepModel {
  const rng = createRng(`update:${seed}`);
  const p = (x: Float32Array) => perturb(x, rng, rel);
  return {
    vocab: m.vocab,
    embed: p(m.embed),
    layers: m.layers.map((L) => ({
      q: p(L.q),
      k: p(L.k),
      v: p(L.v),
      o: p(L.o),
      gate: p(L.gate),
      up: p(L.up),
      down: p(L.down),
      inNorm: p(L.inNorm),
      postNorm: p(L.postNorm),
    })),
    finalNorm: p(m.finalNorm),
    lmHead: p(m.lmHead),
  };
}

/** rng.int(k) is ⌊next()·k⌋, so this is the core's shuffle on the demo's generator. */
const shuffled = (rng: Rng, n: number): Int32Array => shuffledOrder(n, rng.next);

/** new[r][c] = old[rowMap(r)][colMap(c)] × colScale[c] (maps and scale optional). */
function remap(
  x: Float32Array,
  rows: number,
  cols: number,
  rowMap: Int32Array | null,
  colMap: Int32Array | null,
  colScale: Float32Array | null = null,
): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const src = (rowMap ? rowMap[r]! : r) * cols;
    for (let c = 0; c < cols; c++) {
      const sc = colMap ? colMap[c]! : c;
      out[r * cols + c] = x[src + sc]! * (colScale ? colScale[sc]! : 1);
    }
  }
  return out;
}

/**
 * The disguise: every γ folded into the matrices that read the normalised stream (q/k/v by the input
 * norm, gate/up by the post-attention norm, lm_head by the final norm), every γ set to 1.0; hidden
 * dimensions permuted by P in every tensor (new dim i = old dim P[i]); MLP units permuted per layer.
 * The function computed is unchanged. Returns the permutation for the tests.
 */
export function disguise(m: DeepModel, seed: string): { model: DeepModel; hiddenPerm: Int32Array } {
  const rng = createRng(`disguise:${seed}`);
  const { hidden, heads, kvHeads, headDim, inter } = DEEP_SHAPE;
  const P = shuffled(rng, hidden);
  const ones = new Float32Array(hidden).fill(1);
  const layers = m.layers.map((L) => {
    const U = shuffled(rng, inter);
    return {
      q: remap(L.q, heads * headDim, hidden, null, P, L.inNorm),
      k: remap(L.k, kvHeads * headDim, hidden, null, P, L.inNorm),
      v: remap(L.v, kvHeads * headDim, hidden, null, P, L.inNorm),
      o: remap(L.o, hidden, heads * headDim, P, null),
      gate: remap(L.gate, inter, hidden, U, P, L.postNorm),
      up: remap(L.up, inter, hidden, U, P, L.postNorm),
      down: remap(L.down, hidden, inter, P, U),
      inNorm: ones,
      postNorm: ones,
    };
  });
  return {
    model: {
      vocab: m.vocab,
      embed: remap(m.embed, m.vocab, hidden, null, P),
      layers,
      finalNorm: ones,
      lmHead: remap(m.lmHead, m.vocab, hidden, null, P, m.finalNorm),
    },
    hiddenPerm: P,
  };
}

/** `extra` tokens appended: their embeddings the mean of the old ones plus noise, as resize_token_embeddings does. */
export function extendVocabulary(m: DeepModel, seed: string, extra: number): DeepModel {
  const rng = createRng(`extend:${seed}`);
  const h = DEEP_SHAPE.hidden;
  const grow = (x: Float32Array) => {
    const out = new Float32Array((m.vocab + extra) * h);
    out.set(x);
    const mean = new Float32Array(h);
    for (let t = 0; t < m.vocab; t++) for (let j = 0; j < h; j++) mean[j]! += x[t * h + j]! / m.vocab;
    for (let t = m.vocab; t < m.vocab + extra; t++)
      for (let j = 0; j < h; j++) out[t * h + j] = mean[j]! + 0.01 * rng.normal();
    return out;
  };
  return { ...m, vocab: m.vocab + extra, embed: grow(m.embed), lmHead: grow(m.lmHead) };
}

// ---------------------------------------------------------------------------------------------
// Tokenizers

/** GPT-2's byte → printable character map (bytes_to_unicode). */
function byteChars(): string[] {
  const keep = new Set<number>();
  for (let b = 33; b <= 126; b++) keep.add(b);
  for (let b = 161; b <= 172; b++) keep.add(b);
  for (let b = 174; b <= 255; b++) keep.add(b);
  let n = 0;
  return Array.from({ length: 256 }, (_, b) => String.fromCharCode(keep.has(b) ? b : 256 + n++));
}

const ONSETS = ['', 'b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'th', 'st', 'pr', 'w', 'ch'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ea', 'ou', 'ai'];
const CODAS = ['', 'n', 'r', 's', 't', 'd', 'l', 'ng', 'st', 'nd', 'ck', 'm'];

/** Subword strings as a BPE vocabulary grows them: syllables, with and without the leading-space mark. */
function subwords(count: number, seed: string): string[] {
  const rng = createRng(`words:${seed}`);
  const out = new Set<string>();
  while (out.size < count) {
    const syl = () => ONSETS[rng.int(ONSETS.length)]! + NUCLEI[rng.int(NUCLEI.length)]! + CODAS[rng.int(CODAS.length)]!;
    const w = rng.next() < 0.3 ? syl() + syl() : syl();
    out.add(rng.next() < 0.55 ? ` ${w}` : w);
  }
  return [...out];
}

export interface Tokenizer {
  tokens: string[];
  json: string;
}

/** A byte-level BPE tokenizer.json (GPT-2 / Llama-3 style): 256 byte tokens, subwords, special tokens. */
export function bpeTokenizer(size: number, seed: string, extra: readonly string[] = []): Tokenizer {
  const bytes = byteChars();
  const special = ['<|begin_of_text|>', '<|end_of_text|>'];
  const words = subwords(size - bytes.length - special.length, seed).map((w) => w.replace(/ /g, 'Ġ'));
  const tokens = [...bytes, ...words, ...special, ...extra];
  const vocab: Record<string, number> = {};
  tokens.slice(0, bytes.length + words.length).forEach((t, i) => (vocab[t] = i));
  const merges = words
    .filter((w) => w.length >= 2)
    .slice(0, 2000)
    .map((w) => `${w.slice(0, 1)} ${w.slice(1)}`);
  const added = tokens
    .map((content, id) => ({ id, content }))
    .filter((t) => t.id >= bytes.length + words.length)
    .map((t) => ({ ...t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, fuse_unk: false, byte_fallback: false, vocab, merges },
  };
  return { tokens, json: JSON.stringify(json) };
}

/** A SentencePiece-style (Unigram) tokenizer.json with another vocabulary. */
export function unigramTokenizer(size: number, seed: string): Tokenizer {
  const words = subwords(size - 3, seed).map((w) => w.replace(/ /g, '▁'));
  const tokens = ['<unk>', '<s>', '</s>', ...words];
  const json = {
    version: '1.0',
    added_tokens: tokens.slice(0, 3).map((content, id) => ({ id, content, special: true })),
    normalizer: { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
    pre_tokenizer: null,
    decoder: { type: 'Metaspace', replacement: '▁' },
    model: { type: 'Unigram', unk_id: 0, vocab: tokens.map((t, i) => [t, -Math.log(i + 2)]) },
  };
  return { tokens, json: JSON.stringify(json) };
}

// ---------------------------------------------------------------------------------------------
// Files

function bf16(name: string, shape: number[], values: Float32Array): SerializableTensor {
  return { name, dtype: 'BF16', shape, data: encodeBf16(values) };
}

export function deepRepoSpec(
  repo: string,
  m: DeepModel,
  tok: Tokenizer,
  extra: { baseModel?: string; description: string },
): StaticRepoSpec {
  const { hidden, heads, kvHeads, headDim, inter, layers } = DEEP_SHAPE;
  const shards: SerializableTensor[][] = [[bf16('model.embed_tokens.weight', [m.vocab, hidden], m.embed)], []];
  m.layers.forEach((L, i) => {
    const p = `model.layers.${i}.`;
    const into = shards[i < layers / 2 ? 0 : 1]!;
    into.push(
      bf16(`${p}input_layernorm.weight`, [hidden], L.inNorm),
      bf16(`${p}post_attention_layernorm.weight`, [hidden], L.postNorm),
      bf16(`${p}self_attn.q_proj.weight`, [heads * headDim, hidden], L.q),
      bf16(`${p}self_attn.k_proj.weight`, [kvHeads * headDim, hidden], L.k),
      bf16(`${p}self_attn.v_proj.weight`, [kvHeads * headDim, hidden], L.v),
      bf16(`${p}self_attn.o_proj.weight`, [hidden, heads * headDim], L.o),
      bf16(`${p}mlp.gate_proj.weight`, [inter, hidden], L.gate),
      bf16(`${p}mlp.up_proj.weight`, [inter, hidden], L.up),
      bf16(`${p}mlp.down_proj.weight`, [hidden, inter], L.down),
    );
  });
  shards[1]!.push(
    bf16('model.norm.weight', [hidden], m.finalNorm),
    bf16('lm_head.weight', [m.vocab, hidden], m.lmHead),
  );
  const files: Record<string, Uint8Array | string> = {};
  const weightMap: Record<string, string> = {};
  let total = 0;
  shards.forEach((list, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    files[file] = serializeSafetensors(list, { format: 'pt' });
    for (const t of list) {
      weightMap[t.name] = file;
      total += t.data.length;
    }
  });
  files['model.safetensors.index.json'] = JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap });
  files['tokenizer.json'] = tok.json;
  files['README.md'] =
    `---\nlicense: mit\n${extra.baseModel ? `base_model: ${extra.baseModel}\n` : ''}---\n# ${repo} (synthetic)\n\n${extra.description}\n`;
  return {
    repo,
    files,
    config: {
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: hidden,
      intermediate_size: inter,
      num_hidden_layers: layers,
      num_attention_heads: heads,
      num_key_value_heads: kvHeads,
      head_dim: headDim,
      vocab_size: m.vocab,
      rms_norm_eps: 1e-5,
      tie_word_embeddings: false,
      torch_dtype: 'bfloat16',
    },
    description: extra.description,
    ...(extra.baseModel ? { cardData: { license: 'mit', base_model: extra.baseModel } } : {}),
  };
}

export interface DeepFixtures {
  written: WrittenRepo[];
  hiddenPerm: Int32Array;
}

/** Every deep-check fixture repo, written into `root`. */
export function writeDeepRepos(root: string): DeepFixtures {
  const V = DEEP_SHAPE.vocab;
  const tok = bpeTokenizer(V, 'recipe');
  const base = foundationModel('base', tok.tokens);
  const specs: StaticRepoSpec[] = [];
  const name = (n: string) => `${DEEP_ORG}/${n}`;
  specs.push(deepRepoSpec(name('base'), base, tok, { description: 'Foundation model (deep-check fixture).' }));
  specs.push(
    deepRepoSpec(name('finetune'), trainedFurther(base, 'ft', 0.05), tok, {
      baseModel: name('base'),
      description: 'Fine-tune of base.',
    }),
  );
  const hidden = disguise(trainedFurther(base, 'cpt', 0.15), 'perm');
  specs.push(
    deepRepoSpec(name('disguised'), hidden.model, tok, {
      description: 'Continued pretraining of base, norms folded into the matrices, hidden dims and units permuted.',
    }),
  );
  const newTokens = Array.from({ length: 512 }, (_, i) => `<|extra_${i}|>`);
  const extTok = bpeTokenizer(V, 'recipe', newTokens);
  specs.push(
    deepRepoSpec(name('vocab-ext'), extendVocabulary(trainedFurther(base, 'ext', 0.05), 'ext', 512), extTok, {
      baseModel: name('base'),
      description: 'Base with 512 new tokens, fine-tuned.',
    }),
  );
  for (const s of ['unrelated-a', 'unrelated-b'])
    specs.push(
      deepRepoSpec(name(s), foundationModel(s, tok.tokens), tok, {
        description: 'Independent model of the same recipe and tokenizer.',
      }),
    );
  const other = unigramTokenizer(V, 'other');
  specs.push(
    deepRepoSpec(name('other-tok'), foundationModel('other-tok', other.tokens), other, {
      description: 'Independent model with another tokenizer.',
    }),
  );
  return { written: specs.map((s) => writeStaticRepo(root, s)), hiddenPerm: hidden.hiddenPerm };
}
