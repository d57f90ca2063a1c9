// The Hub stand-in over real HTTP: the error table, injected faults, stats and commits.
import { describe, expect, it } from 'vitest';
import { startHubStandIn } from './server.ts';
import {
  ORIGIN,
  api,
  expectHubCors,
  fileBytes,
  gammas,
  hub,
  req,
  resolveUrl,
  rootA,
  written,
  setUpStandIns,
  tinyRepo,
} from './standInFixture.ts';

import { writeStaticRepo, type WrittenRepo } from '../../../scripts/demo/staticHub.ts';
setUpStandIns();

async function expectError(
  res: Response,
  status: number,
  code: string | null,
  message: RegExp | string,
): Promise<string> {
  expect(res.status).toBe(status);
  expectHubCors(res);
  expect(res.headers.get('x-error-code')).toBe(code);
  const m = res.headers.get('x-error-message') ?? '';
  if (typeof message === 'string') expect(m).toBe(message);
  else expect(m).toMatch(message);
  return res.text();
}

describe('errors (table §1.5)', () => {
  it('unknown or private repo, anonymous → 401 without an error code', async () => {
    for (const id of ['test-org/nope', 'test-org/private-repo']) {
      const body = await expectError(await req(api(id)), 401, null, 'Invalid username or password.');
      expect(JSON.parse(body)).toEqual({ error: 'Invalid username or password.' });
      const r = await req(resolveUrl(id, 'main', 'config.json'));
      expect(await expectError(r, 401, null, 'Invalid username or password.')).toBe('Invalid username or password.');
      expect(r.headers.get('content-type')).toMatch(/text\/plain/);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    }
  });

  it('unknown repo (or private without access) with a valid token → 404 RepoNotFound', async () => {
    await expectError(
      await req(api('test-org/nope'), { token: 'hf_none' }),
      404,
      'RepoNotFound',
      'Repository not found',
    );
    await expectError(
      await req(resolveUrl('test-org/private-repo', 'main', 'config.json'), { token: 'hf_none' }),
      404,
      'RepoNotFound',
      'Repository not found',
    );
    expect((await req(api('test-org/private-repo'), { token: 'hf_some' })).status).toBe(200);
    expect(
      (await req(resolveUrl('test-org/private-repo', 'main', 'model.safetensors'), { token: 'hf_some' })).status,
    ).toBe(302);
  });

  it('bad token → 401 Invalid credentials, even on a public repo', async () => {
    await expectError(
      await req(api('test-org/tiny-sharded'), { token: 'hf_wrong' }),
      401,
      null,
      'Invalid credentials in Authorization header',
    );
    await expectError(
      await req(resolveUrl('test-org/tiny-sharded', 'main', 'config.json'), { token: 'hf_wrong' }),
      401,
      null,
      'Invalid credentials in Authorization header',
    );
  });

  it('gated: anonymous 401 GatedRepo, token without access 403 GatedRepo, with access 302', async () => {
    const url = resolveUrl('test-org/gated-auto', 'main', 'model.safetensors');
    await expectError(
      await req(url),
      401,
      'GatedRepo',
      /^Access to model test-org\/gated-auto is restricted\. You must have access to it and be authenticated/,
    );
    await expectError(
      await req(url, { token: 'hf_none' }),
      403,
      'GatedRepo',
      /is restricted and you are not in the authorized list/,
    );
    expect((await req(url, { token: 'hf_some' })).status).toBe(302);
    await expectError(
      await req(resolveUrl('test-org/gated-manual', 'main', 'config.json'), { token: 'hf_some' }),
      403,
      'GatedRepo',
      /not in the authorized list/,
    );
    expect((await req(resolveUrl('test-org/gated-manual', 'main', 'config.json'), { token: 'hf_all' })).status).toBe(
      307,
    );
  });
});

