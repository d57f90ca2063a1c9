// Sampled matrix rows of two models, by range request ("beyond norm weights"). Two steps, so the
// UI can show the cost before any row byte is fetched:
//   planRowSamples  — per model the API revision call, config.json and the index (in parallel),
//                     then the headers of only the shards that hold the chosen tensors (from the
//                     cache when a load already read them); returns the plan and its exact cost
//   fetchRowSamples — the planned single-range reads, bounded concurrency, 206 and lengths checked
//                     by readRange, rows decoded; cached per hub + repo + sha + tensor + rows
import { numLayersFromConfig } from '../core/norms.ts';
import { firstHeaderReadSize, SINGLE_FILE_FIRST_READ } from '../core/ranges.ts';
import { decodeTensor } from '../core/dtypes.ts';
import { compareRowSamples, type SampledMatrix } from '../core/rowEvidence.ts';
import {
  DEFAULT_ROW_BUDGET,
  candidateMatrixNames,
  commonMatrices,
  formatRowIds,
  planRowBudget,
  type LocatedTensor,
  type PlannedMatrix,
  type RowBudgetOptions,
} from '../core/rowSampling.ts';
import type {
  RowEvidenceReply,
  RowEvidenceRequest,
  RowFetchProgress,
  RowModelInfo,
  RowModelRef,
  RowSamplesPlan,
  TransferCost,
} from '../compute/protocol.ts';

export type {
  RowEvidenceReply,
  RowEvidenceRequest,
  RowFetchProgress,
  RowModelInfo,
  RowModelRef,
  RowSamplesPlan,
  TransferCost,
} from '../compute/protocol.ts';
import { cacheKey, type NormCache } from './cache.ts';
import { guardCache } from './cacheGuard.ts';
import { HubError, toHubError } from './errors.ts';
import { TransferCounter, readRange, type HttpContext, type RetryOptions } from './http.ts';
import { createLimiter } from './limit.ts';
import { indexCacheKey, readRepoMetadata } from './readRepoMetadata.ts';
import { readShardHeader, type ShardHeader } from './readShardHeader.ts';
import { resolveRevision } from './resolveRevision.ts';
import { isCommitSha, normalizeHubUrl, resolveFileUrl } from './repoUrls.ts';
import { isValidRepoId } from '../core/repoPaths.ts';

/** Row reads in flight at once, both models together. */
export const ROW_FETCH_CONCURRENCY = 8;

export interface CommonOptions {
  fetch?: typeof fetch;
  /** sent only to the hub, and on file reads only for gated or private repos */
  token?: string;
  cache?: NormCache | null;
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
}

export interface PlanRowSamplesOptions extends CommonOptions {
  hub: string;
  a: RowModelRef;
  b: RowModelRef;
  budget?: Partial<RowBudgetOptions>;
}

export function httpContext(hub: string, counter: TransferCounter, o: CommonOptions, withToken: boolean): HttpContext {
  const userFetch = o.fetch ?? globalThis.fetch;
  return {
    fetch: (input, init) => userFetch(input, init), // unbound window.fetch throws "Illegal invocation"
    hub,
    counter,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.retry ? { retry: o.retry } : {}),
    ...(withToken && o.token ? { token: o.token } : {}),
  };
}

