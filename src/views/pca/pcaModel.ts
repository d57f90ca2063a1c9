// Pure layout of the PCA scene (seed Figure 7): every layer vector as a point on PC1–PC3, one
// colour and marker per model, layers joined in order, first and last layer marked, axes with
// explained variance, and the nearest point to the pointer on screen.
import { ticks as niceTicks } from 'd3-array';
import type { NormRole } from '../../core/types';
import { modelColor } from '../kit2d/palette';

export interface PcaData {
  norm: NormRole;
  explainedVarianceRatio: [number, number, number];
  points: { model: number; layer: number; xyz: [number, number, number] }[];
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'pentagon' | 'hexagon';
export const MARKERS: MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'pentagon', 'hexagon'];
/** the seed's colours first (purple, grey, green), then distinct others */

export type Aspect = 'cube' | 'equal';
type V3 = [number, number, number];

export interface PcaPointLayout {
  model: number;
  layer: number;
  /** the PCA scores */
  xyz: V3;
  /** position in the drawn box */
  pos: V3;
}

export interface PcaSeries {
  model: number;
  name: string;
  color: string;
  marker: MarkerShape;
  /** in layer order */
  points: PcaPointLayout[];
}

export interface PcaAxis {
  /** e.g. "PC1 (96.8%)" */
  label: string;
  ratio: number;
  /** half-extent of the box along this axis */
  half: number;
  ticks: { label: string; value: number; coord: number }[];
}

export interface PcaLayout {
  norm: NormRole;
  series: PcaSeries[];
  axes: [PcaAxis, PcaAxis, PcaAxis];
  /** every point, flat (hover order) */
  points: PcaPointLayout[];
}

export const formatPercent = (ratio: number) => `${(100 * ratio).toFixed(1)}%`;

/**
 * Box coordinates. 'cube' stretches each component to [−1, 1] like the seed's matplotlib axes
 * (PC3 with 0.6% of the variance looks as tall as PC1); 'equal' keeps one scale for all three,
 * so distances on screen are distances in γ space.
 */
export function pcaLayout(data: PcaData, names: Map<number, string>, aspect: Aspect = 'cube'): PcaLayout {
  const lo: V3 = [Infinity, Infinity, Infinity],
    hi: V3 = [-Infinity, -Infinity, -Infinity];
  for (const p of data.points)
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k]!, p.xyz[k]!);
      hi[k] = Math.max(hi[k]!, p.xyz[k]!);
    }
  if (data.points.length === 0)
    for (let k = 0; k < 3; k++) {
      lo[k] = -1;
      hi[k] = 1;
    }
  const span = [0, 1, 2].map((k) => Math.max(hi[k]! - lo[k]!, 1e-12));
  const widest = Math.max(...span);
  // half-extent of the box per axis, and the map from score to box coordinate
  const half = span.map((s) => (aspect === 'cube' ? 1 : Math.max(0.02, s / widest)));
  const toBox = (k: number, v: number) => (((v - lo[k]!) / span[k]!) * 2 - 1) * half[k]!;
  const toBoxPoint = (xyz: V3): V3 => [toBox(0, xyz[0]), toBox(1, xyz[1]), toBox(2, xyz[2])];

  const byModel = new Map<number, PcaPointLayout[]>();
  const points: PcaPointLayout[] = data.points.map((p) => {
    const out = { model: p.model, layer: p.layer, xyz: p.xyz, pos: toBoxPoint(p.xyz) };
    byModel.set(p.model, [...(byModel.get(p.model) ?? []), out]);
    return out;
  });
  const series = [...byModel.keys()]
    .sort((a, b) => a - b)
    .map((model, i): PcaSeries => ({
      model,
      name: names.get(model) ?? `model ${model}`,
      color: modelColor(model),
      marker: MARKERS[i % MARKERS.length]!,
      points: byModel.get(model)!.sort((a, b) => a.layer - b.layer),
    }));
  const axes = [0, 1, 2].map((k): PcaAxis => {
    const ratio = data.explainedVarianceRatio[k] ?? 0;
    const ticks = niceTicks(lo[k]!, hi[k]!, aspect === 'equal' && half[k]! < 0.3 ? 2 : 5).map((value) => ({
      label: formatTick(value),
      value,
      coord: toBox(k, value),
    }));
    return { label: `PC${k + 1} (${formatPercent(ratio)})`, ratio, half: half[k]!, ticks };
  }) as [PcaAxis, PcaAxis, PcaAxis];
  return { norm: data.norm, series, axes, points };
}

function formatTick(v: number): string {
  if (Math.abs(v) < 1e-12) return '0';
  return String(Number(v.toPrecision(3)));
}

/** Index of the screen point nearest to (x, y) within maxPx, or null. Null entries are off screen. */
export function nearestPoint(screen: ([number, number] | null)[], x: number, y: number, maxPx: number): number | null {
  let best: number | null = null,
    bestD = maxPx * maxPx;
  screen.forEach((p, i) => {
    if (!p) return;
    const d = (p[0] - x) ** 2 + (p[1] - y) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** SVG path of a marker of radius r centred on 0,0 (the legend draws it; the scene's sprites too, via Path2D). */
export function markerPath(shape: MarkerShape | 'star', r: number): string {
  const poly = (n: number, rot: number, radius: (i: number) => number) =>
    Array.from({ length: n }, (_, i) => {
      const t = rot + (i * 2 * Math.PI) / n;
      return `${i === 0 ? 'M' : 'L'}${(radius(i) * Math.cos(t)).toFixed(3)},${(radius(i) * Math.sin(t)).toFixed(3)}`;
    }).join('') + 'Z';
  switch (shape) {
    case 'circle':
      return `M${r},0A${r},${r} 0 1 1 ${-r},0A${r},${r} 0 1 1 ${r},0Z`;
    case 'square': {
      const s = (r * 0.82).toFixed(3);
      return `M${-s},${-s}H${s}V${s}H${-s}Z`;
    }
    case 'triangle':
      return poly(3, -Math.PI / 2, () => r * 1.1);
    case 'diamond':
      return poly(4, -Math.PI / 2, () => r);
    case 'pentagon':
      return poly(5, -Math.PI / 2, () => r);
    case 'hexagon':
      return poly(6, 0, () => r);
    case 'star':
      return poly(10, -Math.PI / 2, (i) => (i % 2 === 0 ? r : r * 0.45));
  }
}

/** Which loaded models the PCA left out, and why (it needs one hidden size). */
export function leftOut(loaded: { index: number; name: string; hiddenSize: number }[], data: PcaData): string[] {
  const inPca = new Set(data.points.map((p) => p.model));
  const width = loaded.find((m) => inPca.has(m.index))?.hiddenSize;
  return loaded
    .filter((m) => !inPca.has(m.index))
    .map((m) =>
      m.hiddenSize !== width
        ? `${m.name} (hidden size ${m.hiddenSize}, not ${width})`
        : `${m.name} (no ${data.norm} norm)`,
    );
}
