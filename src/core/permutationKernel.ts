// The inner loops of the permutation tests: standardized rows and the permuted dot-product
// matrix (the shuffle itself is core/random.ts). Kept apart from nulls.ts so the statistics read plainly.
import { WASM_PANEL_ROWS, centeredDotMatrix, wasmDotKernel } from './dotKernelWasm';

/** Rows centered and scaled to unit length, so a dot product of two rows is their Pearson r. */
export interface StandardizedRows {
  count: number;
  d: number;
  /** row-major count×d; an invalid row is all zeros */
  values: Float64Array;
  /** false for rows with a NaN (layer lacks the tensor) or zero variance: their r is undefined */
  valid: boolean[];
}

/**
 * values[at … at+n) centred and scaled to unit length, in place (two passes: the one-pass formula
 * cancels when the values sit near a large mean). A constant or NaN segment becomes all zeros and
 * gives false: its correlation with anything is undefined.
 */
export function centerToUnitLength(values: Float64Array, at: number, n: number): boolean {
  let mean = 0;
  for (let k = at; k < at + n; k++) mean += values[k] as number;
  mean /= n;
  let squares = 0;
  for (let k = at; k < at + n; k++) squares += ((values[k] as number) - mean) ** 2;
  if (!(squares > 0)) {
    values.fill(0, at, at + n);
    return false;
  }
  const scale = 1 / Math.sqrt(squares);
  for (let k = at; k < at + n; k++) values[k] = ((values[k] as number) - mean) * scale;
  return true;
}

export function standardizeRows(rows: Float32Array[], d: number): StandardizedRows {
  const values = new Float64Array(rows.length * d);
  const valid = rows.map((row, i) => {
    if (row.length !== d) throw new Error(`All rows must have length ${d}; row ${i} has ${row.length}.`);
    values.set(row, i * d);
    return centerToUnitLength(values, i * d, d);
  });
  return { count: rows.length, d, values, valid };
}

/** target row i = source row i with its columns reordered: target[i][m] = source[i][order[m]]. */
export function permuteColumns(source: StandardizedRows, order: Int32Array, target: Float64Array): void {
  const { count, d, values } = source;
  for (let i = 0; i < count; i++) {
    const offset = i * d;
    for (let m = 0; m < d; m++) target[offset + m] = values[offset + (order[m] as number)] as number;
  }
}

/**
 * out[i*colCount + j] = a_i · b_j for row-major a (rowCount×d) and b (colCount×d).
 * A 2×2 register block reads each operand once per four multiply-adds; in V8 it beat
 * 1-row, 3×3 and 4×4 blocks on 46×46×4096 (≈2 s vs 2.8–4 s for 200 permutations).
 * Odd tails reuse the last row (clamped index) and drop the duplicate writes.
 */
export function dotMatrix(
  a: Float64Array,
  rowCount: number,
  b: Float64Array,
  colCount: number,
  d: number,
  out: Float64Array,
): void {
  // the WebAssembly SIMD kernel, where the engine has it, is ~4× faster than any JS blocking
  const fast = centeredDotMatrix(a, b, rowCount, colCount, d);
  if (fast) {
    out.set(fast);
    return;
  }
  for (let i = 0; i < rowCount; i += 2) {
    const a0 = i * d,
      a1 = Math.min(i + 1, rowCount - 1) * d;
    for (let j = 0; j < colCount; j += 2) {
      const b0 = j * d,
        b1 = Math.min(j + 1, colCount - 1) * d;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      for (let k = 0; k < d; k++) {
        const x0 = a[a0 + k] as number,
          x1 = a[a1 + k] as number;
        const y0 = b[b0 + k] as number,
          y1 = b[b1 + k] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      const at = i * colCount + j;
      out[at] = s00;
      if (j + 1 < colCount) out[at + 1] = s01;
      if (i + 1 < rowCount) {
        out[at + colCount] = s10;
        if (j + 1 < colCount) out[at + colCount + 1] = s11;
      }
    }
  }
}

/** Cells whose row or column is not comparable become NaN, so statistics can skip them. */
export function maskInvalid(matrix: Float64Array, rows: StandardizedRows, cols: StandardizedRows): void {
  for (let i = 0; i < rows.count; i++) {
    for (let j = 0; j < cols.count; j++) {
      if (!rows.valid[i] || !cols.valid[j]) matrix[i * cols.count + j] = NaN;
    }
  }
}

/**
 * The dot matrix of A with its columns permuted, against a fixed B, draw after draw. With WASM, B is
 * laid out in the kernel's panels once, and each draw gathers A's permuted columns straight into its
 * panels (one pass instead of permute + two interleaves: about 1.4× faster per draw at 46×4096).
 * The session owns the kernel's memory until the caller is done: nothing else may prepare() meanwhile.
 */
export function permutedDotSession(
  a: StandardizedRows,
  b: StandardizedRows,
): (order: Int32Array, out: Float64Array) => void {
  const rows = a.count,
    cols = b.count,
    d = a.d;
  const job = wasmDotKernel()?.prepare(rows, cols, d);
  if (!job) {
    const permuted = new Float64Array(rows * d);
    return (order, out) => {
      permuteColumns(a, order, permuted);
      dotMatrix(permuted, rows, b.values, cols, d, out);
    };
  }
  for (let j = 0; j < cols; j++) {
    const panelStart = (j - (j % WASM_PANEL_ROWS)) * d,
      lane = j % WASM_PANEL_ROWS;
    for (let k = 0, at = panelStart + lane, from = j * d; k < d; k++, at += WASM_PANEL_ROWS)
      job.b[at] = b.values[from + k] as number;
  }
  const panels = job.a,
    values = a.values;
  return (order, out) => {
    for (let i = 0; i < rows; i++) {
      const panelStart = (i - (i % WASM_PANEL_ROWS)) * d,
        lane = i % WASM_PANEL_ROWS,
        from = i * d;
      for (let k = 0, at = panelStart + lane; k < d; k++, at += WASM_PANEL_ROWS)
        panels[at] = values[from + (order[k] as number)] as number;
    }
    out.set(job.run());
  };
}
