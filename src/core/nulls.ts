// Permutation nulls for Pearson r between γ vectors (docs/methods.md §4.1–4.3). Under "B was
// trained independently of A", B's hidden dimensions are exchangeable under ONE permutation
// shared by all its tensors, so each null draw permutes every layer of B the same way.
import { spearman } from './metrics';
import { permutationPValue, sampleMoments } from './stats';
import { identityOrder, seededRandom, shuffleInPlace } from './random';
import { dotMatrix, maskInvalid, permutedDotSession, standardizeRows } from './permutationKernel';

/** Family-wise error rate for the heatmap's max-statistic threshold. */
export const HEATMAP_ALPHA = 0.05;
/** Floating-point slack when counting null draws that reach the observed value. */
const TIE_TOLERANCE = 1e-12;

export interface NullSummary {
  mean: number;
  sd: number;
}

/** Pitman: for ANY fixed vectors, r under a uniform permutation has mean 0 and variance exactly 1/(d−1). */
export function analyticNull(d: number): NullSummary {
  return { mean: 0, sd: d > 1 ? 1 / Math.sqrt(d - 1) : NaN };
}

export interface PermutationOptions {
  /** draws; with `sequential`, the most draws */
  permutations: number;
  seed: number;
  /** stop as soon as the answer is clear (whole-model test only); see sharedPermutationTest */
  sequential?: SequentialStop;
}

/**
 * Besag & Clifford (1991) sequential Monte Carlo p-value: draw until `h` null statistics have
 * reached the observed one, or until the most draws N. Stopped at the h-th exceedance after n
 * draws, p = h/n; otherwise, with k < h exceedances in N draws, p = (k+1)/(N+1), the usual Monte
 * Carlo p. Either way P(p ≤ α) ≤ α under the null: the p-value is exact (valid), not an estimate.
 * Unrelated pairs stop after about h/p draws; related ones need all N, and N = 99 is the fewest
 * that can give p ≤ 0.01.
 */
export interface SequentialStop {
  h: number;
  /**
   * Draws whose max |r| fix the heatmap threshold before any statistic is evaluated (an alignment
   * rule needs it). The critical value of M draws at α = 5% is exact for M = 19 (1 in 20).
   */
  pilot?: number;
}

/** The sequential stop of the family scan: h = 10, the first 19 draws set the cell threshold. */
export const SEQUENTIAL_DEFAULT: Required<SequentialStop> = { h: 10, pilot: 19 };

export interface PairTest {
  pearson: number;
  /** rank-based, robust to outlier channels; shown beside Pearson, not tested */
  spearman: number;
  /** two-sided, (1 + #{|r_π| ≥ |r|}) / (N + 1) */
  pValue: number;
  /** r divided by the empirical null sd (heavy tails make the analytic sd optimistic) */
  z: number;
  nullSd: number;
  analyticSd: number;
  permutations: number;
}

/** One layer pair: Monte Carlo permutation p-value and z for its Pearson r. */
export function permutationTestPair(a: Float32Array, b: Float32Array, options: PermutationOptions): PairTest {
  const d = a.length;
  const rows = standardizeRows([a, b], d);
  const x = rows.values.subarray(0, d),
    y = rows.values.subarray(d, 2 * d);
  const analyticSd = analyticNull(d).sd;
  if (!rows.valid[0] || !rows.valid[1]) {
    return { pearson: NaN, spearman: NaN, pValue: NaN, z: NaN, nullSd: NaN, analyticSd, permutations: 0 };
  }
  let observed = 0;
  for (let k = 0; k < d; k++) observed += (x[k] as number) * (y[k] as number);
  const order = identityOrder(d),
    random = seededRandom(options.seed);
  const n = options.permutations,
    draws = new Float64Array(n);
  let reached = 0;
  for (let draw = 0; draw < n; draw++) {
    shuffleInPlace(order, random);
    let r = 0;
    for (let k = 0; k < d; k++) r += (x[order[k] as number] as number) * (y[k] as number);
    if (Math.abs(r) >= Math.abs(observed) - TIE_TOLERANCE) reached++;
    draws[draw] = r;
  }
  const nullSd = sampleMoments(draws).sd;
  return {
    pearson: observed,
    spearman: spearman(a, b),
    pValue: permutationPValue(reached, n),
    z: observed / nullSd,
    nullSd,
    analyticSd,
    permutations: n,
  };
}

/**
 * Picks the layer pairs of the whole-model statistic from a Pearson matrix. Re-applied to every
 * permuted matrix, so choosing pairs by looking at the data (an alignment) is part of the null.
 * The permuted matrices are kept until the threshold is known: 4·N·rows·cols bytes (1.7 MB at 46×46×200).
 */
export type PairRule = (pearson: Float64Array, rows: number, cols: number, cellThreshold: number) => [number, number][];

