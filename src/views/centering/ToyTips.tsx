// The two draggable tips of the toy vectors: dragging moves a tip on the plane facing the camera;
// the URL gets the new vector on release.
import type { RefObject } from 'react';
import { useThree } from '@react-three/fiber';
import type { ThreeEvent } from '@react-three/fiber';
import { Plane, Raycaster, Vector2, Vector3 } from 'three';
import type { BufferGeometry, Material, Mesh } from 'three';
import type { Vec3 } from '../scene3d/orbit';
import { clampToy } from './centeringModel';
import type { CenteringInput } from './centeringModel';
import type { CenteringLive } from './sceneShared';

type OnDragEnd = ((which: 'a' | 'b', v: Vec3) => void) | undefined;

/** Pointer handlers of the tips: hover cursor and drag. */
export function useTipDrag(input: CenteringInput, live: RefObject<CenteringLive>, onDragEnd: OnDragEnd) {
  const { camera, gl, invalidate } = useThree();

  const hoverTip = (on: boolean) => () => {
    if (input.mode === 'toy') gl.domElement.classList.toggle('over-tip', on);
  };

  const startDrag = (which: 'a' | 'b') => (e: ThreeEvent<PointerEvent>) => {
    if (input.mode !== 'toy' || e.button !== 0) return;
    e.stopPropagation();
    const L = live.current;
    const start = which === 'a' ? input.a : input.b;
    const normal = new Vector3();
    camera.getWorldDirection(normal);
    const plane = new Plane().setFromNormalAndCoplanarPoint(normal, new Vector3(...start));
    const ray = new Raycaster();
    const ndc = new Vector2();
    const hit = new Vector3();
    L.drag = { which, v: start };
    gl.domElement.classList.add('dragging-tip');
    const move = (ev: PointerEvent) => {
      const rect = gl.domElement.getBoundingClientRect();
      ndc.set(((ev.clientX - rect.left) / rect.width) * 2 - 1, -((ev.clientY - rect.top) / rect.height) * 2 + 1);
      ray.setFromCamera(ndc, camera);
      if (ray.ray.intersectPlane(plane, hit)) {
        L.drag = { which, v: clampToy([hit.x, hit.y, hit.z]) };
        invalidate();
      }
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      gl.domElement.classList.remove('dragging-tip');
      const done = L.drag;
      if (done) onDragEnd?.(done.which, done.v);
      // the URL update re-renders with the new vectors; drop the override after that frame
      requestAnimationFrame(() => {
        if (live.current.drag === done) live.current.drag = null;
        invalidate();
      });
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  return { hoverTip, startDrag };
}

interface TipsProps {
  input: CenteringInput;
  live: RefObject<CenteringLive>;
  onDragEnd: OnDragEnd;
  tipA: RefObject<Mesh | null>;
  tipB: RefObject<Mesh | null>;
  geometry: BufferGeometry;
  materialA: Material;
  materialB: Material;
}

export function ToyTips({ input, live, onDragEnd, tipA, tipB, geometry, materialA, materialB }: TipsProps) {
  const { hoverTip, startDrag } = useTipDrag(input, live, onDragEnd);
  return (
    <>
      <mesh
        ref={tipA}
        geometry={geometry}
        material={materialA}
        onPointerDown={startDrag('a')}
        onPointerOver={hoverTip(true)}
        onPointerOut={hoverTip(false)}
      />
      <mesh
        ref={tipB}
        geometry={geometry}
        material={materialB}
        onPointerDown={startDrag('b')}
        onPointerOver={hoverTip(true)}
        onPointerOut={hoverTip(false)}
      />
    </>
  );
}
