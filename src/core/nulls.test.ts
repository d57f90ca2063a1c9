import { describe, expect, it } from 'vitest';
import { pearson, similarityMatrices, spearman } from './metrics';
import { analyticNull, criticalValue, permutationTestPair, sharedPermutationTest, type PairRule } from './nulls';
import { gaussian, seededRandom } from './random';

function gaussianRows(count: number, d: number, seed: number): Float32Array[] {
  const normal = gaussian(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: d }, normal));
}

/** γ-like: mean 0.7, small spread, a few huge outlier channels (methods §4.1: heavy tails). */
function outlierRow(d: number, seed: number): Float32Array {
  const [row] = gaussianRows(1, d, seed);
  return row!.map((x, k) => 0.7 + 0.05 * x + (k % 97 === 0 ? 2 : 0));
}

const diagonal = (n: number): [number, number][] => Array.from({ length: n }, (_, i) => [i, i]);

describe('analyticNull', () => {
  it('has sd 1/√(d−1): 0.01563 at d = 4096 (methods §4.1)', () => {
    expect(analyticNull(4096)).toEqual({ mean: 0, sd: 1 / Math.sqrt(4095) });
    expect(analyticNull(4096).sd).toBeCloseTo(0.01563, 5);
    expect(analyticNull(1).sd).toBeNaN();
  });
});

describe('permutationTestPair', () => {
  it('reproduces the exact permutation variance 1/(d−1), even with outlier channels', () => {
    for (const [a, b] of [gaussianRows(2, 256, 1), [outlierRow(256, 2), outlierRow(256, 3)]]) {
      const t = permutationTestPair(a!, b!, { permutations: 4000, seed: 9 });
      expect(t.nullSd / t.analyticSd).toBeGreaterThan(0.93);
      expect(t.nullSd / t.analyticSd).toBeLessThan(1.07);
    }
  });

  it('gives the smallest possible p for identical or mirrored vectors (two-sided)', () => {
    const [a] = gaussianRows(1, 512, 4);
    const mirrored = a!.map((x) => -x);
    expect(permutationTestPair(a!, a!, { permutations: 199, seed: 1 }).pValue).toBe(1 / 200);
    expect(permutationTestPair(a!, mirrored, { permutations: 199, seed: 1 }).pValue).toBe(1 / 200);
  });

  it('holds its level on independent vectors and reports Pearson and Spearman', () => {
    let rejections = 0;
    for (let seed = 0; seed < 60; seed++) {
      const [a, b] = gaussianRows(2, 128, 100 + seed);
      const t = permutationTestPair(a!, b!, { permutations: 199, seed });
      if (t.pValue <= 0.05) rejections++;
      expect(t.pearson).toBeCloseTo(pearson(a!, b!), 12);
      expect(t.spearman).toBe(spearman(a!, b!));
      expect(t.z).toBeCloseTo(t.pearson / t.nullSd, 12);
    }
    expect(rejections).toBeLessThanOrEqual(9); // 5% of 60 is 3; 9 is beyond chance
  });

  it('is reproducible from its seed and NaN for a missing layer', () => {
    const [a, b] = gaussianRows(2, 128, 7);
    expect(permutationTestPair(a!, b!, { permutations: 99, seed: 3 })).toEqual(
      permutationTestPair(a!, b!, { permutations: 99, seed: 3 }),
    );
    expect(permutationTestPair(a!, new Float32Array(128).fill(NaN), { permutations: 99, seed: 3 }).pValue).toBeNaN();
  });
});

