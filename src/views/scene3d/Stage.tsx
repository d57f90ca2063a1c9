// A canvas with an SVG overlay for labels: the frame every 3-D figure of the app is drawn in.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { Canvas, invalidate } from '@react-three/fiber';
import type { LabelOverlay } from './labels';
import { webglSupport } from './webgl';

export interface StageSize {
  width: number;
  height: number;
}

/** Size of an element, updated when it changes (React state: this is rare, not per frame). */
export function useElementSize(ref: RefObject<HTMLElement | null>): StageSize {
  const [size, setSize] = useState<StageSize>({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setSize((s) =>
        s.width === Math.round(r.width) && s.height === Math.round(r.height)
          ? s
          : { width: Math.round(r.width), height: Math.round(r.height) },
      );
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

interface Props {
  overlay: LabelOverlay;
  /** SVG content drawn over the canvas, given the stage's pixel size */
  labels: (size: StageSize) => ReactNode;
  frameloop?: 'always' | 'demand';
  className?: string;
  testId?: string;
  children: ReactNode;
}

export function Stage({ overlay, labels, frameloop = 'demand', className, testId, children }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const size = useElementSize(ref);
  // the overlay mounts (or resizes) after the canvas' first frame: place its labels again
  useEffect(() => invalidate(), [size]);
  return (
    <div ref={ref} className={`fig3d-stage ${className ?? ''}`} data-testid={testId}>
      <Canvas
        frameloop={frameloop}
        dpr={[1, 2]}
        flat
        // preserveDrawingBuffer: the PNG export reads the canvas after the frame was presented.
        // No multisampling on software renderers (headless SwiftShader): it halves the frame rate there.
        gl={{ preserveDrawingBuffer: true, antialias: !webglSupport().software }}
        camera={{ fov: 35, near: 0.01, far: 1000 }}
      >
        {children}
      </Canvas>
      {size.width > 0 && (
        <svg
          ref={overlay.ref}
          className="fig3d-overlay"
          width={size.width}
          height={size.height}
          viewBox={`0 0 ${size.width} ${size.height}`}
        >
          {labels(size)}
        </svg>
      )}
    </div>
  );
}
