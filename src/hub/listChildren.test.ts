import { describe, expect, it } from 'vitest';
import { createListCache, listChildren } from './listChildren';

const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const HUB = 'https://hub.test';

function fakeHub(pages: unknown[][]) {
  const urls: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    urls.push(url);
    const page = Number(new URL(url).searchParams.get('cursor') ?? 0);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (page + 1 < pages.length) headers.Link = `<${HUB}/api/models?filter=x&cursor=${page + 1}>; rel="next"`;
    return new Response(JSON.stringify(pages[page]), { status: 200, headers });
  }) as typeof fetch;
  return { urls, fetchFn };
}

describe('listChildren', () => {
  const pages = [
    [
      { id: 'a/ft', sha: sha(1), downloads: 90, tags: ['base_model:org/base', 'base_model:finetune:org/base'] },
      { id: 'a/q-GGUF', downloads: 50, tags: ['gguf', 'base_model:quantized:org/base'], library_name: 'gguf' },
    ],
    [
      { id: 'b/merge', downloads: 10, cardData: { base_model: ['org/base', 'x/y'] }, tags: [] },
      { id: 'org/base' },
      'junk',
    ],
  ];
  it('follows Link page by page, asks for downloads order, and reads each relation', async () => {
    const { urls, fetchFn } = fakeHub(pages);
    const list = await listChildren('org/base', { hub: HUB, fetch: fetchFn, max: 20, pageSize: 2 });
    expect(list.children.map((c) => [c.id, c.relation, c.gguf])).toEqual([
      ['a/ft', 'finetune', false],
      ['a/q-GGUF', 'quantized', true],
      ['b/merge', 'merge', false],
    ]);
    expect(list.children[0]!.sha).toBe(sha(1));
    expect(list.apiCalls).toBe(2);
    const first = new URL(urls[0]!);
    expect(first.searchParams.get('filter')).toBe('base_model:org/base');
    expect(first.searchParams.get('sort')).toBe('downloads');
    expect(first.searchParams.getAll('expand')).toContain('cardData');
  });
  it('stops when it has enough, and a second ask within five minutes costs nothing', async () => {
    const { urls, fetchFn } = fakeHub(pages);
    const cache = createListCache();
    let t = 0;
    const list = await listChildren('org/base', { hub: HUB, fetch: fetchFn, max: 2, cache, now: () => t });
    expect(list.children).toHaveLength(2);
    expect(list.more).toBe(true);
    expect(urls).toHaveLength(1);
    const again = await listChildren('org/base', { hub: HUB, fetch: fetchFn, max: 2, cache, now: () => t });
    expect(again).toMatchObject({ apiCalls: 0, fromCache: true });
    t = 6 * 60 * 1000;
    expect((await listChildren('org/base', { hub: HUB, fetch: fetchFn, max: 2, cache, now: () => t })).apiCalls).toBe(
      1,
    );
  });
});
