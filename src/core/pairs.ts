// Which loaded models can be compared, and the row vectors each comparison uses.
import type { LoadedModel, NormRole } from './types';

export interface PairPlan {
  comparable: [number, number][];
  notComparable: { a: number; b: number; reason: string }[];
}

/** Every pair a < b of loaded models; pairs whose hidden sizes differ are not comparable. */
export function planPairs(models: (LoadedModel | null)[]): PairPlan {
  const plan: PairPlan = { comparable: [], notComparable: [] };
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) {
      const ma = models[a];
      const mb = models[b];
      if (!ma || !mb) continue;
      if (ma.hiddenSize !== mb.hiddenSize) {
        plan.notComparable.push({
          a,
          b,
          reason: `hidden sizes differ: ${ma.repo} has ${ma.hiddenSize}, ${mb.repo} has ${mb.hiddenSize}; norm weights of different widths have no dimension-by-dimension correspondence`,
        });
      } else plan.comparable.push([a, b]);
    }
  }
  return plan;
}

/**
 * The decoder layers' vectors of one role, in layer order. A layer that lacks the role
 * (e.g. parallel-block models with one norm) becomes a NaN row, so the matrix keeps
 * "row i = decoder layer i" and the cell is shown as not comparable.
 */
export function roleRows(model: LoadedModel, role: NormRole): Float32Array[] {
  return model.layers.map((layer) => layer[role] ?? new Float32Array(model.hiddenSize).fill(Number.NaN));
}

export function hasRole(model: LoadedModel, role: NormRole): boolean {
  return model.layers.some((layer) => layer[role] !== undefined);
}
