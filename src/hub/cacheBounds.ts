// Bounds of the app's cache: an LRU over every stored value with a byte cap. Each value has its
// own small stamp (last use, size) under its own key, so two tabs writing at once only ever
// replace whole values (IndexedDB writes are atomic per key) and never a shared record. When the
// browser refuses a write (QuotaExceededError) the least recently used quarter is evicted and the
// write tried once more; if it still fails the caller goes on uncached (cacheGuard says so).
// A model entry whose tensors were evicted (here or by another tab) re-reads them by their known
// offsets (loadModel), so eviction never makes a load wrong.
// The stamps are read by their key prefix alone, never with the values: a scan of a full cache
// would deserialize hundreds of MB. The bytes held are scanned once, before this tab's first write.

/** Default cap of the cache (the setting shown beside "Clear cached tensors"). */
export const DEFAULT_CACHE_CAP_BYTES = 256 * 1024 * 1024;
/** After an eviction the cache holds at most this share of its cap. */
const LOW_WATER = 0.8;

export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /** values under their keys, in one transaction: all are written or none */
  setMany(entries: [string, unknown][]): Promise<void>;
  getMany(keys: string[]): Promise<unknown[]>;
  del(key: string): Promise<void>;
  clear(): Promise<void>;
  entries(): Promise<[IDBValidKey, unknown][]>;
  /** the entries whose string keys start with `prefix`, and no others read */
  entriesWithPrefix(prefix: string): Promise<[IDBValidKey, unknown][]>;
}

interface Stamp {
  at: number;
  bytes: number;
}

const STAMP_PREFIX = '["lru",';
const stampKey = (key: string) => JSON.stringify(['lru', key]);
export const isStampKey = (key: IDBValidKey) => typeof key === 'string' && key.startsWith(STAMP_PREFIX);
const isStamp = (v: unknown): v is Stamp =>
  v !== null && typeof v === 'object' && typeof (v as Stamp).at === 'number' && typeof (v as Stamp).bytes === 'number';

export function isQuotaError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'QuotaExceededError' || /quota/i.test(e.message));
}

export interface BoundedStoreOptions {
  capBytes?: number;
  sizeOf: (value: unknown) => number;
  now?: () => number;
}

/** The store's values with their stamps, oldest use first. */
async function stamps(store: KeyValueStore): Promise<{ key: string; stamp: Stamp }[]> {
  const out: { key: string; stamp: Stamp }[] = [];
  for (const [k, v] of await store.entriesWithPrefix(STAMP_PREFIX)) {
    if (!isStampKey(k) || !isStamp(v)) continue;
    out.push({ key: (JSON.parse(k as string) as [string, string])[1], stamp: v });
  }
  return out.sort((a, b) => a.stamp.at - b.stamp.at);
}

export interface BoundedStore extends KeyValueStore {
  capBytes: () => number;
  setCap: (bytes: number) => void;
  /** values held and their bytes, from the stamps */
  usage: () => Promise<{ entries: number; bytes: number }>;
}

export function boundedStore(store: KeyValueStore, opts: BoundedStoreOptions): BoundedStore {
  let cap = opts.capBytes ?? DEFAULT_CACHE_CAP_BYTES;
  const now = opts.now ?? (() => Date.now());
  let clock = 0;
  // stamps within one millisecond keep their order
  const tick = () => (clock = Math.max(now(), clock + 1e-3));
  /** bytes held as this tab knows it (other tabs' writes are seen at the next eviction's scan) */
  let held = 0;
  /** the one scan of the stamps, before this tab's first write (concurrent writes share it) */
  let heldScanned: Promise<void> | null = null;

  /** Evict oldest values until at most `target` bytes are held (as the stamps say). */
  async function evictTo(target: number): Promise<void> {
    const all = await stamps(store);
    let held = all.reduce((s, x) => s + x.stamp.bytes, 0);
    for (const { key, stamp } of all) {
      if (held <= target) break;
      await store.del(key);
      await store.del(stampKey(key));
      held -= stamp.bytes;
    }
  }

  async function heldBytes(): Promise<number> {
    return (await stamps(store)).reduce((s, x) => s + x.stamp.bytes, 0);
  }

  const bounded: BoundedStore = {
    capBytes: () => cap,
    setCap: (bytes) => {
      cap = bytes;
    },
    async get(key) {
      const v = await store.get(key);
      if (v !== undefined)
        void store
          .get(stampKey(key))
          .then((s) => (isStamp(s) ? store.set(stampKey(key), { ...s, at: tick() }) : undefined))
          .catch(() => undefined);
      return v;
    },
    set: (key, value) => bounded.setMany([[key, value]]),
    async setMany(entries) {
      // a value larger than the whole cache is not kept
      const kept = entries
        .map(([key, value]) => ({ key, value, bytes: opts.sizeOf(value) }))
        .filter((e) => e.bytes <= cap);
      if (kept.length === 0) return;
      heldScanned ??= heldBytes().then((b) => void (held = b));
      await heldScanned;
      const previous = await store.getMany(kept.map((e) => stampKey(e.key)));
      // values and their stamps in one transaction: a value is never left without its stamp
      const all: [string, unknown][] = [
        ...kept.map((e): [string, unknown] => [e.key, e.value]),
        ...kept.map((e): [string, unknown] => [stampKey(e.key), { at: tick(), bytes: e.bytes }]),
      ];
      try {
        await store.setMany(all);
      } catch (e) {
        if (!isQuotaError(e)) throw e;
        // the browser's own limit: make room (a quarter of what is held) and try once more
        await evictTo(Math.floor((await heldBytes()) * 0.75));
        await store.setMany(all);
      }
      kept.forEach((e, i) => {
        const p = previous[i];
        held += e.bytes - (isStamp(p) ? p.bytes : 0);
      });
      if (held > cap) {
        await evictTo(Math.floor(cap * LOW_WATER));
        held = await heldBytes();
      }
    },
    getMany: (keys) => store.getMany(keys),
    async del(key) {
      await store.del(key);
      await store.del(stampKey(key));
    },
    clear: async () => {
      held = 0;
      await store.clear();
    },
    entries: async () => (await store.entries()).filter(([k]) => !isStampKey(k)),
    entriesWithPrefix: async (prefix) => (await store.entriesWithPrefix(prefix)).filter(([k]) => !isStampKey(k)),
    usage: async () => {
      const all = await stamps(store);
      return { entries: all.length, bytes: all.reduce((s, x) => s + x.stamp.bytes, 0) };
    },
  };
  return bounded;
}
