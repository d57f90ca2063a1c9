// The relatives search's actions (issue #15): start from a model line or from the permalink
// (relatives=ORG/NAME, limit=N), cancel, and the search's state in the store. A factory: the search
// dependencies (the workers in the app, plain functions in tests) are injected, and the only state
// is the running search's controller, held in the closure.
import type { AppStore } from './store';
import type { LoadedModel } from '../core/types';
import { searchRelatives, type RelativesDeps } from './relativesSearch';
import { parseRepoRef } from '../core/permalink';
import { repoIdError } from '../core/repoPaths';
import { clampRelativesLimit } from '../core/lineage/relatives';

export interface RelativesActions {
  /** search for the relatives of the model in slot `index` (Hub, local or GGUF) */
  findForSlot(index: number, opts?: { limit?: number; users?: string[] }): Promise<void>;
  /** the permalink's relatives=ORG/NAME: once that model is loaded, search for it */
  startFromQuery(): Promise<void>;
  cancel(): void;
}

/** relatives= and limit= of the permalink, checked; null when there is none. */
export function relativesFromQuery(
  extra: Record<string, string>,
): { repo: string; limit: number | undefined } | { error: string } | null {
  const raw = extra.relatives;
  if (raw === undefined) return null;
  const parsed = parseRepoRef(raw);
  const repo = parsed.ok ? parsed.ref.repo : raw;
  const error = parsed.ok ? null : parsed.error;
  if (error || repoIdError(repo)) return { error: `relatives=${raw}: ${error ?? repoIdError(repo)}` };
  const limit =
    extra.limit !== undefined && /^\d{1,4}$/.test(extra.limit) ? clampRelativesLimit(Number(extra.limit)) : undefined;
  return { repo, limit };
}

const sameRepo = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function createRelativesActions(env: {
  store: AppStore;
  /** the search's dependencies for the store's current hub and token */
  deps: () => RelativesDeps;
  /** loads a Hub model by id for relatives= when no slot holds it */
  loadTarget: (repo: string, signal: AbortSignal) => Promise<LoadedModel>;
}): RelativesActions {
  const { store } = env;
  let controller: AbortController | null = null;

  const run = async (target: LoadedModel, opts: { limit?: number; users?: string[] }, signal: AbortSignal) => {
    await searchRelatives(
      target,
      env.deps(),
      opts,
      (state) => {
        if (!signal.aborted || state.status === 'cancelled') store.setState({ relatives: state });
      },
      signal,
    );
  };
  const fresh = () => {
    controller?.abort();
    controller = new AbortController();
    return controller.signal;
  };
  const actions: RelativesActions = {
    async findForSlot(index, opts = {}) {
      const slot = store.getState().slots[index];
      if (!slot?.model) return;
      const signal = fresh();
      const { query } = store.getState();
      const extra = { ...query.extra };
      delete extra.family;
      delete extra.limit;
      // a Hub model is named in the permalink; a local one cannot be
      if (slot.model.source === 'hub') {
        extra.relatives = slot.model.repo;
        if (opts.limit !== undefined) extra.limit = String(opts.limit);
      } else delete extra.relatives;
      store.setState((s) => ({ query: { ...s.query, view: 'lineage', extra } }));
      await run(slot.model, opts, signal);
    },
    async startFromQuery() {
      const q = relativesFromQuery(store.getState().query.extra);
      if (!q) return;
      if ('error' in q) {
        store.setState((s) => ({ queryErrors: [...s.queryErrors, q.error] }));
        return;
      }
      const signal = fresh();
      const loaded = store
        .getState()
        .slots.find((s) => s.model && s.model.source === 'hub' && sameRepo(s.model.repo, q.repo));
      let target = loaded?.model ?? null;
      if (!target) {
        store.setState({ relatives: null });
        try {
          target = await env.loadTarget(q.repo, signal);
        } catch (e) {
          if (!signal.aborted)
            store.setState((s) => ({
              queryErrors: [...s.queryErrors, `relatives=${q.repo}: ${e instanceof Error ? e.message : String(e)}`],
            }));
          return;
        }
      }
      await run(target, q.limit !== undefined ? { limit: q.limit } : {}, signal);
    },
    cancel() {
      controller?.abort();
      controller = null;
    },
  };
  return actions;
}
