// Layer × dimension surface of γ (seed Figure 6). The seed drew the first 100 dimensions with a
// fixed 0–2 colour range; here the window or stride is chosen and the colour domain is shared
// across the models shown, so equal heights mean equal γ in every panel.
import type { LoadedModel, NormRole } from './types';

export interface SurfaceOptions {
  /** first dimension shown (default 0) */
  start?: number;
  /** number of dimensions shown (default 100, as in the seed) */
  count?: number;
  /** step between shown dimensions (default 1: a contiguous window) */
  stride?: number;
  /** fixed colour domain; default: min and max of every shown value */
  domain?: [number, number];
}

export interface SurfaceGrid {
  model: number;
  /** decoder layer index of each row */
  layers: number[];
  /** row-major layers × dims; NaN where a layer lacks the role or the model is narrower */
  values: Float32Array;
}

export interface SurfaceView {
  norm: NormRole;
  /** hidden dimension of each column */
  dims: number[];
  domain: [number, number];
  grids: SurfaceGrid[];
}

/** Stride that spreads `count` columns over all of a width-d vector. */
export function strideCovering(d: number, count: number): number {
  return Math.max(1, Math.ceil(d / Math.max(1, count)));
}

export function surfaceView(
  models: LoadedModel[],
  modelIndices: number[],
  norm: NormRole,
  options: SurfaceOptions = {},
): SurfaceView {
  const start = options.start ?? 0,
    count = options.count ?? 100,
    stride = options.stride ?? 1;
  for (const [name, x] of [
    ['start', start],
    ['count', count],
    ['stride', stride],
  ] as const) {
    if (!Number.isInteger(x) || x < (name === 'start' ? 0 : 1))
      throw new RangeError(`Surface ${name} must be a whole number ≥ ${name === 'start' ? 0 : 1}, got ${x}.`);
  }
  const chosen = modelIndices.map((index) => {
    const model = models[index];
    if (!model) throw new Error(`No loaded model at index ${index}.`);
    return { index, model };
  });
  const width = Math.max(0, ...chosen.map(({ model }) => model.hiddenSize));
  const dims: number[] = [];
  for (let k = start; dims.length < count && k < width; k += stride) dims.push(k);
  let lo = Infinity,
    hi = -Infinity;
  const grids = chosen.map(({ index, model }): SurfaceGrid => {
    const values = new Float32Array(model.layers.length * dims.length).fill(NaN);
    model.layers.forEach((layer, row) => {
      const v = layer[norm];
      if (!v) return;
      dims.forEach((k, col) => {
        if (k >= v.length) return;
        const x = v[k]!;
        values[row * dims.length + col] = x;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      });
    });
    return { model: index, layers: model.layers.map((l) => l.index), values };
  });
  return { norm, dims, domain: options.domain ?? domainOf(lo, hi), grids };
}

function domainOf(lo: number, hi: number): [number, number] {
  if (!(lo <= hi)) return [0, 1]; // nothing finite to show
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}
