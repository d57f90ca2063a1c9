// Pure layout of the centering scene (seed Figure 0): the two vectors at a given α, the all-ones
// direction, the plane ⟂ 1, the angle arc, the readouts, and the animation timeline. No DOM, no three.
import { basisCenteringFrame, toyCenteringFrame } from '../../core/centering';
import type { CenteringBasis, CenteringFrame, Vec3 } from '../../core/centering';
import type { PairMatrices } from '../../core/types';

export type CenteringMode = 'toy' | 'real';

/** Two positive vectors with the seed's numbers: cos ≈ 0.96 (16°) raw, r ≈ −0.60 (127°) centred. */
export const DEFAULT_TOY: { a: Vec3; b: Vec3 } = { a: [0.75, 0.85, 0.9], b: [0.9, 1, 0.55] };
/** Toy coordinates stay positive (the point of the figure) and on screen. */
export const TOY_MIN = 0.02;
export const TOY_MAX = 1.5;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const dot = (u: Vec3, v: Vec3) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
const norm = (u: Vec3) => Math.sqrt(dot(u, u));
const scale = (u: Vec3, k: number): Vec3 => [u[0] * k, u[1] * k, u[2] * k];
const sub = (u: Vec3, v: Vec3): Vec3 => [u[0] - v[0], u[1] - v[1], u[2] - v[2]];

export function clampToy(v: Vec3): Vec3 {
  return v.map((x) => Number(clamp(x, TOY_MIN, TOY_MAX).toFixed(3))) as Vec3;
}

export function formatVec3(v: Vec3): string {
  return v.map((x) => Number(x.toFixed(3))).join(',');
}

/** `x,y,z` from the URL, clamped into the toy range; malformed text gives the fallback. */
export function parseVec3(text: string, fallback: Vec3): Vec3 {
  const parts = text.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) return fallback;
  return clampToy(parts as Vec3);
}

/** `alpha=` from the URL: a number in [0, 1] means paused there; anything else means playing. */
export function parseAlpha(text: string): number | null {
  if (text.trim() === '') return null;
  const x = Number(text);
  return Number.isFinite(x) ? clamp(x, 0, 1) : null;
}

export const formatAlpha = (alpha: number) => String(Number(alpha.toFixed(3)));

// --- animation timeline: rise 0→1, hold, fall 1→0, hold (like the seed's GIF, in a loop)
export const RISE_S = 2.6;
export const HOLD_S = 0.9;
export const CYCLE_S = 2 * (RISE_S + HOLD_S);

const smooth = (u: number) => u * u * (3 - 2 * u);

/** α at time t seconds into the loop. */
export function alphaAt(t: number): number {
  const s = ((t % CYCLE_S) + CYCLE_S) % CYCLE_S;
  if (s < RISE_S) return smooth(s / RISE_S);
  if (s < RISE_S + HOLD_S) return 1;
  if (s < 2 * RISE_S + HOLD_S) return 1 - smooth((s - RISE_S - HOLD_S) / RISE_S);
  return 0;
}

/** A time on the rising half whose α is the given one (to resume playing from a paused α). */
export function timeForAlpha(alpha: number): number {
  const target = clamp(alpha, 0, 1);
  let lo = 0,
    hi = 1;
  for (let k = 0; k < 50; k++) {
    const mid = (lo + hi) / 2;
    if (smooth(mid) < target) lo = mid;
    else hi = mid;
  }
  return ((lo + hi) / 2) * RISE_S;
}

// --- geometry in display coordinates (z up)

/**
 * The vectors of the scene, in display coordinates, and how α acts on them.
 * Toy: R³ itself; 1 = (1,1,1). Real: the basis (1/√d, e2, e3) drawn as (z, x, y), so 1 points up
 * and the hyperplane ⟂ 1 is the floor.
 */
export interface CenteringInput {
  mode: CenteringMode;
  /** toy: the vectors; real: their coordinates in the basis (e1 first) */
  a: Vec3;
  b: Vec3;
}

export function toyInput(a: Vec3, b: Vec3): CenteringInput {
  return { mode: 'toy', a, b };
}

export function realInput(basis: CenteringBasis): CenteringInput {
  return { mode: 'real', a: basis.a, b: basis.b };
}

