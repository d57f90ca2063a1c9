// Seed Figures 1, 3, 4 as data: (a) γ of 50 dimensions sampled by quartile of the pair's mean,
// (b) the same dimensions minus each model's own mean, (c) cosine and Pearson of same-index
// layers. cos and r are computed over every dimension, not over the sample.
import { scaleBand, scaleLinear } from 'd3-scale';
import { cosine, cosineFromMoments, meanStd, pearson } from '../../core/metrics';
import { sampleByQuartile } from '../../core/sampling';
import { finiteExtent, inset, linePanel, linearTicks, paddedDomain, PANEL_MARGIN } from '../kit2d/chartLayout';
import type { LinePanelLayout, Rect, Tick } from '../kit2d/chartLayout';
import type { LoadedModel, NormRole } from '../../core/types';

export const SAMPLE_SIZE = 50;
export const DEFAULT_SEED = 1;
export const FIGURE_WIDTH = 1380;
export const FIGURE_HEIGHT = 360;
const GAP = 28;
/** the seed draws raw cosine dark grey and Pearson purple in every (c) panel */
export const COSINE_COLOR = '#4d4d4d';
export const PEARSON_COLOR = '#7b61c4';

export interface DiagonalPoint {
  layer: number;
  cosine: number;
  pearson: number;
}

/**
 * Cosine and Pearson of layer i of a with layer i of b over all dimensions, for the layers both
 * have (the shorter model sets the length); NaN where either lacks the role or widths differ.
 */
export function diagonalOf(a: LoadedModel, b: LoadedModel, norm: NormRole): DiagonalPoint[] {
  const n = Math.min(a.layers.length, b.layers.length);
  return Array.from({ length: n }, (_, layer) => {
    const x = a.layers[layer]?.[norm],
      y = b.layers[layer]?.[norm];
    if (!x || !y || x.length !== y.length) return { layer, cosine: NaN, pearson: NaN };
    return { layer, cosine: cosine(x, y), pearson: pearson(x, y) };
  });
}

/** The same-index layer with the highest raw cosine (the seed's choice), or null if none is finite. */
export function highestCosineLayer(diagonal: DiagonalPoint[]): number | null {
  let best: DiagonalPoint | null = null;
  for (const p of diagonal) if (Number.isFinite(p.cosine) && (!best || p.cosine > best.cosine)) best = p;
  return best ? best.layer : null;
}

/** `layer=` when it names a same-index layer with values, else the highest-cosine layer. */
export function resolveLayer(requested: string, diagonal: DiagonalPoint[]): number | null {
  const n = Number(requested);
  if (requested !== '' && Number.isInteger(n) && diagonal.some((p) => p.layer === n && Number.isFinite(p.cosine)))
    return n;
  return highestCosineLayer(diagonal);
}

/** `seed=`: a non-negative integer, else the default. */
export function parseSeed(text: string): number {
  const n = Number(text);
  return text !== '' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff ? n : DEFAULT_SEED;
}

