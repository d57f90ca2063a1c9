// Fine-tune diff of same-shape models (seed Figure 3-1), read through the storage grid (docs/methods.md
// §0.4): a 16-bit value only changes when its update crosses half a grid gap, and the gap grows
// with |γ|, so one uniform update already "changes" small early-layer γ more. Per layer we estimate
// the update size σ_l that b = round(a + δ), δ ~ N(0, σ_l²), needs, and test one σ for all layers.
import { erfc } from './erfc';
import { sampleMoments } from './stats';
import { comparisonGrid, gapClass, gapsOf, modelGrid, onGrid, ordinal, storageCodes, valueAt } from './storageGrid';
import type { StorageGrid } from './storageGrid';
import type { LoadedModel, NormRole } from './types';
import { estimateScale, IntervalCounts } from './updateScale';
import { judgeUpdate } from './updateShape';
import type { UpdateVerdict } from './updateShape';

export { erfc } from './erfc';
export { comparisonGrid } from './storageGrid';
export type { StorageGrid } from './storageGrid';

export interface ObservedDiff {
  a: number;
  b: number;
  norm: NormRole;
  /** grid whose stored codes were compared (F32 when the dtypes differ or values are off-grid) */
  grid: StorageGrid;
  /** share of dimensions whose stored bits differ; NaN where a layer lacks the role */
  changedFraction: number[];
  /** mean over all dimensions of |b − a| */
  meanAbsDiff: number[];
  /** every stored bit equal */
  identical: boolean[];
  /** mean grid steps (ulps) moved by the values that changed; NaN if none changed */
  meanUlpsChanged: number[];
  /**
   * median of the same: a value that crosses zero passes every tiny grid value in between (tens of
   * thousands of steps), so the mean of a layer whose γ sits near 0 says little
   */
  medianUlpsChanged: number[];
  /** share of the changed values that moved by exactly one grid step */
  oneUlpShare: number[];
}

export interface FineTuneDiff extends ObservedDiff {
  /** changed share expected if one update δ ~ N(0, deltaSigma²) hit every value and was rounded */
  predictedChangedFraction: number[];
  /** the one σ fitted to every layer (the verdict's uniform σ), or the one given */
  deltaSigma: number;
  deltaSigmaSource: 'fit' | 'given';
  /** storage dtypes of a and b as the models declare them */
  dtypes: [string, string];
  /** the grid b's values lie on: the update is read as b = round(a + δ) on it */
  updateGrid: StorageGrid;
  /** maximum-likelihood σ_l per layer (0: no update needed, only an upper bound); NaN without values */
  updateScale: number[];
  /** its 95% profile-likelihood interval per layer; [NaN, NaN] without values */
  updateScaleInterval: [number, number][];
  /** one σ against σ per layer, and which way the update goes with depth; null without values */
  verdict: UpdateVerdict | null;
  /** mean of b − a per layer: the update model has mean 0, so a shift shows up inside σ_l */
  meanShift: number[];
  /** layers whose mean shift is over a quarter of σ_l and over 5 standard errors */
  shiftedLayers: number[];
}

/** Mean of b − a and whether it is large (> σ/4) and clear (> 5 standard errors of the mean). */
function shiftOf(va: Float32Array, vb: Float32Array, sigma: number): { mean: number; shifted: boolean } {
  const { mean, sd, count } = sampleMoments(Float64Array.from(va, (a, k) => vb[k]! - a));
  const se = sd / Math.sqrt(count);
  return { mean, shifted: sigma > 0 && Math.abs(mean) > sigma / 4 && Math.abs(mean) > 5 * se };
}

const increment = (map: Map<number, number>, key: number) => map.set(key, (map.get(key) ?? 0) + 1);

/** P(round(γ + δ) ≠ γ): δ leaves the rounding cell [γ − down/2, γ + up/2]. */
export function changeProbability(up: number, down: number, sigma: number): number {
  if (sigma <= 0) return 0;
  return 0.5 * (erfc(up / (2 * sigma * Math.SQRT2)) + erfc(down / (2 * sigma * Math.SQRT2)));
}

