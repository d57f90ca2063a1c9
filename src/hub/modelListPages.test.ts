import { describe, expect, it } from 'vitest';
import { createHttpContext } from './http';
import { nextLink, walkModelList } from './modelListPages';

const HUB = 'https://hub.test';

/** Pages of ids; page i links to page i+1 on `linkHost` (default the hub). */
function pagedHub(pages: unknown[], linkHost = HUB) {
  const urls: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    urls.push(url);
    const page = Number(new URL(url).searchParams.get('cursor') ?? 0);
    const headers: Record<string, string> = {};
    if (page + 1 < pages.length) headers.Link = `<${linkHost}/api/models?cursor=${page + 1}>; rel="next"`;
    return new Response(JSON.stringify(pages[page]), { status: 200, headers });
  }) as typeof fetch;
  return { urls, ctx: createHttpContext(HUB, { fetch: fetchFn }) };
}

const pick = (e: unknown) => (typeof e === 'string' ? { id: e } : null);
const walk = (ctx: ReturnType<typeof pagedHub>['ctx'], max: number, maxPages = 10) =>
  walkModelList({ url: `${HUB}/api/models`, ctx, what: 'things', errCtx: { repo: 'things' }, max, maxPages, pick });

describe('walkModelList', () => {
  it('follows Link pages, skips unpicked entries and repeated ids (any case), and stops with enough', async () => {
    const { urls, ctx } = pagedHub([['a/x', 7, 'b/y'], ['A/X', 'c/z'], ['d/w']]);
    const all = await walk(ctx, 10);
    expect(all.items.map((i) => i.id)).toEqual(['a/x', 'b/y', 'c/z', 'd/w']);
    expect(all).toMatchObject({ listed: 6, apiCalls: 3, nextUrl: null });
    urls.length = 0;
    const two = await walk(ctx, 2);
    expect(two.items).toHaveLength(2);
    expect(two).toMatchObject({ apiCalls: 1, nextUrl: `${HUB}/api/models?cursor=1` });
    expect(urls).toHaveLength(1);
  });
  it('stops at the page cap and at a link that leaves the hub', async () => {
    const capped = await walk(pagedHub([['a/1'], ['a/2'], ['a/3']]).ctx, 10, 2);
    expect(capped).toMatchObject({ apiCalls: 2, nextUrl: `${HUB}/api/models?cursor=2` });
    const away = pagedHub([['a/1'], ['a/2']], 'https://elsewhere.test');
    expect(await walk(away.ctx, 10)).toMatchObject({ apiCalls: 1, nextUrl: null });
    expect(away.urls).toHaveLength(1);
  });
  it('names the list when a page is not a list', async () => {
    await expect(walk(pagedHub([{ error: 'x' }]).ctx, 5)).rejects.toMatchObject({
      kind: 'bad-response',
      message: "The Hub's list of things is not a list.",
    });
  });
  it('parses Link headers', () => {
    expect(nextLink('<https://h/api/models?cursor=x>; rel="next"')).toBe('https://h/api/models?cursor=x');
    expect(nextLink('<https://h/p>; rel="prev", <https://h/n>; rel=next')).toBe('https://h/n');
    expect(nextLink('<https://h/a>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});
