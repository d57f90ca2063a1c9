import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, logGamma, upperRegularizedGamma } from './chiSquare';

describe('logGamma', () => {
  it('matches factorials and Γ(½) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9); // ln 100!
    expect(logGamma(1)).toBeCloseTo(0, 13);
  });
});

describe('chiSquareSurvival', () => {
  it('gives the tabulated critical values', () => {
    // df, critical value, upper-tail probability (standard χ² tables)
    const table: [number, number, number][] = [
      [1, 3.841458820694124, 0.05],
      [1, 10.827566170662733, 0.001],
      [10, 18.307038053275146, 0.05],
      [45, 61.65623337627955, 0.05],
      [5, 15.08627246938899, 0.01],
      [100, 124.34211340400408, 0.05],
    ];
    for (const [df, x, p] of table) expect(Math.abs(chiSquareSurvival(x, df) / p - 1)).toBeLessThan(1e-9);
  });

  it('agrees with closed forms: df 2 is exp(−x/2), df 1 is erfc(√(x/2))', () => {
    for (const x of [0.1, 1, 5, 40, 300])
      expect(Math.abs(chiSquareSurvival(x, 2) / Math.exp(-x / 2) - 1)).toBeLessThan(1e-12);
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
    expect(chiSquareSurvival(1, 1)).toBeCloseTo(0.31731050786291415, 12);
  });

  it('keeps tiny tails instead of rounding them to zero', () => {
    // scipy.stats.chi2.sf(900, 45)
    expect(Math.abs(chiSquareSurvival(900, 45) / 1.8016706012066554e-159 - 1)).toBeLessThan(1e-9);
    // Q(3, x) = e^{−x}(1 + x + x²/2) exactly
    for (const x of [0.5, 3.9, 4.1, 60])
      expect(Math.abs(upperRegularizedGamma(3, x) / (Math.exp(-x) * (1 + x + (x * x) / 2)) - 1)).toBeLessThan(1e-12);
  });
});
