// One verdict per model pair and norm role, from the shared-permutation test, the effect size,
// the layer alignment and the channel-matching check (docs/methods.md §4.4). We never say
// "independent": the weakest verdict is "no evidence", with the scope of what was tested.
import { alignLayers, formatSegments } from './alignment';
import { matchChannels, type ChannelMatch } from './channelMatch';
import { fixed } from './format';
import { sharedPermutationTest, type PairRule, type SequentialStop, type SharedTest } from './nulls';

/**
 * `no-information`: Pearson r is undefined for every compared layer pair (constant norms, or no
 * layer with values on both sides). Nothing was learned; that is not evidence either way. The
 * same word as issue 14's NormBasis.verdict (core/deep/api.ts).
 */
export type Verdict = 'shared-ancestry' | 'no-evidence' | 'inconclusive' | 'no-information';

/** Draws of the shared permutation: p can reach 1/201 ≈ 0.005, below SHARED_MAX_P. */
export const DEFAULT_PERMUTATIONS = 200;
/** Whole-model permutation p needed for shared ancestry: at most 1% of shuffles reach the observed mean r. */
export const SHARED_MAX_P = 0.01;
/** And z against the same null: p bottoms out at 1/(N+1), z still tells a decisive hit (z ≈ 45 for the copies) from a marginal one. */
export const SHARED_MIN_Z = 5;
/** And effect size: r ≥ 0.3 means the shared pattern explains ≥ 9% of γ's variance (methods §4.4 asks r² > 0.1). */
export const SHARED_MIN_R = 0.3;
/** Below this p there is a signal worth reporting as "inconclusive"; above it nothing beats chance. */
export const SIGNAL_MAX_P = 0.05;
/** Independent real pairs at d = 4096 sit at mean r 0.01–0.02 (Solar–GLM 0.013, GLM–Phi 0.017–0.020): no evidence there. */
export const UNRELATED_R_CEILING = 0.02;

export interface JudgeOptions {
  permutations?: number;
  seed?: number;
  jumpPenalty?: number;
  /** every role of both models, [role][layer], for channel matching; defaults to the rows being judged */
  channelRoles?: { a: Float32Array[][]; b: Float32Array[][] };
  /** a matchChannels result computed once per model pair, reused for each role */
  channelMatch?: ChannelMatch;
  skipChannelMatch?: boolean;
  /** stop the permutations as soon as the answer is clear (Besag–Clifford; nulls.ts) */
  sequential?: SequentialStop;
}

export interface Evidence {
  verdict: Verdict;
  /** mean Pearson along the alignment, or along the layer-index diagonal when there is none */
  diagonalPearson: number;
  z: number;
  pValue: number;
  permutations: number;
  /** |r| above which a heatmap cell is significant (family-wise 5%, max statistic) */
  cellThreshold: number;
  /** matched [layer of A, layer of B]; null unless shared ancestry was found index by index */
  alignment: [number, number][] | null;
  segments: string;
  permutation: Pick<
    ChannelMatch,
    'found' | 'matchedPearson' | 'identityPearson' | 'fractionMatched' | 'quantileSimilarity'
  >;
  /** plain-words lines with numbers, for the verdict card */
  reasons: string[];
  timings: { permutationMs: number; channelMatchMs: number; totalMs: number };
}

const diagonal = (rows: number, cols: number): [number, number][] =>
  Array.from({ length: Math.min(rows, cols) }, (_, i) => [i, i]);

/** The permutation test's p-value in words: stopped early, below the resolution floor, or plain. */
function pWording(test: SharedTest, r: number, floorP: number): string {
  if (test.stoppedEarly) {
    return `${test.reached} shuffles reached ${fixed(r)} after ${test.permutations} of at most ${test.maxPermutations}, so the test stopped there (sequential Monte Carlo: p = ${test.reached}/${test.permutations} = ${fixed(test.pValue)} is a valid p-value)`;
  }
  return test.pValue <= floorP ? `no shuffle reached ${fixed(r)} (p ≤ ${fixed(floorP)})` : `p = ${fixed(test.pValue)}`;
}

