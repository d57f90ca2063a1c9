// Permutation-robust check (docs/methods.md §4.2 caveats): a child that reordered its hidden
// channels, consistently across layers, gives r ≈ 0 index by index. Each channel's γ over
// depth is a fingerprint, so we match channels of B to channels of A on those profiles, then
// recompute r on the matched channels.
import { meanStd, pearson } from './metrics';
import { indexProfiles, nearestProfiles, type Nearest } from './channelNeighbours';
import { quantiles } from './stats';

/**
 * Squared-distance ratio best/second-best a match must beat (Lowe's ratio test, 0.6 on distances).
 * A copied channel sits far closer to its source than to any other channel; between unrelated
 * constructed models 99% of channels have a distance ratio above 0.83 (median 0.97), while a
 * 0.6σ-drift child has median 0.67.
 */
export const MATCH_RATIO = 0.36;
/**
 * Share of channels that must find a distinctive one-to-one partner. Unrelated constructed pairs
 * reach ≤ 0.002 at d = 1024–4096; a 0.6σ-drift continued-pretraining child still reaches 0.17–0.29.
 */
export const MIN_FRACTION_MATCHED = 0.05;
/** Matched r must beat identity r by this much, else the channels were not reordered. */
export const MIN_MATCH_GAIN = 0.3;
/**
 * Matched r must reach this (half the variance shared). Unrelated pairs leave too few distinctive
 * matches (< 32) to compute it at all; reordered children reach 0.88–1.0.
 */
export const MIN_MATCHED_R = 0.5;

/** Channels of B tried before committing to the full match (the screen's fraction has sd ≤ 0.022). */
const SCREEN_CHANNELS = 512;

export interface ChannelMatch {
  found: boolean;
  /** mean r over the compared layers, on distinctively matched channel pairs */
  matchedPearson: number;
  /** mean r over the same layers, channel k against channel k */
  identityPearson: number;
  /** share of B's channels with a distinctive one-to-one partner; from 512 evenly spaced channels when that screen finds too few to go on */
  fractionMatched: number;
  /** permutation-free: per-layer quantiles compared, 1 for identical distributions (descriptive only) */
  quantileSimilarity: number;
  /** for each channel of B, its matched channel of A, or −1 */
  matchOfB: Int32Array;
  timeMs: number;
}

/** Evenly spaced layer pairs over the shallower depth, so models of different depth still line up. */
export function depthGrid(layersA: number, layersB: number): [number, number][] {
  const n = Math.min(layersA, layersB);
  if (n <= 1) return n === 1 ? [[0, 0]] : [];
  return Array.from(
    { length: n },
    (_, t) =>
      [Math.round((t * (layersA - 1)) / (n - 1)), Math.round((t * (layersB - 1)) / (n - 1))] as [number, number],
  );
}

interface LayerPair {
  a: Float32Array;
  b: Float32Array;
}

/** Every comparable (layer of A, layer of B) over all roles present in both models. */
function layerPairs(rolesA: Float32Array[][], rolesB: Float32Array[][]): LayerPair[] {
  const out: LayerPair[] = [];
  rolesA.forEach((rowsA, role) => {
    const rowsB = rolesB[role] ?? [];
    for (const [i, j] of depthGrid(rowsA.length, rowsB.length)) {
      const a = rowsA[i] as Float32Array,
        b = rowsB[j] as Float32Array;
      if (meanStd(a).std > 0 && meanStd(b).std > 0) out.push({ a, b }); // NaN std skips missing layers
    }
  });
  return out;
}

/** Channel-major profiles: profile[k*P + p] = layer p's value at channel k, standardized per layer. */
function profiles(rows: Float32Array[], d: number): Float64Array {
  const P = rows.length,
    out = new Float64Array(d * P);
  rows.forEach((row, p) => {
    const { mean, std } = meanStd(row);
    for (let k = 0; k < d; k++) out[k * P + p] = ((row[k] as number) - mean) / std;
  });
  return out;
}

