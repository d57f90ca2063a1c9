// The network path of a load, after the sha is known: metadata (1 round trip), then per shard a
// header read followed by its tensor reads (2 more), shards running side by side under one limiter.
import { discoverNorms, modelTypeFromConfig } from '../core/norms.ts';
import { SINGLE_FILE_FIRST_READ, planHeaderReads } from '../core/ranges.ts';
import type { NormTensorRef } from '../core/types.ts';
import { CACHE_FORMAT_VERSION, cacheKey, type CachedModel, type CachedNormTensor, type NormCache } from './cache.ts';
import { HubError } from './errors.ts';
import type { HttpContext } from './http.ts';
import type { Limiter } from './limit.ts';
import type { ProgressReporter } from './progress.ts';
import { readRepoMetadata } from './readRepoMetadata.ts';
import { readShardHeader, type ShardHeader } from './readShardHeader.ts';
import { readTensorBytes, type TensorBytes } from './readTensorBytes.ts';
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
}

interface ShardResult {
  file: string;
  headerLength: number;
  total: number | null;
  tensors: CachedNormTensor[];
  bytes: Map<string, TensorBytes>;
}

export async function collectNorms(a: CollectNormsArgs): Promise<CollectedNorms> {
  const { repo, revision, ctx } = a;
  const { sha } = a.resolved;
  const errCtx = { repo, revision };
  const urlOf = (file: string) => resolveFileUrl(ctx.hub, repo, sha, file);

  async function getHeader(file: string, firstReadEnd: number): Promise<ShardHeader> {
    const key = cacheKey(ctx.hub, repo, sha, 'header', file);
    const cached = a.cache ? await a.cache.getHeader(key) : undefined;
    if (cached) return { file, header: cached, prefix: null, cameWhole: false };
    const sh = await a.limit(() => readShardHeader(urlOf(file), file, firstReadEnd, ctx, errCtx));
    if (sh.cameWhole) a.warn(`The server ignored range requests; ${file} is small enough that it was read whole.`);
    await a.cache?.putHeader(key, sh.header);
    return sh;
  }

  a.progress.update({ phase: 'metadata', sha });
  const meta = await readRepoMetadata({
    repo,
    sha,
    revision,
    siblings: a.resolved.siblings,
    apiConfig: a.resolved.config,
    ctx,
    warn: a.warn,
    cache: a.cache,
    readHeader: (file) => getHeader(file, SINGLE_FILE_FIRST_READ),
  });
  const names =
    meta.weightMap ?? new Map((meta.singleHeader?.header.tensors ?? []).map((t) => [t.name, meta.layout.path]));
  const found = discoverNorms(names, meta.config);
  if (found.tensors.length === 0) {
    const type = modelTypeFromConfig(meta.config) || 'unknown';
    throw new HubError(
      'no-norms',
      `${repo}: ${found.unknownMessage ?? `no per-layer norm weights found (model_type "${type}").`}`,
    );
  }

  const byFile = new Map<string, NormTensorRef[]>();
  for (const t of found.tensors) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  const namesByFile = new Map<string, string[]>();
  for (const [name, file] of names)
    if (byFile.has(file)) namesByFile.set(file, [...(namesByFile.get(file) ?? []), name]);
  const plans = planHeaderReads([...byFile.keys()].map((file) => ({ file, tensorNames: namesByFile.get(file) ?? [] })));
  let headersDone = 0;
  a.progress.update({ phase: 'headers', tensorsTotal: found.tensors.length, message: `0/${plans.length} headers` });

  const shards = await Promise.all(
    plans.map(async (plan): Promise<ShardResult> => {
      const sh = meta.singleHeader?.file === plan.file ? meta.singleHeader : await getHeader(plan.file, plan.end);
      headersDone++;
      const allRead = headersDone === plans.length;
      a.progress.update({ phase: allRead ? 'tensors' : 'headers', message: `${headersDone}/${plans.length} headers` });
      const entries = new Map(sh.header.tensors.map((t) => [t.name, t]));
      const tensors = (byFile.get(plan.file) ?? []).map((ref): CachedNormTensor => {
        const e = entries.get(ref.name);
        if (!e)
          throw new HubError(
            'bad-header',
            `${plan.file} in ${repo} does not contain ${ref.name}, although the index places it there.`,
            { file: plan.file },
          );
        return { ...ref, dtype: e.dtype, shape: e.shape, start: e.start, end: e.end };
      });
      const bytes = await readTensorBytes({
        url: urlOf(plan.file),
        file: plan.file,
        tensors,
        prefix: sh.prefix,
        ctx,
        errCtx,
        limit: a.limit,
        cache: a.cache,
        keyOf: (t) => cacheKey(ctx.hub, repo, sha, 'tensor', t.file, t.name),
        warn: a.warn,
        onTensors: (n) => a.progress.addTensors(n),
      });
      return { file: plan.file, headerLength: sh.header.headerLength, total: sh.header.fileSize, tensors, bytes };
    }),
  );

  const allFiles = new Set(names.values());
  const readTotals = shards.map((s) => s.total);
  let totalModelBytes: number | null = null;
  if (shards.length === allFiles.size && readTotals.every((t) => t !== null)) {
    totalModelBytes = readTotals.reduce<number>((s, t) => s + (t ?? 0), 0);
  } else if (meta.indexTotalSize !== null) {
    // unread shards: tensor bytes from the index plus the headers we did see (close, slightly low)
    totalModelBytes = meta.indexTotalSize + shards.reduce((s, x) => s + 8 + x.headerLength, 0);
  }
  const model: CachedModel = {
    version: CACHE_FORMAT_VERSION,
    sha,
    needsToken: a.resolved.needsToken,
    declared: a.resolved.declared,
    config: meta.config,
    normFamily: found.family,
    zeroCentred: found.zeroCentred,
    layers: found.layers,
    extraLayers: found.extraLayers,
    labels: [...found.labels],
    tensors: shards.flatMap((s) => s.tensors).sort((x, y) => x.layer - y.layer || x.role.localeCompare(y.role)),
    indexPath: meta.layout.kind === 'index' ? meta.layout.path : null,
    shards: shards.map(({ file, headerLength, total }) => ({ file, headerLength, total })),
    totalModelBytes,
    warnings: found.warnings,
  };
  return { model, bytes: new Map(shards.flatMap((s) => [...s.bytes])) };
}
