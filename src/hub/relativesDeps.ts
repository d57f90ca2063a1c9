// The relatives search's network dependencies in one thread (Node tests, the bench, a worker):
// lists, config widths and loads, with their caches (lists briefly, widths and vectors by sha).
import { createListCache, listChildren, type ChildList, type ListCache } from './listChildren.ts';
import { listRootModels, readConfigWidth, type RootList, type WidthCache } from './listRoots.ts';
import { loadModel } from './loadModel.ts';
import type { NormCache } from './cache.ts';
import type { RetryOptions } from './http.ts';
import { normalizeHubUrl } from './repoUrls.ts';
import { deepCheckJob } from './deepCheckJob.ts';
import type { RelativesDeps } from '../state/relativesSearch.ts';

export interface RelativesCaches {
  roots: ListCache<RootList>;
  children: ListCache<ChildList>;
  widths: WidthCache;
  /** vectors by sha (IndexedDB in the app, memory in tests) */
  norms: NormCache | null;
  /** commits of the base chain asked by branch: a repeated search asks no revision again */
  shas: Map<string, string>;
}

export function createRelativesCaches(norms: NormCache | null): RelativesCaches {
  return {
    roots: createListCache<RootList>(),
    children: createListCache<ChildList>(),
    widths: new Map(),
    norms,
    shas: new Map(),
  };
}

export function hubRelativesDeps(
  hub: string,
  caches: RelativesCaches,
  opts: { token?: string; fetch?: typeof fetch; retry?: Partial<RetryOptions> } = {},
): Omit<RelativesDeps, 'compare'> {
  // every request counted as it is made: the api bucket (/api/…, not resolve-cache) and /resolve/
  const spent = { api: 0, resolves: 0 };
  const root = normalizeHubUrl(hub);
  const inner = opts.fetch ?? globalThis.fetch;
  const counting: typeof fetch = (input, init) => {
    const url = typeof input === 'object' && 'url' in input ? input.url : String(input);
    if (url.startsWith(`${root}/api/`) && !url.startsWith(`${root}/api/resolve-cache/`)) spent.api++;
    else if (url.startsWith(`${root}/`) && /^\/[^/]+\/[^/]+\/resolve\//.test(url.slice(root.length))) spent.resolves++;
    return inner(input, init);
  };
  const common = { hub, fetch: counting, ...(opts.token ? { token: opts.token } : {}) };
  return {
    meter: () => ({ ...spent }),
    listRoots: (max, signal) => listRootModels({ ...common, max, signal, cache: caches.roots }),
    listChildren: (repo, max, signal) => listChildren(repo, { ...common, max, signal, cache: caches.children }),
    readWidth: (repo, sha, signal) => readConfigWidth(repo, sha, { ...common, signal, cache: caches.widths }),
    // the deep check (matrix evidence) of two Hub models at their commits; local models have none here
    async deepCheck(a, b, signal) {
      if (a.source !== 'hub' || b.source !== 'hub') return null;
      const reply = await deepCheckJob(
        {
          kind: 'run',
          jobId: `relatives-${a.repo}-${b.repo}`,
          hub,
          a: { repo: a.repo, sha: a.sha },
          b: { repo: b.repo, sha: b.sha },
          useCache: caches.norms !== null,
          ...(opts.token ? { token: opts.token } : {}),
        },
        { cache: caches.norms, signal, fetch: counting },
      );
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.kind === 'run' ? reply.result.evidence : null;
    },
    async load(repo, revision, signal, onProgress) {
      const key = `${repo.toLowerCase()}@${revision}`;
      const pinned = caches.shas.get(key) ?? revision;
      const model = await loadModel({
        ...common,
        repo,
        revision: pinned,
        cache: caches.norms,
        signal,
        onProgress,
        ...(opts.retry ? { retry: opts.retry } : {}),
      });
      caches.shas.set(key, model.sha);
      return model;
    },
  };
}
