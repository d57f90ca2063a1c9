// The one hit area of every layer × layer heatmap (a KeyHit with the heatmap's keys): the pointer hovers and clicks cells, and the keyboard
// reaches it with Tab (arrows move the inspected cell, Enter pins it, Escape unpins).
import type { MouseEvent } from 'react';
import { KeyHit } from '../kit2d/KeyHit';
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
  const onKey = (key: string) => {
    const action = cellKeyAction(key, p.hover ?? p.pinned ?? null, rows, cols);
    if (!action) return false;
    if (action.kind === 'move') p.onHover(action.cell);
    else if (action.kind === 'pin') {
      const already = p.pinned && p.pinned[0] === action.cell[0] && p.pinned[1] === action.cell[1];
      if (!already) p.onPick?.(action.cell);
    } else p.onUnpin?.();
    return true;
  };
  const keys = p.onPick ? 'arrow keys move the cell, Enter pins it, Escape unpins' : 'arrow keys move the cell';
  return (
    <KeyHit
      className={p.className ?? 'f2d-hit'}
      testId={p.testId}
      rect={plot}
      roleDescription="heatmap"
      label={`${p.label}: ${keys}`}
      escapeLeaves={false}
      onEnter={() => {
        if (!p.hover) p.onHover(p.pinned ?? [0, 0]);
      }}
      onLeave={() => p.onHover(null)}
      onKey={onKey}
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
