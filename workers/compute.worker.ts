// Compute worker: similarity matrices and other heavy math; the logic lives in src/core.
import * as Comlink from 'comlink';
import { similarityMatrices } from '../src/core/metrics';
import { seededRandom } from '../src/core/sampling';
import { buildFigureExport } from '../src/core/exportFigures';
import { judgePair } from '../src/core/verdict';
import type { JudgeOptions } from '../src/core/verdict';
import type { LoadedModel } from '../src/core/types';

function randomRows(count: number, dim: number, seed: number): Float32Array[] {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dim }, () => 0.5 + rand()));
}

const api = {
  similarity(rowsA: Float32Array[], rowsB: Float32Array[]) {
    const t0 = performance.now();
    const result = similarityMatrices(rowsA, rowsB);
    const ms = performance.now() - t0;
    return Comlink.transfer({ ...result, ms }, [result.cosine.buffer, result.pearson.buffer]);
  },
  /** Per-layer statistics, fine-tune diffs, PCA and within-layer figures of all loaded models. */
  figures(models: LoadedModel[]) {
    return buildFigureExport(models);
  },
  /** The verdict for one pair and role: permutation null, alignment, channel matching. */
  evidence(rowsA: Float32Array[], rowsB: Float32Array[], options: JudgeOptions) {
    return judgePair(rowsA, rowsB, options);
  },
  // 2D views: methods for the 2-D figure views go here

  // 3D views: methods for the 3-D figure views go here

  /** For `npm run bench`: time the matrices for L×L layers of width d inside this worker. */
  benchSimilarity(layers: number, dim: number, repeats: number): number[] {
    const a = randomRows(layers, dim, 1);
    const b = randomRows(layers, dim, 2);
    similarityMatrices(a, b); // warm-up: let the JIT compile the kernel
    const times: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const t0 = performance.now();
      similarityMatrices(a, b);
      times.push(performance.now() - t0);
    }
    return times;
  },
};

export type ComputeApi = typeof api;
Comlink.expose(api);