/** Source coordinates → display coordinates. */
export function toDisplay(mode: CenteringMode, v: Vec3): Vec3 {
  return mode === 'toy' ? v : [v[1], v[2], v[0]];
}

/** Unit all-ones direction in display coordinates. */
export function onesDirection(mode: CenteringMode): Vec3 {
  return mode === 'toy' ? scale([1, 1, 1], 1 / Math.sqrt(3)) : [0, 0, 1];
}

/** The centred state at α, computed by the tested core geometry (numbers identical to core). */
export function centeringFrame(input: CenteringInput, alpha: number): CenteringFrame {
  if (input.mode === 'toy') return toyCenteringFrame(input.a, input.b, alpha);
  const basis = { d: 0, meanA: 0, meanB: 0, a: input.a, b: input.b };
  return basisCenteringFrame(basis, alpha);
}

/** Length that sets the scene's scale: the longer raw vector. */
export function sceneScale(input: CenteringInput): number {
  return Math.max(norm(input.a), norm(input.b)) || 1;
}

/** Points of the arc from the direction of u to that of v at the given radius (empty if undefined). */
export function angleArc(u: Vec3, v: Vec3, radius: number, segments = 32): Vec3[] {
  const nu = norm(u),
    nv = norm(v);
  if (nu === 0 || nv === 0) return [];
  const e1 = scale(u, 1 / nu);
  const cos = clamp(dot(e1, v) / nv, -1, 1);
  const angle = Math.acos(cos);
  // e2: the part of v orthogonal to u; for (anti)parallel vectors pick any orthogonal direction
  let perp = sub(scale(v, 1 / nv), scale(e1, cos));
  if (norm(perp) < 1e-9) {
    const helper: Vec3 = Math.abs(e1[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    perp = sub(helper, scale(e1, dot(helper, e1)));
  }
  const e2 = scale(perp, 1 / norm(perp));
  return Array.from({ length: segments + 1 }, (_, i) => {
    const t = (angle * i) / segments;
    return [
      radius * (Math.cos(t) * e1[0] + Math.sin(t) * e2[0]),
      radius * (Math.cos(t) * e1[1] + Math.sin(t) * e2[1]),
      radius * (Math.cos(t) * e1[2] + Math.sin(t) * e2[2]),
    ];
  });
}

export interface SceneLayout {
  alpha: number;
  /** raw vectors (α = 0), display coordinates */
  rawA: Vec3;
  rawB: Vec3;
  /** the vectors at α */
  wa: Vec3;
  wb: Vec3;
  cosine: number;
  angleDeg: number;
  /** the arc marking the angle between wa and wb */
  arc: Vec3[];
  /** where the angle's number sits: beyond the middle of the arc */
  arcLabel: Vec3;
}

export function sceneLayout(input: CenteringInput, alpha: number): SceneLayout {
  const f = centeringFrame(input, alpha);
  const wa = toDisplay(input.mode, f.wa),
    wb = toDisplay(input.mode, f.wb);
  const radius = 0.28 * Math.max(norm(wa), norm(wb));
  const arc = angleArc(wa, wb, radius);
  const mid = arc[Math.floor(arc.length / 2)];
  return {
    alpha,
    rawA: toDisplay(input.mode, input.a),
    rawB: toDisplay(input.mode, input.b),
    wa,
    wb,
    cosine: f.cosine,
    angleDeg: f.angleDeg,
    arc,
    arcLabel: mid ? scale(mid, 1.45) : [0, 0, 0],
  };
}

/** Pearson r of the two vectors: the cosine they reach at α = 1 (centering never changes it). */
export function pearsonOf(input: CenteringInput): number {
  return centeringFrame(input, 1).cosine;
}

const signed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits).replace('-', '−') : 'n/a');

export interface Readout {
  alpha: string;
  cosine: string;
  angle: string;
  pearson: string;
}

export function readout(layout: SceneLayout, pearson: number): Readout {
  return {
    alpha: layout.alpha.toFixed(2),
    cosine: signed(layout.cosine, 3),
    angle: Number.isFinite(layout.angleDeg) ? `${layout.angleDeg.toFixed(0)}°` : 'n/a',
    pearson: signed(pearson, 3),
  };
}

// --- real-data mode