/** Same hidden size and same number of decoder layers: the pairs a diff is defined for. */
export function sameShape(a: LoadedModel, b: LoadedModel): boolean {
  return a.hiddenSize === b.hiddenSize && a.layers.length === b.layers.length;
}

type LayerPair = readonly [Float32Array, Float32Array] | null;
interface Pairs {
  pairs: LayerPair[];
  grid: StorageGrid;
  gridB: StorageGrid;
  dtypes: [string, string];
}

function layerPairs(models: LoadedModel[], a: number, b: number, norm: NormRole): Pairs {
  const ma = models[a],
    mb = models[b];
  if (!ma || !mb || !sameShape(ma, mb))
    throw new Error(`Models ${a} and ${b} do not have the same shape; a diff needs equal layers and widths.`);
  // Gemma-style norms are stored as γ − 1: the storage grid is that of the stored values, so the
  // shift both models added is taken off again (exact wherever 1 + w was exact in float32)
  const shift = ma.roleShifts?.[norm] ?? 0;
  const unshift =
    shift !== 0 && mb.roleShifts?.[norm] === shift
      ? (v: Float32Array) => v.map((x) => x - shift)
      : (v: Float32Array) => v;
  const pairs = ma.layers.map((layer, l): LayerPair => {
    const x = layer[norm],
      y = mb.layers[l]?.[norm];
    return x && y && x.length === y.length ? [unshift(x), unshift(y)] : null;
  });
  const present = pairs.filter((p) => p !== null);
  return {
    pairs,
    grid: comparisonGrid(ma.dtype, mb.dtype, present.flat()),
    gridB: modelGrid(
      mb.dtype,
      present.map((p) => p[1]),
    ),
    dtypes: [ma.dtype, mb.dtype],
  };
}

function observe(a: number, b: number, norm: NormRole, { pairs, grid }: Pairs): ObservedDiff {
  const out: ObservedDiff = {
    a,
    b,
    norm,
    grid,
    changedFraction: [],
    meanAbsDiff: [],
    identical: [],
    meanUlpsChanged: [],
    medianUlpsChanged: [],
    oneUlpShare: [],
  };
  for (const pair of pairs) {
    if (!pair) {
      for (const key of [
        'changedFraction',
        'meanAbsDiff',
        'meanUlpsChanged',
        'medianUlpsChanged',
        'oneUlpShare',
      ] as const)
        out[key].push(NaN);
      out.identical.push(false);
      continue;
    }
    const [va, vb] = pair,
      ca = storageCodes(va, grid),
      cb = storageCodes(vb, grid);
    let changed = 0,
      absSum = 0,
      ulpSum = 0,
      oneUlp = 0;
    const stepCounts: number[] = [];
    for (let k = 0; k < va.length; k++) {
      absSum += Math.abs(vb[k]! - va[k]!);
      if (ca[k] === cb[k]) continue;
      changed++;
      const steps = Math.abs(ordinal(ca[k]!, grid) - ordinal(cb[k]!, grid));
      ulpSum += steps;
      stepCounts.push(steps);
      if (steps === 1) oneUlp++;
    }
    out.changedFraction.push(changed / va.length);
    out.meanAbsDiff.push(absSum / va.length);
    out.identical.push(changed === 0);
    out.meanUlpsChanged.push(changed ? ulpSum / changed : NaN);
    stepCounts.sort((x, y) => x - y);
    const mid = stepCounts.length >> 1;
    const median = stepCounts.length % 2 ? stepCounts[mid]! : (stepCounts[mid - 1]! + stepCounts[mid]!) / 2;
    out.medianUlpsChanged.push(changed ? median : NaN);
    out.oneUlpShare.push(changed ? oneUlp / changed : NaN);
  }
  return out;
}

/** x rounded away from 0's side it is on to 8 significant bits: down for a lower end, up for an upper one. */
function coarsen(x: number, up: boolean): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const step = 2 ** (Math.floor(Math.log2(Math.abs(x))) - 7);
  return (up ? Math.ceil(x / step) : Math.floor(x / step)) * step;
}

