// Every colour ramp and palette of the app, seen with simulated protanopia, deuteranopia and tritanopia
// (Machado et al. 2009, severity 1.0, linear RGB): sequential ramps keep a monotonic CIELAB L* and ends
// at least READABLE.rampEnds (ΔE2000 20) apart; the diverging ramp does so on each side of its centre;
// colours drawn together stay READABLE.categorical (ΔE2000 10) apart. Red–green ramps and the old
// model palette are here to show that the checks fail where they should.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rgb } from 'd3-color';
import { interpolateRdYlGn, interpolateViridis } from 'd3-scale-chromatic';
import {
  closestPair,
  deltaE2000,
  DICHROMACIES,
  divergingProblem,
  READABLE,
  sequentialProblem,
  simulatedLab,
} from './colourVision';
import type { Vision } from './colourVision';
import { colorScaleFor } from './heatmap/heatmapModel';
import { colorOf } from './surface/surfaceModel';
import { MODEL_COLORS, INIT_COLOR, RIDGE_FILL_OPACITY } from './kit2d/palette';
import { COLOR_A, COLOR_B, COLOR_ARC, COLOR_ONES, COLOR_PLANE } from './centering/sceneShared';
import { MEASURED_COLOR, PREDICTED_COLOR } from './diff/diffModel';
import { COSINE_COLOR, PEARSON_COLOR } from './intuition/intuitionModel';

const VISIONS: Vision[] = ['normal', ...DICHROMACIES];

/** Colours that live in the stylesheet: the first `prop` of a rule, with the :root variables resolved. */
const CSS = readFileSync(resolve(__dirname, '../app/app.css'), 'utf8');
function cssColor(selector: string, prop: 'stroke' | 'fill'): string {
  const at = CSS.indexOf(`${selector} {`);
  if (at < 0) throw new Error(`no rule ${selector} in app.css`);
  const value = new RegExp(`\\b${prop}:\\s*([^;]+);`).exec(CSS.slice(at, CSS.indexOf('}', at)))![1]!.trim();
  const variable = /^var\((--[\w-]+)\)$/.exec(value);
  return variable ? new RegExp(`${variable[1]}:\\s*([^;]+);`).exec(CSS)![1]!.trim() : value;
}

/** a heatmap scale as a ramp over t ∈ [0, 1] */
const heatmapRamp = (metric: 'cosine' | 'pearson') => {
  const scale = colorScaleFor(metric, [-1, 1], 'fixed');
  const [lo, hi] = scale.domain;
  return (t: number) => scale.color(lo + (hi - lo) * t);
};
const surfaceRamp = (t: number) =>
  rgb(...(colorOf(t, [0, 1]).map((x) => Math.round(x * 255)) as [number, number, number])).formatHex();
const overWhite = (css: string, alpha: number) => {
  const c = rgb(css);
  return rgb(255 + (c.r - 255) * alpha, 255 + (c.g - 255) * alpha, 255 + (c.b - 255) * alpha).formatHex();
};

describe('the colour science', () => {
  it('CIEDE2000 matches Sharma, Wu and Dalal’s published test pairs', () => {
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 4);
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(deltaE2000([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387])).toBeCloseTo(1.2644, 4);
  });
  it('CIELAB of white, black and sRGB red', () => {
    expect(simulatedLab('#ffffff', 'normal')[0]).toBeCloseTo(100, 3);
    expect(simulatedLab('#000000', 'normal')[0]).toBeCloseTo(0, 6);
    const red = simulatedLab('#ff0000', 'normal');
    expect(red[0]).toBeCloseTo(53.24, 1);
    expect(red[1]).toBeCloseTo(80.09, 1);
    expect(red[2]).toBeCloseTo(67.2, 1);
  });
  it('the dichromat simulations keep greys grey and merge red with green (not blue with yellow) for protan/deutan', () => {
    for (const v of DICHROMACIES) {
      const [l, a, b] = simulatedLab('#808080', v);
      expect(l).toBeCloseTo(simulatedLab('#808080', 'normal')[0], 0);
      expect(Math.hypot(a, b)).toBeLessThan(1.5);
    }
    // a red and a green of equal lightness: far apart normally, close for protanopes and deuteranopes
    const pair = ['#c0504d', '#5a8f29'];
    expect(closestPair(pair, 'normal')[2]).toBeGreaterThan(40);
    expect(closestPair(pair, 'deuteranopia')[2]).toBeLessThan(READABLE.categorical);
    expect(closestPair(pair, 'protanopia')[2]).toBeLessThan(closestPair(pair, 'tritanopia')[2]);
  });
});

