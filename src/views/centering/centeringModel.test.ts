import { describe, expect, it } from 'vitest';
import { centeringBasis } from '../../core/centering';
import type { PairMatrices } from '../../core/types';
import {
  DEFAULT_TOY,
  alphaAt,
  axisNamesFor,
  formatPearson,
  orbitTarget,
  pausedAlphaOf,
  scaleVec3,
  titleFor,
  angleArc,
  clampToy,
  CYCLE_S,
  HOLD_S,
  parseAlpha,
  parseVec3,
  pearsonOf,
  readout,
  realInput,
  realSummary,
  resolveRealCell,
  RISE_S,
  sceneLayout,
  timeForAlpha,
  toyInput,
} from './centeringModel';

const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < u.length; k++) s += (u[k] as number) * (v[k] as number);
  return s;
};
const cos64 = (a: number[], b: number[]) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
const pearson64 = (a: number[], b: number[]) => {
  const ma = a.reduce((s, x) => s + x, 0) / a.length,
    mb = b.reduce((s, x) => s + x, 0) / b.length;
  return cos64(
    a.map((x) => x - ma),
    b.map((x) => x - mb),
  );
};

describe('toy scene', () => {
  const input = toyInput(DEFAULT_TOY.a, DEFAULT_TOY.b);

  it('defaults reproduce the seed figure: cos ≈ 0.96 raw, r ≈ −0.60 centred', () => {
    expect(sceneLayout(input, 0).cosine).toBeCloseTo(0.96, 2);
    expect(pearsonOf(input)).toBeCloseTo(-0.6, 2);
    expect(sceneLayout(input, 1).angleDeg).toBeCloseTo(126.9, 1);
    expect(DEFAULT_TOY.a.every((x) => x > 0) && DEFAULT_TOY.b.every((x) => x > 0)).toBe(true);
  });

  it('at α = 1 both tips lie on x + y + z = 0 and the cosine equals Pearson r', () => {
    const end = sceneLayout(input, 1);
    expect(end.wa[0] + end.wa[1] + end.wa[2]).toBeCloseTo(0, 14);
    expect(end.wb[0] + end.wb[1] + end.wb[2]).toBeCloseTo(0, 14);
    expect(end.cosine).toBeCloseTo(pearson64(DEFAULT_TOY.a, DEFAULT_TOY.b), 14);
    expect(end.rawA).toEqual(DEFAULT_TOY.a);
  });

  it('the cosine falls monotonically from raw cosine to r as the mean is removed', () => {
    let prev = Infinity;
    for (let k = 0; k <= 20; k++) {
      const c = sceneLayout(input, k / 20).cosine;
      expect(c).toBeLessThanOrEqual(prev + 1e-12);
      prev = c;
    }
  });

  it('formats the readout with a true minus sign', () => {
    const r = readout(sceneLayout(input, 1), pearsonOf(input));
    expect(r).toEqual({ alpha: '1.00', cosine: '−0.600', angle: '127°', pearson: '−0.600' });
  });
});

describe('angle arc', () => {
  it('runs from u to v at the given radius, spanning the angle', () => {
    const arc = angleArc([2, 0, 0], [0, 0, 5], 1, 8);
    expect(arc).toHaveLength(9);
    expect(arc[0]![0]).toBeCloseTo(1, 12);
    expect(arc[8]![2]).toBeCloseTo(1, 12);
    for (const p of arc) expect(Math.hypot(...p)).toBeCloseTo(1, 12);
  });
  it('copes with antiparallel and zero vectors', () => {
    const arc = angleArc([1, 1, 1], [-1, -1, -1], 1, 4);
    expect(arc[4]![0]).toBeCloseTo(-1 / Math.sqrt(3), 9);
    expect(angleArc([0, 0, 0], [1, 0, 0], 1)).toEqual([]);
  });
});

describe('URL parameters', () => {
  it('parses alpha: blank means playing, numbers are clamped', () => {
    expect(parseAlpha('')).toBeNull();
    expect(parseAlpha('0.25')).toBe(0.25);
    expect(parseAlpha('7')).toBe(1);
    expect(parseAlpha('abc')).toBeNull();
  });
  it('parses vectors, clamps them positive, and falls back on garbage', () => {
    expect(parseVec3('0.1,0.2,0.3', [1, 1, 1])).toEqual([0.1, 0.2, 0.3]);
    expect(parseVec3('-1,0.2,9', [1, 1, 1])).toEqual([0.02, 0.2, 1.5]);
    expect(parseVec3('1,2', [1, 1, 1])).toEqual([1, 1, 1]);
    expect(parseVec3('1,,2', [1, 1, 1])).toEqual([1, 1, 1]);
    expect(clampToy([0.12345, 1, 1])).toEqual([0.123, 1, 1]);
  });
});

