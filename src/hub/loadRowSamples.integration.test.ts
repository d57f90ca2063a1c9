// Row sampling over real HTTP against the Hub stand-in: a parent, a fine-tuned child whose matrices
// are the parent's with a few values nudged, and an unrelated model of the same architecture.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAULTS, startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { buildLlamaLikeRepo, writeStaticRepo, type BuiltRepo } from '../../scripts/demo/staticHub.ts';
import { decodeTensor } from '../core/dtypes.ts';
import { DEFAULT_ROW_BUDGET_BYTES, DEFAULT_ROW_MAX_REQUESTS } from '../core/rowSampling.ts';
import { compareRowSamples } from '../core/rowEvidence.ts';
import { parseSafetensorsFile, serializeSafetensors, type SerializableTensor } from '../core/safetensors.ts';
import { seededRandom } from '../core/sampling.ts';
import { createMemoryCache } from './cache.ts';
import { loadModel } from './loadModel.ts';
import {
  fetchRowSamples,
  planRowSamples,
  rowEvidenceJob,
  type RowModelRef,
  type RowSamplesPlan,
} from './loadRowSamples.ts';
import { recordingFetch } from './testing/recordingFetch.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';

const DEMO_ROOT = resolve('public/demo-hub');
// `npm test` writes the demo repos first (npm run demo-data); a bare vitest run must do the same
if (!existsSync(join(DEMO_ROOT, 'api/models/normscope-demo/glm-like-base/revision/main'))) {
  throw new Error('The demo repos are missing: run `npm run demo-data` before the tests.');
}
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };
const HIDDEN = 512;
const LAYERS = 6;

let root: string;
let hub: HubStandIn;
const refs: Record<string, RowModelRef> = {};
const files: Record<string, Record<string, Uint8Array>> = {};

function gammas(layers: number, seed: number): Float32Array[] {
  return Array.from({ length: layers }, (_, l) =>
    Float32Array.from({ length: HIDDEN }, (_, i) => 0.5 + ((seed * 13 + l * 5 + i * 7) % 101) / 200),
  );
}

const family = (repo: string, seed: string, extra: Partial<Parameters<typeof buildLlamaLikeRepo>[0]> = {}) =>
  buildLlamaLikeRepo({
    repo,
    seed,
    input: gammas(LAYERS, 1),
    post: gammas(LAYERS, 2),
    matrixCols: 64,
    vocabRows: 64,
    layersPerShard: 2,
    embeddingsOwnShard: true,
    ...extra,
  });

/**
 * A fine-tune of `parent`: every 2-D tensor keeps its values except ~0.5% of them, moved by one or
 * two BF16 ulps; each shard is re-serialized (same names, shapes and layout).
 */
function fineTuneOf(parent: BuiltRepo, repo: string): BuiltRepo {
  const rand = seededRandom(42);
  const out: BuiltRepo = { ...parent, repo, files: { ...parent.files } };
  for (const [path, data] of Object.entries(parent.files)) {
    if (!path.endsWith('.safetensors') || typeof data === 'string') continue;
    const header = parseSafetensorsFile(data);
    const tensors: SerializableTensor[] = header.tensors.map((t) => {
      const bytes = data.slice(t.start, t.end);
      if (t.shape.length === 2 && t.dtype === 'BF16') {
        const halves = new Uint16Array(bytes.buffer);
        for (let i = 0; i < halves.length; i++)
          if (rand() < 0.005) halves[i] = (halves[i] as number) + (rand() < 0.5 ? 1 : 2);
      }
      return { name: t.name, dtype: t.dtype, shape: t.shape, data: bytes };
    });
    out.files[path] = serializeSafetensors(tensors, header.metadata ?? undefined);
  }
  return out;
}

function add(repo: BuiltRepo): void {
  refs[repo.repo] = { repo: repo.repo, sha: writeStaticRepo(root, repo).sha };
  files[repo.repo] = Object.fromEntries(
    Object.entries(repo.files).filter((e): e is [string, Uint8Array] => typeof e[1] !== 'string'),
  );
}

const plan = (a: string, b: string, extra: Partial<Parameters<typeof planRowSamples>[0]> = {}) =>
  planRowSamples({ hub: hub.hubUrl, a: refs[a]!, b: refs[b]!, retry: FAST_RETRY, ...extra });

