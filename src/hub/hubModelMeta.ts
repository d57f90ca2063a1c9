// A Hub model's metadata and tensor locations for the deep check (issue 14): the API revision call,
// config.json and the index (from the cache when a load already read them), then the headers of only
// the shards that hold the wanted tensors. Moved here from the row evidence (hub/loadRowSamples.ts),
// which the deep check superseded.
import { numLayersFromConfig } from '../core/norms.ts';
import { firstHeaderReadSize, SINGLE_FILE_FIRST_READ } from '../core/ranges.ts';
import type { LocatedTensor } from '../core/rowSampling.ts';
import type { RowModelRef } from '../compute/protocol.ts';
import { cacheKey, type NormCache } from './cache.ts';
import { HubError, toHubError } from './errors.ts';
import { TransferCounter, type HttpContext, type RetryOptions } from './http.ts';
import type { createLimiter } from './limit.ts';
import { indexCacheKey, readRepoMetadata } from './readRepoMetadata.ts';
import { readShardHeader, type ShardHeader } from './readShardHeader.ts';
import { resolveRevision } from './resolveRevision.ts';
import { isCommitSha, resolveFileUrl } from './repoUrls.ts';
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
  /** tokenizer.json's size as the revision's file list gives it; null when unknown (then said, never probed) */
  tokenizerBytes: number | null;
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
  const base = {
    ref,
    needsToken: model.needsToken,
    numLayers: numLayersFromConfig(model.config),
    counter,
    fileCtx,
    tokenizerBytes: model.tokenizerBytes ?? null,
  };
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
    tokenizerBytes: resolved.sizes.get('tokenizer.json') ?? null,
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
  const byFile = new Map<string, string[]>();
  for (const [name, file] of m.names) (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(name);
  const namesIn = (file: string) => byFile.get(file) ?? [];
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
