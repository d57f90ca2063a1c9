// How much of each layer's γ pattern a 16-bit format can hold (the seed's future work and its
// "Additional Observation on LayerNorm Scale"): γ = mean + δ, and when |δ| is below half an ulp
// of the mean, storing or adding δ at that scale rounds it away (swamping).
import { bf16Ulp, f16Ulp } from './dtypes';
import { layerStats } from './stats';
import type { LoadedModel, NormRole } from './types';

export interface FormatPrecision {
  /** grid spacing of the format at the layer mean */
  ulpAtMean: number[];
  /** std of the centred pattern measured in those ulps: how many grid steps the pattern spans */
  stdInUlps: number[];
  /** share of dimensions with |γ_k − mean| < ulp(mean)/2, lost if stored as mean + δ */
  lostShare: number[];
}

export interface PrecisionProfile {
  model: number;
  norm: NormRole;
  d: number;
  /** ‖γ‖ of an all-ones vector, the reference for l2 */
  sqrtD: number;
  mean: number[];
  /** population std (divisor d) of the centred pattern */
  std: number[];
  l2: number[];
  bf16: FormatPrecision;
  f16: FormatPrecision;
}

function formatPrecision(
  layers: (ArrayLike<number> | undefined)[],
  means: number[],
  stds: number[],
  ulpOf: (x: number) => number,
): FormatPrecision {
  const ulpAtMean = means.map((m) => (Number.isFinite(m) ? ulpOf(m) : NaN));
  const lostShare = layers.map((v, l) => {
    if (!v || v.length === 0) return NaN;
    const half = ulpAtMean[l]! / 2,
      mean = means[l]!;
    let lost = 0;
    for (let k = 0; k < v.length; k++) if (Math.abs((v[k] as number) - mean) < half) lost++;
    return lost / v.length;
  });
  return { ulpAtMean, stdInUlps: stds.map((s, l) => s / ulpAtMean[l]!), lostShare };
}

/** Precision profile of one sequence of layer vectors (undefined = the layer lacks the role). */
export function precisionProfile(
  layers: (ArrayLike<number> | undefined)[],
  d: number,
): Omit<PrecisionProfile, 'model' | 'norm'> {
  const stats = layers.map((v) => (v && v.length > 0 ? layerStats(v) : null));
  const mean = stats.map((s) => s?.mean ?? NaN);
  const std = stats.map((s) => s?.std ?? NaN);
  return {
    d,
    sqrtD: Math.sqrt(d),
    mean,
    std,
    l2: stats.map((s) => s?.l2 ?? NaN),
    bf16: formatPrecision(layers, mean, std, bf16Ulp),
    f16: formatPrecision(layers, mean, std, f16Ulp),
  };
}

export function modelPrecision(models: LoadedModel[], model: number, norm: NormRole): PrecisionProfile {
  const m = models[model];
  if (!m) throw new Error(`No loaded model at index ${model}.`);
  return {
    model,
    norm,
    ...precisionProfile(
      m.layers.map((layer) => layer[norm]),
      m.hiddenSize,
    ),
  };
}
