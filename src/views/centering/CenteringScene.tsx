// The three.js side of Figure 0. Structure is React; everything that moves (α, dragged tips)
// is applied to the objects in useFrame from the `live` ref, so playing never re-renders React.
import { useEffect, useMemo, useRef } from 'react';
import type { RefObject } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import type { ThreeEvent } from '@react-three/fiber';
import {
  BufferGeometry,
  CircleGeometry,
  DoubleSide,
  Float32BufferAttribute,
  Group,
  LineBasicMaterial,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  Plane,
  Quaternion,
  Raycaster,
  SphereGeometry,
  Vector2,
  Vector3,
} from 'three';
import { makeArrow, makePolyline, placeArrow, setPolyline, staticLine } from '../scene3d/arrows';
import { frameProbe } from '../scene3d/frameStats';
import type { LabelOverlay } from '../scene3d/labels';
import { placeCamera } from '../scene3d/OrbitRig';
import type { OrbitStore, Vec3 } from '../scene3d/orbit';
import { alphaAt, clampToy, onesDirection, pearsonOf, readout, sceneLayout } from './centeringModel';
import type { CenteringInput } from './centeringModel';

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
const COLOR_ARC = '#e07a5f';
const COLOR_PLANE = '#8fc1ef';

interface Props {
  input: CenteringInput;
  live: RefObject<CenteringLive>;
  nodes: ReadoutNodes;
  overlay: LabelOverlay;
  orbit: OrbitStore;
  target: Vec3;
  distance: number;
  distanceScale: RefObject<number>;
  onDragEnd?: (which: 'a' | 'b', v: Vec3) => void;
}

function setText(node: { textContent: string | null } | null, text: string): void {
  if (node && node.textContent !== text) node.textContent = text;
}

function titleFor(alpha: number): string {
  if (alpha <= 0.0005) return 'Raw cosine similarity (α = 0)';
  if (alpha >= 0.9995) return 'Pearson correlation (α = 1: mean removed)';
  return `Removing the mean: α = ${alpha.toFixed(2)}`;
}

