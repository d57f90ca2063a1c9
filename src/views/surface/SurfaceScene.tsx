// One model's γ surface in its box: the mesh (vertex colours on the shared scale), floor grid and
// back walls, and a marker on the hovered vertex. Hover is a raycast onto the mesh.
import { useEffect, useMemo, useRef } from 'react';
import { useThree } from '@react-three/fiber';
import type { ThreeEvent } from '@react-three/fiber';
import {
  BufferAttribute,
  BufferGeometry,
  Color,
  DoubleSide,
  LineBasicMaterial,
  LineSegments,
  MeshLambertMaterial,
  SphereGeometry,
  SRGBColorSpace,
} from 'three';
import type { Mesh } from 'three';
import { BOX, pickCell } from './surfaceModel';
import type { SurfaceLayout, SurfaceMesh, SurfacePick } from './surfaceModel';

const GRID = new LineBasicMaterial({ color: '#d5d8de' });
const EDGE = new LineBasicMaterial({ color: '#9aa0aa' });
const SURFACE = new MeshLambertMaterial({ vertexColors: true, side: DoubleSide });
const MARKER_GEOMETRY = new SphereGeometry(0.018, 16, 12);

function segments(points: number[], material: LineBasicMaterial): LineSegments {
  const g = new BufferGeometry();
  g.setAttribute('position', new BufferAttribute(new Float32Array(points), 3));
  return new LineSegments(g, material);
}

/** Floor grid at the ticks, back walls with γ lines, and the box's edges (like matplotlib's panes). */
function boxFrame(layout: SurfaceLayout): LineSegments[] {
  const { width: W, depth: D, height: H } = BOX;
  const grid: number[] = [];
  for (const t of layout.dimTicks) grid.push(t.at[0], 0, 0, t.at[0], D, 0, t.at[0], D, 0, t.at[0], D, H);
  for (const t of layout.layerTicks) grid.push(0, t.at[1], 0, W, t.at[1], 0, 0, t.at[1], 0, 0, t.at[1], H);
  for (const t of layout.gammaTicks) grid.push(0, 0, t.at[2], 0, D, t.at[2], 0, D, t.at[2], W, D, t.at[2]);
  const edges = [
    0,
    0,
    0,
    W,
    0,
    0,
    W,
    0,
    0,
    W,
    D,
    0,
    W,
    D,
    0,
    0,
    D,
    0,
    0,
    D,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    H,
    0,
    D,
    0,
    0,
    D,
    H,
    W,
    D,
    0,
    W,
    D,
    H,
  ];
  return [segments(grid, GRID), segments(edges, EDGE)];
}

interface Props {
  layout: SurfaceLayout;
  mesh: SurfaceMesh;
  onHover: (pick: SurfacePick | null) => void;
}

export function SurfaceScene({ layout, mesh, onHover }: Props) {
  const invalidate = useThree((s) => s.invalidate);
  const marker = useRef<Mesh>(null);
  const geometry = useMemo(() => {
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(mesh.positions, 3));
    // vertex colours are read as linear: convert the sRGB scale once
    const linear = new Float32Array(mesh.colors.length);
    const c = new Color();
    for (let i = 0; i < linear.length; i += 3) {
      c.setRGB(mesh.colors[i]!, mesh.colors[i + 1]!, mesh.colors[i + 2]!, SRGBColorSpace);
      linear[i] = c.r;
      linear[i + 1] = c.g;
      linear[i + 2] = c.b;
    }
    g.setAttribute('color', new BufferAttribute(linear, 3));
    g.setIndex(new BufferAttribute(mesh.indices, 1));
    g.computeVertexNormals();
    g.computeBoundingSphere();
    return g;
  }, [mesh]);
  const frame = useMemo(() => boxFrame(layout), [layout]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => frame.forEach((f) => f.geometry.dispose()), [frame]);

  const move = (e: ThreeEvent<PointerEvent>) => {
    e.stopPropagation();
    const pick = pickCell(layout, mesh, e.point.x, e.point.y);
    const m = marker.current;
    if (m) {
      m.visible = pick !== null;
      if (pick) m.position.set(...pick.at);
    }
    onHover(pick);
    invalidate();
  };
  const out = () => {
    if (marker.current) marker.current.visible = false;
    onHover(null);
    invalidate();
  };

  return (
    <>
      <ambientLight intensity={1.9} />
      <directionalLight position={[1, -2, 3]} intensity={1.4} />
      {frame.map((f, i) => (
        <primitive key={i} object={f} />
      ))}
      <mesh geometry={geometry} material={SURFACE} onPointerMove={move} onPointerOut={out} />
      <mesh ref={marker} geometry={MARKER_GEOMETRY} visible={false}>
        <meshBasicMaterial color="#e4002b" />
      </mesh>
    </>
  );
}
