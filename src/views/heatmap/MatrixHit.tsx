// The one hit area of every layer × layer heatmap: the pointer hovers and clicks cells, and the keyboard
// reaches it with Tab (arrows move the inspected cell, Enter pins it, Escape unpins).
import type { KeyboardEvent, MouseEvent } from 'react';
import { svgPoint } from '../kit2d/svgPoint';
import { cellKeyAction, plotCellAt } from './heatmapModel';

type Cell = [number, number];

export interface MatrixHitProps {
  plot: { x: number; y: number; width: number; height: number };
  rows: number;
  cols: number;
  /** what the heatmap shows, read by screen readers with the keys to use */
  label: string;
  className?: string;
  hover: Cell | null;
  pinned?: Cell | null;
  onHover: (cell: Cell | null) => void;
  /** a click or Enter on a cell */
  onPick?: (cell: Cell) => void;
  /** Escape */
  onUnpin?: () => void;
  /** keep the click from reaching an enclosing clickable group */
  stopClick?: boolean;
  testId?: string;
}

export function MatrixHit(p: MatrixHitProps) {
  const { plot, rows, cols } = p;
  const cellOf = (e: MouseEvent<SVGRectElement>) => plotCellAt(plot, rows, cols, ...svgPoint(e));
  const onKeyDown = (e: KeyboardEvent<SVGRectElement>) => {
    const action = cellKeyAction(e.key, p.hover ?? p.pinned ?? null, rows, cols);
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    if (action.kind === 'move') p.onHover(action.cell);
    else if (action.kind === 'pin') {
      const already = p.pinned && p.pinned[0] === action.cell[0] && p.pinned[1] === action.cell[1];
      if (!already) p.onPick?.(action.cell);
    } else p.onUnpin?.();
  };
  const keys = p.onPick ? 'arrow keys move the cell, Enter pins it, Escape unpins' : 'arrow keys move the cell';
  return (
    <rect
      className={p.className ?? 'f2d-hit'}
      data-testid={p.testId}
      x={plot.x}
      y={plot.y}
      width={plot.width}
      height={plot.height}
      tabIndex={0}
      role="application"
      aria-roledescription="heatmap"
      aria-label={`${p.label}: ${keys}`}
      onFocus={() => {
        if (!p.hover) p.onHover(p.pinned ?? [0, 0]);
      }}
      onBlur={() => p.onHover(null)}
      onKeyDown={onKeyDown}
      onPointerMove={(e) => p.onHover(cellOf(e))}
      onPointerLeave={() => p.onHover(null)}
      onClick={(e) => {
        const cell = cellOf(e);
        if (!cell || !p.onPick) return;
        if (p.stopClick) e.stopPropagation();
        p.onPick(cell);
      }}
    />
  );
}