describe('timeline', () => {
  it('rises, holds at 1, falls, holds at 0, and loops', () => {
    expect(alphaAt(0)).toBe(0);
    expect(alphaAt(RISE_S / 2)).toBeCloseTo(0.5, 12);
    expect(alphaAt(RISE_S + HOLD_S / 2)).toBe(1);
    expect(alphaAt(2 * RISE_S + HOLD_S + 0.1)).toBe(0);
    expect(alphaAt(CYCLE_S + RISE_S / 2)).toBeCloseTo(0.5, 12);
  });
  it('resumes from a paused α on the rising half', () => {
    for (const a of [0, 0.1, 0.5, 0.93, 1]) expect(alphaAt(timeForAlpha(a))).toBeCloseTo(a, 9);
  });
});

describe('real-data scene', () => {
  const d = 512;
  const a = Array.from({ length: d }, (_, k) => 0.8 + 0.1 * Math.sin(k * 0.37));
  const b = Array.from({ length: d }, (_, k) => 0.5 + 0.05 * Math.cos(k * 1.1) + 0.02 * Math.sin(k * 0.37));
  const basis = centeringBasis(a, b);

  it('draws 1 upwards and the centred vectors on the floor; lengths are the data’s', () => {
    const input = realInput(basis);
    const start = sceneLayout(input, 0),
      end = sceneLayout(input, 1);
    expect(Math.hypot(...start.rawA)).toBeCloseTo(Math.sqrt(dot(a, a)), 10);
    expect(start.rawA[2]).toBeCloseTo(basis.meanA * Math.sqrt(d), 12);
    expect(end.wa[2]).toBe(0);
    expect(end.wb[2]).toBe(0);
    expect(start.cosine).toBeCloseTo(cos64(a, b), 12);
    expect(end.cosine).toBeCloseTo(pearson64(a, b), 12);
  });

  it('summarises lengths, centred lengths and both metrics', () => {
    const s = realSummary(basis);
    expect(s.d).toBe(d);
    expect(s.lengthB).toBeCloseTo(Math.sqrt(dot(b, b)), 10);
    const cb = b.map((x) => x - basis.meanB);
    expect(s.centredB).toBeCloseTo(Math.sqrt(dot(cb, cb)), 10);
    expect(s.cos0).toBeCloseTo(cos64(a, b), 12);
    expect(s.r1).toBeCloseTo(pearson64(a, b), 12);
    expect(s.shareA).toBeLessThan(0.2);
  });

  it('picks the layer pair: layer=, then cell=, then the highest-cosine diagonal', () => {
    const pair: PairMatrices = {
      a: 0,
      b: 1,
      norm: 'input',
      rows: 3,
      cols: 4,
      cosine: Float64Array.from([0.9, 0, 0, 0, 0, 0.95, 0, 0, 0, 0, 0.93, 0]),
      pearson: new Float64Array(12),
    };
    expect(resolveRealCell('2', [0, 3], pair)).toEqual({ cell: [2, 2], source: 'layer' });
    expect(resolveRealCell('', [0, 3], pair)).toEqual({ cell: [0, 3], source: 'cell' });
    expect(resolveRealCell('9', [5, 0], pair)).toEqual({ cell: [1, 1], source: 'default' });
  });
});

describe('view helpers', () => {
  it('titles the figure by α', () => {
    expect(titleFor(0)).toBe('Raw cosine similarity (α = 0)');
    expect(titleFor(1)).toBe('Pearson correlation (α = 1: mean removed)');
    expect(titleFor(0.5)).toBe('Removing the mean: α = 0.50');
  });
  it('formats Pearson r with a typographic minus', () => {
    expect(formatPearson(-0.6)).toBe('−0.600');
    expect(formatPearson(NaN)).toBe('n/a');
  });
  it('starts paused at 0 under reduced motion until alpha=play', () => {
    expect(pausedAlphaOf(true, '')).toBe(0);
    expect(pausedAlphaOf(false, '')).toBe(parseAlpha(''));
    expect(pausedAlphaOf(true, 'play')).toBe(parseAlpha('play'));
    expect(pausedAlphaOf(true, '0.4')).toBe(0.4);
  });
  it('aims the camera and names the axes by mode', () => {
    expect(orbitTarget('toy', 2)).toEqual([0.56, 0.56, 0.44]);
    expect(orbitTarget('real', 2)).toEqual([0, 0, 1.1]);
    expect(axisNamesFor('toy')).toEqual(['x', 'y', 'z']);
    expect(axisNamesFor('real')[2]).toBe('');
    expect(scaleVec3([1, 2, 3], 2)).toEqual([2, 4, 6]);
  });
});
