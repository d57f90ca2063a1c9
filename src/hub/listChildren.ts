// A model's declared children: `GET /api/models?filter=base_model:ORG/NAME` (every relation),
// sorted by downloads, read through the paged-list walker (docs/hub-protocol.md §1.10). Each page is
// one call against the Hub's `api` bucket (500 per 5 minutes anonymous), so answers are kept briefly
// in memory and the walk stops as soon as it has enough children.
import { HubError } from './errors.ts';
import { createHttpContext } from './http.ts';
import { MAX_PAGE_SIZE, walkModelList } from './modelListPages.ts';
import { isRecord, stringItems } from '../core/json.ts';
import { listedModelId, listedSha } from './readJson.ts';
import { normalizeHubUrl } from './repoUrls.ts';
import { isValidRepoId } from '../core/repoPaths.ts';
import { parseDeclaredLineage, type LineageRelation } from '../core/lineage/declared.ts';

export { API_BUCKET } from '../core/lineage/scan.ts';
/** A list answer is reused this long: long enough for a re-run, short enough to see new children. */
export const LIST_CACHE_MS = 5 * 60 * 1000;
/** Pages followed at most, whatever the Hub says: a runaway Link chain must not drain the bucket. */
export const MAX_PAGES = 20;
const EXPAND = ['sha', 'tags', 'cardData', 'downloads', 'gated', 'private', 'library_name', 'createdAt'];

export interface ChildListing {
  id: string;
  /** the commit the list saw: loading at it skips the model-info call when the cache knows it */
  sha: string | null;
  /** the relation the child declares to this base; null when unstated */
  relation: LineageRelation | null;
  downloads: number;
  gated: boolean;
  gguf: boolean;
  createdAt: string | null;
}

export interface ChildList {
  base: string;
  children: ChildListing[];
  /** true when the Hub has more children than were read */
  more: boolean;
  /** api-bucket calls this answer cost (0 when it came from the memory cache) */
  apiCalls: number;
  fromCache: boolean;
}

export interface ListChildrenOptions {
  hub: string;
  fetch?: typeof fetch;
  token?: string;
  signal?: AbortSignal;
  /** how many children are wanted (the most downloaded first) */
  max: number;
  /** page size asked of the Hub (default min(max, MAX_PAGE_SIZE)) */
  pageSize?: number;
  cache?: ListCache | null;
  now?: () => number;
}

export interface ListCache<T = ChildList> {
  get(key: string, now: number): T | undefined;
  set(key: string, value: T, now: number): void;
}

export function createListCache<T = ChildList>(ttlMs = LIST_CACHE_MS): ListCache<T> {
  const entries = new Map<string, { at: number; value: T }>();
  return {
    get(key, now) {
      const e = entries.get(key);
      if (!e) return undefined;
      if (now - e.at > ttlMs) {
        entries.delete(key);
        return undefined;
      }
      return e.value;
    },
    set(key, value, now) {
      entries.set(key, { at: now, value });
    },
  };
}

function childOf(entry: unknown, base: string): ChildListing | null {
  if (!isRecord(entry)) return null;
  const id = listedModelId(entry);
  if (!id || !isValidRepoId(id) || id.toLowerCase() === base.toLowerCase()) return null;
  const tags = stringItems(entry.tags);
  // the relation to this base: its own tag, else the card's
  const tagged = tags.find(
    (t) =>
      t.toLowerCase().startsWith('base_model:') &&
      t.toLowerCase().endsWith(`:${base.toLowerCase()}`) &&
      t.split(':').length === 3,
  );
  const declared = parseDeclaredLineage(entry.cardData, tagged ? [tagged] : tags, id);
  const sha = listedSha(entry);
  return {
    id,
    sha,
    relation: declared?.relation ?? null,
    downloads: typeof entry.downloads === 'number' ? entry.downloads : 0,
    gated: entry.gated === 'auto' || entry.gated === 'manual' || entry.gated === true,
    gguf: tags.includes('gguf') || entry.library_name === 'gguf',
    createdAt: typeof entry.createdAt === 'string' ? entry.createdAt : null,
  };
}

export async function listChildren(base: string, opts: ListChildrenOptions): Promise<ChildList> {
  if (!isValidRepoId(base))
    throw new HubError('invalid-repo-id', `"${base}" is not a valid model id; expected "org/name".`);
  const hub = normalizeHubUrl(opts.hub);
  const max = Math.max(1, Math.floor(opts.max));
  const key = `${hub}\n${base.toLowerCase()}\n${max}`;
  const now = (opts.now ?? Date.now)();
  const cached = opts.cache?.get(key, now);
  if (cached) return { ...cached, apiCalls: 0, fromCache: true };
  const ctx = createHttpContext(hub, opts);
  const pageSize = Math.min(MAX_PAGE_SIZE, opts.pageSize ?? max);
  const params = new URLSearchParams({
    filter: `base_model:${base}`,
    sort: 'downloads',
    direction: '-1',
    limit: String(pageSize),
  });
  for (const e of EXPAND) params.append('expand', e);
  const {
    items: children,
    apiCalls,
    nextUrl,
  } = await walkModelList({
    url: `${hub}/api/models?${params.toString()}`,
    ctx,
    what: `children of ${base}`,
    errCtx: { repo: base },
    max,
    maxPages: MAX_PAGES,
    pick: (entry) => childOf(entry, base),
  });
  const result: ChildList = {
    base,
    children: children.slice(0, max),
    more: children.length > max || nextUrl !== null,
    apiCalls,
    fromCache: false,
  };
  opts.cache?.set(key, result, now);
  return result;
}
