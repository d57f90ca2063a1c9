// The hit area of a chart that the keyboard reaches too: Tab focuses it, `onKey` handles what the
// chart's keys do (see chartKeys), Escape clears the reading and leaves; the pointer hovers and clicks
// as before. The reading itself is shown and announced by the view (an aria-live region).
import type { KeyboardEvent, PointerEvent, MouseEvent } from 'react';

export interface KeyHitProps {
  rect: { x: number; y: number; width: number; height: number };
  /** what the chart shows and which keys to use, read by screen readers */
  label: string;
  /** e.g. "line chart" */
  roleDescription: string;
  /** handles one key; true when it did something (the key then goes no further) */
  onKey: (key: string) => boolean;
  /** focus arrived: show a first reading */
  onEnter: () => void;
  /** focus left, or Escape: clear the reading */
  onLeave: () => void;
  /** false: Escape goes to `onKey` instead of leaving (the heatmaps unpin with it and keep focus) */
  escapeLeaves?: boolean;
  onPointerMove?: (e: PointerEvent<SVGRectElement>) => void;
  onPointerLeave?: () => void;
  onClick?: (e: MouseEvent<SVGRectElement>) => void;
  className?: string;
  testId?: string;
  domain?: string;
}

export function KeyHit(p: KeyHitProps) {
  const onKeyDown = (e: KeyboardEvent<SVGRectElement>) => {
    if (e.key === 'Escape' && p.escapeLeaves !== false) {
      e.preventDefault();
      p.onLeave();
      e.currentTarget.blur();
      return;
    }
    if (p.onKey(e.key)) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  return (
    <rect
      className={p.className ?? 'f2d-hit'}
      data-testid={p.testId}
      data-domain={p.domain}
      x={p.rect.x}
      y={p.rect.y}
      width={p.rect.width}
      height={p.rect.height}
      tabIndex={0}
      role="application"
      aria-roledescription={p.roleDescription}
      aria-label={p.label}
      onFocus={p.onEnter}
      onBlur={p.onLeave}
      onKeyDown={onKeyDown}
      onPointerMove={p.onPointerMove}
      onPointerLeave={p.onPointerLeave}
      onClick={p.onClick}
    />
  );
}
