import { describe, expect, it } from 'vitest';
import { HubError } from './errors.ts';
import {
  CdnUrlMemory,
  TransferCounter,
  createHttpContext,
  fetchWithRetry,
  parseContentRange,
  readRange,
  signedUrlExpiry,
  type HttpContext,
  type HttpContextOptions,
} from './http.ts';
import { OriginHealth } from './retryPolicy.ts';

const HUB = 'https://hub.test';
const FILE_URL = `${HUB}/org/m/resolve/${'a'.repeat(40)}/model.safetensors`;
const errCtx = { repo: 'org/m', file: 'model.safetensors' };

type Step = Response | Error | ((init: RequestInit) => Response);
interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that plays a script of answers and records what it was asked. */
function scripted(steps: Step[]) {
  const calls: Call[] = [];
  const fetchFn = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    calls.push({ url: String(input), init });
    const step = steps.shift();
    if (!step) throw new Error('script exhausted');
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step(init) : step;
  };
  return { fetch: fetchFn as typeof fetch, calls };
}

const fastRetry = { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 };

function ctxWith(f: typeof fetch, extra: HttpContextOptions = {}): HttpContext {
  return createHttpContext(HUB, { fetch: f, retry: fastRetry, ...extra });
}

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const partial = (start: number, end: number, total: number, body = bytes(end - start, start)) =>
  new Response(body, { status: 206, headers: { 'content-range': `bytes ${start}-${end - 1}/${total}` } });
const headerOf = (init: RequestInit, name: string) => new Headers(init.headers).get(name);

describe('createHttpContext', () => {
  it('calls the given fetch unbound, sets only the options given, and shares a counter when asked', async () => {
    const seen: unknown[] = [];
    const f = function (this: unknown, input: RequestInfo | URL) {
      seen.push(this, String(input));
      return Promise.resolve(new Response('ok'));
    } as typeof fetch;
    const counter = new TransferCounter();
    const ctx = createHttpContext(HUB, { fetch: f, counter, token: undefined, retry: fastRetry });
    await ctx.fetch(`${HUB}/x`);
    expect(seen).toEqual([undefined, `${HUB}/x`]);
    expect(ctx.counter).toBe(counter);
    expect(Object.keys(ctx).sort()).toEqual(['counter', 'fetch', 'hub', 'retry']);
    const own = createHttpContext(HUB, { token: 'hf_x' });
    expect(own.token).toBe('hf_x');
    expect(own.counter).not.toBe(counter);
  });
});

