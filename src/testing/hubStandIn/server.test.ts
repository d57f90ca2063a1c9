// The Hub stand-in over real HTTP: repo info, tree, search, resolve and the CDN, preflights.
import { describe, expect, it } from 'vitest';
import { decodeTensor } from '../../core/dtypes.ts';
import { parseSafetensorsHeader, readHeaderLength } from '../../core/safetensors.ts';
import { CDN_EXPOSE_HEADERS, parseRange } from './server.ts';
import {
  ORIGIN,
  api,
  cdnLocation,
  expectHubCors,
  fileBytes,
  hub,
  plain,
  req,
  resolveUrl,
  rootA,
  sharded,
  written,
  setUpStandIns,
} from './standInFixture.ts';

import type { WrittenRepo } from '../../../scripts/demo/staticHub.ts';
import { createHash } from 'node:crypto';
setUpStandIns();

describe('parseRange', () => {
  it('classifies ranges', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=0-0', 10)).toEqual({ kind: 'single', start: 0, end: 0 });
    expect(parseRange('bytes=3-', 10)).toEqual({ kind: 'single', start: 3, end: 9 });
    expect(parseRange('bytes=3-100', 10)).toEqual({ kind: 'single', start: 3, end: 9 });
    expect(parseRange('bytes=0-1,4-5', 10)).toEqual({ kind: 'multi' });
    for (const bad of ['bytes=-5', 'bytes=10-12', 'bytes=5-3', 'bytes=abc', 'items=0-1', 'bytes=', 'bytes=0-1,']) {
      expect(parseRange(bad, 10), bad).toEqual({ kind: 'unsatisfiable' });
    }
    expect(parseRange('bytes=0-0', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('repo info API', () => {
  it('answers /api/models/{id} with the static JSON and hub CORS', async () => {
    const res = await req(api('test-org/tiny-sharded'));
    expect(res.status).toBe(200);
    expectHubCors(res);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const info = (await res.json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      id: 'test-org/tiny-sharded',
      sha: written.sharded?.sha,
      private: false,
      gated: false,
      library_name: 'transformers',
    });
    expect(info.safetensors).toMatchObject({ parameters: { BF16: expect.any(Number), F32: 4 * 16 } });
    expect((info.siblings as { rfilename: string }[]).map((s) => s.rfilename)).toContain(
      'model.safetensors.index.json',
    );
  });

  it('echoes no Origin as https://huggingface.co', async () => {
    const res = await fetch(api('test-org/tiny-sharded'));
    expectHubCors(res, 'https://huggingface.co');
  });

  it('resolves main, a full sha, a 7-char prefix and a branch with a slash', async () => {
    const sha = written.sharded?.sha as string;
    for (const rev of ['main', sha, sha.slice(0, 7), 'refs%2Fpr%2F1']) {
      const res = await req(api(`test-org/tiny-sharded/revision/${rev}`));
      expect(res.status, rev).toBe(200);
      expect(((await res.json()) as { sha: string }).sha).toBe(sha);
    }
  });

  it('filters fields with expand and rejects unknown expand keys', async () => {
    const res = await req(api('test-org/tiny-sharded/revision/main?expand=sha&expand=gated&expand=safetensors'));
    const info = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(['_id', 'gated', 'id', 'safetensors', 'sha']);
    const bad = await req(api('test-org/tiny-sharded?expand=nonsense'));
    expect(bad.status).toBe(400);
    expectHubCors(bad);
    expect(((await bad.json()) as { error: string }).error).toMatch(/"expand" must be one of/);
  });

  it('adds blob ids, sizes and lfs with blobs=true', async () => {
    const info = (await (await req(api('test-org/tiny-sharded?blobs=true'))).json()) as {
      siblings: { rfilename: string; size: number; blobId: string; lfs?: { sha256: string } }[];
    };
    const shard = info.siblings.find((s) => s.rfilename === 'model-00001-of-00002.safetensors');
    const bytes = fileBytes(rootA, written.sharded as WrittenRepo, 'model-00001-of-00002.safetensors');
    expect(shard).toMatchObject({
      size: bytes.length,
      lfs: { sha256: createHash('sha256').update(bytes).digest('hex') },
    });
    expect(info.siblings.find((s) => s.rfilename === 'config.json')?.lfs).toBeUndefined();
  });

  it('keeps gated metadata public', async () => {
    const res = await req(api('test-org/gated-auto'));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { gated: string }).gated).toBe('auto');
    expect((await req(api('test-org/gated-manual/tree/main'))).status).toBe(200);
  });

  it('serves a repo from the second root, and the first root wins on duplicates', async () => {
    expect((await req(api('other-org/second-root'))).status).toBe(200);
    const info = (await (await req(api('test-org/tiny-single'))).json()) as { sha: string };
    expect(info.sha).toBe(written.single?.sha);
  });
});

describe('tree API', () => {
  it('lists the root with sizes, oids and lfs, paginated by Link', async () => {
    const entries: {
      path: string;
      type: string;
      size: number;
      oid: string;
      lfs?: { oid: string; size: number; pointerSize: number };
    }[] = [];
    let url: string | null = api('test-org/tiny-sharded/tree/main');
    let pages = 0;
    while (url) {
      const res: Response = await req(url);
      expect(res.status).toBe(200);
      expectHubCors(res);
      entries.push(...((await res.json()) as typeof entries));
      const link = res.headers.get('link');
      url = link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    const w = written.sharded as WrittenRepo;
    expect(entries.map((e) => e.path).sort()).toEqual(w.files.map((f) => f.path).sort());
    const shard = entries.find((e) => e.path === 'model-00002-of-00002.safetensors');
    const bytes = fileBytes(rootA, w, 'model-00002-of-00002.safetensors');
    expect(shard?.size).toBe(bytes.length);
    expect(shard?.lfs).toMatchObject({ oid: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
    expect(shard?.oid).toMatch(/^[0-9a-f]{40}$/);
    const config = entries.find((e) => e.path === 'config.json');
    const configBytes = fileBytes(rootA, w, 'config.json');
    expect(config?.oid).toBe(
      createHash('sha1').update(`blob ${configBytes.length}\0`).update(configBytes).digest('hex'),
    );
  });

  it('lists directories, recursion and subpaths; a file path is 404', async () => {
    const top = (await (await req(api('test-org/tiny-single/tree/main?recursive=false'))).json()) as {
      path: string;
      type: string;
    }[];
    // page size 3: only the first page here
    expect(top.length).toBeLessThanOrEqual(3);
    const sub = (await (await req(api('test-org/tiny-single/tree/main/sub'))).json()) as {
      path: string;
      type: string;
    }[];
    expect(sub).toEqual([
      { type: 'file', oid: expect.any(String), size: 1, path: 'sub/b.txt' },
      { type: 'directory', oid: expect.any(String), size: 0, path: 'sub/dir' },
    ]);
    const deep = (await (await req(api('test-org/tiny-single/tree/main/sub?recursive=true'))).json()) as {
      path: string;
    }[];
    expect(deep.map((e) => e.path)).toEqual(['sub/b.txt', 'sub/dir', 'sub/dir/notes.txt']);
    const file = await req(api('test-org/tiny-single/tree/main/config.json'));
    expect(file.status).toBe(404);
    expect(file.headers.get('x-error-code')).toBe('EntryNotFound');
    const expanded = (await (await req(api('test-org/tiny-single/tree/main?expand=true'))).json()) as {
      lastCommit?: unknown;
    }[];
    expect(expanded[0]?.lastCommit).toBeDefined();
  });

  it('answers paths-info for form and JSON bodies', async () => {
    const form = await req(api('test-org/tiny-single/paths-info/main'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'paths=config.json&paths=sub&paths=missing&expand=false',
    });
    expect(form.status).toBe(200);
    expect(((await form.json()) as { path: string }[]).map((e) => e.path)).toEqual(['config.json', 'sub']);
    const json = await req(api('test-org/tiny-single/paths-info/main'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ paths: ['model.safetensors'] }),
    });
    expect(((await json.json()) as { lfs?: unknown }[])[0]?.lfs).toBeDefined();
  });
});

describe('search API', () => {
  it('filters by search and pages with Link; private repos need a token', async () => {
    const first = await req(`${hub.hubUrl}/api/models?search=test-org&limit=100`);
    expect(first.status).toBe(200);
    expectHubCors(first);
    const ids: string[] = [];
    let res: Response = first;
    for (;;) {
      ids.push(...((await res.json()) as { id: string }[]).map((m) => m.id));
      const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      if (!next) break;
      res = await req(next);
    }
    expect(ids).toEqual([
      'test-org/disabled-repo',
      'test-org/gated-auto',
      'test-org/gated-manual',
      'test-org/tiny-sharded',
      'test-org/tiny-single',
    ]);
    const limitedRes = await req(`${hub.hubUrl}/api/models?search=TINY&limit=1`);
    const limited = (await limitedRes.json()) as { id: string; modelId: string }[];
    expect(limited).toEqual([
      expect.objectContaining({ id: 'test-org/tiny-sharded', modelId: 'test-org/tiny-sharded' }),
    ]);
    const nextUrl = /<([^>]+)>;\s*rel="next"/.exec(limitedRes.headers.get('link') ?? '')?.[1] as string;
    expect(nextUrl).toContain('limit=1');
    expect(((await (await req(nextUrl)).json()) as { id: string }[]).map((m) => m.id)).toEqual([
      'test-org/tiny-single',
    ]);
    const expanded = (await (await req(`${hub.hubUrl}/api/models?author=other-org&expand=sha`)).json()) as Record<
      string,
      unknown
    >[];
    expect(expanded).toEqual([{ _id: expect.any(String), id: 'other-org/second-root', sha: written.other?.sha }]);
    const withToken = (await (await req(`${hub.hubUrl}/api/models?search=private`, { token: 'hf_some' })).json()) as {
      id: string;
    }[];
    expect(withToken.map((m) => m.id)).toEqual(['test-org/private-repo']);
  });

  it('lists the children of a model by its base_model tags, sorted by downloads, page by page', async () => {
    const ids: string[] = [];
    let url: string | undefined =
      `${hub.hubUrl}/api/models?filter=${encodeURIComponent('base_model:test-org/tiny-single')}&sort=downloads&direction=-1&expand=downloads&expand=tags`;
    while (url) {
      const res = await req(url);
      expect(res.status).toBe(200);
      ids.push(...((await res.json()) as { id: string }[]).map((m) => m.id));
      url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(ids).toEqual(['kids/ft-many', 'kids/quant', 'kids/ft-few']); // two pages of two
    const finetunes = (await (
      await req(
        `${hub.hubUrl}/api/models?filter=${encodeURIComponent('base_model:finetune:test-org/tiny-single')}&sort=downloads`,
      )
    ).json()) as { id: string }[];
    expect(finetunes.map((m) => m.id)).toEqual(['kids/ft-many', 'kids/ft-few']);
    const both = (await (
      await req(`${hub.hubUrl}/api/models?filter=base_model:quantized:test-org/tiny-single&filter=safetensors`)
    ).json()) as { id: string }[];
    expect(both.map((m) => m.id)).toEqual(['kids/quant']);
  });
});

describe('resolve: small files', () => {
  it('307 to /api/resolve-cache with X-Repo-Commit, then 200 and 206', async () => {
    const w = written.sharded as WrittenRepo;
    const hop = await req(resolveUrl('test-org/tiny-sharded', 'main', 'config.json'));
    expect(hop.status).toBe(307);
    expectHubCors(hop);
    expect(hop.headers.get('vary')).toBe('Origin, Accept');
    const location = hop.headers.get('location') as string;
    expect(location.startsWith(`/api/resolve-cache/models/test-org/tiny-sharded/${w.sha}/config.json?`)).toBe(true);
    expect(hop.headers.get('x-repo-commit')).toBe(w.sha);
    const configBytes = fileBytes(rootA, w, 'config.json');
    const oid = createHash('sha1').update(`blob ${configBytes.length}\0`).update(configBytes).digest('hex');
    expect(hop.headers.get('x-linked-etag')).toBe(`"${oid}"`);

    const final = await req(`${hub.hubUrl}${location}`);
    expect(final.status).toBe(200);
    expectHubCors(final);
    expect(final.headers.get('etag')).toBe(`"${oid}"`);
    expect(final.headers.get('x-repo-commit')).toBe(w.sha);
    expect(new Uint8Array(await final.arrayBuffer())).toEqual(configBytes);

    const followed = await req(resolveUrl('test-org/tiny-sharded', 'main', 'model.safetensors.index.json'), {
      redirect: 'follow',
      headers: { Range: 'bytes=0-9' },
    });
    expect(followed.status).toBe(206);
    expect(followed.headers.get('content-range')).toMatch(/^bytes 0-9\/\d+$/);
    expect(await followed.text()).toBe('{\n  "metad');
  });

  it('serves 200 directly when smallFilesRedirect is false', async () => {
    const res = await fetch(`${plain.hubUrl}/test-org/tiny-sharded/resolve/main/config.json`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-repo-commit')).toBe(written.sharded?.sha);
    expect(JSON.parse(await res.text())).toMatchObject({ model_type: 'llama' });
  });

  it('serves raw files and LFS pointers', async () => {
    const pointer = await req(`${hub.hubUrl}/test-org/tiny-single/raw/main/model.safetensors`);
    expect(pointer.status).toBe(200);
    expect(await pointer.text()).toMatch(
      /^version https:\/\/git-lfs.github.com\/spec\/v1\noid sha256:[0-9a-f]{64}\nsize \d+\n$/,
    );
    const head = await req(`${hub.hubUrl}/test-org/tiny-single/raw/main/sub/dir/notes.txt`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('6');
  });
});

describe('resolve: safetensors through the CDN', () => {
  it('302 with an absolute signed Location and the linked headers', async () => {
    const w = written.sharded as WrittenRepo;
    const res = await req(resolveUrl('test-org/tiny-sharded', w.sha.slice(0, 10), 'model-00001-of-00002.safetensors'));
    expect(res.status).toBe(302);
    expectHubCors(res);
    const bytes = fileBytes(rootA, w, 'model-00001-of-00002.safetensors');
    const location = res.headers.get('location') as string;
    expect(location.startsWith(`${hub.cdnUrl}/`)).toBe(true);
    expect(location).toMatch(/[?&]Expires=\d+&.*Signature=[\w-]+/);
    expect(res.headers.get('x-repo-commit')).toBe(w.sha);
    expect(res.headers.get('x-linked-size')).toBe(String(bytes.length));
    expect(res.headers.get('x-linked-etag')).toBe(`"${createHash('sha256').update(bytes).digest('hex')}"`);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(hub.cdnUrl).not.toBe(hub.hubUrl);
  });

  it('reads a header and a norm tensor end to end with ranges through the redirect', async () => {
    const w = written.sharded as WrittenRepo;
    const url = resolveUrl('test-org/tiny-sharded', w.sha, 'model-00002-of-00002.safetensors');
    const first = await req(url, { redirect: 'follow', headers: { Range: 'bytes=0-7' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(first.headers.get('access-control-expose-headers')).toBe(CDN_EXPOSE_HEADERS);
    expect(first.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    const total = Number(/\/(\d+)$/.exec(first.headers.get('content-range') ?? '')?.[1]);
    const n = readHeaderLength(new Uint8Array(await first.arrayBuffer()));
    const json = await req(url, { redirect: 'follow', headers: { Range: `bytes=8-${8 + n - 1}` } });
    const header = parseSafetensorsHeader(new Uint8Array(await json.arrayBuffer()), n, total);
    const t = header.tensors.find((e) => e.name === 'model.layers.2.post_attention_layernorm.weight');
    expect(t).toBeDefined();
    const data = await req(url, { redirect: 'follow', headers: { Range: `bytes=${t?.start}-${(t?.end ?? 0) - 1}` } });
    expect(data.status).toBe(206);
    expect(decodeTensor(new Uint8Array(await data.arrayBuffer()), 'BF16')).toEqual(sharded.norms.post[2]);
    // F32 router biases come first in the shard, as in real GLM shards
    expect(header.tensors[0]?.dtype).toBe('F32');
  });

  it('answers every range form like the CDN', async () => {
    const w = written.sharded as WrittenRepo;
    const bytes = fileBytes(rootA, w, 'model-00001-of-00002.safetensors');
    const T = bytes.length;
    const loc = await cdnLocation('test-org/tiny-sharded', 'model-00001-of-00002.safetensors');
    const get = (range?: string, method = 'GET') => fetch(loc, { method, headers: range ? { Range: range } : {} });

    const full = await get();
    expect(full.status).toBe(200);
    expect(full.headers.get('content-length')).toBe(String(T));
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await full.arrayBuffer())).toEqual(bytes);

    const one = await get('bytes=0-0');
    expect(one.status).toBe(206);
    expect(one.headers.get('content-range')).toBe(`bytes 0-0/${T}`);
    expect(new Uint8Array(await one.arrayBuffer())).toEqual(bytes.subarray(0, 1));

    const last = await get(`bytes=${T - 1}-`);
    expect(last.headers.get('content-range')).toBe(`bytes ${T - 1}-${T - 1}/${T}`);
    expect((await last.arrayBuffer()).byteLength).toBe(1);

    const clamped = await get(`bytes=${T - 4}-${T + 100}`);
    expect(clamped.status).toBe(206);
    expect(clamped.headers.get('content-range')).toBe(`bytes ${T - 4}-${T - 1}/${T}`);
    await clamped.arrayBuffer();

    const multi = await get('bytes=0-1,10-11');
    expect(multi.status).toBe(200);
    expect((await multi.arrayBuffer()).byteLength).toBe(T);

    for (const bad of ['bytes=-100', `bytes=${T}-`, 'bytes=9-3', 'bytes=abc']) {
      const r = await get(bad);
      expect(r.status, bad).toBe(416);
      expect(r.headers.get('content-range')).toBe(`bytes */${T}`);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      await r.arrayBuffer();
    }

    const head = await get('bytes=0-99', 'HEAD');
    expect(head.status).toBe(206);
    expect(head.headers.get('content-length')).toBe('100');

    const tampered = await fetch(loc.replace(/Signature=[^&]+/, 'Signature=forged'));
    expect(tampered.status).toBe(403);
    await tampered.arrayBuffer();
  });

  it('answers CDN preflights, or fails them with failPreflight', async () => {
    const loc = await cdnLocation('test-org/tiny-sharded', 'model-00001-of-00002.safetensors');
    const pre = await fetch(loc, {
      method: 'OPTIONS',
      headers: { Origin: 'null', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('range');
    hub.setFaults({ failPreflight: true });
    const failed = await fetch(loc, {
      method: 'OPTIONS',
      headers: { Origin: 'null', 'Access-Control-Request-Method': 'GET' },
    });
    expect(failed.status).toBe(403);
    await failed.arrayBuffer();
  });
});

describe('hub preflight', () => {
  it('204 echoing the requested method and headers', async () => {
    const res = await fetch(resolveUrl('test-org/gated-auto', 'main', 'config.json'), {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization,range',
      },
    });
    expect(res.status).toBe(204);
    expectHubCors(res);
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,range');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET');
  });
});
