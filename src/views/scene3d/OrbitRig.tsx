// Pointer drag turns the camera, the wheel zooms; both drive an OrbitStore that several canvases
// may share. The camera is placed imperatively, then one frame is requested (frameloop "demand").
import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { useThree } from '@react-three/fiber';
import type { Camera } from 'three';
import { PerspectiveCamera } from 'three';
import { cameraPosition, dragOrbit, formatCam, zoomOrbit } from './orbit';
import type { OrbitState, OrbitStore, Vec3 } from './orbit';

/** Moves the camera to the orbit state (z up), with near/far planes that suit the distance. */
export function placeCamera(camera: Camera, state: OrbitState, target: Vec3, distance: number): void {
  const [x, y, z] = cameraPosition(state, target, distance);
  camera.up.set(0, 0, 1);
  camera.position.set(x, y, z);
  camera.lookAt(target[0], target[1], target[2]);
  if (camera instanceof PerspectiveCamera) {
    const r = distance / state.zoom;
    camera.near = r / 50;
    camera.far = r * 20;
    camera.updateProjectionMatrix();
  }
  camera.updateMatrixWorld();
}

interface Props {
  orbit: OrbitStore;
  target: Vec3;
  /** camera distance at zoom 1 */
  distance: number;
  /** extra distance factor a scene may change per frame (centering "follow") */
  distanceScale?: RefObject<number>;
  /** called with `az,el,zoom` when a drag or a burst of wheel steps ends */
  onCommit?: (cam: string) => void;
  /** return false while the scene handles the pointer itself (dragging a vector tip) */
  canOrbit?: () => boolean;
}

export function OrbitRig({ orbit, target, distance, distanceScale, onCommit, canOrbit }: Props) {
  const { camera, gl, invalidate } = useThree();
  const commitRef = useRef(onCommit);
  commitRef.current = onCommit;
  const canOrbitRef = useRef(canOrbit);
  canOrbitRef.current = canOrbit;
  const [tx, ty, tz] = target;

  useEffect(() => {
    const el = gl.domElement;
    const apply = () => {
      placeCamera(camera, orbit.state, [tx, ty, tz], distance * (distanceScale?.current ?? 1));
      invalidate();
    };
    apply();
    const unsubscribe = orbit.subscribe(apply);
    let drag: { id: number; x: number; y: number; moved: boolean } | null = null;
    let wheelTimer: ReturnType<typeof setTimeout> | undefined;
    const commit = () => commitRef.current?.(formatCam(orbit.state));

    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      drag = { id: e.pointerId, x: e.clientX, y: e.clientY, moved: false };
    };
    const move = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      if (canOrbitRef.current && !canOrbitRef.current()) {
        drag = null; // the scene took this pointer (a tip drag started on the same press)
        return;
      }
      const dx = e.clientX - drag.x,
        dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 3) return;
      if (!drag.moved) {
        drag.moved = true;
        el.setPointerCapture(e.pointerId);
        el.classList.add('orbiting');
      }
      drag.x = e.clientX;
      drag.y = e.clientY;
      orbit.set(dragOrbit(orbit.state, dx, dy));
    };
    const up = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const moved = drag.moved;
      drag = null;
      el.classList.remove('orbiting');
      if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
      if (moved) commit();
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      orbit.set(zoomOrbit(orbit.state, e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY));
      clearTimeout(wheelTimer);
      wheelTimer = setTimeout(commit, 250);
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    el.addEventListener('wheel', wheel, { passive: false });
    return () => {
      unsubscribe();
      clearTimeout(wheelTimer);
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      el.removeEventListener('wheel', wheel);
    };
  }, [camera, gl, invalidate, orbit, tx, ty, tz, distance, distanceScale]);
  return null;
}
