import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  cosine,
  cosineFromMoments,
  diagonalSummary,
  meanStd,
  pearson,
  similarityMatrices,
  spearman,
  type DotKernelChoice,
} from './metrics';

/** Deterministic uniform [0,1) generator so failures reproduce. */
function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomRows(count: number, d: number, seed: number, mean: number, spread: number): Float32Array[] {
  const random = makeRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: d }, () => mean + spread * (random() - 0.5)));
}

/** The reference scripts' formulas (docs/solar-glm-revisited.md F.7), written out naively in float64. */
function naiveCosine(a: Float32Array, b: Float32Array): number {
  let dot = 0,
    aa = 0,
    bb = 0;
  a.forEach((x, k) => {
    const y = b[k] as number;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  });
  return dot / (Math.sqrt(aa) * Math.sqrt(bb));
}
function naivePearson(a: Float32Array, b: Float32Array): number {
  const center = (v: Float32Array) => {
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    return Array.from(v, (x) => x - m);
  };
  const ca = center(a),
    cb = center(b);
  const dot = ca.reduce((s, x, k) => s + x * (cb[k] as number), 0);
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return dot / (norm(ca) * norm(cb));
}

/** |x − y|, with NaN matching only NaN (zero-variance rows). */
function gap(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity;
  return Math.abs(x - y);
}

/** Largest gap between similarityMatrices (on the given kernel) and the naive formulas, over both metrics. */
function worstGapToNaive(rowsA: Float32Array[], rowsB: Float32Array[], kernel?: DotKernelChoice): number {
  const result = similarityMatrices(rowsA, rowsB, { kernel });
  expect([result.rows, result.cols]).toEqual([rowsA.length, rowsB.length]);
  expect([result.cosine.length, result.pearson.length]).toEqual([
    rowsA.length * rowsB.length,
    rowsA.length * rowsB.length,
  ]);
  if (kernel) expect(result.kernel).toBe(kernel);
  let worst = 0;
  rowsA.forEach((a, i) =>
    rowsB.forEach((b, j) => {
      const cell = i * rowsB.length + j;
      worst = Math.max(worst, gap(result.cosine[cell] as number, naiveCosine(a, b)));
      worst = Math.max(worst, gap(result.pearson[cell] as number, naivePearson(a, b)));
    }),
  );
  return worst;
}

function expectMatchesNaive(rowsA: Float32Array[], rowsB: Float32Array[]): void {
  expect(worstGapToNaive(rowsA, rowsB)).toBeLessThan(1e-9);
}

describe('pairwise metrics', () => {
  it('cosine and pearson on hand cases', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(cosine([1, 2, 3], [3, 2, 1])).toBeCloseTo(10 / 14, 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 15); // centered: [-1.5,-.5,.5,1.5]·[-1.5,.5,-.5,1.5]=4, norms² 5
    expect(cosine([0, 0], [1, 2])).toBeNaN();
    expect(pearson([2, 2, 2], [1, 2, 3])).toBeNaN();
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(/differ in length: 2 vs 3/);
  });

  it('pearson removes the shared mean that inflates cosine', () => {
    const a = [1.01, 0.99, 1.02, 0.98],
      b = [0.99, 1.01, 0.98, 1.02];
    expect(cosine(a, b)).toBeGreaterThan(0.999);
    expect(pearson(a, b)).toBeCloseTo(-1, 12);
  });

  it('meanStd uses the population divisor', () => {
    const { mean, std } = meanStd([1, 2, 3, 4]);
    expect(mean).toBe(2.5);
    expect(std).toBeCloseTo(Math.sqrt(1.25), 15);
  });

  it('spearman ranks ties by their average', () => {
    expect(Array.from(averageRanks([5, 6, 7, 8, 7]))).toEqual([1, 2, 3.5, 5, 3.5]);
    expect(Array.from(averageRanks([2, 2, 2]))).toEqual([2, 2, 2]);
    // ranks a = 1..5, b = [1,2,3.5,5,3.5]: centered dot 8, norms² 10 and 9.5 (scipy: 0.8207826816681233)
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 15);
    expect(spearman([1, 2, 3], [1, 8, 27])).toBeCloseTo(1, 15); // monotone, not linear
    expect(spearman([1, NaN, 3], [1, 2, 3])).toBeNaN();
  });
});

