import { describe, expect, it } from 'vitest';
import { createHttpContext, type HttpContext } from '../hub/http';
import { hubFileSource } from './hubFileSource';

const FILE = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);

/** A CDN-like server of FILE: 206 with Content-Range for every single range; logs the ranges asked. */
function server(opts: { ignoreRange?: boolean } = {}) {
  const ranges: string[] = [];
  const fetch = (async (_url: string, init?: RequestInit) => {
    const range = (init?.headers as Record<string, string>).Range!;
    ranges.push(range);
    if (opts.ignoreRange)
      return new Response(FILE.slice(), { status: 200, headers: { 'content-length': String(FILE.length) } });
    const [, a, b] = /bytes=(\d+)-(\d+)/.exec(range)!;
    const start = Number(a);
    const end = Math.min(Number(b), FILE.length - 1);
    return new Response(FILE.slice(start, end + 1), {
      status: 206,
      headers: { 'content-range': `bytes ${start}-${end}/${FILE.length}` },
    });
  }) as typeof globalThis.fetch;
  const ctx = createHttpContext('https://hub.test', { fetch });
  return { ranges, ctx };
}

const source = (ctx: HttpContext) =>
  hubFileSource({
    url: 'https://cdn.test/f.safetensors',
    path: 'f.safetensors',
    size: null,
    ctx,
    errCtx: { repo: 'o/r' },
    limit: (task) => task(),
  });

describe('hubFileSource', () => {
  it('answers reads inside the bytes it read from offset 0 without a request, remainder included', async () => {
    const s = server();
    const src = source(s.ctx);
    expect(await src.read(0, 1000)).toEqual(FILE.slice(0, 1000));
    expect(src.size()).toBe(5000);
    expect(await src.read(1000, 1500)).toEqual(FILE.slice(1000, 1500)); // the header's exact rest
    expect(src.prefix()).toEqual(FILE.slice(0, 1500));
    expect(await src.read(1200, 1400)).toEqual(FILE.slice(1200, 1400)); // a tensor that came along
    expect(s.ranges).toEqual(['bytes=0-999', 'bytes=1000-1499']);
    expect(await src.read(3000, 3100)).toEqual(FILE.slice(3000, 3100));
    expect(s.ranges).toHaveLength(3);
    expect(src.prefix()).toEqual(FILE.slice(0, 1500)); // a read elsewhere leaves the prefix alone
    expect(src.reads).toBe(3);
  });

  it('serves every read from a small file the server sent whole, and says so', async () => {
    const s = server({ ignoreRange: true });
    const src = source(s.ctx);
    expect(await src.read(0, 100)).toEqual(FILE.slice(0, 100));
    expect(src.cameWhole).toBe(true);
    expect(await src.read(4000, 4100)).toEqual(FILE.slice(4000, 4100));
    expect(s.ranges).toHaveLength(1);
  });
});
