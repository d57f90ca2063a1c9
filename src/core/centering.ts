// Geometry of the centering animation (seed Figure 0): w = v − α·mean(v)·1 slides each vector
// onto the hyperplane ⟂ 1; at α = 1 the cosine of w_a, w_b is Pearson r.
export type Vec3 = [number, number, number];

export interface CenteringFrame {
  alpha: number;
  wa: Vec3;
  wb: Vec3;
  cosine: number;
  angleDeg: number;
}

const dot3 = (u: Vec3, v: Vec3) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];

function frame(alpha: number, wa: Vec3, wb: Vec3): CenteringFrame {
  const norms = Math.sqrt(dot3(wa, wa) * dot3(wb, wb));
  const cosine = norms === 0 ? NaN : dot3(wa, wb) / norms;
  // clamp: round-off can push |cos| a hair past 1 for (anti)parallel vectors
  const angleDeg = (Math.acos(Math.min(1, Math.max(-1, cosine))) * 180) / Math.PI;
  return { alpha, wa, wb, cosine, angleDeg };
}

/** Toy mode: two vectors of R³ in their own coordinates, each centred by α of its own mean. */
export function toyCenteringFrame(a: Vec3, b: Vec3, alpha: number): CenteringFrame {
  const shift = (v: Vec3): Vec3 => {
    const m = (alpha * (v[0] + v[1] + v[2])) / 3;
    return [v[0] - m, v[1] - m, v[2] - m];
  };
  return frame(alpha, shift(a), shift(b));
}

export interface CenteringBasis {
  d: number;
  meanA: number;
  meanB: number;
  /** a and b in the orthonormal basis (e1 = 1/√d, e2, e3): exact, since both lie in its span */
  a: Vec3;
  b: Vec3;
}

/**
 * The basis of real-data mode: e1 = 1/√d, e2 = a'/‖a'‖, e3 = the part of b' orthogonal to e2, normalised
 * (a', b' centred; both are already ⟂ 1). A zero a' hands e2 to b'; missing directions stay zero vectors.
 */
export function centeringBasisVectors(a: ArrayLike<number>, b: ArrayLike<number>) {
  if (a.length !== b.length || a.length === 0)
    throw new Error(`Centering needs two vectors of one non-zero width, got ${a.length} and ${b.length}.`);
  const d = a.length;
  const sum = (v: ArrayLike<number>) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += v[k] as number;
    return s;
  };
  const centred = (v: ArrayLike<number>) => {
    const mean = sum(v) / d;
    const c = Float64Array.from({ length: d }, (_, k) => (v[k] as number) - mean);
    const drift = sum(c) / d; // second pass: makes Σc ≈ 0 to the last bit, so e2, e3 ⟂ 1 to ~1e-17
    return { mean, c: c.map((x) => x - drift) };
  };
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const ca = centred(a),
    cb = centred(b);
  const aFirst = ca.c.some((x) => x !== 0);
  const [first, second] = aFirst ? [ca.c, cb.c] : [cb.c, ca.c];
  const firstNorm = norm(first);
  const e2 = firstNorm === 0 ? new Float64Array(d) : first.map((x) => x / firstNorm);
  let along = 0;
  for (let k = 0; k < d; k++) along += second[k]! * e2[k]!;
  // Explicit Gram–Schmidt residual, not √(‖b'‖² − (b'·e2)²): that cancels when r ≈ 1 (GLM vs INTELLECT)
  const residual = second.map((x, k) => x - along * e2[k]!);
  const across = norm(residual);
  const e3 = across === 0 ? new Float64Array(d) : residual.map((x) => x / across);
  return { e2, e3, meanA: ca.mean, meanB: cb.mean, aFirst, firstNorm, along, across };
}

/** Real-data mode: the two γ vectors mapped exactly into 3 coordinates. */
export function centeringBasis(a: ArrayLike<number>, b: ArrayLike<number>): CenteringBasis {
  const { meanA, meanB, aFirst, firstNorm, along, across } = centeringBasisVectors(a, b);
  const root = Math.sqrt(a.length);
  // The vector that defined e2 has no e3 part by construction; the other one has (along, across).
  const [pa, pb] = aFirst
    ? [
        [firstNorm, 0],
        [along, across],
      ]
    : [
        [along, across],
        [firstNorm, 0],
      ];
  return { d: a.length, meanA, meanB, a: [meanA * root, pa[0]!, pa[1]!], b: [meanB * root, pb[0]!, pb[1]!] };
}

/** α interpolation in the basis: removing α·mean·1 only shrinks the e1 coordinate. */
export function basisCenteringFrame(basis: CenteringBasis, alpha: number): CenteringFrame {
  const shrink = (v: Vec3): Vec3 => [(1 - alpha) * v[0], v[1], v[2]];
  return frame(alpha, shrink(basis.a), shrink(basis.b));
}
