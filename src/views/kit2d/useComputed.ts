// Runs an async computation (a worker call) for a key, keeps the last result while a new one is
// on its way, ignores late answers for old keys, and remembers a few results across view switches.
import { useEffect, useState } from 'react';

export interface Computed<T> {
  value: T | null;
  /** the key `value` belongs to; differs from the current key while a new result is pending */
  valueKey: string | null;
  pending: boolean;
  error: string | null;
}

const MAX_CACHED = 24;
const cache = new Map<string, Promise<unknown>>();

function remember<T>(key: string, run: () => Promise<T>): Promise<T> {
  const hit = cache.get(key) as Promise<T> | undefined;
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  const promise = run();
  cache.set(key, promise);
  promise.catch(() => cache.delete(key));
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return promise;
}

/** `key` null means nothing to compute. The key must identify everything `run` depends on. */
export function useComputed<T>(key: string | null, run: () => Promise<T>): Computed<T> {
  const [state, setState] = useState<Computed<T>>({ value: null, valueKey: null, pending: false, error: null });
  useEffect(() => {
    if (key === null) {
      setState({ value: null, valueKey: null, pending: false, error: null });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, pending: true, error: null }));
    remember(key, run).then(
      (value) => live && setState({ value, valueKey: key, pending: false, error: null }),
      (err: unknown) => live && setState((s) => ({ ...s, pending: false, error: err instanceof Error ? err.message : String(err) })),
    );
    return () => {
      live = false;
    };
    // run is recreated each render; the key stands for its inputs
  }, [key]);
  return state;
}

/** A stable identity for a loaded model inside cache keys: position, repo and commit. */
export function modelKey(index: number, m: { repo: string; sha: string }): string {
  return `${index}:${m.repo}@${m.sha}`;
}
