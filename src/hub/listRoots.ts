// The Hub's most downloaded root models, for a relatives search (docs/hub-protocol.md §1.12):
// `GET /api/models?filter=text-generation&sort=downloads&limit=N&expand[]=…`, read through the
// paged-list walker (modelListPages.ts). A root declares no parent, so it carries no `base_model:` tag; it must have
// weights (safetensors). The list gives `model_type` (the `config` digest) but not the width: that
// is read from each root's config.json, one resolve, cached by sha (readWidth below).
import { HubError } from './errors.ts';
import { createHttpContext } from './http.ts';
import { MAX_PAGE_SIZE, walkModelList } from './modelListPages.ts';
import { isRecord, stringItems } from '../core/json.ts';
import { listedModelId, listedSha, readJson } from './readJson.ts';
import { normalizeHubUrl, resolveFileUrl } from './repoUrls.ts';
import { isValidRepoId } from '../core/repoPaths.ts';
import type { ListCache } from './listChildren.ts';
import { hiddenSizeFromConfig } from '../core/norms.ts';

/** Pages of 500 read at most for one roots list (2,000 listed models). */
export const MAX_ROOT_PAGES = 4;
const EXPAND = ['sha', 'tags', 'downloads', 'config', 'safetensors', 'library_name', 'pipeline_tag'];

export interface RootListing {
  id: string;
  sha: string | null;
  downloads: number;
  /** from the list's `config` digest; null when absent */
  modelType: string | null;
}

export interface RootList {
  roots: RootListing[];
  /** models the list pages held (roots and derivatives) */
  listed: number;
  apiCalls: number;
  fromCache: boolean;
}

export interface ListRootsOptions {
  hub: string;
  /** roots wanted, most downloaded first */
  max: number;
  fetch?: typeof fetch;
  token?: string;
  signal?: AbortSignal;
  cache?: ListCache<RootList> | null;
  now?: () => number;
}

/** A list entry that is a root with weights, or null. */
export function rootOf(entry: unknown): RootListing | null {
  if (!isRecord(entry)) return null;
  const id = listedModelId(entry);
  if (!id || !isValidRepoId(id)) return null;
  const tags = stringItems(entry.tags);
  if (tags.some((t) => t.toLowerCase().startsWith('base_model:'))) return null;
  const hasWeights = isRecord(entry.safetensors) || tags.includes('safetensors');
  if (!hasWeights) return null;
  const sha = listedSha(entry);
  const config = isRecord(entry.config) ? entry.config : {};
  return {
    id,
    sha,
    downloads: typeof entry.downloads === 'number' ? entry.downloads : 0,
    modelType: typeof config.model_type === 'string' ? config.model_type : null,
  };
}

export async function listRootModels(opts: ListRootsOptions): Promise<RootList> {
  const hub = normalizeHubUrl(opts.hub);
  const max = Math.max(1, Math.floor(opts.max));
  const key = `${hub}\nroots\n${max}`;
  const now = (opts.now ?? Date.now)();
  const cached = opts.cache?.get(key, now);
  if (cached) return { ...cached, apiCalls: 0, fromCache: true };
  const ctx = createHttpContext(hub, opts);
  const params = new URLSearchParams({
    filter: 'text-generation',
    sort: 'downloads',
    limit: String(MAX_PAGE_SIZE),
  });
  for (const e of EXPAND) params.append('expand[]', e);
  const walk = await walkModelList({
    url: `${hub}/api/models?${params.toString()}`,
    ctx,
    what: 'text-generation models',
    errCtx: { repo: 'text-generation models' },
    max,
    maxPages: MAX_ROOT_PAGES,
    pick: rootOf,
  });
  const { listed, apiCalls } = walk;
  const roots = walk.items.slice(0, max);
  const result: RootList = { roots, listed, apiCalls, fromCache: false };
  opts.cache?.set(key, result, now);
  return result;
}

/** config.json widths by `hub\nrepo\nsha`: a commit's config never changes. */
export type WidthCache = Map<string, { width: number | null; modelType: string | null }>;

export interface ReadWidthOptions {
  hub: string;
  fetch?: typeof fetch;
  token?: string;
  signal?: AbortSignal;
  cache: WidthCache;
}

/** A model's hidden width from its config.json at a commit; `resolves` = 1 when read, 0 when cached. */
export async function readConfigWidth(
  repo: string,
  sha: string,
  opts: ReadWidthOptions,
): Promise<{ width: number | null; modelType: string | null; resolves: number }> {
  const hub = normalizeHubUrl(opts.hub);
  const key = `${hub}\n${repo.toLowerCase()}\n${sha}`;
  const hit = opts.cache.get(key);
  if (hit) return { ...hit, resolves: 0 };
  const ctx = createHttpContext(hub, opts);
  const config = await readJson(resolveFileUrl(hub, repo, sha, 'config.json'), ctx, {
    repo,
    revision: sha,
    file: 'config.json',
  });
  if (!isRecord(config)) throw new HubError('bad-response', `config.json of ${repo} is not an object.`);
  const value = {
    width: hiddenSizeFromConfig(config as never),
    modelType: typeof config.model_type === 'string' ? config.model_type : null,
  };
  opts.cache.set(key, value);
  return { ...value, resolves: 1 };
}
