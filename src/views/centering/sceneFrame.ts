// What the centering scene does on each frame, outside React: advance the animation clock, follow
// the vectors with the camera, move the objects, write the readouts and place the labels.
import type { RefObject } from 'react';
import type { Camera, Float32BufferAttribute, Mesh } from 'three';
import { placeArrow, setPolyline } from '../scene3d/arrows';
import { frameProbe } from '../scene3d/frameStats';
import type { LabelOverlay } from '../scene3d/labels';
import { placeCamera } from '../scene3d/OrbitRig';
import type { OrbitStore, Vec3 } from '../scene3d/orbit';
import { alphaAt, readout, scaleVec3, titleFor } from './centeringModel';
import type { CenteringInput, SceneLayout } from './centeringModel';
import type { SceneObjects, SceneStatics } from './sceneObjects';
import type { CenteringLive, ReadoutNodes } from './sceneShared';

/** The animation clock: while playing, time advances (at most 0.1 s a frame) and sets α. */
export function advanceClock(L: CenteringLive): void {
  if (L.playing) {
    const now = performance.now();
    if (L.lastNow !== null) {
      frameProbe().push(now - L.lastNow);
      L.t += Math.min(0.1, (now - L.lastNow) / 1000);
    }
    L.lastNow = now;
    L.alpha = alphaAt(L.t);
  } else L.lastNow = null;
}

/** The input as shown: a tip being dragged overrides its vector (toy mode). */
export function shownInput(cur: CenteringInput, L: CenteringLive): CenteringInput {
  return L.drag && cur.mode === 'toy' ? { ...cur, [L.drag.which]: L.drag.v } : cur;
}

export interface CameraFit {
  camera: Camera;
  orbit: OrbitStore;
  target: Vec3;
  distance: number;
  distanceScale: RefObject<number>;
  /** the scene scale (the longer raw vector) */
  s: number;
}

/** Moves the camera in as the vectors shorten (follow mode); returns the scale for arrows and frame. */
export function followCamera(L: CenteringLive, lay: SceneLayout, fit: CameraFit): number {
  const { camera, orbit, target, distance, distanceScale, s } = fit;
  if (L.follow) {
    const reach = Math.max(Math.hypot(...lay.wa), Math.hypot(...lay.wb)) / s;
    distanceScale.current = Math.max(0.06, reach);
    const f = distanceScale.current;
    placeCamera(camera, orbit.state, [target[0] * f, target[1] * f, target[2] * f], distance * f);
  } else if (distanceScale.current !== 1) {
    distanceScale.current = 1;
    placeCamera(camera, orbit.state, target, distance);
  }
  // arrows keep their on-screen thickness when the camera follows them in
  return L.follow ? distanceScale.current : 1;
}

export interface MovingParts {
  objects: SceneObjects;
  statics: SceneStatics;
  tipA: Mesh | null;
  tipB: Mesh | null;
}

/** Places the arrows, ghosts, paths, angle arc and sector, plane and tips for layout `lay`. */
export function placeMoving(parts: MovingParts, lay: SceneLayout, alpha: number, k: number, s: number): void {
  const { objects, statics, tipA, tipB } = parts;
  const radius = 0.012 * s * k;
  statics.frame.scale.setScalar(k);
  tipA?.scale.setScalar(k);
  tipB?.scale.setScalar(k);
  placeArrow(objects.arrowA, lay.wa, radius);
  placeArrow(objects.arrowB, lay.wb, radius);
  const moved = alpha > 0.002;
  objects.ghostA.visible = objects.ghostB.visible = objects.pathA.visible = objects.pathB.visible = moved;
  if (moved) {
    placeArrow(objects.ghostA, lay.rawA, radius * 0.7);
    placeArrow(objects.ghostB, lay.rawB, radius * 0.7);
    setPolyline(objects.pathA, [lay.rawA, lay.wa]);
    setPolyline(objects.pathB, [lay.rawB, lay.wb]);
  }
  setPolyline(objects.arc, lay.arc);
  const pos = objects.sector.geometry.getAttribute('position') as Float32BufferAttribute;
  pos.setXYZ(0, 0, 0, 0);
  lay.arc.forEach((p, i) => pos.setXYZ(i + 1, p[0], p[1], p[2]));
  pos.needsUpdate = true;
  objects.sector.geometry.setDrawRange(0, Math.max(0, lay.arc.length - 1) * 3);
  objects.plane.opacity = 0.14 + 0.3 * alpha;
  tipA?.position.set(...lay.rawA);
  tipB?.position.set(...lay.rawB);
}

function setText(node: { textContent: string | null } | null, text: string): void {
  if (node && node.textContent !== text) node.textContent = text;
}

/** Writes the readouts and the title; setText skips unchanged text, so this costs nothing while paused. */
export function writeReadouts(nodes: ReadoutNodes, lay: SceneLayout, pearson: number, L: CenteringLive): void {
  // nodes may be remounted any time: read them on every frame
  const r = readout(lay, pearson);
  setText(nodes.alpha.current, r.alpha);
  setText(nodes.cosine.current, r.cosine);
  setText(nodes.angle.current, r.angle);
  setText(nodes.figCosine.current, `cos = ${r.cosine}`);
  setText(nodes.figAngle.current, r.angle);
  setText(nodes.figTitle.current, titleFor(L.alpha));
  const slider = nodes.slider.current;
  if (slider && L.playing && document.activeElement !== slider) slider.value = String(L.alpha);
}

/** Moves the overlay's live anchors (tip labels, the 1 label, axis names) and places the labels. */
export function placeLabels(
  overlay: LabelOverlay,
  lay: SceneLayout,
  statics: SceneStatics,
  k: number,
  camera: Camera,
  size: { width: number; height: number },
): void {
  overlay.setLive('A', scaleVec3(lay.wa, 1.1));
  overlay.setLive('B', scaleVec3(lay.wb, 1.1));
  overlay.setLive('ones', scaleVec3(statics.onesEnd, k));
  overlay.setLive('tipA', lay.rawA);
  overlay.setLive('tipB', lay.rawB);
  statics.axisEnds.forEach((p, i) => overlay.setLive(`axis${i}`, scaleVec3(p, k)));
  overlay.update(camera, size.width, size.height);
}
