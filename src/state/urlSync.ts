// Keeps the URL query and the store's query slice in step (permalinks, back/forward).
import { formatQuery, parseQuery } from '../core/permalink';
import type { ViewQuery } from '../core/permalink';
import type { AppStore } from './store';

function sameModels(a: ViewQuery, b: ViewQuery): boolean {
  return (
    a.hub === b.hub &&
    a.models.length === b.models.length &&
    a.models.every(
      (m, i) =>
        m.repo === b.models[i]?.repo && m.revision === b.models[i]?.revision && !m.local === !b.models[i]?.local,
    )
  );
}

/** `runComparison` runs when back/forward changes the models (injected: wiring.ts owns the actions). */
export function startUrlSync(store: AppStore, runComparison: (store: AppStore) => Promise<void>): () => void {
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.query === prev.query) return;
    const search = formatQuery(state.query);
    if (search !== window.location.search) {
      window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
    }
  });
  const onPopState = () => {
    const { query, errors } = parseQuery(window.location.search);
    const before = store.getState().query;
    store.setState({ query, queryErrors: errors });
    if (!sameModels(before, query)) void runComparison(store);
  };
  window.addEventListener('popstate', onPopState);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', onPopState);
  };
}

/** The permalink of the current view, absolute. */
export function currentPermalink(store: AppStore): string {
  return `${window.location.origin}${window.location.pathname}${formatQuery(store.getState().query)}`;
}
