// The family scan (issue #10): from a base, list its declared children on the Hub, load each and
// compare it with the base on the compute pool. Progress per child; a child that fails is reported
// and the scan goes on. The base–child pairs only: 20 children are 20 pairs, not 210.
import type { AppStore, FamilyScanState, ScanChild } from './types';

export type { FamilyScanState, ScanChild, ScanChildStatus } from './types';
import type { LoadedModel, LoadProgress, NormRole } from '../core/types';
import { judgeScanChild, SCAN_JUDGE_OPTIONS, DEFAULT_SCAN_LIMIT, MAX_SCAN_LIMIT } from '../core/lineage/scan';
import { planPairs } from '../core/pairs';
import type { Workers } from '../compute/client';
import { resolveHubUrl } from './hubUrl';
import { tokenFor } from './token';

/** Loads in flight at once (each is ~100 range requests through the loader worker). */
const LOAD_CONCURRENCY = 3;

export function clampLimit(limit: number | null | undefined): number {
  return Number.isFinite(limit) && limit! >= 1 ? Math.min(MAX_SCAN_LIMIT, Math.floor(limit!)) : DEFAULT_SCAN_LIMIT;
}

export interface FamilyScan {
  /** Lists `base`'s declared children, loads each and compares it with the base; a new run cancels the last. */
  run(base: string, limit?: number): Promise<void>;
  /** Stops the running scan: its loads are cancelled, late answers dropped and the panel cleared. */
  cancel(): void;
}

export interface FamilyScanDeps {
  store: AppStore;
  workers: Workers;
  /** resolves the `demo` hub alias (document.baseURI in the app) */
  baseUri?: () => string;
}

/** The family scan of one store: its generation and running loads live here, not in the module. */
export function createFamilyScan({ store, workers, baseUri = () => document.baseURI }: FamilyScanDeps): FamilyScan {
  let generation = 0;
  const running = new Set<string>();
  const scan: Omit<ScanRun, 'gen'> = {
    store,
    workers,
    baseUri,
    current: () => generation,
    running,
  };
  return {
    run: (base, limit) => {
      stopLoads(scan);
      return runScan({ ...scan, gen: ++generation }, base, limit);
    },
    cancel: () => {
      generation++;
      stopLoads(scan);
      store.setState({ scan: null });
    },
  };
}

/** What one run of the scan works with; `gen` is its generation, `current()` the latest. */
interface ScanRun {
  store: AppStore;
  workers: Workers;
  baseUri: () => string;
  gen: number;
  current(): number;
  /** loader jobs in flight, cancelled when the scan is */
  running: Set<string>;
}

function stopLoads(run: Pick<ScanRun, 'workers' | 'running'>): void {
  if (run.running.size === 0) return;
  const loader = run.workers.loader();
  for (const jobId of run.running) void loader.cancel(jobId);
  run.running.clear();
}

function patchScan(run: ScanRun, patch: (s: FamilyScanState) => Partial<FamilyScanState>): void {
  if (run.gen !== run.current()) return;
  run.store.setState((st) => (st.scan ? { scan: { ...st.scan, ...patch(st.scan) } } : {}));
}

function patchChild(run: ScanRun, id: string, patch: Partial<ScanChild>): void {
  patchScan(run, (s) => ({ children: s.children.map((c) => (c.id === id ? { ...c, ...patch } : c)) }));
}