describe('the checks can fail', () => {
  it('a red–green diverging ramp (RdYlGn) fails for protanopes and deuteranopes', () => {
    expect(divergingProblem(interpolateRdYlGn, 'normal')).toBeNull();
    expect(divergingProblem(interpolateRdYlGn, 'deuteranopia')).toMatch(/ends only ΔE2000/);
    expect(divergingProblem(interpolateRdYlGn, 'protanopia')).toMatch(/ends only ΔE2000/);
  });
  it('a ramp whose lightness turns back fails', () => {
    const rainbow = (t: number) => `hsl(${t * 300}, 90%, 50%)`;
    expect(sequentialProblem(rainbow, 'normal')).toMatch(/L\* turns back/);
    expect(sequentialProblem((t) => interpolateViridis(1 - Math.abs(2 * t - 1)), 'normal')).toMatch(/turns back/);
  });
  it('the model palette used before this check fails it (green vs orange for protanopes)', () => {
    const old = ['#6a3fb5', '#5f6368', '#2e9e5b', '#d9822b', '#1f77b4', '#c2185b', '#8c6d31', '#17a2b8'];
    expect(closestPair(old, 'protanopia')[2]).toBeLessThan(READABLE.categorical);
    expect(closestPair(['#2e9e5b', '#d9822b'], 'protanopia')[2]).toBeLessThan(READABLE.categorical);
    expect(closestPair(['#2e9e5b', '#d9822b'], 'normal')[2]).toBeGreaterThan(READABLE.categorical);
  });
});

it('reads the stylesheet’s colours', () => {
  expect(cssColor('.line-pearson', 'stroke')).toBe('#5b3ca0');
  expect(cssColor('.lineage-map .edge.contradicted .stroke', 'stroke')).toBe('#d0342c');
});

describe.each(VISIONS)('every ramp and palette with %s', (vision) => {
  it('heatmap: raw cosine (sequential YlOrRd)', () => {
    expect(sequentialProblem(heatmapRamp('cosine'), vision)).toBeNull();
  });
  it('heatmap: Pearson r (diverging, blue below 0, red above)', () => {
    expect(divergingProblem(heatmapRamp('pearson'), vision)).toBeNull();
  });
  it('3-D surface: γ (sequential viridis)', () => {
    expect(sequentialProblem(surfaceRamp, vision)).toBeNull();
  });
  it('model colours: any two of the eight (2-D charts, ridges, PCA)', () => {
    const [i, j, d] = closestPair(MODEL_COLORS, vision);
    expect(d, `${MODEL_COLORS[i]} vs ${MODEL_COLORS[j]}`).toBeGreaterThanOrEqual(READABLE.categorical);
  });
  it('ridges: two models’ translucent fills over white', () => {
    const fills = MODEL_COLORS.slice(0, 2).map((c) => overWhite(c, RIDGE_FILL_OPACITY));
    expect(closestPair(fills, vision)[2]).toBeGreaterThanOrEqual(READABLE.categorical);
  });
  it('colours drawn together in one figure', () => {
    const sets: Record<string, string[]> = {
      'centering scene (A, B, the ones direction, the arc, the plane)': [
        COLOR_A,
        COLOR_B,
        COLOR_ONES,
        COLOR_ARC,
        COLOR_PLANE,
      ],
      'fine-tune diff (a): measured and rounding alone': [MEASURED_COLOR, PREDICTED_COLOR],
      'intuition (c): cosine, Pearson r and the shown layer': [COSINE_COLOR, PEARSON_COLOR, INIT_COLOR],
      'compare diagonal: cosine, Pearson r and the marker': [
        cssColor('.line-cosine', 'stroke'),
        cssColor('.line-pearson', 'stroke'),
        cssColor('.marker', 'stroke'),
      ],
      'lineage map edges: declared only, measured, contradicted, undeclared': [
        cssColor('.lineage-map .edge.declared-only .stroke', 'stroke'),
        cssColor('.lineage-map .edge.measured .stroke', 'stroke'),
        cssColor('.lineage-map .edge.contradicted .stroke', 'stroke'),
        cssColor('.lineage-map .edge.undeclared .stroke', 'stroke'),
      ],
    };
    for (const [name, colors] of Object.entries(sets)) {
      const [i, j, d] = closestPair(colors, vision);
      expect(d, `${name}: ${colors[i]} vs ${colors[j]}`).toBeGreaterThanOrEqual(READABLE.categorical);
    }
  });
});
