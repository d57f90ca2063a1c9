// The one walker over the Hub's paged model lists (`GET /api/models?…`), page by page through
// `Link: <…>; rel="next"` (docs/hub-protocol.md §1.10); the children list and the roots list use it.
// Each page is one call against the Hub's `api` bucket, so the walk stops as soon as the caller has
// enough, after a page cap whatever the Hub says, and at a link that leaves the hub.
import { HubError, type ErrorContext } from './errors.ts';
import { discardBody, fetchWithRetry, type HttpContext } from './http.ts';

/** huggingface.js asks for at most 500 models a page. */
export const MAX_PAGE_SIZE = 500;

/** The URL of rel="next" in a Link header, or null. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return m[1]!;
  }
  return null;
}

export interface ModelListWalk<T extends { id: string }> {
  /** the first page, on `ctx.hub` */
  url: string;
  ctx: HttpContext;
  /** names the list in messages: "children of org/base" */
  what: string;
  errCtx: ErrorContext;
  /** stop once this many items are held */
  max: number;
  maxPages: number;
  /** a listed entry as the caller's item, or null to skip it */
  pick: (entry: unknown) => T | null;
}

export interface ModelListPages<T> {
  /** picked items in list order, each id once (case-insensitive); may exceed `max` by a page's worth */
  items: T[];
  /** entries the pages held, picked or not */
  listed: number;
  apiCalls: number;
  /** the next page when the walk stopped early, else null */
  nextUrl: string | null;
}

export async function walkModelList<T extends { id: string }>(w: ModelListWalk<T>): Promise<ModelListPages<T>> {
  const hub = w.ctx.hub;
  let url: string | null = w.url;
  const items: T[] = [];
  const seen = new Set<string>();
  let apiCalls = 0,
    listed = 0;
  while (url && items.length < w.max && apiCalls < w.maxPages) {
    const res: Response = await fetchWithRetry(url, {}, w.ctx, w.errCtx);
    apiCalls++;
    const body = await readListPage(res, url, w.what);
    listed += body.length;
    for (const entry of body) {
      const item = w.pick(entry);
      if (item && !seen.has(item.id.toLowerCase())) {
        seen.add(item.id.toLowerCase());
        items.push(item);
      }
    }
    const next = nextLink(res.headers.get('Link'));
    // follow only links back to the same hub (the token must not travel elsewhere)
    url = next && next.startsWith(`${hub}/`) ? next : null;
  }
  return { items, listed, apiCalls, nextUrl: url };
}

async function readListPage(res: Response, url: string, what: string): Promise<unknown[]> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    await discardBody(res);
    throw new HubError('bad-response', `The Hub's list of ${what} is not valid JSON.`, { url });
  }
  if (!Array.isArray(body)) throw new HubError('bad-response', `The Hub's list of ${what} is not a list.`, { url });
  return body;
}
