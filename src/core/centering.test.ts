import { describe, expect, it } from 'vitest';
import { basisCenteringFrame, centeringBasis, centeringBasisVectors, toyCenteringFrame, type Vec3 } from './centering';
import { seededRandom } from './random';

const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < u.length; k++) s += (u[k] as number) * (v[k] as number);
  return s;
};
const naivePearson = (x: number[], y: number[]) => {
  const mx = x.reduce((s, v) => s + v, 0) / x.length,
    my = y.reduce((s, v) => s + v, 0) / y.length;
  const cx = x.map((v) => v - mx),
    cy = y.map((v) => v - my);
  return dot(cx, cy) / Math.sqrt(dot(cx, cx) * dot(cy, cy));
};

describe('toy centering (3-D)', () => {
  const a: Vec3 = [0.9, 0.6, 0.75],
    b: Vec3 = [0.7, 0.85, 0.6];

  it('α = 0 is the raw cosine, α = 1 is Pearson r, and the points land on x+y+z = 0', () => {
    expect(toyCenteringFrame(a, b, 0).cosine).toBeCloseTo(dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b)), 14);
    const end = toyCenteringFrame(a, b, 1);
    expect(end.cosine).toBeCloseTo(naivePearson(a, b), 14);
    expect(end.wa[0] + end.wa[1] + end.wa[2]).toBeCloseTo(0, 15);
    expect(end.angleDeg).toBeCloseTo((Math.acos(naivePearson(a, b)) * 180) / Math.PI, 10);
  });

  it('hand case: (1,2,3) and (3,2,1) at α = ½ and α = 1', () => {
    const half = toyCenteringFrame([1, 2, 3], [3, 2, 1], 0.5);
    expect(half.wa).toEqual([0, 1, 2]);
    expect(half.wb).toEqual([2, 1, 0]);
    expect(half.cosine).toBeCloseTo(1 / 5, 15); // (0,1,2)·(2,1,0) = 1, both norms √5
    const end = toyCenteringFrame([1, 2, 3], [3, 2, 1], 1);
    expect(end.cosine).toBeCloseTo(-1, 15);
    expect(end.angleDeg).toBeCloseTo(180, 6);
  });
});

describe('real-data centering basis', () => {
  const rand = seededRandom(3);
  const d = 4096;
  const a = Array.from({ length: d }, () => 0.8 + 0.05 * rand());
  const b = a.map((x) => 0.3 + 0.5 * x + 0.02 * rand()); // correlated, different mean and scale

  it('maps a and b to 3 coordinates preserving norms and the inner product', () => {
    const basis = centeringBasis(a, b);
    const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);
    expect(rel(dot(basis.a, basis.a), dot(a, a))).toBeLessThan(1e-13);
    expect(rel(dot(basis.b, basis.b), dot(b, b))).toBeLessThan(1e-13);
    expect(rel(dot(basis.a, basis.b), dot(a, b))).toBeLessThan(1e-13);
    expect(basis.a[2]).toBe(0);
  });

  it('spans a and b with an orthonormal basis: reconstruction is exact', () => {
    const { e2, e3 } = centeringBasisVectors(a, b);
    const e1 = new Float64Array(d).fill(1 / Math.sqrt(d));
    for (const [u, v, want] of [
      [e1, e1, 1],
      [e2, e2, 1],
      [e3, e3, 1],
      [e1, e2, 0],
      [e1, e3, 0],
      [e2, e3, 0],
    ] as const) {
      expect(Math.abs(dot(u, v) - want)).toBeLessThan(1e-14);
    }
    const basis = centeringBasis(a, b);
    let worst = 0;
    for (let k = 0; k < d; k++) {
      const x = basis.b[0] * e1[k]! + basis.b[1] * e2[k]! + basis.b[2] * e3[k]!;
      worst = Math.max(worst, Math.abs(x - b[k]!));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('interpolates: α = 0 gives the raw cosine, α = 1 Pearson r', () => {
    const basis = centeringBasis(a, b);
    expect(basisCenteringFrame(basis, 0).cosine).toBeCloseTo(dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b)), 13);
    expect(basisCenteringFrame(basis, 1).cosine).toBeCloseTo(naivePearson(a, b), 13);
    expect(basisCenteringFrame(basis, 1).wa[0]).toBe(0);
  });

  it('keeps precision for nearly identical patterns and handles a constant vector', () => {
    const c = a.map((x, k) => x + 1e-7 * Math.sin(k)); // r ≈ 1 − 1e-6: the subtraction formula would lose it
    const basis = centeringBasis(a, c);
    expect(basisCenteringFrame(basis, 1).cosine).toBeCloseTo(naivePearson(a, c), 12);
    const flat = centeringBasis(new Array(d).fill(0.5), b);
    expect(flat.a).toEqual([0.5 * Math.sqrt(d), 0, 0]);
    expect(Math.hypot(...flat.b)).toBeCloseTo(Math.sqrt(dot(b, b)), 10);
    expect(basisCenteringFrame(flat, 1).cosine).toBeNaN();
    expect(() => centeringBasis([1, 2], [1])).toThrow(/width/);
  });
});
