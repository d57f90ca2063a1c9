// Pure layout of the layer × dimension surfaces (seed Figure 6): one mesh per model in a shared
// box, heights and colours on ONE scale for every model, ticks, and the cell under a hit point.
import { ticks as niceTicks } from 'd3-array';
import { rgb } from 'd3-color';
import { interpolateViridis } from 'd3-scale-chromatic';
import type { SurfaceGrid, SurfaceView } from '../../core/surface';

/** World box of every panel: x = dimension, y = layer, z = γ (z up, like the seed's axes). */
export const BOX = { width: 1.6, depth: 1.2, height: 0.8 } as const;
/** the seed's fixed colour range */
export const SEED_DOMAIN: [number, number] = [0, 2];
/** columns drawn at most (a window wider than this should use a stride) */
export const MAX_COUNT = 512;
export const DEFAULT_COUNT = 100;

export type Rgb = [number, number, number];

const LUT_SIZE = 256;
const LUT: Rgb[] = Array.from({ length: LUT_SIZE }, (_, i) => {
  const c = rgb(interpolateViridis(i / (LUT_SIZE - 1)));
  return [c.r / 255, c.g / 255, c.b / 255];
});

/** sRGB colour (0..1 channels) of a value on the shared colour domain; values outside are clamped. */
export function colorOf(value: number, domain: [number, number]): Rgb {
  const [lo, hi] = domain;
  const u = hi > lo ? (value - lo) / (hi - lo) : 0.5;
  return LUT[Math.round(Math.min(1, Math.max(0, u)) * (LUT_SIZE - 1))]!;
}

export interface SurfaceMesh {
  model: number;
  /** decoder layer index of each row */
  layers: number[];
  rows: number;
  cols: number;
  /** rows × cols vertices, xyz */
  positions: Float32Array;
  /** sRGB 0..1 per vertex */
  colors: Float32Array;
  /** triangles over quads whose four corners all have a value */
  indices: Uint32Array;
  values: Float32Array;
}

export interface Tick {
  label: string;
  /** world position of the tick's anchor */
  at: [number, number, number];
}

export interface SurfaceLayout {
  dims: number[];
  /** colour domain (shared) */
  domain: [number, number];
  /** γ shown from zLo (at the floor) to zHi (at BOX.height); zLo ≤ 0 so heights compare across models */
  zRange: [number, number];
  /** rows of the tallest model: the layer axis is shared, so layer k sits at one depth in every panel */
  maxRows: number;
  meshes: SurfaceMesh[];
  dimTicks: Tick[];
  layerTicks: Tick[];
  gammaTicks: Tick[];
}

const xOf = (col: number, cols: number) => (cols > 1 ? (col / (cols - 1)) * BOX.width : BOX.width / 2);
const yOf = (row: number, maxRows: number) => (maxRows > 1 ? (row / (maxRows - 1)) * BOX.depth : BOX.depth / 2);

export function surfaceLayout(view: SurfaceView, options: { domain?: [number, number] } = {}): SurfaceLayout {
  const domain = options.domain ?? view.domain;
  const cols = view.dims.length;
  const maxRows = Math.max(1, ...view.grids.map((g) => g.layers.length));
  const zRange: [number, number] = [Math.min(0, view.domain[0]), Math.max(view.domain[1], view.domain[0] + 1e-6)];
  const zOf = (v: number) => ((v - zRange[0]) / (zRange[1] - zRange[0])) * BOX.height;
  const meshes = view.grids.map((grid) => buildMesh(grid, cols, maxRows, zOf, domain));

  // nice dimension numbers, placed where they fall between the shown columns
  const first = view.dims[0] ?? 0,
    last = view.dims[cols - 1] ?? 0;
  const dimTicks = (last > first ? niceTicks(first, last, 5) : [first]).map((v): Tick => ({
    label: String(v),
    at: [last > first ? ((v - first) / (last - first)) * BOX.width : BOX.width / 2, -0.08, 0],
  }));
  const layerTicks = niceTicks(0, maxRows - 1, Math.min(6, maxRows))
    .filter((t) => Number.isInteger(t))
    .map((t): Tick => ({ label: String(t), at: [BOX.width + 0.06, yOf(t, maxRows), 0] }));
  const gammaTicks = niceTicks(zRange[0], zRange[1], 5).map((t): Tick => ({
    label: formatGamma(t),
    at: [-0.06, 0, zOf(t)],
  }));
  return { dims: view.dims, domain, zRange, maxRows, meshes, dimTicks, layerTicks, gammaTicks };
}

