import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { unitMatchingTest, type UnitBlock } from './tests';

const identity = (d: number) => ({
  perm: Int32Array.from({ length: d }, (_, i) => i),
  signs: new Int8Array(d).fill(1),
});

function block(k: number, d: number, fill: (u: number, i: number, side: 'a' | 'b') => number): UnitBlock {
  const make = (side: 'a' | 'b') =>
    Float32Array.from({ length: k * d }, (_, at) => fill(Math.floor(at / d), at % d, side));
  return { label: 'L0', k, dA: d, dB: d, gateA: make('a'), upA: make('a'), gateB: make('b'), upB: make('b') };
}

describe('unit-matching test', () => {
  it('degenerate blocks (all zeros, or all units identical) give no evidence: ties are broken at random, not by index', () => {
    const zeros = unitMatchingTest([block(64, 32, () => 0), block(64, 32, () => 0)], identity(32));
    expect(zeros.pValue).toBeGreaterThan(0.05);
    const same = unitMatchingTest([block(64, 32, (_u, i) => Math.sin(i))], identity(32));
    expect(same.pValue).toBeGreaterThan(0.05);
  });
  it('a copied block: every unit on its own index, p exact = 1/64! ≈ 10^-89.1', () => {
    const random = seededRandom(2);
    const values = Float32Array.from({ length: 64 * 32 }, () => random() - 0.5);
    const t = unitMatchingTest([block(64, 32, (u, i) => values[u * 32 + i]!)], identity(32));
    expect(t.statistic).toBe(64);
    expect(t.verdict).toBe('shared-ancestry');
    expect(t.note).toMatch(/10\^-89\.1/);
  });
});