/** The sampled rows straight from the file bytes, for comparison with what came over HTTP. */
function localRows(repo: string, p: RowSamplesPlan, name: string, side: 'a' | 'b'): Float32Array {
  const m = p.matrices.find((x) => x.name === name)!;
  const place = m[side];
  const file = files[repo]![place.file]!;
  const parts = m.rowIds.map((id) =>
    file.subarray(place.start + id * place.rowBytes, place.start + (id + 1) * place.rowBytes),
  );
  const joined = new Uint8Array(parts.reduce((s, x) => s + x.length, 0));
  let at = 0;
  for (const x of parts) {
    joined.set(x, at);
    at += x.length;
  }
  return decodeTensor(joined, place.dtype);
}

const resolveHits = () =>
  hub.stats().log.filter((e) => e.origin === 'hub' && e.url.includes('/resolve/') && e.url.endsWith('.safetensors'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'normscope-rows-'));
  const parent = family('rows/parent', 'family');
  add(parent);
  add(fineTuneOf(parent, 'rows/child'));
  add(family('rows/stranger', 'stranger'));
  add({ ...family('rows/gated', 'family'), gated: 'manual' });
  add(family('rows/single', 'family', { layersPerShard: 0 }));
  hub = await startHubStandIn({ roots: [root, DEMO_ROOT], tokens: { hf_rows: ['rows/gated'] } });
}, 60_000);

standInSuiteHooks(() => ({ hub, root }));