describe('errors (table §1.5)', () => {
  it('missing file → 404 EntryNotFound with X-Repo-Commit and a 15-byte body', async () => {
    const res = await req(resolveUrl('test-org/tiny-sharded', 'main', 'nope.safetensors'));
    const body = await expectError(res, 404, 'EntryNotFound', 'Entry not found');
    expect(body).toBe('Entry not found');
    expect(res.headers.get('content-length')).toBe('15');
    expect(res.headers.get('x-repo-commit')).toBe(written.sharded?.sha);
    await expectError(
      await req(resolveUrl('test-org/tiny-single', 'main', 'sub')),
      404,
      'EntryNotFound',
      'Entry not found',
    );
    await expectError(
      await req(resolveUrl('test-org/tiny-single', 'main', 'sub%2F..%2F..%2Fconfig.json')),
      404,
      'EntryNotFound',
      'Entry not found',
    );
  });

  it('bad revision → 404 RevisionNotFound', async () => {
    await expectError(
      await req(resolveUrl('test-org/tiny-sharded', 'nope', 'config.json')),
      404,
      'RevisionNotFound',
      'Invalid rev id: nope',
    );
    await expectError(
      await req(api('test-org/tiny-sharded/revision/0000000')),
      404,
      'RevisionNotFound',
      'Invalid rev id: 0000000',
    );
    await expectError(await req(api('test-org/tiny-sharded/tree/v9')), 404, 'RevisionNotFound', 'Invalid rev id: v9');
  });

  it('disabled repo → 403 without a code', async () => {
    await expectError(
      await req(resolveUrl('test-org/disabled-repo', 'main', 'config.json')),
      403,
      null,
      'Access to this resource is disabled.',
    );
  });
});

