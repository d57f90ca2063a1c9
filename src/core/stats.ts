// Per-layer descriptive statistics of a γ vector (docs/solar-glm-revisited.md B.3, C, F.7),
// matching numpy's definitions so numbers agree with the reference scripts, and the permutation
// p-value every null uses. Mean and std are metrics.ts's meanStd (two-pass, population divisor).
import { meanStd } from './metrics';

export interface LayerStats {
  mean: number;
  /** population std (divisor d), numpy's default */
  std: number;
  min: number;
  max: number;
  /** Euclidean norm ‖γ‖ */
  l2: number;
}

/** Mean, population std, min, max and L2 norm, accumulated in float64. NaN for an empty vector. */
export function layerStats(v: ArrayLike<number>): LayerStats {
  const n = v.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, l2: 0 };
  let min = Infinity,
    max = -Infinity,
    squares = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    squares += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { ...meanStd(v), min, max, l2: Math.sqrt(squares) };
}

/**
 * Monte Carlo permutation p-value: (1 + #{null draws reaching the observed}) / (draws + 1). The
 * observed arrangement counts as one of the draws, so p is never 0 and the test keeps its size.
 */
export function permutationPValue(reached: number, draws: number): number {
  return (1 + reached) / (draws + 1);
}

/**
 * Mean and sample standard deviation (divisor count − 1) of the finite values, as null draws and
 * differences are summarized; NaN sd for fewer than two. One pass: these sit near zero, not near 1.
 */
export function sampleMoments(values: ArrayLike<number>): { mean: number; sd: number; count: number } {
  let count = 0,
    sum = 0,
    squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    count++;
    sum += v;
    squares += v * v;
  }
  if (count < 2) return { mean: count ? sum : NaN, sd: NaN, count };
  const mean = sum / count;
  return { mean, sd: Math.sqrt(Math.max(0, (squares - count * mean * mean) / (count - 1))), count };
}

export interface Histogram {
  /** bins + 1 edges, evenly spaced from lo to hi (numpy.linspace) */
  edges: Float64Array;
  /** per-bin counts, or probability densities when density was asked for */
  values: Float64Array;
  density: boolean;
  /** values that fell in [lo, hi] */
  inRange: number;
  /** values below lo, above hi, and NaN: reported so a plot can say what it left out */
  below: number;
  above: number;
  nan: number;
}

/**
 * numpy.histogram(v, bins, range=(lo, hi), density): half-open bins [e_i, e_i+1)
 * except the last, which includes hi; values outside [lo, hi] are not binned.
 */
export function histogram(
  v: ArrayLike<number>,
  bins: number,
  lo: number,
  hi: number,
  options: { density?: boolean } = {},
): Histogram {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`Histogram needs a positive whole number of bins, got ${bins}.`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new RangeError(`Histogram range must be finite with lo < hi, got [${lo}, ${hi}].`);
  }
  const step = (hi - lo) / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * step));
  const values = new Float64Array(bins);
  let below = 0,
    above = 0,
    nan = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (Number.isNaN(x)) nan++;
    else if (x < lo) below++;
    else if (x > hi) above++;
    else values[binIndex(x, edges, bins, lo, hi)]! += 1;
  }
  const inRange = v.length - below - above - nan;
  const density = options.density === true;
  if (density) {
    // numpy's order of operations: count / width / total
    for (let b = 0; b < bins; b++)
      values[b] = (values[b] as number) / ((edges[b + 1] as number) - (edges[b] as number)) / inRange;
  }
  return { edges, values, density, inRange, below, above, nan };
}

/** numpy's fast path: scale to a bin, then nudge by one where rounding disagrees with the edges. */
function binIndex(x: number, edges: Float64Array, bins: number, lo: number, hi: number): number {
  let index = Math.min(Math.floor(((x - lo) / (hi - lo)) * bins), bins - 1);
  if (x < (edges[index] as number)) index--;
  else if (index < bins - 1 && x >= (edges[index + 1] as number)) index++;
  return index;
}

/**
 * numpy.quantile(v, qs) with the default 'linear' method: position (n−1)·q in the sorted data,
 * interpolated between neighbours. NaN if the data is empty or holds a NaN (numpy propagates it).
 */
export function quantiles(v: ArrayLike<number>, qs: number[]): number[] {
  for (const q of qs) {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`Quantiles must lie in [0, 1], got ${q}.`);
  }
  const sorted = Float64Array.from(v).sort();
  const n = sorted.length;
  if (n === 0 || Number.isNaN(sorted[n - 1])) return qs.map(() => NaN); // typed sort puts NaN last
  return qs.map((q) => {
    const position = (n - 1) * q;
    const below = Math.floor(position);
    const t = position - below;
    const a = sorted[below] as number,
      b = sorted[Math.min(below + 1, n - 1)] as number;
    // numpy's _lerp: interpolate from the nearer end so q = 1 returns the maximum exactly
    return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
  });
}
