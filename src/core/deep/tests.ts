// The two tests of the deep check.
//
// 1. Unit matching (primary; Zhu et al.'s CSU idea, docs/methods.md §2.4, on row blocks): in each sampled
//    layer, the SAME block of k MLP units (rows of gate and up) in both models. Each unit's signature
//    is its gate and up rows read through the hidden alignment (computed from embeddings only); the
//    k×k correlation matrix of signatures is matched one-to-one (Hungarian, max Σ r) and we count fixed
//    points, units matched to the unit with the same index. Under H₀ "B trained from an initialisation
//    independent of A", B's units within a layer are exchangeable: relabelling them (rows of gate/up with
//    columns of down) computes the same function, the initialisation's law and training are invariant
//    to it, and it touches no embedding, so the alignment is unchanged. Given the set of units in the
//    block, their order is uniform, the matching (equivariant) is composed with it, and the fixed-point
//    count is that of a uniform permutation: the rencontres law, exactly. Layers relabel independently,
//    so the total is the exact convolution. Blind to a derivative that permuted its units (then the
//    block holds other units): a false negative, never a false positive.
// 2. Down-Gram (secondary, for permuted units): rows of down (hidden dims, over ALL units) of A's block
//    of dims S and of B's matched dims π(S). cos between two hidden dims over the units does not depend
//    on the unit order, so the m×m matrices of A and B can be compared (Mantel: Pearson r over the
//    pairs i<j, mean over layers). Null: a random relabelling ρ of B's dims within S, the same in every
//    layer (999 draws, p resolution 0.001). That null is "no correspondence between A's dims S and B's
//    dims π(S)", weaker than independence when the alignment itself is searched, so this test may carry
//    a verdict only when the hidden map was found clearly, which unrelated models do not give.
import { centerToUnitLength, dotMatrix } from '../permutationKernel';
import { permutationPValue } from '../stats';
import { identityOrder, seededRandom, shuffleInPlace } from '../random';
import { maxWeightMatching } from './hungarian';
import { fixedPointTail } from './rencontres';
import type { AncestryVerdict, DeepTestResult } from './types';

export const SHARED_MAX_P = 0.01;
export const SIGNAL_MAX_P = 0.05;
/** Unit matching: at least this share of fixed points (null expectation: 1 per layer, 1/k of units). */
export const UNIT_MIN_EFFECT = 0.2;
/** Down-Gram: mean Mantel r at least this (the hidden dims' geometry over units shares ≥ 9% of its variance). */
export const GRAM_MIN_EFFECT = 0.3;
export const GRAM_PERMUTATIONS = 999;
/** Random tie-breaker added to unit correlations (correlations of distinct real rows differ far more). */
export const TIE_JITTER = 1e-9;
/** Hidden dims per unit signature at most (evenly spaced): r over 2×1024 values has noise ≈ 0.02 already. */
export const MAX_SIGNATURE_DIMS = 1024;
/** Units per down row at most for the Gram: cos over 4096 units estimates cos over all of them (sd ≈ 0.016). */
export const MAX_GRAM_UNITS = 4096;

export interface Alignment {
  /** A dim i ↔ B dim perm[i], −1 none */
  perm: Int32Array;
  signs: Int8Array;
}

/** One sampled layer's unit block, the same unit ids in both models, rows in that order. */
export interface UnitBlock {
  label: string;
  k: number;
  gateA: Float32Array;
  upA: Float32Array;
  gateB: Float32Array;
  upB: Float32Array;
  dA: number;
  dB: number;
}

/** Signatures (k × 2·mapped) through the alignment, each centred and scaled to unit length. */
function signatures(
  gate: Float32Array,
  up: Float32Array,
  k: number,
  d: number,
  dims: Int32Array,
  signs: Float64Array,
): Float64Array {
  const m = dims.length,
    out = new Float64Array(k * 2 * m);
  for (let u = 0; u < k; u++) {
    const at = u * 2 * m;
    for (let c = 0; c < m; c++) {
      const from = u * d + (dims[c] as number);
      out[at + c] = (signs[c] as number) * (gate[from] as number);
      out[at + m + c] = (signs[c] as number) * (up[from] as number);
    }
    centerToUnitLength(out, at, 2 * m);
  }
  return out;
}

