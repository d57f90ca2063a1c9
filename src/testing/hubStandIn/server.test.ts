// The Hub stand-in over real HTTP on 127.0.0.1 (random ports), with Node's fetch.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeTensor } from '../../core/dtypes.ts';
import { parseSafetensorsHeader, readHeaderLength } from '../../core/safetensors.ts';
import {
  buildLlamaLikeRepo,
  writeStaticRepo,
  type BuiltRepo,
  type WrittenRepo,
} from '../../../scripts/demo/staticHub.ts';
import { createRng } from '../../../scripts/demo/random.ts';
import {
  CDN_EXPOSE_HEADERS,
  DEFAULT_FAULTS,
  HUB_EXPOSE_HEADERS,
  parseRange,
  startHubStandIn,
  type HubStandIn,
} from './server.ts';

const ORIGIN = 'http://localhost:4173';
const TOKENS = { hf_all: ['*'], hf_some: ['test-org/gated-auto', 'test-org/private-repo'], hf_none: [] };

function gammas(layers: number, hidden: number, seed: string): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: layers }, () => Float32Array.from({ length: hidden }, () => 0.5 + 0.1 * rng.normal()));
}

function tinyRepo(repo: string, opts: Partial<Parameters<typeof buildLlamaLikeRepo>[0]> = {}): BuiltRepo {
  return buildLlamaLikeRepo({
    repo,
    input: gammas(4, 64, `${repo}/in`),
    post: gammas(4, 64, `${repo}/post`),
    layersPerShard: 2,
    routerBias: true,
    ...opts,
  });
}

let rootA: string;
let rootB: string;
let hub: HubStandIn;
let plain: HubStandIn;
const written: Record<string, WrittenRepo> = {};
let sharded: BuiltRepo;

const fileBytes = (root: string, w: WrittenRepo, path: string) =>
  new Uint8Array(readFileSync(join(root, ...w.repo.split('/'), 'resolve', w.sha, path)));

beforeAll(async () => {
  rootA = mkdtempSync(join(tmpdir(), 'hub-standin-a-'));
  rootB = mkdtempSync(join(tmpdir(), 'hub-standin-b-'));
  sharded = tinyRepo('test-org/tiny-sharded');
  written.sharded = writeStaticRepo(rootA, { ...sharded, branches: ['main', 'refs/pr/1'] });
  const single = tinyRepo('test-org/tiny-single', { layersPerShard: 0, dtype: 'F16', routerBias: false });
  written.single = writeStaticRepo(rootA, {
    ...single,
    files: { ...single.files, 'sub/dir/notes.txt': 'hello\n', 'sub/b.txt': 'b' },
  });
  written.gatedAuto = writeStaticRepo(rootA, {
    ...tinyRepo('test-org/gated-auto', { layersPerShard: 0 }),
    gated: 'auto',
  });
  written.gatedManual = writeStaticRepo(rootA, {
    ...tinyRepo('test-org/gated-manual', { layersPerShard: 0 }),
    gated: 'manual',
  });
  written.private = writeStaticRepo(rootA, {
    ...tinyRepo('test-org/private-repo', { layersPerShard: 0 }),
    private: true,
  });
  written.disabled = writeStaticRepo(rootA, {
    ...tinyRepo('test-org/disabled-repo', { layersPerShard: 0 }),
    disabled: true,
  });
  written.other = writeStaticRepo(rootB, tinyRepo('other-org/second-root', { layersPerShard: 0 }));
  // declared children of test-org/tiny-single, as the Hub tags them (base_model: and base_model:RELATION:)
  const child = (repo: string, relation: string, downloads: number) =>
    writeStaticRepo(rootB, {
      ...tinyRepo(repo, { layersPerShard: 0 }),
      downloads,
      tags: ['safetensors', 'base_model:test-org/tiny-single', `base_model:${relation}:test-org/tiny-single`],
    });
  child('kids/ft-few', 'finetune', 5);
  child('kids/ft-many', 'finetune', 500);
  child('kids/quant', 'quantized', 50);
  written.shadowed = writeStaticRepo(rootB, {
    ...tinyRepo('test-org/tiny-single', { layersPerShard: 0 }),
    description: 'shadowed',
  });
  hub = await startHubStandIn({ roots: [rootA, rootB], tokens: TOKENS, treePageSize: 3, searchPageSize: 2 });
  plain = await startHubStandIn({ roots: [rootA], smallFilesRedirect: false });
});

afterAll(async () => {
  await hub?.close();
  await plain?.close();
  rmSync(rootA, { recursive: true, force: true });
  rmSync(rootB, { recursive: true, force: true });
});

beforeEach(() => {
  hub.setFaults(DEFAULT_FAULTS);
  hub.resetStats();
});

function req(url: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('Origin')) headers.set('Origin', ORIGIN);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  return fetch(url, { ...init, headers, redirect: init.redirect ?? 'manual' });
}

const api = (path: string) => `${hub.hubUrl}/api/models/${path}`;
const resolveUrl = (repo: string, rev: string, path: string) =>
  `${hub.hubUrl}/${repo}/resolve/${encodeURIComponent(rev)}/${path}`;

function expectHubCors(res: Response, origin = ORIGIN): void {
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('vary')).toMatch(/^Origin/);
  expect(res.headers.get('access-control-expose-headers')).toBe(HUB_EXPOSE_HEADERS);
  expect(res.headers.get('access-control-max-age')).toBe('86400');
  expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  expect(res.headers.get('ratelimit')).toMatch(/^"(api|resolvers)";r=\d+;t=\d+$/);
  expect(res.headers.get('ratelimit-policy')).toMatch(/^"fixed window";"(api|resolvers)";q=\d+;w=300$/);
}

async function cdnLocation(repo: string, path: string, rev = 'main'): Promise<string> {
  const r = await req(resolveUrl(repo, rev, path));
  expect(r.status).toBe(302);
  return r.headers.get('location') as string;
}

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

describe('errors (table §1.5)', () => {
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
