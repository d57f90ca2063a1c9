// The network path of a safetensors repo, after the sha is known: every shard's header read
// directly through a byte source (the commit's file list names the shards), config.json beside
// them, then the norm tensors through the format catalogue, as GGUF and local files are read.
//
// The index only when it pays. model.safetensors.index.json maps names to shards; the headers say
// the same and more (dtype, shape, offsets), and the index costs about 0.8× the bytes of all the
// headers (their entries are longer: 1.21–1.25 header bytes per index byte on these repos) plus a
// round trip before any header. Reading it would save only the headers of shards without norms,
// so it pays only where those hold more than ~80% of the header bytes; no layout we know does
// (norms sit in every decoder layer's shard). So it is read only where the file list does not
// name a complete set of shards (a server that lists no files, irregular names); then only the
// shards that hold norms are read.
import { discoverNorms } from '../core/norms.ts';
import { SINGLE_FILE_FIRST_READ, firstHeaderReadSize, firstShardReadSize } from '../core/ranges.ts';
import { safetensorsCatalogueOf } from '../core/formats/safetensorsCatalogue.ts';
import type { SafetensorsHeader } from '../core/types.ts';
import { hubFileSource, type HubFileSource } from '../sources/hubFileSource.ts';
import { loadFromCatalogue } from '../sources/loadFromCatalogue.ts';
import { cacheKey, type CachedModel, type NormCache } from './cache.ts';
import { HubError } from './errors.ts';
import type { HttpContext } from './http.ts';
import type { Limiter } from './limit.ts';
import type { ProgressReporter } from './progress.ts';
import { pickWeightsFile, readConfig, readIndex, shardsNamedBy } from './readRepoMetadata.ts';
import { readHeaderOf } from './readShardHeader.ts';
import type { TensorBytes } from './readTensorBytes.ts';
import type { ResolvedRevision } from './resolveRevision.ts';
import { resolveFileUrl } from './repoUrls.ts';

export interface CollectNormsArgs {
  repo: string;
  revision: string;
  resolved: ResolvedRevision;
  /** file reads; carries the token only for gated or private repos */
  ctx: HttpContext;
  limit: Limiter;
  cache: NormCache | null;
  progress: ProgressReporter;
  warn: (message: string) => void;
}

export interface CollectedNorms {
  model: CachedModel;
  bytes: Map<string, TensorBytes>;
  /** headers read along the way, to be cached with the model */
  headers?: [string, SafetensorsHeader][];
}

interface ShardToRead {
  path: string;
  /** bytes of the first header read */
  firstRead: number;
}

interface WeightsPlan {
  shards: ShardToRead[];
  /** the index read to find the shards (null: the file list named them) */
  indexPath: string | null;
  indexTotalSize: number | null;
  /** how many shards the weights span (more than `shards` when the index let us skip some) */
  allShards: number;
}

const NO_SAFETENSORS = (repo: string) =>
  new HubError(
    'no-safetensors',
    `${repo} has no safetensors weights at this revision (only other formats such as .bin or .gguf).`,
  );

