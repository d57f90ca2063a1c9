// Small LoadedModels for the 2-D views' unit tests (imported by *.test.ts only).
import { decodeTensor, encodeBf16 } from '../../core/dtypes';
import type { LoadedModel } from '../../core/types';
import { completeModel } from '../../core/testing/completeModel';

import { gaussian } from '../../core/random';

export { gaussian };

export const bf16 = (v: ArrayLike<number>): Float32Array => decodeTensor(encodeBf16(v), 'BF16');

/** γ of `d` values around `mean` with spread `std` (BF16-rounded). */
export function gammaVector(d: number, mean: number, std: number, seed: number): Float32Array {
  const normal = gaussian(seed);
  return bf16(Array.from({ length: d }, () => mean + std * normal()));
}

export interface LayerSpec {
  input?: Float32Array;
  post?: Float32Array;
}

export function testModel(
  repo: string,
  layers: LayerSpec[],
  options: { dtype?: string; hiddenSize?: number } = {},
): LoadedModel {
  return completeModel({
    repo,
    ...(options.hiddenSize !== undefined ? { hiddenSize: options.hiddenSize } : {}),
    ...(options.dtype !== undefined ? { dtype: options.dtype } : {}),
    layers: layers.map((l, index) => ({ index, extra: false, label: String(index), ...l })),
  });
}

/** A model of `n` layers whose mean γ grows with depth, both roles. */
export function growingModel(repo: string, n: number, d: number, seed: number): LoadedModel {
  return testModel(
    repo,
    Array.from({ length: n }, (_, l) => ({
      input: gammaVector(d, 0.1 + 0.8 * (l / Math.max(1, n - 1)), 0.05, seed * 1000 + l),
      post: gammaVector(d, 0.3 + 1.5 * (l / Math.max(1, n - 1)), 0.1, seed * 1000 + 500 + l),
    })),
  );
}
