// WebAssembly SIMD (f64x2) kernel for the centered dot-product matrix behind similarityMatrices.
// JS has no SIMD; here each instruction does two float64 multiply-adds (a separate mul and add, no
// fused multiply-add, so results do not depend on the CPU), about 4× the scalar JS kernel's speed.
// The module is encoded here from named instructions, so nothing is downloaded or compiled by an
// external tool; without SIMD the entry points return null and callers fall back to JS.
import { Code, ValueType, encodeModule } from './wasmEncoder';

/**
 * Rows per panel, on both sides. Inputs are panel-interleaved: row i, dimension k lives at
 * ⌊i/4⌋·4·d + 4k + (i mod 4), so one 32-byte step reads dimension k of four rows at once.
 * A 4×4 block needs 8 f64x2 accumulators plus 4 operands, well inside x64's 16 vector registers;
 * 4×6, 6×4, 8×2, 2-way unrolling and row-major 3×3 measured no faster.
 */
export const WASM_PANEL_ROWS = 4;
const PANEL_BYTES_PER_DIMENSION = WASM_PANEL_ROWS * 8;
/** A 4×4 block of dots: 8 f64x2 accumulators, 128 bytes of output. */
const BLOCK_BYTES = WASM_PANEL_ROWS * WASM_PANEL_ROWS * 8;
/**
 * Dimensions per pass. 512 keeps all B panels' slice (128 rows × 4 KB) inside the 1 MB L2 while the
 * A panel's 16 KB slice stays in L1; 256–2048 measured about the same, one unblocked pass ~1.5× slower.
 */
const DIMENSION_BLOCK = 512;
const PAGE_BYTES = 65536;

/**
 * accumulatePanelDots(aStart, bStart, out, panelsA, panelsB, panelBytes, spanBytes): for every A
 * panel × B panel, adds the dots over spanBytes of panel data (from aStart/bStart within each panel)
 * to that pair's 128-byte block at out (blocks in A-major order). Block layout: f64 4j + r holds
 * A row r · B row j: accumulator 2j + h has lanes A rows 2h, 2h+1 against B row j (splatted).
 */
function encodeDotKernel(): Uint8Array<ArrayBuffer> {
  const { i32, v128 } = ValueType;
  const params = [i32, i32, i32, i32, i32, i32, i32];
  const [aStart, bStart, out, panelsA, panelsB, panelBytes, spanBytes] = [0, 1, 2, 3, 4, 5, 6] as const;
  const locals: ValueType[] = [];
  const local = (type: ValueType): number => locals.push(type) - 1 + params.length;
  const aPanel = local(i32),
    bPanel = local(i32),
    aPanelsLeft = local(i32),
    bPanelsLeft = local(i32);
  const aAt = local(i32),
    bAt = local(i32),
    aEnd = local(i32);
  const sums = Array.from({ length: 8 }, () => local(v128));
  const aRows01 = local(v128),
    aRows23 = local(v128),
    bValue = local(v128);

  const code = new Code();
  code.get(aStart).set(aPanel).get(panelsA).set(aPanelsLeft);
  code.block().loop(); // for each A panel
  code.get(aPanelsLeft).i32Eqz().brIf(1);
  code.get(bStart).set(bPanel).get(panelsB).set(bPanelsLeft);
  code.block().loop(); // for each B panel
  code.get(bPanelsLeft).i32Eqz().brIf(1);
  sums.forEach((sum, i) =>
    code
      .get(out)
      .v128Load(16 * i)
      .set(sum),
  ); // continue the previous pass's sums
  code.get(aPanel).set(aAt).get(bPanel).set(bAt).get(aPanel).get(spanBytes).i32Add().set(aEnd);
  code.block().loop(); // for each dimension k
  code.get(aAt).get(aEnd).i32Eq().brIf(1);
  code.get(aAt).v128Load(0).set(aRows01).get(aAt).v128Load(16).set(aRows23);
  for (let j = 0; j < WASM_PANEL_ROWS; j++) {
    code
      .get(bAt)
      .v128Load64Splat(8 * j)
      .set(bValue);
    for (const [h, aRows] of [
      [0, aRows01],
      [1, aRows23],
    ] as const) {
      const sum = sums[2 * j + h] as number;
      code.get(sum).get(aRows).get(bValue).f64x2Mul().f64x2Add().set(sum);
    }
  }
  code.get(aAt).i32Const(PANEL_BYTES_PER_DIMENSION).i32Add().set(aAt);
  code.get(bAt).i32Const(PANEL_BYTES_PER_DIMENSION).i32Add().set(bAt);
  code.br(0).end().end();
  sums.forEach((sum, i) =>
    code
      .get(out)
      .get(sum)
      .v128Store(16 * i),
  );
  code.get(out).i32Const(BLOCK_BYTES).i32Add().set(out);
  code.get(bPanel).get(panelBytes).i32Add().set(bPanel);
  code.get(bPanelsLeft).i32Const(1).i32Sub().set(bPanelsLeft);
  code.br(0).end().end();
  code.get(aPanel).get(panelBytes).i32Add().set(aPanel);
  code.get(aPanelsLeft).i32Const(1).i32Sub().set(aPanelsLeft);
  code.br(0).end().end();
  return encodeModule([{ exportName: 'accumulatePanelDots', params, locals, code }]);
}

