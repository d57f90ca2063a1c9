// loadModel against the local Hub stand-in over real HTTP: hub + CDN origins, redirects, 206/416,
// the Hub's error codes and injected faults. Repos are built in a temp dir; the demo repos under
// public/demo-hub are used too when they exist.
import 'fake-indexeddb/auto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { buildLlamaLikeRepo, writeStaticRepo, type BuiltRepo } from '../../scripts/demo/staticHub.ts';
import { buildGpt2LikeRepo, buildNeoxLikeRepo } from '../../scripts/demo/smallArchRepos.ts';
import { createIdbCache } from './cache.ts';
import { loadModel, type LoadModelOptions } from './loadModel.ts';
import { recordingFetch, sequentialDepth } from './testing/recordingFetch.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';

const DEMO_ROOT = resolve('public/demo-hub');
// `npm test` writes the demo repos first (npm run demo-data); a bare vitest run must do the same
if (!existsSync(join(DEMO_ROOT, 'api/models/normscope-demo/glm-like-base/revision/main'))) {
  throw new Error('The demo repos are missing: run `npm run demo-data` before the tests.');
}
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };

let root: string;
let hub: HubStandIn;
const built: Record<string, BuiltRepo & { sha: string }> = {};

function gammas(layers: number, hidden: number, seed: number): Float32Array[] {
  return Array.from({ length: layers }, (_, l) =>
    Float32Array.from({ length: hidden }, (_, i) => 0.3 + ((seed * 13 + l * 5 + i * 7) % 101) / 50),
  );
}

function add(repo: BuiltRepo): void {
  built[repo.repo] = { ...repo, sha: writeStaticRepo(root, repo).sha };
}

const load = (repo: string, extra: Partial<LoadModelOptions> = {}) =>
  loadModel({ hub: hub.hubUrl, repo, retry: FAST_RETRY, ...extra });

/** Body bytes of the .safetensors reads the client received (config and index JSON excluded). */
function safetensorsBytes(rec: ReturnType<typeof recordingFetch>): number {
  return rec.requests.filter((r) => r.range !== null).reduce((s, r) => s + r.bytes, 0);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'normscope-hub-'));
  add(buildLlamaLikeRepo({ repo: 'it/single', input: gammas(4, 4096, 1), post: gammas(4, 4096, 2), dtype: 'F32' }));
  add(
    buildLlamaLikeRepo({
      repo: 'it/sharded',
      input: gammas(8, 2048, 3),
      post: gammas(8, 2048, 4),
      layersPerShard: 2,
      embeddingsOwnShard: true,
    }),
  );
  add(buildGpt2LikeRepo({ repo: 'it/gpt2', hidden: 768, layers: 4, prefix: 'transformer.', layersPerShard: 2 }));
  add(buildNeoxLikeRepo({ repo: 'it/neox', hidden: 1024, layers: 4 }));
  const v = gammas(5, 2048, 9);
  add(
    buildLlamaLikeRepo({
      repo: 'it/glm',
      input: gammas(6, 2048, 5),
      post: gammas(6, 2048, 6),
      layersPerShard: 1,
      modelType: 'glm4_moe',
      architecture: 'Glm4MoeForCausalLM',
      routerBias: true,
      mtp: { input: v[0]!, post: v[1]!, enorm: v[2]!, hnorm: v[3]!, sharedHeadNorm: v[4]! },
    }),
  );
  add({
    ...buildLlamaLikeRepo({ repo: 'it/gated', input: gammas(2, 1024, 7), post: gammas(2, 1024, 8) }),
    gated: 'manual',
  });
  // > 4 MiB, so a server that ignores Range must not be read whole
  add(buildLlamaLikeRepo({ repo: 'it/large', input: gammas(2, 4096, 1), post: gammas(2, 4096, 2), matrixCols: 160 }));
  add(buildLlamaLikeRepo({ repo: 'it/corrupt', input: gammas(2, 1024, 1), post: gammas(2, 1024, 2) }));
  const corrupt = built['it/corrupt']!;
  const file = (corrupt.files['model.safetensors'] as Uint8Array).slice();
  file.set(new TextEncoder().encode('{"a":{"dtype":"BF16","shape":[99],"data_offsets":[0,198]},"b'), 8);
  writeFileSync(join(root, 'it', 'corrupt', 'resolve', corrupt.sha, 'model.safetensors'), file);
  hub = await startHubStandIn({
    roots: [root, DEMO_ROOT],
    tokens: { hf_granted: ['it/gated'], hf_other: ['it/single'] },
  });
}, 60_000);