export interface SharedTest {
  rows: number;
  cols: number;
  d: number;
  /** observed Pearson matrix, rows×cols, NaN where a layer is not comparable */
  observedMatrix: Float64Array;
  /** the pairs behind `observed` (after the rule, if one was given) */
  pairs: [number, number][];
  /** mean r over `pairs` */
  observed: number;
  nullMean: number;
  nullSd: number;
  z: number;
  /** one-sided (shared ancestry raises r): (1 + #{T_π ≥ T}) / (N + 1), or h/n when stopped early */
  pValue: number;
  /** null draws reaching the observed statistic */
  reached: number;
  /** true when a sequential test stopped at its h-th exceedance, before N draws */
  stoppedEarly: boolean;
  /** the most draws asked for (= permutations unless stopped early) */
  maxPermutations: number;
  /** null draws of max |r| over all cells, ascending (Westfall–Young) */
  maxNull: Float64Array;
  /** |r| above this is significant at family-wise α = HEATMAP_ALPHA over the whole heatmap */
  cellThreshold: number;
  observedMax: number;
  maxPValue: number;
  permutations: number;
  timeMs: number;
}

function meanOverPairs(matrix: ArrayLike<number>, cols: number, pairs: [number, number][]): number {
  let total = 0,
    count = 0;
  for (const [i, j] of pairs) {
    const r = matrix[i * cols + j] as number;
    if (!Number.isNaN(r)) {
      total += r;
      count++;
    }
  }
  return count > 0 ? total / count : NaN;
}

function maxAbs(matrix: Float64Array): number {
  let max = 0;
  for (let c = 0; c < matrix.length; c++) {
    const r = Math.abs(matrix[c] as number);
    if (r > max) max = r; // NaN compares false and is skipped
  }
  return max;
}

/** The ⌈(1−α)(N+1)⌉-th smallest null value: the usual Monte Carlo critical value. */
export function criticalValue(sortedNull: Float64Array, alpha: number): number {
  const rank = Math.min(sortedNull.length, Math.ceil((1 - alpha) * (sortedNull.length + 1)));
  return sortedNull[Math.max(0, rank - 1)] ?? NaN;
}

/**
 * Whole-model test: mean r over layer pairs, against draws that permute all of B's layers with
 * one shared permutation. Never combines per-layer p-values (they share the symmetry, so they
 * are dependent). Permuting A's columns instead of B's gives the same distribution, since
 * Σ_k a_ik b_j,π(k) = Σ_m a_i,π⁻¹(m) b_jm and π⁻¹ is uniform too; B then stays in place.
 */
export function sharedPermutationTest(
  rowsA: Float32Array[],
  rowsB: Float32Array[],
  pairs: [number, number][] | PairRule,
  options: PermutationOptions,
): SharedTest {
  if (options.sequential) return sequentialSharedTest(rowsA, rowsB, pairs, options, options.sequential);
  const started = performance.now();
  const s = sharedSetup(rowsA, rowsB, options.seed);
  const { rows, cols, cells } = s,
    n = options.permutations;
  const matrix = new Float64Array(cells);
  const maxNull = new Float64Array(n),
    statisticNull = new Float64Array(n);
  // A rule needs the threshold, known only after all draws: keep the permuted matrices (float32 is plenty).
  const kept = typeof pairs === 'function' ? new Float32Array(n * cells) : null;
  for (let draw = 0; draw < n; draw++) {
    s.draw(matrix);
    maxNull[draw] = maxAbs(matrix);
    if (kept) kept.set(matrix, draw * cells);
    else statisticNull[draw] = meanOverPairs(matrix, cols, pairs as [number, number][]);
  }
  maxNull.sort();
  const cellThreshold = criticalValue(maxNull, HEATMAP_ALPHA);
  const pick = (m: Float64Array): [number, number][] =>
    typeof pairs === 'function' ? pairs(m, rows, cols, cellThreshold) : pairs;
  if (kept) {
    for (let draw = 0; draw < n; draw++) {
      const m = Float64Array.from(kept.subarray(draw * cells, (draw + 1) * cells));
      statisticNull[draw] = meanOverPairs(m, cols, pick(m));
    }
  }
  const chosen = pick(s.observedMatrix);
  const observed = meanOverPairs(s.observedMatrix, cols, chosen);
  const reached = countReached(statisticNull, observed);
  return sharedResult(
    s,
    { chosen, observed, statisticNull, maxNull, cellThreshold, started },
    {
      pValue: Number.isNaN(observed) ? NaN : permutationPValue(reached, n),
      reached,
      stoppedEarly: false,
      maxPermutations: n,
      permutations: n,
    },
  );
}

interface SharedSetup {
  d: number;
  rows: number;
  cols: number;
  cells: number;
  observedMatrix: Float64Array;
  /** the next null draw: B's columns under the next shuffle, masked like the observed matrix */
  draw(into: Float64Array): void;
}

/** What both forms of the shared test start from: standardized rows, the observed matrix, seeded draws. */
function sharedSetup(rowsA: Float32Array[], rowsB: Float32Array[], seed: number): SharedSetup {
  const d = rowsA[0]?.length ?? rowsB[0]?.length ?? 0;
  const a = standardizeRows(rowsA, d),
    b = standardizeRows(rowsB, d);
  const rows = a.count,
    cols = b.count,
    cells = rows * cols;
  const observedMatrix = new Float64Array(cells);
  dotMatrix(a.values, rows, b.values, cols, d, observedMatrix);
  maskInvalid(observedMatrix, a, b);
  const order = identityOrder(d),
    random = seededRandom(seed);
  const permutedDots = permutedDotSession(a, b);
  const draw = (into: Float64Array) => {
    shuffleInPlace(order, random);
    permutedDots(order, into);
    maskInvalid(into, a, b);
  };
  return { d, rows, cols, cells, observedMatrix, draw };
}

