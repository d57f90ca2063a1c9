// Similarity of norm-weight vectors, accumulated in float64 (docs/solar-glm-revisited.md §1, F.7).
// Pearson is the centered cosine: γ vectors share a large positive mean that inflates raw cosine.

import { WASM_PANEL_ROWS, wasmDotKernel } from './dotKernelWasm';

type Vector = ArrayLike<number>;

function assertSameLength(a: Vector, b: Vector): void {
  if (a.length !== b.length) throw new Error(`Vectors differ in length: ${a.length} vs ${b.length}.`);
}

function sum(v: Vector): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  return s;
}

/**
 * √(aa·bb), as one square root where the product is finite and normal: √(fl(x²)) = x exactly, so
 * identical vectors (dot = aa = bb) give exactly 1, not 1 ± 1 ulp as √aa·√bb does.
 */
function rootOfProduct(aa: number, bb: number): number {
  const p = aa * bb;
  return Number.isFinite(p) && p > Number.MIN_VALUE * 2 ** 60 ? Math.sqrt(p) : Math.sqrt(aa) * Math.sqrt(bb);
}

/** Raw cosine a·b / (|a||b|); NaN when either vector is all zeros. */
export function cosine(a: Vector, b: Vector): number {
  assertSameLength(a, b);
  let dot = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number,
      y = b[i] as number;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? NaN : dot / rootOfProduct(aa, bb);
}

/** Pearson r: cosine of the vectors after subtracting each one's own mean; NaN for zero variance. */
export function pearson(a: Vector, b: Vector): number {
  assertSameLength(a, b);
  const meanA = sum(a) / a.length,
    meanB = sum(b) / b.length;
  let dot = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) - meanA,
      y = (b[i] as number) - meanB;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? NaN : dot / rootOfProduct(aa, bb);
}

/** Mean and population standard deviation (divisor d, like numpy's default). */
export function meanStd(v: Vector): { mean: number; std: number } {
  const mean = sum(v) / v.length;
  let squares = 0;
  for (let i = 0; i < v.length; i++) squares += ((v[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(squares / v.length) };
}

/** 1-based ranks, tied values sharing the average of their ranks. */
export function averageRanks(v: Vector): Float64Array {
  const order = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => (v[i] as number) - (v[j] as number));
  const ranks = new Float64Array(v.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && v[order[end] as number] === v[order[start] as number]) end++;
    const rank = (start + end + 1) / 2; // mean of the 1-based ranks start+1 .. end
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman ρ: Pearson of average ranks; robust to γ's outlier channels. NaN if any value is NaN. */
export function spearman(a: Vector, b: Vector): number {
  assertSameLength(a, b);
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i]) || Number.isNaN(b[i])) return NaN;
  return pearson(averageRanks(a), averageRanks(b));
}

/**
 * cos from the two vectors' means, population stds and Pearson r, an exact identity:
 * a·b = d(μaμb + rσaσb) and |a|² = d(μa² + σa²). With r = 0 it is the cosine that the means alone produce.
 */
export function cosineFromMoments(muA: number, sdA: number, muB: number, sdB: number, r: number): number {
  return (muA * muB + r * sdA * sdB) / Math.sqrt((muA * muA + sdA * sdA) * (muB * muB + sdB * sdB));
}

export type DotKernelChoice = 'wasm' | 'js';

export interface SimilarityOptions {
  /** Force a dot kernel (tests, benchmarks); by default WASM SIMD where available, else JS. */
  kernel?: DotKernelChoice;
}

export interface SimilarityMatrices {
  rows: number;
  cols: number;
  /** row-major rows*cols */
  cosine: Float64Array;
  pearson: Float64Array;
  /** which kernel computed the centered dots */
  kernel: DotKernelChoice;
}

/**
 * Rows per panel of the JS dot kernel. 3×3 accumulators and their operands fit x64's 16 float
 * registers; measured a little faster than 4×2 and 4×4 (which spills), and far faster than row-by-row.
 */
const PANEL = 3;
/** Dimensions per pass, so one A panel slice stays in cache while every B panel streams past it. */
const DIMENSION_BLOCK = 2048;

/** Per-row mean and norm of the centered row, from the centering pass. */
interface RowMoments {
  means: Float64Array;
  centeredNorms: Float64Array;
}

/**
 * Centers each row in float64 into `panels`, interleaved panelRows rows at a time (row i, dimension
 * k at ⌊i/P⌋·P·d + P·k + i mod P), the layout both kernels read. Lanes past the last row are zeroed:
 * their dots are dropped, but stale values from an earlier call should not flow through the kernel.
 */