standInSuiteHooks(() => ({ hub, root }));

describe('loadModel over HTTP against the Hub stand-in', () => {
  it('loads a single-file model exactly, within 1.25× the minimum bytes', async () => {
    const rec = recordingFetch();
    const m = await load('it/single', { fetch: rec.fetch });
    const want = built['it/single']!;
    expect(m).toMatchObject({ sha: want.sha, hiddenSize: 4096, dtype: 'F32', normFamily: 'llama', modelType: 'llama' });
    expect(m.layers.map((l) => l.index)).toEqual([0, 1, 2, 3]);
    for (let l = 0; l < 4; l++) {
      expect(m.layers[l]?.input).toEqual(want.norms.input[l]);
      expect(m.layers[l]?.post).toEqual(want.norms.post[l]);
    }
    expect(safetensorsBytes(rec)).toBeLessThanOrEqual(1.25 * m.transfer.minimumBytes);
    expect(hub.stats().tensorBytes).toBeLessThanOrEqual(1.25 * m.transfer.minimumBytes);
    expect(m.totalModelBytes).toBe((want.files['model.safetensors'] as Uint8Array).length);
  });

  it("reads every shard's header directly, without the index, each in one read sized from the index's size", async () => {
    const rec = recordingFetch();
    const m = await load('it/sharded', { fetch: rec.fetch });
    expect(m.layers).toHaveLength(8);
    expect(m.layers[7]?.post).toEqual(built['it/sharded']!.norms.post[7]);
    const shards = Object.keys(built['it/sharded']!.files).filter((f) => f.endsWith('.safetensors'));
    expect(shards).toHaveLength(5); // embeddings alone, then 2 layers per shard
    // the file list names the shards: the index is never asked for
    expect(rec.requests.some((r) => r.url.includes('.index.json'))).toBe(false);
    const headerReads = rec.requests.filter((r) => r.range?.startsWith('bytes=0-'));
    const shardOf = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    expect(headerReads.map((r) => shardOf(r.url)).sort()).toEqual([...shards].sort());
    // one header read per shard, all of the size the index's listed size gave
    expect(new Set(headerReads.map((r) => r.range)).size).toBe(1);
    // a header longer than that share gets one exact remainder (here the last shard, 2 layers and the final norm)
    const firstEnd = Number(/^bytes=0-(\d+)$/.exec(headerReads[0]!.range!)![1]);
    expect(rec.requests.filter((r) => r.range?.startsWith(`bytes=${firstEnd + 1}-`)).length).toBeLessThanOrEqual(1);
    expect(safetensorsBytes(rec)).toBeLessThanOrEqual(1.25 * m.transfer.minimumBytes);
    // every shard was read, so the size is exact
    const sizes = Object.entries(built['it/sharded']!.files).filter(([f]) => f.endsWith('.safetensors'));
    expect(m.totalModelBytes).toBe(sizes.reduce((s, [, d]) => s + (d as Uint8Array).length, 0));
  });

  it('needs at most 3 sequential round trips after the API call', async () => {
    hub.setFaults({ latencyMs: 40 });
    for (const repo of ['it/sharded', 'it/glm', 'it/single']) {
      const rec = recordingFetch();
      await load(repo, { fetch: rec.fetch, concurrency: 1000 });
      expect(rec.requests[0]?.url).toContain('/api/models/');
      expect(sequentialDepth(rec.requests), repo).toBeLessThanOrEqual(4);
    }
  });

  it('reports progress through the phases with tensor counts', async () => {
    const seen: string[] = [];
    let last = { tensorsDone: 0, tensorsTotal: 0 };
    await load('it/sharded', { onProgress: (p) => (seen.push(p.phase), (last = p)) });
    expect([...new Set(seen)]).toEqual(['resolving', 'metadata', 'headers', 'tensors', 'done']);
    expect(last).toMatchObject({ tensorsDone: 16, tensorsTotal: 16 });
  });

  it('reads GPT-2 (transformer. prefix, sharded) and GPT-NeoX layouts', async () => {
    const g = await load('it/gpt2');
    expect(g).toMatchObject({ normFamily: 'gpt2', hiddenSize: 768, dtype: 'F32', architecture: 'GPT2LMHeadModel' });
    expect(g.layers[3]?.post).toEqual(built['it/gpt2']!.norms.post[3]);
    const n = await load('it/neox');
    expect(n).toMatchObject({ normFamily: 'gpt-neox', hiddenSize: 1024, dtype: 'F16' });
    expect(n.layers[2]?.input).toEqual(built['it/neox']!.norms.input[2]);
  });

  it('keeps the GLM MTP layer as a labelled extra', async () => {
    const m = await load('it/glm');
    expect(m.layers).toHaveLength(6);
    expect(m.extraLayers.map((l) => l.label)).toEqual(['6 (MTP)']);
    expect(m.extraLayers[0]?.post).toBeInstanceOf(Float32Array);
  });

  it('loads the demo models within 1.25× the minimum bytes', async () => {
    for (const [repo, layers, extra] of [
      ['normscope-demo/glm-like-base', 46, ['46 (MTP)']],
      ['normscope-demo/solar-like', 48, []],
      ['normscope-demo/phi-like-3072', 32, []],
    ] as const) {
      hub.resetStats();
      const rec = recordingFetch();
      const m = await load(repo, { fetch: rec.fetch });
      expect(m.layers, repo).toHaveLength(layers);
      expect(m.extraLayers.map((l) => l.label)).toEqual(extra);
      expect(safetensorsBytes(rec), repo).toBeLessThanOrEqual(1.25 * m.transfer.minimumBytes);
      expect(hub.stats().tensorBytes, repo).toBeLessThanOrEqual(1.25 * m.transfer.minimumBytes);
    }
  });

  it('reopens from IndexedDB: a sha with no request at all, a branch with only the API call', async () => {
    const cache = createIdbCache(`normscope-it-${Math.random()}`);
    const first = await load('it/glm', { cache });
    expect(first.fromCache).toBe(false);
    hub.resetStats();
    const pinned = await load('it/glm', { cache, revision: first.sha });
    expect(hub.stats().requests).toBe(0);
    expect(pinned).toMatchObject({ fromCache: true, transfer: { requests: 0, bytes: 0 } });
    expect(pinned.layers[3]?.input).toEqual(first.layers[3]?.input);
    hub.resetStats();
    const branch = await load('it/glm', { cache });
    expect(hub.stats()).toMatchObject({ requests: 1, tensorBytes: 0 });
    expect(branch.fromCache).toBe(true);
  });
});

