// Which tensors of a model the deep check reads (issue 14): the input embeddings and, per decoder
// layer, the q/k/v/o and gate/up/down projections, found by name in a tensor catalogue of any format
// (safetensors with Hugging Face names, GGUF with llama.cpp names). Pure: names, shapes, dtypes.
//
// Supported names (any prefix before `layers.N.`, so multimodal wrappers such as
// `language_model.model.layers.N.` are found too):
//   embeddings   *embed_tokens.weight, *word_embeddings.weight, *tok_embeddings.weight, *wte.weight,
//                *embed_in.weight; GGUF token_embd.weight
//   attention    layers.N.self_attn.{q,k,v,o}_proj.weight (llama, mistral, qwen2/3, gemma 1–3, deepseek
//                dense attention, glm4, granite, olmo…); DeepSeek MLA: q_proj or q_a_proj as q,
//                kv_a_proj_with_mqa as k (both read the hidden stream), o_proj as o
//   MLP          layers.N.mlp.{gate,up,down}_proj.weight; MoE layers: mlp.shared_experts.* when present
//   GGUF         blk.N.attn_{q,k,v,output}.weight, blk.N.ffn_{gate,up,down}.weight
// Not supported (listed in `unsupported` so the UI can say so): fused projections — phi3
// `qkv_proj` / `gate_up_proj`, chatglm `query_key_value` / `dense_h_to_4h`, falcon/neox
// `query_key_value`, gpt2 `c_attn`, baichuan `W_pack` — and routed experts.
import type { DeepRole, DeepTensorInfo } from './deep/api.ts';

/** A tensor as any catalogue lists it: numpy-order shape (rows first). */
export interface NamedTensor {
  name: string;
  shape: readonly number[];
  dtype: string;
}

export interface DeepTensorDiscovery {
  tensors: DeepTensorInfo[];
  /** block-scale tensor (`weight_scale_inv`) of each FP8 tensor, by tensor name */
  scales: Record<string, string>;
  /** fused or unknown projections seen and left out, in words */
  unsupported: string[];
}

const EMBED_RE = /(?:^|\.)(?:embed_tokens|word_embeddings|tok_embeddings|wte|embed_in)\.weight$|^token_embd\.weight$/;

const HF_ROLE: readonly [RegExp, DeepRole][] = [
  [/\.(?:self_attn|attention)\.q_proj\.weight$/, 'q'],
  [/\.(?:self_attn|attention)\.k_proj\.weight$/, 'k'],
  [/\.(?:self_attn|attention)\.v_proj\.weight$/, 'v'],
  [/\.(?:self_attn|attention)\.o_proj\.weight$/, 'o'],
  [/\.mlp\.(?:shared_experts\.)?gate_proj\.weight$/, 'gate'],
  [/\.mlp\.(?:shared_experts\.)?up_proj\.weight$/, 'up'],
  [/\.mlp\.(?:shared_experts\.)?down_proj\.weight$/, 'down'],
  [/^blk\.\d+\.attn_q\.weight$/, 'q'],
  [/^blk\.\d+\.attn_k\.weight$/, 'k'],
  [/^blk\.\d+\.attn_v\.weight$/, 'v'],
  [/^blk\.\d+\.attn_output\.weight$/, 'o'],
  [/^blk\.\d+\.ffn_gate\.weight$/, 'gate'],
  [/^blk\.\d+\.ffn_up\.weight$/, 'up'],
  [/^blk\.\d+\.ffn_down\.weight$/, 'down'],
];

/** MLA names used only when the layer has no plain q_proj / k_proj. */
const MLA_FALLBACK: readonly [RegExp, DeepRole][] = [
  [/\.self_attn\.q_a_proj\.weight$/, 'q'],
  [/\.self_attn\.kv_a_proj_with_mqa\.weight$/, 'k'],
];

