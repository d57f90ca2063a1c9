// Load one model's norm vectors: resolve the revision to a sha (one API call, skipped for a cached
// sha), then either the cache or the network path, then decode. Every failure is a HubError.
import type { LoadProgress, LoadedModel, SafetensorsHeader } from '../core/types.ts';
import { cacheKey, type CacheBatch, type CachedModel, type NormCache } from './cache.ts';
import { guardCache } from './cacheGuard.ts';
import { buildLoadedModel } from './buildLoadedModel.ts';
import { collectSafetensorsNorms } from './collectSafetensorsNorms.ts';
import { collectGgufNorms } from './collectGgufNorms.ts';
import { isGgufRepo } from '../core/gguf/index.ts';
import { pickWeightsFile } from './readRepoMetadata.ts';
import { HubError, namingModel, toHubError } from './errors.ts';
import { CdnUrlMemory, TransferCounter, type HttpContext, type RetryOptions } from './http.ts';
import { createLimiter, type Limiter } from './limit.ts';
import { concurrencyFor } from './connectionPolicy.ts';
import { ProgressReporter } from './progress.ts';
import { readTensorBytes, type TensorBytes } from './readTensorBytes.ts';
import { resolveRevision, type ResolvedRevision } from './resolveRevision.ts';
import { isCommitSha, normalizeHubUrl, resolveFileUrl } from './repoUrls.ts';
import { isValidRepoId } from '../core/repoPaths.ts';
import type { VerifiedRanges } from './verifiedRanges.ts';

// Requests in flight: chosen per server by connectionPolicy.ts (a whole stage at once over HTTP/2,
// about six against an HTTP/1.1 server) unless the caller fixes it.

export interface LoadModelOptions {
  hub: string;
  repo: string;
  revision?: string;
  token?: string;
  fetch?: typeof fetch;
  cache?: NormCache | null;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
  /** requests in flight; default: by the server's protocol (connectionPolicy.ts) */
  concurrency?: number;
  /** backoff tuning (tests) */
  retry?: Partial<RetryOptions>;
  /** GGUF: the quantization to read ("Q8_0"); reads GGUF even where the repo has safetensors too */
  quant?: string;
  /**
   * Given: the load returns as soon as the model is built, and hands over its cache write (which never
   * fails) for the caller to start when the page can spare the CPU. Absent: the load writes and awaits it.
   */
  onCacheWrites?: (write: () => Promise<void>) => void;
  /** ranges an earlier, failed try of this load received whole: read again from here, not the network */
  verified?: VerifiedRanges;
}

/** The cache entry of a model: a GGUF quantization is its own model. */
const cacheRepoOf = (repo: string, quant: string | undefined) => (quant ? `${repo}:${quant.toUpperCase()}` : repo);

/** Read GGUF when asked for a quantization, or when GGUF is all the repo has. */
function readsGguf(resolved: ResolvedRevision, quant: string | undefined): boolean {
  if (quant) return true;
  if (!resolved.siblings || pickWeightsFile(resolved.siblings)) return false;
  return isGgufRepo(resolved.tags, resolved.siblings);
}

/** Tensors of a cached model: from the cache, or re-read by their known offsets if evicted. */
async function tensorsOfCachedModel(
  model: CachedModel,
  repo: string,
  revision: string,
  ctx: HttpContext,
  limit: Limiter,
  cache: NormCache | null,
  progress: ProgressReporter,
  warn: (m: string) => void,
): Promise<Map<string, TensorBytes>> {
  const files = [...new Set(model.tensors.map((t) => t.file))];
  const parts = await Promise.all(
    files.map((file) =>
      readTensorBytes({
        url: resolveFileUrl(ctx.hub, repo, model.sha, file),
        file,
        tensors: model.tensors.filter((t) => t.file === file),
        prefix: null,
        ctx,
        errCtx: { repo, revision },
        limit,
        cache,
        keyOf: (t) => cacheKey(ctx.hub, repo, model.sha, 'tensor', t.file, t.name),
        warn,
        onTensors: (n) => progress.addTensors(n),
      }),
    ),
  );
  return new Map(parts.flatMap((m) => [...m]));
}

/** What a load read as one cache write: its headers, the tensors not taken from the cache, then its entries. */
function cacheBatch(
  hub: string,
  repo: string,
  model: CachedModel,
  bytes: ReadonlyMap<string, TensorBytes>,
  entryKeys: readonly string[],
  headers: [string, SafetensorsHeader][],
): CacheBatch {
  return {
    headers,
    tensors: model.tensors.flatMap((t): [string, Uint8Array][] => {
      const b = bytes.get(t.name);
      return b && !b.fromCache ? [[cacheKey(hub, repo, model.sha, 'tensor', t.file, t.name), b.bytes]] : [];
    }),
    // one transaction: the entries, which promise that the tensors are there, are written with them or not at all
    models: entryKeys.map((key) => ({ hub, repo: key, sha: model.sha, model })),
  };
}