function formatGamma(t: number): string {
  return Math.abs(t) < 1e-12 ? '0' : String(Number(t.toPrecision(3)));
}

function buildMesh(
  grid: SurfaceGrid,
  cols: number,
  maxRows: number,
  zOf: (v: number) => number,
  domain: [number, number],
): SurfaceMesh {
  const rows = grid.layers.length;
  const positions = new Float32Array(rows * cols * 3);
  const colors = new Float32Array(rows * cols * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      const v = grid.values[k]!;
      const finite = Number.isFinite(v);
      positions[k * 3] = xOf(c, cols);
      positions[k * 3 + 1] = yOf(r, maxRows);
      positions[k * 3 + 2] = finite ? zOf(v) : 0;
      const rgbc = finite ? colorOf(v, domain) : ([0.8, 0.8, 0.8] as Rgb);
      colors.set(rgbc, k * 3);
    }
  }
  const tri: number[] = [];
  const ok = (r: number, c: number) => Number.isFinite(grid.values[r * cols + c]!);
  for (let r = 0; r + 1 < rows; r++) {
    for (let c = 0; c + 1 < cols; c++) {
      if (!(ok(r, c) && ok(r + 1, c) && ok(r, c + 1) && ok(r + 1, c + 1))) continue;
      const a = r * cols + c,
        b = a + 1,
        d = a + cols,
        e = d + 1;
      tri.push(a, b, e, a, e, d);
    }
  }
  return {
    model: grid.model,
    layers: grid.layers,
    rows,
    cols,
    positions,
    colors,
    indices: Uint32Array.from(tri),
    values: grid.values,
  };
}

export interface SurfacePick {
  model: number;
  row: number;
  col: number;
  layer: number;
  dim: number;
  gamma: number;
  /** the vertex's world position (for a marker) */
  at: [number, number, number];
}

/** The grid vertex nearest to a point on (or near) a mesh, or null where there is no value. */
export function pickCell(layout: SurfaceLayout, mesh: SurfaceMesh, x: number, y: number): SurfacePick | null {
  const col = mesh.cols > 1 ? Math.round((x / BOX.width) * (mesh.cols - 1)) : 0;
  const row = layout.maxRows > 1 ? Math.round((y / BOX.depth) * (layout.maxRows - 1)) : 0;
  if (col < 0 || col >= mesh.cols || row < 0 || row >= mesh.rows) return null;
  const k = row * mesh.cols + col;
  const gamma = mesh.values[k]!;
  if (!Number.isFinite(gamma)) return null;
  return {
    model: mesh.model,
    row,
    col,
    layer: mesh.layers[row]!,
    dim: layout.dims[col]!,
    gamma,
    at: [mesh.positions[k * 3]!, mesh.positions[k * 3 + 1]!, mesh.positions[k * 3 + 2]!],
  };
}

export interface DimWindow {
  start: number;
  count: number;
  stride: number;
}

/** Window controls: clamp to the widest model, keep at least one column, at most MAX_COUNT. */
export function clampWindow(w: DimWindow, width: number): DimWindow {
  const stride = Math.max(1, Math.min(Math.floor(w.stride) || 1, Math.max(1, width)));
  const start = Math.max(0, Math.min(Math.floor(w.start) || 0, Math.max(0, width - 1)));
  const room = Math.max(1, Math.ceil((width - start) / stride));
  const count = Math.max(1, Math.min(Math.floor(w.count) || DEFAULT_COUNT, MAX_COUNT, room));
  return { start, count, stride };
}

/** The next or previous window of the same size and stride. */
export function shiftWindow(w: DimWindow, direction: 1 | -1, width: number): DimWindow {
  const span = w.count * w.stride;
  return clampWindow(
    { ...w, start: Math.max(0, Math.min(w.start + direction * span, Math.max(0, width - span))) },
    width,
  );
}

/** Human summary of the columns shown, e.g. "dimensions 200–279 of 4096". */
export function describeWindow(dims: number[], width: number, stride: number): string {
  if (dims.length === 0) return `no dimensions of ${width}`;
  const first = dims[0]!,
    last = dims[dims.length - 1]!;
  if (stride === 1) return `dimensions ${first}–${last} of ${width}`;
  return `${dims.length} dimensions, one in every ${stride} from ${first} to ${last}, of ${width}`;
}