type AccumulatePanelDots = (
  aStart: number,
  bStart: number,
  out: number,
  panelsA: number,
  panelsB: number,
  panelBytes: number,
  spanBytes: number,
) => void;

/** Inputs for one dot matrix, living in WASM memory until the next prepare(). */
export interface DotMatrixJob {
  /** rows×d, panel-interleaved (see WASM_PANEL_ROWS); every row must be written before run() */
  a: Float64Array;
  /** cols×d, panel-interleaved */
  b: Float64Array;
  /** rows×cols row-major dot products a_i · b_j, accumulated in float64 */
  run(): Float64Array;
}

export class WasmDotKernel {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly accumulate: AccumulatePanelDots;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.accumulate = instance.exports.accumulatePanelDots as AccumulatePanelDots;
  }

  /**
   * Lays out A panels, B panels and the output blocks in WASM memory, growing it if needed (memory
   * is reused between calls: a worker computes many matrices). Null if memory cannot grow that far.
   */
  prepare(rows: number, cols: number, d: number): DotMatrixJob | null {
    const panelsA = Math.ceil(rows / WASM_PANEL_ROWS),
      panelsB = Math.ceil(cols / WASM_PANEL_ROWS);
    const panelBytes = d * PANEL_BYTES_PER_DIMENSION;
    const aBytes = panelsA * panelBytes,
      bBytes = panelsB * panelBytes,
      outBytes = panelsA * panelsB * BLOCK_BYTES;
    const totalBytes = aBytes + bBytes + outBytes;
    if (totalBytes > 2 ** 32 - PAGE_BYTES) return null; // beyond wasm32 addressing
    const missingPages = Math.ceil((totalBytes - this.memory.buffer.byteLength) / PAGE_BYTES);
    if (missingPages > 0) {
      try {
        this.memory.grow(missingPages);
      } catch {
        return null; // RangeError: the engine refused the allocation
      }
    }
    const buffer = this.memory.buffer; // a fresh ArrayBuffer after grow()
    const a = new Float64Array(buffer, 0, aBytes / 8),
      b = new Float64Array(buffer, aBytes, bBytes / 8);
    const blocks = new Float64Array(buffer, aBytes + bBytes, outBytes / 8);
    // Padding lanes only feed dots that are dropped, but zeros keep stale memory out of them.
    zeroPaddingLanes(a, rows, d);
    zeroPaddingLanes(b, cols, d);
    const run = (): Float64Array => {
      blocks.fill(0); // the kernel adds each pass to what is there
      for (let k0 = 0; k0 < d; k0 += DIMENSION_BLOCK) {
        const offset = k0 * PANEL_BYTES_PER_DIMENSION,
          span = Math.min(DIMENSION_BLOCK, d - k0) * PANEL_BYTES_PER_DIMENSION;
        this.accumulate(offset, aBytes + offset, aBytes + bBytes, panelsA, panelsB, panelBytes, span);
      }
      return unpackBlocks(blocks, rows, cols);
    };
    return { a, b, run };
  }
}

