// Seed Figure 9 as data: per-layer γ histograms stacked by depth (layer 0 at the bottom), two
// models overlaid, one panel per norm role. Each layer's ridges share one height scale so the two
// models compare at that layer; layers are scaled separately so narrow early layers do not flatten
// the rest.
import { area } from 'd3-shape';
import type { RidgeView } from '../../core/ridge';
import type { NormRole } from '../../core/types';
import { inset, linearTicks } from '../kit2d/chartLayout';
import type { Rect, Tick } from '../kit2d/chartLayout';
import { stepKeyAction } from '../kit2d/chartKeys';

export const FIGURE_WIDTH = 1380;
export const DEFAULT_STEP = 3;
const MARGIN = { top: 48, right: 16, bottom: 40, left: 44 };
/** peak height in row spacings */
const OVERLAP = 1.7;

/** `step=`: whole number 1…64, else the seed's every third layer. */
export function parseStep(text: string): number {
  const n = Number(text);
  return text !== '' && Number.isInteger(n) && n >= 1 && n <= 64 ? n : DEFAULT_STEP;
}

export interface RidgePath {
  model: number;
  layer: number;
  d: string;
  outline: string;
}

export interface RidgeRow {
  layer: number;
  baseline: number;
  label: string;
}

export interface RidgePanel {
  norm: NormRole;
  box: Rect;
  plot: Rect;
  lo: number;
  hi: number;
  edges: number[];
  xTicks: Tick[];
  rows: RidgeRow[];
  spacing: number;
  /** drawn in order: deepest first, so lower ridges overlap higher ones */
  paths: RidgePath[];
  initX: number | null;
  view: RidgeView;
}

export interface RidgeLayout {
  width: number;
  height: number;
  panels: RidgePanel[];
}

function panelOf(view: RidgeView, box: Rect, models: number[]): RidgePanel {
  const plot = inset(box, MARGIN);
  const layers = [...new Set(view.series.flatMap((s) => s.layers.map((l) => l.layer)))].sort((a, b) => a - b);
  const spacing = plot.height / (layers.length + OVERLAP - 0.6 || 1);
  const rows = layers.map((layer, k) => ({
    layer,
    baseline: plot.y + plot.height - 4 - k * spacing,
    label: `L${layer}`,
  }));
  const { lo, hi, edges } = view;
  const xOf = (v: number) => plot.x + ((v - lo) / (hi - lo)) * plot.width;
  const centres = edges.slice(0, -1).map((e, i) => (e + edges[i + 1]!) / 2);
  const paths: RidgePath[] = [];
  for (let k = rows.length - 1; k >= 0; k--) {
    const { layer, baseline } = rows[k]!;
    const entries = models.flatMap((m) => {
      const layerData = view.series.find((s) => s.model === m)?.layers.find((l) => l.layer === layer);
      return layerData ? [{ model: m, density: layerData.density }] : [];
    });
    const peak = Math.max(1e-12, ...entries.flatMap((e) => e.density));
    for (const { model, density } of entries) {
      const pts: [number, number][] = [[lo, 0], ...centres.map((c, i): [number, number] => [c, density[i]!]), [hi, 0]];
      const y = (v: number) => baseline - (v / peak) * spacing * OVERLAP;
      const shape = area<[number, number]>()
        .x((p) => xOf(p[0]))
        .y0(baseline)
        .y1((p) => y(p[1]));
      const outline = pts.map((p, i) => `${i ? 'L' : 'M'}${xOf(p[0]).toFixed(2)},${y(p[1]).toFixed(2)}`).join('');
      paths.push({ model, layer, d: shape(pts) ?? '', outline });
    }
  }
  return {
    norm: view.norm,
    box,
    plot,
    lo,
    hi,
    edges,
    spacing,
    rows,
    paths,
    view,
    xTicks: linearTicks([lo, hi], [plot.x, plot.x + plot.width], 6),
    initX: lo <= 1 && hi >= 1 ? xOf(1) : null,
  };
}

/** One panel per role that has data (input left, post right). `models` sets the overlay order. */
export function ridgeLayout(
  views: RidgeView[],
  models: number[],
  options: { width?: number; height?: number } = {},
): RidgeLayout {
  const width = options.width ?? FIGURE_WIDTH;
  const shown = views.filter((v) => v.series.some((s) => s.layers.length > 0));
  const rowsMax = Math.max(1, ...shown.map((v) => new Set(v.series.flatMap((s) => s.layers.map((l) => l.layer))).size));
  const height = options.height ?? Math.min(900, Math.max(360, 90 + rowsMax * 34));
  const gap = 24,
    pw = shown.length ? (width - gap * (shown.length - 1)) / shown.length : width;
  return {
    width,
    height,
    panels: shown.map((v, k) => panelOf(v, { x: k * (pw + gap), y: 0, width: pw, height }, models)),
  };
}

