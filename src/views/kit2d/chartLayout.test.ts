import { describe, expect, it } from 'vitest';
import {
  decadeDomain,
  decadeTicks,
  finiteExtent,
  layerAtPixel,
  layerTickValues,
  linePanel,
  markerPath,
  paddedDomain,
} from './chartLayout';
import { fixed, percent, pow10Label, runs, sci } from './format';

const box = { x: 100, y: 20, width: 400, height: 200 };

describe('domains and ticks', () => {
  it('finds the finite extent and pads it, holding fixed values', () => {
    expect(finiteExtent([[1, NaN, 3], Float64Array.from([-2, Infinity])])).toEqual([-2, 3]);
    expect(finiteExtent([[NaN]])).toBeNull();
    expect(finiteExtent([[0, 1e-5, 1e-3]], (v) => v > 0)).toEqual([1e-5, 1e-3]);
    expect(paddedDomain([0.2, 0.8], { include: [0, 1.05] })).toEqual([0, 1.05]);
    const [lo, hi] = paddedDomain([1, 2]);
    expect(lo).toBeCloseTo(0.95, 12);
    expect(hi).toBeCloseTo(2.05, 12);
    expect(paddedDomain([3, 3])).toEqual([2.85, 3.15]);
    expect(paddedDomain(null)).toEqual([0, 1]);
  });
  it('uses whole decades on log axes', () => {
    expect(decadeDomain([2e-6, 4e-4])).toEqual([1e-6, 1e-3]);
    expect(decadeDomain([1e-3, 1e-3])).toEqual([1e-3, 1e-2]);
    expect(decadeTicks([1e-6, 1e-3], [200, 0]).map((t) => t.label)).toEqual(['10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³']);
  });
  it('spaces layer ticks for any depth', () => {
    expect(layerTickValues(8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(layerTickValues(32)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(layerTickValues(47)).toEqual([0, 10, 20, 30, 40]);
  });
});

describe('linePanel', () => {
  const p = linePanel({
    box,
    title: 't',
    xLabel: 'layer',
    yLabel: 'y',
    series: [
      { key: 'a', label: 'a', color: '#000', values: [0, 1, NaN, 3, 4] },
      { key: 'b', label: 'b', color: '#111', values: [2, 2] },
    ],
    refLines: [
      { y: 10, label: 'ten', className: 'r' },
      { y: 1, label: 'one', className: 'r' },
    ],
    marker: 3,
  });
  it('maps points into the plot area and breaks lines at NaN', () => {
    const a = p.paths[0]!;
    expect(a.points.map((q) => q.index)).toEqual([0, 1, 3, 4]);
    expect(a.d.match(/M/g)).toHaveLength(2);
    expect(a.points[0]!.x).toBeCloseTo(p.plot.x, 9);
    expect(a.points[3]!.x).toBeCloseTo(p.plot.x + p.plot.width, 9);
    expect(p.xDomain).toEqual([0, 4]);
    // reference lines widen the y domain
    expect(p.yDomain[1]).toBeGreaterThan(10);
    expect(p.refLines.map((r) => r.label)).toEqual(['ten', 'one']);
    expect(p.marker!.x).toBeCloseTo(p.plot.x + 0.75 * p.plot.width, 9);
  });
  it('drops non-positive values on a log axis', () => {
    const log = linePanel({
      box,
      title: '',
      xLabel: '',
      yLabel: '',
      yLog: true,
      series: [{ key: 'a', label: '', color: '', values: [1e-4, 0, 1e-2, -1] }],
    });
    expect(log.paths[0]!.points.map((q) => q.index)).toEqual([0, 2]);
    expect(log.yDomain).toEqual([1e-4, 1e-2]);
  });
  it('finds the layer under a pixel, and nothing outside the plot', () => {
    expect(layerAtPixel(p, p.plot.x + p.plot.width * 0.49)).toBe(2);
    expect(layerAtPixel(p, p.plot.x - 50)).toBeNull();
  });
  it('draws marker shapes as closed paths', () => {
    for (const shape of ['circle', 'square', 'triangle', 'diamond'] as const)
      expect(markerPath(shape, 5, 5)).toMatch(/^M.*(Z|0)$/);
  });
});

describe('format', () => {
  it('prints numbers for people', () => {
    expect(pow10Label(-12)).toBe('10⁻¹²');
    expect(fixed(-0.00001, 3)).toBe('0.000');
    expect(fixed(NaN)).toBe('n/a');
    expect(percent(0.9623)).toBe('96.2%');
    expect(percent(0.00001)).toBe('<0.1%');
    expect(percent(0)).toBe('0.0%');
    expect(sci(0.0012751)).toBe('1.28e-3');
    expect(sci(0.5)).toBe('0.5');
    expect(sci(0)).toBe('0');
    expect(runs([5, 0, 1, 2, 7, 8])).toBe('0–2, 5, 7–8');
  });
});
