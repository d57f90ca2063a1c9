// Hooks every view uses: the loaded models, and view state kept in the URL (query.extra).
import { useMemo } from 'react';
import { useApp, useAppStore } from '../state/storeContext';
import { setQuery } from '../state/actions';
import type { LoadedModel } from '../core/types';

export interface IndexedModel {
  /** position in the query (the index the export and the permalink use) */
  index: number;
  model: LoadedModel;
}

/** Models that finished loading, with their query positions. */
export function useLoadedModels(): IndexedModel[] {
  const slots = useApp((s) => s.slots);
  return useMemo(() => slots.flatMap((slot, index) => (slot.model ? [{ index, model: slot.model }] : [])), [slots]);
}

/**
 * A string parameter of the view kept in the URL, e.g. useViewParam('layer', '').
 * Setting it to the default removes it, so permalinks stay short.
 */
export function useViewParam(name: string, fallback: string): [string, (value: string) => void] {
  const store = useAppStore();
  const value = useApp((s) => s.query.extra[name]) ?? fallback;
  const set = (next: string) => {
    const extra = { ...store.getState().query.extra };
    if (next === fallback || next === '') delete extra[name];
    else extra[name] = next;
    setQuery(store, { extra });
  };
  return [value, set];
}
