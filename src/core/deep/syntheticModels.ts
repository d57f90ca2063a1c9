// Constructed models for calibrating the deep check (issue 14 item 4), with matrix values that have
// the structure real ones have, not i.i.d. noise only: a shared "language" (every word has a semantic
// vector, the same for every model that knows the word), which each model embeds through its own
// random map, so embeddings of unrelated models trained "on the same language" share low-rank
// structure; token-frequency row-norm profiles; a few outlier hidden dims; Laplace (heavy-tailed)
// idiosyncratic parts; matrices that read (gate/up/q/k) and write (down) the same semantic directions;
// and a per-layer std recipe shared by every model of the recipe (their std curves agree). Rows are
// generated lazily from seeded streams, so 7B shapes cost only the rows read. Derivatives transform
// a base: fine-tune noise, continued pretraining, permuted hidden dims (with sign flips), permuted
// units and heads, folded norms, an extended vocabulary. Used by the tests here and free for fixtures.
import { seededRandom, shuffledOrder } from '../random';
import type { DeepReadRequest, DeepTensorInfo, RowBlock, Vocabulary } from './types';

export interface SynthShape {
  vocab: number;
  d: number;
  units: number;
  layers: number;
  heads: number;
  headDim: number;
  kvHeads: number;
  /** rank of the shared semantic structure */
  rank: number;
}

export const SMALL_SHAPE: SynthShape = {
  vocab: 3000,
  d: 128,
  units: 384,
  layers: 6,
  heads: 4,
  headDim: 32,
  kvHeads: 2,
  rank: 12,
};
export const LLAMA_7B_SHAPE: SynthShape = {
  vocab: 128256,
  d: 4096,
  units: 11008,
  layers: 32,
  heads: 32,
  headDim: 128,
  kvHeads: 8,
  rank: 16,
};

/** How a derivative differs from its base. Omitted fields: unchanged. */
export interface Transform {
  seed: number;
  /** relative size of independent updates added to embeddings and to matrices */
  embedNoise?: number;
  matrixNoise?: number;
  /** derived hidden dim j holds base dim hiddenOf[j] (times sign) */
  permuteHidden?: boolean;
  permuteUnits?: boolean;
  permuteHeads?: boolean;
  foldNorms?: boolean;
  /** tokens appended to the vocabulary */
  extraTokens?: number;
}

type Role = 'embed' | 'q' | 'k' | 'gate' | 'up' | 'down';

/** Recipe: a std per role and layer shared by every model of the recipe (small per-model jitter). */
const ROLE_STD: Record<Role, number> = { embed: 1, q: 0.03, k: 0.035, gate: 0.02, up: 0.018, down: 0.015 };
const recipeStd = (role: Role, layer: number, layers: number) =>
  ROLE_STD[role] * (1 + (0.8 * layer) / Math.max(1, layers - 1)) * (1 + 0.25 * Math.sin(1.7 * layer));

function hash(...keys: number[]): number {
  let h = 0x811c9dc5;
  for (const k of keys) {
    h = Math.imul(h ^ (k & 0xffff), 0x01000193);
    h = Math.imul(h ^ (k >>> 16), 0x01000193);
  }
  return h >>> 0;
}

function gaussians(seed: number, n: number): Float64Array {
  const random = seededRandom(seed),
    out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(random(), 1e-12),
      v = random();
    const radius = Math.sqrt(-2 * Math.log(u));
    out[i] = radius * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = radius * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Laplace draws (excess kurtosis 3): the heavy-tailed idiosyncratic part of every weight. */
function laplace(seed: number, n: number): Float64Array {
  const random = seededRandom(seed),
    out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random() - 0.5;
    out[i] = -Math.sign(u) * Math.log(1 - 2 * Math.abs(u) + 1e-12) * Math.SQRT1_2;
  }
  return out;
}

const ROLE_KEY: Record<Role, number> = { embed: 1, q: 2, k: 3, gate: 4, up: 5, down: 6 };
const SEMANTIC_SHARE = 0.6;

