import { useEffect } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import type { LabelOverlay } from './labels';

/** Re-projects the overlay's labels after each rendered frame's camera is set. */
export function OverlaySync({ overlay, version }: { overlay: LabelOverlay; version: unknown }) {
  const invalidate = useThree((s) => s.invalidate);
  useFrame(({ camera, size }) => overlay.update(camera, size.width, size.height));
  // labels rendered by React after the last frame need one more frame to be placed
  useEffect(() => invalidate(), [version, invalidate]);
  return null;
}