describe('similarityMatrices', () => {
  it('matches the naive float64 reference on random data', () => {
    expectMatchesNaive(randomRows(7, 1001, 1, 0, 2), randomRows(5, 1001, 2, 0, 2));
  });

  it('matches on γ-like data (mean ≈ 1, std ≈ 0.01), where raw dots cancel badly', () => {
    expectMatchesNaive(randomRows(8, 4097, 3, 1, 0.035), randomRows(10, 4097, 4, 1, 0.035));
  });

  it('handles every panel remainder and tiny sizes', () => {
    for (const [rows, cols, d] of [
      [1, 1, 1],
      [1, 4, 2],
      [2, 3, 5],
      [4, 2, 7],
      [6, 6, 3],
    ] as const) {
      expectMatchesNaive(randomRows(rows, d, rows * 10 + cols, 0.5, 1), randomRows(cols, d, d, 0.5, 1));
    }
  });

  it('gives NaN for constant and zero rows, and empty matrices for no rows', () => {
    const constant = new Float32Array([2, 2, 2]),
      zero = new Float32Array(3),
      varied = new Float32Array([1, 2, 4]);
    const m = similarityMatrices([constant, zero], [varied]);
    expect(m.pearson[0]).toBeNaN();
    expect(m.cosine[0]).toBeCloseTo(naiveCosine(constant, varied), 14);
    expect(m.cosine[1]).toBeNaN();
    expect(similarityMatrices([], [varied])).toMatchObject({ rows: 0, cols: 1 });
    expect(() => similarityMatrices([constant], [new Float32Array(4)])).toThrow(/same length/);
  });
});

describe('similarityMatrices on both dot kernels', () => {
  const kernels: DotKernelChoice[] = ['wasm', 'js'];
  /** Uniform spread with this std: the uniform on (−s/2, s/2) has std s/√12. */
  const spreadForStd = (std: number): number => std * Math.sqrt(12);

  it('uses the WASM SIMD kernel by default (Node 20 has it)', () => {
    expect(similarityMatrices(randomRows(2, 8, 1, 0, 1), randomRows(2, 8, 2, 0, 1)).kernel).toBe('wasm');
  });

  it.each(kernels)('%s: random data within 1e-12 of the naive float64 reference', (kernel) => {
    expect(worstGapToNaive(randomRows(9, 1301, 11, 0, 2), randomRows(7, 1301, 12, 0, 2), kernel)).toBeLessThan(1e-12);
  });

  it.each(kernels)('%s: γ-like data (mean 1, std 0.01) within 1e-12, across several dimension blocks', (kernel) => {
    const spread = spreadForStd(0.01);
    expect(
      worstGapToNaive(randomRows(6, 4999, 13, 1, spread), randomRows(5, 4999, 14, 1, spread), kernel),
    ).toBeLessThan(1e-12);
  });

  it.each(kernels)('%s: every panel remainder, 1×1 and empty inputs', (kernel) => {
    const shapes = [
      [1, 1, 1],
      [1, 1, 9],
      [2, 3, 5],
      [3, 4, 513],
      [5, 6, 7],
      [7, 9, 33],
      [8, 8, 4],
      [0, 3, 4],
      [3, 0, 4],
      [0, 0, 0],
    ] as const;
    for (const [rows, cols, d] of shapes) {
      expect(
        worstGapToNaive(randomRows(rows, d, rows * 10 + cols, 0.5, 1), randomRows(cols, d, d, 0.5, 1), kernel),
      ).toBeLessThan(1e-12);
    }
  });

  it('the two kernels agree to rounding on the same inputs', () => {
    const rowsA = randomRows(11, 2500, 15, 1, spreadForStd(0.01)),
      rowsB = randomRows(6, 2500, 16, 1, spreadForStd(0.01));
    const wasm = similarityMatrices(rowsA, rowsB, { kernel: 'wasm' }),
      js = similarityMatrices(rowsA, rowsB, { kernel: 'js' });
    for (let cell = 0; cell < rowsA.length * rowsB.length; cell++) {
      expect(Math.abs((wasm.pearson[cell] as number) - (js.pearson[cell] as number))).toBeLessThan(1e-13);
      expect(Math.abs((wasm.cosine[cell] as number) - (js.cosine[cell] as number))).toBeLessThan(1e-13);
    }
  });

  it.each(kernels)('%s: reused buffers carry nothing over from a larger call with NaN rows', (kernel) => {
    similarityMatrices(
      randomRows(8, 64, 17, 0, 1).map((row) => row.fill(NaN)),
      randomRows(8, 64, 18, 0, 1),
      { kernel },
    );
    expect(worstGapToNaive(randomRows(5, 64, 19, 0, 1), randomRows(6, 64, 20, 0, 1), kernel)).toBeLessThan(1e-12);
  });
});

