import { describe, expect, it } from 'vitest';
import { estimateScale, INTERVAL_DROP, IntervalCounts, logLikelihood, testUniform } from './updateScale';
import { gaussian } from './random';

/** Intervals of values stored on a uniform grid of step h after a + δ: a on the grid, cell ±h/2. */
function roundedUpdates(n: number, sigma: number, h: number, seed: number): IntervalCounts {
  const normal = gaussian(seed),
    iv = new IntervalCounts();
  for (let i = 0; i < n; i++) {
    const steps = Math.round((sigma * normal()) / h);
    iv.add(steps * h - h / 2, steps * h + h / 2);
  }
  return iv;
}

describe('estimateScale', () => {
  it('recovers σ through a grid coarser than the update, and its interval covers the truth', () => {
    let covered = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const est = estimateScale(roundedUpdates(4096, 1e-3, 2.5e-3, seed))!;
      expect(Math.abs(est.sigma / 1e-3 - 1)).toBeLessThan(0.15);
      expect(est.low).toBeLessThan(est.sigma);
      expect(est.high).toBeGreaterThan(est.sigma);
      // the interval's ends are where the log-likelihood has dropped by 1.92
      expect(logLikelihood(roundedUpdates(4096, 1e-3, 2.5e-3, seed), est.low)).toBeCloseTo(
        est.logLik - INTERVAL_DROP,
        2,
      );
      if (est.low <= 1e-3 && 1e-3 <= est.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(34); // 95% nominal: 38 of 40 expected
  });

  it('on a fine grid it is the plain Gaussian estimate √(Σδ²/n)', () => {
    const normal = gaussian(7),
      iv = new IntervalCounts(),
      h = 1e-9;
    let sum = 0;
    for (let i = 0; i < 5000; i++) {
      const d = Math.round((2e-3 * normal()) / h) * h;
      sum += d * d;
      iv.add(d - h / 2, d + h / 2);
    }
    expect(estimateScale(iv)!.sigma / Math.sqrt(sum / 5000)).toBeCloseTo(1, 4);
  });

  it('when nothing moved: estimate 0 and only an upper bound', () => {
    const iv = new IntervalCounts();
    iv.add(-0.5, 0.5, 1000); // a grid of step 1, 1000 values unchanged
    const est = estimateScale(iv)!;
    expect(est.sigma).toBe(0);
    expect(est.low).toBe(0);
    // P(|δ| < ½)^1000 = e^{−1.92} ⇔ 2Φ(½/σ) − 1 = e^{−1.92/1000}, so ½/σ = z with erfc(z/√2) = 1 − e^{−0.00192}: z ≈ 3.105
    expect(est.high).toBeCloseTo(0.5 / 3.1053, 3);
    expect(logLikelihood(iv, est.high)).toBeCloseTo(-INTERVAL_DROP, 3);
  });

  it('has no values to fit in an empty layer', () => {
    expect(estimateScale(new IntervalCounts())).toBeNull();
  });
});

describe('testUniform', () => {
  it('does not reject one σ shared by all layers, rejects two different σ', () => {
    const same = [1, 2, 3, 4].map((s) => roundedUpdates(4096, 1e-3, 2e-3, s));
    const t1 = testUniform(same, same.map(estimateScale))!;
    expect(t1.df).toBe(3);
    expect(t1.pValue).toBeGreaterThan(0.01);
    const mixed = [roundedUpdates(4096, 1e-3, 2e-3, 5), roundedUpdates(4096, 2e-3, 2e-3, 6)];
    const t2 = testUniform(mixed, mixed.map(estimateScale))!;
    expect(t2.df).toBe(1);
    expect(t2.pValue).toBeLessThan(1e-10);
    expect(t2.uniform.sigma).toBeGreaterThan(1e-3);
    expect(t2.uniform.sigma).toBeLessThan(2e-3);
  });
});