describe('sharedPermutationTest', () => {
  it('computes the same observed matrix as similarityMatrices', () => {
    const a = gaussianRows(5, 300, 1),
      b = gaussianRows(4, 300, 2);
    const t = sharedPermutationTest(a, b, diagonal(4), { permutations: 20, seed: 1 });
    const expected = similarityMatrices(a, b).pearson;
    t.observedMatrix.forEach((r, c) => expect(r).toBeCloseTo(expected[c]!, 12));
  });

  it('uses ONE permutation for all layers: correlated layers keep the per-layer null spread', () => {
    // All layers of each model are nearly the same vector, so the diagonal mean moves as one cell.
    const [baseA, baseB] = gaussianRows(2, 512, 3);
    const noisyCopies = (base: Float32Array, seed: number) =>
      gaussianRows(16, 512, seed).map((noise) => base.map((x, k) => x + 0.1 * noise[k]!));
    const t = sharedPermutationTest(noisyCopies(baseA!, 4), noisyCopies(baseB!, 5), diagonal(16), {
      permutations: 400,
      seed: 2,
    });
    const perLayer = analyticNull(512).sd;
    expect(t.nullSd).toBeGreaterThan(0.8 * perLayer); // independent per-layer shuffles would give perLayer/4
  });

  it('flags a copied model with the smallest p and a huge z, and sets a max-statistic threshold', () => {
    const a = gaussianRows(8, 1024, 6);
    const t = sharedPermutationTest(a, a, diagonal(8), { permutations: 199, seed: 1 });
    expect(t.observed).toBeCloseTo(1, 12);
    expect(t.pValue).toBe(1 / 200);
    expect(t.z).toBeGreaterThan(20);
    expect(t.maxPValue).toBe(1 / 200);
    // Max |r| over 64 independent cells: around 3σ, inside [2.5σ, 5σ].
    const sd = analyticNull(1024).sd;
    expect(t.cellThreshold).toBeGreaterThan(2.5 * sd);
    expect(t.cellThreshold).toBeLessThan(5 * sd);
    expect(Array.from(t.maxNull)).toEqual(Array.from(t.maxNull).sort((x, y) => x - y));
  });

  it('holds its level for unrelated models', () => {
    let rejections = 0;
    for (let seed = 0; seed < 40; seed++) {
      const t = sharedPermutationTest(gaussianRows(6, 128, 200 + seed), gaussianRows(6, 128, 300 + seed), diagonal(6), {
        permutations: 99,
        seed,
      });
      if (t.pValue <= 0.05) rejections++;
    }
    expect(rejections).toBeLessThanOrEqual(6);
  });

  it('re-applies a pair rule to every null draw, so choosing pairs by looking is priced in', () => {
    const a = gaussianRows(6, 256, 8),
      b = gaussianRows(6, 256, 9);
    const bestPerRow: PairRule = (m, rows, cols, threshold) => {
      expect(threshold).toBeGreaterThan(0);
      return Array.from({ length: rows }, (_, i) => {
        let best = 0;
        for (let j = 1; j < cols; j++) if (m[i * cols + j]! > m[i * cols + best]!) best = j;
        return [i, best] as [number, number];
      });
    };
    const selected = sharedPermutationTest(a, b, bestPerRow, { permutations: 200, seed: 4 });
    const fixed = sharedPermutationTest(a, b, diagonal(6), { permutations: 200, seed: 4 });
    expect(selected.nullMean).toBeGreaterThan(fixed.nullMean + 2 * fixed.nullSd); // the max of 6 is biased up
    expect(selected.pValue).toBeGreaterThan(0.05); // and the test knows it
    expect(selected.pairs).toHaveLength(6);
  });

  it('skips layers that are not comparable', () => {
    const a = gaussianRows(3, 128, 10);
    const b = [...gaussianRows(2, 128, 11), new Float32Array(128).fill(NaN)];
    const t = sharedPermutationTest(a, b, diagonal(3), { permutations: 50, seed: 1 });
    expect(t.observedMatrix[2 * 3 + 2]).toBeNaN();
    expect(t.observed).toBeCloseTo((t.observedMatrix[0]! + t.observedMatrix[4]!) / 2, 12);
    expect(Number.isFinite(t.cellThreshold)).toBe(true);
  });
});

describe('criticalValue', () => {
  it('takes the ⌈(1−α)(N+1)⌉-th smallest null draw', () => {
    const sorted = Float64Array.from({ length: 19 }, (_, i) => i + 1); // 1..19
    expect(criticalValue(sorted, 0.05)).toBe(19);
    expect(criticalValue(sorted, 0.1)).toBe(18);
  });
});

describe('sequential shared permutation test (Besag–Clifford)', () => {
  const rowsOf = (seed: number, n = 8, d = 256) => {
    const r = seededRandom(seed);
    return Array.from({ length: n }, () => Float32Array.from({ length: d }, () => r()));
  };
  const diagonal = Array.from({ length: 8 }, (_, i) => [i, i] as [number, number]);
  it('stops an unrelated pair at the h-th exceedance with p = h/n', () => {
    const t = sharedPermutationTest(rowsOf(1), rowsOf(2), diagonal, {
      permutations: 99,
      seed: 3,
      sequential: { h: 10, pilot: 19 },
    });
    expect(t.stoppedEarly).toBe(true);
    expect(t.reached).toBe(10);
    expect(t.pValue).toBeCloseTo(10 / t.permutations, 12);
    expect(t.permutations).toBeLessThan(99);
  });
  it('runs a related pair to N, where p = (k+1)/(N+1) as without stopping', () => {
    const a = rowsOf(1);
    const b = a.map((row) => row.map((x, k) => x + 0.05 * Math.sin(k)));
    const seq = sharedPermutationTest(a, b, diagonal, { permutations: 99, seed: 3, sequential: { h: 10 } });
    const fixed = sharedPermutationTest(a, b, diagonal, { permutations: 99, seed: 3 });
    expect(seq).toMatchObject({ stoppedEarly: false, permutations: 99, pValue: 0.01 });
    expect(seq.pValue).toBe(fixed.pValue);
  });
  it('keeps the p-value valid: under the null, P(p ≤ α) ≤ α', () => {
    let small = 0;
    const runs = 200;
    for (let k = 0; k < runs; k++) {
      const t = sharedPermutationTest(rowsOf(100 + k, 4, 64), rowsOf(900 + k, 4, 64), diagonal.slice(0, 4), {
        permutations: 99,
        seed: k,
        sequential: { h: 5, pilot: 19 },
      });
      if (t.pValue <= 0.1) small++;
    }
    expect(small / runs).toBeLessThan(0.16); // 0.1 plus Monte Carlo slack over 200 runs
  });
});
