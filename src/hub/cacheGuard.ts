// A cache must never fail a load: reads that throw or return something malformed count as misses,
// writes that fail (quota, private mode) are dropped; each becomes one warning for the user.
import { isNormRole, type SafetensorsHeader } from '../core/types.ts';
import { isRecord } from '../core/json.ts';
import { CACHE_FORMAT_VERSION, type CachedIndex, type CachedModel, type NormCache } from './cache.ts';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function isCachedModel(v: unknown, sha: string): v is CachedModel {
  if (!isRecord(v) || v.version !== CACHE_FORMAT_VERSION || v.sha !== sha || !isRecord(v.config)) return false;
  if (!Array.isArray(v.tensors) || !Array.isArray(v.shards) || !Array.isArray(v.labels)) return false;
  if (!Array.isArray(v.layers) || !Array.isArray(v.extraLayers) || !Array.isArray(v.warnings)) return false;
  return v.tensors.every(
    (t: unknown) =>
      isRecord(t) &&
      typeof t.name === 'string' &&
      typeof t.file === 'string' &&
      typeof t.dtype === 'string' &&
      typeof t.role === 'string' &&
      isNormRole(t.role) &&
      isInt(t.layer) &&
      isInt(t.start) &&
      isInt(t.end) &&
      t.end > t.start,
  );
}

function isHeader(v: unknown): v is SafetensorsHeader {
  return isRecord(v) && isInt(v.headerLength) && isInt(v.dataStart) && Array.isArray(v.tensors);
}

function isIndex(v: unknown): v is CachedIndex {
  return (
    isRecord(v) &&
    (v.totalSize === null || isInt(v.totalSize)) &&
    Array.isArray(v.weightMap) &&
    v.weightMap.every(
      (e: unknown) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string',
    )
  );
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Wrap a cache so that every failure degrades to "not cached" plus a warning. */
export function guardCache(cache: NormCache, warn: (message: string) => void): NormCache {
  const readFailed = (e: unknown) =>
    warn(`The local cache could not be read (${describe(e)}); loading from the network instead.`);
  const corrupt = () =>
    warn('The local cache held a damaged entry; it was ignored and the data loaded from the network.');
  const writeFailed = (e: unknown) =>
    warn(`The local cache could not store this model (${describe(e)}); it will be downloaded again next time.`);

  async function read<T>(op: () => Promise<unknown>, valid: (v: unknown) => v is T): Promise<T | undefined> {
    let v: unknown;
    try {
      v = await op();
    } catch (e) {
      readFailed(e);
      return undefined;
    }
    if (v === undefined) return undefined;
    if (!valid(v)) {
      corrupt();
      return undefined;
    }
    return v;
  }

  async function write(op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (e) {
      writeFailed(e);
    }
  }

  return {
    getResolved: (hub, repo, sha) =>
      read(
        () => cache.getResolved(hub, repo, sha),
        (v): v is CachedModel => isCachedModel(v, sha),
      ),
    deleteResolved: (hub, repo, sha) => write(() => cache.deleteResolved(hub, repo, sha)),
    getHeader: (key) => read(() => cache.getHeader(key), isHeader),
    putHeader: (key, header) => write(() => cache.putHeader(key, header)),
    getIndex: (key) => read(() => cache.getIndex(key), isIndex),
    putIndex: (key, index) => write(() => cache.putIndex(key, index)),
    getTensor: (key) =>
      read(
        () => cache.getTensor(key),
        (v): v is Uint8Array => v instanceof Uint8Array,
      ),
    putTensor: (key, bytes) => write(() => cache.putTensor(key, bytes)),
    putBatch: (batch) => write(() => cache.putBatch(batch)),
    clear: () => write(() => cache.clear()),
    usage: async () => {
      try {
        return await cache.usage();
      } catch (e) {
        readFailed(e);
        return { entries: 0, bytes: 0 };
      }
    },
  };
}
