// Which two loaded models a pair view shows: the requested `pair=` when it qualifies, else the
// first qualifying pair in query order. Pure, so every view picks the same way.
import type { LoadedModel } from '../../core/types';

export interface Indexed {
  index: number;
  model: LoadedModel;
}

export type PairTest = (a: LoadedModel, b: LoadedModel) => boolean;

export const sameWidth: PairTest = (a, b) => a.hiddenSize === b.hiddenSize;
export const anyPair: PairTest = () => true;

/** Every pair a < b (query positions) of loaded models that passes `test`. */
export function candidatePairs(models: Indexed[], test: PairTest): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) {
      const a = models[i]!,
        b = models[j]!;
      if (test(a.model, b.model)) out.push([a.index, b.index]);
    }
  }
  return out;
}

/**
 * The requested pair if both models are loaded, differ and pass `test` (kept in the order asked,
 * so "B vs A" stays B vs A); else the first candidate; else null.
 */
export function choosePair(
  models: Indexed[],
  requested: [number, number] | null,
  test: PairTest,
): [number, number] | null {
  if (requested && requested[0] !== requested[1]) {
    const a = models.find((m) => m.index === requested[0]),
      b = models.find((m) => m.index === requested[1]);
    if (a && b && test(a.model, b.model)) return requested;
  }
  return candidatePairs(models, test)[0] ?? null;
}

/** Model indices listed in a `subset=` value ("0,2,3"), keeping only loaded ones; all when empty or invalid. */
export function parseSubset(text: string, loaded: number[]): number[] {
  if (text === '') return loaded;
  const wanted = new Set(
    text
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isInteger(n)),
  );
  const kept = loaded.filter((i) => wanted.has(i));
  return kept.length > 0 ? kept : loaded;
}

/** The subset after toggling one model; never empty. Returns '' when every model is shown. */
export function toggleSubset(current: number[], loaded: number[], index: number): string {
  const next = current.includes(index) ? current.filter((i) => i !== index) : [...current, index];
  if (next.length === 0) return current.join(',');
  const sorted = loaded.filter((i) => next.includes(i));
  return sorted.length === loaded.length ? '' : sorted.join(',');
}
