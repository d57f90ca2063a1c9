// The three.js objects of the centering scene: the moving ones (built once) and the static frame
// (axes, the all-ones arrow, the plane ⟂ 1), rebuilt when the scale or the mode changes.
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
  Quaternion,
  Vector3,
} from 'three';
import { makeArrow, makePolyline, placeArrow, staticLine } from '../scene3d/arrows';
import type { Vec3 } from '../scene3d/orbit';
import type { CenteringMode } from './centeringModel';
import { COLOR_A, COLOR_ARC, COLOR_B, COLOR_ONES, COLOR_PLANE } from './sceneShared';

function makeSector(segments: number): Mesh {
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
  sector.geometry.setAttribute('position', new Float32BufferAttribute(new Float32Array((segments + 2) * 3), 3));
  sector.geometry.setIndex(Array.from({ length: segments }, (_, i) => [0, i + 1, i + 2]).flat());
  sector.frustumCulled = false;
  return sector;
}

export function makeSceneObjects() {
  const matA = new MeshLambertMaterial({ color: COLOR_A });
  const matB = new MeshLambertMaterial({ color: COLOR_B });
  const ghostA = new MeshLambertMaterial({ color: COLOR_A, transparent: true, opacity: 0.28, depthWrite: false });
  const ghostB = new MeshLambertMaterial({ color: COLOR_B, transparent: true, opacity: 0.28, depthWrite: false });
  const SEG = 32;
  const sector = makeSector(SEG);
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
}

export type SceneObjects = ReturnType<typeof makeSceneObjects>;

export interface SceneStatics {
  /** one group, scaled with the camera in follow mode so the frame keeps its size on screen */
  frame: Group;
  axisEnds: Vec3[];
  onesEnd: Vec3;
}

/** Static pieces: axes, the all-ones arrow, the plane ⟂ 1 as a disc with its rim. */
export function makeStatics(s: number, mode: CenteringMode, ones: Vec3, objects: SceneObjects): SceneStatics {
  const L = 1.15 * s;
  const axes = [0, 1, 2].map((k) => {
    const p: Vec3 = [0, 0, 0],
      q: Vec3 = [0, 0, 0];
    p[k] = mode === 'toy' ? -0.35 * s : -0.75 * s;
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
}