export interface UnitLayerResult {
  label: string;
  k: number;
  fixedPoints: number;
  /** mean r of same-index units (descriptive) */
  sameIndexR: number;
}

/** Fixed points of the maximum-correlation matching of one block. */
export function matchUnitBlock(block: UnitBlock, alignment: Alignment, seed = 1): UnitLayerResult {
  const mapped: number[] = [];
  alignment.perm.forEach((j, i) => {
    if (j >= 0 && j < block.dB && i < block.dA) mapped.push(i);
  });
  const stride = Math.max(1, mapped.length / MAX_SIGNATURE_DIMS);
  const pairs = Array.from(
    { length: Math.min(mapped.length, MAX_SIGNATURE_DIMS) },
    (_, c) => mapped[Math.floor(c * stride)] as number,
  );
  const dimsA = Int32Array.from(pairs),
    dimsB = Int32Array.from(pairs, (i) => alignment.perm[i] as number);
  const ones = new Float64Array(pairs.length).fill(1),
    signs = Float64Array.from(pairs, (i) => alignment.signs[i] as number);
  const { k } = block;
  const sa = signatures(block.gateA, block.upA, k, block.dA, dimsA, ones),
    sb = signatures(block.gateB, block.upB, k, block.dB, dimsB, signs);
  const score = new Float64Array(k * k);
  dotMatrix(sa, k, sb, k, 2 * pairs.length, score);
  // Ties (constant or duplicated rows) would be broken by index, which is not equivariant and would favour
  // fixed points; a data-independent jitter far below any real difference breaks them at random instead.
  const jitter = seededRandom(seed);
  for (let at = 0; at < score.length; at++) score[at] = (score[at] as number) + TIE_JITTER * jitter();
  const match = maxWeightMatching(score, k);
  let fixedPoints = 0,
    same = 0;
  for (let u = 0; u < k; u++) {
    if (match[u] === u) fixedPoints++;
    same += score[u * k + u] as number;
  }
  return { label: block.label, k, fixedPoints, sameIndexR: same / k };
}

function verdictOf(p: number, effect: number, minEffect: number): AncestryVerdict {
  if (p <= SHARED_MAX_P && effect >= minEffect) return 'shared-ancestry';
  return p <= SIGNAL_MAX_P ? 'inconclusive' : 'no-evidence';
}

export function unitMatchingTest(
  blocks: UnitBlock[],
  alignment: Alignment,
  seed = 1,
): DeepTestResult & { layers: UnitLayerResult[] } {
  const layers = blocks.filter((b) => b.k >= 2).map((b, i) => matchUnitBlock(b, alignment, seed + i));
  const sizes = layers.map((l) => l.k),
    total = layers.reduce((s, l) => s + l.fixedPoints, 0),
    units = sizes.reduce((s, k) => s + k, 0);
  if (!layers.length)
    return {
      name: 'unit-matching',
      pValue: NaN,
      statistic: NaN,
      statisticName: 'fixed points of the unit matching',
      effect: NaN,
      effectName: 'share of units matched to the same index',
      verdict: 'inconclusive',
      note: 'not run: no gate/up unit block of both models was read',
      layers,
    };
  const exact = fixedPointTail(sizes, total);
  // below float64's range p is reported as its smallest positive value (conservative); the note keeps log10 p
  const p = Math.max(exact.p, Number.MIN_VALUE),
    log10p = exact.log10p;
  const effect = total / units;
  return {
    name: 'unit-matching',
    pValue: p,
    statistic: total,
    statisticName: `fixed points of the unit matching, summed over ${layers.length} layers (${units} units)`,
    effect,
    effectName: 'share of units matched to the unit with the same index (null: 1 per layer)',
    verdict: verdictOf(p, effect, UNIT_MIN_EFFECT),
    note:
      `${total} of ${units} units matched their own index (${layers.map((l) => `${l.label}: ${l.fixedPoints}/${l.k}`).join(', ')}); ` +
      `exact p = ${formatP(p, log10p)}`,
    layers,
  };
}