describe('row samples over HTTP against the Hub stand-in', () => {
  it('plans the same rows for both models within the budget, reading only headers', async () => {
    const p = await plan('rows/parent', 'rows/child');
    expect(p.matrices.length).toBeGreaterThan(0);
    // embeddings (input and output) and every decoder layer
    expect(new Set(p.matrices.map((m) => m.layer))).toEqual(new Set([-1, 0, 1, 2, 3, 4, 5]));
    for (const side of [p.a, p.b]) {
      expect(side.bytes).toBeLessThanOrEqual(DEFAULT_ROW_BUDGET_BYTES);
      expect(side.requests).toBeLessThanOrEqual(DEFAULT_ROW_MAX_REQUESTS);
      expect(side.requests).toBe(side.reads.length);
    }
    for (const m of p.matrices) {
      expect(m.a.ranges.flatMap((r) => r.rows)).toEqual(m.rowIds);
      expect(m.b.ranges.flatMap((r) => r.rows)).toEqual(m.rowIds);
    }
    // planning: API + config + index per model, then the headers of the shards that hold the tensors
    const shards = Object.keys(files['rows/parent']!).filter((f) => f.endsWith('.safetensors'));
    expect(p.models[0].shards.sort()).toEqual(shards.sort());
    expect(p.planning[0].requests).toBe(3 + shards.length);
    // nothing beyond the headers: every safetensors range starts at byte 0
    const st = hub.stats().log.filter((e) => e.range && e.url.includes('.safetensors'));
    expect(st.every((e) => e.range!.startsWith('bytes=0-'))).toBe(true);
  });

  it('a fine-tune: the same rows fetched, exact bytes and requests as announced, "shared"', async () => {
    const p = await plan('rows/parent', 'rows/child');
    hub.resetStats();
    const rec = recordingFetch();
    const progress: number[] = [];
    const s = await fetchRowSamples(p, {
      fetch: rec.fetch,
      retry: FAST_RETRY,
      onProgress: (x) => progress.push(x.readsDone),
    });
    expect(s.a.matrices.map((m) => [m.name, m.rowIds])).toEqual(s.b.matrices.map((m) => [m.name, m.rowIds]));
    expect(s.a.transfer).toEqual({ requests: p.a.requests, bytes: p.a.bytes, cachedBytes: 0 });
    expect(s.b.transfer).toEqual({ requests: p.b.requests, bytes: p.b.bytes, cachedBytes: 0 });
    expect(rec.requests).toHaveLength(p.a.requests + p.b.requests);
    expect(resolveHits()).toHaveLength(p.a.requests + p.b.requests);
    expect(hub.stats().tensorBytes).toBeLessThanOrEqual(p.a.bytes + p.b.bytes);
    // single ranges only, never multi-range or suffix ranges, on both origins
    const ranges = hub
      .stats()
      .log.map((e) => e.range)
      .filter((r) => r !== undefined);
    expect(ranges.length).toBeGreaterThan(0);
    for (const r of ranges) expect(r).toMatch(/^bytes=\d+-\d+$/);
    expect(progress.at(-1)).toBe(p.a.requests + p.b.requests);
    // the decoded rows are the files' rows
    for (const m of p.matrices) {
      expect(s.a.matrices.find((x) => x.name === m.name)!.values).toEqual(localRows('rows/parent', p, m.name, 'a'));
      expect(s.b.matrices.find((x) => x.name === m.name)!.values).toEqual(localRows('rows/child', p, m.name, 'b'));
    }
    const e = compareRowSamples(s.a.matrices, s.b.matrices);
    expect(e.label).toBe('shared');
    expect(e.meanPearson).toBeGreaterThan(0.99);
    expect(e.identicalRowShare).toBeGreaterThan(0.3);
    expect(e.identicalRowShare).toBeLessThan(1);
    expect(e.summary).toMatch(
      /^attention\/MLP rows: mean r (0\.99\d|1\.000) over 6 layers, \d+% rows identical; embeddings: mean r/,
    );
  });

  it('an unrelated model: "no-evidence", like unrelated models', async () => {
    const p = await plan('rows/parent', 'rows/stranger');
    const s = await fetchRowSamples(p, { retry: FAST_RETRY });
    const e = compareRowSamples(s.a.matrices, s.b.matrices);
    expect(e.label).toBe('no-evidence');
    expect(Math.abs(e.meanPearson)).toBeLessThan(0.05);
    expect(e.identicalRowShare).toBe(0);
    expect(e.summary).toContain('like unrelated models');
  });

  it('a sharded model against a single-file one: the same rows at other offsets', async () => {
    const p = await plan('rows/parent', 'rows/single');
    expect(p.models[1].shards).toEqual(['model.safetensors']);
    expect(p.matrices.some((m) => m.a.start !== m.b.start)).toBe(true);
    const s = await fetchRowSamples(p, { retry: FAST_RETRY });
    expect(compareRowSamples(s.a.matrices, s.b.matrices).meanPearson).toBeCloseTo(1, 10);
  });

  it('with a cache: planning skips the headers, a second fetch needs no request', async () => {
    const cache = createMemoryCache();
    const first = await plan('rows/parent', 'rows/child', { cache });
    const second = await plan('rows/parent', 'rows/child', { cache });
    expect(second.matrices).toEqual(first.matrices);
    // the index was read once, by the first plan: now only the revision call and config.json
    expect(second.planning.map((c) => c.requests)).toEqual([2, 2]);
    await fetchRowSamples(second, { cache, retry: FAST_RETRY });
    hub.resetStats();
    const again = await fetchRowSamples(second, { cache, retry: FAST_RETRY });
    expect(hub.stats().log.map((e) => e.url)).toEqual([]);
    expect(again.a.transfer.requests + again.b.transfer.requests).toBe(0);
    expect(again.a.transfer.cachedBytes).toBe(second.a.neededBytes);
    expect(compareRowSamples(again.a.matrices, again.b.matrices).label).toBe('shared');
  });

  it('after a load with the cache, planning makes no request at all (index and headers as the load read them)', async () => {
    const cache = createMemoryCache();
    for (const repo of ['rows/parent', 'rows/child', 'rows/single'])
      await loadModel({ hub: hub.hubUrl, repo, revision: refs[repo]!.sha, cache, retry: FAST_RETRY });
    hub.resetStats();
    const p = await plan('rows/parent', 'rows/child', { cache });
    const single = await plan('rows/parent', 'rows/single', { cache });
    // no revision call, no config, no index: only headers of shards the norm load had no reason to read
    expect(hub.stats().log.filter((e) => !e.url.includes('.safetensors'))).toEqual([]);
    expect(single.planning[1].requests).toBe(0);
    expect(p.matrices.length).toBeGreaterThan(0);
    // and a reopen plans from the cache alone
    hub.resetStats();
    const again = await plan('rows/parent', 'rows/child', { cache });
    expect(hub.stats().requests).toBe(0);
    expect(again.planning).toEqual([
      { requests: 0, bytes: 0 },
      { requests: 0, bytes: 0 },
    ]);
  });

  it('a tighter budget: fewer requests and bytes, still both models alike', async () => {
    const p = await plan('rows/parent', 'rows/stranger', { budget: { maxRequests: 4, maxBytes: 16 * 1024 } });
    expect(p.a.requests).toBeLessThanOrEqual(4);
    expect(p.a.bytes).toBeLessThanOrEqual(16 * 1024);
    expect(p.dropped).toBeGreaterThan(0);
    hub.resetStats();
    const s = await fetchRowSamples(p, { retry: FAST_RETRY });
    expect(resolveHits()).toHaveLength(p.a.requests + p.b.requests);
    expect(s.a.matrices).toHaveLength(p.matrices.length);
  });

  it('gated: the token goes to the hub for the gated repo only', async () => {
    const rec = recordingFetch();
    const p = await plan('rows/parent', 'rows/gated', { token: 'hf_rows', fetch: rec.fetch });
    expect(p.models.map((m) => m.needsToken)).toEqual([false, true]);
    const s = await fetchRowSamples(p, { token: 'hf_rows', fetch: rec.fetch, retry: FAST_RETRY });
    expect(compareRowSamples(s.a.matrices, s.b.matrices).label).toBe('shared');
    const fileReads = rec.requests.filter((r) => r.range);
    expect(fileReads.filter((r) => r.url.includes('rows/parent')).every((r) => !r.authorization)).toBe(true);
    expect(fileReads.filter((r) => r.url.includes('rows/gated')).every((r) => r.authorization)).toBe(true);
    const denied = await plan('rows/parent', 'rows/gated').catch((e: unknown) => e);
    expect(denied).toMatchObject({ kind: 'gated' });
  });

  it('errors are HubErrors: a server that ignores Range, a cancelled fetch, a bad sha', async () => {
    const p = await plan('rows/parent', 'rows/child');
    hub.setFaults({ ignoreRange: true });
    // the shards are small (< 4 MiB), so a whole file may be read and sliced; the rows are still right
    const whole = await fetchRowSamples(p, { retry: FAST_RETRY });
    expect(compareRowSamples(whole.a.matrices, whole.b.matrices).label).toBe('shared');
    hub.setFaults(DEFAULT_FAULTS);
    const controller = new AbortController();
    controller.abort();
    await expect(fetchRowSamples(p, { signal: controller.signal, retry: FAST_RETRY })).rejects.toMatchObject({
      kind: 'cancelled',
    });
    await expect(
      planRowSamples({ hub: hub.hubUrl, a: refs['rows/parent']!, b: { repo: 'rows/child', sha: 'main' } }),
    ).rejects.toMatchObject({ kind: 'bad-response' });
  });

  it('the worker job: plan, then fetch and compare, in structured-clone-safe replies', async () => {
    const planned = await rowEvidenceJob(
      { kind: 'plan', jobId: 'j1', hub: hub.hubUrl, a: refs['rows/parent']!, b: refs['rows/child']!, useCache: false },
      { cache: null },
    );
    expect(planned.ok && planned.kind).toBe('plan');
    if (!planned.ok || planned.kind !== 'plan') return;
    const cloned = structuredClone(planned.plan);
    const fetched = await rowEvidenceJob(
      { kind: 'fetch', jobId: 'j2', plan: cloned, useCache: false },
      { cache: null },
    );
    expect(() => structuredClone(fetched)).not.toThrow();
    expect(fetched).toMatchObject({ ok: true, kind: 'fetch', evidence: { label: 'shared' } });
    if (fetched.ok && fetched.kind === 'fetch') expect(fetched.transfer[0].bytes).toBe(cloned.a.bytes);
    const failed = await rowEvidenceJob(
      {
        kind: 'plan',
        jobId: 'j3',
        hub: hub.hubUrl,
        a: refs['rows/parent']!,
        b: { repo: 'rows/nope', sha: 'a'.repeat(40) },
        useCache: false,
      },
      { cache: null },
    );
    expect(failed).toMatchObject({ ok: false, error: { kind: 'repo-not-found' } });
  });

  it('the demo models: cost within budget, single ranges only', async () => {
    const demo = (name: string): RowModelRef => {
      const info = JSON.parse(
        readFileSync(join(DEMO_ROOT, 'api/models/normscope-demo', name, 'revision/main'), 'utf8'),
      ) as { sha: string };
      return { repo: `normscope-demo/${name}`, sha: info.sha };
    };
    const base = demo('glm-like-base');
    for (const other of ['glm-like-sft', 'solar-like']) {
      const p = await planRowSamples({ hub: hub.hubUrl, a: base, b: demo(other) });
      for (const side of [p.a, p.b]) {
        expect(side.bytes).toBeLessThanOrEqual(DEFAULT_ROW_BUDGET_BYTES);
        expect(side.requests).toBeLessThanOrEqual(DEFAULT_ROW_MAX_REQUESTS);
      }
      // the GLM-like MTP block (layer 46) is not a decoder layer: never sampled
      expect(p.matrices.every((m) => m.layer < 46)).toBe(true);
      hub.resetStats();
      const s = await fetchRowSamples(p);
      for (const e of hub.stats().log) if (e.range) expect(e.range).toMatch(/^bytes=\d+-\d+$/);
      const ev = compareRowSamples(s.a.matrices, s.b.matrices);
      if (other === 'solar-like') expect(ev.label).toBe('no-evidence');
    }
  });
});