/** A model of the recipe: its own semantic map R (rank × d), outlier dims, recipe jitter. Rows in base order. */
class BaseModel {
  readonly R: Float64Array;
  readonly colScale: Float64Array;
  private readonly jitter: number;
  private readonly writeVectors = new Map<number, Float64Array>();
  constructor(
    readonly shape: SynthShape,
    readonly seed: number,
    readonly languageSeed: number,
  ) {
    this.R = gaussians(hash(seed, 1), shape.rank * shape.d).map((x) => x / Math.sqrt(shape.rank));
    this.colScale = new Float64Array(shape.d).fill(1);
    const random = seededRandom(hash(seed, 2));
    for (let o = 0; o < 3; o++) this.colScale[Math.floor(random() * shape.d)] = 6;
    this.jitter = 1 + 0.02 * (gaussians(hash(seed, 3), 1)[0] as number);
  }
  std(role: Role, layer: number): number {
    return recipeStd(role, layer, this.shape.layers) * this.jitter;
  }
  /** Σ_k coef_k R[k, ·] mixed with Laplace noise, over the d hidden dims. */
  private readRow(coef: Float64Array, noiseSeed: number, scale: number): Float64Array {
    const { d, rank } = this.shape,
      noise = laplace(noiseSeed, d),
      out = new Float64Array(d);
    for (let k = 0; k < rank; k++) {
      const c = coef[k] as number,
        at = k * d;
      for (let i = 0; i < d; i++) out[i] = (out[i] as number) + c * (this.R[at + i] as number);
    }
    const a = Math.sqrt(SEMANTIC_SHARE),
      b = Math.sqrt(1 - SEMANTIC_SHARE);
    for (let i = 0; i < d; i++) out[i] = scale * (a * (out[i] as number) + b * (noise[i] as number));
    return out;
  }
  /** Embedding of a word (−1 − id for words only this vocabulary has): semantics shared by the language. */
  embedRow(word: number): Float64Array {
    const semantic = gaussians(hash(this.languageSeed, 7, word), this.shape.rank);
    const frequency = 0.6 + 0.8 / (1 + Math.abs(word) / 500);
    const row = this.readRow(semantic, hash(this.seed, 8, word), frequency);
    return row.map((x, i) => x * (this.colScale[i] as number));
  }
  /** Row `row` of a reading matrix (gate/up/q/k): its own random mix of semantic directions. */
  readMatrixRow(role: Role, layer: number, row: number): Float64Array {
    const coef = gaussians(hash(this.seed, ROLE_KEY[role], layer, row), this.shape.rank);
    return this.readRow(coef, hash(this.seed, 10 + ROLE_KEY[role], layer, row), this.std(role, layer));
  }
  /** Row i (hidden dim i) of down, over the units: each unit writes its own mix of semantic directions. */
  downRow(layer: number, dim: number): Float64Array {
    const { units, rank, d } = this.shape;
    let v = this.writeVectors.get(layer);
    if (!v) {
      v = gaussians(hash(this.seed, 20, layer), units * rank);
      this.writeVectors.set(layer, v);
    }
    const noise = laplace(hash(this.seed, 21, layer, dim), units),
      out = new Float64Array(units);
    const a = Math.sqrt(SEMANTIC_SHARE),
      b = Math.sqrt(1 - SEMANTIC_SHARE),
      s = this.std('down', layer);
    for (let u = 0; u < units; u++) {
      let x = 0;
      for (let k = 0; k < rank; k++) x += (v[u * rank + k] as number) * (this.R[k * d + dim] as number);
      out[u] = s * (a * x + b * (noise[u] as number));
    }
    return out;
  }
}

const shuffled = (n: number, seed: number): Int32Array => shuffledOrder(n, seededRandom(seed));

export type Spelling = 'byte-level-bpe' | 'sentencepiece';

/** A vocabulary of words: a few specials, then one token per word, spelled the tokenizer's way. */
export function vocabularyOf(words: Int32Array, spelling: Spelling): Vocabulary {
  const mark = spelling === 'byte-level-bpe' ? 'Ġ' : '▁';
  const tokens = Array.from(words, (w, id) => (w < 0 ? `<|special_${id}|>` : `${mark}w${w.toString(36)}`));
  return { kind: spelling, tokens };
}

