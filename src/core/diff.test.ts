import { describe, expect, it } from 'vitest';
import { changeProbability, comparisonGrid, fineTuneDiff } from './diff';
import { erfc } from './erfc';
import { decodeTensor, encodeBf16, encodeF16 } from './dtypes';
import { gaussian, seededRandom } from './random';
import type { LoadedModel } from './types';
import { completeModel } from './testing/completeModel';

function model(layers: (Float32Array | undefined)[], dtype = 'BF16'): LoadedModel {
  return completeModel({
    dtype,
    layers: layers.map((input, index) => ({ index, extra: false, label: String(index), input })),
  });
}

const bf16 = (v: ArrayLike<number>) => decodeTensor(encodeBf16(v), 'BF16');

/** GLM-like γ: the layer mean grows with depth (0.01 → 1.6), 5% spread, stored in BF16. */
function depthGrowingModel(layers: number, d: number, seed: number): Float32Array[] {
  const normal = gaussian(seed);
  return Array.from({ length: layers }, (_, l) => {
    const mean = 0.01 * 160 ** (l / (layers - 1));
    return bf16(Array.from({ length: d }, () => mean * (1 + 0.05 * normal())));
  });
}

/** The same update size σ_l for every value of layer l, rounded back to BF16. */
function fineTune(base: Float32Array[], sigmaOfLayer: (l: number) => number, seed: number): Float32Array[] {
  const normal = gaussian(seed);
  return base.map((v, l) => bf16(Array.from(v, (x) => x + sigmaOfLayer(l) * normal())));
}

describe('fineTuneDiff: stored-bit comparison', () => {
  it('counts changed BF16 codes, mean |Δ| and the steps in ulps (hand case)', () => {
    const a = Float32Array.from([1, 1, 0.5, 2]);
    const b = Float32Array.from([1, 1 + 2 ** -7, 0.5, 2 - 2 ** -7]); // one step up in [1,2); one step down from 2
    const res = fineTuneDiff([model([a]), model([b])], 0, 1, 'input', { deltaSigma: 0 });
    expect(res.grid).toBe('BF16');
    expect(res.changedFraction).toEqual([0.5]);
    expect(res.meanAbsDiff).toEqual([2 ** -7 / 2]);
    expect(res.identical).toEqual([false]);
    expect(res.meanUlpsChanged).toEqual([1]);
    expect(res.oneUlpShare).toEqual([1]);
  });

  it('gives the median steps too: a value crossing zero passes every tiny grid value', () => {
    const a = bf16([0.001, 1, 1, 1]);
    const b = bf16([-0.001, 1 + 2 ** -7, 1 + 2 ** -6, 1 + 3 * 2 ** -7]); // crossing 0: ~2·0x3a83 steps; then 1, 2, 3 steps
    const res = fineTuneDiff([model([a]), model([b])], 0, 1, 'input', { deltaSigma: 0 });
    expect(res.meanUlpsChanged[0]).toBeGreaterThan(5000);
    expect(res.medianUlpsChanged).toEqual([2.5]);
  });

  it('sees bit differences that float equality hides, and exact identity', () => {
    const res = fineTuneDiff([model([Float32Array.from([0, 1])]), model([Float32Array.from([-0, 1])])], 0, 1, 'input');
    expect(res.changedFraction).toEqual([0.5]);
    const same = fineTuneDiff(
      [model([Float32Array.from([0.25, 3])]), model([Float32Array.from([0.25, 3])])],
      0,
      1,
      'input',
    );
    expect(same.identical).toEqual([true]);
    expect(same.deltaSigma).toBe(0);
    expect(same.predictedChangedFraction).toEqual([0]);
  });

  it('uses F16 codes for F16 pairs, F32 bits for mixed or off-grid pairs', () => {
    const a = decodeTensor(encodeF16([1, 1000, 0.1]), 'F16');
    const b = decodeTensor(encodeF16([1, 1000.5, 0.1]), 'F16'); // 1000 → 1000.5 is one F16 step
    const res = fineTuneDiff([model([a], 'F16'), model([b], 'F16')], 0, 1, 'input', { deltaSigma: 0 });
    expect(res.grid).toBe('F16');
    expect(res.meanUlpsChanged).toEqual([1]);
    expect(comparisonGrid('BF16', 'F32', [a])).toBe('F32');
    expect(comparisonGrid('BF16', 'BF16', [Float32Array.from([1 + 2 ** -20])])).toBe('F32');
    expect(comparisonGrid('BF16', 'BF16', [bf16([0.3, -7.1])])).toBe('BF16');
  });

  it('reports missing layers as NaN and refuses pairs of different shape', () => {
    const v = bf16([1, 2]);
    const res = fineTuneDiff([model([v, undefined]), model([v, v])], 0, 1, 'input');
    expect(res.changedFraction[1]).toBeNaN();
    expect(res.identical).toEqual([true, false]);
    expect(() => fineTuneDiff([model([v]), model([v, v])], 0, 1, 'input')).toThrow(/same shape/);
  });
});

