import { describe, expect, it } from 'vitest';
import { fineTuneDiff } from '../../core/diff';
import { bf16, gaussian, testModel } from '../kit2d/testModels';
import { diffLayout, parseSigma, summarizeDiff } from './diffModel';

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

const models = (a: Float32Array[], b: Float32Array[]) => [testModel('org/base', a.map((input) => ({ input }))), testModel('org/child', b.map((input) => ({ input })))];
const names: [string, string] = ['base', 'child'];

describe('parseSigma', () => {
  it('accepts positive numbers below 1 only', () => {
    expect(parseSigma('0.001')).toBe(0.001);
    expect(parseSigma('')).toBeNull();
    expect(parseSigma('0')).toBeNull();
    expect(parseSigma('-1e-3')).toBeNull();
    expect(parseSigma('abc')).toBeNull();
  });
});

describe('summarizeDiff', () => {
  const base = growing(30, 2048, 1);

  it('one uniform update: rounding explains the early-to-deep drop', () => {
    const m = models(base, update(base, () => 1e-3, 2));
    const diff = fineTuneDiff(m, 0, 1, 'input');
    const s = summarizeDiff(diff, 2048, 'fit', names);
    expect(s.measuredEarly).toBeGreaterThan(s.measuredDeep + 0.3);
    expect(s.roundingShare).not.toBeNull();
    expect(s.roundingShare!).toBeGreaterThan(0.85);
    expect(s.roundingShare!).toBeLessThan(1.15);
    expect(s.sentences.join(' ')).toMatch(/Most of “early layers changed, deep layers did not” is the storage grid/);
    expect(s.moreThanPredicted).toEqual([]);
  });

  it('an update only in the early layers is not rounding', () => {
    const m = models(base, update(base, (l) => (l < 10 ? 3e-3 : 0), 3));
    const diff = fineTuneDiff(m, 0, 1, 'input');
    const s = summarizeDiff(diff, 2048, 'fit', names);
    expect(s.identicalLayers).toEqual(Array.from({ length: 20 }, (_, i) => i + 10));
    expect(s.sentences[0]).toBe('Layers 10–29 are bit-for-bit identical.');
    expect(s.lessThanPredicted.length).toBeGreaterThan(0);
    expect(s.roundingShare!).toBeLessThan(0.8);
  });

  it('identical tensors are said plainly', () => {
    const diff = fineTuneDiff(models(base, base), 0, 1, 'input');
    const s = summarizeDiff(diff, 2048, 'fit', names);
    expect(s.allIdentical).toBe(true);
    expect(s.sentences).toHaveLength(1);
    expect(s.sentences[0]).toMatch(/^Identical: every stored value/);
  });

  it('a role neither model has', () => {
    const m = [testModel('a', [{ post: base[0] }]), testModel('b', [{ post: base[0] }])];
    const s = summarizeDiff(fineTuneDiff(m, 0, 1, 'input'), 2048, 'fit', names);
    expect(s.compared).toBe(0);
    expect(s.sentences[0]).toMatch(/No layer has this norm/);
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
  });
});
