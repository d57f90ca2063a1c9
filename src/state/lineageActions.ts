// Lineage actions: add a model's declared bases to the comparison, open a pair from the lineage
// view, start a family scan from the permalink (family=ORG/NAME, limit=N).
import type { AppStore } from './store';
import type { RepoRef } from '../core/types';
import { setQuery } from './actions';
import { familyScanOf, runComparison } from './wiring';
import { parseRepoRef } from '../core/permalink';
import { repoIdError } from '../core/repoPaths';

const sameRepo = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** "+ add base": the declared bases of model `index` that are not loaded yet join the comparison. */
export function addDeclaredBases(store: AppStore, index: number): void {
  const { query, slots } = store.getState();
  const bases = slots[index]?.model?.declared?.bases ?? [];
  const missing = bases.filter((b) => !query.models.some((m) => !m.local && sameRepo(m.repo, b)));
  if (missing.length === 0) return;
  const added: RepoRef[] = missing.map((repo) => ({ repo, revision: 'main' }));
  setQuery(store, { models: [...query.models, ...added] });
  void runComparison(store);
}

/** Click on a map edge or a judgement: that pair in the compare view. */
export function openPair(store: AppStore, a: number, b: number): void {
  setQuery(store, { pair: [Math.min(a, b), Math.max(a, b)], cell: null, view: 'compare' });
}

/** A scan row: compare the base and that child (at the commits the scan read). */
export function openScanChild(store: AppStore, childId: string): void {
  const scan = store.getState().scan;
  const child = scan?.children.find((c) => c.id === childId);
  if (!scan || !child) return;
  const models: RepoRef[] = [
    { repo: scan.base, revision: scan.baseSha ?? 'main' },
    {
      repo: child.id,
      revision: child.loadedSha ?? child.sha ?? 'main',
      ...(child.quant ? { quant: child.quant } : {}),
    },
  ];
  // the permalink now names this pair; the scan stays in the lineage tab until the page is left
  const { family: _family, limit: _limit, ...extra } = store.getState().query.extra;
  setQuery(store, { models, pair: [0, 1], cell: null, view: 'compare', extra });
  void runComparison(store);
}

/** family= and limit= of the permalink, checked; null when there is no family. */
export function familyFromQuery(
  extra: Record<string, string>,
): { base: string; limit: number | undefined } | { error: string } | null {
  const raw = extra.family;
  if (raw === undefined) return null;
  const parsed = parseRepoRef(raw);
  const base = parsed.ok ? parsed.ref.repo : raw;
  let error = parsed.ok ? null : parsed.error;
  if (parsed.ok && !base.includes('/')) error = `family=${raw}: a family scan needs a full "org/name".`;
  if (error || repoIdError(base)) return { error: error ?? repoIdError(base)! };
  const limit = extra.limit !== undefined && /^\d{1,3}$/.test(extra.limit) ? Number(extra.limit) : undefined;
  return { base, limit };
}

/** Start the scan the permalink names, or say why not. */
export function startFamilyScanFromQuery(store: AppStore): void {
  const family = familyFromQuery(store.getState().query.extra);
  if (!family) return;
  if ('error' in family) {
    store.setState((s) => ({ queryErrors: [...s.queryErrors, family.error] }));
    return;
  }
  void familyScanOf(store).run(family.base, family.limit);
}

/** The scan form: writes family= (and limit=) into the permalink and runs. */
export function scanFamily(store: AppStore, base: string, limit: number): void {
  const { query } = store.getState();
  setQuery(store, { view: 'lineage', extra: { ...query.extra, family: base, limit: String(limit) } });
  void familyScanOf(store).run(base, limit);
}

/** Stops the running family scan (its loads are cancelled) and clears its panel. */
export function cancelFamilyScan(store: AppStore): void {
  familyScanOf(store).cancel();
}
