// Update size seen through the storage grid. A fine-tune stores b = round(a + δ), δ ~ N(0, σ²):
// each stored b says δ fell in b's rounding cell shifted by −a, an interval. The exact likelihood of
// σ is the product of those intervals' Gaussian probabilities, so both the share of values that
// changed and how far they moved inform σ, and a value that did not change still bounds it.
import { chiSquareSurvival } from './chiSquare';
import { normalInterval } from './erfc';

/** 95% profile-likelihood interval: the log-likelihood drop of χ²₁(0.95) / 2. */
export const INTERVAL_DROP = 1.920729410347062;

/** The δ intervals implied by stored values, with counts (few distinct ones on a 16-bit grid). */
export class IntervalCounts {
  readonly map = new Map<number, Map<number, number>>();
  add(lo: number, hi: number, count = 1): void {
    const inner = this.map.get(lo) ?? new Map<number, number>();
    inner.set(hi, (inner.get(hi) ?? 0) + count);
    this.map.set(lo, inner);
  }
  addAll(other: IntervalCounts): void {
    for (const [lo, inner] of other.map) for (const [hi, count] of inner) this.add(lo, hi, count);
  }
  sum(f: (lo: number, hi: number) => number): number {
    let total = 0;
    for (const [lo, inner] of this.map) for (const [hi, count] of inner) total += count * f(lo, hi);
    return total;
  }
  /** smallest and largest |endpoint| that is not 0: where σ can matter */
  scaleRange(): [number, number] {
    let small = Infinity,
      large = 0;
    for (const [lo, inner] of this.map) {
      for (const hi of inner.keys()) {
        for (const e of [Math.abs(lo), Math.abs(hi)])
          if (e > 0 && Number.isFinite(e)) {
            small = Math.min(small, e);
            large = Math.max(large, e);
          }
      }
    }
    return [small, large];
  }
}

export function logLikelihood(intervals: IntervalCounts, sigma: number): number {
  if (sigma > 0) return intervals.sum((lo, hi) => Math.log(normalInterval(lo, hi, sigma)));
  // σ = 0: δ = 0 exactly; a cell edge at 0 (a tie) is hit half the time
  return intervals.sum((lo, hi) => {
    if (lo < 0 && hi > 0) return 0;
    return lo === 0 || hi === 0 ? Math.log(0.5) : -Infinity;
  });
}

export interface ScaleEstimate {
  /** maximum-likelihood σ; 0 when no value needs an update (only an upper bound is known) */
  sigma: number;
  /** 95% profile-likelihood interval [low, high]; low is 0 when σ = 0 is inside */
  low: number;
  high: number;
  logLik: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** The x in [a, b] where a monotone f crosses `level` (f(a) ≥ level > f(b) or the reverse), by bisection. */
function crossing(f: (x: number) => number, a: number, b: number, level: number): number {
  const aboveAtA = f(a) >= level;
  for (let i = 0; i < 60 && Math.abs(b - a) > 1e-5; i++) {
    const m = (a + b) / 2;
    if (f(m) >= level === aboveAtA) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

/** Maximum-likelihood σ with its interval; null when there are no values. */
export function estimateScale(intervals: IntervalCounts): ScaleEstimate | null {
  if (intervals.map.size === 0) return null;
  const [small, large] = intervals.scaleRange();
  if (!(large > 0)) return null;
  const f = (logSigma: number) => logLikelihood(intervals, Math.exp(logSigma));
  let lo = Math.log(small / 1e4),
    hi = Math.log(large * 1e2);
  const atZero = logLikelihood(intervals, 0);
  if (atZero > -Infinity) {
    // every value is explained without an update: the likelihood only falls as σ grows
    const level = atZero - INTERVAL_DROP;
    for (let i = 0; i < 20 && f(hi) >= level; i++) hi += Math.log(10);
    const high = f(lo) < level ? Math.exp(lo) : Math.exp(crossing(f, lo, hi, level));
    return { sigma: 0, low: 0, high, logLik: atZero };
  }
  // scan log σ for the highest point, then refine it by golden section between its neighbours
  const steps = 32,
    xs = Array.from({ length: steps + 1 }, (_, i) => lo + ((hi - lo) * i) / steps);
  const fs = xs.map(f);
  const best = fs.indexOf(Math.max(...fs));
  let a = xs[Math.max(0, best - 1)]!,
    b = xs[Math.min(steps, best + 1)]!;
  let x1 = b - GOLDEN * (b - a),
    x2 = a + GOLDEN * (b - a),
    f1 = f(x1),
    f2 = f(x2);
  while (b - a > 1e-6) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + GOLDEN * (b - a);
      f2 = f(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - GOLDEN * (b - a);
      f1 = f(x1);
    }
  }
  const peak = (a + b) / 2,
    logLik = f(peak),
    level = logLik - INTERVAL_DROP;
  for (let i = 0; i < 20 && f(lo) >= level; i++) lo -= Math.log(10);
  for (let i = 0; i < 20 && f(hi) >= level; i++) hi += Math.log(10);
  return {
    sigma: Math.exp(peak),
    low: Math.exp(crossing(f, lo, peak, level)),
    high: Math.exp(crossing(f, peak, hi, level)),
    logLik,
  };
}

export interface UniformTest {
  /** one σ fitted to every layer at once */
  uniform: ScaleEstimate;
  /** 2 (Σ ℓ(σ_l) − ℓ(σ)): per-layer σ against one σ */
  statistic: number;
  df: number;
  /** χ²(df) tail; σ_l = 0 sits on the boundary, which makes this slightly conservative */
  pValue: number;
}

/** One σ for every layer against a σ per layer: a likelihood-ratio test with L − 1 degrees of freedom. */
export function testUniform(layers: (IntervalCounts | null)[], perLayer: (ScaleEstimate | null)[]): UniformTest | null {
  const all = new IntervalCounts();
  let perLayerLogLik = 0,
    fitted = 0;
  layers.forEach((intervals, l) => {
    const est = perLayer[l];
    if (!intervals || !est) return;
    all.addAll(intervals);
    perLayerLogLik += est.logLik;
    fitted++;
  });
  const uniform = estimateScale(all);
  if (!uniform) return null;
  const df = fitted - 1;
  // the per-layer maximum can only be higher; a tiny negative value is the optimiser's tolerance
  const statistic = Math.max(0, 2 * (perLayerLogLik - uniform.logLik));
  return { uniform, statistic, df, pValue: df > 0 ? chiSquareSurvival(statistic, df) : NaN };
}
