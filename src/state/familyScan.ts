// The family scan (issue #10): from a base, list its declared children on the Hub, load each and
// compare it with the base on the compute pool. Progress per child; a child that fails is reported
// and the scan goes on. The base–child pairs only: 20 children are 20 pairs, not 210.
import type { AppStore, FamilyScanState, ScanChild } from './types';

export type { FamilyScanState, ScanChild, ScanChildStatus } from './types';
import type { LoadedModel, LoadProgress, NormRole } from '../core/types';
import { judgeScanChild, SCAN_JUDGE_OPTIONS, DEFAULT_SCAN_LIMIT, MAX_SCAN_LIMIT } from '../core/lineage/scan';
import { planPairs } from '../core/pairs';
import { computePool, loaderWorker, Comlink } from '../compute/client';
import { resolveHubUrl } from './hubUrl';
import { tokenFor } from './actions';

/** Loads in flight at once (each is ~100 range requests through the loader worker). */
const LOAD_CONCURRENCY = 3;
let scanGeneration = 0;

export function clampLimit(limit: number | null | undefined): number {
  return Number.isFinite(limit) && limit! >= 1 ? Math.min(MAX_SCAN_LIMIT, Math.floor(limit!)) : DEFAULT_SCAN_LIMIT;
}

function patchScan(store: AppStore, gen: number, patch: (s: FamilyScanState) => Partial<FamilyScanState>): void {
  if (gen !== scanGeneration) return;
  store.setState((st) => (st.scan ? { scan: { ...st.scan, ...patch(st.scan) } } : {}));
}

function patchChild(store: AppStore, gen: number, id: string, patch: Partial<ScanChild>): void {
  patchScan(store, gen, (s) => ({ children: s.children.map((c) => (c.id === id ? { ...c, ...patch } : c)) }));
}

export function cancelFamilyScan(store: AppStore): void {
  scanGeneration++;
  store.setState({ scan: null });
}