/** Greedy one-to-one: most confident matches first; a channel of A serves at most one of B. */
function assignGreedy(nearest: Nearest, d: number): Int32Array {
  const distinctive = (kb: number) =>
    (nearest.bestDistance[kb] as number) <= MATCH_RATIO * (nearest.secondDistance[kb] as number);
  const matchOfB = new Int32Array(d).fill(-1),
    taken = new Uint8Array(d);
  const byConfidence = Int32Array.from({ length: d }, (_, k) => k).sort(
    (x, y) => (nearest.bestDistance[x] as number) - (nearest.bestDistance[y] as number),
  );
  for (const kb of byConfidence) {
    const ka = nearest.best[kb] as number;
    if (ka >= 0 && distinctive(kb) && !taken[ka]) {
      taken[ka] = 1;
      matchOfB[kb] = ka;
    }
  }
  return matchOfB;
}

const QUANTILE_LEVELS = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/** 1 / (1 + W₁/σ̄): W₁ ≈ mean |quantile gap| (Wasserstein-1), σ̄ the two layers' mean std; 1 when identical. */
function quantileSimilarityOf(pair: LayerPair): number {
  const qa = quantiles(pair.a, QUANTILE_LEVELS),
    qb = quantiles(pair.b, QUANTILE_LEVELS);
  const w1 = qa.reduce((total, q, i) => total + Math.abs(q - (qb[i] as number)), 0) / qa.length;
  return 1 / (1 + w1 / ((meanStd(pair.a).std + meanStd(pair.b).std) / 2));
}

const countMatched = (matchOfB: Int32Array) => matchOfB.reduce((n, ka) => n + (ka >= 0 ? 1 : 0), 0);
const average = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN);

/** rolesA[role][layer]: pass every role both models have (input and post) so profiles are longer. */
export function matchChannels(rolesA: Float32Array[][], rolesB: Float32Array[][]): ChannelMatch {
  const started = performance.now();
  const pairs = layerPairs(rolesA, rolesB);
  const d = pairs[0]?.a.length ?? 0;
  if (pairs.some((pair) => pair.a.length !== d || pair.b.length !== d))
    throw new Error('Channel matching needs equal hidden sizes.');
  const P = pairs.length;
  const index = indexProfiles(
    profiles(
      pairs.map((p) => p.a),
      d,
    ),
    profiles(
      pairs.map((p) => p.b),
      d,
    ),
    d,
    P,
  );
  // Screen evenly spaced channels first: unrelated models (the common case, and the slow one,
  // since nothing prunes) stop there, with the screened fraction as the estimate.
  const screenSize = Math.min(d, SCREEN_CHANNELS);
  const screened = Array.from({ length: screenSize }, (_, i) => Math.floor((i * d) / screenSize));
  const screen = assignGreedy(nearestProfiles(index, screened, MATCH_RATIO), d);
  const screenFraction = d ? countMatched(screen) / screenSize : 0;
  const complete = screenSize < d && screenFraction >= MIN_FRACTION_MATCHED / 2;
  const matchOfB = complete ? assignGreedy(nearestProfiles(index, new Int32Array(d).keys(), MATCH_RATIO), d) : screen;
  const fractionMatched = complete ? countMatched(matchOfB) / d : screenFraction;
  const matchedB = Array.from(matchOfB.keys()).filter((kb) => (matchOfB[kb] as number) >= 0);
  const gather = (row: Float32Array, channels: number[]) => Float64Array.from(channels, (k) => row[k] as number);
  const matchedA = matchedB.map((kb) => matchOfB[kb] as number);
  // Pearson on a handful of matched channels is noise: require at least a few dozen.
  const matchedPearson =
    matchedB.length >= 32 ? average(pairs.map((p) => pearson(gather(p.a, matchedA), gather(p.b, matchedB)))) : NaN;
  const identityPearson = average(pairs.map((p) => pearson(p.a, p.b)));
  const found =
    fractionMatched >= MIN_FRACTION_MATCHED &&
    matchedPearson >= MIN_MATCHED_R &&
    matchedPearson - identityPearson >= MIN_MATCH_GAIN;
  return {
    found,
    matchedPearson,
    identityPearson,
    fractionMatched,
    quantileSimilarity: average(pairs.map(quantileSimilarityOf)),
    matchOfB,
    timeMs: performance.now() - started,
  };
}
