// Loader worker: all network, header parsing and decoding happen here, off the main thread.
import * as Comlink from 'comlink';
import { loadModel } from '../src/hub/loadModel';
import { VerifiedRanges } from '../src/hub/verifiedRanges';
import { createListCache, listChildren } from '../src/hub/listChildren';
import { listRootModels, readConfigWidth, type RootList, type WidthCache } from '../src/hub/listRoots';
import { searchModels } from '../src/hub/searchModels';
import { createIdbCache } from '../src/hub/cache';
import { HubError, namingModel } from '../src/hub/errors';
import type { HubErrorInfo, LoadedModel, LoadProgress } from '../src/core/types';
import { loadLocalModel } from '../src/sources/loadLocalModel';
import { withLocalPath } from '../src/sources/localFileSource';
import { deepCheckJob } from '../src/hub/deepCheckJob';
import type { DeepCheckReply, DeepCheckRequest, DeepProgress } from '../src/compute/deepProtocol';
import type {
  ListChildrenRequest,
  ListChildrenResult,
  LoadLocalRequest,
  LoadRequest,
  LoadResult,
  ModelHit,
  SearchModelsRequest,
} from '../src/compute/protocol';
import type { Reply } from '../src/compute/protocol';

export type {
  ListChildrenRequest,
  ListChildrenResult,
  LoadLocalRequest,
  LoadRequest,
  LoadResult,
} from '../src/compute/protocol';

const jobs = new Map<string, AbortController>();
/** list answers of the Hub, kept 5 minutes: a re-run scan costs no api call for its list */
const listCache = createListCache();

/** the relatives search's roots list (kept 5 minutes) and config widths (by sha) */
const rootsCache = createListCache<RootList>();
const widthCache: WidthCache = new Map();
let computePort: MessagePort | null = null;

/** Hands a loaded model to the compute worker, cloned here rather than on the main thread. */
function sendToCompute(jobId: string, model: LoadedModel): boolean {
  if (!computePort) return false;
  computePort.postMessage({ key: jobId, model });
  return true;
}
let cache: ReturnType<typeof createIdbCache> | null = null;
/**
 * Cache writes of loads that already returned their model. They wait until no load has ended for
 * WRITE_AFTER_MS (the heatmaps are computed and drawn meanwhile, and serializing a model's headers
 * would take a core from them), or until the page says the comparison is complete, or until the cache
 * is next read; every later reader of the cache waits for them, so a reopen still finds what was read.
 */
let queuedWrites: (() => Promise<void>)[] = [];
let pendingWrites: Promise<void> = Promise.resolve();
let writeTimer: ReturnType<typeof setTimeout> | null = null;
const WRITE_AFTER_MS = 500;

function startWrites(): Promise<void> {
  if (writeTimer !== null) clearTimeout(writeTimer);
  writeTimer = null;
  const started = queuedWrites.map((write) => write());
  queuedWrites = [];
  pendingWrites = Promise.all([pendingWrites, ...started]).then(() => undefined);
  return pendingWrites;
}

function deferWrite(write: () => Promise<void>): void {
  queuedWrites.push(write);
  if (writeTimer !== null) clearTimeout(writeTimer);
  writeTimer = setTimeout(() => void startWrites(), WRITE_AFTER_MS);
}

async function getCache(): Promise<ReturnType<typeof createIdbCache>> {
  cache ??= createIdbCache();
  await startWrites();
  return cache;
}

function toInfo(err: unknown): HubErrorInfo {
  if (err instanceof HubError) return err.toInfo();
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'bad-response', message };
}

/** Verified ranges of failed loads, by model, for their Retry (the oldest dropped beyond a few). */
const keptForRetry = new Map<string, VerifiedRanges>();
const KEPT_FOR_RETRY = 8;

function keepForRetry(key: string, ranges: VerifiedRanges): void {
  keptForRetry.set(key, ranges);
  while (keptForRetry.size > KEPT_FOR_RETRY) keptForRetry.delete(keptForRetry.keys().next().value!);
}

