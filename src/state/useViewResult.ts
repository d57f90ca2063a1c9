// A figure view's worker result, read from the store: asks for it (an action) when its key
// changes and keeps the last result while a new one is on its way.
import { useEffect, useRef } from 'react';
import { useApp, useAppStore } from './storeContext';
import { viewJobKey } from './viewResults';
import { requestViewResult } from './wiring';
import type { ViewJob, ViewJobValue } from './viewResults';

export interface ViewResultState<T> {
  /** the key of the job asked for now (null: nothing to compute) */
  key: string | null;
  /** the last result this view received; belongs to `valueKey`, which differs from `key` while pending */
  value: T | null;
  valueKey: string | null;
  pending: boolean;
  error: string | null;
}

export function useViewResult<K extends ViewJob['kind']>(
  job: (ViewJob & { kind: K }) | null,
): ViewResultState<ViewJobValue[K]> {
  const store = useAppStore();
  const key = useApp((s) => (job ? viewJobKey(job, s.slots) : null));
  const entry = useApp((s) => (key ? s.viewResults[key] : undefined));
  // the job object is new on every render; its key says when it changed, so the effect reads the latest job
  const latestJob = useRef(job);
  latestJob.current = job;
  useEffect(() => {
    if (latestJob.current && key) void requestViewResult(store, latestJob.current);
  }, [key, store]);
  const last = useRef<{ key: string; value: ViewJobValue[K] } | null>(null);
  if (key === null) last.current = null;
  else if (entry?.status === 'ready') last.current = { key, value: entry.value as ViewJobValue[K] };
  return {
    key,
    value: last.current?.value ?? null,
    valueKey: last.current?.key ?? null,
    pending: key !== null && (!entry || entry.status === 'pending'),
    error: entry?.status === 'error' ? entry.error : null,
  };
}
