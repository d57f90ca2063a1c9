// Text labels for 3-D scenes, drawn in an SVG laid over the canvas (so the PNG export keeps them):
// each <g data-anchor="x,y,z"> is moved to where its 3-D anchor projects, once per rendered frame.
import { Vector3 } from 'three';
import type { Camera } from 'three';
import type { Vec3 } from './orbit';

const v = new Vector3();

export class LabelOverlay {
  svg: SVGSVGElement | null = null;
  /** anchors that move (set every frame by the scene); they override data-anchor */
  private live = new Map<string, Vec3>();

  readonly ref = (el: SVGSVGElement | null) => {
    this.svg = el;
  };

  setLive(id: string, pos: Vec3): void {
    this.live.set(id, pos);
  }

  /** Screen position of a world point in this canvas, or null when behind the camera. */
  static project(camera: Camera, pos: Vec3, width: number, height: number): [number, number] | null {
    v.set(pos[0], pos[1], pos[2]).project(camera);
    if (v.z > 1 || v.z < -1) return null;
    return [((v.x + 1) / 2) * width, ((1 - v.y) / 2) * height];
  }

  update(camera: Camera, width: number, height: number): void {
    if (!this.svg) return;
    for (const g of this.svg.querySelectorAll<SVGGElement>('[data-anchor]')) {
      const id = g.getAttribute('data-live');
      const pos = (id && this.live.get(id)) || (g.getAttribute('data-anchor')!.split(',').map(Number) as Vec3);
      const p = LabelOverlay.project(camera, pos, width, height);
      if (!p) {
        g.setAttribute('visibility', 'hidden');
        continue;
      }
      const sx = p[0].toFixed(1),
        sy = p[1].toFixed(1);
      g.removeAttribute('visibility');
      g.setAttribute('transform', `translate(${sx},${sy})`);
      g.setAttribute('data-sx', sx);
      g.setAttribute('data-sy', sy);
    }
  }
}

export const anchorAttr = (p: Vec3) => p.map((x) => +x.toFixed(5)).join(',');
