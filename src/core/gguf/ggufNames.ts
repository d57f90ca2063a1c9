// GGUF tensor names → per-layer norm roles. llama.cpp renames every checkpoint to one vocabulary
// (`blk.N.attn_norm.weight` …), so one table covers most architectures; the exceptions below are
// the ones where llama.cpp's graph uses a name for a different job (checked in src/models/*.cpp).
//
// Counted: `blk.N.<kind>.weight` only. Not counted, by construction: biases, `output_norm`,
// `token_embd_norm`, vision/projector/audio towers (`v.*`, `mm.*`, `a.*`), T5's `enc.*`/`dec.*`
// (encoder–decoder stacks have no single layer axis; out of scope), `blk.N.nextn.*` (MTP's
// enorm/hnorm/shared_head_norm: no role), `ssm_norm` (Mamba mixer norm, d_inner wide),
// `attn_sinks`, gemma3n's `post_norm`/`laurel_post_norm`/`altup_router_norm`, gemma4's
// `pre_ffw_norm_2`/`post_ffw_norm_1`/`post_ffw_norm_2` (MoE branch norms), bitnet's `*_sub_norm`.
import type { GgufModelSummary } from './ggufModel.ts';

export type GgufNormRole = 'input' | 'post' | 'attn_out' | 'ffn_out' | 'q' | 'k' | 'q_a' | 'kv_a';
export const GGUF_NORM_ROLES: readonly GgufNormRole[] = [
  'input',
  'post',
  'attn_out',
  'ffn_out',
  'q',
  'k',
  'q_a',
  'kv_a',
];

export interface GgufNormRef {
  name: string;
  layer: number;
  role: GgufNormRole;
  /** a block beyond the decoder (NextN/MTP): keep and label it, leave it out of the matrices */
  extra: boolean;
}

type RoleTable = Readonly<Record<string, GgufNormRole>>;

const DEFAULT_ROLES: RoleTable = {
  attn_norm: 'input', // also the single pre-mixer norm of mamba, nemotron-h, jamba, granite-hybrid
  ffn_norm: 'post', // FFN_NORM and FFN_PRE_NORM (gemma2/3's pre_feedforward_layernorm) share it
  post_attention_norm: 'attn_out',
  post_ffw_norm: 'ffn_out',
  attn_output_norm: 'attn_out', // bert/nomic-bert post-LN, grok's rms_norm_1
  layer_output_norm: 'ffn_out', // bert/nomic-bert post-LN, grok's rms_norm_3
  attn_q_norm: 'q',
  attn_k_norm: 'k',
  attn_q_a_norm: 'q_a',
  attn_kv_a_norm: 'kv_a',
};

/** Architecture-specific meanings, applied over the defaults. */
function rolesFor(architecture: string | null, kinds: ReadonlySet<string>): RoleTable {
  switch (architecture) {
    case 'falcon':
      // falcon-40b: ln_attn → attn_norm_2 feeds attention, ln_mlp → attn_norm feeds the MLP.
      // falcon-7b has attn_norm only, feeding both branches (parallel block): input.
      return kinds.has('attn_norm_2') ? { ...DEFAULT_ROLES, attn_norm_2: 'input', attn_norm: 'post' } : DEFAULT_ROLES;
    case 'rwkv6':
    case 'rwkv7':
      // ln1 → attn_norm before time-mix, ln2 → attn_norm_2 before channel-mix (the FFN).
      return { ...DEFAULT_ROLES, attn_norm_2: 'post' };
    case 'dbrx':
      // norm_attn_norm.norm_2 is mapped to ATTN_OUT_NORM but normalises the MoE input.
      return { ...DEFAULT_ROLES, attn_output_norm: 'post' };
    default:
      return DEFAULT_ROLES;
  }
}

const BLOCK_TENSOR = /^blk\.(\d+)\.([a-z0-9_]+)\.weight$/;
const NEXTN_TENSOR = /^blk\.(\d+)\.nextn\./;

/**
 * The per-layer norm tensors among `tensorNames` (all parts of a split model together), with
 * their roles. Blocks at or beyond `decoderLayers`, or holding `nextn.*` tensors, are extras.
 */
export function ggufNormTensors(
  tensorNames: Iterable<string>,
  summary: Pick<GgufModelSummary, 'architecture' | 'decoderLayers'>,
): GgufNormRef[] {
  const blockTensors: { name: string; layer: number; kind: string }[] = [];
  const mtpBlocks = new Set<number>();
  for (const name of tensorNames) {
    const nextn = NEXTN_TENSOR.exec(name);
    if (nextn) mtpBlocks.add(Number(nextn[1]));
    const m = BLOCK_TENSOR.exec(name);
    if (m) blockTensors.push({ name, layer: Number(m[1]), kind: m[2] as string });
  }
  const roles = rolesFor(summary.architecture, new Set(blockTensors.map((t) => t.kind)));
  const refs: GgufNormRef[] = [];
  for (const { name, layer, kind } of blockTensors) {
    const role = roles[kind];
    if (role === undefined) continue;
    const beyond = summary.decoderLayers !== null && layer >= summary.decoderLayers;
    refs.push({ name, layer, role, extra: beyond || mtpBlocks.has(layer) });
  }
  const order = (r: GgufNormRole) => GGUF_NORM_ROLES.indexOf(r);
  return refs.sort((a, b) => a.layer - b.layer || order(a.role) - order(b.role));
}
