// Times similarityMatrices in the current thread (Node, or a worker when the lead wires it there).
import { similarityMatrices } from '../../src/core/metrics';

export interface MatrixBenchSize {
  rows: number;
  cols: number;
  dims: number;
}

/** GLM-sized (48 layers × 4096) and a large-model worst case (128 layers × 16384). */
export const MATRIX_BENCH_SIZES: readonly MatrixBenchSize[] = [
  { rows: 48, cols: 48, dims: 4096 },
  { rows: 128, cols: 128, dims: 16384 },
];

/** γ-like rows (mean ≈ 1, std ≈ 0.01) from a fixed seed, so every run times the same work. */
function gammaLikeRows(count: number, dims: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dims }, () => 1 + 0.035 * (next() - 0.5)));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Let a worker answer messages (or a test runner report) between timed runs. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Median wall time in ms of `runs` calls per size, after one untimed warm-up call
 * (which lets the JIT optimise the kernel). Keys look like "similarityMatrices 48x48x4096 ms".
 */
export async function benchMatrices(
  sizes: readonly MatrixBenchSize[] = MATRIX_BENCH_SIZES,
  runs = 5,
): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  for (const { rows, cols, dims } of sizes) {
    const rowsA = gammaLikeRows(rows, dims, 1),
      rowsB = gammaLikeRows(cols, dims, 2);
    similarityMatrices(rowsA, rowsB);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      await yieldToEventLoop();
      const start = performance.now();
      similarityMatrices(rowsA, rowsB);
      times.push(performance.now() - start);
    }
    results[`similarityMatrices ${rows}x${cols}x${dims} ms`] = median(times);
  }
  return results;
}
