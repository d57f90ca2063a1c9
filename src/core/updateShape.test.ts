import { describe, expect, it } from 'vitest';
import { fineTuneDiff } from './diff';
import { depthGrowingGammas, geometric, normModel, toBf16, updated } from './testing/fineTuneCases';
import { UNIFORM_BAND } from './updateShape';

const L = 46,
  D = 4096;

function diffOf(base: Float32Array[], child: Float32Array[], dtypes: [string, string] = ['BF16', 'BF16']) {
  return fineTuneDiff([normModel('base', base, dtypes[0]), normModel('child', child, dtypes[1])], 0, 1, 'input');
}

const report = (name: string, d: ReturnType<typeof diffOf>) => {
  const v = d.verdict!;
  console.log(
    `${name}: shape ${v.shape}, one σ ${v.test.uniform.sigma.toExponential(3)}, LR ${v.test.statistic.toFixed(1)} on ${v.test.df} df, p ${v.test.pValue.toExponential(2)}, ` +
      `early/deep σ ${v.ratio.toPrecision(3)} (at least ${v.ratioAtLeast.toPrecision(3)}), changed ${(100 * d.changedFraction[0]!).toFixed(0)}% → ${(100 * d.changedFraction[L - 1]!).toFixed(1)}%`,
  );
};

describe('one update size or one per layer, on constructed fine-tunes (46 layers × 4096, GLM-like γ)', () => {
  it('a uniform update is read as uniform and its σ recovered, on seeds and sizes not tuned for', () => {
    for (const [sigma, seed] of [
      [1e-3, 11],
      [3e-4, 12],
      [4e-3, 13],
    ] as const) {
      const base = depthGrowingGammas(L, D, seed);
      const d = diffOf(
        base,
        updated(base, () => sigma, seed + 100),
      );
      report(`uniform σ=${sigma}`, d);
      const v = d.verdict!;
      expect(v.shape).toBe('uniform');
      expect(v.uniformExplains).toBe(true);
      expect(Math.abs(v.test.uniform.sigma / sigma - 1)).toBeLessThan(0.05);
      expect(v.test.uniform.low).toBeLessThan(sigma * 1.0001);
      expect(v.test.uniform.high).toBeGreaterThan(sigma * 0.9999);
      // the per-layer σ agree with it wherever a layer has enough changed values to say
      d.updateScaleInterval.forEach(([lo, hi]) =>
        expect(lo <= sigma * UNIFORM_BAND && hi >= sigma / UNIFORM_BAND).toBe(true),
      );
    }
  });

  it('an update that falls steeply with depth (96% → 0% changed) is never explained away as rounding', () => {
    const base = depthGrowingGammas(L, D, 21);
    for (const [name, sigmaOf] of [
      ['geometric 3e-3 → 3e-5', geometric(3e-3, 3e-5, L)],
      ['step: 3e-3 to L11, 1e-5 after', (l: number) => (l < 12 ? 3e-3 : 1e-5)],
    ] as const) {
      const d = diffOf(base, updated(base, sigmaOf, 22));
      report(`falls (${name})`, d);
      const v = d.verdict!;
      expect(d.changedFraction[0]!).toBeGreaterThan(0.9);
      expect(d.changedFraction[L - 1]!).toBeLessThan(0.01);
      expect(v.shape).toBe('falls');
      expect(v.uniformExplains).toBe(false);
      expect(v.test.pValue).toBeLessThan(1e-10);
      expect(v.ratio).toBeGreaterThan(10);
      expect(v.ratioAtLeast).toBeGreaterThan(5); // the deep third barely moves: only an upper bound on its σ
      expect(v.above[0]).toBe(0);
      // per-layer σ tracks the truth where values changed
      for (const l of [0, 5, 10]) expect(Math.abs(d.updateScale[l]! / sigmaOf(l) - 1)).toBeLessThan(0.1);
    }
  });

  it('an update that rises with depth', () => {
    const base = depthGrowingGammas(L, D, 31);
    const d = diffOf(base, updated(base, geometric(1e-4, 1e-2, L), 32));
    report('rises 1e-4 → 1e-2', d);
    expect(d.verdict!.shape).toBe('rises');
    expect(d.verdict!.ratio).toBeLessThan(1 / 10);
    expect(d.verdict!.uniformExplains).toBe(false);
  });

  it('an update that differs from layer to layer with no trend', () => {
    const base = depthGrowingGammas(L, D, 41);
    const d = diffOf(
      base,
      updated(base, (l) => (l % 2 ? 3e-3 : 5e-4), 42),
    );
    report('alternating 3e-3 / 5e-4', d);
    expect(d.verdict!.shape).toBe('irregular');
    expect(d.verdict!.uniformExplains).toBe(false);
  });

  it('an identical copy: no update, only an upper bound per layer', () => {
    const base = depthGrowingGammas(L, D, 51);
    const d = diffOf(
      base,
      base.map((v) => v.slice()),
    );
    report('identical copy', d);
    expect(d.verdict!.shape).toBe('none');
    expect(d.verdict!.uniformExplains).toBe(true);
    expect(d.updateScale.every((s) => s === 0)).toBe(true);
    d.updateScaleInterval.forEach(([lo, hi]) => {
      expect(lo).toBe(0);
      expect(hi).toBeGreaterThan(0);
    });
  });

  it('the same weights re-stored in another dtype are not an update', () => {
    // BF16 → F32: the same values, stored wider
    const bf = depthGrowingGammas(L, D, 61);
    const wider = diffOf(
      bf,
      bf.map((v) => Float32Array.from(v)),
      ['BF16', 'F32'],
    );
    expect(wider.updateGrid).toBe('F32');
    expect(wider.verdict!.shape).toBe('none');
    // F32 → BF16: every value rounded once; most stored bits differ, yet no update is needed
    const f32 = depthGrowingGammas(L, D, 62, 'F32');
    const narrower = diffOf(f32, f32.map(toBf16), ['F32', 'BF16']);
    report('F32 re-stored as BF16', narrower);
    expect(narrower.changedFraction[20]!).toBeGreaterThan(0.9);
    expect(narrower.updateGrid).toBe('BF16');
    expect(narrower.verdict!.shape).toBe('none');
    expect(narrower.predictedChangedFraction[20]!).toBeGreaterThan(0.9); // re-storing alone changes them
  });

  it('an F32 base fine-tuned and stored in BF16: the update is still measured', () => {
    const f32 = depthGrowingGammas(L, D, 71, 'F32');
    const d = diffOf(
      f32,
      updated(f32, () => 1e-3, 72),
      ['F32', 'BF16'],
    );
    report('F32 base, uniform 1e-3 stored as BF16', d);
    expect(d.verdict!.shape).toBe('uniform');
    expect(Math.abs(d.verdict!.test.uniform.sigma / 1e-3 - 1)).toBeLessThan(0.05);
  });

  it('a shift of the mean is flagged where it is large against σ_l, and only there', () => {
    const base = depthGrowingGammas(L, D, 81);
    // the first ten layers also shift by +1e-3 before storing
    const shifted = base.map((v, l) => (l < 10 ? Float32Array.from(v, (x) => x + 1e-3) : v));
    const d = diffOf(
      base,
      updated(shifted, () => 1e-3, 82),
    );
    expect(d.shiftedLayers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(d.meanShift[0]!).toBeGreaterThan(0.9e-3);
    const plain = diffOf(
      base,
      updated(base, () => 1e-3, 83),
    );
    expect(plain.shiftedLayers).toEqual([]);
  });
});
