// Seed Figure 10 / Appendix D as data: diff = input − post of each layer, a fingerprint of how a
// model splits scale between attention and FFN. (a) its mean and (b) its std per layer for both
// models, (c) the Pearson r of the two models' diffs at the same layer, (d) r for every layer pair.
import { scaleLinear } from 'd3-scale';
import { diagonalSummary } from '../../core/metrics';
import type { WithinLayerModel, WithinLayerPair } from '../../core/withinLayer';
import type { LoadedModel } from '../../core/types';
import { colorScaleFor } from '../heatmap/heatmapModel';
import type { ColorScale } from '../heatmap/heatmapModel';
import { finiteExtent, layerTickValues, linePanel, PANEL_MARGIN } from '../kit2d/chartLayout';
import type { LinePanelLayout, Rect, Tick } from '../kit2d/chartLayout';
import { modelColor, modelMarker } from '../kit2d/palette';

export const FIGURE_WIDTH = 1380;
export const FIGURE_HEIGHT = 330;
export const PEARSON_COLOR = '#4b2991';

/** Both roles on at least one decoder layer: a within-layer diff needs input and post. */
export function hasBothRoles(m: LoadedModel): boolean {
  return m.layers.some((l) => l.input && l.post);
}

export interface HeatmapLayout {
  box: Rect;
  plot: Rect;
  rows: number;
  cols: number;
  values: Float64Array;
  scale: ColorScale;
  xTicks: Tick[];
  yTicks: Tick[];
  diagonalEnd: [number, number];
  legend: { x: number; y: number; height: number; ticks: Tick[] };
}

export interface WithinLayout {
  width: number;
  height: number;
  mean: LinePanelLayout;
  std: LinePanelLayout;
  pearson: LinePanelLayout;
  heatmap: HeatmapLayout;
  /** mean of the same-index r over layers both models have */
  sameIndexMean: number;
  diagonalMean: number;
  offDiagonalMean: number;
}

export interface WithinInput {
  pair: WithinLayerPair;
  summaries: [WithinLayerModel, WithinLayerModel];
  /** query positions of the two models (for colours) */
  positions: [number, number];
  names: [string, string];
  marker?: number | null;
  width?: number;
  height?: number;
}

export function withinLayout(input: WithinInput): WithinLayout {
  const { pair, summaries, positions, names } = input;
  const width = input.width ?? FIGURE_WIDTH,
    height = input.height ?? FIGURE_HEIGHT;
  const gap = 14,
    lineW = 318;
  const box = (k: number): Rect => ({ x: k * (lineW + gap), y: 0, width: lineW, height });
  const longest = Math.max(summaries[0].mean.length, summaries[1].mean.length);
  const xDomain: [number, number] = [0, Math.max(1, longest - 1)];
  const series = (key: 'mean' | 'std') =>
    summaries.map((s, k) => ({
      key: String(positions[k]),
      label: names[k]!,
      color: modelColor(positions[k]!),
      marker: modelMarker(positions[k]!),
      values: s[key],
      strokeWidth: 1.5,
    }));
  const mean = linePanel({
    box: box(0),
    title: '(a) Mean of input − post',
    xLabel: 'layer',
    yLabel: 'mean',
    xDomain,
    series: series('mean'),
    marker: input.marker,
  });
  const std = linePanel({
    box: box(1),
    title: '(b) Std of input − post',
    xLabel: 'layer',
    yLabel: 'std',
    xDomain,
    series: series('std'),
    marker: input.marker,
  });
  const ext = finiteExtent([pair.pearson]);
  const pearson = linePanel({
    box: box(2),
    title: `(c) Pearson r, ${names[0]} vs ${names[1]}`,
    xLabel: 'layer',
    yLabel: 'Pearson r',
    xDomain: [0, Math.max(1, pair.pearson.length - 1)],
    yDomain: [Math.min(-0.2, (ext?.[0] ?? 0) - 0.05), Math.max(0.2, (ext?.[1] ?? 0) + 0.05)],
    series: [
      {
        key: 'r',
        label: 'Pearson r',
        color: PEARSON_COLOR,
        values: pair.pearson,
        marker: 'triangle',
        strokeWidth: 1.5,
      },
    ],
    refLines: [{ y: 0, label: '', className: 'f2d-zero' }],
    marker: input.marker,
  });

  const hx = 3 * (lineW + gap);
  const hbox: Rect = { x: hx, y: 0, width: width - hx, height };
  const room = { w: hbox.width - PANEL_MARGIN.left - 62, h: height - PANEL_MARGIN.top - PANEL_MARGIN.bottom };
  const aspect = pair.rows / Math.max(1, pair.cols);
  const plotW = Math.min(room.w, room.h / aspect),
    plotH = plotW * aspect;
  const plot: Rect = {
    x: hbox.x + PANEL_MARGIN.left,
    y: PANEL_MARGIN.top + (room.h - plotH) / 2,
    width: plotW,
    height: plotH,
  };
  const scale = colorScaleFor('pearson', pair.matrix, 'auto');
  const cw = plotW / Math.max(1, pair.cols),
    ch = plotH / Math.max(1, pair.rows);
  const legendY = scaleLinear()
    .domain(scale.domain)
    .range([plot.y + plot.height, plot.y]);
  const n = Math.min(pair.rows, pair.cols);
  const heatmap: HeatmapLayout = {
    box: hbox,
    plot,
    rows: pair.rows,
    cols: pair.cols,
    values: pair.matrix,
    scale,
    xTicks: layerTickValues(pair.cols).map((t) => ({ value: t, pos: plot.x + (t + 0.5) * cw, label: String(t) })),
    yTicks: layerTickValues(pair.rows).map((t) => ({ value: t, pos: plot.y + (t + 0.5) * ch, label: String(t) })),
    diagonalEnd: [n * cw, n * ch],
    legend: {
      x: plot.x + plot.width + 10,
      y: plot.y,
      height: plot.height,
      ticks: legendY.ticks(5).map((t) => ({
        value: t,
        pos: legendY(t),
        label: Math.abs(t) < 1e-9 ? '0' : t.toFixed(Math.abs(scale.domain[1]) < 0.5 ? 2 : 1),
      })),
    },
  };
  const finite = pair.pearson.filter(Number.isFinite);
  const summary = diagonalSummary(pair.matrix, pair.rows, pair.cols);
  return {
    width,
    height,
    mean,
    std,
    pearson,
    heatmap,
    sameIndexMean: finite.length ? finite.reduce((s, x) => s + x, 0) / finite.length : NaN,
    diagonalMean: summary.diagonalMean,
    offDiagonalMean: summary.offDiagonalMean,
  };
}
