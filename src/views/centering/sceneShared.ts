// Types and colours shared by the centering figure's React side and its three.js side.
import type { RefObject } from 'react';
import type { Vec3 } from '../scene3d/orbit';

export interface CenteringLive {
  alpha: number;
  playing: boolean;
  /** seconds into the animation loop */
  t: number;
  /** performance.now() of the previous played frame (frame-time probe) */
  lastNow: number | null;
  /** a tip being dragged (toy mode), in toy coordinates */
  drag: { which: 'a' | 'b'; v: Vec3 } | null;
  follow: boolean;
}

/** DOM nodes the scene writes its readouts into (outside React's render). */
export interface ReadoutNodes {
  alpha: RefObject<HTMLElement | null>;
  cosine: RefObject<HTMLElement | null>;
  angle: RefObject<HTMLElement | null>;
  figCosine: RefObject<SVGTextElement | null>;
  figAngle: RefObject<SVGTextElement | null>;
  figTitle: RefObject<SVGTextElement | null>;
  slider: RefObject<HTMLInputElement | null>;
}

export const COLOR_A = '#7b5fd6';
export const COLOR_B = '#3f434c';
export const COLOR_ONES = '#0e8f7e';
export const COLOR_ARC = '#e07a5f';
export const COLOR_PLANE = '#8fc1ef';
