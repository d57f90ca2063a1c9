// Fine-tune diff of same-shape models (seed Figure 3-1), with the rounding-alone null of
// methods.md §0.4: a BF16 value only changes when its update crosses half a grid gap, and
// the gap grows with |γ|, so a uniform update already "changes" small early-layer γ more.
import { encodeF16, f16BitsToNumber } from './dtypes';
import type { LoadedModel, NormRole } from './types';

export type StorageGrid = 'BF16' | 'F16' | 'F32';

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
  /** share of the changed values that moved by exactly one grid step */
  oneUlpShare: number[];
}

export interface FineTuneDiff extends ObservedDiff {
  /** changed share expected if one update δ ~ N(0, deltaSigma²) hit every value and was rounded */
  predictedChangedFraction: number[];
  deltaSigma: number;
  deltaSigmaSource: 'fit' | 'given';
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const SIGN = { BF16: 0x8000, F16: 0x8000, F32: 0x80000000 } as const;
const MANTISSA = { BF16: 0x7f, F16: 0x3ff, F32: 0x7fffff } as const;

/** Stored codes of decoded values: BF16 is the top half of the f32, F16 re-encodes exactly. */
function storageCodes(v: Float32Array, grid: StorageGrid): Uint32Array {
  const bits = new Uint32Array(v.buffer, v.byteOffset, v.length); // a view: read only
  if (grid === 'F32') return bits;
  const codes = new Uint32Array(v.length);
  if (grid === 'BF16') {
    for (let i = 0; i < v.length; i++) codes[i] = bits[i]! >>> 16;
    return codes;
  }
  const bytes = encodeF16(v);
  for (let i = 0; i < v.length; i++) codes[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
  return codes;
}

/** Codes → integers ordered like the values, adjacent grid values one apart (±0 → 0). */
const ordinal = (code: number, grid: StorageGrid): number =>
  code >= SIGN[grid] ? -(code - SIGN[grid]) : code;

function valueAt(ord: number, grid: StorageGrid): number {
  const code = ord >= 0 ? ord : SIGN[grid] + -ord;
  if (grid === 'F16') return f16BitsToNumber(code);
  u32[0] = grid === 'BF16' ? code << 16 : code;
  return f32[0]!;
}

/** Distances to the grid neighbours above and below a stored code. */
function gapsOf(code: number, grid: StorageGrid): [up: number, down: number] {
  const o = ordinal(code, grid), x = valueAt(o, grid);
  return [valueAt(o + 1, grid) - x, x - valueAt(o - 1, grid)];
}

/**
 * A code standing for every code with the same gaps: sign and exponent decide the spacing; a zero
 * mantissa (gap below halves) and an all-ones one (the top value's gap above is ∞) are special.
 */
function gapClass(code: number, grid: StorageGrid): number {
  const m = code & MANTISSA[grid];
  return code - m + (m === 0 ? 0 : m === MANTISSA[grid] ? m : 1);
}

const increment = (map: Map<number, number>, key: number) => map.set(key, (map.get(key) ?? 0) + 1);

/** The grid the pair is stored on, if every value really lies on it; else exact F32 bits. */
export function comparisonGrid(dtypeA: string, dtypeB: string, vectors: Float32Array[]): StorageGrid {
  if (dtypeA !== dtypeB || (dtypeA !== 'BF16' && dtypeA !== 'F16')) return 'F32';
  for (const v of vectors) {
    const codes = storageCodes(v, dtypeA);
    for (let i = 0; i < v.length; i++) {
      const back = valueAt(ordinal(codes[i]!, dtypeA), dtypeA);
      if (back !== v[i] && !Number.isNaN(v[i])) return 'F32';
    }
  }
  return dtypeA;
}

/** Complementary error function (relative error ~1e-13, ≤ 1e-12 just below 2.5): positive-term series, then a continued fraction. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    // erf x = (2/√π) e^{−x²} Σ 2ⁿ x^{2n+1} / (2n+1)!!  (no cancellation inside the sum)
    let term = x, sum = x;
    for (let n = 1; term > sum * 1e-17; n++) { term *= (2 * x * x) / (2 * n + 1); sum += term; }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  // Laplace's continued fraction erfc x = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))), evaluated bottom-up
  let f = x;
  for (let k = 50; k >= 1; k--) f = x + k / 2 / f; // 40 terms already reach full precision at x = 2.5
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** P(lo < δ < hi) for δ ~ N(0, σ²), from the tail that keeps precision. */
function normalInterval(lo: number, hi: number, sigma: number): number {
  const s = sigma * Math.SQRT2;
  if (lo >= 0) return 0.5 * (erfc(lo / s) - erfc(hi / s));
  if (hi <= 0) return 0.5 * (erfc(-hi / s) - erfc(-lo / s));
  return 1 - 0.5 * (erfc(-lo / s) + erfc(hi / s));
}

/** P(round(γ + δ) ≠ γ): δ leaves the rounding cell [γ − down/2, γ + up/2]. */
export function changeProbability(up: number, down: number, sigma: number): number {
  if (sigma <= 0) return 0;
  return 0.5 * (erfc(up / (2 * sigma * Math.SQRT2)) + erfc(down / (2 * sigma * Math.SQRT2)));
}

/** Counts keyed by a pair of numbers (grid gaps or δ intervals take few distinct values). */
class PairCounts {
  readonly map = new Map<number, Map<number, number>>();
  add(x: number, y: number, count = 1): void {
    const inner = this.map.get(x) ?? new Map<number, number>();
    inner.set(y, (inner.get(y) ?? 0) + count);
    this.map.set(x, inner);
  }
  sum(f: (x: number, y: number) => number): number {
    let total = 0;
    for (const [x, inner] of this.map) for (const [y, count] of inner) total += count * f(x, y);
    return total;
  }
}

/**
 * σ maximising the exact likelihood of the stored values under "b = round(a + δ), δ ~ N(0, σ²)":
 * each value tells which interval δ fell in (its rounding cell around b, shifted by −a).
 * The log-likelihood is concave in 1/σ, so a golden-section search on log σ finds the maximum.
 */
function fitDeltaSigma(intervals: PairCounts, anyChanged: boolean, smallestGap: number, largestStep: number): number {
  if (!anyChanged) return 0;
  const logLik = (logSigma: number) => intervals.sum((lo, hi) => Math.log(normalInterval(lo, hi, Math.exp(logSigma))));
  let lo = Math.log(smallestGap / 1e3), hi = Math.log(largestStep * 10);
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo), f1 = logLik(x1), f2 = logLik(x2);
  for (let i = 0; i < 80 && hi - lo > 1e-9; i++) {
    // −∞ on both sides means σ is too small for some observed step: move up.
    if (f1 < f2 || f1 === -Infinity) { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = logLik(x2); }
    else { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = logLik(x1); }
  }
  return Math.exp((lo + hi) / 2);
}

/** Same hidden size and same number of decoder layers: the pairs a diff is defined for. */
export function sameShape(a: LoadedModel, b: LoadedModel): boolean {
  return a.hiddenSize === b.hiddenSize && a.layers.length === b.layers.length;
}

type LayerPair = readonly [Float32Array, Float32Array] | null;

function layerPairs(models: LoadedModel[], a: number, b: number, norm: NormRole): { pairs: LayerPair[]; grid: StorageGrid } {
  const ma = models[a], mb = models[b];
  if (!ma || !mb || !sameShape(ma, mb)) throw new Error(`Models ${a} and ${b} do not have the same shape; a diff needs equal layers and widths.`);
  const pairs = ma.layers.map((layer, l): LayerPair => {
    const x = layer[norm], y = mb.layers[l]?.[norm];
    return x && y && x.length === y.length ? [x, y] : null;
  });
  return { pairs, grid: comparisonGrid(ma.dtype, mb.dtype, pairs.flatMap((p) => p ?? [])) };
}

/** What changed between base model a and model b, per layer of one norm role: stored bits, |Δ|, ulps. */
export function observedDiff(models: LoadedModel[], a: number, b: number, norm: NormRole): ObservedDiff {
  return observe(a, b, norm, layerPairs(models, a, b, norm));
}

function observe(a: number, b: number, norm: NormRole, { pairs, grid }: ReturnType<typeof layerPairs>): ObservedDiff {
  const out: ObservedDiff = { a, b, norm, grid, changedFraction: [], meanAbsDiff: [], identical: [], meanUlpsChanged: [], oneUlpShare: [] };
  for (const pair of pairs) {
    if (!pair) {
      for (const key of ['changedFraction', 'meanAbsDiff', 'meanUlpsChanged', 'oneUlpShare'] as const) out[key].push(NaN);
      out.identical.push(false);
      continue;
    }
    const [va, vb] = pair, ca = storageCodes(va, grid), cb = storageCodes(vb, grid);
    let changed = 0, absSum = 0, ulpSum = 0, oneUlp = 0;
    for (let k = 0; k < va.length; k++) {
      absSum += Math.abs(vb[k]! - va[k]!);
      if (ca[k] === cb[k]) continue;
      changed++;
      const steps = Math.abs(ordinal(ca[k]!, grid) - ordinal(cb[k]!, grid));
      ulpSum += steps;
      if (steps === 1) oneUlp++;
    }
    out.changedFraction.push(changed / va.length);
    out.meanAbsDiff.push(absSum / va.length);
    out.identical.push(changed === 0);
    out.meanUlpsChanged.push(changed ? ulpSum / changed : NaN);
    out.oneUlpShare.push(changed ? oneUlp / changed : NaN);
  }
  return out;
}

/** The observed diff plus the rounding-alone prediction, with σ fitted to all layers or given. */
export function fineTuneDiff(models: LoadedModel[], a: number, b: number, norm: NormRole, options: { deltaSigma?: number } = {}): FineTuneDiff {
  const { pairs, grid } = layerPairs(models, a, b, norm);
  const observed = observe(a, b, norm, { pairs, grid });
  const fitting = options.deltaSigma === undefined;
  const intervals = new PairCounts(); // the δ interval each stored value implies, for the fit
  let smallestGap = Infinity, largestStep = 0;
  const gapsPerLayer = pairs.map((pair) => {
    if (!pair) return null;
    const [va, vb] = pair, ca = storageCodes(va, grid), cb = storageCodes(vb, grid);
    const classes = new Map<number, number>(), stay = new Map<number, number>();
    for (let k = 0; k < va.length; k++) {
      const x = va[k]!, y = vb[k]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      increment(classes, gapClass(ca[k]!, grid));
      if (!fitting) continue;
      if (ca[k] === cb[k]) increment(stay, gapClass(ca[k]!, grid));
      else {
        const [upB, downB] = gapsOf(cb[k]!, grid);
        intervals.add(y - x - downB / 2, y - x + upB / 2); // a + δ rounds to b
        largestStep = Math.max(largestStep, Math.abs(y - x) + upB);
      }
    }
    for (const [key, count] of stay) {
      const [up, down] = gapsOf(key, grid);
      intervals.add(-down / 2, up / 2, count); // unchanged: δ stayed inside the value's own cell
    }
    const gaps = [...classes].map(([key, count]) => [...gapsOf(key, grid), count] as const);
    for (const [up, down] of gaps) smallestGap = Math.min(smallestGap, up, down);
    return gaps;
  });
  const anyChanged = observed.changedFraction.some((f) => f > 0);
  const sigma = options.deltaSigma ?? fitDeltaSigma(intervals, anyChanged, smallestGap, largestStep);
  const predictedChangedFraction = gapsPerLayer.map((gaps) => {
    if (!gaps) return NaN;
    let n = 0, expected = 0;
    for (const [up, down, count] of gaps) { n += count; expected += count * changeProbability(up, down, sigma); }
    return n ? expected / n : NaN;
  });
  return { ...observed, predictedChangedFraction, deltaSigma: sigma, deltaSigmaSource: fitting ? 'fit' : 'given' };
}