describe('diagonalSummary', () => {
  it('separates matched from mismatched cells and skips NaN', () => {
    const matrix = Float64Array.from([1, 0, 0, 0, 3, 0, NaN, 0, 2]);
    const s = diagonalSummary(matrix, 3, 3);
    expect(s.diagonalMean).toBe(2);
    expect(s.diagonalStd).toBeCloseTo(Math.sqrt(2 / 3), 15);
    expect([s.diagonalCount, s.offDiagonalCount, s.offDiagonalMean, s.offDiagonalStd, s.difference]).toEqual([
      3, 5, 0, 0, 2,
    ]);
  });

  it('uses i < min(rows, cols) for rectangular matrices', () => {
    const s = diagonalSummary(Float64Array.from([1, 5, 7, 9, 3, 5]), 2, 3);
    expect([s.diagonalMean, s.diagonalCount, s.offDiagonalMean, s.offDiagonalCount]).toEqual([2, 2, 6.5, 4]);
    expect(() => diagonalSummary(new Float64Array(5), 2, 3)).toThrow(/expected 2×3/);
  });
});

describe('cosineFromMoments', () => {
  it('reproduces cosine exactly from a pair of vectors', () => {
    const [a, b] = randomRows(2, 4096, 9, 0.4, 0.3) as [Float32Array, Float32Array];
    const ma = meanStd(a),
      mb = meanStd(b);
    expect(cosineFromMoments(ma.mean, ma.std, mb.mean, mb.std, pearson(a, b))).toBeCloseTo(cosine(a, b), 13);
  });

  // published per-layer measurements of Solar-Open-100B vs GLM-4.5-Air (copied from the reference shelf)
  const dataDir = new URL('./testdata/', import.meta.url);
  const readCsv = (name: string): Record<string, number>[] => {
    const [header, ...lines] = readFileSync(new URL(name, dataDir), 'utf8').trim().split('\n');
    const keys = (header as string).split(',');
    return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i] as string, Number(v)])));
  };

  it('explains all 92 Solar–GLM raw cosines from rounded moments (derived-stats CSV)', () => {
    const rows = readCsv('solar-glm-derived-stats.csv');
    expect(rows).toHaveLength(92);
    for (const r of rows) {
      const moments = [r.solar_mean, r.solar_std, r.glm_mean, r.glm_std] as [number, number, number, number];
      expect(Math.abs(cosineFromMoments(...moments, r.pearson as number) - (r.cos as number))).toBeLessThan(1e-4);
      expect(Math.abs(cosineFromMoments(...moments, 0) - (r.cos_if_r0 as number))).toBeLessThan(1e-4);
    }
  });

  it('matches to 1.6e-7 with the full-precision layer-stats CSV', () => {
    for (const r of readCsv('solar-glm-layer-stats.csv')) {
      const predicted = cosineFromMoments(
        r.A_mean as number,
        r.A_std as number,
        r.B_mean as number,
        r.B_std as number,
        r.cosine_centered as number,
      );
      expect(Math.abs(predicted - (r.cosine as number))).toBeLessThan(2e-7);
    }
  });
});

describe('similarityMatrices on identical rows', () => {
  it('gives exactly 1 for a row against its own copy, on both kernels', () => {
    const sim = similarityMatrices;
    const rows = Array.from({ length: 5 }, (_, l) =>
      Float32Array.from({ length: 4096 }, (_, i) => 0.3 + 0.1 * l + 0.013 * Math.sin(i * 0.7 + l)),
    );
    const copies = rows.map((r) => Float32Array.from(r));
    for (const kernel of ['js', undefined] as const) {
      const m = sim(rows, copies, kernel ? { kernel } : {});
      for (let i = 0; i < 5; i++) {
        expect(m.pearson[i * 5 + i]).toBe(1);
        expect(m.cosine[i * 5 + i]).toBe(1);
      }
      for (const v of [...m.pearson, ...m.cosine]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
  });
});