/**
 * The δ interval each stored b implies, b's rounding cell on its grid shifted by −a; a is used
 * exactly, so a base on another (finer) grid is handled too. On a shared 16-bit grid the intervals
 * take few distinct values. Off it (an F32 grid, or a base off b's grid) they form a continuum, so
 * their ends are widened outward to 8 significant bits (δ known to ±0.4%): each interval still holds
 * the exact one, and the fit stays fast.
 */
function deltaIntervals(va: Float32Array, vb: Float32Array, gridB: StorageGrid): IntervalCounts {
  const intervals = new IntervalCounts(),
    stay = new Map<number, number>();
  const ca = storageCodes(va, gridB),
    cb = storageCodes(vb, gridB);
  const continuum = gridB === 'F32' || !onGrid([va], gridB);
  for (let k = 0; k < va.length; k++) {
    const x = va[k]!,
      y = vb[k]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (ca[k] === cb[k] && x === y) {
      increment(stay, gapClass(cb[k]!, gridB));
      continue;
    }
    const [up, down] = gapsOf(cb[k]!, gridB);
    const lo = y - x - down / 2,
      hi = y - x + up / 2;
    if (continuum) intervals.add(coarsen(lo, false), coarsen(hi, true));
    else intervals.add(lo, hi);
  }
  for (const [key, count] of stay) {
    const [up, down] = gapsOf(key, gridB);
    intervals.add(-down / 2, up / 2, count);
  }
  return intervals;
}

/** Expected share of a's values whose stored value differs after round(a + δ) on b's grid. */
function predictedChange(va: Float32Array, gridB: StorageGrid, sigma: number): number {
  const codes = storageCodes(va, gridB),
    classes = new Map<number, number>();
  let n = 0,
    offGrid = 0;
  for (let k = 0; k < va.length; k++) {
    if (!Number.isFinite(va[k]!)) continue;
    n++;
    if (valueAt(ordinal(codes[k]!, gridB), gridB) !== va[k])
      offGrid++; // re-storing alone changes it
    else increment(classes, gapClass(codes[k]!, gridB));
  }
  let expected = offGrid;
  for (const [key, count] of classes) expected += count * changeProbability(...gapsOf(key, gridB), sigma);
  return n ? expected / n : NaN;
}

/** The observed diff, σ_l per layer, one σ against σ_l, and the rounding-alone prediction (σ fitted or given). */
export function fineTuneDiff(
  models: LoadedModel[],
  a: number,
  b: number,
  norm: NormRole,
  options: { deltaSigma?: number } = {},
): FineTuneDiff {
  const found = layerPairs(models, a, b, norm);
  const observed = observe(a, b, norm, found);
  const intervals = found.pairs.map((pair) => (pair ? deltaIntervals(pair[0], pair[1], found.gridB) : null));
  const perLayer = intervals.map((iv) => (iv ? estimateScale(iv) : null));
  const verdict = judgeUpdate(intervals, perLayer);
  const sigma = options.deltaSigma ?? verdict?.test.uniform.sigma ?? 0;
  const shifts = found.pairs.map((pair, l) =>
    pair ? shiftOf(pair[0], pair[1], perLayer[l]?.sigma ?? 0) : { mean: NaN, shifted: false },
  );
  return {
    ...observed,
    predictedChangedFraction: found.pairs.map((pair) => (pair ? predictedChange(pair[0], found.gridB, sigma) : NaN)),
    deltaSigma: sigma,
    deltaSigmaSource: options.deltaSigma === undefined ? 'fit' : 'given',
    dtypes: found.dtypes,
    updateGrid: found.gridB,
    updateScale: perLayer.map((e) => e?.sigma ?? NaN),
    updateScaleInterval: perLayer.map((e) => (e ? [e.low, e.high] : [NaN, NaN])),
    verdict,
    meanShift: shifts.map((x) => x.mean),
    shiftedLayers: shifts.flatMap((x, l) => (x.shifted ? [l] : [])),
  };
}
