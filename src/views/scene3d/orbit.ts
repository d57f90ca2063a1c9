// Orbit camera as plain numbers (z is up, as in the seed's matplotlib figures): drag turns it,
// the wheel zooms, and `cam=az,el,zoom` in the URL reproduces the view.
export type Vec3 = [number, number, number];

export interface OrbitState {
  /** degrees around the z axis, measured from +x towards +y */
  azimuth: number;
  /** degrees above the x–y plane */
  elevation: number;
  /** 1 = the view's fitted distance; 2 = twice as close */
  zoom: number;
}

export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 12;
/** never quite straight down or up: the camera's up vector would flip */
const MAX_ELEVATION = 89;
/** degrees turned per pixel dragged */
const DEGREES_PER_PIXEL = 0.4;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const wrap = (deg: number) => (deg >= -180 && deg < 180 ? deg : ((((deg + 180) % 360) + 360) % 360) - 180);

export function normalizeOrbit(s: OrbitState): OrbitState {
  return {
    azimuth: wrap(s.azimuth),
    elevation: clamp(s.elevation, -MAX_ELEVATION, MAX_ELEVATION),
    zoom: clamp(s.zoom, MIN_ZOOM, MAX_ZOOM),
  };
}

/** Dragging right turns the scene right (camera left); dragging down raises the camera. */
export function dragOrbit(s: OrbitState, dxPx: number, dyPx: number): OrbitState {
  return normalizeOrbit({
    ...s,
    azimuth: s.azimuth - dxPx * DEGREES_PER_PIXEL,
    elevation: s.elevation + dyPx * DEGREES_PER_PIXEL,
  });
}

/** Wheel down (positive deltaY) zooms out, by a factor per notch that does not depend on the zoom. */
export function zoomOrbit(s: OrbitState, deltaY: number): OrbitState {
  const notches = clamp(deltaY / 100, -5, 5);
  return normalizeOrbit({ ...s, zoom: s.zoom * Math.pow(1.15, -notches) });
}

/** Camera position looking at `target` from `distance / zoom` away. */
export function cameraPosition(s: OrbitState, target: Vec3, distance: number): Vec3 {
  const az = (s.azimuth * Math.PI) / 180,
    el = (s.elevation * Math.PI) / 180;
  const r = distance / s.zoom;
  return [
    target[0] + r * Math.cos(el) * Math.cos(az),
    target[1] + r * Math.cos(el) * Math.sin(az),
    target[2] + r * Math.sin(el),
  ];
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function formatCam(s: OrbitState): string {
  return `${round(s.azimuth, 1)},${round(s.elevation, 1)},${round(s.zoom, 2)}`;
}

/** `az,el,zoom` from the URL; anything malformed gives the fallback (links never break). */
export function parseCam(text: string | undefined, fallback: OrbitState): OrbitState {
  if (!text) return fallback;
  const parts = text.split(',').map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) return fallback;
  return normalizeOrbit({ azimuth: parts[0]!, elevation: parts[1]!, zoom: parts[2]! });
}

/** A small shared holder so several canvases (small multiples) turn together. */
export class OrbitStore {
  private listeners = new Set<() => void>();
  constructor(public state: OrbitState) {}
  set(next: OrbitState): void {
    const s = normalizeOrbit(next);
    if (s.azimuth === this.state.azimuth && s.elevation === this.state.elevation && s.zoom === this.state.zoom) return;
    this.state = s;
    for (const l of this.listeners) l();
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
