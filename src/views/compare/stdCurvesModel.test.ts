import { describe, expect, it } from 'vitest';
import { brokenPath, stdRolePanels } from './stdCurvesModel';
import type { StdProfile } from '../../core/deep/api';

const profile = (labels: string[], stdA: number[], stdB: number[]): StdProfile => ({
  labels,
  stdA,
  stdB,
  correlation: NaN,
  rowNormA: [],
  rowNormB: [],
  rowNormCorrelation: NaN,
  caveat: '',
});

describe('stdRolePanels', () => {
  it('puts each role in its own panel, in order, keeping the index into the profile', () => {
    const p = profile(['L0 q', 'L5 q', 'L9 q', 'L0 gate', 'L5/6 gate'], [1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    const panels = stdRolePanels(p);
    expect(panels.map((x) => x.role)).toEqual(['q', 'gate']);
    expect(panels[0]!.points.map((x) => x.layer)).toEqual(['L0', 'L5', 'L9']);
    expect(panels[1]!.points).toEqual([
      { index: 3, layer: 'L0', a: 4, b: 9 },
      { index: 4, layer: 'L5/6', a: 5, b: 10 },
    ]);
  });
});

describe('brokenPath', () => {
  it('breaks the line at a missing value', () => {
    expect(
      brokenPath(
        [1, NaN, 2, 3],
        (i) => i,
        (v) => v,
      ),
    ).toBe('M0.0,1.0M2.0,2.0L3.0,3.0');
  });
});
