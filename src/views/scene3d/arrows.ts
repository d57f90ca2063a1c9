// Solid arrows (cylinder shaft + cone head) that scenes re-aim every frame without new geometry.
import {
  BufferGeometry,
  ConeGeometry,
  CylinderGeometry,
  Float32BufferAttribute,
  Group,
  Line,
  LineBasicMaterial,
  Mesh,
  Vector3,
} from 'three';
import type { Material } from 'three';
import type { Vec3 } from './orbit';

// unit pieces standing on the origin along +y; placeArrow scales and turns them
const SHAFT = new CylinderGeometry(1, 1, 1, 14, 1).translate(0, 0.5, 0);
const HEAD = new ConeGeometry(1, 1, 20, 1).translate(0, 0.5, 0);
const UP = new Vector3(0, 1, 0);
const dir = new Vector3();

export function makeArrow(material: Material): Group {
  const g = new Group();
  g.add(new Mesh(SHAFT, material), new Mesh(HEAD, material));
  return g;
}

/** Aims the arrow from `from` to `to` with the given shaft radius; hides it when too short. */
export function placeArrow(g: Group, to: Vec3, radius: number, from: Vec3 = [0, 0, 0]): void {
  dir.set(to[0] - from[0], to[1] - from[1], to[2] - from[2]);
  const len = dir.length();
  if (!(len > radius * 0.5)) {
    g.visible = false;
    return;
  }
  g.visible = true;
  const head = Math.min(len * 0.4, radius * 7);
  const [shaft, cone] = g.children as [Mesh, Mesh];
  shaft.scale.set(radius, len - head, radius);
  cone.position.set(0, len - head, 0);
  cone.scale.set(radius * 2.6, head, radius * 2.6);
  g.position.set(from[0], from[1], from[2]);
  g.quaternion.setFromUnitVectors(UP, dir.divideScalar(len));
}

/** A polyline whose points can be replaced in place (up to `capacity` points). */
export function makePolyline(capacity: number, material: LineBasicMaterial): Line {
  const geom = new BufferGeometry();
  geom.setAttribute('position', new Float32BufferAttribute(new Float32Array(capacity * 3), 3));
  geom.setDrawRange(0, 0);
  const line = new Line(geom, material);
  line.frustumCulled = false;
  return line;
}

export function setPolyline(line: Line, points: readonly Vec3[]): void {
  const attr = line.geometry.getAttribute('position') as Float32BufferAttribute;
  const n = Math.min(points.length, attr.count);
  for (let i = 0; i < n; i++) attr.setXYZ(i, points[i]![0], points[i]![1], points[i]![2]);
  attr.needsUpdate = true;
  line.geometry.setDrawRange(0, n);
}

export function staticLine(points: readonly Vec3[], material: LineBasicMaterial): Line {
  const geom = new BufferGeometry();
  geom.setAttribute('position', new Float32BufferAttribute(points.flat(), 3));
  return new Line(geom, material);
}