function centerIntoPanels(rows: Float32Array[], d: number, panelRows: number, panels: Float64Array): RowMoments {
  const means = new Float64Array(rows.length);
  const centeredNorms = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    // a plain loop: forEach's closure measured ~15% slower here
    const row = rows[i] as Float32Array;
    let total = 0;
    for (let k = 0; k < d; k++) total += row[k] as number;
    const mean = total / d;
    let squares = 0;
    for (let k = 0, at = Math.floor(i / panelRows) * panelRows * d + (i % panelRows); k < d; k++, at += panelRows) {
      const x = (row[k] as number) - mean;
      panels[at] = x;
      squares += x * x;
    }
    means[i] = mean;
    centeredNorms[i] = Math.sqrt(squares);
  }
  const usedLanes = rows.length % panelRows,
    lastPanelStart = Math.floor(rows.length / panelRows) * panelRows * d;
  for (let lane = usedLanes; usedLanes > 0 && lane < panelRows; lane++) {
    for (let k = 0, at = lastPanelStart + lane; k < d; k++, at += panelRows) panels[at] = 0;
  }
  return { means, centeredNorms };
}

/**
 * Grow-only buffers for the JS kernel's centered copies, one per side. Fresh 16 MB arrays cost more
 * in page faults than the centering itself, and a worker calls this repeatedly; the call is
 * synchronous, so nothing else can observe the reuse. (The WASM kernel reuses its own memory.)
 */
const scratch: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];

function scratchPanels(side: 0 | 1, rows: number, d: number): Float64Array {
  const size = Math.ceil(rows / PANEL) * PANEL * d;
  if (scratch[side].length < size) scratch[side] = new Float64Array(size);
  return scratch[side];
}

/** rows×cols row-major dots of the centered rows in two PANEL-interleaved buffers: the fallback kernel. */
function jsCenteredDotMatrix(a: Float64Array, b: Float64Array, rows: number, cols: number, d: number): Float64Array {
  const panelSize = d * PANEL;
  const panelsOf = (buffer: Float64Array, count: number): Float64Array[] =>
    Array.from({ length: Math.ceil(count / PANEL) }, (_, p) => buffer.subarray(p * panelSize, (p + 1) * panelSize));
  const panelsA = panelsOf(a, rows),
    panelsB = panelsOf(b, cols);
  const stride = panelsB.length * PANEL;
  const padded = new Float64Array(panelsA.length * PANEL * stride);
  for (let k0 = 0; k0 < d; k0 += DIMENSION_BLOCK) {
    const start = k0 * PANEL,
      end = Math.min(d, k0 + DIMENSION_BLOCK) * PANEL;
    for (let pa = 0; pa < panelsA.length; pa++) {
      const x = panelsA[pa] as Float64Array;
      for (let pb = 0; pb < panelsB.length; pb++) {
        const y = panelsB[pb] as Float64Array;
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s10 = 0,
          s11 = 0,
          s12 = 0,
          s20 = 0,
          s21 = 0,
          s22 = 0;
        for (let k = start; k < end; k += PANEL) {
          const x0 = x[k] as number,
            x1 = x[k + 1] as number,
            x2 = x[k + 2] as number;
          let yk = y[k] as number;
          s00 += x0 * yk;
          s10 += x1 * yk;
          s20 += x2 * yk;
          yk = y[k + 1] as number;
          s01 += x0 * yk;
          s11 += x1 * yk;
          s21 += x2 * yk;
          yk = y[k + 2] as number;
          s02 += x0 * yk;
          s12 += x1 * yk;
          s22 += x2 * yk;
        }
        let c = pa * PANEL * stride + pb * PANEL;
        padded[c]! += s00;
        padded[c + 1]! += s01;
        padded[c + 2]! += s02;
        c += stride;
        padded[c]! += s10;
        padded[c + 1]! += s11;
        padded[c + 2]! += s12;
        c += stride;
        padded[c]! += s20;
        padded[c + 1]! += s21;
        padded[c + 2]! += s22;
      }
    }
  }
  const dots = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) dots.set(padded.subarray(i * stride, i * stride + cols), i * cols);
  return dots;
}

/** Centered dot matrix and row moments, by the WASM SIMD kernel where possible. */
function centeredDots(
  rowsA: Float32Array[],
  rowsB: Float32Array[],
  d: number,
  choice: DotKernelChoice | undefined,
): { dots: Float64Array; a: RowMoments; b: RowMoments; kernel: DotKernelChoice } {
  const rows = rowsA.length,
    cols = rowsB.length;
  const job = choice === 'js' ? null : (wasmDotKernel()?.prepare(rows, cols, d) ?? null);
  if (job) {
    // centering straight into WASM memory saves a copy of both inputs
    const a = centerIntoPanels(rowsA, d, WASM_PANEL_ROWS, job.a),
      b = centerIntoPanels(rowsB, d, WASM_PANEL_ROWS, job.b);
    return { dots: job.run(), a, b, kernel: 'wasm' };
  }
  if (choice === 'wasm') throw new Error('The WebAssembly SIMD dot kernel is unavailable here.');
  const panelsA = scratchPanels(0, rows, d),
    panelsB = scratchPanels(1, cols, d);
  const a = centerIntoPanels(rowsA, d, PANEL, panelsA),
    b = centerIntoPanels(rowsB, d, PANEL, panelsB);
  return { dots: jsCenteredDotMatrix(panelsA, panelsB, rows, cols, d), a, b, kernel: 'js' };
}

