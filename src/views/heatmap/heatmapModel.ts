// Pure layout of a heatmap: colour scales, pixel buffer, cell lookup. No DOM.
import { interpolateRdBu, interpolateYlOrRd } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

export type HeatmapMetric = 'cosine' | 'pearson';
export type ScaleMode = 'fixed' | 'auto';

export interface ColorScale {
  domain: [number, number];
  /** value -> css colour */
  color: (v: number) => string;
  /** evenly spaced tick values for the legend */
  ticks: number[];
  label: string;
  /**
   * Names the colour ramp when colours depend on the value only through its position in the
   * domain: such scales share one lookup table, built once.
   */
  ramp?: string;
}

function finiteRange(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Raw cosine gets its own sequential scale over the observed range (it lives near 1 for
 * unrelated models, so a 0..1 scale would hide everything). Pearson is diverging and centred on 0.
 */
export function colorScaleFor(metric: HeatmapMetric, values: ArrayLike<number>, mode: ScaleMode): ColorScale {
  const range = finiteRange(values) ?? [0, 1];
  if (metric === 'cosine') {
    let [lo, hi] = mode === 'fixed' ? [Math.min(range[0], 0.9), 1] : range;
    if (hi - lo < 1e-6) [lo, hi] = [lo - 0.005, hi + 0.005];
    const color = (v: number) => interpolateYlOrRd(Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
    return { domain: [lo, hi], color, ticks: ticks(lo, hi), label: 'raw cosine', ramp: 'YlOrRd' };
  }
  const m = mode === 'fixed' ? 1 : Math.max(1e-3, Math.abs(range[0]), Math.abs(range[1]));
  // RdBu runs red→blue; flip so positive correlation is red, as in the seed's figures.
  const color = (v: number) => interpolateRdBu(0.5 - Math.min(1, Math.max(-1, v / m)) / 2);
  return { domain: [-m, m], color, ticks: ticks(-m, m), label: 'Pearson r (centred cosine)', ramp: 'RdBu-reversed' };
}

function ticks(lo: number, hi: number, n = 5): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

const NAN_RGB = [200, 200, 200] as const;
/** colours per scale: parsing a CSS colour per cell cost ~15 ms per 128×128 matrix on the main thread */
const LUT_SIZE = 1024;

/** built tables by ramp: building one parses 1024 CSS colours (~10 ms on a slow main thread) */
const lutsByRamp = new Map<string, Uint8ClampedArray>();

function lookupTable(scale: ColorScale): Uint8ClampedArray {
  const known = scale.ramp === undefined ? undefined : lutsByRamp.get(scale.ramp);
  if (known) return known;
  const [lo, hi] = scale.domain;
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let k = 0; k < LUT_SIZE; k++) {
    const c = rgb(scale.color(lo + ((hi - lo) * k) / (LUT_SIZE - 1)));
    lut[k * 3] = c.r;
    lut[k * 3 + 1] = c.g;
    lut[k * 3 + 2] = c.b;
  }
  if (scale.ramp !== undefined) lutsByRamp.set(scale.ramp, lut);
  return lut;
}

/**
 * Builds the tables of both heatmap ramps, each in a task of its own, so that the first heatmaps
 * need not: call it while the models are still loading.
 */
export function prepareColorTables(): void {
  const metrics = ['cosine', 'pearson'] as const;
  const next = (k: number) => {
    const metric = metrics[k];
    if (!metric) return;
    lookupTable(colorScaleFor(metric, [0, 1], 'fixed'));
    setTimeout(() => next(k + 1), 0);
  };
  setTimeout(() => next(0), 0);
}

/** RGBA pixels, one per cell, row-major (row 0 at the top). */
export function heatmapPixels(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  scale: ColorScale,
): Uint8ClampedArray {
  const [lo, hi] = scale.domain;
  const lut = lookupTable(scale);
  const out = new Uint8ClampedArray(rows * cols * 4);
  const span = hi - lo || 1;
  for (let k = 0; k < rows * cols; k++) {
    const v = values[k]!;
    if (Number.isFinite(v)) {
      const at = Math.round(Math.min(1, Math.max(0, (v - lo) / span)) * (LUT_SIZE - 1)) * 3;
      out[k * 4] = lut[at]!;
      out[k * 4 + 1] = lut[at + 1]!;
      out[k * 4 + 2] = lut[at + 2]!;
    } else {
      out[k * 4] = NAN_RGB[0];
      out[k * 4 + 1] = NAN_RGB[1];
      out[k * 4 + 2] = NAN_RGB[2];
    }
    out[k * 4 + 3] = 255;
  }
  return out;
}

/** The cell [row, col] under a point given in the coordinates of a plot rectangle, or null outside it. */
export function plotCellAt(
  plot: { x: number; y: number; width: number; height: number },
  rows: number,
  cols: number,
  x: number,
  y: number,
): [number, number] | null {
  return cellAt(x - plot.x, y - plot.y, plot.width, plot.height, rows, cols);
}

export type CellKeyAction =
  { kind: 'move'; cell: [number, number] } | { kind: 'pin'; cell: [number, number] } | { kind: 'unpin' } | null;

const MOVES: Record<string, [number, number]> = {
  ArrowUp: [-1, 0],
  ArrowDown: [1, 0],
  ArrowLeft: [0, -1],
  ArrowRight: [0, 1],
};

/**
 * What a key does on a focused heatmap: arrows move the inspected cell (clamped to the matrix; Home and
 * End jump to the first and last column, PageUp/PageDown by ten rows), Enter or Space pins it, Escape unpins.
 */
export function cellKeyAction(
  key: string,
  current: [number, number] | null,
  rows: number,
  cols: number,
): CellKeyAction {
  if (rows === 0 || cols === 0) return null;
  const [r, c] = current ?? [0, 0];
  const clamp = (i: number, j: number): [number, number] => [
    Math.max(0, Math.min(rows - 1, i)),
    Math.max(0, Math.min(cols - 1, j)),
  ];
  const step = MOVES[key];
  if (step) return { kind: 'move', cell: current ? clamp(r + step[0], c + step[1]) : [0, 0] };
  if (key === 'Home') return { kind: 'move', cell: clamp(r, 0) };
  if (key === 'End') return { kind: 'move', cell: clamp(r, cols - 1) };
  if (key === 'PageUp') return { kind: 'move', cell: clamp(r - 10, c) };
  if (key === 'PageDown') return { kind: 'move', cell: clamp(r + 10, c) };
  if (key === 'Enter' || key === ' ') return { kind: 'pin', cell: clamp(r, c) };
  if (key === 'Escape') return { kind: 'unpin' };
  return null;
}

/** The cell under a point of a plot area of the given size, or null outside. */
export function cellAt(
  x: number,
  y: number,
  width: number,
  height: number,
  rows: number,
  cols: number,
): [number, number] | null {
  if (x < 0 || y < 0 || x >= width || y >= height) return null;
  return [Math.min(rows - 1, Math.floor((y / height) * rows)), Math.min(cols - 1, Math.floor((x / width) * cols))];
}

/** Layer-number ticks that stay readable from 2 to 200 layers. */
export function layerTicks(n: number): number[] {
  const bands: [number, number][] = [
    [12, 1],
    [24, 2],
    [60, 5],
    [130, 10],
  ]; // [up to n layers, step]
  const step = bands.find(([most]) => n <= most)?.[1] ?? 20;
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}