interface SharedOutcome {
  chosen: [number, number][];
  observed: number;
  /** the statistic under each null draw */
  statisticNull: Float64Array;
  /** max |r| under each null draw, ascending */
  maxNull: Float64Array;
  cellThreshold: number;
  started: number;
}

type SharedStop = Pick<SharedTest, 'pValue' | 'reached' | 'stoppedEarly' | 'maxPermutations' | 'permutations'>;

function sharedResult(s: SharedSetup, o: SharedOutcome, stop: SharedStop): SharedTest {
  const { mean: nullMean, sd: nullSd } = sampleMoments(o.statisticNull);
  const observedMax = maxAbs(s.observedMatrix);
  return {
    rows: s.rows,
    cols: s.cols,
    d: s.d,
    observedMatrix: s.observedMatrix,
    pairs: o.chosen,
    observed: o.observed,
    nullMean,
    nullSd,
    z: nullSd > 0 ? (o.observed - nullMean) / nullSd : NaN,
    pValue: stop.pValue,
    reached: stop.reached,
    stoppedEarly: stop.stoppedEarly,
    maxPermutations: stop.maxPermutations,
    maxNull: o.maxNull,
    cellThreshold: o.cellThreshold,
    observedMax,
    maxPValue: upperTailP(o.maxNull, observedMax),
    permutations: stop.permutations,
    timeMs: performance.now() - o.started,
  };
}

/**
 * The same test with a sequential stop (SequentialStop). The first `pilot` draws fix the heatmap
 * threshold (and so the alignment rule); every draw, pilot included, is then judged by that fixed
 * rule, in draw order, so the stopping time is the h-th exceedance exactly.
 */
function sequentialSharedTest(
  rowsA: Float32Array[],
  rowsB: Float32Array[],
  pairs: [number, number][] | PairRule,
  options: PermutationOptions,
  stop: SequentialStop,
): SharedTest {
  const started = performance.now();
  const s = sharedSetup(rowsA, rowsB, options.seed);
  const { rows, cols, cells } = s,
    n = options.permutations;
  const h = Math.max(1, Math.floor(stop.h)),
    pilot = Math.max(1, Math.min(n, stop.pilot ?? SEQUENTIAL_DEFAULT.pilot));
  const maxDraws: number[] = [],
    statistics: number[] = [];
  const drawMatrix = (): Float64Array => {
    const m = new Float64Array(cells);
    s.draw(m);
    maxDraws.push(maxAbs(m));
    return m;
  };
  const pilotMatrices = Array.from({ length: pilot }, drawMatrix);
  const cellThreshold = criticalValue(Float64Array.from(maxDraws).sort(), HEATMAP_ALPHA);
  const pick = (m: Float64Array): [number, number][] =>
    typeof pairs === 'function' ? pairs(m, rows, cols, cellThreshold) : pairs;
  const chosen = pick(s.observedMatrix);
  const observed = meanOverPairs(s.observedMatrix, cols, chosen);
  let reached = 0,
    stoppedAt = 0;
  const judge = (m: Float64Array) => {
    const t = meanOverPairs(m, cols, pick(m));
    statistics.push(t);
    if (t >= observed - TIE_TOLERANCE) reached++;
    if (reached >= h && stoppedAt === 0) stoppedAt = statistics.length;
  };
  for (const m of pilotMatrices) {
    if (stoppedAt > 0) break;
    judge(m);
  }
  while (stoppedAt === 0 && statistics.length < n && !Number.isNaN(observed)) judge(drawMatrix());
  const done = statistics.length;
  // stopped after h exceedances: h / draws (Besag–Clifford); ran to the end: (reached + 1) / (draws + 1)
  const sequentialPValue = () => (stoppedAt > 0 ? h / stoppedAt : permutationPValue(reached, done));
  const maxNull = Float64Array.from(maxDraws).sort();
  const outcome = { chosen, observed, statisticNull: Float64Array.from(statistics), maxNull, cellThreshold, started };
  return sharedResult(s, outcome, {
    pValue: Number.isNaN(observed) ? NaN : sequentialPValue(),
    reached,
    stoppedEarly: stoppedAt > 0 && stoppedAt < n,
    maxPermutations: n,
    permutations: done,
  });
}

function countReached(nullDraws: Float64Array, observed: number): number {
  let reached = 0;
  for (const t of nullDraws) if (t >= observed - TIE_TOLERANCE) reached++;
  return reached;
}

function upperTailP(nullDraws: Float64Array, observed: number): number {
  return Number.isNaN(observed) ? NaN : permutationPValue(countReached(nullDraws, observed), nullDraws.length);
}
