import type { MouseEvent } from 'react';

/**
 * Pointer position in the user space of the element that got the event: through the figure's
 * viewBox scaling (CSS may shrink the figure) and every group transform above the element.
 */
export function svgPoint(e: MouseEvent<SVGGraphicsElement>): [number, number] {
  const ctm = e.currentTarget.getScreenCTM();
  if (!ctm) return [NaN, NaN];
  const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
  return [p.x, p.y];
}
