// GGUF repos through loadModel against the Hub stand-in over real HTTP: the smallest quantization
// by default, never the projector, a split set read as one model, the header read in ranges and
// never a whole file, a chosen quantization, and a pinned reopen from the cache.
import 'fake-indexeddb/auto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { writeStaticRepo } from '../../scripts/demo/staticHub.ts';
import { realisticGguf, splitGguf, writeGguf } from '../core/gguf/testing/realisticGguf.ts';
import { createMemoryCache } from './cache.ts';
import { loadModel, type LoadModelOptions } from './loadModel.ts';
import { recordingFetch } from './testing/recordingFetch.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';

let root: string;
let hub: HubStandIn;
const REPO = 'it/qwen3-GGUF';
let sha = '';
const sizes: Record<string, number> = {};
const model = realisticGguf({ arch: 'qwen3', layers: 6, hidden: 256, vocab: 150_000 });

const load = (extra: Partial<LoadModelOptions> = {}) =>
  loadModel({ hub: hub.hubUrl, repo: REPO, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...extra });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'normscope-gguf-'));
  const q4 = writeGguf(model.file).bytes;
  // a bigger "Q8_0": the same norms, more weight bytes
  const q8 = writeGguf({
    ...model.file,
    tensors: [...model.file.tensors, { name: 'blk.0.extra_padding.weight', shape: [2048, 256], type: 0 }],
  }).bytes;
  // the biggest option: padding tensors added before the split, so split.tensors.count stays true
  const padded = {
    ...model.file,
    tensors: [...model.file.tensors, ...[0, 1].map((k) => ({ name: `pad.${k}.weight`, shape: [4096, 256], type: 0 }))],
  };
  const parts = splitGguf(padded, 2).map((p) => writeGguf(p).bytes);
  const projector = realisticGguf({ arch: 'llama', layers: 1, hidden: 256, vocab: 256 });
  const files = {
    'Qwen3-Test-Q4_K_M.gguf': q4,
    'Qwen3-Test-Q8_0.gguf': q8,
    'BF16/Qwen3-Test-BF16-00001-of-00002.gguf': parts[0]!,
    'BF16/Qwen3-Test-BF16-00002-of-00002.gguf': parts[1]!,
    'mmproj-Qwen3-Test-F16.gguf': writeGguf(projector.file).bytes,
    'README.md': '---\nbase_model: it/qwen3\n---\n',
  };
  for (const [k, v] of Object.entries(files)) if (typeof v !== 'string') sizes[k] = v.length;
  sha = writeStaticRepo(root, { repo: REPO, files, config: {}, tags: ['gguf', 'qwen3'] }).sha;
  hub = await startHubStandIn({ roots: [root] });
}, 60_000);

standInSuiteHooks(() => ({ hub, root }));

describe('GGUF repos over HTTP', () => {
  it('reads the smallest quantization by ranges: header in 2 MiB steps, then the F32 norms', async () => {
    const rec = recordingFetch();
    const m = await load({ fetch: rec.fetch });
    expect(m).toMatchObject({
      sha,
      format: 'gguf',
      source: 'hub',
      quant: 'Q4_K_M',
      files: ['Qwen3-Test-Q4_K_M.gguf'],
      hiddenSize: 256,
      dtype: 'F32',
      roles: ['input', 'post', 'q', 'k'],
    });
    expect(m.quantOptions?.map((o) => o.label)).toEqual(['Q4_K_M', 'Q8_0', 'BF16']);
    expect(m.layers).toHaveLength(6);
    for (let l = 0; l < 6; l++) {
      expect(m.layers[l]!.input).toEqual(model.norms.get(`blk.${l}.attn_norm.weight`));
      expect(m.layers[l]!.k).toEqual(model.norms.get(`blk.${l}.attn_k_norm.weight`));
    }
    const urls = rec.requests
      .filter((r) => r.range)
      .map((r) => decodeURIComponent(new URL(r.url).pathname.split('/').pop() ?? ''));
    expect(new Set(urls)).toEqual(new Set(['Qwen3-Test-Q4_K_M.gguf']));
    const file = sizes['Qwen3-Test-Q4_K_M.gguf']!;
    const header = m.transfer.minimumBytes;
    expect(header).toBeGreaterThan(2 * 1024 * 1024); // a 150k-token vocabulary: the header alone is MBs
    const read = rec.requests.filter((r) => r.range).reduce((s, r) => s + r.bytes, 0);
    expect(read).toBeLessThan(file);
    expect(read).toBeLessThanOrEqual(header + 2 * 1024 * 1024);
  });

  it('reads a chosen quantization, a split set as one model, and names what is on offer when asked for none', async () => {
    const q8 = await load({ quant: 'q8_0' });
    expect(q8).toMatchObject({ quant: 'Q8_0', files: ['Qwen3-Test-Q8_0.gguf'] });
    const bf16 = await load({ quant: 'BF16' });
    expect(bf16.files).toEqual([
      'BF16/Qwen3-Test-BF16-00001-of-00002.gguf',
      'BF16/Qwen3-Test-BF16-00002-of-00002.gguf',
    ]);
    expect(bf16.layers[5]!.post).toEqual(q8.layers[5]!.post);
    await expect(load({ quant: 'Q2_K' })).rejects.toThrow(/Q2_K.*(Q4_K_M|available)/s);
  });

  it('reopens a pinned GGUF permalink from the cache with no request at all', async () => {
    const cache = createMemoryCache();
    const first = await load({ cache });
    const rec = recordingFetch();
    const again = await load({ cache, revision: first.sha, quant: first.quant!, fetch: rec.fetch });
    expect(rec.requests).toHaveLength(0);
    expect(again).toMatchObject({ fromCache: true, quant: 'Q4_K_M', format: 'gguf' });
    expect(again.layers[2]!.q).toEqual(first.layers[2]!.q);
  });
});
