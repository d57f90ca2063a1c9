// Debounced Hub search for the repo inputs' autocomplete list.
import { useEffect, useRef, useState } from 'react';
import { loaderWorker } from '../compute/client';

export function useRepoSearch(hubUrl: string, text: string, delayMs = 300): string[] {
  const [ids, setIds] = useState<string[]>([]);
  // the text a permalink opened with is not a query: a reopen makes no request until someone types
  const opened = useRef(text);
  const jobs = useRef(0);
  useEffect(() => {
    const query = text.split('@')[0]!.trim();
    if (query.length < 2 || text === opened.current) return;
    opened.current = null as unknown as string;
    // the search runs in the loader worker (state/ reaches the Hub only through the workers)
    const jobId = `search-${++jobs.current}`;
    let aborted = false;
    let started = false;
    const timer = setTimeout(() => {
      started = true;
      void loaderWorker()
        .searchModels({ jobId, hub: hubUrl, query })
        .then((hits) => {
          if (!aborted) setIds(hits.map((h) => h.id));
        });
    }, delayMs);
    return () => {
      clearTimeout(timer);
      aborted = true;
      if (started) void loaderWorker().cancel(jobId);
    };
  }, [hubUrl, text, delayMs]);
  return ids;
}