/** Which files to read and how much of each first: see the rule at the top of this file. */
async function planWeights(a: CollectNormsArgs, config: Promise<Record<string, unknown>>): Promise<WeightsPlan> {
  const { siblings, sizes, sha } = a.resolved;
  const layout = siblings
    ? pickWeightsFile(siblings)
    : { kind: 'index' as const, path: 'model.safetensors.index.json' };
  if (!layout) throw NO_SAFETENSORS(a.repo);
  const single = (path: string): WeightsPlan => ({
    shards: [{ path, firstRead: SINGLE_FILE_FIRST_READ }],
    indexPath: null,
    indexTotalSize: null,
    allShards: 1,
  });
  if (layout.kind === 'single') return single(layout.path);
  const named = siblings ? shardsNamedBy(layout.path, siblings) : null;
  if (named) {
    const firstRead = firstShardReadSize(sizes.get(layout.path) ?? null, named.length);
    return {
      shards: named.map((path) => ({ path, firstRead })),
      indexPath: null,
      indexTotalSize: null,
      allShards: named.length,
    };
  }
  let index: Awaited<ReturnType<typeof readIndex>>;
  try {
    index = await readIndex({ repo: a.repo, sha, revision: a.revision, ctx: a.ctx, cache: a.cache }, layout.path);
  } catch (e) {
    // a server that lists no files: fall back from the index to a single model.safetensors
    if (siblings || !(e instanceof HubError) || e.kind !== 'entry-not-found') throw e;
    return single('model.safetensors');
  }
  const found = discoverNorms(index.weightMap, await config);
  const namesIn = new Map<string, string[]>();
  for (const [name, file] of index.weightMap) namesIn.set(file, [...(namesIn.get(file) ?? []), name]);
  const files = [...new Set(found.tensors.map((t) => t.file))].sort();
  return {
    shards: files.map((path) => ({ path, firstRead: firstHeaderReadSize({ tensorNames: namesIn.get(path) ?? [] }) })),
    indexPath: layout.path,
    indexTotalSize: index.totalSize,
    allShards: namesIn.size,
  };
}

export async function collectSafetensorsNorms(a: CollectNormsArgs): Promise<CollectedNorms> {
  const { repo, revision, ctx } = a;
  const { sha } = a.resolved;
  const errCtx = { repo, revision };
  a.progress.update({ phase: 'metadata', sha });
  const config = readConfig({ repo, sha, revision, apiConfig: a.resolved.config, ctx, warn: a.warn });
  config.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const plan = await planWeights(a, config);
  let headersDone = 0;
  const total = plan.shards.length;
  // cached with the model, once it is built: a header's cache write must not take CPU from the norms' reads
  const toCache: [string, SafetensorsHeader][] = [];
  a.progress.update({ phase: 'headers', message: `0/${total} headers` });
  const sources: HubFileSource[] = plan.shards.map((s) =>
    hubFileSource({
      url: resolveFileUrl(ctx.hub, repo, sha, s.path),
      path: s.path,
      size: a.resolved.sizes.get(s.path) ?? null,
      ctx,
      errCtx,
      limit: a.limit,
    }),
  );
  const headers = await Promise.all(
    plan.shards.map(async (s, i): Promise<SafetensorsHeader> => {
      const source = sources[i]!;
      const key = cacheKey(ctx.hub, repo, sha, 'header', s.path);
      let header = a.cache ? await a.cache.getHeader(key) : undefined;
      if (!header) {
        header = await readHeaderOf(source, s.firstRead, repo);
        if (source.cameWhole)
          a.warn(`The server ignored range requests; ${s.path} is small enough that it was read whole.`);
        if (a.cache) toCache.push([key, header]);
      }
      headersDone++;
      a.progress.update({ phase: 'headers', message: `${headersDone}/${total} headers` });
      return header;
    }),
  );
  performance.mark('normscope:headers-in');
  const catalogue = safetensorsCatalogueOf(
    sources.map((s) => ({ file: s.path, size: s.size() })),
    headers,
    await config,
  );
  a.progress.update({ phase: 'tensors' });
  const { model, bytes } = await loadFromCatalogue({
    identity: { hub: ctx.hub, repo, revision, sha },
    catalogue,
    sources: new Map(sources.map((s) => [s.path, s])),
    needsToken: a.resolved.needsToken,
    onPlanned: (n) => a.progress.update({ phase: 'tensors', tensorsTotal: n }),
    onTensors: (n) => a.progress.addTensors(n),
  });
  model.declared = a.resolved.declared;
  model.indexPath = plan.indexPath;
  if (plan.shards.length < plan.allShards || model.totalModelBytes === null) {
    // shards without norms were not read: tensor bytes from the index plus the headers we did see
    model.totalModelBytes =
      plan.indexTotalSize === null ? null : plan.indexTotalSize + headers.reduce((s, h) => s + h.dataStart, 0);
  }
  return { model, bytes, headers: toCache };
}
