import { describe, expect, it } from 'vitest';
import { layerPca, symmetricEigen, type PcaItem } from './pca';
import { seededRandom } from './random';

/** Independent reference: cyclic Jacobi rotations on a small dense symmetric matrix (row arrays). */
function jacobiEigen(A0: number[][]): { values: number[]; vectors: number[][] } {
  const n = A0.length;
  const A = A0.map((r) => [...r]);
  const V: number[][] = A.map((_, i) => A.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(A[p]![q]!) < 1e-300) continue;
        const theta = (A[q]![q]! - A[p]![p]!) / (2 * A[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k]![p]!,
            akq = A[k]![q]!;
          A[k]![p] = c * akp - s * akq;
          A[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p]![k]!,
            aqk = A[q]![k]!;
          A[p]![k] = c * apk - s * aqk;
          A[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k]![p]!,
            vkq = V[k]![q]!;
          V[k]![p] = c * vkp - s * vkq;
          V[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = A.map((_, i) => i).sort((i, j) => A[j]![j]! - A[i]![i]!);
  return { values: order.map((i) => A[i]![i]!), vectors: order.map((i) => V.map((row) => row[i]!)) };
}

function randomItems(models: number, layers: number, d: number, seed: number): PcaItem[] {
  const rand = seededRandom(seed);
  const items: PcaItem[] = [];
  for (let m = 0; m < models; m++) {
    for (let l = 0; l < layers; l++) {
      // model offset + depth trend + noise, like γ vectors
      items.push({
        model: m,
        layer: l,
        vector: Float32Array.from({ length: d }, (_, k) => 0.3 * m + 0.05 * l * ((k % 3) - 1) + rand()),
      });
    }
  }
  return items;
}

describe('symmetricEigen', () => {
  it('diagonalises random symmetric matrices: A v = λ v, VᵀV = I, descending values', () => {
    const rand = seededRandom(7);
    for (const n of [1, 2, 3, 5, 17, 40]) {
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rand() * 2 - 1;
      const { values, vectors } = symmetricEigen(A, n);
      for (let c = 0; c < n; c++) {
        if (c > 0) expect(values[c]!).toBeLessThanOrEqual(values[c - 1]!);
        for (let i = 0; i < n; i++) {
          let av = 0;
          for (let k = 0; k < n; k++) av += A[i * n + k]! * vectors[k * n + c]!;
          expect(av).toBeCloseTo(values[c]! * vectors[i * n + c]!, 11);
        }
        for (let c2 = 0; c2 < n; c2++) {
          let dot = 0;
          for (let k = 0; k < n; k++) dot += vectors[k * n + c]! * vectors[k * n + c2]!;
          expect(dot).toBeCloseTo(c === c2 ? 1 : 0, 12);
        }
      }
    }
  });

  it('handles a known 2×2 case and repeated eigenvalues', () => {
    expect(Array.from(symmetricEigen([2, 1, 1, 2], 2).values)).toEqual([expect.closeTo(3, 14), expect.closeTo(1, 14)]);
    const identity = symmetricEigen([1, 0, 0, 0, 1, 0, 0, 0, 1], 3);
    expect(Array.from(identity.values)).toEqual([1, 1, 1]);
  });
});

describe('layerPca', () => {
  it('matches a hand-derived case: points (±2,0), (0,±1)', () => {
    const items = [
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ].map((v, i) => ({ model: 0, layer: i, vector: v }));
    const { explainedVarianceRatio, points } = layerPca(items);
    expect(explainedVarianceRatio).toEqual([expect.closeTo(0.8, 14), expect.closeTo(0.2, 14), 0]);
    expect(points[0]!.xyz).toEqual([expect.closeTo(2, 14), expect.closeTo(0, 14), 0]);
    expect(points[2]!.xyz).toEqual([expect.closeTo(0, 14), expect.closeTo(1, 14), 0]);
  });

  it('equals a direct eigen-decomposition of the d×d covariance (signs by the loading rule)', () => {
    const d = 6;
    const items = randomItems(3, 4, d, 11);
    const n = items.length;
    const mean = Array.from({ length: d }, (_, k) => items.reduce((s, it) => s + (it.vector[k] as number), 0) / n);
    const X = items.map((it) => Array.from({ length: d }, (_, k) => (it.vector[k] as number) - mean[k]!));
    const C = mean.map((_, p) => mean.map((__, q) => X.reduce((s, row) => s + row[p]! * row[q]!, 0) / (n - 1)));
    const ref = jacobiEigen(C);
    const total = ref.values.reduce((s, v) => s + v, 0);
    const got = layerPca(items);
    for (let c = 0; c < 3; c++) {
      expect(got.explainedVarianceRatio[c]).toBeCloseTo(ref.values[c]! / total, 12);
      const v = ref.vectors[c]!;
      const big = v.reduce((b, x) => (Math.abs(x) > Math.abs(b) ? x : b), 0);
      const sign = big < 0 ? -1 : 1;
      X.forEach((row, i) => {
        const score = sign * row.reduce((s, x, k) => s + x * v[k]!, 0);
        expect(got.points[i]!.xyz[c]).toBeCloseTo(score, 11);
      });
    }
  });

  it('is invariant to item order, a common offset and a permutation of dimensions; scales with the data', () => {
    const d = 50;
    const items = randomItems(4, 6, d, 3);
    const base = layerPca(items);
    const key = (p: { model: number; layer: number }) => `${p.model}:${p.layer}`;
    const byKey = new Map(base.points.map((p) => [key(p), p.xyz]));
    const check = (res: ReturnType<typeof layerPca>, scale = 1) => {
      res.explainedVarianceRatio.forEach((r, c) => expect(r).toBeCloseTo(base.explainedVarianceRatio[c]!, 12));
      for (const p of res.points) p.xyz.forEach((x, c) => expect(x).toBeCloseTo(scale * byKey.get(key(p))![c]!, 9));
    };
    check(layerPca([...items].reverse()));
    check(layerPca(items.map((it) => ({ ...it, vector: Array.from(it.vector, (x, k) => x + 5 + k * 0.01) }))));
    const perm = Array.from({ length: d }, (_, k) => (k * 17) % d); // 17 is coprime to 50
    check(layerPca(items.map((it) => ({ ...it, vector: perm.map((k) => it.vector[k] as number) }))));
    check(layerPca(items.map((it) => ({ ...it, vector: Array.from(it.vector, (x) => -3 * x) }))), -3);
  });

  it('reports zero variance past the rank and rejects mixed widths', () => {
    const twoPoints = layerPca([
      { model: 0, layer: 0, vector: [1, 2, 3] },
      { model: 1, layer: 0, vector: [3, 2, 1] },
    ]);
    expect(twoPoints.explainedVarianceRatio).toEqual([expect.closeTo(1, 14), 0, 0]);
    expect(Math.hypot(...twoPoints.points[0]!.xyz)).toBeCloseTo(Math.sqrt(2), 14);
    expect(layerPca([]).points).toEqual([]);
    expect(() =>
      layerPca([
        { model: 0, layer: 0, vector: [1, 2] },
        { model: 0, layer: 1, vector: [1] },
      ]),
    ).toThrow(/one width/);
    expect(() =>
      layerPca([
        { model: 0, layer: 0, vector: [1, NaN] },
        { model: 0, layer: 1, vector: [1, 2] },
      ]),
    ).toThrow(/finite/);
  });

  // timing lives in `npm run bench`
  it('handles 4 models × 48 layers × 4096', () => {
    const res = layerPca(randomItems(4, 48, 4096, 5));
    expect(res.points).toHaveLength(192);
    const sum = res.explainedVarianceRatio.reduce((s, x) => s + x, 0);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-12);
  });
});
