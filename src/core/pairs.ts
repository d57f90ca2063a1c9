// Which loaded models can be compared on which roles, and the row vectors each comparison uses.
import { NORM_ROLES, type LoadedModel, type NormRole } from './types';
import { ROLE_LABELS } from './roles';

export interface NotComparable {
  a: number;
  b: number;
  /** the role that cannot be compared; absent when the pair shares no comparable role at all */
  norm?: NormRole;
  reason: string;
}

export interface PairPlan {
  /** pairs a < b with at least one comparable role */
  comparable: [number, number][];
  /** comparable roles per pair, keyed "a,b" */
  roles: Record<string, NormRole[]>;
  notComparable: NotComparable[];
}

export const pairKey = (a: number, b: number): string => `${a},${b}`;

/** Vector length of a role in a model, or undefined if the model lacks it. */
export function roleWidth(model: LoadedModel, role: NormRole): number | undefined {
  return model.roleWidths[role];
}

/** Roles present in a model's decoder layers, in NORM_ROLES order. */
export function modelRoles(model: LoadedModel): NormRole[] {
  return model.roles;
}

/** Same role and same width compare; everything else is listed with the reason. */
export function comparableRoles(
  ma: LoadedModel,
  mb: LoadedModel,
): { roles: NormRole[]; skipped: { norm: NormRole; reason: string }[] } {
  const roles: NormRole[] = [];
  const skipped: { norm: NormRole; reason: string }[] = [];
  const rolesB = modelRoles(mb);
  for (const norm of modelRoles(ma)) {
    if (!rolesB.includes(norm)) continue;
    const wa = roleWidth(ma, norm);
    const wb = roleWidth(mb, norm);
    if (wa === wb) roles.push(norm);
    else
      skipped.push({
        norm,
        reason: `${ROLE_LABELS[norm].short}: ${ma.repo} has width ${wa}, ${mb.repo} has ${wb}; vectors of different widths have no dimension-by-dimension correspondence`,
      });
  }
  return { roles, skipped };
}

/** Every pair a < b of loaded models, with the roles they share at equal width. */
export function planPairs(models: (LoadedModel | null)[]): PairPlan {
  const plan: PairPlan = { comparable: [], roles: {}, notComparable: [] };
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) {
      const ma = models[a];
      const mb = models[b];
      if (!ma || !mb) continue;
      const { roles, skipped } = comparableRoles(ma, mb);
      if (roles.length > 0) {
        plan.comparable.push([a, b]);
        plan.roles[pairKey(a, b)] = roles;
        plan.notComparable.push(...skipped.map((s) => ({ a, b, ...s })));
        continue;
      }
      const shared = modelRoles(ma).filter((r) => modelRoles(mb).includes(r));
      let reason = skipped.map((s) => s.reason).join('; ');
      if (ma.hiddenSize !== mb.hiddenSize) {
        reason = `hidden sizes differ: ${ma.repo} has ${ma.hiddenSize}, ${mb.repo} has ${mb.hiddenSize}; norm weights of different widths have no dimension-by-dimension correspondence`;
      } else if (shared.length === 0) {
        reason = `no norm role in common: ${ma.repo} has ${modelRoles(ma).join(', ') || 'none'}, ${mb.repo} has ${modelRoles(mb).join(', ') || 'none'}`;
      }
      plan.notComparable.push({ a, b, reason });
    }
  }
  return plan;
}

/** Roles that at least one pair of the models can compare (or, with one model, the roles it has). */
export function sharedRoles(models: readonly (LoadedModel | null)[]): NormRole[] {
  const loaded = models.filter((m): m is LoadedModel => m !== null);
  if (loaded.length === 1) return modelRoles(loaded[0]!);
  const plan = planPairs([...models]);
  const found = new Set(Object.values(plan.roles).flat());
  return NORM_ROLES.filter((r) => found.has(r));
}

/**
 * The decoder layers' vectors of one role, in layer order. A layer that lacks the role
 * (e.g. parallel-block models with one norm) becomes a NaN row, so the matrix keeps
 * "row i = decoder layer i" and the cell is shown as not comparable.
 */
export function roleRows(model: LoadedModel, role: NormRole): Float32Array[] {
  const width = roleWidth(model, role) ?? model.hiddenSize;
  return model.layers.map((layer) => layer[role] ?? new Float32Array(width).fill(Number.NaN));
}

/** Every role the model has, as its decoder layers' rows: what a pair's verdicts take. */
export function roleRowsOf(model: LoadedModel): Partial<Record<NormRole, Float32Array[]>> {
  return Object.fromEntries(model.roles.map((r) => [r, roleRows(model, r)]));
}

export function hasRole(model: LoadedModel, role: NormRole): boolean {
  return model.layers.some((layer) => layer[role] !== undefined);
}
