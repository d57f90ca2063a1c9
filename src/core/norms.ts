// The architecture table: which tensor names are the per-layer norm weights γ, and which role
// (before attention = 'input', before the MLP = 'post') each plays. One more architecture is one
// more entry. Only `.weight` is matched: LayerNorm biases are not γ.
import type { NormRole, NormTensorRef } from './types.ts';

export interface NormFamily {
  family: string;
  /** over full tensor names; must capture `layer` (digits) and `kind` (a key of `roles`) */
  match: RegExp;
  roles: Readonly<Record<string, NormRole>>;
  /** the entry only applies when config.model_type matches (used to flag variants of a naming scheme) */
  modelTypes?: RegExp;
  /** stored weight w is applied as (1 + w): compare with care */
  zeroCentred?: boolean;
  notes: string;
}

// Prefixes seen in real checkpoints: model., bare, language_model.model., model.language_model.
const DECODER_PREFIX = String.raw`^(?:model\.|language_model\.model\.|model\.language_model\.)?layers\.`;
const HF_ROLES = { input_layernorm: 'input', post_attention_layernorm: 'post' } as const;
const HF_KINDS = String.raw`(?<kind>input_layernorm|post_attention_layernorm)\.weight$`;

export const NORM_FAMILIES: readonly NormFamily[] = [
  {
    family: 'gemma',
    match: new RegExp(`${DECODER_PREFIX}(?<layer>\\d+)\\.${HF_KINDS}`),
    roles: HF_ROLES,
    modelTypes: /^(gemma|paligemma|qwen3_5|qwen3_next)/,
    zeroCentred: true,
    notes: 'GemmaRMSNorm stores w and applies (1 + w); the stored vectors are γ − 1.',
  },
  {
    family: 'llama',
    match: new RegExp(`${DECODER_PREFIX}(?<layer>\\d+)\\.${HF_KINDS}`),
    roles: HF_ROLES,
    notes:
      'llama, mistral, qwen2/3, glm4_moe, solar_open, phi3, phimoe, deepseek, cohere (input only), olmo2 (post only).',
  },
  {
    family: 'gpt2',
    match: /^(?:transformer\.)?h\.(?<layer>\d+)\.(?<kind>ln_1|ln_2)\.weight$/,
    roles: { ln_1: 'input', ln_2: 'post' },
    notes: 'LayerNorm with bias; newer saves add the transformer. prefix.',
  },
  {
    family: 'gpt-neox',
    match: new RegExp(`^gpt_neox\\.layers\\.(?<layer>\\d+)\\.${HF_KINDS}`),
    roles: HF_ROLES,
    notes: 'Pythia and friends; LayerNorm with bias, parallel residual.',
  },
  {
    family: 'falcon',
    match: /^(?:transformer\.)?h\.(?<layer>\d+)\.(?<kind>ln_attn|ln_mlp)\.weight$/,
    roles: { ln_attn: 'input', ln_mlp: 'post' },
    notes: 'Falcon 40B/180B new_decoder_architecture.',
  },
  {
    family: 'bloom-falcon7b',
    match: new RegExp(`^(?:transformer\\.)?h\\.(?<layer>\\d+)\\.${HF_KINDS}`),
    roles: HF_ROLES,
    notes: 'BLOOM; Falcon 7B has input_layernorm only (parallel block).',
  },
  {
    family: 'meta-consolidated',
    match: /^layers\.(?<layer>\d+)\.(?<kind>attention_norm|ffn_norm)\.weight$/,
    roles: { attention_norm: 'input', ffn_norm: 'post' },
    notes: 'Meta/Mistral native consolidated*.safetensors.',
  },
];

export type ModelConfig = Record<string, unknown>;