export async function runFamilyScan(store: AppStore, base: string, limitIn?: number): Promise<void> {
  const gen = ++scanGeneration;
  const limit = clampLimit(limitIn);
  const started = performance.now();
  const hub = resolveHubUrl(store.getState().query.hub, document.baseURI);
  const token = tokenFor(store, hub);
  store.setState({
    scan: {
      base,
      limit,
      status: 'listing',
      error: null,
      baseSha: null,
      children: [],
      more: false,
      apiCalls: 0,
      listFromCache: false,
      workerMs: 0,
      wallMs: null,
    },
  });
  const loader = loaderWorker();
  const listed = await loader.listChildren({ hub, base, max: limit, ...(token ? { token } : {}) });
  if (gen !== scanGeneration) return;
  if (!listed.ok) return patchScan(store, gen, () => ({ status: 'error', error: listed.error }));
  const children: ScanChild[] = listed.list.children.map((c) => ({
    id: c.id,
    sha: c.sha,
    relation: c.relation,
    downloads: c.downloads,
    gguf: c.gguf,
    status: 'queued',
    progress: null,
    error: null,
    row: null,
    roles: [],
    workerMs: 0,
  }));
  patchScan(store, gen, (s) => ({
    status: 'loading-base',
    children,
    more: listed.list.more,
    apiCalls: s.apiCalls + listed.list.apiCalls,
    listFromCache: listed.list.fromCache,
  }));

  const load = (repo: string, revision: string, jobId: string, onProgress?: (p: LoadProgress) => void) =>
    loader.load(
      { jobId, hub, repo, revision, useCache: true, keepFromCompute: true, ...(token ? { token } : {}) },
      Comlink.proxy(onProgress ?? (() => undefined)),
    );
  const baseResult = await load(base, 'main', `scan-base-${gen}`);
  if (gen !== scanGeneration) return;
  if (!baseResult.ok) return patchScan(store, gen, () => ({ status: 'error', error: baseResult.error }));
  const baseModel = baseResult.model;
  const pool = computePool();
  const baseKey = `scan-${gen}-base`;
  await Promise.all(pool.map((w) => w.putModel(baseKey, baseModel)));
  patchScan(store, gen, (s) => ({
    status: 'running',
    baseSha: baseModel.sha,
    apiCalls: s.apiCalls + (baseModel.apiCalls ?? 0),
  }));

  // a free worker per compare job: each takes the next child that is loaded
  const free = [...pool];
  const waiting: ((w: (typeof pool)[number]) => void)[] = [];
  const takeWorker = () =>
    new Promise<(typeof pool)[number]>((resolve) => {
      const w = free.pop();
      if (w) resolve(w);
      else waiting.push(resolve);
    });
  const giveBack = (w: (typeof pool)[number]) => {
    const next = waiting.shift();
    if (next) next(w);
    else free.push(w);
  };

  const compareChild = async (child: ScanChild, model: LoadedModel): Promise<void> => {
    const plan = planPairs([baseModel, model]);
    if (plan.comparable.length === 0) {
      const row = judgeScanChild(base, child.id, child.relation, {
        notComparable: plan.notComparable[0]?.reason ?? 'no norm role of the same width',
      });
      return patchChild(store, gen, child.id, { status: 'done', row });
    }
    patchChild(store, gen, child.id, { status: 'comparing' });
    const worker = await takeWorker();
    const key = `scan-${gen}-${child.id}`;
    try {
      await worker.putModel(key, model);
      const byRole = await worker.evidenceOf(baseKey, key, SCAN_JUDGE_OPTIONS);
      void worker.forgetModel(key);
      const roles = Object.entries(byRole).map(([norm, e]) => ({
        norm: norm as NormRole,
        verdict: e!.verdict,
        r: e!.diagonalPearson,
        p: e!.pValue,
        permutations: e!.permutations,
      }));
      const workerMs = Object.values(byRole).reduce((t, e) => t + (e?.timings.totalMs ?? 0), 0);
      const row = judgeScanChild(base, child.id, child.relation, { byRole });
      patchChild(store, gen, child.id, { status: 'done', row, roles, workerMs });
      patchScan(store, gen, (s) => ({ workerMs: s.workerMs + workerMs }));
    } finally {
      giveBack(worker);
    }
  };

  let next = 0;
  const comparisons: Promise<void>[] = [];
  const loadNext = async (): Promise<void> => {
    while (next < children.length) {
      const child = children[next++]!;
      if (gen !== scanGeneration) return;
      patchChild(store, gen, child.id, { status: 'loading' });
      const result = await load(child.id, child.sha ?? 'main', `scan-${gen}-${child.id}`, (progress) =>
        patchChild(store, gen, child.id, { progress }),
      );
      if (gen !== scanGeneration) return;
      if (!result.ok) {
        patchChild(store, gen, child.id, { status: 'error', error: result.error });
        // the model-info call was made (a failure comes after it, or is its answer)
        if (
          result.error.kind !== 'cancelled' &&
          result.error.kind !== 'invalid-repo-id' &&
          result.error.kind !== 'network'
        )
          patchScan(store, gen, (s) => ({ apiCalls: s.apiCalls + 1 }));
        continue;
      }
      const m = result.model;
      patchChild(store, gen, child.id, { loadedSha: m.sha, ...(m.quant ? { quant: m.quant } : {}) });
      patchScan(store, gen, (s) => ({ apiCalls: s.apiCalls + (m.apiCalls ?? 0) }));
      comparisons.push(
        compareChild(child, m).catch((e: unknown) =>
          patchChild(store, gen, child.id, {
            status: 'error',
            error: { kind: 'bad-response', message: e instanceof Error ? e.message : String(e) },
          }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, loadNext));
  await Promise.all(comparisons);
  if (gen !== scanGeneration) return;
  await Promise.all(pool.map((w) => w.forgetModel(baseKey)));
  patchScan(store, gen, () => ({ status: 'done', wallMs: performance.now() - started }));
}
