import { describe, expect, it } from 'vitest';
import { bf16Ulp } from '../../core/dtypes';
import { modelPrecision } from '../../core/precision';
import { gammaVector, growingModel, testModel } from '../kit2d/testModels';
import { precisionFindings, precisionLayout } from './precisionModel';

const models = [
  growingModel('org/a', 10, 1024, 1),
  testModel('org/tight', [{ input: gammaVector(1024, 2, 0.004, 9) }, { input: gammaVector(1024, 0.5, 0.05, 10) }]),
];
const names = new Map([
  [0, 'a'],
  [1, 'tight'],
]);
const profiles = [modelPrecision(models, 0, 'input'), modelPrecision(models, 1, 'input')];

describe('precisionLayout', () => {
  const layout = precisionLayout(profiles, names, { marker: 3 });
  it('plots ‖γ‖ with √d, the spread in ulps on a log axis and the lost share, BF16 solid and FP16 dashed', () => {
    expect(layout.norm.paths.map((p) => p.key)).toEqual(['0', '1']);
    expect(layout.norm.refLines.map((r) => r.label)).toEqual(['√1024 = 32.0']);
    expect(layout.spread.yLog).toBe(true);
    expect(layout.spread.paths.map((p) => `${p.key}:${p.dash ?? 'solid'}`)).toEqual([
      '0-bf16:solid',
      '0-f16:5 3',
      '1-bf16:solid',
      '1-f16:5 3',
    ]);
    const p = profiles[0]!;
    expect(layout.spread.paths[0]!.points[5]!.value).toBeCloseTo(p.std[5]! / bf16Ulp(p.mean[5]!), 9);
    expect(layout.lost.paths[2]!.points[0]!.value).toBeCloseTo(profiles[1]!.bf16.lostShare[0]! * 100, 9);
    expect(layout.lost.yDomain[0]).toBe(0);
    expect(layout.norm.xDomain).toEqual([0, 9]);
    expect(layout.lost.marker).not.toBeNull();
  });
});

describe('precisionFindings', () => {
  it('names the layer where BF16 loses the most, with FP16 beside it', () => {
    const [, tight] = precisionFindings(profiles, names);
    // mean just under 2, std ≈ 0.004: a BF16 step there is 2⁻⁷ ≈ 0.0078, twice the spread
    expect(tight!.worstLayer).toBe(0);
    expect(tight!.worstShare).toBeGreaterThan(0.8);
    expect(tight!.sentence).toMatch(
      /^tight: the tightest layer in BF16 is L0 \(mean 1\.99\d, std 3\.\d+e-3\), where one grid step at the mean is 7\.81e-3 and the pattern spans 0\.5 steps/,
    );
    expect(tight!.sentence).toMatch(/FP16, with 3 more mantissa bits, loses at most \d+\.\d%\.$/);
  });
  it('says so when a model lacks the role', () => {
    const none = modelPrecision([testModel('p', [{ post: gammaVector(16, 1, 0.1, 1) }])], 0, 'input');
    expect(precisionFindings([none], new Map([[0, 'p']]))[0]!.sentence).toBe('p: no layer has this norm.');
  });
});
