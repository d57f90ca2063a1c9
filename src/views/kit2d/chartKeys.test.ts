import { describe, expect, it } from 'vitest';
import { stepKeyAction } from './chartKeys';

describe('stepKeyAction', () => {
  it('moves by one with the arrows and clamps to the ends', () => {
    expect(stepKeyAction('ArrowRight', 3, 0, 9)).toEqual({ kind: 'move', index: 4 });
    expect(stepKeyAction('ArrowLeft', 3, 0, 9)).toEqual({ kind: 'move', index: 2 });
    expect(stepKeyAction('ArrowLeft', 0, 0, 9)).toEqual({ kind: 'move', index: 0 });
    expect(stepKeyAction('ArrowRight', 9, 0, 9)).toEqual({ kind: 'move', index: 9 });
  });
  it('lands on the first index when nothing is read yet', () => {
    expect(stepKeyAction('ArrowRight', null, 2, 9)).toEqual({ kind: 'move', index: 2 });
  });
  it('jumps with Home, End and the page keys', () => {
    expect(stepKeyAction('Home', 5, 1, 40)).toEqual({ kind: 'move', index: 1 });
    expect(stepKeyAction('End', 5, 1, 40)).toEqual({ kind: 'move', index: 40 });
    expect(stepKeyAction('PageUp', 5, 1, 40)).toEqual({ kind: 'move', index: 15 });
    expect(stepKeyAction('PageDown', 5, 1, 40)).toEqual({ kind: 'move', index: 1 });
  });
  it('reads up/down instead of left/right when vertical', () => {
    expect(stepKeyAction('ArrowUp', 3, 0, 9, true)).toEqual({ kind: 'move', index: 4 });
    expect(stepKeyAction('ArrowDown', 3, 0, 9, true)).toEqual({ kind: 'move', index: 2 });
    expect(stepKeyAction('ArrowRight', 3, 0, 9, true)).toBeNull();
    expect(stepKeyAction('ArrowUp', 3, 0, 9)).toBeNull();
  });
  it('leaves on Escape and ignores other keys and empty axes', () => {
    expect(stepKeyAction('Escape', 3, 0, 9)).toEqual({ kind: 'leave' });
    expect(stepKeyAction('a', 3, 0, 9)).toBeNull();
    expect(stepKeyAction('ArrowRight', null, 0, -1)).toBeNull();
  });
});
