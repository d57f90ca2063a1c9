import { describe, expect, it } from 'vitest';
import { fineTuneDiff } from '../../core/diff';
import { bf16, gaussian, testModel } from '../kit2d/testModels';
import {
  diffLayout,
  hoveredLayer,
  movedWords,
  parseSigma,
  sigmaInUse,
  sigmaParamOf,
  sliderLogSigma,
} from './diffModel';

/** GLM-like γ: the layer mean grows with depth (0.01 → 1.6), 5% spread, BF16. */
function growing(layers: number, d: number, seed: number): Float32Array[] {
  const normal = gaussian(seed);
  return Array.from({ length: layers }, (_, l) => {
    const mean = 0.01 * 160 ** (l / (layers - 1));
    return bf16(Array.from({ length: d }, () => mean * (1 + 0.05 * normal())));
  });
}

function update(base: Float32Array[], sigma: (l: number) => number, seed: number): Float32Array[] {
  const normal = gaussian(seed);
  return base.map((v, l) => bf16(Array.from(v, (x) => x + sigma(l) * normal())));
}

const models = (a: Float32Array[], b: Float32Array[]) => [
  testModel(
    'org/base',
    a.map((input) => ({ input })),
  ),
  testModel(
    'org/child',
    b.map((input) => ({ input })),
  ),
];

describe('parseSigma', () => {
  it('accepts positive numbers below 1 only', () => {
    expect(parseSigma('0.001')).toBe(0.001);
    expect(parseSigma('')).toBeNull();
    expect(parseSigma('0')).toBeNull();
    expect(parseSigma('-1e-3')).toBeNull();
    expect(parseSigma('abc')).toBeNull();
  });
});

describe('diffLayout', () => {
  it('draws one bar per compared layer, the prediction as a line, identical layers on the log floor', () => {
    const base = growing(12, 512, 4);
    const child = update(base, (l) => (l < 6 ? 2e-3 : 0), 5);
    const diff = fineTuneDiff(models(base, child), 0, 1, 'input');
    const layout = diffLayout(diff);
    expect(layout.bars).toHaveLength(12);
    const bar = layout.bars[0]!;
    expect(bar.value).toBeCloseTo(diff.changedFraction[0]! * 100, 12);
    expect(bar.y + bar.height).toBeCloseTo(layout.changed.plot.y + layout.changed.plot.height, 9);
    expect(layout.changed.paths[0]!.points).toHaveLength(12);
    expect(layout.identicalMarks.map((m) => m.layer)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(layout.absDiff.paths[0]!.points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const t of layout.absDiff.yTicks) expect(t.label).toMatch(/^10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+$/);
    // (c): a σ_l marker for each updated layer, a whisker for every layer, upper bounds only where nothing changed
    expect(layout.scale.paths[0]!.points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(layout.whiskers).toHaveLength(12);
    expect(layout.whiskers.filter((w) => w.upperOnly).map((w) => w.layer)).toEqual([6, 7, 8, 9, 10, 11]);
    for (const w of layout.whiskers) {
      expect(w.top).toBeLessThan(w.bottom);
      expect(w.x).toBeCloseTo(
        layout.scale.plot.x + (layout.bars[w.layer]!.x + layout.bars[w.layer]!.width / 2 - layout.changed.plot.x),
        6,
      );
    }
    const p0 = layout.scale.paths[0]!.points[0]!;
    expect(p0.y).toBeGreaterThan(layout.whiskers[0]!.top);
    expect(p0.y).toBeLessThan(layout.whiskers[0]!.bottom);
    expect(layout.scale.refLines).toHaveLength(1);
  });
});

describe('slider and readout helpers', () => {
  it('clamps the slider to its range and reads a position back to three digits', () => {
    expect(sliderLogSigma(1e-3)).toBeCloseTo(-3, 12);
    expect(sliderLogSigma(0)).toBe(-6);
    expect(sliderLogSigma(1e-9)).toBe(-6);
    expect(sliderLogSigma(0.5)).toBe(-1);
    expect(sigmaParamOf('-2.5')).toBe('0.00316');
    expect(sigmaInUse(null, null)).toBe(1e-3);
    expect(sigmaInUse(2e-4, null)).toBe(2e-4);
  });

  it('names a hovered layer only when it was compared, and says how far its values moved', () => {
    const base = growing(4, 256, 7);
    const child = update(base, (l) => (l < 2 ? 2e-3 : 0), 8);
    const diff = fineTuneDiff(models(base, child), 0, 1, 'input');
    expect(sigmaInUse(null, diff)).toBe(diff.deltaSigma);
    expect(hoveredLayer(diff, null)).toBeNull();
    expect(hoveredLayer(diff, 4)).toBeNull();
    expect(hoveredLayer(diff, 1)).toBe(1);
    expect(movedWords(diff, 3)).toBe(' — identical');
    expect(movedWords(diff, 0)).toMatch(/^; changed values moved a median [\d.]+ grid steps?, \d+% by exactly one$/);
  });
});