export interface RealSummary {
  d: number;
  meanA: number;
  meanB: number;
  /** ‖a‖, ‖b‖ */
  lengthA: number;
  lengthB: number;
  /** ‖a − mean(a)·1‖, ‖b − mean(b)·1‖ */
  centredA: number;
  centredB: number;
  /** what the centred part is of the whole, ‖a′‖/‖a‖ */
  shareA: number;
  shareB: number;
  cos0: number;
  r1: number;
  angle0: number;
  angle1: number;
}

export function realSummary(basis: CenteringBasis): RealSummary {
  const start = basisCenteringFrame(basis, 0),
    end = basisCenteringFrame(basis, 1);
  const lengthA = norm(basis.a),
    lengthB = norm(basis.b);
  const centredA = Math.hypot(basis.a[1], basis.a[2]),
    centredB = Math.hypot(basis.b[1], basis.b[2]);
  return {
    d: basis.d,
    meanA: basis.meanA,
    meanB: basis.meanB,
    lengthA,
    lengthB,
    centredA,
    centredB,
    shareA: centredA / lengthA,
    shareB: centredB / lengthB,
    cos0: start.cosine,
    r1: end.cosine,
    angle0: start.angleDeg,
    angle1: end.angleDeg,
  };
}

/** The same-index layer with the highest raw cosine (the seed's choice for Figures 1 and 3). */
export function highestCosineDiagonal(pair: PairMatrices): [number, number] | null {
  let best = -1,
    bestCos = -Infinity;
  for (let i = 0; i < Math.min(pair.rows, pair.cols); i++) {
    const c = pair.cosine[i * pair.cols + i]!;
    if (Number.isFinite(c) && c > bestCos) {
      bestCos = c;
      best = i;
    }
  }
  return best >= 0 ? [best, best] : null;
}

/**
 * Which layer pair real mode draws: `layer=k` (layer k of both), else the pinned `cell=i,j`,
 * else the highest-cosine diagonal layer. Out-of-range requests fall through to the next rule.
 */
export function resolveRealCell(
  layerParam: string,
  cell: [number, number] | null,
  pair: PairMatrices,
): { cell: [number, number]; source: 'layer' | 'cell' | 'default' } | null {
  const k = Number(layerParam);
  if (layerParam !== '' && Number.isInteger(k) && k >= 0 && k < pair.rows && k < pair.cols)
    return { cell: [k, k], source: 'layer' };
  if (cell && cell[0] < pair.rows && cell[1] < pair.cols) return { cell, source: 'cell' };
  const best = highestCosineDiagonal(pair);
  return best ? { cell: best, source: 'default' } : null;
}

// ---- view helpers (pure): title, readout text, camera target, axis names, the paused α ----

/** The figure's title for a given α. */
export function titleFor(alpha: number): string {
  if (alpha <= 0.0005) return 'Raw cosine similarity (α = 0)';
  if (alpha >= 0.9995) return 'Pearson correlation (α = 1: mean removed)';
  return `Removing the mean: α = ${alpha.toFixed(2)}`;
}

/** Pearson r as the readout shows it (typographic minus), or n/a. */
export function formatPearson(pearson: number): string {
  return Number.isFinite(pearson) ? pearson.toFixed(3).replace('-', '−') : 'n/a';
}

/** Where the camera looks, for a scene of scale s. */
export function orbitTarget(mode: CenteringMode, s: number): Vec3 {
  return mode === 'toy' ? [0.28 * s, 0.28 * s, 0.22 * s] : [0, 0, 0.55 * s];
}

/** Labels of the three axes (an empty name draws no label). */
export function axisNamesFor(mode: CenteringMode): string[] {
  return mode === 'toy' ? ['x', 'y', 'z'] : ['e₂ (A centred)', 'e₃', ''];
}

/** The paused α the URL asks for (null: playing). Reduced motion starts paused at 0 until "alpha=play". */
export function pausedAlphaOf(reduceMotion: boolean, alphaText: string): number | null {
  return reduceMotion && alphaText === '' ? 0 : parseAlpha(alphaText);
}

/** v scaled by f. */
export function scaleVec3(v: Vec3, f: number): Vec3 {
  return [v[0] * f, v[1] * f, v[2] * f];
}