const FUSED: readonly [RegExp, string][] = [
  [/\.qkv_proj\.weight$/, 'fused q/k/v (qkv_proj, phi3)'],
  [/\.gate_up_proj\.weight$/, 'fused gate/up (gate_up_proj, phi3)'],
  [/\.query_key_value\.weight$/, 'fused q/k/v (query_key_value, chatglm / falcon / neox)'],
  [/\.dense_h_to_4h\.weight$/, 'fused gate/up (dense_h_to_4h, chatglm)'],
  [/\.c_attn\.weight$/, 'fused q/k/v (c_attn, gpt2)'],
  [/\.W_pack\.weight$/, 'fused q/k/v (W_pack, baichuan)'],
  [/^blk\.\d+\.attn_qkv\.weight$/, 'fused q/k/v (attn_qkv, GGUF)'],
];

const GGUF_LAYER_RE = /^blk\.(\d+)\./;
/** Hugging Face decoder layers: `layers.N.`, `layer.N.`, `h.N.`, `blocks.N.`, `block.N.` after any prefix. */
const HF_LAYER_RE = /(?:^|\.)(?:layers|layer|h|blocks|block)\.(\d+)\./;

/** The decoder layer of a tensor name, or null (embeddings and anything outside the layers). */
export function layerOf(name: string): number | null {
  const m = GGUF_LAYER_RE.exec(name) ?? HF_LAYER_RE.exec(name);
  return m ? Number(m[1]) : null;
}

function roleOf(name: string, table: readonly [RegExp, DeepRole][]): DeepRole | null {
  for (const [re, role] of table) if (re.test(name)) return role;
  return null;
}

/**
 * The deep-check tensors of a catalogue: 2-D only, the embeddings once (layer -1), per layer at most
 * one tensor per role. Tensors beyond `numLayers` (multi-token-prediction blocks) are left out.
 */
export function discoverDeepTensors(list: readonly NamedTensor[], numLayers?: number | null): DeepTensorDiscovery {
  const names = new Set(list.map((t) => t.name));
  const tensors: DeepTensorInfo[] = [];
  const seen = new Set<string>();
  const fused = new Set<string>();
  const add = (t: NamedTensor, role: DeepRole, layer: number) => {
    const key = `${layer}:${role}`;
    if (seen.has(key) || t.shape.length !== 2) return;
    seen.add(key);
    tensors.push({ role, layer, name: t.name, shape: [t.shape[0]!, t.shape[1]!], dtype: t.dtype });
  };
  for (const t of list) {
    if (EMBED_RE.test(t.name) && !t.name.includes('layers.')) {
      add(t, 'embed', -1);
      continue;
    }
    const layer = layerOf(t.name);
    if (layer === null || (numLayers != null && layer >= numLayers)) continue;
    if (/\.experts\.\d+\./.test(t.name)) continue;
    const role = roleOf(t.name, HF_ROLE);
    if (role) add(t, role, layer);
    for (const [re, what] of FUSED) if (re.test(t.name)) fused.add(what);
  }
  for (const t of list) {
    const layer = layerOf(t.name);
    if (layer === null || (numLayers != null && layer >= numLayers)) continue;
    const role = roleOf(t.name, MLA_FALLBACK);
    if (role) add(t, role, layer);
  }
  tensors.sort((x, y) => x.layer - y.layer || ROLE_ORDER.indexOf(x.role) - ROLE_ORDER.indexOf(y.role));
  const scales: Record<string, string> = {};
  for (const t of tensors) {
    const s = t.name.replace(/\.weight$/, '.weight_scale_inv');
    if (s !== t.name && names.has(s)) scales[t.name] = s;
  }
  const unsupported = [...fused].map((f) => `${f}: not supported for the deep check`);
  return { tensors, scales, unsupported };
}

export const ROLE_ORDER: readonly DeepRole[] = ['embed', 'q', 'k', 'v', 'o', 'gate', 'up', 'down'];

/** Hidden size from the embeddings (columns), else from config; null when neither says. */
export function hiddenSizeOf(tensors: readonly DeepTensorInfo[], config: Record<string, unknown>): number | null {
  const embed = tensors.find((t) => t.role === 'embed');
  if (embed) return embed.shape[1];
  const h = config['hidden_size'] ?? config['n_embd'] ?? config['d_model'];
  return typeof h === 'number' ? h : null;
}
