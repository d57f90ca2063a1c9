// The three.js side of Figure 0. Structure is React; everything that moves (α, dragged tips)
// is applied to the objects in useFrame from the `live` ref, so playing never re-renders React.
// Wiring only: the objects are built in sceneObjects, each frame's work is in sceneFrame, the
// draggable tips are ToyTips.
import { useEffect, useMemo, useRef } from 'react';
import type { RefObject } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { SphereGeometry } from 'three';
import type { Mesh } from 'three';
import type { LabelOverlay } from '../scene3d/labels';
import type { OrbitStore, Vec3 } from '../scene3d/orbit';
import { onesDirection, pearsonOf, sceneLayout } from './centeringModel';
import type { CenteringInput } from './centeringModel';
import { makeSceneObjects, makeStatics } from './sceneObjects';
import { advanceClock, followCamera, placeLabels, placeMoving, shownInput, writeReadouts } from './sceneFrame';
import type { CenteringLive, ReadoutNodes } from './sceneShared';
import { ToyTips } from './ToyTips';

export { COLOR_A, COLOR_B, COLOR_ONES } from './sceneShared';
export type { CenteringLive, ReadoutNodes } from './sceneShared';

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
  const { camera, invalidate } = useThree();
  const s = useMemo(() => Math.max(Math.hypot(...input.a), Math.hypot(...input.b)) || 1, [input]);
  const ones = onesDirection(input.mode);
  const pearson = useMemo(() => pearsonOf(input), [input]);
  const inputRef = useRef(input);
  inputRef.current = input;

  const objects = useMemo(() => makeSceneObjects(), []);
  const statics = useMemo(() => makeStatics(s, input.mode, ones, objects), [s, input.mode, ones, objects]);
  const tipGeom = useMemo(() => new SphereGeometry(0.028 * s, 20, 14), [s]);
  const tipA = useRef<Mesh>(null);
  const tipB = useRef<Mesh>(null);

  useFrame(({ size }) => {
    const L = live.current;
    advanceClock(L);
    const lay = sceneLayout(shownInput(inputRef.current, L), L.alpha);
    const k = followCamera(L, lay, { camera, orbit, target, distance, distanceScale, s });
    placeMoving({ objects, statics, tipA: tipA.current, tipB: tipB.current }, lay, L.alpha, k, s);
    writeReadouts(nodes, lay, pearson, L);
    placeLabels(overlay, lay, statics, k, camera, size);
  });

  // a new input (URL change, mode switch) needs a frame even when nothing plays
  useEffect(() => invalidate(), [input, invalidate]);

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
        <ToyTips
          input={input}
          live={live}
          onDragEnd={onDragEnd}
          tipA={tipA}
          tipB={tipB}
          geometry={tipGeom}
          materialA={objects.tipA}
          materialB={objects.tipB}
        />
      )}
    </>
  );
}