export interface BarLayout {
  /** position in the sample, left to right */
  sample: number;
  dim: number;
  series: 0 | 1;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BarPanelLayout {
  box: Rect;
  plot: Rect;
  title: string;
  tag: string;
  yLabel: string;
  xLabel: string;
  yTicks: Tick[];
  bars: BarLayout[];
  zeroY: number;
  /** y of γ = 1.0 (the initial value), when in range */
  initY: number | null;
  /** the statistic printed in the corner, over all dimensions */
  stat: string[];
  /** x extent of each sampled dimension's pair of bars, for hover */
  slots: { sample: number; dim: number; x0: number; x1: number }[];
}

export interface IntuitionLayout {
  width: number;
  height: number;
  layer: number;
  d: number;
  dims: number[];
  cos: number;
  r: number;
  /** the cosine the two means and stds alone give (r = 0): docs/methods.md §0.2 */
  cosAtZeroR: number;
  meanA: number;
  meanB: number;
  raw: BarPanelLayout;
  centred: BarPanelLayout;
  perLayer: LinePanelLayout;
}

export interface IntuitionInput {
  /** the selected layer's vectors of the two models (same length) */
  a: Float32Array;
  b: Float32Array;
  diagonal: DiagonalPoint[];
  layer: number;
  seed: number;
  n?: number;
  width?: number;
  height?: number;
}

function barPanel(
  box: Rect,
  tag: string,
  title: string,
  yLabel: string,
  dims: number[],
  values: [number, number][],
  domain: [number, number],
  stat: string[],
  initValue: number | null,
): BarPanelLayout {
  const plot = inset(box, PANEL_MARGIN);
  const x = scaleBand<number>()
    .domain(dims.map((_, i) => i))
    .range([plot.x, plot.x + plot.width])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const y = scaleLinear()
    .domain(domain)
    .range([plot.y + plot.height, plot.y]);
  const half = x.bandwidth() / 2;
  const y0 = y(0);
  const bars: BarLayout[] = [];
  values.forEach(([va, vb], i) => {
    const left = x(i)!;
    ([va, vb] as const).forEach((value, s) => {
      if (!Number.isFinite(value)) return;
      const yv = y(value);
      bars.push({
        sample: i,
        dim: dims[i]!,
        series: s as 0 | 1,
        value,
        x: left + s * half,
        y: Math.min(yv, y0),
        width: half,
        height: Math.abs(yv - y0),
      });
    });
  });
  const step = x.step();
  return {
    box,
    plot,
    tag,
    title,
    yLabel,
    xLabel: 'sampled dimension (sorted by the pair’s mean)',
    yTicks: linearTicks(domain, [plot.y + plot.height, plot.y], 5),
    bars,
    zeroY: y0,
    initY: initValue !== null && initValue >= domain[0] && initValue <= domain[1] ? y(initValue) : null,
    stat,
    slots: dims.map((dim, i) => ({
      sample: i,
      dim,
      x0: x(i)! - (step - x.bandwidth()) / 2,
      x1: x(i)! + x.bandwidth() + (step - x.bandwidth()) / 2,
    })),
  };
}

/** The sampled dimension under a pixel x of a bar panel, or null. */
export function sampleAt(panel: BarPanelLayout, px: number): number | null {
  return panel.slots.find((s) => px >= s.x0 && px < s.x1)?.sample ?? null;
}

export function intuitionLayout(input: IntuitionInput): IntuitionLayout {
  const { a, b, diagonal, layer, seed } = input;
  if (a.length !== b.length)
    throw new Error(`Layer ${layer}: the two vectors differ in length (${a.length} vs ${b.length}).`);
  const width = input.width ?? FIGURE_WIDTH,
    height = input.height ?? FIGURE_HEIGHT;
  const panelW = (width - 2 * GAP) / 3;
  const box = (k: number): Rect => ({ x: k * (panelW + GAP), y: 0, width: panelW, height });

  const dims = sampleByQuartile(a, b, input.n ?? SAMPLE_SIZE, seed);
  const sa = meanStd(a),
    sb = meanStd(b);
  const cos = cosine(a, b),
    r = pearson(a, b);
  const cosAtZeroR = cosineFromMoments(sa.mean, sa.std, sb.mean, sb.std, 0);
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');

  const rawValues = dims.map((d) => [a[d]!, b[d]!] as [number, number]);
  const rawExtent = finiteExtent(rawValues.map((v) => v));
  const rawDomain = paddedDomain(rawExtent, { include: [0, 1.05] });
  const raw = barPanel(
    box(0),
    '(a)',
    `Layer ${layer}`,
    'γ value',
    dims,
    rawValues,
    rawDomain,
    [`cos = ${fmt(cos)} (all ${a.length} dims)`, `with r = 0 it would be ${fmt(cosAtZeroR)}`],
    1,
  );

  const centredValues = dims.map((d) => [a[d]! - sa.mean, b[d]! - sb.mean] as [number, number]);
  const centredDomain = paddedDomain(finiteExtent(centredValues.map((v) => v)), { include: [0], pad: 0.08 });
  const centred = barPanel(
    box(1),
    '(b)',
    'Centred',
    'γ − mean(own vector)',
    dims,
    centredValues,
    centredDomain,
    [`r = ${fmt(r)} (all ${a.length} dims)`],
    null,
  );

  const ext = finiteExtent([diagonal.map((p) => p.cosine), diagonal.map((p) => p.pearson)]);
  const perLayer = linePanel({
    box: box(2),
    title: 'Per layer (i ↔ i)',
    xLabel: 'layer',
    yLabel: 'similarity',
    xDomain: [0, Math.max(1, diagonal.length - 1)],
    yDomain: [Math.min(-0.2, (ext?.[0] ?? 0) - 0.05), Math.max(1.1, (ext?.[1] ?? 1) + 0.02)],
    series: [
      {
        key: 'cosine',
        label: 'raw cosine',
        color: COSINE_COLOR,
        values: diagonal.map((p) => p.cosine),
        xs: diagonal.map((p) => p.layer),
        marker: 'circle',
      },
      {
        key: 'pearson',
        label: 'Pearson r',
        color: PEARSON_COLOR,
        values: diagonal.map((p) => p.pearson),
        xs: diagonal.map((p) => p.layer),
        marker: 'triangle',
      },
    ],
    refLines: [{ y: 0, label: '', className: 'f2d-zero' }],
    marker: layer,
  });
  return {
    width,
    height,
    layer,
    d: a.length,
    dims,
    cos,
    r,
    cosAtZeroR,
    meanA: sa.mean,
    meanB: sb.mean,
    raw,
    centred,
    perLayer,
  };
}
