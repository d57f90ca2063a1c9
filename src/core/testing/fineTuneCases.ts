// Constructed fine-tunes for the update-size tests: GLM-like γ whose layer mean grows with depth
// (0.01 → 1.6, docs/methods.md §0.4), and children b = round(a + δ_l) with a chosen σ_l per layer.
import { decodeTensor, encodeBf16 } from '../dtypes';
import { gaussian } from '../random';
import type { LoadedModel } from '../types';
import { completeModel } from './completeModel';

export const toBf16 = (v: ArrayLike<number>): Float32Array => decodeTensor(encodeBf16(v), 'BF16');
const toF32 = (v: ArrayLike<number>): Float32Array => Float32Array.from(v);

/** Layer means 0.01 → 1.6 geometric in depth, 5% spread; stored in BF16 unless said otherwise. */
export function depthGrowingGammas(
  layers: number,
  d: number,
  seed: number,
  store: 'BF16' | 'F32' = 'BF16',
): Float32Array[] {
  const normal = gaussian(seed),
    round = store === 'BF16' ? toBf16 : toF32;
  return Array.from({ length: layers }, (_, l) => {
    const mean = 0.01 * 160 ** (l / Math.max(1, layers - 1));
    return round(Array.from({ length: d }, () => mean * (1 + 0.05 * normal())));
  });
}

/** b = round(a + δ), δ ~ N(0, σ_l²) for every value of layer l. */
export function updated(
  base: Float32Array[],
  sigmaOfLayer: (l: number) => number,
  seed: number,
  store: 'BF16' | 'F32' = 'BF16',
): Float32Array[] {
  const normal = gaussian(seed),
    round = store === 'BF16' ? toBf16 : toF32;
  return base.map((v, l) => round(Array.from(v, (x) => x + sigmaOfLayer(l) * normal())));
}

/** A model whose layers carry the given input-norm vectors. */
export function normModel(repo: string, layers: Float32Array[], dtype = 'BF16'): LoadedModel {
  return completeModel({
    repo,
    dtype,
    layers: layers.map((input, index) => ({ index, extra: false, label: String(index), input })),
  });
}

/** σ_l going geometrically from `first` at layer 0 to `last` at layer L − 1. */
export const geometric =
  (first: number, last: number, layers: number) =>
  (l: number): number =>
    first * (last / first) ** (l / Math.max(1, layers - 1));
