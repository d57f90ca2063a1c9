// The complementary error function and Gaussian interval probabilities, accurate far into the tails
// (the update-size likelihood multiplies thousands of them).

/** Complementary error function (relative error ~1e-13, ≤ 1e-12 just below 2.5): positive-term series, then a continued fraction. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    // erf x = (2/√π) e^{−x²} Σ 2ⁿ x^{2n+1} / (2n+1)!!  (no cancellation inside the sum)
    let term = x,
      sum = x;
    for (let n = 1; term > sum * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  // Laplace's continued fraction erfc x = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))), evaluated bottom-up
  let f = x;
  for (let k = 50; k >= 1; k--) f = x + k / 2 / f; // 40 terms already reach full precision at x = 2.5
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** P(lo < δ < hi) for δ ~ N(0, σ²), from the tail that keeps precision. */
export function normalInterval(lo: number, hi: number, sigma: number): number {
  const s = sigma * Math.SQRT2;
  if (lo >= 0) return 0.5 * (erfc(lo / s) - erfc(hi / s));
  if (hi <= 0) return 0.5 * (erfc(-hi / s) - erfc(-lo / s));
  return 1 - 0.5 * (erfc(-lo / s) + erfc(hi / s));
}
