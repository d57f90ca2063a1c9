// Ridge plot data (seed Figure 9): one histogram per shown layer, all on one bin grid per view so
// models overlay. The seed fixed the range to (−0.2, 2.0) and silently dropped GLM's post-LN values
// above 2; here the range comes from the data (robust quantiles) and what falls outside is reported.
import { histogram, quantiles } from './stats';
import type { LoadedModel, NormRole } from './types';

export interface RidgeLayer {
  layer: number;
  /** density per bin: count / (all finite values × bin width), so the area is the share inside the range */
  density: number[];
  /** shares of the layer's finite values below lo and above hi */
  below: number;
  above: number;
}

export interface RidgeSeries {
  model: number;
  layers: RidgeLayer[];
}

export interface RidgeView {
  norm: NormRole;
  lo: number;
  hi: number;
  /** bins + 1 edges from lo to hi */
  edges: number[];
  layerStep: number;
  /** largest density of the view, for one shared ridge height */
  maxDensity: number;
  series: RidgeSeries[];
}

export interface RidgeOptions {
  bins?: number;
  /** show layers 0, step, 2·step, … (the seed shows every third) */
  layerStep?: number;
  /** fixed [lo, hi]; default: the robustQuantile and 1 − robustQuantile of all shown values */
  range?: [number, number];
  robustQuantile?: number;
}

function shownLayers(model: LoadedModel, norm: NormRole, step: number): { layer: number; values: Float32Array }[] {
  return model.layers.flatMap((layer, l) =>
    l % step === 0 && layer[norm] ? [{ layer: layer.index, values: layer[norm] }] : [],
  );
}

/** [lo, hi] covering all but the extreme `q` tails of the pooled values; widened if degenerate. */
export function robustRange(vectors: ArrayLike<number>[], q: number): [number, number] {
  const pooled: number[] = [];
  for (const v of vectors) for (let k = 0; k < v.length; k++) if (Number.isFinite(v[k])) pooled.push(v[k] as number);
  if (pooled.length === 0) return [0, 1];
  const [lo, hi] = quantiles(pooled, [q, 1 - q]) as [number, number];
  if (hi > lo) return [lo, hi];
  const pad = Math.abs(lo) * 0.01 || 0.5; // a constant vector (γ = 1 at init) still gets a visible bin
  return [lo - pad, hi + pad];
}

/** Histograms of the selected models' layers of one norm role on a shared grid. */
export function ridgeView(
  models: LoadedModel[],
  modelIndices: number[],
  norm: NormRole,
  options: RidgeOptions = {},
): RidgeView {
  const bins = options.bins ?? 60,
    layerStep = options.layerStep ?? 3;
  if (!Number.isInteger(layerStep) || layerStep < 1)
    throw new RangeError(`layerStep must be a positive whole number, got ${layerStep}.`);
  const shown = modelIndices.map((index) => {
    const model = models[index];
    if (!model) throw new Error(`No loaded model at index ${index}.`);
    return { model: index, layers: shownLayers(model, norm, layerStep) };
  });
  const [lo, hi] =
    options.range ??
    robustRange(
      shown.flatMap((s) => s.layers.map((l) => l.values)),
      options.robustQuantile ?? 0.001,
    );
  let maxDensity = 0;
  let edges: number[] = [];
  const series = shown.map(({ model, layers }) => ({
    model,
    layers: layers.map(({ layer, values }): RidgeLayer => {
      const h = histogram(values, bins, lo, hi);
      edges = Array.from(h.edges);
      const finite = h.inRange + h.below + h.above;
      const density = Array.from(h.values, (count, b) =>
        finite ? count / finite / (h.edges[b + 1]! - h.edges[b]!) : 0,
      );
      maxDensity = Math.max(maxDensity, ...density);
      return { layer, density, below: finite ? h.below / finite : 0, above: finite ? h.above / finite : 0 };
    }),
  }));
  if (edges.length === 0)
    edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + (i * (hi - lo)) / bins));
  return { norm, lo, hi, edges, layerStep, maxDensity, series };
}
