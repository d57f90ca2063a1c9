import { describe, expect, it } from 'vitest';
import { WASM_PANEL_ROWS, centeredDotMatrix, wasmDotKernel } from './dotKernelWasm';

function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const randomValues = (count: number, seed: number): Float64Array =>
  Float64Array.from({ length: count }, makeRandom(seed)).map((x) => x - 0.5);

/** Naive float64 dots of row-major inputs, and the sum of |terms| that bounds their rounding error. */
function naiveDots(
  a: Float64Array,
  b: Float64Array,
  rows: number,
  cols: number,
  d: number,
): { dots: number[]; scale: number[] } {
  const dots: number[] = [],
    scale: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let dot = 0,
        magnitude = 0;
      for (let k = 0; k < d; k++) {
        const term = (a[i * d + k] as number) * (b[j * d + k] as number);
        dot += term;
        magnitude += Math.abs(term);
      }
      dots.push(dot);
      scale.push(magnitude);
    }
  }
  return { dots, scale };
}

describe('WASM SIMD dot kernel', () => {
  it('is available in Node 20 and uses 4-row panels', () => {
    expect(wasmDotKernel()).not.toBeNull();
    expect(WASM_PANEL_ROWS).toBe(4);
  });

  it('matches naive float64 dots for every panel remainder and several dimension blocks', () => {
    const shapes = [
      [1, 1, 1],
      [1, 1, 2],
      [3, 5, 7],
      [4, 4, 512],
      [5, 9, 1025],
      [8, 3, 1536],
      [2, 7, 3000],
    ] as const;
    for (const [rows, cols, d] of shapes) {
      const a = randomValues(rows * d, rows + d),
        b = randomValues(cols * d, cols * 7 + d);
      const got = centeredDotMatrix(a, b, rows, cols, d);
      const { dots, scale } = naiveDots(a, b, rows, cols, d);
      expect(got).toHaveLength(rows * cols);
      dots.forEach((dot, cell) =>
        expect(Math.abs((got?.[cell] as number) - dot)).toBeLessThanOrEqual(1e-14 * (scale[cell] as number)),
      );
    }
  });

  it('returns empty matrices for no rows, and zeros for zero-length rows', () => {
    expect(centeredDotMatrix(new Float64Array(0), new Float64Array(12), 0, 3, 4)).toEqual(new Float64Array(0));
    expect(centeredDotMatrix(new Float64Array(8), new Float64Array(0), 2, 0, 4)).toEqual(new Float64Array(0));
    expect(centeredDotMatrix(new Float64Array(0), new Float64Array(0), 2, 3, 0)).toEqual(new Float64Array(6));
  });

  it('reuses its memory: a large call, then a small one, then the large one again', () => {
    const big = randomValues(9 * 700, 1),
      small = randomValues(2 * 3, 2);
    const first = centeredDotMatrix(big, big, 9, 9, 700);
    expect(centeredDotMatrix(small, small, 2, 2, 3)).toEqual(Float64Array.from(naiveDots(small, small, 2, 2, 3).dots));
    expect(centeredDotMatrix(big, big, 9, 9, 700)).toEqual(first);
  });

  it('rejects inputs whose length does not match the shape', () => {
    expect(() => centeredDotMatrix(new Float64Array(5), new Float64Array(6), 2, 2, 3)).toThrow(
      /Expected 2×3 and 2×3 values, got 5 and 6/,
    );
  });
});