describe('fetchWithRetry', () => {
  it('retries 429 and 5xx, then succeeds', async () => {
    const s = scripted([new Response('', { status: 429 }), new Response('', { status: 503 }), new Response('ok')]);
    const ctx = ctxWith(s.fetch);
    const res = await fetchWithRetry(FILE_URL, {}, ctx, errCtx);
    expect(await res.text()).toBe('ok');
    expect(ctx.counter.requests).toBe(3);
  });

  it('retries network errors and gives up after maxAttempts with the last error', async () => {
    const s = scripted([
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
      new Response('', { status: 502 }),
    ]);
    await expect(
      fetchWithRetry(
        FILE_URL,
        {},
        ctxWith(s.fetch, { retry: { maxAttempts: 3, baseDelayMs: 1, random: () => 0 } }),
        errCtx,
      ),
    ).rejects.toMatchObject({
      kind: 'server-error',
      status: 502,
    });
    expect(s.calls).toHaveLength(3);
  });

  it('does not retry definite answers', async () => {
    const s = scripted([new Response('', { status: 404, headers: { 'x-error-code': 'RepoNotFound' } })]);
    await expect(fetchWithRetry(FILE_URL, {}, ctxWith(s.fetch), errCtx)).rejects.toMatchObject({
      kind: 'repo-not-found',
    });
    expect(s.calls).toHaveLength(1);
  });

  it('honours a readable Retry-After, and refuses to wait for a very long one', async () => {
    const s = scripted([new Response('', { status: 429, headers: { 'retry-after': '0' } }), new Response('ok')]);
    await expect(fetchWithRetry(FILE_URL, {}, ctxWith(s.fetch), errCtx)).resolves.toBeInstanceOf(Response);
    const long = scripted([new Response('', { status: 429, headers: { 'retry-after': '600' } })]);
    await expect(fetchWithRetry(FILE_URL, {}, ctxWith(long.fetch), errCtx)).rejects.toMatchObject({
      kind: 'rate-limited',
      retryAfterSeconds: 600,
    });
    expect(long.calls).toHaveLength(1);
  });

  it('is cancelled by the signal, also while backing off', async () => {
    const ac = new AbortController();
    const s = scripted([new Response('', { status: 503 })]);
    const p = fetchWithRetry(
      FILE_URL,
      {},
      ctxWith(s.fetch, { signal: ac.signal, retry: { baseDelayMs: 10_000, maxDelayMs: 10_000 } }),
      errCtx,
    );
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('sends the token only to the hub, never to other origins, and asks for no cookies, referrer or HTTP cache', async () => {
    const s = scripted([new Response('a'), new Response('b')]);
    const ctx = ctxWith(s.fetch, { token: 'hf_secret' });
    await fetchWithRetry(FILE_URL, {}, ctx, errCtx);
    await fetchWithRetry('https://cdn.test/x', {}, ctx, errCtx);
    expect(headerOf(s.calls[0]!.init, 'authorization')).toBe('Bearer hf_secret');
    expect(headerOf(s.calls[1]!.init, 'authorization')).toBeNull();
    expect(s.calls[0]!.init).toMatchObject({
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
      method: 'GET',
    });
  });

  it('keeps the token out of error messages', async () => {
    const s = scripted([
      new Response('', { status: 401, headers: { 'x-error-message': 'Invalid credentials in Authorization header' } }),
    ]);
    const err = await fetchWithRetry(FILE_URL, {}, ctxWith(s.fetch, { token: 'hf_secret' }), errCtx).catch(
      (e: unknown) => e as HubError,
    );
    expect(err).toMatchObject({ kind: 'unauthorized' });
    expect(JSON.stringify((err as HubError).toInfo())).not.toContain('hf_secret');
  });
});

describe('readRange', () => {
  it('sends one simple Range header and returns the exact bytes and the file size', async () => {
    const s = scripted([partial(100, 164, 5000)]);
    const ctx = ctxWith(s.fetch);
    const r = await readRange(FILE_URL, 100, 164, ctx, errCtx);
    expect(headerOf(s.calls[0]!.init, 'range')).toBe('bytes=100-163');
    expect(r.bytes).toEqual(bytes(64, 100));
    expect(r.total).toBe(5000);
    expect(ctx.counter.bytes).toBe(64);
  });

  it('rejects a 206 whose Content-Range does not match the request', async () => {
    const s = scripted([partial(0, 64, 5000)]);
    await expect(readRange(FILE_URL, 100, 164, ctxWith(s.fetch), errCtx)).rejects.toMatchObject({
      kind: 'bad-response',
    });
    const none = scripted([new Response(bytes(64), { status: 206 })]);
    await expect(readRange(FILE_URL, 0, 64, ctxWith(none.fetch), errCtx)).rejects.toMatchObject({
      kind: 'bad-response',
    });
  });

  it('accepts a range clipped by the end of the file only when allowed', async () => {
    const s = scripted([partial(0, 300, 300), partial(0, 300, 300)]);
    await expect(readRange(FILE_URL, 0, 65536, ctxWith(s.fetch), errCtx, { allowClip: true })).resolves.toMatchObject({
      total: 300,
    });
    await expect(readRange(FILE_URL, 0, 65536, ctxWith(s.fetch), errCtx)).rejects.toMatchObject({
      kind: 'bad-response',
    });
  });

  it('reads a short 206 (Content-Range shorter than asked) again', async () => {
    const s = scripted([partial(0, 32, 5000), partial(0, 64, 5000)]);
    await expect(readRange(FILE_URL, 0, 64, ctxWith(s.fetch), errCtx)).resolves.toMatchObject({ total: 5000 });
    expect(s.calls).toHaveLength(2);
  });

  it('treats a connection dropped mid-body like a short body: retried, then a reason', async () => {
    const broken = () => {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(bytes(8));
          c.error(new TypeError('terminated'));
        },
      });
      return new Response(stream, { status: 206, headers: { 'content-range': 'bytes 0-63/5000' } });
    };
    const s = scripted([broken(), broken(), broken()]);
    const quiet = ctxWith(s.fetch, { retry: { ...fastRetry, quietMs: 0 }, health: new OriginHealth() });
    await expect(readRange(FILE_URL, 0, 64, quiet, errCtx)).rejects.toMatchObject({
      kind: 'bad-response',
      message: expect.stringMatching(/after 3 tries .*: the connection dropped/),
    });
    expect(s.calls).toHaveLength(3);
    const healed = scripted([broken(), partial(0, 64, 5000)]);
    await expect(readRange(FILE_URL, 0, 64, ctxWith(healed.fetch), errCtx)).resolves.toMatchObject({
      bytes: bytes(64),
    });
  });

  it("reuses a file's CDN URL for its further ranges and falls back to /resolve/ on a 4xx", async () => {
    const cdn = `https://cdn.test/xet-bridge-us/f?Expires=${Math.floor(Date.now() / 1000) + 3600}&Signature=x`;
    const redirected = (r: Response) => {
      Object.defineProperty(r, 'redirected', { value: true });
      Object.defineProperty(r, 'url', { value: cdn });
      return r;
    };
    const s = scripted([
      redirected(partial(0, 64, 5000)),
      partial(100, 164, 5000),
      new Response('Auth failed', { status: 403 }),
      redirected(partial(200, 264, 5000)),
    ]);
    const ctx = ctxWith(s.fetch, { cdnUrls: new CdnUrlMemory(), token: 'hf_secret' });
    await readRange(FILE_URL, 0, 64, ctx, errCtx);
    await readRange(FILE_URL, 100, 164, ctx, errCtx);
    await readRange(FILE_URL, 200, 264, ctx, errCtx);
    expect(s.calls.map((c) => c.url)).toEqual([FILE_URL, cdn, cdn, FILE_URL]);
    // the token goes to the hub only, never to the CDN
    expect(s.calls.map((c) => headerOf(c.init, 'authorization') !== null)).toEqual([true, false, false, true]);
    expect(ctx.counter.resolves).toBe(2);
    expect(ctx.counter.requests).toBe(4);
  });

  it('stops reusing a signed URL shortly before it expires', () => {
    let now = 1_000_000_000_000;
    const memory = new CdnUrlMemory(() => now);
    memory.remember(FILE_URL, `https://cdn.test/f?Expires=${now / 1000 + 600}`);
    expect(memory.get(FILE_URL)).not.toBeNull();
    now += 560_000;
    expect(memory.get(FILE_URL)).toBeNull();
    expect(signedUrlExpiry('https://s3.test/f?X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600', 0)).toBe(
      Date.UTC(2026, 0, 1) / 1000 + 3600,
    );
  });

  it('cancels a 200 body at once and reports range-unsupported for a large file', async () => {
    let cancelled = false;
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(65536));
      },
      cancel() {
        cancelled = true;
      },
    });
    const s = scripted([new Response(stream, { status: 200, headers: { 'content-length': String(5e9) } })]);
    const err = await readRange(FILE_URL, 0, 64, ctxWith(s.fetch), errCtx).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'range-unsupported' });
    expect((err as Error).message).toMatch(/does not support range requests/);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(2);
  });

  it('reads a small file whole when the server ignores Range, and slices it', async () => {
    const whole = bytes(1000);
    const s = scripted([new Response(whole, { status: 200, headers: { 'content-length': '1000' } })]);
    const r = await readRange(FILE_URL, 100, 200, ctxWith(s.fetch), errCtx);
    expect(r.bytes).toEqual(bytes(100, 100));
    expect(r.total).toBe(1000);
    expect(r.whole?.byteLength).toBe(1000);
  });

  it('reads a static host answering index.html for a missing file as not found', async () => {
    const s = scripted([
      new Response('<!doctype html><html></html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    ]);
    await expect(readRange(FILE_URL, 0, 64, ctxWith(s.fetch), errCtx)).rejects.toMatchObject({
      kind: 'entry-not-found',
    });
  });
});

describe('parseContentRange', () => {
  it('parses totals and rejects nonsense', () => {
    expect(parseContentRange('bytes 0-99/548105171')).toEqual({ first: 0, last: 99, total: 548105171 });
    expect(parseContentRange('bytes 0-99/*')).toEqual({ first: 0, last: 99, total: null });
    expect(parseContentRange('bytes */2307')).toBeNull();
    expect(parseContentRange('bytes 9-3/100')).toBeNull();
    expect(parseContentRange('bytes 0-100/100')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
  });
});

describe('readRange retry policy', () => {
  it('reads a short body again; gives it up after 3 tries once the origin has been quiet for quietMs', async () => {
    const short = () => partial(0, 64, 5000, bytes(10));
    const ok = scripted([short(), short(), partial(0, 64, 5000)]);
    await expect(readRange(FILE_URL, 0, 64, ctxWith(ok.fetch), errCtx)).resolves.toMatchObject({ total: 5000 });
    const bad = scripted([short(), short(), short()]);
    await expect(
      readRange(
        FILE_URL,
        0,
        64,
        ctxWith(bad.fetch, { health: new OriginHealth(), retry: { ...fastRetry, quietMs: 0 } }),
        errCtx,
      ),
    ).rejects.toMatchObject({
      kind: 'bad-response',
      message: expect.stringMatching(/after 3 tries .*nothing else.*: the body ended after 10 of 64 bytes/),
    });
    expect(bad.calls).toHaveLength(3);
  });

  it('keeps retrying a range while other ranges of its origin arrive, up to rangeMaxTries', async () => {
    const health = new OriginHealth();
    let clock = 0;
    const retry = { ...fastRetry, quietMs: 100, rangeMaxTries: 7, now: () => clock };
    // every failure of this range happens while another range of the same origin just succeeded
    const failing = () => {
      clock += 60;
      health.success(`${HUB}/other`, clock);
      return partial(0, 64, 5000, bytes(10));
    };
    const s = scripted([failing, failing, failing, failing, failing, partial(0, 64, 5000)]);
    await expect(readRange(FILE_URL, 0, 64, ctxWith(s.fetch, { health, retry }), errCtx)).resolves.toMatchObject({
      bytes: bytes(64),
    });
    expect(s.calls).toHaveLength(6);
    const never = scripted(Array.from({ length: 7 }, () => failing));
    await expect(readRange(FILE_URL, 0, 64, ctxWith(never.fetch, { health, retry }), errCtx)).rejects.toMatchObject({
      message: expect.stringMatching(/after 7 tries .*it failed every time/),
    });
    expect(never.calls).toHaveLength(7);
  });

  it("retries a 5xx range answer beyond fetchWithRetry's own attempts, and a 429 after its Retry-After", async () => {
    const fail503 = () => new Response('', { status: 503 });
    const s = scripted([
      fail503,
      fail503,
      () => new Response('', { status: 429, headers: { 'retry-after': '0' } }),
      partial(0, 64, 5000),
    ]);
    const ctx = ctxWith(s.fetch, { retry: { ...fastRetry, maxAttempts: 1 }, health: new OriginHealth() });
    await expect(readRange(FILE_URL, 0, 64, ctx, errCtx)).resolves.toMatchObject({ bytes: bytes(64) });
    expect(s.calls).toHaveLength(4);
  });
});

describe('nothing hangs', () => {
  it('a range whose body stalls times out, is retried, and arrives', async () => {
    const stalled = (init: RequestInit) => {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(bytes(8));
          init.signal?.addEventListener('abort', () => c.error(init.signal!.reason));
        },
      });
      return new Response(stream, { status: 206, headers: { 'content-range': 'bytes 0-63/5000' } });
    };
    const s = scripted([stalled, partial(0, 64, 5000)]);
    const ctx = ctxWith(s.fetch, { retry: { ...fastRetry, requestTimeoutMs: 50 }, health: new OriginHealth() });
    const t0 = performance.now();
    await expect(readRange(FILE_URL, 0, 64, ctx, errCtx)).resolves.toMatchObject({ bytes: bytes(64) });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(s.calls).toHaveLength(2);
  });
});