describe('loadModel errors against the Hub stand-in', () => {
  it('maps a missing repo and a bad revision', async () => {
    await expect(load('it/nope')).rejects.toMatchObject({ kind: 'repo-not-found', status: 401 });
    await expect(load('it/single', { revision: 'v999' })).rejects.toMatchObject({ kind: 'revision-not-found' });
  });

  it('asks for a token on a gated repo, and loads with a granted one', async () => {
    await expect(load('it/gated')).rejects.toMatchObject({ kind: 'gated', status: 401 });
    await expect(load('it/gated', { token: 'hf_other' })).rejects.toMatchObject({ kind: 'gated', status: 403 });
    await expect(load('it/gated', { token: 'hf_bogus' })).rejects.toMatchObject({ kind: 'unauthorized' });
    const rec = recordingFetch();
    const m = await load('it/gated', { token: 'hf_granted', fetch: rec.fetch });
    expect(m.layers[1]?.post).toEqual(built['it/gated']!.norms.post[1]);
    expect(JSON.stringify(m)).not.toContain('hf_granted');
  });

  it('sends no token to public repos even when one is set (except the API call)', async () => {
    const rec = recordingFetch();
    await load('it/single', { token: 'hf_other', fetch: rec.fetch });
    expect(rec.requests.filter((r) => r.authorization).map((r) => r.url)).toEqual([
      expect.stringContaining('/api/models/it/single/revision/main'),
    ]);
  });

  it('stops at once when the CDN ignores Range on a large file', async () => {
    hub.setFaults({ ignoreRange: true });
    const rec = recordingFetch();
    const err = await load('it/large', { fetch: rec.fetch }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'range-unsupported' });
    expect(safetensorsBytes(rec)).toBeLessThan(1024 * 1024);
  });

  it('retries 429 and 503 and then succeeds', async () => {
    hub.setFaults({ rateLimitNext: 2, retryAfterSeconds: 0 });
    await expect(load('it/single')).resolves.toMatchObject({ hiddenSize: 4096 });
    hub.setFaults({ serverErrorNext: 2 });
    await expect(load('it/sharded')).resolves.toMatchObject({ hiddenSize: 2048 });
    hub.setFaults({ serverErrorNext: 50 });
    await expect(load('it/single')).rejects.toMatchObject({ kind: 'server-error' });
  });

  it('reports truncated bodies and corrupted headers', async () => {
    hub.setFaults({ truncateBodies: true });
    await expect(load('it/sharded')).rejects.toMatchObject({ kind: 'bad-response' });
    hub.setFaults({ truncateBodies: false });
    await expect(load('it/corrupt')).rejects.toMatchObject({ kind: 'bad-header' });
  });

  it('is cancelled by its signal mid-load', async () => {
    hub.setFaults({ latencyMs: 50 });
    const ac = new AbortController();
    const p = load('it/sharded', { signal: ac.signal });
    setTimeout(() => ac.abort(), 120);
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('loadModel where the file list does not name the shards', () => {
  it('reads the index, and only the shards that hold norms, where the file list does not name the shards', async () => {
    const rec = recordingFetch();
    // a server that lists no files: only the index can say where the weights are
    const unlisted: typeof fetch = async (input, init) => {
      const res = await rec.fetch(input, init);
      if (!String(input).includes('/api/models/')) return res;
      const info = (await res.json()) as Record<string, unknown>;
      delete info.siblings;
      return new Response(JSON.stringify(info), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const m = await load('it/sharded', { fetch: unlisted });
    expect(m.layers[7]?.post).toEqual(built['it/sharded']!.norms.post[7]);
    expect(rec.requests.filter((r) => r.url.includes('.index.json'))).not.toHaveLength(0);
    const shards = Object.keys(built['it/sharded']!.files).filter((f) => f.endsWith('.safetensors'));
    const shardsRead = new Set(
      rec.requests
        .filter((r) => r.range)
        .map((r) => decodeURIComponent(new URL(r.url).pathname.split('/').pop() ?? '')),
    );
    expect([...shardsRead].sort()).toEqual(shards.slice(1));
    // one header read per norm shard, sized from the names the index gives, and no second one
    expect(rec.requests.filter((r) => r.range?.startsWith('bytes=0-')).length).toBe(4);
    const sizes = Object.entries(built['it/sharded']!.files).filter(([f]) => f.endsWith('.safetensors'));
    // the unread embeddings shard counts by the index's total_size, without its (unseen) header
    const exact = sizes.reduce((s, [, d]) => s + (d as Uint8Array).length, 0);
    expect(m.totalModelBytes).toBeLessThanOrEqual(exact);
    expect(m.totalModelBytes).toBeGreaterThan(exact - 1024);
  });
});