async function runScan(run: ScanRun, base: string, limitIn?: number): Promise<void> {
  const { store, workers, gen } = run;
  const limit = clampLimit(limitIn);
  const started = performance.now();
  const hub = resolveHubUrl(store.getState().query.hub, run.baseUri());
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
  const loader = workers.loader();
  const listed = await loader.listChildren({ hub, base, max: limit, ...(token ? { token } : {}) });
  if (gen !== run.current()) return;
  if (!listed.ok) return patchScan(run, () => ({ status: 'error', error: listed.error }));
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
  patchScan(run, (s) => ({
    status: 'loading-base',
    children,
    more: listed.list.more,
    apiCalls: s.apiCalls + listed.list.apiCalls,
    listFromCache: listed.list.fromCache,
  }));

  const load = async (repo: string, revision: string, jobId: string, onProgress?: (p: LoadProgress) => void) => {
    run.running.add(jobId);
    try {
      return await loader.load(
        { jobId, hub, repo, revision, useCache: true, keepFromCompute: true, ...(token ? { token } : {}) },
        workers.proxy(onProgress ?? (() => undefined)),
      );
    } finally {
      run.running.delete(jobId);
    }
  };
  const baseResult = await load(base, 'main', `scan-base-${gen}`);
  if (gen !== run.current()) return;
  if (!baseResult.ok) return patchScan(run, () => ({ status: 'error', error: baseResult.error }));
  const baseModel = baseResult.model;
  const pool = workers.computePool();
  const baseKey = `scan-${gen}-base`;
  await Promise.all(pool.map((w) => w.putModel(baseKey, baseModel, 'scan')));
  patchScan(run, (s) => ({
    status: 'running',
    baseSha: baseModel.sha,
    apiCalls: s.apiCalls + (baseModel.apiCalls ?? 0),
  }));

  // a free worker per compare job: each takes the next child that is loaded

  const compare = { base, baseModel, baseKey, ...workerQueue(pool) };
  const compareChild = (child: ScanChild, model: LoadedModel) => compareWithBase(run, compare, child, model);

  let next = 0;
  const comparisons: Promise<void>[] = [];
  const loadNext = async (): Promise<void> => {
    while (next < children.length) {
      const child = children[next++]!;
      if (gen !== run.current()) return;
      patchChild(run, child.id, { status: 'loading' });
      const result = await load(child.id, child.sha ?? 'main', `scan-${gen}-${child.id}`, (progress) =>
        patchChild(run, child.id, { progress }),
      );
      if (gen !== run.current()) return;
      if (!result.ok) {
        patchChild(run, child.id, { status: 'error', error: result.error });
        // the model-info call was made (a failure comes after it, or is its answer)
        if (
          result.error.kind !== 'cancelled' &&
          result.error.kind !== 'invalid-repo-id' &&
          result.error.kind !== 'network'
        )
          patchScan(run, (s) => ({ apiCalls: s.apiCalls + 1 }));
        continue;
      }
      const m = result.model;
      patchChild(run, child.id, { loadedSha: m.sha, ...(m.quant ? { quant: m.quant } : {}) });
      patchScan(run, (s) => ({ apiCalls: s.apiCalls + (m.apiCalls ?? 0) }));
      comparisons.push(
        compareChild(child, m).catch((e: unknown) =>
          patchChild(run, child.id, {
            status: 'error',
            error: { kind: 'bad-response', message: e instanceof Error ? e.message : String(e) },
          }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, loadNext));
  await Promise.all(comparisons);
  if (gen !== run.current()) return;
  await Promise.all(pool.map((w) => w.forgetModel(baseKey)));
  patchScan(run, () => ({ status: 'done', wallMs: performance.now() - started }));
}

/** Lends the pool's workers out one job at a time; a job waits while all are busy. */
function workerQueue<W>(pool: readonly W[]): { takeWorker(): Promise<W>; giveBack(w: W): void } {
  const free = [...pool];
  const waiting: ((w: W) => void)[] = [];
  return {
    takeWorker: () =>
      new Promise<W>((resolve) => {
        const w = free.pop();
        if (w) resolve(w);
        else waiting.push(resolve);
      }),
    giveBack: (w) => {
      const next = waiting.shift();
      if (next) next(w);
      else free.push(w);
    },
  };
}

type PoolWorker = ReturnType<Workers['computePool']>[number];

interface CompareContext {
  base: string;
  baseModel: LoadedModel;
  /** the key the base model is held under in every pool worker */
  baseKey: string;
  takeWorker(): Promise<PoolWorker>;
  giveBack(w: PoolWorker): void;
}

/** Judges one loaded child against the base on a free pool worker. */
async function compareWithBase(run: ScanRun, cx: CompareContext, child: ScanChild, model: LoadedModel): Promise<void> {
  const { base, baseModel, baseKey, takeWorker, giveBack } = cx;
  const gen = run.gen;
  const plan = planPairs([baseModel, model]);
  if (plan.comparable.length === 0) {
    const row = judgeScanChild(base, child.id, child.relation, {
      notComparable: plan.notComparable[0]?.reason ?? 'no norm role of the same width',
    });
    return patchChild(run, child.id, { status: 'done', row });
  }
  patchChild(run, child.id, { status: 'comparing' });
  const worker = await takeWorker();
  const key = `scan-${gen}-${child.id}`;
  try {
    await worker.putModel(key, model, 'scan');
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
    patchChild(run, child.id, { status: 'done', row, roles, workerMs });
    patchScan(run, (s) => ({ workerMs: s.workerMs + workerMs }));
  } finally {
    giveBack(worker);
  }
}
