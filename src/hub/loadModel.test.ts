// loadModel against a plain static host (Vite-like, no HTTP): the layout every host must serve.
// The real Hub stand-in over HTTP is covered by loadModel.integration.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLlamaLikeRepo, writeStaticRepo, type BuiltRepo } from '../../scripts/demo/staticHub.ts';
import { buildGpt2LikeRepo } from '../../scripts/demo/smallArchRepos.ts';
import type { LoadProgress } from '../core/types.ts';
import { createMemoryCache } from './cache.ts';
import { loadModel } from './loadModel.ts';
import { staticHostFetch } from './testing/staticHostFetch.ts';

const BASE = 'http://static.test/demo-hub';
let root: string;
const built: Record<string, BuiltRepo & { sha: string }> = {};

function gammas(layers: number, hidden: number, seed: number): Float32Array[] {
  return Array.from({ length: layers }, (_, l) =>
    Float32Array.from({ length: hidden }, (_, i) => 0.5 + ((seed * 31 + l * 7 + i) % 97) / 97),
  );
}

function add(repo: BuiltRepo): void {
  built[repo.repo] = { ...repo, sha: writeStaticRepo(root, repo).sha };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'normscope-static-'));
  add(buildLlamaLikeRepo({ repo: 't/single', input: gammas(4, 64, 1), post: gammas(4, 64, 2) }));
  add(
    buildLlamaLikeRepo({
      repo: 't/glm',
      input: gammas(6, 1024, 3),
      post: gammas(6, 1024, 4),
      layersPerShard: 2,
      modelType: 'glm4_moe',
      routerBias: true,
      mtp: {
        input: gammas(1, 1024, 5)[0]!,
        post: gammas(1, 1024, 6)[0]!,
        enorm: gammas(1, 1024, 7)[0]!,
        hnorm: gammas(1, 1024, 8)[0]!,
        sharedHeadNorm: gammas(1, 1024, 9)[0]!,
      },
    }),
  );
  add(buildGpt2LikeRepo({ repo: 't/gpt2', hidden: 48, layers: 3 }));
  add(buildLlamaLikeRepo({ repo: 't/long-header', input: gammas(48, 256, 1), post: gammas(48, 256, 2) }));
  add({
    ...buildLlamaLikeRepo({ repo: 't/bin-only', input: gammas(1, 8, 1), post: gammas(1, 8, 1) }),
    files: { 'pytorch_model.bin': new Uint8Array(8) },
  });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('loadModel on a static host', () => {
  it('loads a single-file model exactly, in two round trips after the API call', async () => {
    const host = staticHostFetch(BASE, root);
    const phases: string[] = [];
    const m = await loadModel({
      hub: `${BASE}/`,
      repo: 't/single',
      fetch: host.fetch,
      onProgress: (p: LoadProgress) => phases.push(p.phase),
    });
    const want = built['t/single']!;
    expect(m.sha).toBe(want.sha);
    expect(m.layers.map((l) => l.label)).toEqual(['0', '1', '2', '3']);
    expect(m.layers[2]?.input).toEqual(want.norms.input[2]);
    expect(m.layers[3]?.post).toEqual(want.norms.post[3]);
    expect(m).toMatchObject({
      hiddenSize: 64,
      dtype: 'BF16',
      normFamily: 'llama',
      architecture: 'LlamaForCausalLM',
      modelType: 'llama',
      fromCache: false,
    });
    // the 64 KiB first read covers this small file, so its tensors come along with the header
    expect(host.log.map((e) => e.url.split('/').pop()).sort()).toEqual([
      'config.json',
      'main?blobs=true',
      'model.safetensors',
    ]);
    expect(host.log.every((e) => !e.authorization)).toBe(true);
    expect(phases[0]).toBe('resolving');
    expect(phases.at(-1)).toBe('done');
    const size = want.files['model.safetensors'] as Uint8Array;
    expect(m.totalModelBytes).toBe(size.length);
  });

  it("reads the rest of a single file's header exactly when it is longer than the first guess", async () => {
    const host = staticHostFetch(BASE, root);
    const m = await loadModel({ hub: BASE, repo: 't/long-header', fetch: host.fetch });
    expect(m.layers).toHaveLength(48);
    expect(m.layers[47]?.post).toEqual(built['t/long-header']!.norms.post[47]);
    const ranges = host.log.filter((e) => e.range).map((e) => e.range);
    expect(ranges[0]).toBe('bytes=0-16383');
    expect(ranges[1]).toMatch(/^bytes=16384-\d+$/);
    const tensorBytes = host.log.filter((e) => e.range).reduce((s, e) => s + e.bytes, 0);
    expect(tensorBytes).toBeLessThanOrEqual(1.25 * m.transfer.minimumBytes);
  });

  it('loads a sharded GLM-like model with its MTP layer as a labelled extra', async () => {
    const host = staticHostFetch(BASE, root);
    const m = await loadModel({ hub: BASE, repo: 't/glm', revision: 'main', fetch: host.fetch });
    expect(m.layers).toHaveLength(6);
    expect(m.extraLayers.map((l) => [l.index, l.label, l.extra])).toEqual([[6, '6 (MTP)', true]]);
    expect(m.layers[5]?.post).toEqual(built['t/glm']!.norms.post[5]);
    const tensorBytes = host.log.filter((e) => e.url.endsWith('.safetensors')).reduce((s, e) => s + e.bytes, 0);
    expect(tensorBytes).toBeLessThanOrEqual(1.25 * m.transfer.minimumBytes);
  });

  it('reads GPT-2 LayerNorm weights and not their biases', async () => {
    const host = staticHostFetch(BASE, root);
    const m = await loadModel({ hub: BASE, repo: 't/gpt2', fetch: host.fetch });
    expect(m.normFamily).toBe('gpt2');
    expect(m.hiddenSize).toBe(48);
    expect(m.layers[1]?.input).toEqual(built['t/gpt2']!.norms.input[1]);
    expect(m.layers[1]?.post).toEqual(built['t/gpt2']!.norms.post[1]);
  });

  it('treats an HTML answer as "not found" and names the repo', async () => {
    const host = staticHostFetch(BASE, root);
    const err = await loadModel({ hub: BASE, repo: 't/missing', fetch: host.fetch }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'repo-not-found' });
    expect((err as Error).message).toContain('t/missing');
  });

  it('reports repos without safetensors, and invalid ids', async () => {
    const host = staticHostFetch(BASE, root);
    await expect(loadModel({ hub: BASE, repo: 't/bin-only', fetch: host.fetch })).rejects.toMatchObject({
      kind: 'no-safetensors',
    });
    await expect(loadModel({ hub: BASE, repo: 'no spaces/allowed', fetch: host.fetch })).rejects.toMatchObject({
      kind: 'invalid-repo-id',
    });
  });

  it('reads a small file whole when the host ignores Range, with a warning', async () => {
    const host = staticHostFetch(BASE, root, { ignoreRange: true });
    const m = await loadModel({ hub: BASE, repo: 't/single', fetch: host.fetch });
    expect(m.layers[0]?.input).toEqual(built['t/single']!.norms.input[0]);
    expect(m.warnings.join(' ')).toMatch(/ignored range requests/);
  });

  it('reopens a sha-pinned model from the cache without any request, and a branch with one', async () => {
    const cache = createMemoryCache();
    const sha = built['t/glm']!.sha;
    const first = staticHostFetch(BASE, root);
    await loadModel({ hub: BASE, repo: 't/glm', revision: sha, fetch: first.fetch, cache });
    const pinned = staticHostFetch(BASE, root);
    const again = await loadModel({ hub: BASE, repo: 't/glm', revision: sha, fetch: pinned.fetch, cache });
    expect(pinned.log).toEqual([]);
    expect(again).toMatchObject({ fromCache: true, transfer: { requests: 0, bytes: 0 } });
    expect(again.transfer.cachedBytes).toBeGreaterThan(0);
    expect(again.extraLayers[0]?.label).toBe('6 (MTP)');
    const branch = staticHostFetch(BASE, root);
    await loadModel({ hub: BASE, repo: 't/glm', fetch: branch.fetch, cache });
    expect(branch.log.map((e) => e.url.split('/').pop())).toEqual(['main?blobs=true']);
    expect(again).toMatchObject({ declared: null, apiCalls: 0 });
  });

  it('asks the API once for the claim of a cache entry written before claims were kept', async () => {
    const cache = createMemoryCache();
    const sha = built['t/single']!.sha;
    await loadModel({ hub: BASE, repo: 't/single', revision: sha, fetch: staticHostFetch(BASE, root).fetch, cache });
    const entry = (await cache.getResolved(BASE, 't/single', sha))!;
    delete entry.declared;
    await cache.putBatch({
      headers: [],
      tensors: [],
      models: [{ hub: BASE, repo: 't/single', sha: sha, model: entry }],
    });
    const old = staticHostFetch(BASE, root);
    const reread = await loadModel({ hub: BASE, repo: 't/single', revision: sha, fetch: old.fetch, cache });
    expect(old.log.map((e) => e.url.split('/').pop())).toEqual([`${sha}?blobs=true`]);
    expect(reread).toMatchObject({ declared: null, apiCalls: 1, fromCache: true });
    const after = staticHostFetch(BASE, root);
    await loadModel({ hub: BASE, repo: 't/single', revision: sha, fetch: after.fetch, cache });
    expect(after.log).toEqual([]);
  });

  it('falls back to the network when a cached tensor is damaged', async () => {
    const cache = createMemoryCache();
    const first = await loadModel({ hub: BASE, repo: 't/single', fetch: staticHostFetch(BASE, root).fetch, cache });
    const key = JSON.stringify([
      BASE,
      't/single',
      first.sha,
      'tensor',
      'model.safetensors',
      'model.layers.1.post_attention_layernorm.weight',
    ]);
    await cache.putTensor(key, new Uint8Array(3));
    const host = staticHostFetch(BASE, root);
    const m = await loadModel({ hub: BASE, repo: 't/single', revision: first.sha, fetch: host.fetch, cache });
    expect(m.layers[1]?.post).toEqual(built['t/single']!.norms.post[1]);
    expect(m.fromCache).toBe(false);
    expect(host.log).toHaveLength(1);
    expect(m.warnings.join(' ')).toMatch(/damaged/);
  });

  it('rejects a corrupted header as bad-header', async () => {
    const sha = built['t/single']!.sha;
    const path = join(root, 't', 'single', 'resolve', sha, 'model.safetensors');
    const original = built['t/single']!.files['model.safetensors'] as Uint8Array;
    const broken = original.slice();
    broken.set(new TextEncoder().encode('{"x":{"dtype":"BF16","shape":[1000000]'), 8);
    writeFileSync(path, broken);
    try {
      await expect(
        loadModel({ hub: BASE, repo: 't/single', fetch: staticHostFetch(BASE, root).fetch }),
      ).rejects.toMatchObject({ kind: 'bad-header' });
    } finally {
      writeFileSync(path, original);
    }
  });

  it('is cancelled by its signal', async () => {
    const ac = new AbortController();
    const phases: string[] = [];
    const p = loadModel({
      hub: BASE,
      repo: 't/glm',
      fetch: staticHostFetch(BASE, root).fetch,
      signal: ac.signal,
      onProgress: (x) => phases.push(x.phase),
    });
    ac.abort();
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' });
    expect(phases.at(-1)).toBe('cancelled');
  });
});