export function formatP(p: number, log10p = Math.log10(p)): string {
  if (p >= 1e-4) return p.toPrecision(2);
  return `10^${log10p.toFixed(1)}`;
}

/** Rows of down for one layer: m hidden dims of A (S) and of B at π(S) with signs applied, same order. */
export interface DownBlock {
  label: string;
  m: number;
  rowsA: Float32Array;
  hA: number;
  rowsB: Float32Array;
  hB: number;
}

/** cos (centred) between rows over their first MAX_GRAM_UNITS units, m×m. */
function gramPairs(rows: Float32Array, m: number, width: number): Float64Array {
  const h = Math.min(width, MAX_GRAM_UNITS);
  const z = new Float64Array(m * h);
  for (let i = 0; i < m; i++) {
    z.set(rows.subarray(i * width, i * width + h), i * h);
    centerToUnitLength(z, i * h, h);
  }
  const gram = new Float64Array(m * m);
  dotMatrix(z, m, z, m, h, gram);
  return gram;
}

/** Off-diagonal Gram entries centred and scaled (Σ x² = 1 over i<j), as a full symmetric matrix. */
function standardizedOffDiagonal(gram: Float64Array, m: number): Float64Array {
  let mean = 0,
    count = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++, count++) mean += gram[i * m + j] as number;
  mean /= count;
  let squares = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) squares += ((gram[i * m + j] as number) - mean) ** 2;
  const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) if (i !== j) out[i * m + j] = ((gram[i * m + j] as number) - mean) * scale;
  return out;
}

function mantel(a: Float64Array, b: Float64Array, m: number, order: Int32Array): number {
  let s = 0;
  for (let i = 0; i < m; i++) {
    const oi = (order[i] as number) * m;
    for (let j = i + 1; j < m; j++) s += (a[i * m + j] as number) * (b[oi + (order[j] as number)] as number);
  }
  return s;
}

export function downGramTest(blocks: DownBlock[], seed: number): DeepTestResult {
  const usable = blocks.filter((b) => b.m >= 4);
  const base = {
    name: 'down-gram' as const,
    statisticName: 'mean Mantel r of the down-projection Gram matrices (hidden dims over all units)',
    effectName: 'mean Mantel r',
  };
  if (!usable.length)
    return {
      ...base,
      pValue: NaN,
      statistic: NaN,
      effect: NaN,
      verdict: 'inconclusive',
      note: 'not run: no down rows read',
    };
  const m = Math.min(...usable.map((b) => b.m));
  // every layer keeps its first m dims, and a draw relabels them with one ρ (layers share the hidden dims)
  const pairs = usable.map((b) => ({
    a: standardizedOffDiagonal(gramPairs(b.rowsA.subarray(0, m * b.hA), m, b.hA), m),
    b: standardizedOffDiagonal(gramPairs(b.rowsB.subarray(0, m * b.hB), m, b.hB), m),
  }));
  const statistic = (order: Int32Array) => pairs.reduce((s, pr) => s + mantel(pr.a, pr.b, m, order), 0) / pairs.length;
  const observed = statistic(identityOrder(m));
  const order = identityOrder(m),
    random = seededRandom(seed ^ 0x6a3);
  let atLeast = 0;
  for (let draw = 0; draw < GRAM_PERMUTATIONS; draw++) {
    shuffleInPlace(order, random);
    if (statistic(order) >= observed) atLeast++;
  }
  const p = permutationPValue(atLeast, GRAM_PERMUTATIONS);
  return {
    ...base,
    pValue: p,
    statistic: observed,
    effect: observed,
    verdict: verdictOf(p, observed, GRAM_MIN_EFFECT),
    note:
      `Mantel r ${observed.toFixed(3)} over ${usable.length} layers × ${m} hidden dims; permutation p = ${p.toPrecision(2)} ` +
      `(${atLeast} of ${GRAM_PERMUTATIONS} relabellings reached it; resolution ${(1 / (GRAM_PERMUTATIONS + 1)).toFixed(3)})`,
  };
}