function zeroPaddingLanes(panels: Float64Array, rows: number, d: number): void {
  const lastPanel = Math.floor(rows / WASM_PANEL_ROWS),
    firstPaddingLane = rows % WASM_PANEL_ROWS;
  if (firstPaddingLane === 0) return;
  const start = lastPanel * WASM_PANEL_ROWS * d;
  for (let k = 0; k < d; k++) {
    for (let lane = firstPaddingLane; lane < WASM_PANEL_ROWS; lane++) panels[start + k * WASM_PANEL_ROWS + lane] = 0;
  }
}

/** The kernel's 4×4 column-major blocks into a compact rows×cols row-major matrix. */
function unpackBlocks(blocks: Float64Array, rows: number, cols: number): Float64Array {
  const panelsB = Math.ceil(cols / WASM_PANEL_ROWS);
  const dots = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const panelA = Math.floor(i / WASM_PANEL_ROWS),
      r = i % WASM_PANEL_ROWS;
    for (let j = 0; j < cols; j++) {
      const block = (panelA * panelsB + Math.floor(j / WASM_PANEL_ROWS)) * WASM_PANEL_ROWS * WASM_PANEL_ROWS;
      dots[i * cols + j] = blocks[block + (j % WASM_PANEL_ROWS) * WASM_PANEL_ROWS + r] as number;
    }
  }
  return dots;
}

let kernel: WasmDotKernel | null | undefined;

/**
 * The shared kernel, or null where WebAssembly or its SIMD proposal is missing (Safari < 16.4,
 * old engines) or compiling WASM is forbidden (a CSP without 'wasm-unsafe-eval'). Validating the
 * kernel module itself is the feature test: it is a few hundred bytes and exactly what will run.
 * Synchronous compilation is fine for a module this small, in a worker and in Node alike.
 */
export function wasmDotKernel(): WasmDotKernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  if (typeof WebAssembly === 'object') {
    const bytes = encodeDotKernel();
    if (WebAssembly.validate(bytes)) {
      try {
        kernel = new WasmDotKernel(new WebAssembly.Module(bytes));
      } catch {
        kernel = null; // compilation blocked by policy
      }
    }
  }
  return kernel;
}

/**
 * rows×cols row-major dot products of row-major centredA (rows×d) and centredB (cols×d), or null when
 * WASM SIMD (or the memory) is unavailable so the caller can use its JS kernel. similarityMatrices
 * skips this copy by centering straight into prepare()'s views.
 */
export function centeredDotMatrix(
  centredA: Float64Array,
  centredB: Float64Array,
  rows: number,
  cols: number,
  d: number,
): Float64Array | null {
  if (centredA.length !== rows * d || centredB.length !== cols * d) {
    throw new Error(`Expected ${rows}×${d} and ${cols}×${d} values, got ${centredA.length} and ${centredB.length}.`);
  }
  const job = wasmDotKernel()?.prepare(rows, cols, d);
  if (!job) return null;
  interleaveIntoPanels(centredA, rows, d, job.a);
  interleaveIntoPanels(centredB, cols, d, job.b);
  return job.run();
}

function interleaveIntoPanels(rowMajor: Float64Array, rows: number, d: number, panels: Float64Array): void {
  for (let first = 0; first < rows; first += WASM_PANEL_ROWS) {
    const panelStart = first * d;
    if (rows - first >= WASM_PANEL_ROWS) {
      // a full panel: read its four rows in step so the writes are sequential (~5× faster than strided)
      const r0 = first * d,
        r1 = r0 + d,
        r2 = r1 + d,
        r3 = r2 + d;
      for (let k = 0, at = panelStart; k < d; k++, at += WASM_PANEL_ROWS) {
        panels[at] = rowMajor[r0 + k] as number;
        panels[at + 1] = rowMajor[r1 + k] as number;
        panels[at + 2] = rowMajor[r2 + k] as number;
        panels[at + 3] = rowMajor[r3 + k] as number;
      }
    } else {
      for (let i = first; i < rows; i++) {
        for (let k = 0, at = panelStart + (i - first), from = i * d; k < d; k++, at += WASM_PANEL_ROWS)
          panels[at] = rowMajor[from + k] as number;
      }
    }
  }
}
