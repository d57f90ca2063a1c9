// The three.js side of Figure 7: box with walls and ticks, one polyline and one sprite per layer
// for each model, ring at the first layer, star at the last, and screen-space hover.
import { useEffect, useMemo, useRef } from 'react';
import type { RefObject } from 'react';
import { useThree } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, Line, LineBasicMaterial, LineSegments, Sprite, SpriteMaterial } from 'three';
import { LabelOverlay } from '../scene3d/labels';
import { nearestPoint } from './pcaModel';
import type { PcaLayout, PcaPointLayout } from './pcaModel';
import { markerTexture } from './markers';

/** sprite sizes as a fraction of the view (sizeAttenuation off: constant on screen) */
const POINT = 0.017,
  RING = 0.04,
  STAR = 0.036,
  HOVER = 0.034;
const HOVER_REACH_PX = 14;

function sprite(
  kind: Parameters<typeof markerTexture>[0],
  color: string,
  size: number,
  at: [number, number, number],
): Sprite {
  const s = new Sprite(new SpriteMaterial({ map: markerTexture(kind, color), sizeAttenuation: false, alphaTest: 0.5 }));
  s.scale.set(size, size, 1);
  s.position.set(...at);
  return s;
}

function boxLines(layout: PcaLayout): LineSegments[] {
  const [X, Y, Z] = layout.axes.map((a) => a.half) as [number, number, number];
  const grid: number[] = [];
  for (const t of layout.axes[0].ticks) grid.push(t.coord, -Y, -Z, t.coord, Y, -Z, t.coord, Y, -Z, t.coord, Y, Z);
  for (const t of layout.axes[1].ticks) grid.push(-X, t.coord, -Z, X, t.coord, -Z, -X, t.coord, -Z, -X, t.coord, Z);
  for (const t of layout.axes[2].ticks) grid.push(-X, -Y, t.coord, -X, Y, t.coord, -X, Y, t.coord, X, Y, t.coord);
  const edges = [
    -X,
    -Y,
    -Z,
    X,
    -Y,
    -Z,
    X,
    -Y,
    -Z,
    X,
    Y,
    -Z,
    X,
    Y,
    -Z,
    -X,
    Y,
    -Z,
    -X,
    Y,
    -Z,
    -X,
    -Y,
    -Z,
    -X,
    -Y,
    -Z,
    -X,
    -Y,
    Z,
    -X,
    Y,
    -Z,
    -X,
    Y,
    Z,
    X,
    Y,
    -Z,
    X,
    Y,
    Z,
  ];
  const make = (pts: number[], color: string) => {
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(new Float32Array(pts), 3));
    return new LineSegments(g, new LineBasicMaterial({ color }));
  };
  return [make(grid, '#dfe1e6'), make(edges, '#9aa0aa')];
}

interface Props {
  layout: PcaLayout;
  names: Map<number, string>;
  tooltip: RefObject<HTMLDivElement | null>;
}

export function PcaScene({ layout, names, tooltip }: Props) {
  const { camera, gl, invalidate, size } = useThree();
  const objects = useMemo(() => {
    const all: (Line | LineSegments | Sprite)[] = [...boxLines(layout)];
    for (const s of layout.series) {
      const g = new BufferGeometry();
      g.setAttribute('position', new BufferAttribute(new Float32Array(s.points.flatMap((p) => p.pos)), 3));
      all.push(new Line(g, new LineBasicMaterial({ color: s.color, transparent: true, opacity: 0.55 })));
      for (const p of s.points) all.push(sprite(s.marker, s.color, POINT, p.pos));
      const first = s.points[0],
        last = s.points[s.points.length - 1];
      if (first) all.push(sprite('ring', '#111111', RING, first.pos));
      if (last && last !== first) all.push(sprite('star', s.color, STAR, last.pos));
    }
    return all;
  }, [layout]);
  useEffect(
    () => () => {
      for (const o of objects) {
        if (!(o instanceof Sprite)) o.geometry.dispose();
        (o.material as { dispose(): void }).dispose();
      }
    },
    [objects],
  );
  const highlight = useMemo(() => {
    const s = sprite('ring', '#e4002b', HOVER, [0, 0, 0]);
    s.visible = false;
    s.renderOrder = 10;
    return s;
  }, []);

  const sizeRef = useRef(size);
  sizeRef.current = size;
  useEffect(() => {
    const el = gl.domElement;
    const points: PcaPointLayout[] = layout.points;
    const show = (p: PcaPointLayout | null, x = 0, y = 0) => {
      const tip = tooltip.current;
      highlight.visible = p !== null;
      if (p) highlight.position.set(...p.pos);
      if (tip) {
        if (p) {
          tip.textContent = `${names.get(p.model) ?? p.model} · layer ${p.layer}`;
          tip.style.transform = `translate(${x + 12}px, ${y - 28}px)`;
          tip.dataset.model = String(p.model);
          tip.dataset.layer = String(p.layer);
          tip.hidden = false;
        } else tip.hidden = true;
      }
      invalidate();
    };
    const move = (e: PointerEvent) => {
      if (e.buttons !== 0) return; // turning, not hovering
      const rect = el.getBoundingClientRect();
      const x = e.clientX - rect.left,
        y = e.clientY - rect.top;
      camera.updateMatrixWorld();
      const screen = points.map((p) =>
        LabelOverlay.project(camera, p.pos, sizeRef.current.width, sizeRef.current.height),
      );
      const i = nearestPoint(screen, x, y, HOVER_REACH_PX);
      show(i === null ? null : points[i]!, x, y);
    };
    const leave = () => show(null);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerleave', leave);
    return () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerleave', leave);
    };
  }, [camera, gl, invalidate, layout, names, tooltip, highlight]);

  return (
    <>
      {objects.map((o) => (
        <primitive key={o.uuid} object={o} />
      ))}
      <primitive object={highlight} />
    </>
  );
}