export interface NormDiscovery {
  family: string;
  zeroCentred: boolean;
  tensors: NormTensorRef[];
  /** decoder layers that have at least one norm, ascending */
  layers: number[];
  /** layers ≥ the configured layer count (e.g. MTP), ascending */
  extraLayers: number[];
  /** labels of all layers, e.g. 46 → "46 (MTP)" */
  labels: Map<number, string>;
  warnings: string[];
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

function textConfig(config: ModelConfig): ModelConfig | null {
  for (const key of ['text_config', 'language_config', 'llm_config']) {
    const c = config[key];
    if (c !== null && typeof c === 'object' && !Array.isArray(c)) return c as ModelConfig;
  }
  return null;
}

function firstNumber(config: ModelConfig, keys: readonly string[]): number | null {
  for (const k of keys) {
    const v = num(config[k]);
    if (v !== null) return v;
  }
  const nested = textConfig(config);
  return nested ? firstNumber(nested, keys) : null;
}

/** Width of the residual stream, i.e. the expected length of every γ. */
export function hiddenSizeFromConfig(config: ModelConfig): number | null {
  return firstNumber(config, ['hidden_size', 'n_embd', 'd_model', 'dim']);
}

/** Number of decoder layers; blocks at or beyond it are extras (MTP). */
export function numLayersFromConfig(config: ModelConfig): number | null {
  return firstNumber(config, ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers']);
}

export function modelTypeFromConfig(config: ModelConfig): string {
  const t = config.model_type ?? textConfig(config)?.model_type;
  return typeof t === 'string' ? t : '';
}

interface Candidate {
  entry: NormFamily;
  refs: NormTensorRef[];
}

function collect(entry: NormFamily, names: Iterable<[string, string]>): NormTensorRef[] {
  const refs: NormTensorRef[] = [];
  for (const [name, file] of names) {
    const g = entry.match.exec(name)?.groups;
    const role = g?.kind !== undefined ? entry.roles[g.kind] : undefined;
    if (!g?.layer || !role) continue;
    refs.push({ name, layer: Number(g.layer), role, extra: false, file });
  }
  return refs;
}

function isMtp(config: ModelConfig, layer: number, names: readonly string[]): boolean {
  if ((num(config.num_nextn_predict_layers) ?? 0) > 0) return true;
  const marker = new RegExp(String.raw`layers\.${layer}\.(enorm|hnorm|eh_proj|shared_head)\.`);
  return names.some((n) => marker.test(n));
}

/** Find the norm tensors: the table entry with the most matches wins, ties go to the earlier entry. */
export function discoverNorms(
  tensorNames: readonly string[] | ReadonlyMap<string, string>,
  config: ModelConfig,
): NormDiscovery {
  const pairs: [string, string][] = Array.isArray(tensorNames)
    ? (tensorNames as readonly string[]).map((n) => [n, ''])
    : [...(tensorNames as ReadonlyMap<string, string>)];
  const names = pairs.map(([n]) => n);
  const modelType = modelTypeFromConfig(config);
  let best: Candidate | null = null;
  for (const entry of NORM_FAMILIES) {
    if (entry.modelTypes && !entry.modelTypes.test(modelType)) continue;
    const refs = collect(entry, pairs);
    if (refs.length > (best?.refs.length ?? 0)) best = { entry, refs };
  }
  const warnings: string[] = [];
  if (!best) {
    return { family: 'unknown', zeroCentred: false, tensors: [], layers: [], extraLayers: [], labels: new Map(), warnings };
  }
  const numLayers = numLayersFromConfig(config);
  if (numLayers === null) warnings.push('config.json gives no layer count, so no layer is treated as an extra (MTP) block.');
  const tensors = best.refs
    .map((r) => ({ ...r, extra: numLayers !== null && r.layer >= numLayers }))
    .sort((a, b) => a.layer - b.layer || a.role.localeCompare(b.role));
  const all = [...new Set(tensors.map((t) => t.layer))];
  const layers = all.filter((l) => numLayers === null || l < numLayers);
  const extraLayers = all.filter((l) => numLayers !== null && l >= numLayers);
  const labels = new Map<number, string>();
  for (const l of layers) labels.set(l, String(l));
  for (const l of extraLayers) labels.set(l, `${l} (${isMtp(config, l, names) ? 'MTP' : 'extra'})`);
  warnings.push(...missingWarnings(tensors, layers, numLayers));
  if (best.entry.zeroCentred) warnings.push(`${best.entry.family}: ${best.entry.notes}`);
  return { family: best.entry.family, zeroCentred: best.entry.zeroCentred === true, tensors, layers, extraLayers, labels, warnings };
}

function missingWarnings(tensors: readonly NormTensorRef[], layers: readonly number[], numLayers: number | null): string[] {
  const out: string[] = [];
  const expected = numLayers ?? (layers.length ? Math.max(...layers) + 1 : 0);
  const present = new Set(layers);
  const absent: number[] = [];
  for (let l = 0; l < expected; l++) if (!present.has(l)) absent.push(l);
  if (absent.length) out.push(`No norm tensors for layer${absent.length > 1 ? 's' : ''} ${absent.join(', ')}.`);
  const decoder = tensors.filter((t) => !t.extra);
  for (const role of ['input', 'post'] as const) {
    const have = new Set(decoder.filter((t) => t.role === role).map((t) => t.layer));
    if (have.size === 0) {
      out.push(`This architecture has no per-layer ${role === 'input' ? 'pre-attention (input)' : 'post-attention'} norm.`);
      continue;
    }
    const lacking = layers.filter((l) => !have.has(l));
    if (lacking.length) out.push(`Layer${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} lack${lacking.length > 1 ? '' : 's'} the ${role} norm.`);
  }
  return out;
}
