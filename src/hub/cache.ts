// The app-level cache of what a load read, keyed by hub + repo + commit sha (+ file + tensor), so
// a reopen of the same commit needs no network at all. Tokens are never part of a key or value.
import {
  clear,
  createStore,
  del,
  entries,
  get,
  getMany,
  promisifyRequest,
  set,
  setMany,
  type UseStore,
} from 'idb-keyval';
import type { NormTensorRef, SafetensorsHeader, WeightsFormat } from '../core/types.ts';
import type { DeclaredLineage } from '../core/lineage/declared.ts';
import { boundedStore, DEFAULT_CACHE_CAP_BYTES, type KeyValueStore } from './cacheBounds.ts';

// 2: tensors carry their own γ shift and head order (entries of 1 are read again from the network)
export const CACHE_FORMAT_VERSION = 2;

/** One norm tensor with where it lives, enough to read it again without any header. */
export interface CachedNormTensor extends NormTensorRef {
  dtype: string;
  shape: number[];
  start: number;
  end: number;
}

export interface GgufChoiceSummary {
  quant: string;
  options: { label: string; totalSize: number | null; files: string[] }[];
}

/** Everything a load learned about one commit except the tensor bytes. */
export interface CachedModel {
  version: typeof CACHE_FORMAT_VERSION;
  sha: string;
  /** gated or private: file reads must carry the token */
  needsToken: boolean;
  config: Record<string, unknown>;
  normFamily: string;
  /** the family stores γ − 1 (tensors may override with their own flag) */
  zeroCentred: boolean;
  /** absent in entries written before GGUF support: safetensors */
  format?: WeightsFormat;
  /** GGUF repos: the quantization read and the ones the repo offers */
  gguf?: GgufChoiceSummary;
  layers: number[];
  extraLayers: number[];
  labels: [number, string][];
  tensors: CachedNormTensor[];
  /** the safetensors index the load read (absent: none, or an entry written before it was kept) */
  indexPath?: string | null;
  /** the files read: header length N and size from the Content-Range total; headerBytes = all bytes before the data where the format is not safetensors' 8 + N */
  shards: { file: string; headerLength: number; total: number | null; headerBytes?: number }[];
  totalModelBytes: number | null;
  /** warnings about the model itself (not about the transfer) */
  warnings: string[];
  /** the card's lineage claim at this sha (absent in older entries: unknown) */
  declared?: DeclaredLineage | null;
  /** tokenizer.json's size from the revision's file list (the deep check's cost, with no request); null/absent: unknown */
  tokenizerBytes?: number | null;
}

/** A parsed model.safetensors.index.json: read once per commit, then answered from here. */
export interface CachedIndex {
  /** tensor name → shard path (relative to the repo root) */
  weightMap: [string, string][];
  /** metadata.total_size */
  totalSize: number | null;
}

export interface CacheUsage {
  entries: number;
  bytes: number;
}

/** A load's writes: headers and tensors by key, then the model's entries. */
export interface CacheBatch {
  headers: [string, SafetensorsHeader][];
  tensors: [string, Uint8Array][];
  models: { hub: string; repo: string; sha: string; model: CachedModel }[];
}

export interface NormCache {
  getResolved(hub: string, repo: string, sha: string): Promise<CachedModel | undefined>;
  getHeader(key: string): Promise<SafetensorsHeader | undefined>;
  putHeader(key: string, header: SafetensorsHeader): Promise<void>;
  getIndex(key: string): Promise<CachedIndex | undefined>;
  putIndex(key: string, index: CachedIndex): Promise<void>;
  getTensor(key: string): Promise<Uint8Array | undefined>;
  putTensor(key: string, bytes: Uint8Array): Promise<void>;
  /** what one load read, written in one transaction (the model entries with them: all or nothing) */
  putBatch(batch: CacheBatch): Promise<void>;
  /** forget one commit's model entry (used when it turned out corrupt) */
  deleteResolved(hub: string, repo: string, sha: string): Promise<void>;
  clear(): Promise<void>;
  usage(): Promise<CacheUsage>;
}

