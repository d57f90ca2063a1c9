// Small GPT-2-like and GPT-NeoX-like synthetic repos (LayerNorm with bias; the names those families use),
// built on staticHub.ts's tensors, shards and README.
import { createRng, type Rng } from './random.ts';
import { generateModelGammas, type LayerStat } from './gammaProfiles.ts';
import type { NormDtype } from '../../src/core/types.ts';
import {
  type GatedMode,
  tensor,
  placeholder,
  type TensorGroup,
  type ShardingOptions,
  shardGroups,
  syntheticReadme,
  lazyNorms,
  type BuiltRepo,
} from './staticHub.ts';

export interface SmallArchOptions extends ShardingOptions {
  repo: string;
  hidden: number;
  layers: number;
  seed?: number | string;
  /** γ per layer for the first / second norm; generated when absent */
  input?: Float32Array[];
  post?: Float32Array[];
  dtype?: NormDtype;
  description?: string;
  gated?: GatedMode;
  private?: boolean;
}

function defaultGammas(opts: SmallArchOptions): { input: Float32Array[]; post: Float32Array[] } {
  if (opts.input && opts.post) return { input: opts.input, post: opts.post };
  const stat = (l: number, base: number): LayerStat => ({
    mean: base + (0.5 * l) / Math.max(1, opts.layers),
    std: 0.08,
  });
  const g = generateModelGammas({
    seed: `${String(opts.seed ?? opts.repo)}/gamma`,
    hidden: opts.hidden,
    stats: {
      input: Array.from({ length: opts.layers }, (_, l) => stat(l, 0.4)),
      post: Array.from({ length: opts.layers }, (_, l) => stat(l, 0.6)),
    },
  });
  return { input: opts.input ?? g.input, post: opts.post ?? g.post };
}

function biasVector(rng: Rng, n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = 0.02 * rng.normal();
  return v;
}

/** The files and facts of a built repo: shards, README (with the norm names), declared norms. */
function finishRepo(
  opts: SmallArchOptions,
  parts: {
    groups: TensorGroup[];
    config: Record<string, unknown>;
    description: string;
    notes: string[];
    input: Float32Array[];
    post: Float32Array[];
    dtype: NormDtype;
  },
): BuiltRepo {
  const files = shardGroups(parts.groups, opts);
  files['README.md'] = syntheticReadme(opts.repo, parts.description, parts.notes);
  return {
    repo: opts.repo,
    files,
    config: parts.config,
    description: parts.description,
    gated: opts.gated ?? false,
    private: opts.private ?? false,
    norms: lazyNorms(parts.input, parts.post, parts.dtype),
    hiddenSize: opts.hidden,
    numLayers: opts.layers,
    dtype: parts.dtype,
  };
}

