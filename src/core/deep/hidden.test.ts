import { describe, expect, it } from 'vitest';
import { pearson } from '../metrics';
import { seededRandom } from '../random';
import { alignHidden, standardizedColumns } from './hidden';

function gaussianRows(n: number, d: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from(
    { length: n * d },
    () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()),
  );
}
const column = (rows: Float32Array, n: number, d: number, i: number) =>
  Float64Array.from({ length: n }, (_, t) => rows[t * d + i]!);

describe('alignHidden', () => {
  const n = 600,
    d = 96;
  const A = gaussianRows(n, d, 1);
  it('standardized columns: dot products are the float64 Pearson r of the raw columns', () => {
    const B = gaussianRows(n, d, 2);
    const za = standardizedColumns(A, n, d),
      zb = standardizedColumns(B, n, d);
    for (const [i, j] of [
      [0, 0],
      [5, 17],
      [95, 3],
    ] as const) {
      let dot = 0;
      for (let t = 0; t < n; t++) dot += za[i * n + t]! * zb[j * n + t]!;
      expect(dot).toBeCloseTo(pearson(column(A, n, d, i), column(B, n, d, j)), 12);
    }
  });
  it('identity when B is A plus noise with rescaled (folded) columns', () => {
    const noise = gaussianRows(n, d, 3);
    const B = A.map((x, at) => (x + 0.5 * noise[at]!) * (1 + (at % d) / d));
    const found = alignHidden(A, B, n, d, d);
    expect(found.map).toBe('identity');
    // independent reference: median of float64 Pearson r over columns
    const rs = Array.from({ length: d }, (_, i) => pearson(column(A, n, d, i), column(B, n, d, i))).sort(
      (x, y) => x - y,
    );
    expect(found.identityMedian).toBeCloseTo((rs[d / 2 - 1]! + rs[d / 2]!) / 2, 10);
  });
  it('recovers a planted permutation with sign flips, clearly', () => {
    const random = seededRandom(9);
    const hiddenOf = Int32Array.from({ length: d }, (_, i) => i).sort(() => random() - 0.5);
    const signs = Array.from({ length: d }, () => (random() < 0.5 ? -1 : 1));
    const noise = gaussianRows(n, d, 4);
    const B = Float32Array.from({ length: n * d }, (_, at) => {
      const t = Math.floor(at / d),
        j = at % d;
      return signs[j]! * A[t * d + hiddenOf[j]!]! * 3 + noise[at]!;
    });
    const found = alignHidden(A, B, n, d, d);
    expect(found.map).toBe('permuted');
    expect(found.clearShare).toBeGreaterThan(0.95);
    for (let j = 0; j < d; j++) {
      expect(found.perm[hiddenOf[j]!]).toBe(j);
      expect(found.signs[hiddenOf[j]!]).toBe(signs[j]);
    }
  });
  it('none between independent embeddings', () => {
    const found = alignHidden(A, gaussianRows(n, d, 5), n, d, d);
    expect(found.map).toBe('none');
    expect(found.clearShare).toBeLessThan(0.1);
    expect(found.text).toMatch(/no correspondence found/);
  });
  it('different widths: B keeps 64 of the 96 dims of A, permuted; the rest of A stays unmatched (−1)', () => {
    const dB = 64;
    const keep = Int32Array.from({ length: d }, (_, i) => i)
      .sort((x, y) => ((x * 37) % d) - ((y * 37) % d))
      .slice(0, dB);
    const noise = gaussianRows(n, dB, 6);
    const B = Float32Array.from(
      { length: n * dB },
      (_, at) => A[Math.floor(at / dB) * d + keep[at % dB]!]! + 0.3 * noise[at]!,
    );
    const found = alignHidden(A, B, n, d, dB);
    expect(found.map).toBe('permuted');
    keep.forEach((a, j) => expect(found.perm[a]).toBe(j));
    expect(Array.from(found.perm).filter((j) => j < 0).length).toBe(d - dB);
  });
});
