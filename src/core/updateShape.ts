// Does one update size explain every layer, or does the update itself change with depth? The rule,
// stated in the diff view: one size holds when the likelihood-ratio test does not reject it at
// UNIFORM_ALPHA, or when no layer's 95% interval lies outside UNIFORM_BAND× of the one σ (with
// thousands of values per layer, even tiny real differences are significant). Otherwise the first
// and last thirds of the layers, each fitted with one σ, say which way it goes: it falls (rises)
// with depth when their 95% intervals do not overlap and they differ by UNIFORM_BAND× or more;
// anything else varies irregularly.
import type { IntervalCounts, ScaleEstimate, UniformTest } from './updateScale';
import { estimateScale, IntervalCounts as Counts, testUniform } from './updateScale';

export const UNIFORM_ALPHA = 0.01;
export const UNIFORM_BAND = 1.5;

/** none: no value needs an update; falls / rises: larger in the early / deep layers; irregular: neither. */
export type UpdateShape = 'none' | 'uniform' | 'falls' | 'rises' | 'irregular';

export interface DepthGroup {
  first: number;
  last: number;
  estimate: ScaleEstimate;
}

export interface UpdateVerdict {
  shape: UpdateShape;
  uniformExplains: boolean;
  test: UniformTest;
  early: DepthGroup | null;
  deep: DepthGroup | null;
  /** σ of the first third over σ of the last third (∞ when only the early third moved) */
  ratio: number;
  /** the larger third's σ over the smaller's, at the least their 95% intervals allow (≤ 1 when they overlap) */
  ratioAtLeast: number;
  /** layers whose 95% interval lies wholly above / below the band around the one σ */
  above: number[];
  below: number[];
}

function pooled(layers: number[], intervals: (IntervalCounts | null)[]): DepthGroup | null {
  const all = new Counts();
  for (const l of layers) all.addAll(intervals[l]!);
  const estimate = estimateScale(all);
  return estimate && layers.length ? { first: layers[0]!, last: layers[layers.length - 1]!, estimate } : null;
}

export function judgeUpdate(
  intervals: (IntervalCounts | null)[],
  perLayer: (ScaleEstimate | null)[],
): UpdateVerdict | null {
  const test = testUniform(intervals, perLayer);
  if (!test) return null;
  const fitted = perLayer.flatMap((e, l) => (e && intervals[l] ? [l] : []));
  const k = Math.max(1, Math.floor(fitted.length / 3));
  const early = pooled(fitted.slice(0, k), intervals);
  const deep = fitted.length >= 2 ? pooled(fitted.slice(fitted.length - k), intervals) : null;
  const sigma = test.uniform.sigma;
  const above = sigma > 0 ? fitted.filter((l) => perLayer[l]!.low > sigma * UNIFORM_BAND) : [];
  const below = sigma > 0 ? fitted.filter((l) => perLayer[l]!.high < sigma / UNIFORM_BAND) : [];
  const e = early?.estimate,
    d = deep?.estimate;
  const ratio = e && d ? e.sigma / d.sigma : NaN;
  const ratioAtLeast = e && d ? Math.max(e.low / d.high, d.low / e.high) : NaN;
  const uniformExplains = sigma === 0 || !(test.pValue < UNIFORM_ALPHA) || (above.length === 0 && below.length === 0);
  let shape: UpdateShape;
  if (sigma === 0) shape = 'none';
  else if (uniformExplains) shape = 'uniform';
  else if (e && d && e.low > d.high && ratio >= UNIFORM_BAND) shape = 'falls';
  else if (e && d && d.low > e.high && 1 / ratio >= UNIFORM_BAND) shape = 'rises';
  else shape = 'irregular';
  return { shape, uniformExplains, test, early, deep, ratio, ratioAtLeast, above, below };
}