export interface RidgeHit {
  norm: NormRole;
  layer: number;
  bin: number;
  range: [number, number];
  /** per model: density at the bin and the layer's shares outside the x range */
  models: { model: number; density: number; below: number; above: number }[];
}

/** What lies under a point of a panel: the nearest ridge row at or below the pointer and the bin. */
export function ridgeHit(panel: RidgePanel, x: number, y: number): RidgeHit | null {
  const { plot } = panel;
  if (x < plot.x || x > plot.x + plot.width || y < plot.y - panel.spacing || y > plot.y + plot.height) return null;
  const row =
    panel.rows.find((r) => y <= r.baseline + panel.spacing * 0.25 && y > r.baseline - panel.spacing * 0.75) ?? null;
  if (!row) return null;
  const bins = panel.edges.length - 1;
  const bin = Math.min(bins - 1, Math.max(0, Math.floor(((x - plot.x) / plot.width) * bins)));
  return ridgeHitAt(panel, row.layer, bin);
}

/** The reading at one layer's ridge and one bin of a panel. */
export function ridgeHitAt(panel: RidgePanel, layer: number, bin: number): RidgeHit {
  return {
    norm: panel.norm,
    layer,
    bin,
    range: [panel.edges[bin]!, panel.edges[bin + 1]!],
    models: panel.view.series.flatMap((s) => {
      const l = s.layers.find((q) => q.layer === layer);
      return l ? [{ model: s.model, density: l.density[bin]!, below: l.below, above: l.above }] : [];
    }),
  };
}

/** The bin a keyboard reading starts at: the one holding γ = 1 (init) when in range, else the middle. */
function startBin(panel: RidgePanel): number {
  const bins = panel.edges.length - 1;
  const one = panel.edges.findIndex((e) => e > 1) - 1;
  return panel.lo <= 1 && panel.hi >= 1 && one >= 0 ? Math.min(bins - 1, one) : bins >> 1;
}

/** The first keyboard reading of a panel: its bottom ridge (layer 0 side) at the start bin. */
export function ridgeFirstHit(panel: RidgePanel): RidgeHit | null {
  return panel.rows.length && panel.edges.length > 1 ? ridgeHitAt(panel, panel.rows[0]!.layer, startBin(panel)) : null;
}

/**
 * The keyboard on a panel: up and down move between ridges (up is deeper, as drawn), left and right
 * between bins. The first reading is the bottom ridge at the bin holding γ = 1 (or the middle one).
 * null: the key does nothing here; 'leave' for Escape.
 */
export function ridgeKeyHit(panel: RidgePanel, current: RidgeHit | null, key: string): RidgeHit | 'leave' | null {
  const bins = panel.edges.length - 1;
  if (panel.rows.length === 0 || bins < 1) return null;
  const mine = current && current.norm === panel.norm ? current : null;
  const row = mine
    ? Math.max(
        0,
        panel.rows.findIndex((r) => r.layer === mine.layer),
      )
    : null;
  const vertical = stepKeyAction(key, row, 0, panel.rows.length - 1, true);
  if (vertical?.kind === 'leave') return 'leave';
  const bin = mine ? mine.bin : startBin(panel);
  if (vertical) return ridgeHitAt(panel, panel.rows[vertical.index]!.layer, bin);
  const horizontal = stepKeyAction(key, mine ? mine.bin : null, 0, bins - 1);
  if (horizontal?.kind !== 'move') return null;
  return ridgeHitAt(panel, panel.rows[row ?? 0]!.layer, mine ? horizontal.index : bin);
}

/** Layers with values outside the plotted range, as "share below / above" notes. */
export function clippedNotes(view: RidgeView, name: (model: number) => string, threshold = 0.005): string[] {
  return view.series.flatMap((s) =>
    s.layers
      .filter((l) => l.below > threshold || l.above > threshold)
      .map(
        (l) =>
          `${name(s.model)} L${l.layer}: ${(l.below * 100).toFixed(1)}% below ${view.lo.toFixed(2)}, ${(l.above * 100).toFixed(1)}% above ${view.hi.toFixed(2)}`,
      ),
  );
}

/** A view computed on a sub-list of models, with its series renumbered to query positions. */
export function renumber(view: RidgeView, positions: number[]): RidgeView {
  return { ...view, series: view.series.map((s) => ({ ...s, model: positions[s.model] ?? s.model })) };
}
