// Repo-id autocomplete through the Hub's search API (`/api/models?search=`), on an injected fetch.
import type { ModelHit } from '../compute/protocol';
import { listedModelId } from './readJson';
import { normalizeHubUrl } from './repoUrls';

export const SEARCH_LIMIT = 10;

export type { ModelHit } from '../compute/protocol';

/**
 * Best-effort: a hub without the search route (a static host, a mirror) simply yields no hits,
 * so autocomplete never gets in the way of typing an id by hand.
 */
export async function searchModels(
  hub: string,
  query: string,
  fetchFn: typeof fetch = fetch,
  signal?: AbortSignal,
): Promise<ModelHit[]> {
  const q = query.trim();
  if (q.length < 2) return [];
  const url = `${normalizeHubUrl(hub)}/api/models?search=${encodeURIComponent(q)}&limit=${SEARCH_LIMIT}&sort=downloads&direction=-1`;
  try {
    const res = await fetchFn(url, {
      referrerPolicy: 'no-referrer',
      credentials: 'omit',
      ...(signal ? { signal } : {}),
    });
    if (!res.ok) return [];
    const body: unknown = await res.json();
    if (!Array.isArray(body)) return [];
    return body.flatMap((m: unknown) => {
      const rec = m as { id?: unknown; modelId?: unknown; downloads?: unknown };
      const id = listedModelId(rec);
      return id ? [{ id, ...(typeof rec.downloads === 'number' ? { downloads: rec.downloads } : {}) }] : [];
    });
  } catch {
    return [];
  }
}
