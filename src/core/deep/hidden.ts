// How two models' hidden dimensions correspond (AWM step 1, docs/methods.md §2.3, §2.7): every hidden dim
// is a column of the embedding, a vector over the shared tokens. Columns are compared by correlation
// (centred, unit length), so columns rescaled by a folded norm still match. Identity is tested first
// (O(n·d)); failing that, a coarse search over a subset of tokens proposes a few candidates per dim, the
// candidates are scored on every token, and a greedy assignment on |r| (signs kept) gives the
// permutation. "How clearly" = the share of dims whose match is mutual and beats the runner-up by a
// margin. Only embeddings enter here, which is what keeps the unit-matching test exact (tests.ts).
import { centerToUnitLength, dotMatrix } from '../permutationKernel';
import type { HiddenMap } from './types';

/** Identity when the median correlation of column i with column i reaches this (unrelated: ≈ 0 ± 0.01). */
export const IDENTITY_MIN_MEDIAN = 0.2;
/** Tokens used by the coarse candidate search (noise sd ≈ 1/√128 = 0.09 on each correlation). */
export const COARSE_TOKENS = 128;
/** Candidates per dim carried from the coarse search to the verification on all tokens. */
export const CANDIDATES = 8;
/** A match is clear when it is mutual and its |r| beats the dim's second-best candidate by this much… */
export const CLEAR_MARGIN = 0.1;
/** …and a permutation is reported when at least this share of dims match clearly. */
export const MIN_CLEAR_SHARE = 0.5;
/** Dims scored per coarse pass (bounds the scratch matrix to CHUNK × d doubles). */
const CHUNK = 256;

export interface HiddenAlignment {
  map: HiddenMap;
  /** A dim i ↔ B dim perm[i] (−1: none); identity when map is identity */
  perm: Int32Array;
  /** +1 / −1 per A dim: B's matched column runs the other way */
  signs: Int8Array;
  /** share of A dims with a clear (mutual, margin ≥ CLEAR_MARGIN) match; for identity, share with r ≥ 5/√n */
  clearShare: number;
  identityMedian: number;
  medianBest: number;
  medianMargin: number;
  tokens: number;
  text: string;
}

/** Columns of row-major rows (n×d) as centred unit vectors, column-major (d×n), over the listed rows. */
export function standardizedColumns(rows: Float32Array, n: number, d: number, use?: Int32Array): Float64Array {
  const ids = use ?? Int32Array.from({ length: n }, (_, t) => t);
  const m = ids.length,
    out = new Float64Array(d * m);
  for (let c = 0; c < m; c++) {
    const offset = (ids[c] as number) * d;
    for (let i = 0; i < d; i++) out[i * m + c] = rows[offset + i] as number;
  }
  for (let i = 0; i < d; i++) centerToUnitLength(out, i * m, m);
  return out;
}

const dot = (x: Float64Array, xi: number, y: Float64Array, yj: number, m: number) => {
  let s = 0;
  for (let c = 0; c < m; c++) s += (x[xi + c] as number) * (y[yj + c] as number);
  return s;
};

function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Coarse: the CANDIDATES B dims of largest |r| for every A dim, on a subset of tokens. */
function coarseCandidates(embA: Float32Array, embB: Float32Array, n: number, dA: number, dB: number): Int32Array {
  const m = Math.min(n, COARSE_TOKENS);
  const subset = Int32Array.from({ length: m }, (_, c) => Math.floor(((c + 0.5) * n) / m));
  const colsA = standardizedColumns(embA, n, dA, subset),
    colsB = standardizedColumns(embB, n, dB, subset);
  const K = Math.min(CANDIDATES, dB);
  const candidates = new Int32Array(dA * K).fill(-1);
  const scratch = new Float64Array(CHUNK * dB),
    bestValue = new Float64Array(K);
  for (let start = 0; start < dA; start += CHUNK) {
    const rows = Math.min(CHUNK, dA - start);
    const out = rows === CHUNK ? scratch : new Float64Array(rows * dB);
    dotMatrix(colsA.subarray(start * m, (start + rows) * m), rows, colsB, dB, m, out);
    for (let r = 0; r < rows; r++) {
      const at = (start + r) * K;
      bestValue.fill(-1);
      for (let j = 0; j < dB; j++) {
        const v = Math.abs(out[r * dB + j] as number);
        if (v <= (bestValue[K - 1] as number)) continue;
        let slot = K - 1;
        while (slot > 0 && v > (bestValue[slot - 1] as number)) {
          bestValue[slot] = bestValue[slot - 1] as number;
          candidates[at + slot] = candidates[at + slot - 1] as number;
          slot--;
        }
        bestValue[slot] = v;
        candidates[at + slot] = j;
      }
    }
  }
  return candidates;
}

