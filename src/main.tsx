import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseQuery } from './core/permalink';
import { createAppStore } from './state/store';
import { startUrlSync } from './state/urlSync';
import { runComparison } from './state/wiring';
import { startFamilyScanFromQuery } from './state/lineageActions';
import { createRelativesActions } from './state/relativesActions';
import { workerRelativesDeps } from './state/relativesWorkerDeps';
import { RelativesProvider } from './state/relativesContext';
import { startDeepLinkWatch } from './state/deepCheck';
import { DEMO_QUERY_MODELS } from './app/demo';
import { DEMO_HUB_ALIAS } from './state/hubUrl';
import { loadRememberedToken } from './state/token';
import { App } from './app/App';
import { StoreProvider } from './state/storeContext';
import { computeWorker } from './compute/client';
import './app/app.css';

const parsed = parseQuery(window.location.search);
// A bare URL opens the built-in synthetic demo, so the app works offline from the first click.
// family=ORG/NAME opens the family scan in the lineage view, with no demo models.
// relatives=ORG/NAME opens the relatives search the same way.
const family = parsed.query.extra.family !== undefined;
const relativesQuery = parsed.query.extra.relatives !== undefined;
function startingQuery(): typeof parsed.query {
  if (family || relativesQuery)
    return { ...parsed.query, view: parsed.query.view === 'compare' ? 'lineage' : parsed.query.view };
  const bare = parsed.query.models.length === 0 && parsed.errors.length === 0;
  return bare ? { ...parsed.query, hub: DEMO_HUB_ALIAS, models: DEMO_QUERY_MODELS } : parsed.query;
}
const query = startingQuery();
const store = createAppStore(query, parsed.errors);
store.setState({ token: loadRememberedToken() });
startUrlSync(store, runComparison);
void runComparison(store);
if (family) startFamilyScanFromQuery(store);
const relatives = createRelativesActions({
  store,
  deps: () => workerRelativesDeps(store),
  loadTarget: (repo, signal) => workerRelativesDeps(store).loadTarget(repo, signal),
});
if (relativesQuery) void relatives.startFromQuery();
startDeepLinkWatch(store);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <RelativesProvider actions={relatives}>
        <App />
      </RelativesProvider>
    </StoreProvider>
  </StrictMode>,
);

// A small handle for the benchmark and the browser tests (read-only use).
(window as unknown as { __normscope: unknown }).__normscope = { store, computeWorker };
