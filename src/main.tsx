// The entry: the query is read and the comparison's loads start before React and the views are even
// evaluated (they come in a task of their own, app/mount.tsx), so no start-up task holds the page
// long and the first requests leave as early as they can.
import { parseQuery } from './core/permalink';
import { createAppStore } from './state/store';
import { startUrlSync } from './state/urlSync';
import { runComparison } from './state/wiring';
import { startFamilyScanFromQuery } from './state/lineageActions';
import { createRelativesActions } from './state/relativesActions';
import { workerRelativesDeps } from './state/relativesWorkerDeps';
import { startDeepLinkWatch } from './state/deepCheck';
import { DEMO_QUERY_MODELS } from './app/demo';
import { DEMO_HUB_ALIAS } from './state/hubUrl';
import { loadRememberedToken } from './state/token';
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

// The loads' first requests leave before any view code is evaluated; then React, then the views, each
// evaluated in a task of its own (a macrotask between them), so that none holds the page for long.
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
void (async () => {
  await nextTask();
  await import('react-dom/client');
  await nextTask();
  const { mountApp } = await import('./app/mount');
  mountApp(document.getElementById('root')!, store, relatives);
})();

// A small handle for the benchmark and the browser tests (read-only use).
(window as unknown as { __normscope: unknown }).__normscope = { store, computeWorker };