/** A model as a reader sees it: a vocabulary, tensors, and rows on demand. */
export class SynthModel {
  readonly vocab: Vocabulary;
  readonly tensors: DeepTensorInfo[];
  readonly hiddenOf: Int32Array;
  readonly signs: Float64Array;
  private readonly unitOf: Int32Array[];
  private readonly headOf: Int32Array[];
  private readonly gammaIn: Float64Array[];
  private readonly gammaPost: Float64Array[];
  constructor(
    readonly base: BaseModel,
    readonly words: Int32Array,
    spelling: Spelling,
    readonly t: Transform = { seed: 0 },
  ) {
    const { d, layers, units, heads } = base.shape;
    const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
    this.hiddenOf = t.permuteHidden ? shuffled(d, hash(t.seed, 1)) : identity(d);
    const flips = seededRandom(hash(t.seed, 2));
    this.signs = Float64Array.from({ length: d }, () => (t.permuteHidden && flips() < 0.5 ? -1 : 1));
    this.unitOf = Array.from({ length: layers }, (_, l) =>
      t.permuteUnits ? shuffled(units, hash(t.seed, 3, l)) : identity(units),
    );
    this.headOf = Array.from({ length: layers }, (_, l) =>
      t.permuteHeads ? shuffled(heads, hash(t.seed, 4, l)) : identity(heads),
    );
    const gamma = (key: number, l: number) => {
      const g = gaussians(hash(base.seed, key, l), d).map((x) => 1 + 0.3 * Math.abs(x));
      g[l % d] = 4; // an outlier channel, as real norms have
      return g;
    };
    this.gammaIn = Array.from({ length: layers }, (_, l) => gamma(30, l));
    this.gammaPost = Array.from({ length: layers }, (_, l) => gamma(31, l));
    this.vocab = vocabularyOf(words, spelling);
    this.tensors = tensorList(base.shape, words.length);
  }
  /** Norm weights as stored: all 1.0 once folded into the matrices. */
  norm(kind: 'input' | 'post', layer: number): Float32Array {
    if (this.t.foldNorms) return new Float32Array(this.base.shape.d).fill(1);
    const g = (kind === 'input' ? this.gammaIn : this.gammaPost)[layer] as Float64Array;
    return Float32Array.from(this.hiddenOf, (b) => g[b] as number);
  }
  /** Derived hidden dim j of a base row over hidden dims, plus this model's own update, times a folded γ. */
  private hiddenRow(baseRow: Float64Array, noiseSeed: number, noise: number, gamma: Float64Array | null): Float32Array {
    const d = baseRow.length,
      out = new Float32Array(d),
      extra = noise > 0 ? laplace(noiseSeed, d) : null;
    let rms = 0;
    for (let i = 0; i < d; i++) rms += (baseRow[i] as number) ** 2;
    rms = Math.sqrt(rms / d);
    for (let j = 0; j < d; j++) {
      const b = this.hiddenOf[j] as number;
      const v = (baseRow[b] as number) + (extra ? noise * rms * (extra[j] as number) : 0);
      out[j] = (this.signs[j] as number) * v * (gamma ? (gamma[b] as number) : 1);
    }
    return out;
  }
  row(info: DeepTensorInfo, id: number): Float32Array {
    const { t, base } = this,
      layer = info.layer,
      noise = t.matrixNoise ?? 0;
    const seed = hash(t.seed, 40 + ROLE_KEY[info.role as Role], layer, id);
    switch (info.role) {
      case 'embed':
        return this.hiddenRow(base.embedRow(this.words[id] as number), seed, t.embedNoise ?? 0, null);
      case 'gate':
      case 'up': {
        const baseRow = base.readMatrixRow(info.role, layer, this.unitOf[layer]![id] as number);
        return this.hiddenRow(baseRow, seed, noise, t.foldNorms ? this.gammaPost[layer]! : null);
      }
      case 'q': {
        const hd = base.shape.headDim,
          baseId = (this.headOf[layer]![Math.floor(id / hd)] as number) * hd + (id % hd);
        return this.hiddenRow(
          base.readMatrixRow('q', layer, baseId),
          seed,
          noise,
          t.foldNorms ? this.gammaIn[layer]! : null,
        );
      }
      case 'k':
        return this.hiddenRow(
          base.readMatrixRow('k', layer, id),
          seed,
          noise,
          t.foldNorms ? this.gammaIn[layer]! : null,
        );
      case 'down': {
        const baseRow = base.downRow(layer, this.hiddenOf[id] as number),
          units = this.unitOf[layer]!,
          extra = noise > 0 ? laplace(seed, units.length) : null,
          s = base.std('down', layer) * noise;
        return Float32Array.from(
          units,
          (bu, u) => (this.signs[id] as number) * ((baseRow[bu] as number) + (extra ? s * (extra[u] as number) : 0)),
        );
      }
      default:
        throw new Error(`no rows for role ${info.role}`);
    }
  }
  /** What a reader returns for a plan's requests. */
  blocks(requests: readonly DeepReadRequest[]): RowBlock[] {
    return requests.map((r) => {
      const info = this.tensors.find((x) => x.name === r.tensor);
      if (!info) throw new Error(`no tensor ${r.tensor}`);
      const cols = info.shape[1],
        values = new Float32Array(r.rowIds.length * cols);
      r.rowIds.forEach((id, i) => values.set(this.row(info, id), i * cols));
      return { ...info, rowIds: r.rowIds, values };
    });
  }
}

