// The parts every family fixture is built from: sizes, tensor builders, config builders, dtypes.
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
export const I = 256;
export const V = 256;
export const EXPERTS = 4;
export const MOE_I = 64;

export type T = FixtureTensor;
export const t = (name: string, shape: number[], dtype: NormDtype): T => ({ name, shape, dtype });

export interface Opts {
  dtype: NormDtype;
}

/** Tensors of a llama-style attention block under prefix p (`…self_attn.`). */
export function attn(
  p: string,
  o: Opts & { bias?: boolean; oBias?: boolean; heads?: number; kv?: number; hd?: number },
): T[] {
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

export function gated(p: string, o: Opts, inter = I): T[] {
  return [
    t(`${p}gate_proj.weight`, [inter, H], o.dtype),
    t(`${p}up_proj.weight`, [inter, H], o.dtype),
    t(`${p}down_proj.weight`, [H, inter], o.dtype),
  ];
}

export function experts(p: string, o: Opts, n = EXPERTS): T[] {
  const out: T[] = [];
  for (let e = 0; e < n; e++) out.push(...gated(`${p}${e}.`, o, MOE_I));
  return out;
}

export function norm(name: string, width: number | number[], o: Opts): T {
  return t(name, Array.isArray(width) ? width : [width], o.dtype);
}

/** Pre-norm decoder with `model.` layout; `layer` gives the block's tensors after the prefix. */
export function decoder(
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

export const prePost = (p: string, o: Opts, bias = false): T[] => [
  norm(`${p}input_layernorm.weight`, H, o),
  norm(`${p}post_attention_layernorm.weight`, H, o),
  ...(bias ? [norm(`${p}input_layernorm.bias`, H, o), norm(`${p}post_attention_layernorm.bias`, H, o)] : []),
];
export const sandwich = (p: string, o: Opts): T[] => [
  norm(`${p}input_layernorm.weight`, H, o),
  norm(`${p}post_attention_layernorm.weight`, H, o),
  norm(`${p}pre_feedforward_layernorm.weight`, H, o),
  norm(`${p}post_feedforward_layernorm.weight`, H, o),
];
export const qk = (p: string, o: Opts, q = HD, k = HD): T[] => [
  norm(`${p}q_norm.weight`, q, o),
  norm(`${p}k_norm.weight`, k, o),
];

export function llamaConfig(
  modelType: string,
  arch: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
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
export function siglipTower(prefix: string, o: Opts, layers = 2): T[] {
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

export const BF16: Opts = { dtype: 'BF16' };
export const F16: Opts = { dtype: 'F16' };
export const F32: Opts = { dtype: 'F32' };
export const hidden4 = { input: H, post: H };

export function llamaLike(
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

export const GEMMA_SHIFT = { input: 1, post: 1, attn_out: 1, ffn_out: 1, q: 1, k: 1 };