/** HubErrors pass; aborts become "cancelled"; anything else is a malformed answer or plan, not the network. */
export function asHubError(e: unknown, repo: string, signal?: AbortSignal): HubError {
  if (e instanceof HubError) return e;
  if (signal?.aborted || (e instanceof Error && e.name === 'AbortError')) return toHubError(e, { repo }, signal);
  return new HubError('bad-response', `Row sampling of ${repo} failed: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}

export function checkRef(ref: RowModelRef): void {
  if (!isValidRepoId(ref.repo))
    throw new HubError('invalid-repo-id', `"${ref.repo}" is not a valid model id; expected "org/name".`);
  if (!isCommitSha(ref.sha))
    throw new HubError(
      'bad-response',
      `Row sampling needs the commit sha ${ref.repo} was loaded at, got "${ref.sha}".`,
    );
}

export interface ModelMeta {
  ref: RowModelRef;
  needsToken: boolean;
  numLayers: number | null;
  /** tensor name → shard file */
  names: Map<string, string>;
  singleHeader: ShardHeader | null;
  counter: TransferCounter;
  fileCtx: HttpContext;
}

/**
 * What the load already read, from the cache: the model entry (config, token need), the index or
 * the single file's header. Null when anything is missing; the plan then reads it from the network.
 */
async function cachedModelMeta(
  hub: string,
  ref: RowModelRef,
  o: CommonOptions,
  cache: NormCache | null,
): Promise<ModelMeta | null> {
  if (!cache) return null;
  const model = await cache.getResolved(hub, ref.repo, ref.sha.toLowerCase());
  if (!model || (model.format ?? 'safetensors') !== 'safetensors' || model.indexPath === undefined) return null;
  const counter = new TransferCounter();
  const fileCtx = httpContext(hub, counter, o, model.needsToken);
  const base = { ref, needsToken: model.needsToken, numLayers: numLayersFromConfig(model.config), counter, fileCtx };
  if (model.indexPath !== null) {
    const index = await cache.getIndex(indexCacheKey(hub, ref.repo, model.sha, model.indexPath));
    return index ? { ...base, names: new Map(index.weightMap), singleHeader: null } : null;
  }
  // no index read: the load read every shard's header (one file, or all the file list named)
  const files = model.shards.map((s) => s.file);
  const headers = await Promise.all(files.map((f) => cache.getHeader(cacheKey(hub, ref.repo, model.sha, 'header', f))));
  if (files.length === 0 || headers.some((h) => !h)) return null;
  const names = new Map(headers.flatMap((h, i) => h!.tensors.map((t): [string, string] => [t.name, files[i]!])));
  const singleHeader =
    files.length === 1 ? { file: files[0]!, header: headers[0]!, prefix: null, cameWhole: false } : null;
  return { ...base, names, singleHeader };
}

export async function readModelMeta(
  hub: string,
  ref: RowModelRef,
  o: CommonOptions,
  cache: NormCache | null,
  warn: (m: string) => void,
): Promise<ModelMeta> {
  const known = await cachedModelMeta(hub, ref, o, cache);
  if (known) return known;
  const counter = new TransferCounter();
  const apiCtx = httpContext(hub, counter, o, true);
  const resolved = await resolveRevision(ref.repo, ref.sha, apiCtx);
  if (resolved.sha !== ref.sha.toLowerCase()) {
    throw new HubError('bad-response', `${ref.repo} at ${ref.sha} resolved to another commit (${resolved.sha}).`);
  }
  const fileCtx = httpContext(hub, counter, o, resolved.needsToken);
  const errCtx = { repo: ref.repo, revision: ref.sha };
  const meta = await readRepoMetadata({
    repo: ref.repo,
    sha: resolved.sha,
    revision: ref.sha,
    siblings: resolved.siblings,
    apiConfig: resolved.config,
    ctx: fileCtx,
    warn,
    cache,
    readHeader: (file) => readHeaderCached(hub, ref, file, SINGLE_FILE_FIRST_READ, fileCtx, cache, errCtx),
  });
  const names =
    meta.weightMap ?? new Map((meta.singleHeader?.header.tensors ?? []).map((t) => [t.name, meta.layout.path]));
  return {
    ref,
    needsToken: resolved.needsToken,
    numLayers: numLayersFromConfig(meta.config),
    names,
    singleHeader: meta.singleHeader,
    counter,
    fileCtx,
  };
}

/** The same header cache entry a norm load writes, so headers read there cost nothing here. */
async function readHeaderCached(
  hub: string,
  ref: RowModelRef,
  file: string,
  firstReadEnd: number,
  ctx: HttpContext,
  cache: NormCache | null,
  errCtx: { repo: string; revision: string },
): Promise<ShardHeader> {
  const key = cacheKey(hub, ref.repo, ref.sha, 'header', file);
  const cached = cache ? await cache.getHeader(key) : undefined;
  if (cached) return { file, header: cached, prefix: null, cameWhole: false };
  const sh = await readShardHeader(resolveFileUrl(hub, ref.repo, ref.sha, file), file, firstReadEnd, ctx, errCtx);
  await cache?.putHeader(key, sh.header);
  return sh;
}

export async function locatedTensors(
  hub: string,
  m: ModelMeta,
  wanted: readonly string[],
  cache: NormCache | null,
  limit: ReturnType<typeof createLimiter>,
): Promise<{ tensors: LocatedTensor[]; shards: string[] }> {
  const files = [...new Set(wanted.map((n) => m.names.get(n)).filter((f): f is string => f !== undefined))].sort();
  const errCtx = { repo: m.ref.repo, revision: m.ref.sha };
  const namesIn = (file: string) => [...m.names].filter(([, f]) => f === file).map(([n]) => n);
  const headers = await Promise.all(
    files.map((file) =>
      m.singleHeader?.file === file
        ? m.singleHeader
        : limit(() =>
            readHeaderCached(
              hub,
              m.ref,
              file,
              firstHeaderReadSize({ tensorNames: namesIn(file) }),
              m.fileCtx,
              cache,
              errCtx,
            ),
          ),
    ),
  );
  const want = new Set(wanted);
  const tensors = headers.flatMap((h) =>
    h.header.tensors.filter((t) => want.has(t.name)).map((t) => ({ ...t, file: h.file })),
  );
  return { tensors, shards: files };
}

/**
 * The row-sampling plan for two loaded models: which tensors, which rows (the same in both), which
 * single-range reads, and what they cost per model — before any row is fetched.
 */
export async function planRowSamples(o: PlanRowSamplesOptions): Promise<RowSamplesPlan> {
  const hub = normalizeHubUrl(o.hub);
  checkRef(o.a);
  checkRef(o.b);
  const warnings = new Set<string>();
  const warn = (m: string) => void warnings.add(m);
  const cache = o.cache ? guardCache(o.cache, warn) : null;
  const errRepo = `${o.a.repo} / ${o.b.repo}`;
  try {
    const [ma, mb] = await Promise.all([
      readModelMeta(hub, o.a, o, cache, warn),
      readModelMeta(hub, o.b, o, cache, warn),
    ]);
    const budget = { ...DEFAULT_ROW_BUDGET, ...o.budget };
    const maxTensors = Math.floor(budget.maxRequests / Math.max(1, budget.runs));
    const layerOpts = { numLayersA: ma.numLayers, numLayersB: mb.numLayers };
    const wanted = candidateMatrixNames(ma.names.keys(), mb.names.keys(), { ...layerOpts, maxTensors });
    const limit = createLimiter(ROW_FETCH_CONCURRENCY);
    const [ta, tb] = await Promise.all([
      locatedTensors(hub, ma, wanted, cache, limit),
      locatedTensors(hub, mb, wanted, cache, limit),
    ]);
    const plan = planRowBudget(commonMatrices(ta.tensors, tb.tensors, layerOpts), budget);
    if (plan.matrices.length === 0) {
      warn('The two models share no 2-D tensor of the same name and shape that fits the row budget.');
    }
    const info = (m: ModelMeta, shards: string[]): RowModelInfo => ({
      ...m.ref,
      needsToken: m.needsToken,
      numLayers: m.numLayers,
      shards,
    });
    return {
      ...plan,
      hub,
      models: [info(ma, ta.shards), info(mb, tb.shards)],
      planning: [
        { requests: ma.counter.requests, bytes: ma.counter.bytes },
        { requests: mb.counter.requests, bytes: mb.counter.bytes },
      ],
      warnings: [...warnings],
    };
  } catch (e) {
    throw asHubError(e, errRepo, o.signal);
  }
}

// ---------------------------------------------------------------------------------------------

export interface FetchRowSamplesOptions extends CommonOptions {
  concurrency?: number;
  onProgress?: (p: RowFetchProgress) => void;
}

export interface ModelRowSamples extends RowModelRef {
  matrices: SampledMatrix[];
  transfer: TransferCost & { cachedBytes: number };
}

export interface FetchedRowSamples {
  a: ModelRowSamples;
  b: ModelRowSamples;
  warnings: string[];
}

/** Cache key of one tensor's sampled rows. */
export function rowCacheKey(hub: string, repo: string, sha: string, file: string, m: PlannedMatrix): string {
  return cacheKey(hub, repo, sha, 'tensor', file, `${m.name}#rows:${formatRowIds(m.rowIds)}`);
}

/**
 * Fetch a plan's rows for both models: one single-range GET per planned read (none for tensors in
 * the cache), at most `concurrency` in flight, every answer checked (206, Content-Range, length).
 */
export async function fetchRowSamples(
  plan: RowSamplesPlan,
  o: FetchRowSamplesOptions = {},
): Promise<FetchedRowSamples> {
  const hub = normalizeHubUrl(plan.hub);
  const warnings = new Set<string>();
  const warn = (m: string) => void warnings.add(m);
  const cache = o.cache ? guardCache(o.cache, warn) : null;
  const limit = createLimiter(o.concurrency ?? ROW_FETCH_CONCURRENCY);
  const sides = [
    { info: plan.models[0], reads: plan.a.reads, side: 'a' as const },
    { info: plan.models[1], reads: plan.b.reads, side: 'b' as const },
  ];
  const counters = [new TransferCounter(), new TransferCounter()];
  const progress: RowFetchProgress = { readsDone: 0, readsTotal: 0, requests: 0, bytes: 0 };
  const emit = () => {
    progress.requests = counters[0]!.requests + counters[1]!.requests;
    progress.bytes = counters[0]!.bytes + counters[1]!.bytes;
    try {
      o.onProgress?.({ ...progress });
    } catch {
      // a broken listener must not break the fetch
    }
  };

  const run = async (
    { info, reads, side }: (typeof sides)[number],
    counter: TransferCounter,
  ): Promise<ModelRowSamples> => {
    const ctx = httpContext(hub, counter, o, info.needsToken);
    const errCtx = { repo: info.repo, revision: info.sha };
    const place = (m: PlannedMatrix) => m[side];
    // raw bytes of each tensor's rows, in rowIds order
    const raw = new Map<string, Uint8Array>();
    let cachedBytes = 0;
    const hits = await Promise.all(
      plan.matrices.map((m) =>
        cache ? cache.getTensor(rowCacheKey(hub, info.repo, info.sha, place(m).file, m)) : undefined,
      ),
    );
    plan.matrices.forEach((m, i) => {
      const hit = hits[i];
      if (hit && hit.byteLength === m.rowIds.length * place(m).rowBytes) {
        raw.set(m.name, hit);
        cachedBytes += hit.byteLength;
      } else if (hit)
        warn('The local cache held a damaged entry; it was ignored and the data loaded from the network.');
    });
    const byName = new Map(plan.matrices.map((m) => [m.name, m]));
    const fresh = new Map<string, Uint8Array>();
    for (const m of plan.matrices)
      if (!raw.has(m.name)) fresh.set(m.name, new Uint8Array(m.rowIds.length * place(m).rowBytes));
    const todo = reads.filter((r) => r.parts.some((p) => fresh.has(p.name)));
    progress.readsTotal += todo.length;
    emit();
    await Promise.all(
      todo.map((read) =>
        limit(async () => {
          const url = resolveFileUrl(hub, info.repo, info.sha, read.file);
          const got = await readRange(url, read.start, read.end, ctx, { ...errCtx, file: read.file });
          for (const part of read.parts) {
            const m = byName.get(part.name);
            const out = fresh.get(part.name);
            if (!m || !out) continue;
            const rowBytes = place(m).rowBytes;
            m.rowIds.forEach((id, k) => {
              if (id < part.firstRow || id >= part.endRow) return;
              const from = part.start - read.start + (id - part.firstRow) * rowBytes;
              out.set(got.bytes.subarray(from, from + rowBytes), k * rowBytes);
            });
          }
          progress.readsDone++;
          emit();
        }),
      ),
    );
    for (const [name, bytes] of fresh) {
      raw.set(name, bytes);
      const m = byName.get(name) as PlannedMatrix;
      await cache?.putTensor(rowCacheKey(hub, info.repo, info.sha, place(m).file, m), bytes);
    }
    const matrices = plan.matrices.map((m): SampledMatrix => {
      const p = place(m);
      const values = decodeTensor(raw.get(m.name) as Uint8Array, p.dtype, m.rowIds.length * m.shape[1]);
      return { name: m.name, layer: m.layer, kind: m.kind, rowIds: [...m.rowIds], cols: m.shape[1], values };
    });
    return {
      repo: info.repo,
      sha: info.sha,
      matrices,
      transfer: { requests: counter.requests, bytes: counter.bytes, cachedBytes },
    };
  };

  try {
    const [a, b] = await Promise.all([run(sides[0]!, counters[0]!), run(sides[1]!, counters[1]!)]);
    return { a, b, warnings: [...warnings] };
  } catch (e) {
    throw asHubError(e, `${plan.models[0].repo} / ${plan.models[1].repo}`, o.signal);
  }
}

// ---------------------------------------------------------------------------------------------
// The loader worker's job: plan, or fetch and compare. Plain data in and out (structured clone).

export interface RowEvidenceJobDeps {
  cache: NormCache | null;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  onProgress?: (p: RowFetchProgress) => void;
}

export async function rowEvidenceJob(req: RowEvidenceRequest, deps: RowEvidenceJobDeps): Promise<RowEvidenceReply> {
  const common = {
    cache: deps.cache,
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(req.token ? { token: req.token } : {}),
  };
  try {
    if (req.kind === 'plan') {
      const plan = await planRowSamples({
        ...common,
        cache: req.useCache ? deps.cache : null,
        hub: req.hub,
        a: req.a,
        b: req.b,
        ...(req.budget ? { budget: req.budget } : {}),
      });
      return { ok: true, kind: 'plan', plan };
    }
    const samples = await fetchRowSamples(req.plan, {
      ...common,
      cache: req.useCache ? deps.cache : null,
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    });
    const evidence = compareRowSamples(samples.a.matrices, samples.b.matrices, { seed: req.plan.budget.seed });
    return {
      ok: true,
      kind: 'fetch',
      evidence,
      transfer: [samples.a.transfer, samples.b.transfer],
      warnings: [...req.plan.warnings, ...samples.warnings],
    };
  } catch (e) {
    return {
      ok: false,
      error: asHubError(e, req.kind === 'plan' ? req.a.repo : req.plan.models[0].repo, deps.signal).toInfo(),
    };
  }
}
