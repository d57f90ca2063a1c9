// The cache's size and cap, shown beside "Clear cached tensors"; the cap can be changed (kept in
// localStorage, applied to the loader worker's cache, which evicts the least recently used beyond it).
import { loaderWorker } from '../compute/client';

export interface CacheInfo {
  entries: number;
  bytes: number;
  capBytes: number;
}

const CAP_KEY = 'normscope.cacheCapMB';

/** The cap the user set (MB), or null for the default. */
export function savedCacheCapMb(): number | null {
  const v = Number(globalThis.localStorage?.getItem(CAP_KEY) ?? NaN);
  return Number.isFinite(v) && v >= 0 ? v : null;
}

export async function cacheInfo(): Promise<CacheInfo> {
  const worker = loaderWorker();
  const saved = savedCacheCapMb();
  if (saved !== null) await worker.setCacheCap(saved * 1024 * 1024);
  return worker.cacheUsage();
}

export async function setCacheCapMb(mb: number): Promise<CacheInfo> {
  globalThis.localStorage?.setItem(CAP_KEY, String(mb));
  await loaderWorker().setCacheCap(mb * 1024 * 1024);
  return loaderWorker().cacheUsage();
}
