import { describe, expect, it } from 'vitest';
import { cellKeyAction, plotCellAt } from './heatmapModel';

describe('cellKeyAction', () => {
  it('moves with the arrows, clamped to the matrix, from the top-left when nothing is inspected', () => {
    expect(cellKeyAction('ArrowRight', null, 4, 6)).toEqual({ kind: 'move', cell: [0, 0] });
    expect(cellKeyAction('ArrowRight', [1, 2], 4, 6)).toEqual({ kind: 'move', cell: [1, 3] });
    expect(cellKeyAction('ArrowDown', [3, 2], 4, 6)).toEqual({ kind: 'move', cell: [3, 2] });
    expect(cellKeyAction('ArrowUp', [0, 5], 4, 6)).toEqual({ kind: 'move', cell: [0, 5] });
    expect(cellKeyAction('ArrowLeft', [2, 0], 4, 6)).toEqual({ kind: 'move', cell: [2, 0] });
    expect(cellKeyAction('End', [2, 1], 4, 6)).toEqual({ kind: 'move', cell: [2, 5] });
    expect(cellKeyAction('PageDown', [2, 1], 40, 6)).toEqual({ kind: 'move', cell: [12, 1] });
  });
  it('pins with Enter or Space, unpins with Escape, ignores other keys and empty matrices', () => {
    expect(cellKeyAction('Enter', [1, 2], 4, 6)).toEqual({ kind: 'pin', cell: [1, 2] });
    expect(cellKeyAction(' ', null, 4, 6)).toEqual({ kind: 'pin', cell: [0, 0] });
    expect(cellKeyAction('Escape', [1, 2], 4, 6)).toEqual({ kind: 'unpin' });
    expect(cellKeyAction('a', [1, 2], 4, 6)).toBeNull();
    expect(cellKeyAction('ArrowDown', null, 0, 6)).toBeNull();
  });
});

describe('plotCellAt', () => {
  it('finds the cell under a point of an offset plot, and null outside', () => {
    const plot = { x: 10, y: 20, width: 120, height: 90 };
    expect(plotCellAt(plot, 9, 12, 10 + (10.5 / 12) * 120, 20 + (3.5 / 9) * 90)).toEqual([3, 10]);
    expect(plotCellAt(plot, 9, 12, 9, 25)).toBeNull();
    expect(plotCellAt(plot, 9, 12, 130, 25)).toBeNull();
  });
});
