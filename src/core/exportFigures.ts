// The figure fields of the JSON export (public contract: fields are added, never renamed).
// Scripts read them, so every array is plain JSON: NaN (a layer without the norm) becomes null.
import { fineTuneDiff, sameShape } from './diff';
import { layerStatsTable } from './layerStatsTable';
import { layerPca, type PcaItem } from './pca';
import { NORM_ROLES, type LoadedModel, type NormRole } from './types';
import type { UpdateShape } from './updateShape';
import { withinLayerSameIndex } from './withinLayer';

type Nullable = (number | null)[];

export interface FigureExport {
  stats: { model: number; norm: NormRole; mean: Nullable; std: Nullable; min: Nullable; max: Nullable; l2: Nullable }[];
  diff: {
    a: number;
    b: number;
    norm: NormRole;
    changedFraction: Nullable;
    meanAbsDiff: Nullable;
    /** σ_l per layer: the update size b = round(a + δ) needs on b's storage grid (0: none needed) */
    updateScale: Nullable;
    /** its 95% profile-likelihood interval per layer, null for a layer without the norm */
    updateScaleInterval: ([number, number] | null)[];
    /** one σ explains every layer (test not rejected at 0.01, or every layer within 1.5× of it) */
    uniformExplains: boolean | null;
    /** likelihood-ratio test of one σ against σ per layer (null with fewer than two layers) */
    uniformPValue: number | null;
    /** the one σ fitted to every layer */
    uniformScale: number | null;
    updateShape: UpdateShape | null;
  }[];
  /** null when fewer than two layer vectors share a hidden size */
  pca: {
    norm: NormRole;
    explainedVarianceRatio: [number, number, number];
    points: { model: number; layer: number; xyz: [number, number, number] }[];
  } | null;
  withinLayer: { a: number; b: number; pearson: Nullable }[];
}

const json = (xs: number[]): Nullable => xs.map((x) => (Number.isFinite(x) ? x : null));
const has = (m: LoadedModel, norm: NormRole) => m.layers.some((layer) => layer[norm]);

/** The hidden size most models share; ties go to the one seen first. */
function commonHiddenSize(models: LoadedModel[]): number | null {
  const counts = new Map<number, number>();
  for (const m of models) counts.set(m.hiddenSize, (counts.get(m.hiddenSize) ?? 0) + 1);
  let best: number | null = null,
    bestCount = 0;
  for (const [size, count] of counts)
    if (count > bestCount) {
      best = size;
      bestCount = count;
    }
  return best;
}

function pcaField(models: LoadedModel[], preferred: NormRole): FigureExport['pca'] {
  const size = commonHiddenSize(models);
  // Use the preferred norm, or the other one when no model of that width has it (single-norm models).
  for (const norm of [preferred, ...NORM_ROLES.filter((r) => r !== preferred)]) {
    const items: PcaItem[] = models.flatMap((m, model) =>
      m.hiddenSize !== size
        ? []
        : m.layers.flatMap((layer) => {
            const vector = layer[norm];
            // a vector with NaN or ±Inf has no place in a projection (loads leave such layers empty anyway)
            return vector && vector.every(Number.isFinite) ? [{ model, layer: layer.index, vector }] : [];
          }),
    );
    if (items.length >= 2) return { norm, ...layerPca(items) };
  }
  return null;
}

/** Pairs a < b of loaded models that pass `keep`. */
function pairs(models: LoadedModel[], keep: (a: LoadedModel, b: LoadedModel) => boolean): [number, number][] {
  const out: [number, number][] = [];
  models.forEach((ma, a) =>
    models.forEach((mb, b) => {
      if (a < b && keep(ma, mb)) out.push([a, b]);
    }),
  );
  return out;
}

/** Builds the export's figure fields from loaded models (decoder layers only; extraLayers are ignored). */
export function buildFigureExport(models: LoadedModel[], options: { pcaNorm?: NormRole } = {}): FigureExport {
  const stats = layerStatsTable(models).map((s) => ({
    model: s.model,
    norm: s.norm,
    mean: json(s.mean),
    std: json(s.std),
    min: json(s.min),
    max: json(s.max),
    l2: json(s.l2),
  }));
  const diff = pairs(models, sameShape).flatMap(([a, b]) =>
    NORM_ROLES.filter((norm) => has(models[a]!, norm) && has(models[b]!, norm)).map((norm) => {
      const d = fineTuneDiff(models, a, b, norm);
      const v = d.verdict;
      return {
        a,
        b,
        norm,
        changedFraction: json(d.changedFraction),
        meanAbsDiff: json(d.meanAbsDiff),
        updateScale: json(d.updateScale),
        updateScaleInterval: d.updateScaleInterval.map(([lo, hi]) =>
          Number.isFinite(lo) && Number.isFinite(hi) ? ([lo, hi] as [number, number]) : null,
        ),
        uniformExplains: v ? v.uniformExplains : null,
        uniformPValue: v && Number.isFinite(v.test.pValue) ? v.test.pValue : null,
        uniformScale: v ? v.test.uniform.sigma : null,
        updateShape: v ? v.shape : null,
      };
    }),
  );
  const bothRoles = (m: LoadedModel) => has(m, 'input') && has(m, 'post');
  const withinLayer = pairs(models, (ma, mb) => ma.hiddenSize === mb.hiddenSize && bothRoles(ma) && bothRoles(mb)).map(
    ([a, b]) => ({
      a,
      b,
      pearson: json(withinLayerSameIndex(models, a, b)),
    }),
  );
  return { stats, diff, pca: pcaField(models, options.pcaNorm ?? 'input'), withinLayer };
}

/**
 * Figures computed for a subset of the query's models (the loaded ones) renumbered to query
 * positions: `positions[k]` is the query position of the k-th model given to buildFigureExport.
 */
export function figuresAtPositions(fig: FigureExport, positions: readonly number[]): FigureExport {
  const at = (k: number) => positions[k] ?? k;
  return {
    stats: fig.stats.map((s) => ({ ...s, model: at(s.model) })),
    diff: fig.diff.map((d) => ({ ...d, a: at(d.a), b: at(d.b) })),
    pca: fig.pca ? { ...fig.pca, points: fig.pca.points.map((p) => ({ ...p, model: at(p.model) })) } : null,
    withinLayer: fig.withinLayer.map((w) => ({ ...w, a: at(w.a), b: at(w.b) })),
  };
}