export function tensorList(shape: SynthShape, vocab: number): DeepTensorInfo[] {
  const { d, units, layers, heads, headDim, kvHeads } = shape;
  const out: DeepTensorInfo[] = [
    { role: 'embed', layer: -1, name: 'model.embed_tokens.weight', shape: [vocab, d], dtype: 'BF16' },
  ];
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}.`;
    out.push(
      { role: 'q', layer: l, name: `${p}self_attn.q_proj.weight`, shape: [heads * headDim, d], dtype: 'BF16' },
      { role: 'k', layer: l, name: `${p}self_attn.k_proj.weight`, shape: [kvHeads * headDim, d], dtype: 'BF16' },
      { role: 'gate', layer: l, name: `${p}mlp.gate_proj.weight`, shape: [units, d], dtype: 'BF16' },
      { role: 'up', layer: l, name: `${p}mlp.up_proj.weight`, shape: [units, d], dtype: 'BF16' },
      { role: 'down', layer: l, name: `${p}mlp.down_proj.weight`, shape: [d, units], dtype: 'BF16' },
    );
  }
  return out;
}

/** Words of a foundation's vocabulary: 3 specials, then words 0…vocab−4 in order. */
export const foundationWords = (shape: SynthShape) =>
  Int32Array.from({ length: shape.vocab }, (_, id) => (id < 3 ? -1 - id : id - 3));

/** A foundation model (seed = its initialisation) trained on the language. */
export function foundation(shape: SynthShape, seed: number, languageSeed = 1, spelling: Spelling = 'byte-level-bpe') {
  return new SynthModel(new BaseModel(shape, seed, languageSeed), foundationWords(shape), spelling);
}

/** A derivative of `parent`'s base (same initialisation) under a transform. */
export function derive(parent: SynthModel, t: Transform): SynthModel {
  const extra = t.extraTokens ?? 0;
  const top = parent.words.reduce((m, w) => Math.max(m, w), -1) + 1;
  const words = Int32Array.from({ length: parent.words.length + extra }, (_, id) =>
    id < parent.words.length ? (parent.words[id] as number) : top + (id - parent.words.length),
  );
  return new SynthModel(parent.base, words, parent.vocab.kind as Spelling, t);
}

/** An unrelated model with another tokenizer: half its words shared with the foundation's, in another order. */
export function otherTokenizer(shape: SynthShape, seed: number, languageSeed = 1): SynthModel {
  const order = shuffled(shape.vocab - 3, hash(seed, 50));
  const words = Int32Array.from({ length: shape.vocab }, (_, id) => {
    if (id < 3) return -1 - id;
    const w = order[id - 3] as number;
    return w % 2 === 0 ? w : shape.vocab + w; // odd words: ones the foundation does not have
  });
  return new SynthModel(new BaseModel(shape, seed, languageSeed), words, 'sentencepiece');
}
