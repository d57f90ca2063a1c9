// Pure geometry of the 2-D figures' panels: scales, ticks and line paths as plain data (d3 computes,
// React draws). A panel occupies a box of the figure's one SVG, so a figure exports as one file.
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { pow10Label } from './format';
import type { MarkerShape } from './palette';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Tick {
  value: number;
  /** position along the axis, in SVG coordinates */
  pos: number;
  label: string;
}

export const PANEL_MARGIN: Margin = { top: 26, right: 12, bottom: 38, left: 56 };

export function inset(box: Rect, m: Margin): Rect {
  return {
    x: box.x + m.left,
    y: box.y + m.top,
    width: Math.max(1, box.width - m.left - m.right),
    height: Math.max(1, box.height - m.top - m.bottom),
  };
}

/** Smallest and largest finite value over all arrays, or null when there is none. */
export function finiteExtent(
  arrays: ArrayLike<number>[],
  keep: (v: number) => boolean = () => true,
): [number, number] | null {
  let lo = Infinity,
    hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (!Number.isFinite(v) || !keep(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** A linear domain around the data with a margin; always non-degenerate, optionally holding fixed values. */
export function paddedDomain(
  extent: [number, number] | null,
  options: { include?: number[]; pad?: number } = {},
): [number, number] {
  const values = [...(extent ?? []), ...(options.include ?? [])];
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values),
    hi = Math.max(...values);
  if (hi - lo < 1e-12) {
    const w = Math.abs(lo) * 0.05 || 0.5;
    return [lo - w, hi + w];
  }
  const pad = (hi - lo) * (options.pad ?? 0.05);
  if (!(options.include ?? []).includes(lo)) lo -= pad;
  if (!(options.include ?? []).includes(hi)) hi += pad;
  return [lo, hi];
}

/** 10^e exactly as written (10 ** -4 is 0.00009999999999999999 in floating point). */
export function decade(e: number): number {
  return Number(`1e${e}`);
}

/** A log domain of whole decades around the positive data. */
export function decadeDomain(extent: [number, number] | null): [number, number] {
  if (!extent || extent[1] <= 0) return [1e-6, 1];
  const lo = Math.floor(Math.log10(Math.max(extent[0], Number.MIN_VALUE)));
  let hi = Math.ceil(Math.log10(extent[1]));
  if (hi <= lo) hi = lo + 1;
  return [decade(lo), decade(hi)];
}

function tickLabel(v: number, step: number): string {
  if (Math.abs(v) < step * 1e-6) return '0';
  const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(digits);
}

export function linearTicks(domain: [number, number], range: [number, number], count = 5): Tick[] {
  const s = scaleLinear().domain(domain).range(range);
  const ticks = s.ticks(count);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : Math.abs(domain[1] - domain[0]) || 1;
  return ticks.map((value) => ({ value, pos: s(value), label: tickLabel(value, step) }));
}

/** One tick per decade ("10⁻⁴"), thinned to at most `max` labels. */
export function decadeTicks(domain: [number, number], range: [number, number], max = 7): Tick[] {
  const s = scaleLog().domain(domain).range(range);
  const lo = Math.round(Math.log10(domain[0])),
    hi = Math.round(Math.log10(domain[1]));
  const every = Math.max(1, Math.ceil((hi - lo + 1) / max));
  const out: Tick[] = [];
  for (let e = lo; e <= hi; e += every) out.push({ value: decade(e), pos: s(decade(e)), label: pow10Label(e) });
  return out;
}

/** Layer-number ticks that stay readable from 1 to 200 layers. */
export function layerTickValues(n: number): number[] {
  const bands: [number, number][] = [
    [12, 1],
    [24, 2],
    [40, 5],
    [100, 10],
    [200, 20],
  ]; // [up to n layers, step]
  const step = bands.find(([most]) => n <= most)?.[1] ?? 50;
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}

export interface LineSeriesSpec {
  key: string;
  label: string;
  color: string;
  /** y per point; NaN breaks the line */
  values: ArrayLike<number>;
  /** x per point; default: the point's index (the layer) */
  xs?: ArrayLike<number>;
  dash?: string;
  marker?: MarkerShape | null;
  strokeWidth?: number;
}

export interface RefLineSpec {
  y: number;
  label: string;
  className: string;
  /** which end of the line carries the label (default: the right end) */
  align?: 'start' | 'end';
}

export interface LinePanelSpec {
  box: Rect;
  margin?: Margin;
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeriesSpec[];
  /** default: 0 … the longest series' last index */
  xDomain?: [number, number];
  /** default: the data (and reference lines) padded */
  yDomain?: [number, number];
  yLog?: boolean;
  refLines?: RefLineSpec[];
  /** x of a vertical marker (the selected layer) */
  marker?: number | null;
}

export interface PointLayout {
  index: number;
  xValue: number;
  value: number;
  x: number;
  y: number;
}

export interface PathLayout {
  key: string;
  label: string;
  color: string;
  dash?: string;
  marker: MarkerShape | null;
  strokeWidth: number;
  d: string;
  points: PointLayout[];
}

export interface LinePanelLayout {
  box: Rect;
  plot: Rect;
  title: string;
  xLabel: string;
  yLabel: string;
  xTicks: Tick[];
  yTicks: Tick[];
  yLog: boolean;
  xDomain: [number, number];
  yDomain: [number, number];
  paths: PathLayout[];
  refLines: { y: number; x1: number; x2: number; label: string; className: string; align: 'start' | 'end' }[];
  marker: { x: number; y1: number; y2: number } | null;
}

/** The data x at a pixel, or null outside the plot area. */
export function xAtPixel(p: Pick<LinePanelLayout, 'plot' | 'xDomain'>, px: number): number | null {
  if (px < p.plot.x - 4 || px > p.plot.x + p.plot.width + 4) return null;
  const [a, b] = p.xDomain;
  return a + ((px - p.plot.x) / p.plot.width) * (b - a);
}

/** The nearest whole layer to a pixel, clamped to the domain; null outside the plot. */
export function layerAtPixel(p: Pick<LinePanelLayout, 'plot' | 'xDomain'>, px: number): number | null {
  const x = xAtPixel(p, px);
  if (x === null) return null;
  return Math.min(Math.floor(p.xDomain[1]), Math.max(Math.ceil(p.xDomain[0]), Math.round(x)));
}

export function linePanel(spec: LinePanelSpec): LinePanelLayout {
  const plot = inset(spec.box, spec.margin ?? PANEL_MARGIN);
  const longest = Math.max(1, ...spec.series.map((s) => s.values.length));
  const xDomain = spec.xDomain ?? [0, Math.max(1, longest - 1)];
  const yLog = spec.yLog === true;
  const ys = spec.series.map((s) => s.values);
  const refs = (spec.refLines ?? []).map((r) => r.y);
  const yDomain =
    spec.yDomain ??
    (yLog ? decadeDomain(finiteExtent([...ys, refs], (v) => v > 0)) : paddedDomain(finiteExtent([...ys, refs])));
  const x = scaleLinear()
    .domain(xDomain)
    .range([plot.x, plot.x + plot.width]);
  const yRange: [number, number] = [plot.y + plot.height, plot.y];
  const y = yLog ? scaleLog().domain(yDomain).range(yRange).clamp(true) : scaleLinear().domain(yDomain).range(yRange);
  const drawable = (v: number) => Number.isFinite(v) && (!yLog || v > 0);
  const paths = spec.series.map((s): PathLayout => {
    const points: PointLayout[] = [];
    const all: (PointLayout | null)[] = [];
    for (let i = 0; i < s.values.length; i++) {
      const value = s.values[i]!;
      const xValue = s.xs ? s.xs[i]! : i;
      if (!drawable(value) || !Number.isFinite(xValue)) {
        all.push(null);
        continue;
      }
      const p = { index: i, xValue, value, x: x(xValue), y: y(value) };
      points.push(p);
      all.push(p);
    }
    const d =
      line<PointLayout | null>()
        .defined((p) => p !== null)
        .x((p) => p!.x)
        .y((p) => p!.y)(all) ?? '';
    return {
      key: s.key,
      label: s.label,
      color: s.color,
      dash: s.dash,
      marker: s.marker ?? null,
      strokeWidth: s.strokeWidth ?? 1.6,
      d,
      points,
    };
  });
  const xTicks = layerTickValues(Math.floor(xDomain[1]) + 1)
    .filter((t) => t >= xDomain[0] && t <= xDomain[1])
    .map((value) => ({ value, pos: x(value), label: String(value) }));
  const yTicks = yLog
    ? decadeTicks(yDomain, yRange)
    : linearTicks(yDomain, yRange, Math.max(3, Math.round(plot.height / 40)));
  const refLines = (spec.refLines ?? [])
    .filter((r) => drawable(r.y) && r.y >= Math.min(...yDomain) && r.y <= Math.max(...yDomain))
    .map((r) => ({
      y: y(r.y),
      x1: plot.x,
      x2: plot.x + plot.width,
      label: r.label,
      className: r.className,
      align: r.align ?? 'end',
    }));
  const marker =
    spec.marker !== null && spec.marker !== undefined && spec.marker >= xDomain[0] && spec.marker <= xDomain[1]
      ? { x: x(spec.marker), y1: plot.y, y2: plot.y + plot.height }
      : null;
  return {
    box: spec.box,
    plot,
    title: spec.title,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    xTicks,
    yTicks,
    yLog,
    xDomain,
    yDomain,
    paths,
    refLines,
    marker,
  };
}

/** SVG path of a marker shape centred on (x, y). */
export function markerPath(shape: MarkerShape, x: number, y: number, r = 3): string {
  switch (shape) {
    case 'square':
      return `M${x - r},${y - r}h${2 * r}v${2 * r}h${-2 * r}Z`;
    case 'triangle':
      return `M${x},${y - r * 1.15}L${x + r * 1.1},${y + r * 0.8}L${x - r * 1.1},${y + r * 0.8}Z`;
    case 'diamond':
      return `M${x},${y - r * 1.3}L${x + r},${y}L${x},${y + r * 1.3}L${x - r},${y}Z`;
    default:
      return `M${x - r},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
  }
}