/** Unambiguous key: a JSON array cannot collide the way "a/b" + "c" and "a" + "b/c" would. */
export function cacheKey(
  hub: string,
  repo: string,
  sha: string,
  kind: 'model' | 'header' | 'index' | 'tensor',
  ...parts: string[]
): string {
  return JSON.stringify([hub, repo, sha, kind, ...parts]);
}

function sizeOf(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}

// Values come back unchecked (`as`): a corrupt or foreign value is caught by guardCache.
function cacheOn(store: KeyValueStore & { usage?: () => Promise<CacheUsage> }): NormCache {
  return {
    getResolved: async (hub, repo, sha) =>
      (await store.get(cacheKey(hub, repo, sha, 'model'))) as CachedModel | undefined,
    deleteResolved: (hub, repo, sha) => store.del(cacheKey(hub, repo, sha, 'model')),
    getHeader: async (key) => (await store.get(key)) as SafetensorsHeader | undefined,
    putHeader: (key, header) => store.set(key, header),
    getIndex: async (key) => (await store.get(key)) as CachedIndex | undefined,
    putIndex: (key, index) => store.set(key, index),
    getTensor: async (key) => (await store.get(key)) as Uint8Array | undefined,
    // store a compact copy: `bytes` may be a view into a much larger response buffer
    putTensor: (key, bytes) => store.set(key, bytes.slice()),
    putBatch: (batch) =>
      store.setMany([
        ...batch.headers,
        ...batch.tensors.map(([key, bytes]): [string, unknown] => [key, bytes.slice()]),
        ...batch.models.map((m): [string, unknown] => [cacheKey(m.hub, m.repo, m.sha, 'model'), m.model]),
      ]),
    clear: () => store.clear(),
    usage: async () => {
      if (store.usage) return store.usage();
      const all = await store.entries();
      return { entries: all.length, bytes: all.reduce((s, [, v]) => s + sizeOf(v), 0) };
    },
  };
}

/** Entries whose keys start with `prefix`: one key range, so no other value is read or deserialized. */
function entriesWithPrefix(idb: UseStore, prefix: string): Promise<[IDBValidKey, unknown][]> {
  const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
  return idb('readonly', async (store) => {
    const [keys, values] = await Promise.all([
      promisifyRequest(store.getAllKeys(range)),
      promisifyRequest(store.getAll(range)),
    ]);
    return keys.map((k, i): [IDBValidKey, unknown] => [k, values[i]]);
  });
}

/**
 * IndexedDB-backed cache in its own database, so clearing it never touches other app state; an LRU
 * with a byte cap (cacheBounds.ts).
 */
export function createIdbCache(
  dbName = 'normscope-cache',
  storeName = 'entries',
  capBytes = DEFAULT_CACHE_CAP_BYTES,
): NormCache & { capBytes: () => number; setCap: (bytes: number) => void } {
  const idb: UseStore = createStore(dbName, storeName);
  const bounded = boundedStore(
    {
      get: (k) => get(k, idb),
      set: (k, v) => set(k, v, idb),
      setMany: (all) => setMany(all, idb),
      getMany: (keys) => getMany(keys, idb),
      del: (k) => del(k, idb),
      clear: () => clear(idb),
      entries: () => entries(idb),
      entriesWithPrefix: (prefix) => entriesWithPrefix(idb, prefix),
    },
    { capBytes, sizeOf },
  );
  return { ...cacheOn(bounded), capBytes: bounded.capBytes, setCap: bounded.setCap };
}

/** In-memory cache (tests, and environments without IndexedDB). */
export function createMemoryCache(): NormCache {
  const map = new Map<string, unknown>();
  return cacheOn({
    // clone like IndexedDB does, so callers never share objects with the cache
    get: async (k) => structuredClone(map.get(k)),
    set: async (k, v) => void map.set(k, structuredClone(v)),
    setMany: async (all) => all.forEach(([k, v]) => map.set(k, structuredClone(v))),
    getMany: async (keys) => keys.map((k) => structuredClone(map.get(k))),
    del: async (k) => void map.delete(k),
    clear: async () => map.clear(),
    entries: async () => [...map.entries()],
    entriesWithPrefix: async (prefix) => [...map.entries()].filter(([k]) => k.startsWith(prefix)),
  });
}