/**
 * Cosine and Pearson of every row of A against every row of B, from one centered dot matrix C:
 * Pearson = C/(|a'||b'|), and a·b = C + d·ā·b̄ exactly, |a|² = |a'|² + d·ā², giving cosine.
 * Centering first in float64 avoids cancellation when γ ≈ 1 ± 0.01.
 */
export function similarityMatrices(
  rowsA: Float32Array[],
  rowsB: Float32Array[],
  options: SimilarityOptions = {},
): SimilarityMatrices {
  const d = rowsA[0]?.length ?? rowsB[0]?.length ?? 0;
  for (const row of [...rowsA, ...rowsB]) {
    if (row.length !== d) throw new Error(`All rows must have the same length: found ${row.length} and ${d}.`);
  }
  const rows = rowsA.length,
    cols = rowsB.length;
  const { dots, a, b, kernel } = centeredDots(rowsA, rowsB, d, options.kernel);
  const cosineOut = new Float64Array(rows * cols),
    pearsonOut = new Float64Array(rows * cols);
  const rawNorm = (p: RowMoments, i: number): number =>
    Math.sqrt((p.centeredNorms[i] as number) ** 2 + d * (p.means[i] as number) ** 2);
  const rawNormsB = Float64Array.from({ length: cols }, (_, j) => rawNorm(b, j));
  for (let i = 0; i < rows; i++) {
    const meanA = a.means[i] as number,
      normA = a.centeredNorms[i] as number,
      rawA = rawNorm(a, i);
    for (let j = 0; j < cols; j++) {
      const centeredDot = dots[i * cols + j] as number;
      const normB = b.centeredNorms[j] as number,
        rawB = rawNormsB[j] as number;
      pearsonOut[i * cols + j] = normA === 0 || normB === 0 ? NaN : centeredDot / (normA * normB);
      const dot = centeredDot + d * meanA * (b.means[j] as number);
      cosineOut[i * cols + j] = rawA === 0 || rawB === 0 ? NaN : dot / (rawA * rawB);
    }
  }
  exactOnIdenticalRows(rowsA, rowsB, cosineOut, pearsonOut);
  return { rows, cols, cosine: cosineOut, pearson: pearsonOut, kernel };
}

function sameBits(x: Float32Array, y: Float32Array): boolean {
  if (x === y) return true;
  const xi = new Uint32Array(x.buffer, x.byteOffset, x.length),
    yi = new Uint32Array(y.buffer, y.byteOffset, y.length);
  for (let k = 0; k < xi.length; k++) if (xi[k] !== yi[k]) return false;
  return true;
}

/**
 * The dot kernel and the row norms sum in different orders, so two identical rows can come out
 * at 1 ± 1 ulp. Identical vectors have r = cos = 1 exactly, and a copy (a GGUF of its own
 * safetensors) must read as exactly that, in the export too; everything else is clamped to [−1, 1].
 */
function exactOnIdenticalRows(
  rowsA: Float32Array[],
  rowsB: Float32Array[],
  cosine: Float64Array,
  pearson: Float64Array,
): void {
  const cols = rowsB.length;
  for (let i = 0; i < rowsA.length; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      const p = pearson[k] as number;
      if (Math.abs(p - 1) < 1e-9 && sameBits(rowsA[i]!, rowsB[j]!)) {
        pearson[k] = 1;
        cosine[k] = 1;
        continue;
      }
      if (p > 1) pearson[k] = 1;
      else if (p < -1) pearson[k] = -1;
      if ((cosine[k] as number) > 1) cosine[k] = 1;
      else if ((cosine[k] as number) < -1) cosine[k] = -1;
    }
  }
}

export interface DiagonalSummary {
  diagonalMean: number;
  /** population std (divisor n) */
  diagonalStd: number;
  diagonalCount: number;
  offDiagonalMean: number;
  offDiagonalStd: number;
  offDiagonalCount: number;
  /** diagonalMean − offDiagonalMean (Appendix D-2.3) */
  difference: number;
}

function summarize(values: number[]): { mean: number; std: number; count: number } {
  if (values.length === 0) return { mean: NaN, std: NaN, count: 0 };
  const { mean, std } = meanStd(values);
  return { mean, std, count: values.length };
}

/** Matched-layer cells (i,i) against all others, skipping NaN cells. */
export function diagonalSummary(matrix: Float64Array, rows: number, cols: number): DiagonalSummary {
  if (matrix.length !== rows * cols) throw new Error(`Matrix has ${matrix.length} cells, expected ${rows}×${cols}.`);
  const diagonal: number[] = [],
    offDiagonal: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const value = matrix[i * cols + j] as number;
      if (!Number.isNaN(value)) (i === j ? diagonal : offDiagonal).push(value);
    }
  }
  const on = summarize(diagonal),
    off = summarize(offDiagonal);
  return {
    diagonalMean: on.mean,
    diagonalStd: on.std,
    diagonalCount: on.count,
    offDiagonalMean: off.mean,
    offDiagonalStd: off.std,
    offDiagonalCount: off.count,
    difference: on.mean - off.mean,
  };
}
