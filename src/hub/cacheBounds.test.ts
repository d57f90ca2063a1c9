import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createIdbCache, cacheKey } from './cache.ts';
import { boundedStore, type KeyValueStore } from './cacheBounds.ts';

function memoryStore(quotaBytes = Infinity): KeyValueStore & { map: Map<string, unknown>; scans: string[] } {
  const map = new Map<string, unknown>();
  const scans: string[] = [];
  const size = () => [...map.values()].reduce((s: number, v) => s + (v instanceof Uint8Array ? v.byteLength : 16), 0);
  return {
    map,
    scans,
    get: async (k) => map.get(k),
    set: async (k, v) => {
      const before = map.get(k);
      map.set(k, v);
      if (size() > quotaBytes) {
        if (before === undefined) map.delete(k);
        else map.set(k, before);
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
    },
    setMany: async (all) => {
      // one transaction: every value or none
      const before = all.map(([k]) => map.get(k));
      all.forEach(([k, v]) => map.set(k, v));
      if (size() > quotaBytes) {
        all.forEach(([k], i) => (before[i] === undefined ? map.delete(k) : map.set(k, before[i])));
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
    },
    getMany: async (keys) => keys.map((k) => map.get(k)),
    del: async (k) => void map.delete(k),
    clear: async () => map.clear(),
    entries: async () => {
      scans.push('all');
      return [...map.entries()];
    },
    entriesWithPrefix: async (prefix) => {
      scans.push(prefix);
      return [...map.entries()].filter(([k]) => k.startsWith(prefix));
    },
  };
}

const sizeOf = (v: unknown) => (v instanceof Uint8Array ? v.byteLength : 16);
const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('the cache is an LRU with a byte cap', () => {
  it('evicts the least recently used values once the cap is passed', async () => {
    let t = 0;
    const inner = memoryStore();
    const s = boundedStore(inner, { capBytes: 1000, sizeOf, now: () => ++t });
    await s.set('a', bytes(300));
    await s.set('b', bytes(300));
    await s.set('c', bytes(300));
    await s.get('a'); // a is now the most recent
    await new Promise((r) => setTimeout(r, 0));
    await s.set('d', bytes(300)); // 1200 > 1000: evict to ≤ 800 → b and c go, oldest first
    expect(await s.get('a')).toBeDefined();
    expect(await s.get('b')).toBeUndefined();
    expect(await s.get('c')).toBeUndefined();
    expect(await s.get('d')).toBeDefined();
    expect((await s.entries()).map(([k]) => k).sort()).toEqual(['a', 'd']);
  });

  it('on QuotaExceededError evicts and retries; a value that still does not fit fails the write (the guard goes on uncached)', async () => {
    let t = 0;
    const inner = memoryStore(1000);
    const s = boundedStore(inner, { capBytes: 10_000, sizeOf, now: () => ++t });
    for (const k of ['a', 'b', 'c']) await s.set(k, bytes(300));
    await s.set('d', bytes(300)); // the browser refuses: the oldest quarter goes, then it fits
    expect(await s.get('d')).toBeDefined();
    expect(await s.get('a')).toBeUndefined();
    await expect(s.set('huge', bytes(5000))).rejects.toMatchObject({ name: 'QuotaExceededError' });
  });

  it('many writes at once scan the stamps once and never read the values back', async () => {
    const inner = memoryStore();
    const s = boundedStore(inner, { capBytes: 1_000_000, sizeOf });
    await s.set('before', bytes(100));
    inner.scans.length = 0;
    const fresh = boundedStore(inner, { capBytes: 1_000_000, sizeOf });
    await Promise.all(Array.from({ length: 50 }, (_, i) => fresh.set(`k${i}`, bytes(10))));
    // one prefix scan of the stamps, shared by the 50 writes; no scan of the whole store
    expect(inner.scans).toEqual(['["lru",']);
    // what is held counts the earlier tab's value once and each new one once
    expect(await fresh.usage()).toEqual({ entries: 51, bytes: 100 + 50 * 10 });
    expect(inner.scans.filter((x) => x === 'all')).toEqual([]);
  });

  it('two tabs writing the same IndexedDB at once corrupt nothing (fake-indexeddb)', async () => {
    const tabA = createIdbCache('two-tabs', 'entries', 64 * 1024);
    const tabB = createIdbCache('two-tabs', 'entries', 64 * 1024);
    const key = (i: number) => cacheKey('h', 'o/m', 's'.repeat(40), 'tensor', 'f', `t${i}`);
    const value = (i: number) => bytes(1024, i & 0xff);
    await Promise.all(
      Array.from({ length: 120 }, (_, i) => (i % 2 ? tabA : tabB).putTensor(key(i % 80), value(i % 80))),
    );
    // every value that is there is whole and the right one; the cap held (with room for the stamps)
    let present = 0;
    for (let i = 0; i < 80; i++) {
      const got = await tabA.getTensor(key(i));
      if (got === undefined) continue;
      present++;
      expect(got).toEqual(value(i));
    }
    expect(present).toBeGreaterThan(0);
    const usage = await tabB.usage();
    expect(usage.bytes).toBeLessThanOrEqual(80 * 1024);
    await tabA.clear();
    expect((await tabB.usage()).entries).toBe(0);
  });
});
