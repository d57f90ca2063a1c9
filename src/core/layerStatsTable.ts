// Per-layer statistics of every loaded model and role (seed Figure 8), plus ‖γ‖ against √d for the
// scale observation: ‖γ‖ = √d exactly when every entry is 1, the initial value.
import { layerStats } from './stats';
import { NORM_ROLES, type LoadedModel, type NormRole } from './types';

export interface LayerStatsSeries {
  model: number;
  norm: NormRole;
  /** decoder layer index of each entry */
  layers: number[];
  mean: number[];
  /** population std (divisor d), numpy's default as in the seed */
  std: number[];
  min: number[];
  max: number[];
  l2: number[];
  sqrtD: number;
}

/** One model's statistics for one role; NaN entries where a layer lacks the role. */
export function layerStatsSeries(models: LoadedModel[], model: number, norm: NormRole): LayerStatsSeries {
  const m = models[model];
  if (!m) throw new Error(`No loaded model at index ${model}.`);
  const stats = m.layers.map((layer) => {
    const v = layer[norm];
    return v ? layerStats(v) : null;
  });
  const pick = (key: 'mean' | 'std' | 'min' | 'max' | 'l2') => stats.map((s) => s?.[key] ?? NaN);
  return {
    model,
    norm,
    layers: m.layers.map((l) => l.index),
    mean: pick('mean'),
    std: pick('std'),
    min: pick('min'),
    max: pick('max'),
    l2: pick('l2'),
    sqrtD: Math.sqrt(m.hiddenSize),
  };
}

/** Every model × every role it has on at least one decoder layer, in model then role order. */
export function layerStatsTable(models: LoadedModel[], roles: readonly NormRole[] = NORM_ROLES): LayerStatsSeries[] {
  return models.flatMap((m, model) =>
    roles.filter((norm) => m.layers.some((layer) => layer[norm])).map((norm) => layerStatsSeries(models, model, norm)),
  );
}