describe('fineTuneDiff: the rounding-alone prediction', () => {
  it('gives the hand-derived change probability at a power of two and inside a binade', () => {
    const sigma = 2 ** -8 / 1.959963984540054; // half a BF16 gap at 1.5 is 2^-8 = 1.96σ
    expect(changeProbability(2 ** -7, 2 ** -7, sigma)).toBeCloseTo(0.05, 9);
    // at γ = 1 the gap below is half the gap above: half-gaps 1.96σ up, 0.98σ down
    expect(changeProbability(2 ** -7, 2 ** -8, sigma)).toBeCloseTo(
      0.025 + 0.5 * erfc(0.979981992270027 / Math.SQRT2),
      9,
    );
  });

  it('matches a Monte Carlo of round(γ + δ) for a given σ', () => {
    const base = depthGrowingModel(6, 4096, 1);
    const sigma = 1e-3;
    const tuned = fineTune(base, () => sigma, 2);
    const res = fineTuneDiff([model(base), model(tuned)], 0, 1, 'input', { deltaSigma: sigma });
    res.changedFraction.forEach((observed, l) => {
      const p = res.predictedChangedFraction[l]!;
      expect(Math.abs(observed - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 4096) + 1e-3);
    });
  });

  it('fits one σ that explains a whole "early layers changed" pattern made by rounding alone', () => {
    const base = depthGrowingModel(46, 4096, 3);
    const tuned = fineTune(base, () => 1e-3, 4);
    const cpu0 = process.cpuUsage();
    const res = fineTuneDiff([model(base), model(tuned)], 0, 1, 'input');
    const cpu = process.cpuUsage(cpu0),
      ms = (cpu.user + cpu.system) / 1000;
    const show = (xs: number[]) => [0, 5, 10, 20, 30, 45].map((l) => `L${l} ${(100 * xs[l]!).toFixed(1)}%`).join(', ');
    console.log(
      `uniform σ=1e-3: fitted σ=${res.deltaSigma.toExponential(3)} in ${ms.toFixed(0)} ms CPU\n  observed  ${show(res.changedFraction)}\n  predicted ${show(res.predictedChangedFraction)}`,
    );
    expect(res.deltaSigma / 1e-3).toBeGreaterThan(0.97);
    expect(res.deltaSigma / 1e-3).toBeLessThan(1.03);
    expect(res.changedFraction[0]!).toBeGreaterThan(0.9);
    expect(res.changedFraction[45]!).toBeLessThan(0.01);
    res.changedFraction.forEach((observed, l) => {
      const p = res.predictedChangedFraction[l]!;
      expect(Math.abs(observed - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 4096) + 2e-3);
    });
  });

  it('cannot explain updates that really shrink with depth', () => {
    const base = depthGrowingModel(46, 4096, 5);
    const tuned = fineTune(base, (l) => (l < 12 ? 3e-3 : 1e-5), 6);
    const res = fineTuneDiff([model(base), model(tuned)], 0, 1, 'input');
    const misfit = Math.max(...res.changedFraction.map((o, l) => Math.abs(o - res.predictedChangedFraction[l]!)));
    console.log(
      `depth-dependent updates: fitted σ=${res.deltaSigma.toExponential(3)}, worst layer misfit ${(100 * misfit).toFixed(1)} points`,
    );
    expect(misfit).toBeGreaterThan(0.2);
  });
});

describe('fineTuneDiff on Gemma-style norms (stored γ − 1, compared as 1 + w)', () => {
  it('reads the stored BF16 grid of w, not the float32 bits of 1 + w', () => {
    const rand = seededRandom(11);
    const w = Array.from({ length: 3 }, (_, l) => bf16(Array.from({ length: 512 }, () => -0.5 + 0.3 * l + rand())));
    const w2 = w.map((v, l) => bf16(Array.from(v, (x, k) => (k % 4 === l ? x + 0.05 : x))));
    const applied = (vs: Float32Array[]) => vs.map((v) => v.map((x) => 1 + x));
    const shifted = (vs: Float32Array[]) => ({ ...model(applied(vs)), roleShifts: { input: 1 } });
    const res = fineTuneDiff([shifted(w), shifted(w2)], 0, 1, 'input');
    expect(res.grid).toBe('BF16');
    for (let l = 0; l < 3; l++) {
      const changed = w[l]!.filter((x, k) => x !== w2[l]![k]).length / 512;
      expect(res.changedFraction[l]).toBeCloseTo(changed, 12);
    }
    // without the shift the same numbers are off the BF16 grid
    expect(fineTuneDiff([model(applied(w)), model(applied(w2))], 0, 1, 'input').grid).toBe('F32');
  });
});