/** A GPT-2-style repo: `h.{i}.ln_1.weight/.bias`, `h.{i}.ln_2.*`, `ln_f.*`, F32 LayerNorm with bias. */
export function buildGpt2LikeRepo(opts: SmallArchOptions & { prefix?: '' | 'transformer.' }): BuiltRepo {
  const { input, post } = defaultGammas(opts);
  const dtype = opts.dtype ?? 'F32';
  const h = opts.hidden;
  const pre = opts.prefix ?? '';
  const rng = createRng(opts.seed ?? opts.repo);
  const groups: TensorGroup[] = [
    {
      kind: 'embed',
      tensors: [
        placeholder(rng, `${pre}wte.weight`, dtype, [16, h]),
        placeholder(rng, `${pre}wpe.weight`, dtype, [8, h]),
      ],
    },
  ];
  for (let i = 0; i < opts.layers; i++) {
    const p = `${pre}h.${i}.`;
    groups.push({
      kind: 'layer',
      tensors: [
        tensor(`${p}ln_1.weight`, dtype, [h], input[i] as Float32Array),
        tensor(`${p}ln_1.bias`, dtype, [h], biasVector(rng.fork(`${p}b1`), h)),
        placeholder(rng, `${p}attn.c_attn.weight`, dtype, [h, 12]),
        tensor(`${p}ln_2.weight`, dtype, [h], post[i] as Float32Array),
        tensor(`${p}ln_2.bias`, dtype, [h], biasVector(rng.fork(`${p}b2`), h)),
        placeholder(rng, `${p}mlp.c_proj.weight`, dtype, [8, h]),
      ],
    });
  }
  groups.push({
    kind: 'tail',
    tensors: [
      tensor(`${pre}ln_f.weight`, dtype, [h], new Float32Array(h).fill(1)),
      tensor(`${pre}ln_f.bias`, dtype, [h], biasVector(rng.fork('lnf'), h)),
    ],
  });
  const config = {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    n_embd: h,
    n_layer: opts.layers,
    n_head: Math.max(1, h / 64),
    n_positions: 8,
    vocab_size: 16,
    layer_norm_epsilon: 1e-5,
  };
  const description = opts.description ?? `Synthetic GPT-2-style model, ${opts.layers} layers, n_embd ${h}.`;
  return finishRepo(opts, {
    groups,
    config,
    description,
    notes: ['LayerNorm with bias: `h.{i}.ln_1`, `h.{i}.ln_2`, `ln_f`'],
    input,
    post,
    dtype,
  });
}

/** A GPT-NeoX/Pythia-style repo: `gpt_neox.layers.{i}.input_layernorm.weight/.bias`, `post_attention_layernorm.*`. */
export function buildNeoxLikeRepo(opts: SmallArchOptions): BuiltRepo {
  const { input, post } = defaultGammas(opts);
  const dtype = opts.dtype ?? 'F16';
  const h = opts.hidden;
  const rng = createRng(opts.seed ?? opts.repo);
  const groups: TensorGroup[] = [
    { kind: 'embed', tensors: [placeholder(rng, 'gpt_neox.embed_in.weight', dtype, [16, h])] },
  ];
  for (let i = 0; i < opts.layers; i++) {
    const p = `gpt_neox.layers.${i}.`;
    groups.push({
      kind: 'layer',
      tensors: [
        tensor(`${p}input_layernorm.weight`, dtype, [h], input[i] as Float32Array),
        tensor(`${p}input_layernorm.bias`, dtype, [h], biasVector(rng.fork(`${p}b1`), h)),
        tensor(`${p}post_attention_layernorm.weight`, dtype, [h], post[i] as Float32Array),
        tensor(`${p}post_attention_layernorm.bias`, dtype, [h], biasVector(rng.fork(`${p}b2`), h)),
        placeholder(rng, `${p}attention.dense.weight`, dtype, [h, 8]),
        placeholder(rng, `${p}mlp.dense_4h_to_h.weight`, dtype, [h, 8]),
      ],
    });
  }
  groups.push({
    kind: 'tail',
    tensors: [
      tensor('gpt_neox.final_layer_norm.weight', dtype, [h], new Float32Array(h).fill(1)),
      tensor('gpt_neox.final_layer_norm.bias', dtype, [h], biasVector(rng.fork('final'), h)),
      placeholder(rng, 'embed_out.weight', dtype, [16, h]),
    ],
  });
  const config = {
    architectures: ['GPTNeoXForCausalLM'],
    model_type: 'gpt_neox',
    hidden_size: h,
    num_hidden_layers: opts.layers,
    num_attention_heads: Math.max(1, h / 64),
    use_parallel_residual: true,
    vocab_size: 16,
    layer_norm_eps: 1e-5,
  };
  const description = opts.description ?? `Synthetic GPT-NeoX-style model, ${opts.layers} layers, hidden size ${h}.`;
  return finishRepo(opts, {
    groups,
    config,
    description,
    notes: ['LayerNorm with bias: `gpt_neox.layers.{i}.input_layernorm`, `post_attention_layernorm`'],
    input,
    post,
    dtype,
  });
}
