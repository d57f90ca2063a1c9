// Within-layer analysis (seed Figure 10 / Appendix D): diff = input − post per layer, a
// fingerprint of how a model splits scale between its attention and FFN paths.
import { pearson, similarityMatrices } from './metrics';
import { layerStats } from './stats';
import type { LoadedModel } from './types';

export interface WithinLayerModel {
  /** mean and population std of input − post per decoder layer (Figure 10 a, b); NaN where a role is missing */
  mean: number[];
  std: number[];
}

export interface WithinLayerPair {
  a: number;
  b: number;
  /** Pearson of the two models' diffs at the same layer index, for the layers both have */
  pearson: number[];
  /** Pearson of model a's layer i diff with model b's layer j diff, row-major rows×cols */
  matrix: Float64Array;
  rows: number;
  cols: number;
}

/**
 * input − post of every decoder layer; null where the layer lacks either norm.
 * Float64, so the difference of two stored values is exact.
 */
export function withinLayerDiffs(model: LoadedModel): (Float64Array | null)[] {
  return model.layers.map(({ input, post }) => {
    if (!input || !post || input.length !== post.length) return null;
    const diff = new Float64Array(input.length);
    for (let k = 0; k < diff.length; k++) diff[k] = input[k]! - post[k]!;
    return diff;
  });
}

export function withinLayerSummary(model: LoadedModel): WithinLayerModel {
  const stats = withinLayerDiffs(model).map((diff) => (diff ? layerStats(diff) : null));
  return { mean: stats.map((s) => s?.mean ?? NaN), std: stats.map((s) => s?.std ?? NaN) };
}

function pairDiffs(models: LoadedModel[], a: number, b: number) {
  const ma = models[a],
    mb = models[b];
  if (!ma || !mb || ma.hiddenSize !== mb.hiddenSize) {
    throw new Error(`Models ${a} and ${b} need the same hidden size for a within-layer comparison.`);
  }
  return { d: ma.hiddenSize, diffsA: withinLayerDiffs(ma), diffsB: withinLayerDiffs(mb) };
}

function sameIndexPearson(diffsA: (Float64Array | null)[], diffsB: (Float64Array | null)[]): number[] {
  return Array.from({ length: Math.min(diffsA.length, diffsB.length) }, (_, l) => {
    const x = diffsA[l],
      y = diffsB[l];
    return x && y ? pearson(x, y) : NaN;
  });
}

/** Pearson of the two models' diffs at each layer index both have (Figure 10 c). */
export function withinLayerSameIndex(models: LoadedModel[], a: number, b: number): number[] {
  const { diffsA, diffsB } = pairDiffs(models, a, b);
  return sameIndexPearson(diffsA, diffsB);
}

/** Same-index Pearson and the full layer×layer Pearson matrix of the diffs of models a and b. */
export function withinLayerPair(models: LoadedModel[], a: number, b: number): WithinLayerPair {
  const { d, diffsA, diffsB } = pairDiffs(models, a, b);
  const pearsonSame = sameIndexPearson(diffsA, diffsB);
  // The matrix kernel takes Float32 rows: a diff of two BF16 values is exact in f32 unless their
  // exponents differ by more than 16; otherwise rounding moves r by ~1e-8.
  const rowsOf = (diffs: (Float64Array | null)[]) =>
    diffs.map((diff) => (diff ? Float32Array.from(diff) : new Float32Array(d).fill(NaN)));
  const { rows, cols, pearson: matrix } = similarityMatrices(rowsOf(diffsA), rowsOf(diffsB));
  return { a, b, pearson: pearsonSame, matrix, rows, cols };
}
