// Exact null distribution of the unit-matching test: the number of fixed points of a uniformly
// random permutation of k items (the rencontres numbers), and of a sum of independent such counts
// (one per sampled layer). Computed in log space so tails far below 1e-300 keep their size.
import { logGamma } from '../chiSquare';

/** log P(F = j), j = 0…k, for F the fixed points of a uniform permutation of k: P = (1/j!) Σ_{i≤k−j} (−1)^i/i!. */
export function logRencontresPmf(k: number): Float64Array {
  // S_m = Σ_{i=0}^{m} (−1)^i / i!: alternating, terms shrinking, no cancellation worth a digit
  const partial = new Float64Array(k + 1);
  let term = 1,
    sum = 0;
  for (let m = 0; m <= k; m++) {
    if (m > 0) term /= -m;
    sum += term;
    partial[m] = sum;
  }
  return Float64Array.from({ length: k + 1 }, (_, j) => Math.log(partial[k - j] as number) - logGamma(j + 1));
}

function logAdd(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

/** log pmf of a sum of independent variables, from their log pmfs (exact up to float64 rounding). */
export function convolveLog(pmfs: Float64Array[]): Float64Array {
  let acc = Float64Array.of(0);
  for (const next of pmfs) {
    const out = new Float64Array(acc.length + next.length - 1).fill(-Infinity);
    // nothing is pruned: the far tail is exactly what a strong match lands in
    for (let i = 0; i < acc.length; i++) {
      const a = acc[i] as number;
      if (a === -Infinity) continue;
      for (let j = 0; j < next.length; j++) {
        const b = next[j] as number;
        if (b === -Infinity) continue;
        out[i + j] = logAdd(out[i + j] as number, a + b);
      }
    }
    acc = out;
  }
  return acc;
}

/** log P(X ≥ t) from X's log pmf. */
export function logUpperTail(logPmf: Float64Array, t: number): number {
  let total = -Infinity;
  for (let j = Math.max(0, Math.ceil(t)); j < logPmf.length; j++) total = logAdd(total, logPmf[j] as number);
  return total;
}

/** Exact P(F₁ + … + F_L ≥ observed) for independent fixed-point counts of permutations of sizes k₁…k_L. */
export function fixedPointTail(sizes: readonly number[], observed: number): { p: number; log10p: number } {
  const logP = Math.min(0, logUpperTail(convolveLog(sizes.map(logRencontresPmf)), observed));
  return { p: Math.exp(logP), log10p: logP / Math.LN10 };
}
