// The relatives search wired to the app's workers: lists, widths and loads in the loader worker
// (its caches: lists 5 minutes, widths by sha, vectors in IndexedDB by sha), the family scan's
// sequential test on the compute pool. Cancelling aborts the loads in flight.
import type { AppStore } from './store';
import type { HubErrorInfo, LoadedModel } from '../core/types';
import type { RelativesDeps } from './relativesSearch';
import { SCAN_JUDGE_OPTIONS } from '../core/lineage/scan';
import { computePool, loaderWorker, Comlink } from '../compute/client';
import { resolveHubUrl } from './hubUrl';
import { tokenFor } from './actions';
import { hubDeepRef } from './deepCheck';

class ReplyError extends Error {
  constructor(readonly info: HubErrorInfo) {
    super(info.message);
  }
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: HubErrorInfo }): T {
  if (!r.ok) throw new ReplyError(r.error);
  return r.value;
}

export function workerRelativesDeps(store: AppStore): RelativesDeps & {
  loadTarget: (repo: string, signal: AbortSignal) => Promise<LoadedModel>;
} {
  const hub = resolveHubUrl(store.getState().query.hub, document.baseURI);
  const token = tokenFor(store, hub);
  const auth = token ? { token } : {};
  const loader = loaderWorker();
  const pool = computePool();
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  let jobs = 0,
    turn = 0;
  /** target keys per worker (placed as the scan's, so a new comparison's retainModels leaves them) */
  const placed = new Map<string, Promise<void>>();
  const load: RelativesDeps['load'] = async (repo, revision, signal, onProgress) => {
    const jobId = `scan-rel-${run}-${jobs++}`;
    const abort = () => void loader.cancel(jobId);
    signal.addEventListener('abort', abort, { once: true });
    try {
      const r = await loader.load(
        { jobId, hub, repo, revision, useCache: true, keepFromCompute: true, ...auth },
        Comlink.proxy(onProgress),
      );
      if (!r.ok) throw new ReplyError(r.error);
      return r.model;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  };
  return {
    listRoots: async (max) => unwrap(await loader.listRoots({ hub, max, ...auth })),
    listChildren: async (repo, max) => {
      const r = await loader.listChildren({ hub, base: repo, max, ...auth });
      if (!r.ok) throw new ReplyError(r.error);
      return r.list;
    },
    readWidth: async (repo, sha) => unwrap(await loader.readWidth({ hub, repo, sha, ...auth })),
    load,
    loadTarget: (repo, signal) => load(repo, 'main', signal, () => undefined),
    // the deep check (matrix evidence) in the loader worker, for two Hub models at their commits (safetensors or GGUF)
    async deepCheck(a, b, signal) {
      if (a.source !== 'hub' || b.source !== 'hub') return null;
      const jobId = `scan-rel-${run}-deep-${jobs++}`;
      const abort = () => void loader.cancel(jobId);
      signal.addEventListener('abort', abort, { once: true });
      try {
        const reply = await loader.deepCheck({
          kind: 'run',
          jobId,
          hub,
          a: hubDeepRef(a),
          b: hubDeepRef(b),
          useCache: true,
          ...auth,
        });
        if (!reply.ok) throw new ReplyError(reply.error);
        return reply.kind === 'run' ? reply.result.evidence : null;
      } finally {
        signal.removeEventListener('abort', abort);
      }
    },
    async compare(target, candidate) {
      const k = turn++ % pool.length;
      const worker = pool[k]!;
      const targetKey = `scan-rel-${run}-target-${target.repo}`;
      const placeKey = `${k}\n${targetKey}`;
      if (!placed.has(placeKey)) placed.set(placeKey, worker.putModel(targetKey, target, 'scan'));
      await placed.get(placeKey);
      const key = `scan-rel-${run}-${candidate.repo}@${candidate.sha}`;
      await worker.putModel(key, candidate, 'scan');
      try {
        return await worker.evidenceOf(targetKey, key, SCAN_JUDGE_OPTIONS);
      } finally {
        void worker.forgetModel(key);
      }
    },
  };
}
