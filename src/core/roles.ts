// Norm roles as people read them, and which roles (at which widths) a model's layers carry.
import { NORM_ROLES, type LayerNorms, type NormRole } from './types';

/** Short button label and a longer description of where the norm acts. */
export const ROLE_LABELS: Readonly<Record<NormRole, { short: string; long: string }>> = {
  input: { short: 'input norm', long: 'input norm (before attention or the mixer)' },
  post: { short: 'pre-MLP norm', long: 'pre-MLP norm (before the MLP / MoE)' },
  attn_out: { short: 'attention-output norm', long: 'attention-output norm (on the attention output, post-norm)' },
  ffn_out: { short: 'MLP-output norm', long: 'MLP-output norm (on the MLP output, post-norm)' },
  q: { short: 'q norm', long: 'query norm (q_norm, on queries)' },
  k: { short: 'k norm', long: 'key norm (k_norm, on keys)' },
  q_a: { short: 'q_a norm', long: 'MLA low-rank query norm (q_a_layernorm)' },
  kv_a: { short: 'kv_a norm', long: 'MLA low-rank key-value norm (kv_a_layernorm)' },
};

/** Roles present in at least one of the layers, in NORM_ROLES order. */
export function rolesPresent(layers: readonly LayerNorms[]): NormRole[] {
  return NORM_ROLES.filter((role) => layers.some((l) => l[role] !== undefined));
}

/** Vector length per role: the most common length over the layers that have the role. */
export function roleWidthsOf(layers: readonly LayerNorms[]): Partial<Record<NormRole, number>> {
  const out: Partial<Record<NormRole, number>> = {};
  for (const role of rolesPresent(layers)) {
    const counts = new Map<number, number>();
    for (const l of layers) {
      const v = l[role];
      if (v) counts.set(v.length, (counts.get(v.length) ?? 0) + 1);
    }
    out[role] = [...counts].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]![0];
  }
  return out;
}

/** The role fields of a LoadedModel built from its decoder layers. */
export function roleShapeOf(layers: readonly LayerNorms[]): {
  roles: NormRole[];
  roleWidths: Partial<Record<NormRole, number>>;
} {
  return { roles: rolesPresent(layers), roleWidths: roleWidthsOf(layers) };
}
