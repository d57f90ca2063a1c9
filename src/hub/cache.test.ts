import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { SafetensorsHeader } from '../core/types.ts';
import {
  CACHE_FORMAT_VERSION,
  cacheKey,
  createIdbCache,
  createMemoryCache,
  type CachedModel,
  type NormCache,
} from './cache.ts';
import { guardCache } from './cacheGuard.ts';

const SHA = 'b'.repeat(40);
const HUB = 'https://huggingface.co';

function model(): CachedModel {
  return {
    version: CACHE_FORMAT_VERSION,
    sha: SHA,
    needsToken: false,
    config: { hidden_size: 4 },
    normFamily: 'llama',
    zeroCentred: false,
    layers: [0],
    extraLayers: [],
    labels: [[0, '0']],
    tensors: [
      {
        name: 'model.layers.0.input_layernorm.weight',
        layer: 0,
        role: 'input',
        extra: false,
        file: 'model.safetensors',
        dtype: 'BF16',
        shape: [4],
        start: 100,
        end: 108,
      },
    ],
    shards: [{ file: 'model.safetensors', headerLength: 92, total: 108 }],
    totalModelBytes: 108,
    warnings: [],
  };
}

const header: SafetensorsHeader = { headerLength: 92, dataStart: 100, fileSize: 108, metadata: null, tensors: [] };

describe.each([
  ['IndexedDB', () => createIdbCache(`normscope-cache-test-${Math.random()}`)],
  ['memory', () => createMemoryCache()],
])('%s cache', (_name, make: () => NormCache) => {
  it('round-trips models, headers and tensors, counts usage and clears', async () => {
    const cache = make();
    expect(await cache.getResolved(HUB, 'org/m', SHA)).toBeUndefined();
    await cache.putBatch({ headers: [], tensors: [], models: [{ hub: HUB, repo: 'org/m', sha: SHA, model: model() }] });
    expect(await cache.getResolved(HUB, 'org/m', SHA)).toEqual(model());
    expect(await cache.getResolved(HUB, 'org/other', SHA)).toBeUndefined();
    expect(await cache.getResolved('http://localhost:9', 'org/m', SHA)).toBeUndefined();
    const hk = cacheKey(HUB, 'org/m', SHA, 'header', 'model.safetensors');
    await cache.putHeader(hk, header);
    expect(await cache.getHeader(hk)).toEqual(header);
    const tk = cacheKey(HUB, 'org/m', SHA, 'tensor', 'model.safetensors', 'w');
    const big = new Uint8Array(64).fill(7);
    await cache.putTensor(tk, big.subarray(8, 16));
    const back = await cache.getTensor(tk);
    expect(back).toBeInstanceOf(Uint8Array);
    expect(back?.byteLength).toBe(8);
    expect(back?.buffer.byteLength).toBe(8); // stored compactly, not the whole response buffer
    const usage = await cache.usage();
    expect(usage.entries).toBe(3);
    expect(usage.bytes).toBeGreaterThan(8);
    await cache.deleteResolved(HUB, 'org/m', SHA);
    expect(await cache.getResolved(HUB, 'org/m', SHA)).toBeUndefined();
    await cache.clear();
    expect((await cache.usage()).entries).toBe(0);
  });
});

describe('cacheKey', () => {
  it('cannot collide across parts', () => {
    expect(cacheKey('h', 'a/b', SHA, 'tensor', 'c', 'd')).not.toBe(cacheKey('h', 'a', SHA, 'tensor', 'b/c', 'd'));
  });
});

describe('guardCache', () => {
  function failing(): NormCache {
    const boom = () => Promise.reject(new Error('IndexedDB is broken'));
    const quota = () => Promise.reject(new DOMException('quota exceeded', 'QuotaExceededError'));
    return {
      getResolved: boom,
      deleteResolved: boom,
      getHeader: boom,
      putHeader: quota,
      getIndex: boom,
      putIndex: quota,
      getTensor: boom,
      putTensor: quota,
      putBatch: quota,
      clear: boom,
      usage: boom,
    };
  }

  it('turns failing reads into misses and failing writes into warnings', async () => {
    const warnings: string[] = [];
    const cache = guardCache(failing(), (m) => warnings.push(m));
    expect(await cache.getResolved(HUB, 'org/m', SHA)).toBeUndefined();
    expect(await cache.getTensor('k')).toBeUndefined();
    await cache.putTensor('k', new Uint8Array(1));
    await cache.putBatch({ headers: [], tensors: [['k', new Uint8Array(1)]], models: [] });
    await cache.putBatch({ headers: [], tensors: [], models: [{ hub: HUB, repo: 'org/m', sha: SHA, model: model() }] });
    expect(await cache.usage()).toEqual({ entries: 0, bytes: 0 });
    expect(warnings.some((w) => /could not be read.*IndexedDB is broken/.test(w))).toBe(true);
    expect(warnings.some((w) => /could not store.*quota exceeded/.test(w))).toBe(true);
  });

  it('rejects values of the wrong type or shape', async () => {
    const inner = createMemoryCache();
    const warnings: string[] = [];
    const cache = guardCache(inner, (m) => warnings.push(m));
    await inner.putTensor('t', 'not bytes' as unknown as Uint8Array);
    await inner.putHeader('h', { tensors: 'nope' } as unknown as SafetensorsHeader);
    await inner.putBatch({
      headers: [],
      tensors: [],
      models: [
        { hub: HUB, repo: 'org/m', sha: SHA, model: { ...model(), tensors: [{ name: 1 }] } as unknown as CachedModel },
      ],
    });
    expect(await cache.getTensor('t')).toBeUndefined();
    expect(await cache.getHeader('h')).toBeUndefined();
    expect(await cache.getResolved(HUB, 'org/m', SHA)).toBeUndefined();
    await inner.putBatch({
      headers: [],
      tensors: [],
      models: [{ hub: HUB, repo: 'org/m', sha: SHA, model: { ...model(), sha: 'c'.repeat(40) } }],
    });
    expect(await cache.getResolved(HUB, 'org/m', SHA)).toBeUndefined();
    expect(warnings.length).toBeGreaterThanOrEqual(4);
    await inner.putBatch({ headers: [], tensors: [], models: [{ hub: HUB, repo: 'org/m', sha: SHA, model: model() }] });
    expect(await cache.getResolved(HUB, 'org/m', SHA)).toEqual(model());
  });
});
