// Exact PCA of layer vectors (seed Figure 7). With n layer vectors of width d and n ≪ d,
// the n×n Gram matrix of the centred rows has the same non-zero spectrum as the d×d
// covariance, so one small symmetric eigenproblem gives the exact components.

export interface PcaItem {
  model: number;
  layer: number;
  vector: ArrayLike<number>;
}

export interface PcaPoint {
  model: number;
  layer: number;
  xyz: [number, number, number];
}

export interface PcaResult {
  /** λ_k / total variance of the centred rows, for PC1..PC3 (0 where the rank runs out) */
  explainedVarianceRatio: [number, number, number];
  points: PcaPoint[];
}

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major, not modified):
 * Householder tridiagonalisation, then the implicit QL algorithm (tred2/tql2 of EISPACK).
 * Returns eigenvalues in descending order and the matching orthonormal eigenvectors as
 * columns of the row-major matrix `vectors`.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const V = Float64Array.from(matrix as ArrayLike<number>);
  if (V.length !== n * n) throw new Error(`Expected a ${n}×${n} matrix, got ${V.length} entries.`);
  const d = new Float64Array(n),
    e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: V };
  tred2(V, d, e, n);
  const W = tql2(V, d, e, n);
  // Sort descending, permuting the eigenvector columns with the values.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y]! - d[x]!);
  const values = Float64Array.from(order, (i) => d[i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, c) => {
    for (let r = 0; r < n; r++) vectors[r * n + c] = W[src * n + r]!;
  });
  return { values, vectors };
}

/** tred2: reduce the symmetric matrix V (in place) to tridiagonal form (diagonal d, sub-diagonal e), accumulating V. */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0,
      h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!,
        g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j]! * d[k]!;
          e[k] = e[k]! + V[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[n * n - 1] = 1;
  e[0] = 0;
}

/** tql2: implicit QL iterations on the tridiagonal (d, e), in place; returns the eigenvectors as rows of W = Vᵀ. */
function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): Float64Array {
  // W = Vᵀ keeps each rotation's
  // two eigenvector updates on contiguous rows.
  const W = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) W[c * n + r] = V[r * n + c]!;
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0,
    tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; Math.abs(e[l]!) > eps * tst1; iter++) {
        if (iter > 60) throw new Error('symmetricEigen: QL iteration did not converge.');
        let g = d[l]!,
          p = (d[l + 1]! - g) / (2 * e[l]!),
          r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1,
          c2 = 1,
          c3 = 1,
          s = 0,
          s2 = 0;
        const el1 = e[l + 1]!;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const lo = i * n,
            hi = lo + n;
          for (let k = 0; k < n; k++) {
            h = W[hi + k]!;
            W[hi + k] = s * W[lo + k]! + c * h;
            W[lo + k] = c * W[lo + k]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      }
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  return W;
}

/**
 * PCA of all given vectors together (one point per item): centre by the grand mean, eigen-decompose
 * the Gram matrix G = X Xᵀ, scores = U·Σ. Each component's sign is fixed so that its loading
 * (unit axis in the d-dimensional space) has its largest-magnitude entry positive, which makes
 * the picture independent of item order and of the eigen solver's arbitrary signs.
 */
export function layerPca(items: PcaItem[]): PcaResult {
  const n = items.length;
  if (n === 0) return { explainedVarianceRatio: [0, 0, 0], points: [] };
  const d = items[0]!.vector.length;
  for (const item of items) {
    if (item.vector.length !== d)
      throw new Error(`PCA needs vectors of one width: found ${item.vector.length} and ${d}.`);
  }
  const mean = new Float64Array(d);
  for (const { vector } of items) for (let k = 0; k < d; k++) mean[k] = mean[k]! + (vector[k] as number);
  for (let k = 0; k < d; k++) {
    mean[k] = mean[k]! / n;
    if (!Number.isFinite(mean[k])) throw new Error('PCA needs finite values: leave out layers that lack the norm.');
  }
  const X = new Float64Array(n * d);
  items.forEach(({ vector }, i) => {
    for (let k = 0; k < d; k++) X[i * d + k] = (vector[k] as number) - mean[k]!;
  });
  const G = gram(X, n, d);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += G[i * n + i]!;
  const { values, vectors } = symmetricEigen(G, n);
  const ratio: [number, number, number] = [0, 0, 0];
  const scores = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let c = 0; c < 3 && c < n; c++) {
    // Round-off can leave tiny negative eigenvalues on rank-deficient data: they carry no variance.
    const lambda = values[c]! > trace * 1e-13 ? values[c]! : 0;
    if (lambda === 0) continue;
    ratio[c] = lambda / trace;
    const sigma = Math.sqrt(lambda);
    const sign = loadingSign(X, vectors, n, d, c);
    for (let i = 0; i < n; i++) scores[c]![i] = sign * sigma * vectors[i * n + c]!;
  }
  const points = items.map(({ model, layer }, i): PcaPoint => ({
    model,
    layer,
    xyz: [scores[0]![i]!, scores[1]![i]!, scores[2]![i]!],
  }));
  return { explainedVarianceRatio: ratio, points };
}

/** G = X Xᵀ for row-major X (n×d): lower triangle in 2×2 register blocks, then mirrored. */
function gram(X: Float64Array, n: number, d: number): Float64Array {
  const G = new Float64Array(n * n);
  const dot = (i: number, j: number) => {
    let s = 0;
    for (let k = 0, a = i * d, b = j * d; k < d; k++) s += X[a + k]! * X[b + k]!;
    return s;
  };
  for (let i = 0; i + 1 < n; i += 2) {
    const a0 = i * d,
      a1 = a0 + d;
    for (let j = 0; j <= i; j += 2) {
      // j + 1 ≤ i + 1 < n always; the block's (i, j+1) entry is above the diagonal when j = i and is dropped
      const b0 = j * d,
        b1 = b0 + d;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      for (let k = 0; k < d; k++) {
        const x0 = X[a0 + k]!,
          x1 = X[a1 + k]!,
          y0 = X[b0 + k]!,
          y1 = X[b1 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      G[i * n + j] = s00;
      G[(i + 1) * n + j] = s10;
      G[(i + 1) * n + j + 1] = s11;
      if (j < i) G[i * n + j + 1] = s01;
    }
  }
  if (n % 2 === 1) for (let j = 0; j < n; j++) G[(n - 1) * n + j] = dot(n - 1, j);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) G[j * n + i] = G[i * n + j]!;
  return G;
}

/** +1 or −1: the sign making the largest-|entry| of the loading Xᵀu_c positive (first such index on ties). */
function loadingSign(X: Float64Array, U: Float64Array, n: number, d: number, c: number): number {
  const loading = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const u = U[i * n + c]!,
      row = i * d;
    for (let k = 0; k < d; k++) loading[k] = loading[k]! + u * X[row + k]!;
  }
  let best = 0,
    bestAbs = -1;
  // The relative margin keeps near-ties (equal up to round-off) on the first index.
  for (let k = 0; k < d; k++) {
    const v = loading[k]!;
    if (Math.abs(v) > bestAbs * (1 + 1e-9)) {
      bestAbs = Math.abs(v);
      best = v;
    }
  }
  return best < 0 ? -1 : 1;
}
