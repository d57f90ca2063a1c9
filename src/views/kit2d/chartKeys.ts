// What a key does to the reading of a chart reached by Tab: the arrows move the read point along an
// axis of whole steps (layers, ridge rows, histogram bins), Home/End jump to the ends, PageUp/PageDown
// by ten, Escape leaves. Pure, so the rules are tested without a browser.

export type StepKeyAction = { kind: 'move'; index: number } | { kind: 'leave' } | null;

const PAGES: Record<string, number> = { PageDown: -10, PageUp: 10 };
const HORIZONTAL: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1 };
const VERTICAL: Record<string, number> = { ArrowDown: -1, ArrowUp: 1 };

/**
 * The new index in [lo, hi] after `key`, from `current` (null: nothing read yet, the first key lands on
 * `lo`). `vertical` reads ArrowUp/ArrowDown instead of Left/Right (ridge rows stack upwards).
 */
export function stepKeyAction(
  key: string,
  current: number | null,
  lo: number,
  hi: number,
  vertical = false,
): StepKeyAction {
  if (key === 'Escape') return { kind: 'leave' };
  if (hi < lo) return null;
  const clamp = (i: number) => Math.max(lo, Math.min(hi, i));
  const step = (vertical ? VERTICAL : HORIZONTAL)[key] ?? PAGES[key];
  if (step !== undefined) return { kind: 'move', index: current === null ? lo : clamp(current + step) };
  if (key === 'Home') return { kind: 'move', index: lo };
  if (key === 'End') return { kind: 'move', index: hi };
  return null;
}

/** The words a chart's accessible name ends with, so a screen reader says which keys to use. */
export const LINE_KEYS_HINT = 'left and right arrow keys move the layer read out, Escape leaves';
