// Exact nearest-neighbour search between two sets of channel profiles (channel-major,
// d profiles of length P each), pruned for the ratio test that channelMatch.ts applies.

export interface Nearest {
  best: Int32Array;
  bestDistance: Float64Array;
  /** exact, or a value that gives the same ratio-test outcome */
  secondDistance: Float64Array;
}

/**
 * How far the scan must still look so that no unseen candidate can change the outcome of the
 * ratio test or, when it passes, the best match. Distinctive so far: a candidate beyond
 * first/ratio keeps it so. Not distinctive: only a new best within ratio·first could turn it
 * into one. In both cases nothing beyond the second-best distance changes anything.
 */
function stopDistance(first: number, second: number, ratio: number): number {
  return Math.min(second, first <= ratio * second ? first / ratio : ratio * first);
}

/**
 * The direction along which the profiles of both models spread most (first principal axis, by
 * power iteration on the pooled, centered profiles): projections on it are the sharpest sort key.
 */
function principalAxis(A: Float64Array, B: Float64Array, d: number, P: number): Float64Array {
  const mean = new Float64Array(P);
  for (const X of [A, B])
    for (let k = 0; k < d; k++) for (let p = 0; p < P; p++) mean[p]! += (X[k * P + p] as number) / (2 * d);
  let axis = new Float64Array(P).fill(1 / Math.sqrt(P));
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
    const next = new Float64Array(P);
    for (const X of [A, B]) accumulateCovarianceTimes(X, mean, axis, d, P, next);
    const norm = Math.hypot(...next);
    if (!(norm > 0)) break;
    axis = next.map((x) => x / norm);
  }
  return axis;
}

const POWER_ITERATIONS = 12;

/** next += Σ_k ((x_k − mean)·axis)(x_k − mean): one power-iteration step without forming the covariance. */
function accumulateCovarianceTimes(
  X: Float64Array,
  mean: Float64Array,
  axis: Float64Array,
  d: number,
  P: number,
  next: Float64Array,
): void {
  for (let k = 0; k < d; k++) {
    const offset = k * P;
    let projection = 0;
    for (let p = 0; p < P; p++) projection += ((X[offset + p] as number) - (mean[p] as number)) * (axis[p] as number);
    for (let p = 0; p < P; p++)
      next[p] = (next[p] as number) + projection * ((X[offset + p] as number) - (mean[p] as number));
  }
}

function project(X: Float64Array, axis: Float64Array, d: number, P: number): Float64Array {
  const keys = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let s = 0;
    for (let p = 0; p < P; p++) s += (X[k * P + p] as number) * (axis[p] as number);
    keys[k] = s;
  }
  return keys;
}

export interface ProfileIndex {
  A: Float64Array;
  B: Float64Array;
  d: number;
  P: number;
  keysB: Float64Array;
  /** channels of A in ascending key order, and their keys */
  order: Int32Array;
  sortedKeys: Float64Array;
}

export function indexProfiles(A: Float64Array, B: Float64Array, d: number, P: number): ProfileIndex {
  const axis = principalAxis(A, B, d, P);
  const keysA = project(A, axis, d, P),
    keysB = project(B, axis, d, P);
  const order = Int32Array.from({ length: d }, (_, k) => k).sort((x, y) => (keysA[x] as number) - (keysA[y] as number));
  return { A, B, d, P, keysB, order, sortedKeys: Float64Array.from(order, (k) => keysA[k] as number) };
}

/**
 * Nearest A profile for every B profile, and the second-nearest as far as the ratio test needs
 * it (squared distances). A is sorted by its projection x on a unit axis: (x_a − x_b)² ≤ |a − b|², so the scan
 * outward from b's x stops once that bound passes stopDistance; partial sums stop at the second best.
 */
export function nearestProfiles(profiles: ProfileIndex, channelsB: Iterable<number>, ratio: number): Nearest {
  const { A, B, d, P, keysB, order, sortedKeys } = profiles;
  const best = new Int32Array(d).fill(-1),
    bestDistance = new Float64Array(d).fill(Infinity);
  const secondDistance = new Float64Array(d).fill(Infinity);
  for (const kb of channelsB) {
    const offB = kb * P,
      key = keysB[kb] as number;
    let lo = lowerBound(sortedKeys, key) - 1,
      hi = lo + 1;
    let first = Infinity,
      second = Infinity,
      firstIndex = -1;
    while (lo >= 0 || hi < d) {
      const gapLo = lo >= 0 ? key - (sortedKeys[lo] as number) : Infinity;
      const gapHi = hi < d ? (sortedKeys[hi] as number) - key : Infinity;
      const takeLo = gapLo <= gapHi,
        gap = takeLo ? gapLo : gapHi;
      if (gap * gap >= stopDistance(first, second, ratio)) break; // every remaining candidate is at least this far
      const ka = order[takeLo ? lo-- : hi++] as number,
        offA = ka * P;
      let distance = 0;
      for (let p = 0; p < P && distance < second; p++) {
        const diff = (A[offA + p] as number) - (B[offB + p] as number);
        distance += diff * diff;
      }
      if (distance < first) {
        second = first;
        first = distance;
        firstIndex = ka;
      } else if (distance < second) second = distance;
    }
    best[kb] = firstIndex;
    bestDistance[kb] = first;
    secondDistance[kb] = second;
  }
  return { best, bestDistance, secondDistance };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
