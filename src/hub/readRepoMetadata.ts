// Round trip 1 after the API call: config.json in parallel with either the safetensors index or,
// for a single-file model, that file's header (so a single file needs only one more round trip).
import { cacheKey, type NormCache } from './cache.ts';
import { parseSafetensorsIndex, SafetensorsIndexError } from '../core/formats/safetensorsIndex.ts';
import { HubError, type ErrorContext } from './errors.ts';
import type { HttpContext } from './http.ts';
import type { ShardHeader } from './readShardHeader.ts';
import { isRecord } from '../core/json.ts';
import { readJson } from './readJson.ts';
import { resolveFileUrl } from './repoUrls.ts';

export type WeightsLayout = { kind: 'index'; path: string } | { kind: 'single'; path: string };

const INDEX_PREFERENCE = ['model.safetensors.index.json'];
const SINGLE_PREFERENCE = ['model.safetensors'];

/** Choose the weights from the commit's file list: the HF index, else one file, else any root safetensors. */
export function pickWeightsFile(siblings: readonly string[]): WeightsLayout | null {
  const root = siblings.filter((s) => !s.includes('/'));
  const index =
    INDEX_PREFERENCE.find((p) => root.includes(p)) ?? root.find((s) => s.endsWith('.safetensors.index.json'));
  if (index) return { kind: 'index', path: index };
  const singles = root.filter((s) => s.endsWith('.safetensors'));
  const single = SINGLE_PREFERENCE.find((p) => singles.includes(p)) ?? (singles.length === 1 ? singles[0] : undefined);
  return single ? { kind: 'single', path: single } : null;
}

export interface RepoMetadata {
  config: Record<string, unknown>;
  layout: WeightsLayout;
  /** tensor name → shard path (sharded models) */
  weightMap: Map<string, string> | null;
  /** index metadata.total_size: tensor bytes of all shards */
  indexTotalSize: number | null;
  /** the header of a single-file model, read in this same round trip */
  singleHeader: ShardHeader | null;
}

export interface ReadRepoMetadataArgs {
  repo: string;
  sha: string;
  revision: string;
  siblings: readonly string[] | null;
  apiConfig: Record<string, unknown>;
  ctx: HttpContext;
  readHeader: (file: string) => Promise<ShardHeader>;
  warn: (message: string) => void;
  /** the index is read at most once per commit: later loads and features take it from here */
  cache?: NormCache | null;
}

/** Cache key of a commit's parsed safetensors index. */
export function indexCacheKey(hub: string, repo: string, sha: string, path: string): string {
  return cacheKey(hub, repo, sha, 'index', path);
}

function parseIndex(
  json: unknown,
  indexPath: string,
  errCtx: ErrorContext,
): { weightMap: Map<string, string>; totalSize: number | null } {
  try {
    return parseSafetensorsIndex(json, indexPath);
  } catch (e) {
    if (!(e instanceof SafetensorsIndexError)) throw e;
    throw new HubError('bad-header', `${errCtx.repo}: ${e.message}`, {
      ...(errCtx.url ? { url: errCtx.url } : {}),
      file: indexPath,
      cause: e,
    });
  }
}

/**
 * The shards of a sharded checkpoint named by the commit's file list: `X-00001-of-0000M.safetensors`
 * … `X-0000M-of-0000M.safetensors` beside `X.safetensors.index.json`, all M of them. Null when the
 * list does not name a complete set (then only the index can say which files hold the weights).
 */
export function shardsNamedBy(indexPath: string, siblings: readonly string[]): string[] | null {
  const base = indexPath.replace(/\.safetensors\.index\.json$/, '');
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}-(\\d+)-of-(\\d+)\\.safetensors$`);
  const found = siblings.flatMap((s) => {
    const m = pattern.exec(s);
    return m ? [{ path: s, n: Number(m[1]), of: Number(m[2]) }] : [];
  });
  const of = found[0]?.of ?? 0;
  if (of === 0 || found.some((f) => f.of !== of) || found.length !== of) return null;
  const numbers = new Set(found.map((f) => f.n));
  for (let i = 1; i <= of; i++) if (!numbers.has(i)) return null;
  return found.sort((x, y) => x.n - y.n).map((f) => f.path);
}

export type ConfigArgs = Pick<ReadRepoMetadataArgs, 'repo' | 'sha' | 'revision' | 'apiConfig' | 'ctx' | 'warn'>;

/** config.json at the commit, or the API's summary of it when the repo has none. */
export async function readConfig(a: ConfigArgs): Promise<Record<string, unknown>> {
  const errCtx = { repo: a.repo, revision: a.revision, file: 'config.json' };
  try {
    const json = await readJson(resolveFileUrl(a.ctx.hub, a.repo, a.sha, 'config.json'), a.ctx, errCtx);
    if (!isRecord(json)) throw new HubError('bad-response', `config.json in ${a.repo} is not a JSON object.`);
    return json;
  } catch (e) {
    if (!(e instanceof HubError) || e.kind !== 'entry-not-found') throw e;
    a.warn(`${a.repo} has no config.json; using the Hub's summary of it (layer count and hidden size may be unknown).`);
    return a.apiConfig;
  }
}

export type IndexArgs = Pick<ReadRepoMetadataArgs, 'repo' | 'sha' | 'revision' | 'ctx' | 'cache'>;

/** The safetensors index (tensor → shard), from the cache when this commit's was read before. */
export async function readIndex(
  a: IndexArgs,
  path: string,
): Promise<{ weightMap: Map<string, string>; totalSize: number | null }> {
  const key = indexCacheKey(a.ctx.hub, a.repo, a.sha, path);
  const cached = a.cache ? await a.cache.getIndex(key) : undefined;
  if (cached) return { weightMap: new Map(cached.weightMap), totalSize: cached.totalSize };
  const url = resolveFileUrl(a.ctx.hub, a.repo, a.sha, path);
  const errCtx = { repo: a.repo, revision: a.revision, file: path, url };
  const { weightMap, totalSize } = parseIndex(await readJson(url, a.ctx, errCtx), path, errCtx);
  await a.cache?.putIndex(key, { weightMap: [...weightMap], totalSize });
  return { weightMap, totalSize };
}

async function readWeights(a: ReadRepoMetadataArgs, layout: WeightsLayout): Promise<Omit<RepoMetadata, 'config'>> {
  if (layout.kind === 'single') {
    return { layout, weightMap: null, indexTotalSize: null, singleHeader: await a.readHeader(layout.path) };
  }
  const { weightMap, totalSize } = await readIndex(a, layout.path);
  return { layout, weightMap, indexTotalSize: totalSize, singleHeader: null };
}

export async function readRepoMetadata(a: ReadRepoMetadataArgs): Promise<RepoMetadata> {
  const layout = a.siblings
    ? pickWeightsFile(a.siblings)
    : { kind: 'index' as const, path: INDEX_PREFERENCE[0] as string };
  if (!layout) {
    throw new HubError(
      'no-safetensors',
      `${a.repo} has no safetensors weights at this revision (only other formats such as .bin or .gguf).`,
    );
  }
  const weights = readWeights(a, layout).catch((e: unknown) => {
    // a server that lists no files: fall back from the index to a single model.safetensors
    if (a.siblings || !(e instanceof HubError) || e.kind !== 'entry-not-found') throw e;
    return readWeights(a, { kind: 'single', path: SINGLE_PREFERENCE[0] as string });
  });
  const [config, rest] = await Promise.all([readConfig(a), weights]);
  return { config, ...rest };
}