interface Scored {
  i: number;
  j: number;
  r: number;
}

/** Aligns B's hidden dims to A's from the embedding rows of the same tokens (row t of A ↔ row t of B). */
export function alignHidden(
  embA: Float32Array,
  embB: Float32Array,
  n: number,
  dA: number,
  dB: number,
): HiddenAlignment {
  const colsA = standardizedColumns(embA, n, dA),
    colsB = standardizedColumns(embB, n, dB);
  const identityR = new Float64Array(Math.min(dA, dB));
  for (let i = 0; i < identityR.length; i++) identityR[i] = dot(colsA, i * n, colsB, i * n, n);
  const identityMedian = dA === dB ? median(identityR) : NaN;
  const floor = 5 / Math.sqrt(n);
  if (identityMedian >= IDENTITY_MIN_MEDIAN) {
    const clear = identityR.filter((r) => r >= floor).length / dA;
    return {
      map: 'identity',
      perm: Int32Array.from({ length: dA }, (_, i) => i),
      signs: new Int8Array(dA).fill(1),
      clearShare: clear,
      identityMedian,
      medianBest: identityMedian,
      medianMargin: NaN,
      tokens: n,
      text:
        `identity: column i of A against column i of B over ${n} shared tokens, median r ${identityMedian.toFixed(3)}; ` +
        `${pct(clear)} of dims above r = ${floor.toFixed(3)} (5/√n)`,
    };
  }
  const K = Math.min(CANDIDATES, dB);
  const candidates = coarseCandidates(embA, embB, n, dA, dB);
  const scored: Scored[] = [];
  const best = new Float64Array(dA),
    second = new Float64Array(dA),
    reverseBest = new Float64Array(dB),
    reverseOf = new Int32Array(dB).fill(-1);
  for (let i = 0; i < dA; i++) {
    for (let s = 0; s < K; s++) {
      const j = candidates[i * K + s] as number;
      if (j < 0) continue;
      const r = dot(colsA, i * n, colsB, j * n, n),
        a = Math.abs(r);
      scored.push({ i, j, r });
      if (a > (best[i] as number)) {
        second[i] = best[i] as number;
        best[i] = a;
      } else if (a > (second[i] as number)) second[i] = a;
      if (a > (reverseBest[j] as number)) {
        reverseBest[j] = a;
        reverseOf[j] = i;
      }
    }
  }
  scored.sort((x, y) => Math.abs(y.r) - Math.abs(x.r));
  const perm = new Int32Array(dA).fill(-1),
    signs = new Int8Array(dA).fill(1),
    takenB = new Uint8Array(dB);
  for (const { i, j, r } of scored) {
    if (perm[i] !== -1 || takenB[j]) continue;
    perm[i] = j;
    signs[i] = r < 0 ? -1 : 1;
    takenB[j] = 1;
  }
  let clear = 0,
    fixedPositive = 0;
  const margins = new Float64Array(dA);
  for (let i = 0; i < dA; i++) {
    margins[i] = (best[i] as number) - (second[i] as number);
    const j = perm[i] as number;
    const isClear =
      j >= 0 && reverseOf[j] === i && (margins[i] as number) >= CLEAR_MARGIN && (best[i] as number) >= floor;
    if (isClear) clear++;
    if (isClear && j === i && signs[i] === 1) fixedPositive++;
  }
  fillUnmatched(perm, takenB);
  const clearShare = clear / dA;
  let map: HiddenMap = clearShare >= MIN_CLEAR_SHARE ? 'permuted' : 'none';
  if (map === 'permuted' && fixedPositive >= 0.9 * clear) map = 'identity';
  const medianBest = median(best),
    medianMargin = median(margins);
  const text =
    `${map === 'none' ? 'no correspondence found' : map}: ${pct(clearShare)} of ${dA} dims have a mutual best match ` +
    `beating their runner-up by ≥ ${CLEAR_MARGIN} in |r| (need ${pct(MIN_CLEAR_SHARE)}); median best |r| ` +
    `${medianBest.toFixed(3)}, median margin ${medianMargin.toFixed(3)}, over ${n} shared tokens ` +
    `(identity tried first: median r ${Number.isFinite(identityMedian) ? identityMedian.toFixed(3) : 'n/a'})`;
  return { map, perm, signs, clearShare, identityMedian, medianBest, medianMargin, tokens: n, text };
}

/** A dims left without a candidate take the free B dims in order: an arbitrary but embedding-only choice. */
function fillUnmatched(perm: Int32Array, takenB: Uint8Array): void {
  let free = 0;
  for (let i = 0; i < perm.length; i++) {
    if (perm[i] !== -1) continue;
    while (free < takenB.length && takenB[free]) free++;
    if (free < takenB.length) {
      perm[i] = free;
      takenB[free] = 1;
    }
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