/**
 * Rows of the test are the deeper model (the "child" of the alignment), since up-scaling
 * repeats parent layers; A is the child when depths are equal.
 */
export function judgePair(rowsA: Float32Array[], rowsB: Float32Array[], options: JudgeOptions = {}): Evidence {
  const index = indexTest(rowsA, rowsB, options);
  const channels: ChannelMatch | null = options.skipChannelMatch
    ? null
    : (options.channelMatch ?? matchChannels(options.channelRoles?.a ?? [rowsA], options.channelRoles?.b ?? [rowsB]));
  return verdictFrom(index, channels);
}

/** The layer-index half of a verdict: the permutation test and the observed alignment. */
export interface IndexTest {
  test: SharedTest;
  childIsB: boolean;
  observedAlignment: ReturnType<typeof alignLayers>;
  /** p, z and r all pass: shared ancestry without looking at channel order */
  indexShared: boolean;
  /** how long the test and its alignment took (ms) */
  ms: number;
}

export function indexTest(rowsA: Float32Array[], rowsB: Float32Array[], options: JudgeOptions = {}): IndexTest {
  const started = performance.now();
  const childIsB = rowsB.length > rowsA.length;
  const [child, parent] = childIsB ? [rowsB, rowsA] : [rowsA, rowsB];
  const alignmentOrDiagonal: PairRule = (matrix, rows, cols, threshold) =>
    alignLayers(matrix, rows, cols, { threshold, jumpPenalty: options.jumpPenalty })?.path ?? diagonal(rows, cols);
  const test = sharedPermutationTest(child, parent, alignmentOrDiagonal, {
    permutations: options.permutations ?? DEFAULT_PERMUTATIONS,
    seed: options.seed ?? 1,
    ...(options.sequential ? { sequential: options.sequential } : {}),
  });
  const observedAlignment = alignLayers(test.observedMatrix, test.rows, test.cols, {
    threshold: test.cellThreshold,
    jumpPenalty: options.jumpPenalty,
  });
  const indexShared = test.pValue <= SHARED_MAX_P && test.z >= SHARED_MIN_Z && test.observed >= SHARED_MIN_R;
  return { test, childIsB, observedAlignment, indexShared, ms: performance.now() - started };
}

function verdictOf(informative: boolean, shared: boolean, weakSignal: boolean): Verdict {
  if (!informative) return 'no-information';
  if (shared) return 'shared-ancestry';
  return weakSignal ? 'inconclusive' : 'no-evidence';
}

/** The verdict from the index test and (null = not run) the channel matching. */
export function verdictFrom(index: IndexTest, channels: ChannelMatch | null): Evidence {
  const { test, childIsB, observedAlignment, indexShared } = index;
  const channelsShared = channels?.found ?? false;
  const weakSignal = test.pValue <= SIGNAL_MAX_P && test.observed > UNRELATED_R_CEILING;
  const verdict = verdictOf(Number.isFinite(test.observed), indexShared || channelsShared, weakSignal);

  const labels = childIsB ? { child: 'B', parent: 'A' } : { child: 'A', parent: 'B' };
  const alignedText = observedAlignment ? formatSegments(observedAlignment.segments, labels) : '';
  const alignment =
    indexShared && observedAlignment
      ? observedAlignment.path.map(([c, p]) => (childIsB ? [p, c] : [c, p]) as [number, number])
      : null;
  return {
    verdict,
    diagonalPearson: test.observed,
    z: test.z,
    pValue: test.pValue,
    permutations: test.permutations,
    cellThreshold: test.cellThreshold,
    alignment,
    segments: alignment ? alignedText : '',
    permutation: {
      found: channelsShared,
      matchedPearson: channels?.matchedPearson ?? NaN,
      identityPearson: channels?.identityPearson ?? NaN,
      fractionMatched: channels?.fractionMatched ?? NaN,
      quantileSimilarity: channels?.quantileSimilarity ?? NaN,
    },
    reasons: explain(verdict, test, alignedText, channels),
    timings: {
      permutationMs: test.timeMs,
      channelMatchMs: channels?.timeMs ?? 0,
      // the parts may have run in different workers: their own times, summed
      totalMs: index.ms + (channels?.timeMs ?? 0),
    },
  };
}