export function CenteringScene({
  input,
  live,
  nodes,
  overlay,
  orbit,
  target,
  distance,
  distanceScale,
  onDragEnd,
}: Props) {
  const { camera, gl, invalidate } = useThree();
  const s = useMemo(() => Math.max(Math.hypot(...input.a), Math.hypot(...input.b)) || 1, [input]);
  const ones = onesDirection(input.mode);
  const pearson = useMemo(() => pearsonOf(input), [input]);
  const inputRef = useRef(input);
  inputRef.current = input;

  const objects = useMemo(() => {
    const matA = new MeshLambertMaterial({ color: COLOR_A });
    const matB = new MeshLambertMaterial({ color: COLOR_B });
    const ghostA = new MeshLambertMaterial({ color: COLOR_A, transparent: true, opacity: 0.28, depthWrite: false });
    const ghostB = new MeshLambertMaterial({ color: COLOR_B, transparent: true, opacity: 0.28, depthWrite: false });
    const sector = new Mesh(
      new BufferGeometry(),
      new MeshBasicMaterial({
        color: COLOR_ARC,
        transparent: true,
        opacity: 0.35,
        side: DoubleSide,
        depthWrite: false,
      }),
    );
    const SEG = 32;
    sector.geometry.setAttribute('position', new Float32BufferAttribute(new Float32Array((SEG + 2) * 3), 3));
    sector.geometry.setIndex(Array.from({ length: SEG }, (_, i) => [0, i + 1, i + 2]).flat());
    sector.frustumCulled = false;
    return {
      arrowA: makeArrow(matA),
      arrowB: makeArrow(matB),
      ghostA: makeArrow(ghostA),
      ghostB: makeArrow(ghostB),
      pathA: makePolyline(2, new LineBasicMaterial({ color: COLOR_A, transparent: true, opacity: 0.6 })),
      pathB: makePolyline(2, new LineBasicMaterial({ color: COLOR_B, transparent: true, opacity: 0.6 })),
      arc: makePolyline(SEG + 1, new LineBasicMaterial({ color: COLOR_ARC })),
      sector,
      plane: new MeshBasicMaterial({
        color: COLOR_PLANE,
        transparent: true,
        opacity: 0.2,
        side: DoubleSide,
        depthWrite: false,
      }),
      planeEdge: new LineBasicMaterial({ color: '#5f9bd3', transparent: true, opacity: 0.6 }),
      onesMat: new MeshLambertMaterial({ color: COLOR_ONES }),
      axisMat: new LineBasicMaterial({ color: '#8a8f98' }),
      tipA: new MeshBasicMaterial({ color: COLOR_A, transparent: true, opacity: 0.55 }),
      tipB: new MeshBasicMaterial({ color: COLOR_B, transparent: true, opacity: 0.55 }),
    };
  }, []);

  // static pieces: axes, the all-ones arrow, the plane ⟂ 1 as a disc with its rim
  const statics = useMemo(() => {
    const L = 1.15 * s;
    const axes = [0, 1, 2].map((k) => {
      const p: Vec3 = [0, 0, 0],
        q: Vec3 = [0, 0, 0];
      p[k] = input.mode === 'toy' ? -0.35 * s : -0.75 * s;
      q[k] = L;
      return staticLine([p, q], objects.axisMat);
    });
    const onesArrow = makeArrow(objects.onesMat);
    placeArrow(onesArrow, [ones[0] * 1.3 * s, ones[1] * 1.3 * s, ones[2] * 1.3 * s], 0.007 * s);
    const R = 0.95 * s;
    const disc = new Mesh(new CircleGeometry(R, 72), objects.plane);
    disc.quaternion.copy(new Quaternion().setFromUnitVectors(new Vector3(0, 0, 1), new Vector3(...ones)));
    const rim = staticLine(
      Array.from({ length: 73 }, (_, i): Vec3 => {
        const t = (i / 72) * 2 * Math.PI;
        const v = new Vector3(R * Math.cos(t), R * Math.sin(t), 0).applyQuaternion(disc.quaternion);
        return [v.x, v.y, v.z];
      }),
      objects.planeEdge,
    );
    // one group, scaled with the camera in follow mode so the frame keeps its size on screen
    const frame = new Group();
    frame.add(...axes, disc, rim, onesArrow);
    return {
      frame,
      axisEnds: [0, 1, 2].map((k): Vec3 => {
        const p: Vec3 = [0, 0, 0];
        p[k] = L * 1.04;
        return p;
      }),
      onesEnd: [ones[0] * 1.36 * s, ones[1] * 1.36 * s, ones[2] * 1.36 * s] as Vec3,
    };
  }, [s, input.mode, ones, objects]);

  const tipGeom = useMemo(() => new SphereGeometry(0.028 * s, 20, 14), [s]);
  const tipA = useRef<Mesh>(null);
  const tipB = useRef<Mesh>(null);

  useFrame(({ size }) => {
    const L = live.current;
    if (L.playing) {
      const now = performance.now();
      if (L.lastNow !== null) {
        frameProbe().push(now - L.lastNow);
        L.t += Math.min(0.1, (now - L.lastNow) / 1000);
      }
      L.lastNow = now;
      L.alpha = alphaAt(L.t);
    } else L.lastNow = null;
    const cur = inputRef.current;
    const shown: CenteringInput = L.drag && cur.mode === 'toy' ? { ...cur, [L.drag.which]: L.drag.v } : cur;
    const lay = sceneLayout(shown, L.alpha);
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
    const k = L.follow ? distanceScale.current : 1;
    const radius = 0.012 * s * k;
    statics.frame.scale.setScalar(k);
    tipA.current?.scale.setScalar(k);
    tipB.current?.scale.setScalar(k);
    placeArrow(objects.arrowA, lay.wa, radius);
    placeArrow(objects.arrowB, lay.wb, radius);
    const moved = L.alpha > 0.002;
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
    objects.plane.opacity = 0.14 + 0.3 * L.alpha;
    tipA.current?.position.set(...lay.rawA);
    tipB.current?.position.set(...lay.rawB);

    // setText skips unchanged text, so this costs nothing while paused; nodes may be remounted any time
    const r = readout(lay, pearson);
    setText(nodes.alpha.current, r.alpha);
    setText(nodes.cosine.current, r.cosine);
    setText(nodes.angle.current, r.angle);
    setText(nodes.figCosine.current, `cos = ${r.cosine}`);
    setText(nodes.figAngle.current, r.angle);
    setText(nodes.figTitle.current, titleFor(L.alpha));
    const slider = nodes.slider.current;
    if (slider && L.playing && document.activeElement !== slider) slider.value = String(L.alpha);
    const lift = (v: Vec3, f: number): Vec3 => [v[0] * f, v[1] * f, v[2] * f];
    overlay.setLive('A', lift(lay.wa, 1.1));
    overlay.setLive('B', lift(lay.wb, 1.1));
    overlay.setLive('ones', lift(statics.onesEnd, k));
    overlay.setLive('tipA', lay.rawA);
    overlay.setLive('tipB', lay.rawB);
    statics.axisEnds.forEach((p, i) => overlay.setLive(`axis${i}`, lift(p, k)));
    overlay.update(camera, size.width, size.height);
  });

  // a new input (URL change, mode switch) needs a frame even when nothing plays
  useEffect(() => invalidate(), [input, invalidate]);

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

  return (
    <>
      <ambientLight intensity={1.1} />
      <directionalLight position={[2 * s, -1.5 * s, 3 * s]} intensity={1.6} />
      <primitive object={statics.frame} />
      <primitive object={objects.sector} />
      <primitive object={objects.arc} />
      <primitive object={objects.pathA} />
      <primitive object={objects.pathB} />
      <primitive object={objects.ghostA} />
      <primitive object={objects.ghostB} />
      <primitive object={objects.arrowA} />
      <primitive object={objects.arrowB} />
      {input.mode === 'toy' && (
        <>
          <mesh
            ref={tipA}
            geometry={tipGeom}
            material={objects.tipA}
            onPointerDown={startDrag('a')}
            onPointerOver={hoverTip(true)}
            onPointerOut={hoverTip(false)}
          />
          <mesh
            ref={tipB}
            geometry={tipGeom}
            material={objects.tipB}
            onPointerDown={startDrag('b')}
            onPointerOver={hoverTip(true)}
            onPointerOut={hoverTip(false)}
          />
        </>
      )}
    </>
  );
}