export async function loadModel(opts: LoadModelOptions): Promise<LoadedModel> {
  const hub = normalizeHubUrl(opts.hub);
  const repo = opts.repo.trim();
  const revision = opts.revision?.trim() || 'main';
  if (!isValidRepoId(repo))
    throw new HubError('invalid-repo-id', `"${repo}" is not a valid model id; expected "org/name".`);
  const counter = new TransferCounter();
  const warnings = new Set<string>();
  const warn = (m: string) => void warnings.add(m);
  const progress = new ProgressReporter(counter, opts.onProgress);
  // one controller for the whole load: a failure in one shard stops the others' requests
  const inner = new AbortController();
  const onAbort = () => inner.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) inner.abort(opts.signal.reason);
  const userFetch = opts.fetch ?? globalThis.fetch;
  const base: HttpContext = {
    fetch: (input, init) => userFetch(input, init), // unbound window.fetch throws "Illegal invocation"
    hub,
    counter,
    signal: inner.signal,
    ...(opts.retry ? { retry: opts.retry } : {}),
    // each file's signed CDN URL serves its further ranges (hub-protocol §1.11)
    cdnUrls: new CdnUrlMemory(),
    ...(opts.verified ? { verified: opts.verified } : {}),
  };
  const apiCtx: HttpContext = opts.token ? { ...base, token: opts.token } : base;
  const limit = createLimiter(opts.concurrency ?? concurrencyFor(hub));
  const cache = opts.cache ? guardCache(opts.cache, warn) : null;
  try {
    progress.update({ phase: 'resolving' });
    // a sha needs no API call when the cache knows that commit; a branch always asks for its sha
    const entryKey = cacheRepoOf(repo, opts.quant);
    let model = cache && isCommitSha(revision) ? await cache.getResolved(hub, entryKey, revision) : undefined;
    // entries written before lineage claims were kept do not know the card's claim: ask the API once
    if (model && model.declared === undefined) model = undefined;
    let fresh: { model: CachedModel; bytes: Map<string, TensorBytes>; headers?: [string, SafetensorsHeader][] } | null =
      null;
    let apiCalls = 0;
    let refreshEntry = false;
    if (!model) {
      apiCalls++;
      const resolved = await resolveRevision(repo, revision, apiCtx);
      if (opts.concurrency === undefined) limit.setLimit(concurrencyFor(resolved.apiUrl));
      progress.update({ sha: resolved.sha });
      model = cache ? await cache.getResolved(hub, entryKey, resolved.sha) : undefined;
      if (model && model.declared === undefined) {
        model = { ...model, declared: resolved.declared };
        refreshEntry = true;
      }
      if (!model) {
        const fileCtx = resolved.needsToken ? apiCtx : base;
        const args = { repo, revision, resolved, ctx: fileCtx, limit, cache, progress, warn };
        fresh = readsGguf(resolved, opts.quant)
          ? await collectGgufNorms({ ...args, quant: opts.quant })
          : await collectSafetensorsNorms(args);
        // the deep check's cost names tokenizer.json's size: the file list gave it, so keep it
        model = { ...fresh.model, tokenizerBytes: resolved.sizes.get('tokenizer.json') ?? null };
      }
    }
    let bytes: Map<string, TensorBytes>;
    if (fresh) {
      bytes = fresh.bytes;
    } else {
      progress.update({
        phase: 'tensors',
        sha: model.sha,
        tensorsTotal: model.tensors.length,
        totalModelBytes: model.totalModelBytes,
      });
      const fileCtx = model.needsToken ? apiCtx : base;
      bytes = await tensorsOfCachedModel(model, repo, revision, fileCtx, limit, cache, progress, warn);
    }
    performance.mark('normscope:bytes-in');
    const loaded = buildLoadedModel({ hub, repo, revision, model, bytes, counter, warnings });
    loaded.apiCalls = apiCalls;
    performance.mark('normscope:model-built');
    if (cache && (fresh || !loaded.fromCache || refreshEntry)) {
      // a GGUF read by default is also the entry of its explicit quantization (pinned permalinks name it)
      const keys = [entryKey, ...(model.gguf && !opts.quant ? [cacheRepoOf(repo, model.gguf.quant)] : [])];
      const batch = cacheBatch(hub, repo, model, bytes, keys, fresh?.headers ?? []);
      const write = () => cache.putBatch(batch);
      if (opts.onCacheWrites) opts.onCacheWrites(write);
      else {
        await write();
        loaded.warnings = [...new Set([...loaded.warnings, ...warnings])];
      }
    }
    progress.update({ phase: 'done', totalModelBytes: loaded.totalModelBytes });
    return loaded;
  } catch (e) {
    const err = namingModel(
      opts.signal?.aborted
        ? toHubError(opts.signal.reason ?? e, { repo, revision }, opts.signal)
        : toHubError(e, { repo, revision }),
      repo,
    );
    inner.abort(err);
    progress.update({ phase: err.kind === 'cancelled' ? 'cancelled' : 'error', message: err.message });
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