const api = {
  /** The declared children of a model (GET /api/models?filter=base_model:…, every page). */
  async listChildren(req: ListChildrenRequest): Promise<ListChildrenResult> {
    try {
      const list = await listChildren(req.base, {
        hub: req.hub,
        max: req.max,
        cache: listCache,
        ...(req.token ? { token: req.token } : {}),
      });
      return { ok: true, list };
    } catch (err) {
      return { ok: false, error: toInfo(err) };
    }
  },
  /** The Hub's most downloaded text-generation roots (relatives search, hub-protocol §1.12). */
  async listRoots(req: { hub: string; max: number; token?: string }): Promise<Reply<RootList>> {
    try {
      const value = await listRootModels({ ...req, cache: rootsCache });
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toInfo(err) };
    }
  },
  /** A model's width from its config.json at a commit, cached by sha. */
  async readWidth(req: {
    hub: string;
    repo: string;
    sha: string;
    token?: string;
  }): Promise<Reply<{ width: number | null; modelType: string | null; resolves: number }>> {
    try {
      const { repo, sha, ...rest } = req;
      return { ok: true, value: await readConfigWidth(repo, sha, { ...rest, cache: widthCache }) };
    } catch (err) {
      return { ok: false, error: toInfo(err) };
    }
  },
  /** The compute worker's end of a channel the main thread made between the two workers. */
  attachCompute(port: MessagePort): void {
    computePort = port;
  },
  async load(req: LoadRequest, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
    const controller = new AbortController();
    jobs.set(req.jobId, controller);
    // what an earlier, failed load of this model received whole: a Retry reads only what is missing
    const retryKey = JSON.stringify([req.hub, req.repo, req.revision ?? 'main', req.quant ?? '']);
    const verified = keptForRetry.get(retryKey) ?? new VerifiedRanges();
    keptForRetry.delete(retryKey);
    const t0 = performance.now();
    try {
      const model = await loadModel({
        hub: req.hub,
        repo: req.repo,
        revision: req.revision,
        ...(req.quant ? { quant: req.quant } : {}),
        token: req.token,
        cache: req.useCache ? await getCache() : null,
        signal: controller.signal,
        onProgress,
        onCacheWrites: deferWrite,
        verified,
      });
      model.transfer.wallMs = performance.now() - t0;
      const sent = req.keepFromCompute ? false : sendToCompute(req.jobId, model);
      performance.mark('normscope:sent-to-compute');
      return { ok: true, model, sentToCompute: sent };
    } catch (err) {
      keepForRetry(retryKey, verified);
      return { ok: false, error: toInfo(err) };
    } finally {
      jobs.delete(req.jobId);
    }
  },
  /** A model from the user's disk, read by File.slice here so the main thread never waits on it. */
  async loadLocal(req: LoadLocalRequest, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
    const controller = new AbortController();
    jobs.set(req.jobId, controller);
    try {
      if (req.files.length !== req.entries.length)
        throw new HubError(
          'bad-file',
          `${req.label}: ${req.files.length} files came with ${req.entries.length} paths.`,
        );
      const files = req.files.map((f, i) => withLocalPath(f, req.entries[i]!.path));
      const t0 = performance.now();
      const model = await loadLocalModel(
        { label: req.label, entries: req.entries, files },
        { label: req.label, onProgress, signal: controller.signal },
      );
      model.transfer.wallMs = performance.now() - t0;
      return { ok: true, model, sentToCompute: sendToCompute(req.jobId, model) };
    } catch (err) {
      return { ok: false, error: toInfo(err instanceof HubError ? namingModel(err, req.label) : err) };
    } finally {
      jobs.delete(req.jobId);
    }
  },
  /** Repo ids matching a typed prefix (the Hub's search API); best-effort, cancellable by jobId. */
  async searchModels(req: SearchModelsRequest): Promise<ModelHit[]> {
    const controller = new AbortController();
    jobs.set(req.jobId, controller);
    try {
      return await searchModels(req.hub, req.query, fetch, controller.signal);
    } finally {
      jobs.delete(req.jobId);
    }
  },
  /** The comparison is complete: what its loads read goes to the cache now. */
  async flushCacheWrites(): Promise<void> {
    await startWrites();
  },
  cancel(jobId: string): void {
    jobs.get(jobId)?.abort();
  },
  async clearCache(): Promise<void> {
    await (await getCache()).clear();
  },
  /** What the cache holds and its cap (the LRU evicts the least recently used beyond it). */
  async cacheUsage(): Promise<{ entries: number; bytes: number; capBytes: number }> {
    const c = await getCache();
    const usage = await c.usage();
    return { ...usage, capBytes: c.capBytes() };
  },
  async setCacheCap(bytes: number): Promise<void> {
    if (Number.isFinite(bytes) && bytes >= 0) (await getCache()).setCap(bytes);
  },
  /** The deep check of two loaded Hub models: 'estimate' (headers only, the cost), then 'run'. */
  async deepCheck(req: DeepCheckRequest, onProgress?: (p: DeepProgress) => void): Promise<DeepCheckReply> {
    const controller = new AbortController();
    jobs.set(req.jobId, controller);
    try {
      return await deepCheckJob(req, {
        cache: req.useCache ? await getCache() : null,
        signal: controller.signal,
        ...(onProgress ? { onProgress } : {}),
      });
    } finally {
      jobs.delete(req.jobId);
    }
  },
};

export type LoaderApi = typeof api;
Comlink.expose(api);