describe('faults', () => {
  it('ignoreRange: the CDN answers 200 with the whole file', async () => {
    hub.setFaults({ ignoreRange: true });
    const res = await req(resolveUrl('test-org/tiny-sharded', 'main', 'model-00001-of-00002.safetensors'), {
      redirect: 'follow',
      headers: { Range: 'bytes=0-7' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBeNull();
    expect((await res.arrayBuffer()).byteLength).toBe(
      fileBytes(rootA, written.sharded as WrittenRepo, 'model-00001-of-00002.safetensors').length,
    );
  });

  it('latencyMs delays every response on both origins', async () => {
    hub.setFaults({ latencyMs: 120 });
    const t0 = performance.now();
    const res = await req(resolveUrl('test-org/tiny-sharded', 'main', 'model-00001-of-00002.safetensors'), {
      redirect: 'follow',
      headers: { Range: 'bytes=0-7' },
    });
    await res.arrayBuffer();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(230);
  });

  it('rateLimitNext: 429 with Retry-After, then normal service', async () => {
    hub.setFaults({ rateLimitNext: 2, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const r = await req(api('test-org/tiny-sharded'));
      expect(r.status).toBe(429);
      expectHubCors(r);
      expect(r.headers.get('retry-after')).toBe('7');
      expect(r.headers.get('ratelimit')).toBe('"api";r=0;t=7');
      await r.text();
    }
    expect((await req(api('test-org/tiny-sharded'))).status).toBe(200);
  });

  it('serverErrorNext: 503 then normal service', async () => {
    hub.setFaults({ serverErrorNext: 1 });
    const r = await req(resolveUrl('test-org/tiny-sharded', 'main', 'config.json'));
    expect(r.status).toBe(503);
    expectHubCors(r);
    expect((await req(resolveUrl('test-org/tiny-sharded', 'main', 'config.json'))).status).toBe(307);
  });

  it('truncateBodies: 206 with fewer bytes than Content-Range says', async () => {
    hub.setFaults({ truncateBodies: true });
    const res = await req(resolveUrl('test-org/tiny-sharded', 'main', 'model-00001-of-00002.safetensors'), {
      redirect: 'follow',
      headers: { Range: 'bytes=0-99' },
    });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toMatch(/^bytes 0-99\//);
    expect((await res.arrayBuffer()).byteLength).toBe(50);
    const stats = hub.stats();
    expect(stats.tensorBytes).toBe(50);
  });
});

describe('faults', () => {
  it('bindRangeToSignature: a signed CDN URL only serves the range it was issued for', async () => {
    hub.setFaults({ bindRangeToSignature: true });
    const url = resolveUrl('test-org/tiny-sharded', 'main', 'model-00001-of-00002.safetensors');
    const first = await req(url, { redirect: 'follow', headers: { Range: 'bytes=0-7' } });
    expect(first.status).toBe(206);
    await first.arrayBuffer();
    const reused = await fetch(first.url, { headers: { Range: 'bytes=8-15' } });
    expect(reused.status).toBe(403);
    expect(await reused.text()).toMatch(/invalid range/);
    const again = await req(url, { redirect: 'follow', headers: { Range: 'bytes=8-15' } });
    expect(again.status).toBe(206);
    await again.arrayBuffer();
  });

  it('gzipSmallFiles: resolve-cache answers gzip without Content-Length when no Range is sent', async () => {
    hub.setFaults({ gzipSmallFiles: true });
    const hop = await req(resolveUrl('test-org/tiny-sharded', 'main', 'config.json'));
    const location = `${hub.hubUrl}${hop.headers.get('location')}`;
    const { request } = await import('node:http');
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((ok, fail) => {
      request(location, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res
          .on('data', (c: Buffer) => chunks.push(c))
          .on('end', () => ok({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', fail)
        .end();
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['content-length']).toBeUndefined();
    expect(raw.headers['accept-ranges']).toBeUndefined();
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(raw.body)).toEqual(Buffer.from(fileBytes(rootA, written.sharded as WrittenRepo, 'config.json')));
    const ranged = await req(location, { headers: { Range: 'bytes=0-1' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-encoding')).toBeNull();
  });

  it('can be driven over HTTP through /__standin/*', async () => {
    const set = await fetch(`${hub.hubUrl}/__standin/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
      body: JSON.stringify({ serverErrorNext: 1, bogus: 3 }),
    });
    expect(set.status).toBe(200);
    expect(set.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(((await set.json()) as { serverErrorNext: number }).serverErrorNext).toBe(1);
    expect((await req(api('test-org/tiny-sharded'))).status).toBe(503);
    const pre = await fetch(`${hub.hubUrl}/__standin/faults`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    const stats = (await (await fetch(`${hub.hubUrl}/__standin/stats`)).json()) as { requests: number };
    expect(stats.requests).toBe(1); // control routes are not counted
    await fetch(`${hub.hubUrl}/__standin/faults?replace=1`, { method: 'POST', body: JSON.stringify({ latencyMs: 0 }) });
    const reset = await fetch(`${hub.hubUrl}/__standin/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(hub.stats().requests).toBe(0);
  });
});

describe('stats', () => {
  it('counts requests, body bytes and tensor bytes per origin and route', async () => {
    const url = resolveUrl('test-org/tiny-sharded', 'main', 'model-00001-of-00002.safetensors');
    const res = await req(url, { redirect: 'follow', headers: { Range: 'bytes=0-7' } });
    await res.arrayBuffer();
    const head = await req(api('test-org/tiny-sharded'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    const s = hub.stats();
    expect(s.requests).toBe(3);
    expect(s.tensorBytes).toBe(8);
    expect(s.byRoute.cdn).toEqual({ requests: 1, bytes: 8 });
    expect(s.byRoute.resolve?.requests).toBe(1);
    expect(s.byRoute['api-model']).toEqual({ requests: 1, bytes: 0 });
    expect(s.bytes).toBe(8 + (s.byRoute.resolve?.bytes ?? 0));
    expect(s.log.map((l) => [l.origin, l.status, l.range])).toEqual([
      ['hub', 302, 'bytes=0-7'],
      ['cdn', 206, 'bytes=0-7'],
      ['hub', 200, undefined],
    ]);
    expect(s.log[0]?.url).toBe('/test-org/tiny-sharded/resolve/main/model-00001-of-00002.safetensors');
    hub.resetStats();
    expect(hub.stats()).toEqual({ requests: 0, bytes: 0, tensorBytes: 0, dropped: 0, byRoute: {}, log: [] });
  });

  it('counts only the bytes written when a client aborts a whole-file response', async () => {
    hub.setFaults({ ignoreRange: true });
    const ac = new AbortController();
    const res = await req(resolveUrl('test-org/tiny-sharded', 'main', 'model-00002-of-00002.safetensors'), {
      redirect: 'follow',
      headers: { Range: 'bytes=0-7' },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    ac.abort();
    await new Promise((r) => setTimeout(r, 100));
    const s = hub.stats();
    expect(s.byRoute.cdn?.requests).toBe(1);
    expect(s.tensorBytes).toBeLessThanOrEqual(
      fileBytes(rootA, written.sharded as WrittenRepo, 'model-00002-of-00002.safetensors').length,
    );
  });
});

describe('commits', () => {
  it('a new commit moves main while the old sha stays readable', async () => {
    const before = written.single as WrittenRepo;
    const next = tinyRepo('test-org/tiny-single', {
      layersPerShard: 0,
      dtype: 'F16',
      routerBias: false,
      seed: 'v2',
      input: gammas(4, 64, 'v2'),
    });
    const after = writeStaticRepo(rootA, next);
    expect(after.sha).not.toBe(before.sha);
    const info = (await (await req(api('test-org/tiny-single'))).json()) as { sha: string };
    expect(info.sha).toBe(after.sha);
    expect((await req(resolveUrl('test-org/tiny-single', before.sha, 'sub/dir/notes.txt'))).status).toBe(307);
    expect((await req(resolveUrl('test-org/tiny-single', 'main', 'sub/dir/notes.txt'))).status).toBe(404);
  });
});

describe('HTTP/2 over TLS', () => {
  it('serves both origins over h2 with a self-signed certificate, redirect and ranges included', async () => {
    const h2hub = await startHubStandIn({ roots: [rootA], protocol: 'h2' });
    const http2 = await import('node:http2');
    const get = (url: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((ok, fail) => {
        const u = new URL(url);
        const session = http2.connect(u.origin, { rejectUnauthorized: false });
        session.on('error', fail);
        const stream = session.request({ ':path': `${u.pathname}${u.search}`, origin: ORIGIN, ...headers });
        const chunks: Buffer[] = [];
        let head: Record<string, unknown> = {};
        stream.on('response', (h) => (head = h));
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          session.close();
          ok({ status: Number(head[':status']), headers: head, body: Buffer.concat(chunks) });
        });
        stream.on('error', fail);
        stream.end();
      });
    try {
      expect(h2hub.hubUrl).toMatch(/^https:\/\//);
      expect(h2hub.cdnUrl).toMatch(/^https:\/\//);
      const w = written.sharded!;
      const shard = w.files.find((f) => f.path.endsWith('.safetensors'))!.path;
      const hop1 = await get(`${h2hub.hubUrl}/${w.repo}/resolve/${w.sha}/${shard}`, { range: 'bytes=0-7' });
      expect(hop1.status).toBe(302);
      const hop2 = await get(String(hop1.headers.location), { range: 'bytes=0-7' });
      expect(hop2.status).toBe(206);
      expect(hop2.body).toEqual(Buffer.from(fileBytes(rootA, w, shard).subarray(0, 8)));
      expect(h2hub.stats().byRoute.resolve?.requests).toBe(1);
    } finally {
      await h2hub.close();
    }
  });
});

describe('dropEvery', () => {
  it('every Nth ranged answer promises its length, sends half and drops the transfer', async () => {
    const w = written.sharded!;
    const shard = w.files.find((f) => f.path.endsWith('.safetensors'))!.path;
    hub.setFaults({ dropEvery: 2 });
    const url = `${hub.hubUrl}/${w.repo}/resolve/${w.sha}/${shard}`;
    const read = async () => {
      const res = await req(url, { headers: { Range: 'bytes=0-1023' }, redirect: 'follow' });
      expect(res.headers.get('content-length')).toBe('1024');
      return new Uint8Array(await res.arrayBuffer());
    };
    expect((await read()).byteLength).toBe(1024);
    await expect(read()).rejects.toThrow();
    expect((await read()).byteLength).toBe(1024);
    expect(hub.stats().dropped).toBe(1);
  });
});