const NO_INFORMATION =
  'Pearson r is undefined for every compared layer pair: the norm vectors are constant (every channel equal), or no layer has values in both models. ' +
  'That is no information about ancestry, not evidence either way.';

function explain(verdict: Verdict, test: SharedTest, alignedText: string, channels: ChannelMatch | null): string[] {
  if (verdict === 'no-information') return [NO_INFORMATION];
  const r = test.observed,
    floorP = 1 / (test.permutations + 1);
  const reasons = [
    alignedText
      ? `Mean Pearson r along the best layer alignment (${alignedText}) is ${fixed(r)} over ${test.pairs.length} layer pairs.`
      : `Mean Pearson r along the layer-index diagonal is ${fixed(r)} over ${test.pairs.length} layer pairs.`,
    `Shuffling the hidden dimensions of one model (one shuffle for all its layers, ${test.permutations} times, ` +
      `re-aligning each time) gives mean r ${fixed(test.nullMean)} ± ${fixed(test.nullSd)}: ` +
      pWording(test, r, floorP) +
      `, z = ${fixed(test.z, 1)}.`,
  ];
  const cellsAbove = test.observedMatrix.reduce((n, x) => n + (Math.abs(x) > test.cellThreshold ? 1 : 0), 0);
  reasons.push(
    `Heatmap cells with |r| above ${fixed(test.cellThreshold)} are significant at a 5% family-wise rate; ${cellsAbove} of ${test.rows * test.cols} are.`,
  );
  if (verdict === 'shared-ancestry' && r >= SHARED_MIN_R) {
    reasons.push(
      `r² = ${fixed(r * r, 2)}: the matched layers share ${Math.round(100 * r * r)}% of their pattern variance, far beyond chance.`,
    );
  } else if (test.pValue <= SIGNAL_MAX_P && r <= UNRELATED_R_CEILING) {
    reasons.push(
      `p is small, but r = ${fixed(r)} is within the 0.01–0.02 that independent real models show at width 4096, so it is no evidence of shared weights.`,
    );
  } else if (verdict === 'inconclusive' && r >= SHARED_MIN_R) {
    reasons.push(
      `r = ${fixed(r)} is large, but the permutation test is not decisive: shared ancestry needs p ≤ ${SHARED_MAX_P} and z ≥ ${SHARED_MIN_Z}.`,
    );
  } else if (verdict === 'inconclusive') {
    reasons.push(
      `The signal is real but weak: r = ${fixed(r)} is below ${SHARED_MIN_R} (r² < ${Math.round(100 * SHARED_MIN_R ** 2)}%), ` +
        `while independent real models show r ≈ 0.01–0.02 and derived ones r near 1.`,
    );
  }
  if (channels) {
    reasons.push(
      channels.found
        ? `Matching hidden channels by their γ profile over depth pairs ${Math.round(100 * channels.fractionMatched)}% of channels one-to-one ` +
            `and gives r = ${fixed(channels.matchedPearson)} against ${fixed(channels.identityPearson)} index by index: the channels look reordered.`
        : `Matching hidden channels by their γ profile over depth found no reordering ` +
            `(${Math.round(100 * channels.fractionMatched)}% of channels with a distinctive partner).`,
    );
  }
  if (verdict === 'no-evidence') {
    reasons.push(
      'Absence of evidence is not independence: γ is a tiny share of the weights, and these tests cannot see re-initialised or heavily retrained norms.',
    );
  }
  return reasons;
}
